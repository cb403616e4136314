"""Feeds models (filled in by the feeds feature)."""

from __future__ import annotations
