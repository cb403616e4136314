"""The gap scan: missing periods of a connected logger's site become history requests.

For a connected logger whose site's network has an ``expected_interval_seconds``,
the site's current observations of exactly that period (PT1H for hourly networks) over a
recent window are checked with ``hub.qc.find_gaps``; each gap (at most a few per scan) becomes
a request for that period's command (2061 hourly, 2031 daily, 2051 below an hour), unless a
request covering it was made recently. The window starts no earlier than the device's
registration: older data was never expected from it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.db.hj212 import Hj212BackfillRequest
from hub.db.records import Observation
from hub.hj212.backfill import BackfillConfig, queue_backfill
from hub.hj212.convert import DeviceProfile
from hub.qc import Point, find_gaps
from hub.timeutil import LOCAL_TZ, IsoDuration


def history_cn(interval_seconds: int) -> str:
    """The upload command whose periods match a network's expected interval."""
    if interval_seconds >= 86400:
        return "2031"
    return "2061" if interval_seconds >= 3600 else "2051"


def align(t: datetime, interval: timedelta, *, up: bool = False) -> datetime:
    """``t`` floored (or ceiled) to the interval grid of local (UTC+8) time."""
    local = t.astimezone(LOCAL_TZ)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    steps, rest = divmod(local - midnight, interval)
    if up and rest:
        steps += 1
    return (midnight + steps * interval).astimezone(UTC)


def scan_device_gaps(
    session: Session, profile: DeviceProfile, now: datetime, config: BackfillConfig
) -> list[dict[str, Any]]:
    """Queue requests for the device's recent gaps; return the requests queued."""
    if not profile.expected_interval_seconds:
        return []
    interval = timedelta(seconds=profile.expected_interval_seconds)
    start = align(max(now - config.lookback, profile.created_at), interval, up=True)
    end = align(now - config.settle, interval)
    if end <= start:
        return []
    period = IsoDuration(0, profile.expected_interval_seconds).iso
    times = session.scalars(
        select(Observation.period_start)
        .distinct()
        .where(
            Observation.site_id == profile.site_id,
            Observation.period == period,
            Observation.is_current.is_(True),
            Observation.value.is_not(None),
            Observation.period_start >= start,
            Observation.period_start < end,
        )
    )
    points = [Point(time=t, period=interval, value=1.0) for t in times]
    gaps = find_gaps(points, interval, start, end)[-config.max_gaps_per_device :]
    cn = history_cn(profile.expected_interval_seconds)
    queued = []
    for gap in gaps:
        last = gap.end - interval  # BeginTime/EndTime are DataTimes, both inclusive
        if _recently_requested(session, profile.mn, cn, gap.start, last, now - config.retry_after):
            continue
        queued.append(
            queue_backfill(
                session, mn=profile.mn, cn=cn, begin=gap.start, end=last, origin="gap-scan", now=now
            )
        )
    return queued


def _recently_requested(
    session: Session, mn: str, cn: str, begin: datetime, end: datetime, since: datetime
) -> bool:
    R = Hj212BackfillRequest
    return (
        session.scalar(
            select(R.id)
            .where(
                R.mn == mn,
                R.cn == cn,
                R.begin_time <= begin,
                R.end_time >= end,
                R.created_at >= since,
            )
            .limit(1)
        )
        is not None
    )
