"""What a publish run must change in CKAN: recorded sync state vs. the directory now.

Pure. The recorded state holds, per entry, the hashes of what was last sent (metadata,
DataStore schema, CSV snapshot) and a digest per row; equal hashes mean nothing is sent,
so a second run with nothing changed makes no CKAN write at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from catalogue.model import Entry
from catalogue.series import Row
from catalogue.table import Table

PUBLISHED, WITHDRAWN = "published", "withdrawn"


@dataclass(frozen=True)
class OrgState:
    """A department's CKAN organization as last synced."""

    department: str
    ckan_name: str
    ckan_id: str
    metadata_hash: str


@dataclass(frozen=True)
class SyncState:
    """An entry's CKAN package as last synced (``state``: published or withdrawn)."""

    entry_id: str
    ckan_name: str
    state: str
    package_id: str | None = None
    api_resource_id: str | None = None
    snapshot_resource_id: str | None = None
    metadata_hash: str | None = None
    schema_hash: str | None = None
    data_hash: str | None = None
    row_digests: dict[str, str] = field(default_factory=dict)
    row_count: int = 0


@dataclass(frozen=True)
class Desired:
    """What an open entry should look like in CKAN."""

    entry: Entry
    organization: dict[str, Any]
    organization_hash: str
    package: dict[str, Any]
    api_resource: dict[str, Any]
    snapshot_resource: dict[str, Any]
    metadata_hash: str
    table: Table


@dataclass(frozen=True)
class DataChange:
    """Rows to send. ``rebuild``: (re)create the DataStore table and send every row."""

    rebuild: bool
    upsert: tuple[Row, ...]
    delete: tuple[Row, ...]
    rows: int


@dataclass(frozen=True)
class EntryPlan:
    """One entry's changes; nothing to do when none of create/metadata/data/withdraw."""

    entry_id: str
    ckan_name: str
    create: bool = False
    metadata: bool = False
    data: DataChange | None = None
    withdraw: bool = False
    reason: str = ""

    @property
    def changes(self) -> bool:
        """True when anything must be sent to CKAN."""
        return self.create or self.metadata or self.data is not None or self.withdraw

    def describe(self) -> str:
        """One line for ``--dry-run`` and the run report."""
        head = f"package {self.ckan_name} ({self.entry_id}):"
        if self.withdraw:
            return f"{head} withdraw → private ({self.reason})"
        if not self.changes:
            return f"{head} unchanged"
        parts = ["create" if self.create else "reopen" if self.reason == "reopened" else ""]
        if self.reason.startswith("renamed"):
            parts.append(f"{self.reason}, which goes private")
        if self.metadata and not self.create:
            parts.append("patch metadata")
        if self.data is not None:
            d = self.data
            what = (
                f"load DataStore table and CSV ({d.rows} rows)"
                if d.rebuild
                else f"upsert {len(d.upsert)} row(s), delete {len(d.delete)}, "
                f"new CSV ({d.rows} rows)"
            )
            parts.append(what)
        return f"{head} " + "; ".join(p for p in parts if p)


def plan_entry(
    entry_id: str, ckan_name: str, desired: Desired | None, recorded: SyncState | None
) -> EntryPlan:
    """Compare one entry's desired CKAN state with what was recorded."""
    known = recorded is not None and recorded.ckan_name == ckan_name and recorded.package_id
    if desired is None:
        if known and recorded is not None and recorded.state == PUBLISHED:
            return EntryPlan(entry_id, ckan_name, withdraw=True, reason="no longer open")
        return EntryPlan(entry_id, ckan_name)
    table = desired.table
    if not known or recorded is None:
        full = DataChange(True, table.rows, (), len(table.rows))
        reason = "new"
        if recorded is not None and recorded.package_id and recorded.state == PUBLISHED:
            # The name prefix changed: the package under the old name is withdrawn.
            reason = f"renamed from {recorded.ckan_name}"
        return EntryPlan(entry_id, ckan_name, create=True, metadata=True, data=full, reason=reason)
    reopened = recorded.state == WITHDRAWN
    metadata = reopened or recorded.metadata_hash != desired.metadata_hash
    data: DataChange | None = None
    if recorded.schema_hash != table.schema_hash or not recorded.snapshot_resource_id:
        data = DataChange(True, table.rows, (), len(table.rows))
    elif recorded.data_hash != table.data_hash:
        upsert, delete = table.diff(recorded.row_digests)
        data = DataChange(False, tuple(upsert), tuple(delete), len(table.rows))
    reason = "reopened" if reopened else "changed"
    return EntryPlan(entry_id, ckan_name, metadata=metadata, data=data, reason=reason)


def organization_changes(desired: Desired, recorded: OrgState | None) -> bool:
    """True when the department's organization must be created or patched."""
    return (
        recorded is None
        or recorded.ckan_name != desired.organization["name"]
        or recorded.metadata_hash != desired.organization_hash
    )
