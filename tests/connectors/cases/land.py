"""Land and Resources Bureau: groundwater wells and mine-geology points."""

from __future__ import annotations

from connectors import land
from tests.connectors.cases.table import Bad, Department, Record, utc, without

WELL = {
    "point": "YJ-GW-04",
    "measured_at": "2026-11-10T10:15:00+08:00",
    "depth_to_water_m": 4.35,
    "water_level_m": 12.81,
    "ph": 7.1,
    "tds_mg_l": 212,
    "hardness_mg_l": 118,
    "nh3n_mg_l": 0.08,
    "no3n_mg_l": 3.2,
    "as_ug_l": 1.2,
    "hg_ug_l": 0.05,
    "pb_ug_l": None,
}
MINE = {
    "point": "YJ-MG-02",
    "measured_at": "2026-11-10T15:00:00+08:00",
    "displacement_mm": 12.4,
    "depth_to_water_m": 18.2,
}
CASE = Department(
    connector=land.CONNECTOR,
    pushed={"site": "YJ-MG-02", "time": "2026-11-10T15:00:00+08:00", "period": "PT0S"},
    records=[
        Record(
            "well visit: level and quality, metals in mg/L",
            WELL,
            "YJ-GW-04",
            utc(2026, 11, 10, 2, 15),
            "PT0S",
            {
                "g_depth": 4.35,
                "w_level": 12.81,
                "w01001": 7.1,
                "w01006": 212,
                "g_hardness": 118,
                "w21003": 0.08,
                "w21007": 3.2,
                "w20141": 0.0012,  # 1.2 µg/L As
                "w20111": 0.00005,
            },
        ),
        Record(
            "mine point: displacement",
            MINE,
            "YJ-MG-02",
            utc(2026, 11, 10, 7),
            "PT0S",
            {"g_displacement": 12.4, "g_depth": 18.2},
        ),
    ],
    conversions=[
        ("g_displacement", "cm", 1.24, 12.4),
        ("g_displacement", "m", -0.0031, -3.1),
        ("g_depth", "cm", 435, 4.35),
        ("w20141", "ug/L", 1.2, 0.0012),
    ],
    bad=[
        Bad({**WELL, "depth_to_water": 4.35}, "depth_to_water"),  # typo'd column
        Bad({**MINE, "displacement_mm": "12.4mm"}, "displacement_mm"),
        Bad(without(MINE, "point"), "point"),
        Bad({**MINE, "measured_at": "2026-11-10"}, "measured_at"),
    ],
    foreign=("s_cd", "mg/kg", 0.2),
    refused_units=[("g_displacement", "deg", 0.3)],  # a tiltmeter's angle is not a displacement
)
