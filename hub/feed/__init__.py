"""The commit-ordered observation feed, forwarding to an upstream hub, its client."""
