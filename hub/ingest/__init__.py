"""Ingest: request bodies to canonical records, QC, store, receipts, in one transaction."""
