"""Catalogue models (filled in by the catalogue feature)."""

from __future__ import annotations
