"""Evaluate the next page of the observation feed: rules → lifecycle → alarms and events.

Runs inside the worker's transaction, which also holds the engine's state row and its
cursor, so alarms, events, deliveries and the new cursor commit together or not at all.
Only the current revision of an observation is judged: an item superseded by a later
revision is skipped (the later one comes further down the feed). A correction is judged
like any value and is also checked by the falsification detector (a value lowered after
an alarm was raised, or rewritten long after the fact).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.alarms import falsify
from hub.alarms.config import AlarmConfig
from hub.alarms.lookups import DbLookups, load_sites
from hub.alarms.rules import evaluate
from hub.alarms.store import AlarmWriter
from hub.alarms.types import Kind, Reading, RuleContext, RuleSite
from hub.assessments.validity import qc_invalid
from hub.db.alarms import Alarm
from hub.db.records import Observation, Submission
from hub.feed.observations import Cursor, FeedFilter, FeedRow, read_feed
from hub.qc import Correction
from hub.timeutil import parse_period

_SPAN_KINDS = (str(Kind.EXCEEDANCE), str(Kind.EMISSION))


def rule_context(config: AlarmConfig) -> RuleContext:
    return RuleContext(device_run=config.device_run, device_flags=config.device_flags)


def _reading(row: FeedRow, site: RuleSite) -> Reading:
    return Reading(
        site=site,
        parameter=row.parameter,
        time=row.time,
        period=timedelta(seconds=parse_period(row.period).approx_seconds),
        value=row.value,
        flag=row.flag or "N",
        unit=row.unit,
        qc_invalid=qc_invalid(row.qc_flags, row.qc_status),
    )


def evaluate_page(
    session: Session, cursor: str, config: AlarmConfig, writer: AlarmWriter
) -> tuple[int, str]:
    """Evaluate up to ``config.batch_size`` feed rows after ``cursor``.

    Returns how many rows were read and the cursor to store (the caller commits).
    """
    rows, nxt = read_feed(session, Cursor.decode(cursor), config.batch_size, FeedFilter())
    if not rows:
        return 0, nxt.encode()
    # One site lookup per page, by id: the feed leaves the sites' targets out of its rows.
    sites = load_sites(session, ids={row.site_id for row in rows})
    readings = [
        (row, _reading(row, sites[row.site_id]))
        for row in rows
        if row.is_current  # superseded: its later revision comes further down the feed
    ]
    # Data-time order within a page, so a page holding a bad and a later good value
    # behaves like the two arriving one after the other.
    readings.sort(key=lambda pair: pair[1].time)
    lookups = DbLookups(session)
    lookups.prefetch_hours((r.site.id, r.time) for _, r in readings if r.site.medium == "air")
    context = rule_context(config)
    judged = [(r.site, v) for _, r in readings for v in evaluate(r, lookups, context)]
    writer.load_open((s.id, v.parameter, str(v.kind)) for s, v in judged)
    for site, verdict in judged:
        writer.apply(site, verdict)
    for row, r in readings:
        if row.revision > 1:
            check_correction(session, writer, lookups, r, row)
    return len(rows), nxt.encode()


def check_correction(
    session: Session, writer: AlarmWriter, lookups: DbLookups, r: Reading, row: FeedRow
) -> None:
    """Run the correction detector on a new revision; a finding opens a falsification alarm."""
    limit = falsify.series_limit(r.site, r.parameter, r.time, lookups)
    if limit is None:
        return
    o = Observation
    old = session.scalar(
        select(o.value).where(
            o.site_id == r.site.id,
            o.parameter_code == r.parameter,
            o.period_start == r.time,
            o.period == row.period,
            o.revision == row.revision - 1,
        )
    )
    received = session.scalar(
        select(Submission.received_at).where(Submission.id == row.submission)
    )
    if received is None:
        return
    spans = falsify.alarm_spans(alarm_spans(session, r.site.id, r.parameter))
    correction = Correction(r.time, old, r.value, received)
    for flag in falsify.correction_flags([correction], spans, limit):
        writer.apply(r.site, falsify.finding(r.parameter, flag, limit, r.value, r.time))


def alarm_spans(
    session: Session, site_id: int, parameter: str, since: datetime | None = None
) -> list[tuple[datetime, datetime, datetime]]:
    """(start, end, opened_at) of the exceedance and emission alarms of one series."""
    stmt = select(Alarm.start_at, Alarm.end_at, Alarm.opened_at).where(
        Alarm.site_id == site_id, Alarm.parameter == parameter, Alarm.kind.in_(_SPAN_KINDS)
    )
    if since is not None:
        stmt = stmt.where(Alarm.end_at >= since)
    return [(s, e, o) for s, e, o in session.execute(stmt)]
