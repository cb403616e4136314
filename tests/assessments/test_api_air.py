"""GET /air/aqi and /air/aqi/latest against hand-computed HJ 633 cases (both editions).

A day of hourly values alternating between two levels (even local hours the first, odd the
second), so every 24-hour mean and every 8-hour O3 window mean is the midpoint:

    PM2.5 70/80 → 75   PM10 100/120 → 110   SO2 10/20 → 15   NO2 30/50 → 40
    CO 0.8/1.2 → 1.0   O3 80/100 → 8-hour max 90, 1-hour max 100

HJ 633-2026 (from 2026-03-01), daily IAQI:
    PM2.5 75: 100 + 50/(115−60)·(75−60) = 113.6 → 114     PM10 110: 50 + 50/70·60 = 92.9 → 93
    SO2 15 → 15   NO2 40 → 50   CO 1.0 → 25   O3 8h 90 → 45          AQI 114, PM2.5, level 3
HJ 633-2012 (to 2026-02-28), daily IAQI:
    PM2.5 75 → 100 (its breakpoint)   PM10 110: 50 + 50/100·60 = 80   O3 1h 100 → 31.25 → 32
    the rest as above                                                 AQI 100, PM2.5, level 2
Hour 00:00 local on a 2026 day (PM2.5 70, PM10 100, SO2 10, NO2 30, CO 0.8, O3 80):
    PM2.5 100 + 50/55·10 = 109.1 → 110, PM10 85.7 → 86, SO2 3.3 → 4, NO2 15, CO 8, O3 25
                                                                      AQI 110, PM2.5
"""

from datetime import UTC, date, datetime, timedelta

import pytest

from hub.ingest.submissions import new_submission
from hub.observations.store import NormalRecord, store_records
from hub.timeutil import local_day_bounds
from tests.support.data import site_id, store

pytestmark = pytest.mark.postgres
H = timedelta(hours=1)
LEVELS = {
    "a34004": (70.0, 80.0),
    "a34002": (100.0, 120.0),
    "a21026": (10.0, 20.0),
    "a21004": (30.0, 50.0),
    "a21005": (0.8, 1.2),
    "a05024": (80.0, 100.0),
}


def day_rows(site: str, day: date, hours=range(24)) -> list[tuple]:
    start = local_day_bounds(day)[0]
    return [
        (site, code, start + h * H, "PT1H", pair[h % 2])
        for code, pair in LEVELS.items()
        for h in hours
    ]


def get(client, **params):
    return client.get("/api/v1/air/aqi", params=params)


def test_daily_aqi_2026_edition(client, db) -> None:
    store(db, day_rows("YJ-AIR-C01", date(2026, 11, 1)))
    r = get(client, site="YJ-AIR-C01", date="2026-11-01")  # no token needed
    assert r.status_code == 200, r.text
    body = r.json()
    daily = body["daily"]
    assert daily["aqi"] == 114
    assert daily["edition"] == "HJ 633-2026"
    assert daily["level"] == {
        "level": 3,
        "zh": "轻度污染",
        "en": "light pollution",
        "colour": "#FF7E00",
    }
    assert daily["primary_pollutants"] == [{"code": "a34004", "name": "PM2.5", "indicator": "24h"}]
    iaqi = {(i["name"], i["indicator"]): i["iaqi"] for i in daily["iaqi"]}
    assert iaqi == {
        ("SO2", "24h"): 15,
        ("NO2", "24h"): 50,
        ("CO", "24h"): 25,
        ("O3", "8h"): 45,
        ("PM10", "24h"): 93,
        ("PM2.5", "24h"): 114,
    }
    assert daily["valid_hours"]["PM2.5"] == 24
    assert body["site"]["code"] == "YJ-AIR-C01"

    hours = body["hourly"]
    assert len(hours) == 24
    first = hours[0]
    assert first["time"] == "2026-10-31T16:00:00Z"
    assert first["local_time"] == "2026-11-01T00:00:00+08:00"
    assert first["aqi"] == 110 and first["edition"] == "HJ 633-2026"
    assert [p["name"] for p in first["primary_pollutants"]] == ["PM2.5"]
    assert {i["name"]: i["iaqi"] for i in first["iaqi"]} == {
        "SO2": 4,
        "NO2": 15,
        "CO": 8,
        "O3": 25,
        "PM10": 86,
        "PM2.5": 110,
    }


def test_same_concentrations_either_side_of_the_edition_change(client, db) -> None:
    store(db, day_rows("YJ-AIR-C01", date(2026, 2, 28)) + day_rows("YJ-AIR-C01", date(2026, 3, 1)))
    before = get(client, site="YJ-AIR-C01", date="2026-02-28").json()["daily"]
    after = get(client, site="YJ-AIR-C01", date="2026-03-01").json()["daily"]
    assert (before["edition"], before["aqi"], before["level"]["level"]) == ("HJ 633-2012", 100, 2)
    assert (after["edition"], after["aqi"], after["level"]["level"]) == ("HJ 633-2026", 114, 3)
    assert [p["code"] for p in before["primary_pollutants"]] == ["a34004"]
    old = {(i["name"], i["indicator"]): i["iaqi"] for i in before["iaqi"]}
    assert old[("PM10", "24h")] == 80 and old[("O3", "1h")] == 32  # 2012's extra indicator


def test_nineteen_valid_hours_give_no_daily_aqi(client, db) -> None:
    store(db, day_rows("YJ-AIR-C01", date(2026, 11, 2), hours=range(19)))
    daily = get(client, site="YJ-AIR-C01", date="2026-11-02").json()["daily"]
    assert daily["aqi"] == "NA" and daily["level"] is None
    assert daily["valid_hours"]["PM2.5"] == 19
    assert daily["primary_pollutants"] == []
    # The hours themselves are published; the hours without data are "NA".
    hours = get(client, site="YJ-AIR-C01", date="2026-11-02").json()["hourly"]
    assert hours[0]["aqi"] == 110 and hours[23]["aqi"] == "NA"


def test_invalid_values_do_not_count(client, db) -> None:
    # 20 hours, but one is calibration (flag C) and one failed QC's range check: 18 valid.
    day = date(2026, 11, 3)
    rows = day_rows("YJ-AIR-C01", day, hours=range(18))
    store(db, rows)
    store(db, day_rows("YJ-AIR-C01", day, hours=[18]), flag="C")
    start = local_day_bounds(day)[0]
    with db.begin() as s:
        sub = new_submission(
            s,
            payload=b"x",
            channel="test",
            received_at=datetime.now(UTC),
            department="environment",
            client_id=None,
        )
        sid = site_id(s, "YJ-AIR-C01")
        bad = {"code": "range", "severity": "invalid", "reason": "test"}
        recs = [
            NormalRecord(sid, code, start + 19 * H, "PT1H", pair[1], "N", "flagged", (bad,))
            for code, pair in LEVELS.items()
        ]
        store_records(s, recs, sub.id)
    daily = get(client, site="YJ-AIR-C01", date="2026-11-03").json()["daily"]
    assert daily["valid_hours"]["PM2.5"] == 18
    assert daily["aqi"] == "NA"
    hours = get(client, site="YJ-AIR-C01", date="2026-11-03").json()["hourly"]
    assert hours[18]["aqi"] == "NA" and hours[19]["aqi"] == "NA"


def test_suspect_values_still_count(client, db) -> None:
    day = date(2026, 11, 4)
    start = local_day_bounds(day)[0]
    with db.begin() as s:
        sub = new_submission(
            s,
            payload=b"y",
            channel="test",
            received_at=datetime.now(UTC),
            department="environment",
            client_id=None,
        )
        sid = site_id(s, "YJ-AIR-C01")
        spike = {"code": "flatline", "severity": "suspect", "reason": "test"}
        recs = [
            NormalRecord(sid, code, start + h * H, "PT1H", pair[h % 2], "N", "flagged", (spike,))
            for code, pair in LEVELS.items()
            for h in range(24)
        ]
        store_records(s, recs, sub.id)
    assert get(client, site="YJ-AIR-C01", date="2026-11-04").json()["daily"]["aqi"] == 114


def test_latest(client, db) -> None:
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    last = now - H
    complete = [("YJ-AIR-C02", c, last - 3 * H, "PT1H", pair[0]) for c, pair in LEVELS.items()]
    store(db, complete)
    # A later hour with only PM2.5 is not complete; the complete hour is the one shown.
    store(db, [("YJ-AIR-C02", "a34004", last, "PT1H", 20.0)])
    r = client.get("/api/v1/air/aqi/latest", params={"limit": 1000})
    assert r.status_code == 200
    body = r.json()
    codes = [x["site"]["code"] for x in body["results"]]
    assert "YJ-AIR-C02" in codes and "YJ-AIR-K06" not in codes  # planned station left out
    assert "YJ-SW-01" not in codes
    assert codes == sorted(codes) and body["meta"]["found"] == len(codes)
    c02 = next(x for x in body["results"] if x["site"]["code"] == "YJ-AIR-C02")
    assert c02["time"] == (last - 3 * H).isoformat().replace("+00:00", "Z")
    assert c02["aqi"] == 110
    c03 = next(x for x in body["results"] if x["site"]["code"] == "YJ-AIR-C03")
    assert c03["time"] is None and c03["aqi"] == "NA"
    page = client.get("/api/v1/air/aqi/latest", params={"limit": 2, "page": 2}).json()
    assert [x["site"]["code"] for x in page["results"]] == codes[2:4]


@pytest.mark.parametrize(
    ("params", "status", "where"),
    [
        ({"site": "NOPE", "date": "2026-11-01"}, 404, "query.site"),
        ({"site": "YJ-SW-01", "date": "2026-11-01"}, 422, "query.site"),
        ({"site": "YJ-AIR-C01", "date": "2026-11-31"}, 400, "query.date"),
        ({"site": "YJ-AIR-C01", "date": "01/11/2026"}, 400, "query.date"),
        ({"site": "YJ-AIR-C01"}, 400, "query.date"),
        ({"site": "YJ-AIR-C01", "date": "2015-06-01"}, 422, "query.date"),
    ],
)
def test_errors(client, params, status, where) -> None:
    r = get(client, **params)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["path"] == where
    if status == 422 and where == "query.site":
        assert "air-quality stations" in r.json()["detail"]
