"""Quality control on the ingest path: every stored observation carries its QC flags."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hub.qc.stage import build_qc_stage

if TYPE_CHECKING:
    from hub.app import HubContext


def init_app(app: Any, ctx: HubContext) -> None:
    """Run the QC stage inside every ingest transaction of this app."""
    ctx.ingest_hooks.qc = build_qc_stage()
