"""HTTP handlers, resolved from the OpenAPI spec's operationIds (RelativeResolver)."""
