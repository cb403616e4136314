"""Stored observations: the store (new keys, revisions, re-sends), the audit chain, reads."""
