"""Quality-control models: missing-data gaps as records of their own."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.db.base import Base, BigId, UtcDateTime


class DataGap(Base):
    """Expected observations of one site and parameter that did not arrive: [start, end).

    ``missing`` counts the expected slots (of the network's ``expected_interval_seconds``)
    in the span. A gap is open (``closed_at`` NULL) while no data has arrived after it; it is
    closed when data arrives after it (or a late backfill fills it). ``ecohub qc scan-gaps``
    creates, extends and closes these rows; re-scans never duplicate them.
    """

    __tablename__ = "qc_data_gaps"
    __table_args__ = (
        CheckConstraint("missing >= 1", name="missing"),
        CheckConstraint('"end" > start', name="span"),
        Index("ix_qc_data_gaps_site_param_start", "site_id", "parameter_code", "start"),
        # Open gaps are what missing-data alarms and re-scans look for.
        Index("ix_qc_data_gaps_closed_at", "closed_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    parameter_code: Mapped[str] = mapped_column(ForeignKey("parameters.code"))
    start: Mapped[datetime] = mapped_column(UtcDateTime())
    end: Mapped[datetime] = mapped_column(UtcDateTime())
    missing: Mapped[int] = mapped_column(Integer)
    # Length of one expected slot when the gap was last scanned (the network's interval).
    interval_seconds: Mapped[int] = mapped_column(Integer)
    detected_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Why it closed: "data_arrived" after the gap, or "backfilled" when late data filled it.
    closed_reason: Mapped[str | None] = mapped_column(String(16))
