"""GET /water/quality and /noise/compliance against hand-computed GB 3838/3097/3096 cases."""

from datetime import UTC, date, datetime, timedelta

import pytest

from hub.assessments.noise import energy_mean
from hub.timeutil import local_day_bounds
from tests.support.data import store

pytestmark = pytest.mark.postgres
H = timedelta(hours=1)
OCT = datetime(2026, 9, 30, 16, tzinfo=UTC)  # 2026-10-01 00:00 local


def samples(site: str, values: dict[str, list[float]], days=(3, 17)) -> list[tuple]:
    return [
        (site, code, OCT + timedelta(days=d, hours=2), "PT0S", v)
        for code, series in values.items()
        for d, v in zip(days, series, strict=True)
    ]


# --- GB 3838: YJ-SW-01, a river section with target class III -----------------------------
# Monthly means: NH3-N (1.2+1.4)/2 = 1.3 → IV (1.0 < 1.3 ≤ 1.5); DO 6.75 → II (≥ 6);
# CODMn 5.0 → III; TP 0.16 → III (river column); pH 7.2 → I.  Section: IV, target missed,
# NH3-N fails by 1.3 / 1.0 − 1 = 0.3.


def test_surface_water_month(client, db) -> None:
    store(
        db,
        samples(
            "YJ-SW-01",
            {
                "w21003": [1.2, 1.4],
                "w01009": [6.5, 7.0],
                "w01019": [4.5, 5.5],
                "w21011": [0.15, 0.17],
                "w01001": [7.2, 7.2],
            },
        ),
    )
    # A sample in September and one on 1 November (local) do not belong to October.
    store(db, [("YJ-SW-01", "w21003", OCT - H, "PT0S", 9.0)])
    store(db, [("YJ-SW-01", "w21003", OCT + timedelta(days=31), "PT0S", 9.0)])
    r = client.get("/api/v1/water/quality", params={"site": "YJ-SW-01", "month": "2026-10"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["standard"] == "GB 3838-2002" and body["water_body"] == "river"
    assert body["class"] == "IV"
    assert body["quality"] == {"zh": "轻度污染", "en": "light pollution"}
    assert body["target"] == {"class": "III", "met": False}
    assert body["samples"] == 2
    (failing,) = body["failing"]
    assert failing["parameter"] == "w21003" and failing["class"] == "IV"
    assert failing["mean"] == pytest.approx(1.3)
    assert failing["target_limit"] == 1.0
    assert failing["exceedance"] == pytest.approx(0.3)
    assert body["main_pollutants"] == ["w21003"]
    classes = {p["parameter"]: p["class"] for p in body["parameters"]}
    assert classes == {
        "w01001": "I",
        "w01009": "II",
        "w01019": "III",
        "w21003": "IV",
        "w21011": "III",
    }


def test_reservoir_uses_the_lake_tp_column(client, db) -> None:
    # YJ-DW-02 is a reservoir with target II: TP 0.04 is class III there (0.025 < 0.04 ≤ 0.05),
    # exceeding the class II limit 0.025 by 0.6; in a river it would be class II.
    store(db, samples("YJ-DW-02", {"w21011": [0.04, 0.04], "w21001": [0.8, 0.8]}))
    body = client.get(
        "/api/v1/water/quality", params={"site": "YJ-DW-02", "month": "2026-10"}
    ).json()
    assert body["water_body"] == "reservoir" and body["class"] == "III"
    assert body["target"] == {"class": "II", "met": False}
    assert body["failing"][0]["exceedance"] == pytest.approx(0.6)
    assert body["lake_tn"] == {"mean": 0.8, "class": "III"}
    assert body["main_pollutants"] == []  # the ministry lists them only when worse than III


def test_sea_point_uses_gb3097(client, db) -> None:
    # YJ-SEA-02 target class 2: inorganic N 0.35 → class 3 (0.30 < 0.35 ≤ 0.40), 0.35/0.30 − 1.
    store(db, samples("YJ-SEA-02", {"w_din": [0.3, 0.4], "w01001": [8.1, 8.1]}))
    body = client.get(
        "/api/v1/water/quality", params={"site": "YJ-SEA-02", "month": "2026-10"}
    ).json()
    assert body["standard"] == "GB 3097-1997" and body["class"] == "3"
    assert body["target"] == {"class": "2", "met": False}
    (failing,) = body["failing"]
    assert failing["parameter"] == "w_din"
    assert failing["exceedance"] == pytest.approx(0.35 / 0.30 - 1)


def test_month_without_data(client) -> None:
    body = client.get(
        "/api/v1/water/quality", params={"site": "YJ-SW-02", "month": "2026-10"}
    ).json()
    assert body["class"] is None and body["target"] == {"class": "III", "met": None}


@pytest.mark.parametrize(
    ("params", "status", "where"),
    [
        ({"site": "NOPE", "month": "2026-10"}, 404, "query.site"),
        ({"site": "YJ-AIR-C01", "month": "2026-10"}, 422, "query.site"),
        ({"site": "YJ-NZ-02", "month": "2026-10"}, 422, "query.site"),
        ({"site": "YJ-SW-01", "month": "2026-13"}, 400, "query.month"),
        ({"site": "YJ-SW-01", "month": "2026-1"}, 400, "query.month"),
        ({"site": "YJ-SW-01", "month": "2026-10-01"}, 400, "query.month"),
    ],
)
def test_water_errors(client, params, status, where) -> None:
    r = client.get("/api/v1/water/quality", params=params)
    assert r.status_code == status, r.text
    assert r.json()["errors"][0]["path"] == where
    if status == 422:
        assert "GB 3838" in r.json()["detail"]


# --- GB 3096: YJ-NZ-02, zone 2 (day 60, night 50) ------------------------------------------
# Day (06–22 h): twelve hours at 58 and four at 62 dB(A):
#   10·log10((12·10^5.8 + 4·10^6.2)/16) = 10·log10(869 441) = 59.39 → 59.4 ≤ 60: complies.
# Night (22:00 on the day to 06:00 the next, GB 3096): six hours at 48 and two at 54:
#   10·log10((6·10^4.8 + 2·10^5.4)/8) = 10·log10(110 119) = 50.42 → 50.4 > 50: does not
#   comply (the arithmetic mean, 49.5, would have). Night Lmax 64 ≤ 50 + 15.

DAY_LEQ = [58.0] * 12 + [62.0] * 4
NIGHT_LEQ = [48.0] * 6 + [54.0] * 2


def test_energy_average_by_hand() -> None:
    assert round(energy_mean(DAY_LEQ), 2) == 59.39
    assert round(energy_mean(NIGHT_LEQ), 2) == 50.42
    assert energy_mean([55.0, 55.0]) == pytest.approx(55.0)
    with pytest.raises(ValueError):
        energy_mean([])


def _noise_day(day: date) -> list[tuple]:
    start = local_day_bounds(day)[0]
    day_hours = list(range(6, 22))
    # The night of day D is 22:00 D → 06:00 D+1 (hours 24–29 are 00:00–05:00 of D+1); the
    # hours before 06:00 on D belong to the night before and must not count.
    night_hours = [22, 23, 24, 25, 26, 27, 28, 29]
    rows = [
        ("YJ-NZ-02", "n_leq", start + h * H, "PT1H", v)
        for h, v in zip(day_hours, DAY_LEQ, strict=True)
    ]
    rows += [
        ("YJ-NZ-02", "n_leq", start + h * H, "PT1H", v)
        for h, v in zip(night_hours, NIGHT_LEQ, strict=True)
    ]
    rows += [
        ("YJ-NZ-02", "n_lmax", start + h * H, "PT1H", 64.0 if h == 26 else 58.0)
        for h in night_hours
    ]
    # 00:00–06:00 of D: the previous night, loud enough to fail this night if it counted.
    rows += [("YJ-NZ-02", "n_leq", start + h * H, "PT1H", 70.0) for h in range(6)]
    rows += [("YJ-NZ-02", "n_lmax", start + 3 * H, "PT1H", 99.0)]
    rows += [("YJ-NZ-02", "n_lmax", start + 12 * H, "PT1H", 90.0)]  # by day: not checked
    return rows


def test_noise_day_complies_night_does_not(client, db) -> None:
    store(db, _noise_day(date(2026, 11, 1)))
    r = client.get("/api/v1/noise/compliance", params={"site": "YJ-NZ-02", "date": "2026-11-01"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["zone"] == "2" and body["standard"] == "GB 3096-2008"
    assert body["day"] == {
        "hours": 16,
        "expected_hours": 16,
        "leq": 59.4,
        "limit": 60.0,
        "exceeds": False,
        "compliant": True,
    }
    night = body["night"]
    assert (night["hours"], night["leq"], night["limit"]) == (8, 50.4, 50.0)
    assert night["exceeds"] is True and night["compliant"] is False
    assert (night["lmax"], night["lmax_limit"], night["lmax_exceeds"]) == (64.0, 65.0, False)
    assert body["compliant"] is False


def test_noise_night_lmax_alone_fails_the_night(client, db) -> None:
    start = local_day_bounds(date(2026, 11, 5))[0]
    store(db, [("YJ-NZ-02", "n_leq", start + h * H, "PT1H", 45.0 + h % 2) for h in range(24)])
    store(db, [("YJ-NZ-02", "n_lmax", start + 23 * H, "PT1H", 66.0)])
    night = client.get(
        "/api/v1/noise/compliance", params={"site": "YJ-NZ-02", "date": "2026-11-05"}
    ).json()["night"]
    assert night["exceeds"] is False and night["lmax_exceeds"] is True
    assert night["compliant"] is False


def test_noise_without_data_has_no_verdict(client) -> None:
    body = client.get(
        "/api/v1/noise/compliance", params={"site": "YJ-NZ-03", "date": "2026-11-01"}
    ).json()
    assert body["day"]["compliant"] is None and body["compliant"] is None


@pytest.mark.parametrize(
    ("params", "status", "where"),
    [
        ({"site": "NOPE", "date": "2026-11-01"}, 404, "query.site"),
        ({"site": "YJ-AIR-C01", "date": "2026-11-01"}, 422, "query.site"),
        ({"site": "YJ-NZ-02", "date": "2026-02-30"}, 400, "query.date"),
        ({"site": "YJ-NZ-02", "date": "tomorrow"}, 400, "query.date"),
    ],
)
def test_noise_errors(client, params, status, where) -> None:
    r = client.get("/api/v1/noise/compliance", params=params)
    assert r.status_code == status, r.text
    assert r.json()["errors"][0]["path"] == where
