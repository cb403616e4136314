"""HJ 212 in the hub: device registry, packet conversion, ingest sink, backfill, serve process."""
