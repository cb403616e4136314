"""Benchmarks run by hand (``make bench``); they print figures and write JSON, never assert."""
