"""Periodic checks that are about time passing rather than one new value.

Missing data: every open ``DataGap`` (QC's record of expected data that did not arrive)
opens or extends a missing-data alarm for its site and parameter; the alarm closes when
no gap of that key is open any more. Suspected falsification: the ``hub.qc`` detectors
run over the last ``falsification_window`` of current data; an alarm closes when its key
is no longer flagged anywhere in the window.
"""

from __future__ import annotations

import itertools
import logging
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub.alarms import falsify
from hub.alarms.config import AlarmConfig
from hub.alarms.engine import alarm_spans
from hub.alarms.lookups import DbLookups, load_sites
from hub.alarms.store import AlarmWriter
from hub.alarms.types import Kind, RuleSite, Status, Verdict
from hub.db.alarms import Alarm
from hub.db.records import Observation, Submission
from hub.db.reference import Network, Site
from hub.qc import Correction, Point
from hub.timeutil import parse_period

log = logging.getLogger("hub.alarms")
Series = dict[tuple[int, str], list[Point]]


def _gap_model() -> Any:
    # QC's gap table belongs to another feature; until it exists there is nothing to sweep.
    try:
        from hub.db import qc
    except ImportError:
        return None
    return getattr(qc, "DataGap", None)


def _open_alarms(session: Session, kind: Kind) -> list[Alarm]:
    stmt = select(Alarm).where(Alarm.kind == str(kind), Alarm.status != str(Status.CLOSED))
    return list(session.scalars(stmt.with_for_update()))


def _close_unflagged(
    session: Session, writer: AlarmWriter, kind: Kind, flagged: set[tuple[int, str]], why: str
) -> None:
    for alarm in _open_alarms(session, kind):
        if (alarm.site_id, alarm.parameter) not in flagged:
            writer.close(alarm, why)


def sweep_gaps(session: Session, writer: AlarmWriter) -> int:
    """Missing-data alarms from open gaps; returns how many keys have open gaps."""
    gap = _gap_model()
    if gap is None:
        return 0
    stmt = (
        select(
            gap.site_id,
            gap.parameter_code,
            func.min(gap.start),
            func.max(gap.end),
            func.sum(gap.missing),
        )
        .where(gap.closed_at.is_(None))
        .group_by(gap.site_id, gap.parameter_code)
    )
    rows = session.execute(stmt).all()
    sites = load_sites(session, ids={r[0] for r in rows})
    writer.load_open((r[0], r[1], str(Kind.MISSING_DATA)) for r in rows)
    for site_id, parameter, start, end, missing in rows:
        verdict = Verdict(
            rule="qc_gap",
            kind=Kind.MISSING_DATA,
            parameter=parameter,
            breach=True,
            at=start,
            end=end,
            value=float(missing),
            target="no gap in expected data",
            detail={"missing": int(missing)},
        )
        writer.apply(sites[site_id], verdict)
    _close_unflagged(
        session,
        writer,
        Kind.MISSING_DATA,
        {(r[0], r[1]) for r in rows},
        "no open gap: data arrived",
    )
    return len(rows)


def _series(session: Session, since: datetime) -> tuple[Series, dict[int, str]]:
    """Current values since ``since``, as QC points by (site id, parameter)."""
    o = Observation
    stmt = (
        select(
            o.site_id,
            o.parameter_code,
            o.period_start,
            o.period,
            o.value,
            o.flag,
            o.revision,
            Submission.received_at,
            Network.expected_interval_seconds,
            Site.network_code,
        )
        .join(Submission, Submission.id == o.submission_id)
        .join(Site, Site.id == o.site_id)
        .join(Network, Network.code == Site.network_code)
        .where(o.is_current.is_(True), o.period_start >= since)
        .order_by(o.site_id, o.parameter_code, o.period_start)
    )
    series: Series = defaultdict(list)
    continuous: dict[int, str] = {}
    for sid, code, start, period, value, flag, rev, received, interval, network in session.execute(
        stmt
    ):
        seconds = max(1, parse_period(period).approx_seconds)
        series[(sid, code)].append(
            Point(start, timedelta(seconds=seconds), value, flag, rev, received)
        )
        if interval:
            continuous[sid] = network
    return series, continuous


def _corrections(session: Session, since: datetime) -> dict[tuple[int, str], list[Correction]]:
    """Corrections received since ``since`` (of data of any age: back-dating is the point)."""
    o, prev = Observation, Observation.__table__.alias("prev")
    same_key = (
        (prev.c.site_id == o.site_id)
        & (prev.c.parameter_code == o.parameter_code)
        & (prev.c.period_start == o.period_start)
        & (prev.c.period == o.period)
        & (prev.c.revision == o.revision - 1)
    )
    stmt = (
        select(
            o.site_id,
            o.parameter_code,
            o.period_start,
            prev.c.value,
            o.value,
            Submission.received_at,
        )
        .join(Submission, Submission.id == o.submission_id)
        .join(prev, same_key)
        .where(o.is_current.is_(True), o.revision > 1, Submission.received_at >= since)
    )
    out: dict[tuple[int, str], list[Correction]] = defaultdict(list)
    for sid, code, start, old, new, received in session.execute(stmt):
        out[(sid, code)].append(Correction(start, old, new, received))
    return out


def sweep_falsification(
    session: Session, writer: AlarmWriter, config: AlarmConfig, now: datetime
) -> int:
    """Run the falsification detectors over the window; returns how many keys are flagged."""
    since = now - config.falsification_window
    series, continuous = _series(session, since)
    corrections = _corrections(session, since)
    sites = load_sites(session, ids={k[0] for k in series} | {k[0] for k in corrections})
    lookups = DbLookups(session)
    found: dict[tuple[int, str], list[Verdict]] = defaultdict(list)
    for sid, code in set(series) | set(corrections):
        points, fixes = series.get((sid, code), []), corrections.get((sid, code), [])
        latest = points[-1].time if points else max(c.time for c in fixes)
        limit = falsify.series_limit(sites[sid], code, latest, lookups)
        if limit is None:
            continue
        spans = falsify.alarm_spans(alarm_spans(session, sid, code))
        flags = falsify.correction_flags(fixes, spans, limit)
        if points:
            flags += falsify.series_flags(points, limit, [(s.start, s.end) for s in spans])
        found[(sid, code)].extend(falsify.finding(code, f, limit, None, now) for f in flags)
    _pairs(series, continuous, sites, found, now)
    flagged = {key for key, verdicts in found.items() if verdicts}
    writer.load_open((sid, code, str(Kind.FALSIFICATION)) for sid, code in flagged)
    for (sid, _code), verdicts in found.items():
        for verdict in verdicts:
            writer.apply(sites[sid], verdict)
    hours = config.falsification_window_hours
    _close_unflagged(
        session,
        writer,
        Kind.FALSIFICATION,
        flagged,
        f"no detector flags this series in the last {hours:g} h",
    )
    return len(flagged)


def _pairs(
    series: Series,
    continuous: dict[int, str],
    sites: dict[Any, RuleSite],
    found: dict[tuple[int, str], list[Verdict]],
    now: datetime,
) -> None:
    """Identical series between sites of the same continuous network and parameter."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for sid, code in series:
        if sid in continuous:
            groups[(continuous[sid], code)].append(sid)
    for (_network, code), sids in groups.items():
        for a, b in itertools.combinations(sorted(sids), 2):
            fa, fb = falsify.pair_flags(
                series[(a, code)], series[(b, code)], sites[a].code, sites[b].code
            )
            found[(a, code)].extend(falsify.finding(code, f, None, None, now) for f in fa)
            found[(b, code)].extend(falsify.finding(code, f, None, None, now) for f in fb)
