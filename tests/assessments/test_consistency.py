"""One answer per question: the API, the open-data producers and the alarm rules agree.

Each case stores data through the hub's own services, asks the public API, runs every
catalogue producer that covers the same hours or days on the same database, and runs the
alarm rule on the same readings — and compares what a user would read in each.

Air: local day D and the day before it, the six pollutants at a steady low level except
PM2.5, which is 250 µg/m³ from 00:00 to 11:00 on D and 10 µg/m³ otherwise. On a day
under HJ 633-2012 the afternoon's hourly AQI stays high through the PM2.5 moving 24-hour
mean: at 14:00 the 24 hours 15:00 D−1 … 14:00 D hold twelve polluted hours and twelve
clean ones, mean (12·250 + 12·10)/24 = 130 µg/m³ → IAQI 150 + 50/35·(130 − 115) = 171.4
→ 172, level 4 (an alarm). HJ 633-2026 (from 2026-03-01) has no moving means: at 14:00
only the 1-hour values count and the AQI is low.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from catalogue.directory import load_directory
from catalogue.producers import produce
from hub.alarms.lookups import DbLookups, load_sites
from hub.alarms.targets import air_quality
from hub.alarms.targets import noise as noise_rule
from hub.alarms.types import Reading, RuleContext
from hub.timeutil import LOCAL_TZ, iso_utc, local_day_bounds
from tests.support.data import store

pytestmark = pytest.mark.postgres
H = timedelta(hours=1)
STATION = "YJ-AIR-C01"  # the only station of county 441702 with data here
STEADY = {"a21026": 10.0, "a21004": 20.0, "a21005": 0.5, "a05024": 50.0, "a34002": 40.0}
PM25 = "a34004"


def polluted_morning(day: date) -> list[tuple[str, str, datetime, str, float]]:
    """The day before ``day`` clean, then PM2.5 250 µg/m³ until 11:00 and 10 after."""
    start = local_day_bounds(day)[0] - 24 * H
    rows = []
    for k in range(48):
        at = start + k * H
        rows += [(STATION, code, at, "PT1H", v) for code, v in STEADY.items()]
        rows.append((STATION, PM25, at, "PT1H", 250.0 if 24 <= k < 36 else 10.0))
    return rows


def entry_rows(
    db: sessionmaker[Session], entry_id: str, start: datetime, end: datetime
) -> list[Any]:
    entry = load_directory().get(entry_id)
    assert entry is not None
    with db() as s:
        return list(produce(s, entry, start, end).rows)


def na(aqi: Any) -> Any:
    return None if aqi == "NA" else aqi


def alarm_aqis(db: sessionmaker[Session], day: date) -> dict[str, int | None]:
    """The alarm rule's hourly AQI (None: no verdict, "NA") for every hour of the day,
    looked up the way the alarm engine does: one prefetch for the whole batch."""
    start = local_day_bounds(day)[0]
    hours = [start + k * H for k in range(24)]
    with db() as s:
        site = load_sites(s, codes_=[STATION])[STATION]
        lookups = DbLookups(s)
        lookups.prefetch_hours((site.id, h) for h in hours)
        out = {}
        for h in hours:
            reading = Reading(site, PM25, h, H, None, "N", "ug/m3")
            verdict = air_quality(reading, lookups, RuleContext())
            out[iso_utc(h)] = None if verdict is None else int(verdict.value or 0)
    return out


@pytest.mark.parametrize(
    ("day", "edition", "aqi_at_14"),
    [
        (date(2025, 11, 10), "HJ 633-2012", 172),  # the PM2.5 moving mean keeps it high
        (date(2026, 2, 28), "HJ 633-2012", 172),
        (date(2026, 3, 1), "HJ 633-2026", None),  # no moving means: only the hour counts
    ],
)
def test_hourly_and_daily_aqi_agree_everywhere(
    client: Any, db: sessionmaker[Session], day: date, edition: str, aqi_at_14: int | None
) -> None:
    store(db, polluted_morning(day))
    body = client.get("/api/v1/air/aqi", params={"site": STATION, "date": day.isoformat()}).json()
    api = {h["time"]: na(h["aqi"]) for h in body["hourly"]}
    assert {h["edition"] for h in body["hourly"]} == {edition}

    start, end = local_day_bounds(day)
    hourly = entry_rows(db, "air-aqi-hourly", start, end)
    published = {r["time"]: r["aqi"] for r in hourly if r["site"] == STATION}
    assert published == api  # the open-data window is the day: no row from the day before
    assert alarm_aqis(db, day) == api

    at_14 = iso_utc(datetime(day.year, day.month, day.day, 14, tzinfo=LOCAL_TZ))
    if aqi_at_14 is not None:
        assert api[at_14] == aqi_at_14
    else:
        assert api[at_14] is not None and api[at_14] <= 50

    daily = {r["day"]: r for r in entry_rows(db, "air-aqi-daily", start, end)}
    assert daily[day.isoformat()]["aqi"] == na(body["daily"]["aqi"])
    assert daily[day.isoformat()]["edition"] == body["daily"]["edition"]


def test_county_good_days_follow_the_daily_aqi(client: Any, db: sessionmaker[Session]) -> None:
    day = date(2025, 11, 10)
    store(db, polluted_morning(day))
    daily = [
        na(client.get("/api/v1/air/aqi", params={"site": STATION, "date": d.isoformat()})
           .json()["daily"]["aqi"])
        for d in (day - timedelta(days=1), day)
    ]
    start, end = local_day_bounds(day)
    (row,) = [r for r in entry_rows(db, "county-assessment", start, end) if r["county"] == "441702"]
    assert row["air_days"] == sum(a is not None for a in daily)
    assert row["good_air_days"] == sum(a is not None and a <= 100 for a in daily)


# --- Noise: YJ-NZ-01, zone 1 (day 55, night 45 dB(A)) ------------------------------------


def local(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ) + hour * H


def noise_answers(
    client: Any, db: sessionmaker[Session], site: str, day: date
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The API's document and the open-data rows (by day part) for one site and day."""
    body = client.get("/api/v1/noise/compliance", params={"site": site, "date": day.isoformat()})
    assert body.status_code == 200, body.text
    start, end = local_day_bounds(day)
    rows = {
        r["day_part"]: r
        for r in entry_rows(db, "noise-functional-zones", start, end)
        if r["site"] == site and r["day"] == day.isoformat()
    }
    return body.json(), rows


def test_a_night_crossing_midnight_is_one_night(client: Any, db: sessionmaker[Session]) -> None:
    day = date(2026, 11, 3)
    # The night of the 3rd: 22:00 and 23:00 on the 3rd, 00:00–05:00 on the 4th (44 dB(A)),
    # one loud hour at 02:00 (50). Hours 00:00–05:00 on the 3rd are the night of the 2nd.
    quiet = (22, 23, 24, 25, 27, 28, 29)
    rows = [("YJ-NZ-01", "n_leq", local(day, h), "PT1H", 44.0) for h in quiet]
    rows.append(("YJ-NZ-01", "n_leq", local(day, 26), "PT1H", 50.0))
    rows += [("YJ-NZ-01", "n_leq", local(day, h), "PT1H", 70.0) for h in range(6)]
    store(db, rows)
    api, published = noise_answers(client, db, "YJ-NZ-01", day)
    night = api["night"]
    # 10·lg((7·10^4.4 + 10^5.0)/8) = 10·lg(34 479) = 45.375 → 45.4 > 45: fails. Counting
    # the 70 dB(A) hours of the 3rd's early morning instead would give about 66.
    assert (night["hours"], night["leq"], night["compliant"]) == (8, 45.4, False)
    row = published["night"]
    assert (row["hours"], row["leq"], row["limit"], row["compliant"]) == (
        night["hours"], night["leq"], night["limit"], night["compliant"])
    assert "day" not in published and api["day"]["compliant"] is None


@pytest.mark.parametrize(
    ("leq", "rounded", "compliant"),
    [
        (55.0075, 55.0, True),
        # GB/T 8170 rounds half to even: 55.05 → 55.0 (complies), 55.15 → 55.2.
        (55.05, 55.0, True),
        (55.06, 55.1, False),
        (55.15, 55.2, False),
    ],
)
def test_values_rounding_onto_the_limit(
    client: Any, db: sessionmaker[Session], leq: float, rounded: float, compliant: bool
) -> None:
    day = date(2026, 11, 4)
    store(db, [("YJ-NZ-01", "n_leq", local(day, h), "PT1H", leq) for h in range(6, 22)])
    api, published = noise_answers(client, db, "YJ-NZ-01", day)
    assert (api["day"]["leq"], api["day"]["compliant"]) == (rounded, compliant)
    assert (published["day"]["leq"], published["day"]["compliant"]) == (rounded, compliant)
    with db() as s:
        site = load_sites(s, codes_=["YJ-NZ-01"])["YJ-NZ-01"]
        reading = Reading(site, "n_leq", local(day, 10).astimezone(UTC), H, leq, "N", "dB(A)")
        verdict = noise_rule(reading, DbLookups(s), RuleContext())
    assert verdict is not None and verdict.breach is not compliant
