"""Missing data becomes DataGap rows: scan, re-scan, extend, close, list (service, API, CLI)."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from hub.cli import main
from hub.db.qc import DataGap
from hub.qc.gap_scan import scan_gaps
from tests.support.data import store

pytestmark = pytest.mark.postgres
H = timedelta(hours=1)
NOW = datetime(2026, 11, 10, 12, 30, tzinfo=UTC)  # due slots end at 11:00Z
DAY = datetime(2026, 11, 8, 0, tzinfo=UTC)


def hourly(site: str, parameter: str, hours: list[datetime]) -> list[tuple]:
    return [(site, parameter, t, "PT1H", 20.0 + i % 3) for i, t in enumerate(hours)]


def span(first: datetime, last: datetime) -> list[datetime]:
    out, t = [], first
    while t <= last:
        out.append(t)
        t += H
    return out


def scan(db, now=NOW, hours=48):
    with db.begin() as s:
        return scan_gaps(s, now, timedelta(hours=hours)).as_dict()


def gaps(db) -> list[tuple]:
    with db() as s:
        rows = s.scalars(select(DataGap).order_by(DataGap.start)).all()
        return [(g.parameter_code, g.start, g.end, g.missing, g.closed_reason) for g in rows]


@pytest.fixture
def c01_series(db):
    """PM2.5 at YJ-AIR-C01 from 11-08 00:00Z to 11-10 07:00Z with 11-09 03–05Z missing."""
    hole = span(DAY + 27 * H, DAY + 29 * H)
    hours = [t for t in span(DAY, DAY + 55 * H) if t not in hole]
    store(db, hourly("YJ-AIR-C01", "a34004", hours))


def test_scan_records_closed_and_open_gaps(db, c01_series) -> None:
    result = scan(db)
    assert result["opened"] == 2 and result["open_total"] == 1
    assert gaps(db) == [
        ("a34004", DAY + 27 * H, DAY + 30 * H, 3, "data_arrived"),
        ("a34004", DAY + 56 * H, DAY + 59 * H, 3, None),
    ]


def test_rescans_are_idempotent_and_extend_then_close(db, c01_series) -> None:
    scan(db)
    again = scan(db)
    assert again["opened"] == 0 and again["open_total"] == 1
    assert len(gaps(db)) == 2

    later = scan(db, NOW + 2 * H)
    assert later["extended"] == 1 and later["opened"] == 0
    assert gaps(db)[1] == ("a34004", DAY + 56 * H, DAY + 61 * H, 5, None)

    store(db, hourly("YJ-AIR-C01", "a34004", [DAY + 61 * H]))  # data arrives at 13:00Z
    closing = scan(db, NOW + 3 * H)
    assert closing["closed"] == 1 and closing["open_total"] == 0
    assert gaps(db)[1] == ("a34004", DAY + 56 * H, DAY + 61 * H, 5, "data_arrived")


def test_a_backfill_closes_an_open_gap(db, c01_series) -> None:
    scan(db)
    store(db, hourly("YJ-AIR-C01", "a34004", span(DAY + 56 * H, DAY + 58 * H)))
    result = scan(db)
    assert result["closed"] == 1 and result["open_total"] == 0
    assert gaps(db)[1][-1] == "backfilled"


def test_catch_up_after_scans_stopped(db, c01_series) -> None:
    scan(db)
    result = scan(db, NOW + 72 * H)  # three days without a scan
    assert result["extended"] == 1 and result["opened"] == 0
    assert gaps(db)[1] == ("a34004", DAY + 56 * H, DAY + 131 * H, 75, None)


def test_nothing_invented(db) -> None:
    # A series that starts inside the window has no gap before its first value, and the
    # parameters a site never reported are not expected of it.
    store(db, hourly("YJ-AIR-C02", "a34002", span(DAY + 40 * H, DAY + 58 * H)))
    result = scan(db)
    assert result["series"] == 1
    assert gaps(db) == []


def test_sites_without_a_clock_are_not_scanned(db) -> None:
    # Surface-water sections sample by campaign (no expected interval).
    store(db, hourly("YJ-SW-01", "w21003", [DAY + 13 * H, DAY + 50 * H]))
    assert scan(db)["series"] == 0


def test_read_api(client, auth, db, c01_series) -> None:
    scan(db)
    reader = auth(None, "observations:read")
    r = client.get("/api/v1/qc/gaps", headers=reader)
    assert r.status_code == 200
    body = r.json()
    assert body["meta"]["found"] == 2
    newest = body["results"][0]
    assert newest == {
        "id": newest["id"],
        "site": "YJ-AIR-C01",
        "parameter": "a34004",
        "start": "2026-11-10T08:00:00Z",
        "end": "2026-11-10T11:00:00Z",
        "missing": 3,
        "interval_seconds": 3600,
        "open": True,
        "detected_at": "2026-11-10T12:30:00Z",
        "updated_at": "2026-11-10T12:30:00Z",
        "closed_at": None,
        "closed_reason": None,
    }
    only_open = client.get(
        "/api/v1/qc/gaps", headers=reader, params={"open": "true", "site": "YJ-AIR-C01"}
    ).json()
    assert [g["open"] for g in only_open["results"]] == [True]
    closed = client.get("/api/v1/qc/gaps", headers=reader, params={"open": "false"}).json()
    assert [g["closed_reason"] for g in closed["results"]] == ["data_arrived"]


@pytest.mark.parametrize(
    ("params", "status", "where"),
    [
        ({"site": "NOPE"}, 404, "query.site"),
        ({"parameter": "x9"}, 404, "query.parameter"),
        ({"open": "perhaps"}, 400, "query.open"),
        ({"limit": 5000}, 400, "query.limit"),
    ],
)
def test_read_api_errors(client, auth, params, status, where) -> None:
    r = client.get("/api/v1/qc/gaps", headers=auth(None, "observations:read"), params=params)
    assert r.status_code == status
    assert any(e["path"] == where for e in r.json()["errors"])


def test_read_api_needs_the_scope(client, auth) -> None:
    assert client.get("/api/v1/qc/gaps").status_code == 401
    r = client.get("/api/v1/qc/gaps", headers=auth("environment", "observations:write"))
    assert r.status_code == 403


def test_cli(db, pg_url) -> None:
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    store(db, hourly("YJ-AIR-C04", "a34004", span(now - 30 * H, now - 10 * H)))
    env = {"HUB_DATABASE_URL": pg_url, "HUB_LOG_JSON": "0"}
    runner = CliRunner()
    r = runner.invoke(main, ["qc", "scan-gaps", "--hours", "24"], env=env)
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["opened"] == 1
    r = runner.invoke(main, ["qc", "gaps", "--site", "YJ-AIR-C04"], env=env)
    assert r.exit_code == 0, r.output
    (gap,) = json.loads(r.output)["results"]
    assert gap["open"] and gap["site"] == "YJ-AIR-C04"
    r = runner.invoke(main, ["qc", "gaps", "--site", "NOPE"], env=env)
    assert r.exit_code != 0 and "NOPE" in r.output


def test_late_data_inside_an_extended_open_gap_ends_it_there(db, c01_series) -> None:
    scan(db, NOW + 3 * H)  # open gap 08:00Z–14:00Z
    store(db, hourly("YJ-AIR-C01", "a34004", [DAY + 59 * H]))  # 11:00Z arrives late
    result = scan(db, NOW + 3 * H)
    assert result["closed"] == 1 and result["opened"] == 1
    assert gaps(db)[1:] == [
        ("a34004", DAY + 56 * H, DAY + 59 * H, 3, "data_arrived"),
        ("a34004", DAY + 60 * H, DAY + 62 * H, 2, None),
    ]
