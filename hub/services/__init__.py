"""Services own transactions; handlers and the CLI call them with a session."""
