"""Publishers: mirror planned changes to a CKAN portal, or do nothing when there is none.

``CkanPublisher`` carries out one ``EntryPlan`` at a time and returns the state to record.
It looks objects up by name before creating them, so a run cut short by an outage (the
package made, the DataStore not yet loaded) is finished by the next one instead of
failing on "name already in use".

Withdrawal makes the package **private**, it does not delete it. A CKAN delete is a soft
delete too (the name stays taken, sysadmins still see it), so it hides nothing more than
private does; purging would destroy the record of what was published when, which the
bureau is accountable for (plan §19). Private keeps the URL and history, hides the
package, its resources and its DataStore table from everyone but the portal's
administrators, and is undone by patching it public again if the entry is re-opened.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import replace
from typing import Any, Protocol

from catalogue.ckan import CkanClient, CkanNotFound
from catalogue.ckan_map import API_ROLE, SNAPSHOT_ROLE, datastore_fields
from catalogue.plan import (
    PUBLISHED,
    WITHDRAWN,
    DataChange,
    Desired,
    EntryPlan,
    OrgState,
    SyncState,
)
from catalogue.series import Row

CHUNK = 500
# CKAN caps one filter at 100 operations: the "$or" plus, per key, an "and" and one
# comparison per key column.
MAX_FILTER_OPS = 100


class Publisher(Protocol):
    """What the sync service needs from a portal adapter."""

    enabled: bool
    portal: str

    def check(self) -> None:
        """Fail with CkanError when the portal is unusable."""

    def ensure_organization(self, desired: Desired, recorded: OrgState | None) -> OrgState:
        """Create or patch a department's organization."""

    def apply(
        self, plan: EntryPlan, desired: Desired | None, recorded: SyncState | None
    ) -> SyncState:
        """Carry out one entry's plan; the state to record."""


class NullPublisher:
    """Used when ``HUB_CKAN_URL`` is empty: publishing is off and nothing is recorded."""

    enabled = False
    portal = ""

    def check(self) -> None:
        """Nothing to check."""

    def ensure_organization(self, desired: Desired, recorded: OrgState | None) -> OrgState:
        """Never called by the sync service (it stops when ``enabled`` is False)."""
        name = desired.organization["name"]
        return recorded or OrgState(desired.entry.department, name, "", "")

    def apply(
        self, plan: EntryPlan, desired: Desired | None, recorded: SyncState | None
    ) -> SyncState:
        """Never called by the sync service (it stops when ``enabled`` is False)."""
        return recorded or SyncState(plan.entry_id, plan.ckan_name, WITHDRAWN)


def _chunks(rows: Sequence[Row], size: int) -> list[list[Row]]:
    return [list(rows[i : i + size]) for i in range(0, len(rows), size)]


def _role(package: dict[str, Any], role: str) -> str | None:
    found = [r["id"] for r in package.get("resources", []) if r.get("hub_role") == role]
    return found[0] if found else None


class CkanPublisher:
    """Mirrors the directory into one CKAN portal through ``CkanClient``."""

    enabled = True

    def __init__(self, client: CkanClient, *, chunk_size: int = CHUNK) -> None:
        self.client = client
        self.portal = client.url
        self.chunk_size = chunk_size

    def check(self) -> None:
        """Fail fast with CkanUnavailable when the portal is down."""
        self.client.check()

    def ensure_organization(self, desired: Desired, recorded: OrgState | None) -> OrgState:
        """Create or patch the department's organization; returns the state to record."""
        doc = desired.organization
        found = self.client.find("organization_show", doc["name"])
        if found is None:
            org = self.client.call("organization_create", doc)
        else:
            org = self.client.call("organization_patch", {"id": found["id"], **doc})
        return OrgState(desired.entry.department, doc["name"], org["id"], desired.organization_hash)

    def apply(
        self, plan: EntryPlan, desired: Desired | None, recorded: SyncState | None
    ) -> SyncState:
        """Carry out one entry's plan; returns the state to record."""
        if plan.withdraw:
            return self._withdraw(plan, recorded)
        if desired is None or not plan.changes:
            return recorded or SyncState(plan.entry_id, plan.ckan_name, WITHDRAWN)
        state = recorded if recorded and not plan.create else None
        if plan.reason.startswith("renamed") and recorded is not None:
            self._withdraw(plan, recorded)
        if state is None:
            state = self._create_or_adopt(plan, desired)
        elif plan.metadata:
            # A new upload carries the snapshot's metadata too: no separate patch then.
            self._patch_metadata(state, desired, snapshot=plan.data is None)
        if plan.data is not None:
            state = self._data(state, desired, plan.data)
        return replace(state, state=PUBLISHED, metadata_hash=desired.metadata_hash)

    def _withdraw(self, plan: EntryPlan, recorded: SyncState | None) -> SyncState:
        assert recorded is not None and recorded.package_id
        # Removed in CKAN by hand: already not public, nothing to hide.
        with suppress(CkanNotFound):
            self.client.call("package_patch", {"id": recorded.package_id, "private": True})
        return replace(recorded, state=WITHDRAWN)

    def _create_or_adopt(self, plan: EntryPlan, desired: Desired) -> SyncState:
        found = self.client.find("package_show", plan.ckan_name)
        if found is None:
            doc = {**desired.package, "resources": [desired.api_resource]}
            package = self.client.call("package_create", doc)
        else:
            # Left by an interrupted run, or published before the state was lost.
            package = self.client.call("package_patch", {"id": found["id"], **desired.package})
        api_id = _role(package, API_ROLE)
        if api_id is None:
            api = {"package_id": package["id"], **desired.api_resource}
            api_id = self.client.call("resource_create", api)["id"]
        elif found is not None:
            self.client.call("resource_patch", {"id": api_id, **desired.api_resource})
        return SyncState(
            plan.entry_id,
            plan.ckan_name,
            PUBLISHED,
            package_id=package["id"],
            api_resource_id=api_id,
            snapshot_resource_id=_role(package, SNAPSHOT_ROLE),
        )

    def _patch_metadata(self, state: SyncState, desired: Desired, *, snapshot: bool) -> None:
        self.client.call("package_patch", {"id": state.package_id, **desired.package})
        self.client.call("resource_patch", {"id": state.api_resource_id, **desired.api_resource})
        if snapshot and state.snapshot_resource_id:
            doc = {"id": state.snapshot_resource_id, **desired.snapshot_resource}
            self.client.call("resource_patch", doc)

    def _upload(self, state: SyncState, desired: Desired) -> str:
        csv = io.BytesIO(desired.table.csv_bytes())
        files = {"upload": (f"{desired.entry.id}.csv", csv, "text/csv")}
        if state.snapshot_resource_id is None:
            doc = {"package_id": state.package_id, **desired.snapshot_resource}
            return str(self.client.call("resource_create", doc, files=files)["id"])
        doc = {"id": state.snapshot_resource_id, **desired.snapshot_resource}
        self.client.call("resource_patch", doc, files=files)
        return state.snapshot_resource_id

    def _data(self, state: SyncState, desired: Desired, change: DataChange) -> SyncState:
        had_snapshot = state.snapshot_resource_id is not None
        resource_id = self._upload(state, desired)
        table = desired.table
        if change.rebuild and had_snapshot:
            with suppress(CkanNotFound):  # no table yet: nothing to drop
                self.client.call("datastore_delete", {"resource_id": resource_id, "force": True})
        for action, payload in self._datastore_calls(desired, change):
            self.client.call(action, {"resource_id": resource_id, "force": True, **payload})
        return replace(
            state,
            snapshot_resource_id=resource_id,
            schema_hash=table.schema_hash,
            data_hash=table.data_hash,
            row_digests=table.row_digests(),
            row_count=len(table.rows),
        )

    def _datastore_calls(
        self, desired: Desired, change: DataChange
    ) -> list[tuple[str, dict[str, Any]]]:
        table = desired.table
        calls: list[tuple[str, dict[str, Any]]] = []
        if change.rebuild:
            fields = datastore_fields(desired.entry)
            key = list(table.primary_key)
            calls.append(("datastore_create", {"fields": fields, "primary_key": key}))
        for chunk in _chunks(change.upsert, self.chunk_size):
            calls.append(("datastore_upsert", {"method": "upsert", "records": chunk}))
        per_call = (MAX_FILTER_OPS - 1) // (len(table.primary_key) + 1)
        for chunk in _chunks(change.delete, per_call):
            calls.append(("datastore_records_delete", {"filters": {"$or": chunk}}))
        # Count the rows once, with the last write, rather than queue a background job
        # per call for a worker the portal may not run.
        for i, (_, payload) in enumerate(calls):
            payload["calculate_record_count"] = i == len(calls) - 1
        return calls

def build_publisher(
    url: str, token: str, *, chunk_size: int = CHUNK
) -> CkanPublisher | NullPublisher:
    """A CKAN publisher for ``url``, or the null one when no portal is configured."""
    if not url:
        return NullPublisher()
    return CkanPublisher(CkanClient(url, token), chunk_size=chunk_size)
