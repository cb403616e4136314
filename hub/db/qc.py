"""Quality-control models (filled in by the qc feature)."""

from __future__ import annotations
