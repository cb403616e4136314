"""Meteorological Bureau: hourly weather and atmospheric-composition reports."""

from __future__ import annotations

from connectors import meteorology
from tests.connectors.cases.table import Bad, Department, Record, utc, without

REPORT = {
    "station": "YJ-MET-59663",
    "observed_at": "2026-11-01T08:00:00+08:00",
    "temp_c": 21.6,
    "rh_pct": 83,
    "pressure_hpa": 1013.2,
    "wind_speed_ms": 3.4,
    "wind_dir_deg": None,
    "precip_mm": 0.4,
    "visibility_m": 8500,
    "pm25_ug_m3": 28,
    "o3_ug_m3": 61,
    "co_mg_m3": 0.7,
}
CASE = Department(
    connector=meteorology.CONNECTOR,
    pushed={"site": "YJ-MET-59663", "time": "2026-11-01T07:00:00+08:00"},
    records=[
        Record(
            "report: the hour ending at the observation time",
            REPORT,
            "YJ-MET-59663",
            # 08:00 Beijing time closes the hour 07:00-08:00, i.e. 23:00-24:00 UTC the day before.
            utc(2026, 10, 31, 23),
            "PT1H",
            {
                "a01001": 21.6,
                "a01002": 83,
                "a01006": 101.32,  # 1013.2 hPa
                "a01007": 3.4,
                "m_precip": 0.4,
                "m_visibility": 8.5,  # 8500 m
                "a34004": 28,
                "a05024": 61,
                "a21005": 0.7,
            },  # calm: no direction
        )
    ],
    conversions=[
        ("a01006", "hPa", 1013.2, 101.32),
        ("a01006", "Pa", 101320, 101.32),
        ("a01001", "K", 294.75, 21.6),
        ("a01007", "km/h", 12.24, 3.4),
        ("m_visibility", "m", 8500, 8.5),
        ("m_precip", "cm", 0.04, 0.4),
        ("a05024", "ppb", 30, 30 * 47.998 / 24.465),
    ],
    bad=[
        Bad({**REPORT, "pressure_hPa": 1013.2}, "pressure_hPa"),  # typo'd column
        Bad({**REPORT, "temp_c": "21.6C"}, "temp_c"),
        Bad(without(REPORT, "station"), "station"),
        Bad({**REPORT, "observed_at": "2026-11-01 08"}, "observed_at"),
    ],
    foreign=("w01001", "pH", 7.2),
    refused_units=[("a01002", "g/kg", 14.1)],  # specific humidity is not relative humidity
    plausible={"a01001": (-5.0, 42.0), "a01006": (90.0, 106.0)},  # local climate
)
