"""Publish the open-data directory to CKAN: plan from recorded state, apply, record.

This service owns the transactions. Rows are produced from committed data in one read
session; each organization and each entry is then mirrored and its new state committed
on its own, so a CKAN outage part-way keeps what was done and the next run carries on
from there. Nothing on the ingest path calls this: ingest never waits on CKAN.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from catalogue.ckan_map import (
    Names,
    api_resource_doc,
    digest,
    metadata_hash,
    organization_doc,
    package_doc,
    snapshot_resource_doc,
)
from catalogue.directory import Directory
from catalogue.model import Department, Disclosure, Links
from catalogue.plan import Desired, EntryPlan, OrgState, SyncState, organization_changes, plan_entry
from catalogue.producers import produce_recent
from catalogue.publisher import Publisher
from hub.db.catalogue import CatalogueSyncEntry, CatalogueSyncOrganization
from hub.db.reference import Department as DepartmentRow

# Two publish runs at once would both create the same packages; PostgreSQL serialises
# them with this advisory lock (SQLite deployments are single-process).
_LOCK_KEY = 0x6563_6B61  # "ecka"


class PublishBusy(RuntimeError):
    """Another publish run holds the lock."""


@dataclass
class PublishReport:
    """What a run did (or, with ``dry_run``, would do)."""

    portal: str
    enabled: bool
    dry_run: bool
    organizations: list[str] = field(default_factory=list)
    entries: list[EntryPlan] = field(default_factory=list)
    applied: int = 0

    def lines(self) -> list[str]:
        """Human-readable lines for the CLI."""
        if not self.enabled and not self.dry_run:
            return ["CKAN publishing is off: HUB_CKAN_URL is empty"]
        head = "plan (dry run, nothing sent)" if self.dry_run else "published"
        out = [f"{head}: {self.portal or '(no portal configured)'}"]
        out += [f"organization {o}" for o in self.organizations]
        out += [p.describe() for p in self.entries]
        return out


def departments(session: Session) -> dict[str, Department]:
    """The departments as publications name them."""
    rows = session.execute(select(DepartmentRow)).scalars()
    return {d.code: Department(d.code, d.name_zh, d.name_en, d.description) for d in rows}


# SyncState's fields are the columns of CatalogueSyncEntry of the same names.
_STATE_FIELDS = [f.name for f in fields(SyncState)]


def _to_state(row: CatalogueSyncEntry) -> SyncState:
    values = {name: getattr(row, name) for name in _STATE_FIELDS}
    return SyncState(**{**values, "row_digests": dict(row.row_digests or {})})


def load_states(session: Session, portal: str) -> tuple[dict[str, SyncState], dict[str, OrgState]]:
    """Recorded entry and organization states for one portal."""
    entries = session.execute(
        select(CatalogueSyncEntry).where(CatalogueSyncEntry.portal == portal)
    ).scalars()
    orgs = session.execute(
        select(CatalogueSyncOrganization).where(CatalogueSyncOrganization.portal == portal)
    ).scalars()
    return (
        {r.entry_id: _to_state(r) for r in entries},
        {
            o.department_code: OrgState(o.department_code, o.ckan_name, o.ckan_id, o.metadata_hash)
            for o in orgs
        },
    )


def desired_states(
    session: Session, directory: Directory, now: datetime, names: Names, links: Links
) -> dict[str, Desired]:
    """What every open entry should look like in CKAN, with its recent rows."""
    depts = departments(session)
    out: dict[str, Desired] = {}
    for entry in directory:
        if entry.disclosure is not Disclosure.OPEN:
            continue
        code = entry.department
        dept = depts.get(code) or Department(code, code, code)
        org = organization_doc(dept, names)
        pkg = package_doc(entry, dept, names, links)
        api, snapshot = api_resource_doc(entry, links), snapshot_resource_doc(entry)
        out[entry.id] = Desired(
            entry, org, digest(org), pkg, api, snapshot,
            metadata_hash(org, pkg, [api, snapshot]), produce_recent(session, entry, now),
        )
    return out


def _save_entry(session: Session, portal: str, state: SyncState, now: datetime) -> None:
    row = session.get(CatalogueSyncEntry, (portal, state.entry_id))
    if row is None:
        row = CatalogueSyncEntry(portal=portal, entry_id=state.entry_id)
        session.add(row)
    for name in _STATE_FIELDS:
        setattr(row, name, getattr(state, name))
    row.row_digests = dict(state.row_digests)
    row.synced_at = now


def _save_org(session: Session, portal: str, state: OrgState, now: datetime) -> None:
    row = session.get(CatalogueSyncOrganization, (portal, state.department))
    if row is None:
        row = CatalogueSyncOrganization(portal=portal, department_code=state.department)
        session.add(row)
    row.ckan_name, row.ckan_id = state.ckan_name, state.ckan_id
    row.metadata_hash = state.metadata_hash
    row.synced_at = now


@contextmanager
def _exclusive(engine: Engine) -> Iterator[None]:
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        if not conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": _LOCK_KEY}).scalar():
            raise PublishBusy("another `ecohub catalogue publish` is running; try again later")
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _LOCK_KEY})
            conn.commit()


def publish(
    sessions: sessionmaker[Session],
    publisher: Publisher,
    directory: Directory,
    *,
    names: Names,
    links: Links,
    now: datetime | None = None,
    dry_run: bool = False,
) -> PublishReport:
    """Mirror the open entries to the publisher's portal; withdraw those no longer open.

    Raises ``catalogue.ckan.CkanError`` when CKAN fails: entries finished before the
    failure stay recorded, the failed one keeps its previous state.
    """
    now = now or datetime.now(UTC)
    report = PublishReport(publisher.portal, publisher.enabled, dry_run)
    if not publisher.enabled and not dry_run:
        return report
    engine = sessions.kw["bind"]
    with _exclusive(engine):
        with sessions() as session:
            states, org_states = load_states(session, publisher.portal)
            desired = desired_states(session, directory, now, names, links)
        ids = [e.id for e in directory] + sorted(set(states) - {e.id for e in directory})
        plans = [plan_entry(i, names.package(i), desired.get(i), states.get(i)) for i in ids]
        # Entries never on the portal (conditional, internal) are not worth a line.
        report.entries = [p for p in plans if p.entry_id in desired or p.entry_id in states]
        org_desired = {d.entry.department: d for d in desired.values()}
        changed_orgs = {
            code: d
            for code, d in org_desired.items()
            if organization_changes(d, org_states.get(code))
        }
        report.organizations = [
            f"{d.organization['name']}: create or patch" for d in changed_orgs.values()
        ]
        if dry_run:
            return report
        publisher.check()
        for code, d in sorted(changed_orgs.items()):
            org_state = publisher.ensure_organization(d, org_states.get(code))
            with sessions.begin() as session:
                _save_org(session, publisher.portal, org_state, now)
        for plan in plans:
            if not plan.changes:
                continue
            new_state = publisher.apply(plan, desired.get(plan.entry_id), states.get(plan.entry_id))
            with sessions.begin() as session:
                _save_entry(session, publisher.portal, new_state, now)
            report.applied += 1
    return report

