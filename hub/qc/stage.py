"""The ingest QC stage: flag each record of a batch against its site's recent series.

Runs inside the ingest transaction on the records about to be stored (``IngestPipeline.qc``).
For the batch it reads, in three queries, the sites, the parameters and the stored current
series around the batch's times (twice the series' flat-line N periods either side, only
for series where the rate and flat-line checks apply), merges the batch in and checks each
(site, parameter, period) series: a cheap screen passes series that provably raise no flag
(``qc_stage_screen``), ``hub.qc.run_all`` judges the rest. Every record comes back
annotated, none is dropped; stored rows are never re-annotated (a revision is immutable),
so a stored value that later turns out to have been the middle of a spike keeps the flag it
got when it arrived.

Build the stage with :func:`build_qc_stage`; ``IngestPipeline`` does, so every ingest path
(REST push, HJ 212 receiver) runs it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, and_, or_, select, type_coerce
from sqlalchemy.orm import Session

from connectors.base import Connector
from hub.db.records import Observation
from hub.db.reference import Parameter, Site
from hub.observations.store import NormalRecord
from hub.qc import QcResult, run_all
from hub.qc.screen import certainly_clean
from hub.qc.stage_rules import (
    ParameterInfo,
    QcSite,
    annotate,
    context_span,
    is_dynamic,
    qc_error,
    rules_for,
    stored_context,
    to_point,
)

log = logging.getLogger("hub.qc")

SeriesKey = tuple[int, str, str]  # (site id, parameter code, period)
StoredRow = tuple[datetime, float | None, str]  # (period start, value, flag)
QcStage = Callable[[Session, list[NormalRecord], datetime], list[NormalRecord]]

_CLEAN = QcResult()


def _sites(session: Session, ids: set[int]) -> dict[int, QcSite]:
    stmt = select(Site.id, Site.code, Site.department_code, Site.targets).where(
        Site.id.in_(sorted(ids))
    )
    return {
        sid: QcSite(code, dept, targets if isinstance(targets, dict) else {})
        for sid, code, dept, targets in session.execute(stmt)
    }


def _parameters(session: Session, codes: set[str]) -> dict[str, ParameterInfo]:
    stmt = select(
        Parameter.code, Parameter.medium, Parameter.plausible_min, Parameter.plausible_max
    ).where(Parameter.code.in_(sorted(codes)))
    return {row[0]: ParameterInfo(*row) for row in session.execute(stmt)}


def _windows(
    groups: Mapping[SeriesKey, list[int]],
    records: Sequence[NormalRecord],
    params: Mapping[str, ParameterInfo],
) -> list[tuple[str, datetime, datetime, list[tuple[int, str]]]]:
    """(period, from, to, [(site, parameter)…]): series sharing a window share one clause.

    A real-time push gives every series the same window, hence one clause; a backfill of
    old data gets its own window instead of stretching everyone's.
    """
    shared: dict[tuple[str, datetime, datetime], list[tuple[int, str]]] = defaultdict(list)
    for (site_id, code, period), idx in groups.items():
        if not is_dynamic(period):
            continue
        times = [records[i].period_start for i in idx]
        info = params.get(code)
        span = context_span(period, code, info.medium if info else None)
        shared[(period, min(times) - span, max(times) + span)].append((site_id, code))
    return [(p, lo, hi, keys) for (p, lo, hi), keys in shared.items()]


def _stored(
    session: Session,
    groups: Mapping[SeriesKey, list[int]],
    records: Sequence[NormalRecord],
    params: Mapping[str, ParameterInfo],
) -> dict[SeriesKey, list[StoredRow]]:
    """Current stored points around the batch, for every series the dynamic checks judge."""
    o = Observation
    clauses = []
    for period, lo, hi, keys in _windows(groups, records, params):
        # Sites × parameters, not the exact pairs: a short statement the composite index
        # (site, parameter, time) answers directly; rows of other pairs are dropped below.
        clauses.append(
            and_(
                o.period == period,
                o.site_id.in_(sorted({k[0] for k in keys})),
                o.parameter_code.in_(sorted({k[1] for k in keys})),
                o.period_start >= lo,
                o.period_start <= hi,
            )
        )
    out: dict[SeriesKey, list[StoredRow]] = defaultdict(list)
    if not clauses:
        return out
    start: Any = o.period_start
    if session.get_bind().dialect.name == "postgresql":
        # psycopg returns aware datetimes itself: skip the UTC TypeDecorator's per-row call.
        start = type_coerce(o.period_start, DateTime(timezone=True))
    stmt = select(o.site_id, o.parameter_code, o.period, start, o.value, o.flag).where(
        o.is_current.is_(True), or_(*clauses)
    )
    # Core, not the ORM: thousands of plain rows, no entities to track.
    for site_id, code, period, start, value, flag in session.connection().execute(stmt).all():
        key = (site_id, code, period)
        if key in groups:
            # In UTC like the batch's times: comparing datetimes of one tzinfo is a memcmp.
            out[key].append((start.astimezone(UTC), value, flag))
    return out


def _check_series(
    key: SeriesKey,
    idx: list[int],
    records: Sequence[NormalRecord],
    stored: list[StoredRow],
    site: QcSite,
    info: ParameterInfo | None,
    department_range: tuple[float, float] | None,
    now: datetime,
) -> list[NormalRecord]:
    _, code, period = key
    rules = rules_for(site, code, period, info, department_range)
    batch = [records[i] for i in idx]
    context = stored_context([r.period_start for r in batch], stored)
    rows = [(r.period_start, r.value, r.flag) for r in batch] + context
    if certainly_clean(rows, period, rules, site.code, now):
        return [annotate(r, _CLEAN) for r in batch]
    series = [to_point(r.period_start, period, r.value, r.flag) for r in batch]
    series += [to_point(t, period, v, f) for t, v, f in context]
    results = run_all(series, rules, now, site=site.code)
    return [annotate(r, res) for r, res in zip(batch, results[: len(batch)], strict=True)]


def run_qc(
    session: Session,
    records: list[NormalRecord],
    now: datetime,
    connectors: Mapping[str, Connector],
) -> list[NormalRecord]:
    """Annotate ``records`` (one result per record, same order) with QC status and flags.

    Rules: the vocabulary's plausible range, narrowed by the pushing department's connector
    rule, replaced by ``targets.plausible`` of the site where set; rate per hour and
    flat-line N from the hub-default tables in ``qc_stage_rules``; device flags per HJ 212.
    """
    if not records:
        return []
    groups: dict[SeriesKey, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        groups[(r.site_id, r.parameter_code, r.period)].append(i)
    sites = _sites(session, {r.site_id for r in records})
    params = _parameters(session, {r.parameter_code for r in records})
    stored = _stored(session, groups, records, params)
    out: list[NormalRecord | None] = [None] * len(records)
    for key, idx in groups.items():
        site_id, code, _ = key
        site = sites.get(site_id) or QcSite(str(site_id), "", {})
        connector = connectors.get(site.department)
        rule = connector.parameters.get(code) if connector is not None else None
        try:
            checked = _check_series(
                key,
                idx,
                records,
                stored.get(key, []),
                site,
                params.get(code),
                rule.plausible if rule is not None else None,
                now,
            )
        except (ValueError, ArithmeticError) as exc:
            # A QC bug must not lose data: store the records, marked for review.
            log.exception("qc stage failed", extra={"site": site.code, "parameter": code})
            checked = [qc_error(records[i], f"quality control could not run: {exc}") for i in idx]
        for i, rec in zip(idx, checked, strict=True):
            out[i] = rec
    assert all(r is not None for r in out)
    return [r for r in out if r is not None]


def build_qc_stage(connectors: Mapping[str, Connector] | None = None) -> QcStage:
    """The QC stage for ``IngestPipeline.qc``: ``stage(session, records, now) -> records``.

    ``connectors`` (department → connector, default the registry) supply departments'
    narrower plausible ranges. ``IngestPipeline`` runs it by default::

        pipeline = IngestPipeline(qc=build_qc_stage(), after_commit=[...])
    """
    if connectors is None:
        from connectors.registry import REGISTRY

        connectors = REGISTRY
    table = connectors

    def stage(session: Session, records: list[NormalRecord], now: datetime) -> list[NormalRecord]:
        return run_qc(session, records, now, table)

    return stage
