"""Catalogue sync state: what was last published to which CKAN portal.

One row per (portal, entry) and per (portal, department). A row is written only after
CKAN accepted everything for it, so an outage leaves the previous state and the next
run redoes what is missing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.db.base import Base, JsonDoc, UtcDateTime


class CatalogueSyncOrganization(Base):
    """A department's CKAN organization on one portal."""

    __tablename__ = "catalogue_sync_organizations"

    portal: Mapped[str] = mapped_column(String(200), primary_key=True)
    department_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    ckan_name: Mapped[str] = mapped_column(String(100))
    ckan_id: Mapped[str] = mapped_column(String(64))
    metadata_hash: Mapped[str] = mapped_column(String(64))
    synced_at: Mapped[datetime] = mapped_column(UtcDateTime())


class CatalogueSyncEntry(Base):
    """A directory entry's CKAN package on one portal, and the hashes last sent."""

    __tablename__ = "catalogue_sync_entries"

    portal: Mapped[str] = mapped_column(String(200), primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ckan_name: Mapped[str] = mapped_column(String(100))
    # published | withdrawn (made private in CKAN)
    state: Mapped[str] = mapped_column(String(16))
    package_id: Mapped[str | None] = mapped_column(String(64))
    api_resource_id: Mapped[str | None] = mapped_column(String(64))
    snapshot_resource_id: Mapped[str | None] = mapped_column(String(64))
    metadata_hash: Mapped[str | None] = mapped_column(String(64))
    schema_hash: Mapped[str | None] = mapped_column(String(64))
    data_hash: Mapped[str | None] = mapped_column(String(64))
    # Primary key → short digest of each row in the DataStore: only changed rows are sent.
    row_digests: Mapped[dict[str, str]] = mapped_column(JsonDoc, default=dict)
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    synced_at: Mapped[datetime] = mapped_column(UtcDateTime())
