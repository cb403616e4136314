"""Forestry Bureau: annual forest and wetland figures, hourly ecological stations."""

from __future__ import annotations

from connectors import forestry
from tests.connectors.cases.table import Bad, Department, Record, utc, without

INVENTORY = {
    "site": "YJ-FOR-02",
    "period_start": "2025-01-01T00:00:00+08:00",
    "period": "P1Y",
    "forest_cover_pct": 71.3,
    "forest_land_area_ha": 8650,
}
STATION = {
    "site": "YJ-ECO-01",
    "period_start": "2026-11-01T08:00:00+08:00",
    "period": "PT1H",
    "negative_ions_per_cm3": 2350,
    "air_temp_c": 22.4,
    "rh_pct": 78,
    "pm25_ug_m3": 14,
}
CASE = Department(
    connector=forestry.CONNECTOR,
    pushed={"site": "YJ-WL-01", "time": "2025-01-01T00:00:00+08:00", "period": "P1Y"},
    records=[
        Record(
            "annual inventory keeps its year",
            INVENTORY,
            "YJ-FOR-02",
            utc(2024, 12, 31, 16),
            "P1Y",
            {"e_forest_cover": 71.3, "e_forest_land_area": 8650},
        ),
        Record(
            "ecological station hour",
            STATION,
            "YJ-ECO-01",
            utc(2026, 11, 1, 0),
            "PT1H",
            {"e_negative_ions": 2350, "a01001": 22.4, "a01002": 78, "a34004": 14},
        ),
    ],
    conversions=[
        ("e_wetland_area", "亩", 1500, 100),  # 1 亩 = 1/15 ha
        ("e_wetland_area", "km2", 12.5, 1250),
        ("e_wetland_area", "hm²", 1250, 1250),
        ("e_forest_cover", "fraction", 0.713, 71.3),
        ("e_negative_ions", "个/cm³", 2350, 2350),
    ],
    bad=[
        Bad({**STATION, "negative_ion_per_cm3": 2350}, "negative_ion_per_cm3"),  # typo
        Bad({**STATION, "period": "1 hour"}, "period"),
        Bad({**INVENTORY, "forest_cover_pct": "71.3%"}, "forest_cover_pct"),
        Bad(without(STATION, "site"), "site"),
        Bad(without(INVENTORY, "period"), "period"),
    ],
    foreign=("g_depth", "m", 4.3),
    refused_units=[("e_forest_cover", "ha", 8650)],  # cover is a share of land, not an area
)
