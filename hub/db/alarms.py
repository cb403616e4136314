"""Alarms models (filled in by the alarms feature)."""

from __future__ import annotations
