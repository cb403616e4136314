"""Missing data: scan the clocked networks and keep one DataGap row per gap.

A network with ``expected_interval_seconds`` promises a value per parameter per slot
(slots are aligned on local midnight, so hourly slots are whole hours). ``scan_gaps``
looks at the slots of the last ``window`` that are due — a slot is due one interval after
it ends, the time data takes to arrive — for every active site of such a network and
every parameter the site reported in the window or has an open gap for. Nothing is
expected of a parameter a site never reported.

Re-scans are idempotent: an open gap that still reaches the end of the scan is extended;
one that data has arrived after is closed (``data_arrived``); one that late data filled
entirely is closed (``backfilled``); closed gaps are history and never change. A gap found
at the very start of the window continues an existing gap when there is one; otherwise it
is recorded only if the series has data from before the window (a new site's first
report is not a gap).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from hub.db.qc import DataGap
from hub.db.records import Observation
from hub.db.reference import Network, Parameter, Site
from hub.errors import FieldError, NotFound
from hub.paging import PageRequest, paginate
from hub.qc import Gap, Point, find_gaps
from hub.timeutil import LOCAL_TZ, iso_utc, parse_period

_EPOCH = datetime(2000, 1, 1, tzinfo=LOCAL_TZ)  # slots align on local midnight


@dataclass
class ScanResult:
    """What one scan did."""

    series: int = 0
    opened: int = 0
    extended: int = 0
    closed: int = 0
    open_total: int = 0
    window: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "series": self.series,
            "opened": self.opened,
            "extended": self.extended,
            "closed": self.closed,
            "open_total": self.open_total,
            "window": self.window,
        }


def _align(t: datetime, interval: timedelta) -> datetime:
    return t - (t - _EPOCH) % interval


def _fills_slot(period: str, interval: timedelta) -> bool:
    # A daily mean does not fill an hourly slot; minute, hourly and instant values do.
    p = parse_period(period)
    return p.months == 0 and p.seconds <= interval.total_seconds()


def _clocked_sites(session: Session) -> dict[int, int]:
    """site id → expected interval (seconds) for active sites of clocked networks."""
    stmt = (
        select(Site.id, Network.expected_interval_seconds)
        .join(Network, Network.code == Site.network_code)
        .where(Site.status == "active", Network.expected_interval_seconds.is_not(None))
    )
    return {sid: int(sec) for sid, sec in session.execute(stmt) if sec and sec > 0}


def _has_earlier(session: Session, site_id: int, code: str, before: datetime) -> bool:
    o = Observation
    stmt = (
        select(o.id)
        .where(o.site_id == site_id, o.parameter_code == code, o.period_start < before)
        .limit(1)
    )
    return session.scalar(stmt) is not None


def _slots(gap_start: datetime, gap_end: datetime, interval: timedelta) -> int:
    whole, rest = divmod(gap_end - gap_start, interval)
    return max(1, whole + (1 if rest else 0))


def _reconcile(
    session: Session,
    key: tuple[int, str],
    found: Sequence[Gap],
    rows: list[DataGap],
    bounds: tuple[datetime, datetime],
    interval: timedelta,
    now: datetime,
    result: ScanResult,
) -> None:
    site_id, code = key
    start, end = bounds
    matched: set[int] = set()
    for gap in found:
        overlapping = [r for r in rows if r.start <= gap.end and r.end >= gap.start]
        open_row = next((r for r in overlapping if r.closed_at is None), None)
        if open_row is not None:
            matched.add(id(open_row))
            open_row.start = min(open_row.start, gap.start)
            # An open gap's end is provisional ("until now"): the scan says where it stops.
            open_row.end = gap.end
            open_row.missing = _slots(open_row.start, open_row.end, interval)
            open_row.interval_seconds = int(interval.total_seconds())
            open_row.updated_at = now
            if gap.end < end:
                open_row.closed_at, open_row.closed_reason = now, "data_arrived"
                result.closed += 1
            else:
                result.extended += 1
            continue
        covered = max((r.end for r in overlapping), default=None)
        new_start = gap.start if covered is None else max(gap.start, covered)
        if new_start >= gap.end:
            continue  # already recorded (and closed)
        if new_start == start and not _has_earlier(session, site_id, code, start):
            continue  # the series starts inside the window: not a gap
        closed = gap.end < end
        row = DataGap(
            site_id=site_id,
            parameter_code=code,
            start=new_start,
            end=gap.end,
            missing=_slots(new_start, gap.end, interval),
            interval_seconds=int(interval.total_seconds()),
            detected_at=now,
            updated_at=now,
            closed_at=now if closed else None,
            closed_reason="data_arrived" if closed else None,
        )
        session.add(row)
        rows.append(row)
        matched.add(id(row))
        result.opened += 1
    for r in rows:
        if r.closed_at is None and id(r) not in matched:
            # Inside the scanned span late data filled it; at its edge, data came after it.
            reason = "backfilled" if r.end > start else "data_arrived"
            r.closed_at, r.closed_reason, r.updated_at = now, reason, now
            result.closed += 1


def scan_gaps(session: Session, now: datetime, window: timedelta) -> ScanResult:
    """Create, extend and close DataGap rows for the due slots of the last ``window``.

    Runs in the caller's transaction; safe to repeat (idempotent) and to run from cron.
    Open gaps of sites that are no longer active (or no longer on a clock) are closed.
    """
    sites = _clocked_sites(session)
    result = ScanResult()
    by_interval: dict[int, list[int]] = defaultdict(list)
    for sid, sec in sites.items():
        by_interval[sec].append(sid)
    for sec, site_ids in sorted(by_interval.items()):
        interval = timedelta(seconds=sec)
        end = _align(now - interval, interval)
        start = _align(now - window, interval)
        if end <= start:
            continue
        result.window[str(sec)] = f"{iso_utc(start)}/{iso_utc(end)}"
        _scan_interval(session, site_ids, (start, end), interval, now, result)
    orphans = select(DataGap).where(DataGap.closed_at.is_(None))
    if sites:
        orphans = orphans.where(DataGap.site_id.not_in(sorted(sites)))
    for row in session.scalars(orphans):
        row.closed_at, row.closed_reason, row.updated_at = now, "not_expected", now
        result.closed += 1
    session.flush()
    result.open_total = (
        session.scalar(select(func.count()).select_from(DataGap).where(DataGap.closed_at.is_(None)))
        or 0
    )
    return result


def _points(
    session: Session,
    site_ids: list[int],
    bounds: tuple[datetime, datetime],
    interval: timedelta,
    parameter: str | None = None,
) -> dict[tuple[int, str], list[Point]]:
    o = Observation
    stmt = select(o.site_id, o.parameter_code, o.period, o.period_start, o.value).where(
        o.site_id.in_(site_ids),
        o.is_current.is_(True),
        o.period_start >= bounds[0],
        o.period_start < bounds[1],
        o.value.is_not(None),
    )
    if parameter is not None:
        stmt = stmt.where(o.parameter_code == parameter)
    out: dict[tuple[int, str], list[Point]] = defaultdict(list)
    for site_id, code, period, t, value in session.execute(stmt):
        if _fills_slot(period, interval):
            out[(site_id, code)].append(Point(t, interval, value))
    return out


def _scan_interval(
    session: Session,
    site_ids: list[int],
    bounds: tuple[datetime, datetime],
    interval: timedelta,
    now: datetime,
    result: ScanResult,
) -> None:
    start, end = bounds
    points = _points(session, site_ids, bounds, interval)
    gap_rows: dict[tuple[int, str], list[DataGap]] = defaultdict(list)
    existing = select(DataGap).where(
        DataGap.site_id.in_(site_ids),
        or_(DataGap.closed_at.is_(None), DataGap.end >= start),
    )
    for row in session.scalars(existing):
        gap_rows[(row.site_id, row.parameter_code)].append(row)
    for key in sorted(set(points) | set(gap_rows)):
        result.series += 1
        series = points.get(key, [])
        series_start = start
        open_end = min((r.end for r in gap_rows[key] if r.closed_at is None), default=None)
        if open_end is not None and open_end < start:
            # Scans stopped for longer than the window: catch this gap up from its end.
            series_start = _align(open_end, interval)
            earlier = _points(session, [key[0]], (series_start, start), interval, key[1])
            series = earlier.get(key, []) + series
        found = find_gaps(series, interval, series_start, end)
        _reconcile(session, key, found, gap_rows[key], (series_start, end), interval, now, result)


def gap_doc(gap: DataGap, site_code: str) -> dict[str, Any]:
    return {
        "id": gap.id,
        "site": site_code,
        "parameter": gap.parameter_code,
        "start": iso_utc(gap.start),
        "end": iso_utc(gap.end),
        "missing": gap.missing,
        "interval_seconds": gap.interval_seconds,
        "open": gap.closed_at is None,
        "detected_at": iso_utc(gap.detected_at),
        "updated_at": iso_utc(gap.updated_at),
        "closed_at": iso_utc(gap.closed_at) if gap.closed_at else None,
        "closed_reason": gap.closed_reason,
    }


def list_gaps(
    session: Session,
    page: PageRequest,
    *,
    site: str | None = None,
    parameter: str | None = None,
    open_only: bool | None = None,
) -> dict[str, Any]:
    """DataGap rows, newest first; ``open_only`` True: open gaps, False: closed ones."""
    stmt = select(DataGap, Site.code).join(Site, Site.id == DataGap.site_id)
    if site is not None:
        site_id = session.scalar(select(Site.id).where(Site.code == site))
        if site_id is None:
            raise NotFound(
                f"no site with code '{site}'",
                errors=[FieldError("query.site", "unknown site", "unknown")],
            )
        stmt = stmt.where(DataGap.site_id == site_id)
    if parameter is not None:
        if session.get(Parameter, parameter) is None:
            raise NotFound(
                f"no parameter with code '{parameter}'",
                errors=[FieldError("query.parameter", "unknown parameter", "unknown")],
            )
        stmt = stmt.where(DataGap.parameter_code == parameter)
    if open_only is True:
        stmt = stmt.where(DataGap.closed_at.is_(None))
    elif open_only is False:
        stmt = stmt.where(DataGap.closed_at.is_not(None))
    stmt = stmt.order_by(DataGap.start.desc(), Site.code, DataGap.parameter_code, DataGap.id)
    return paginate(session, stmt, page, lambda r: gap_doc(r[0], r[1]))
