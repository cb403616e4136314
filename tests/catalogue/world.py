"""A small monitored world for catalogue tests, built through the hub's own services.

Two local days of hourly air data at a city and a county station, one monthly sample at
surface-water sections, a drinking-water source and a coastal point, two days of hourly
functional-zone noise, a tap-water sample (health department) and a pollution source.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from hub.reference.sites import register_sites
from hub.timeutil import LOCAL_TZ
from tests.support.data import store

DAYS = (date(2026, 11, 18), date(2026, 11, 19))
# Publish runs happen "at noon local on the 20th": every window covers DAYS.
NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)
AIR = {"a21026": 8.0, "a21004": 20.0, "a21005": 0.6, "a05024": 60.0, "a34002": 40.0}
TAP_SITE, SOURCE_SITE = "YJ-TAP-T01", "YJ-PS-T01"


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL_TZ)


def air_rows(site: str, day: date, pm25: float) -> list[tuple[str, str, datetime, str, float]]:
    rows = []
    for h in range(24):
        at = local(day, h)
        rows += [(site, code, at, "PT1H", value) for code, value in AIR.items()]
        rows.append((site, "a34004", at, "PT1H", pm25))
    return rows


def register_extra_sites(db: sessionmaker[Session]) -> None:
    with db.begin() as s:
        health = register_sites(s, "health", [{
            "code": TAP_SITE, "name_zh": "江城水厂末梢水", "name_en": "Jiangcheng tap point",
            "network": "tap-water", "county": "441702", "latitude": 21.86, "longitude": 111.96,
        }])
        env = register_sites(s, "environment", [{
            "code": SOURCE_SITE, "name_zh": "某电厂排口", "name_en": "Power plant outlet",
            "network": "pollution-source", "county": "441721",
        }])
    assert not health["errors"] and not env["errors"], (health, env)


def seed(db: sessionmaker[Session]) -> None:
    """Store the whole world (about 1,200 observations)."""
    register_extra_sites(db)
    rows: list[tuple[str, str, datetime, str, float]] = []
    for day in DAYS:
        rows += air_rows("YJ-AIR-C01", day, 30.0)  # AQI 50-ish: excellent/good
        rows += air_rows("YJ-AIR-K01", day, 90.0)  # PM2.5 90: light pollution
        for h in range(24):
            leq = 52.0 if 6 <= h < 22 else 47.0  # zone 1: day limit 55, night 45
            rows.append(("YJ-NZ-01", "n_leq", local(day, h), "PT1H", leq))
        rows.append((SOURCE_SITE, "w01018", local(day, 9), "PT1H", 42.0))
    sample = local(DAYS[0], 10)
    water = {"w01001": 7.2, "w01009": 6.5, "w01019": 3.5, "w21003": 0.4, "w21011": 0.1}
    for code, value in water.items():
        rows.append(("YJ-SW-01", code, sample, "PT0S", value))
        rows.append(("YJ-SW-08", code, sample, "PT0S", 1.2 if code == "w21003" else value))
        rows.append(("YJ-DW-01", code, sample, "PT0S", value))
    sea = {"w01001": 8.1, "w01009": 6.2, "w01018": 1.5, "w_din": 0.25, "w_po4": 0.02}
    rows += [("YJ-SEA-02", c, sample, "PT0S", v) for c, v in sea.items()]
    tap = {"d_turbidity": 0.5, "w01001": 7.5, "w01019": 2.0, "w21003": 0.1}
    rows += [(TAP_SITE, c, sample, "PT0S", v) for c, v in tap.items()]
    store(db, rows)


def later(hours: int) -> datetime:
    return NOW + timedelta(hours=hours)
