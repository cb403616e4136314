"""Hj212 models (filled in by the hj212 feature)."""

from __future__ import annotations
