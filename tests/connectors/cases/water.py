"""Water Affairs Bureau: a water-function-zone / reservoir sample, algae counts."""

from __future__ import annotations

from connectors import water
from tests.connectors.cases.table import Bad, Department, Record, utc, without

SAMPLE = {
    "section": "YJ-RES-02",
    "sampled_at": "2026-11-05T09:30:00+08:00",
    "water_temp_c": 22.4,
    "ph": 7.2,
    "do_mg_l": 6.8,
    "codmn_mg_l": 2.1,
    "nh3n_mg_l": 0.32,
    "tp_mg_l": 0.05,
    "cu_ug_l": 3.1,
    "hg_ug_l": 0.02,
    "cd_ug_l": None,
    "fecal_coliform_per_l": 1300,
    "chla_ug_l": 8.4,
    "transparency_m": 1.6,
    "algae_cells_l": 2.6e6,
}
CASE = Department(
    connector=water.CONNECTOR,
    pushed={"site": "YJ-RES-02", "time": "2026-11-05T09:30:00+08:00", "period": "PT0S"},
    records=[
        Record(
            "sample: one grab observation per filled column",
            SAMPLE,
            "YJ-RES-02",
            utc(2026, 11, 5, 1, 30),
            "PT0S",
            {
                "w01010": 22.4,
                "w01001": 7.2,
                "w01009": 6.8,
                "w01019": 2.1,
                "w21003": 0.32,
                "w21011": 0.05,
                "w20122": 0.0031,  # 3.1 µg/L Cu
                "w20111": 0.00002,
                "w02003": 1300,
                "w_chla": 8.4,
                "w_transparency": 1.6,
                "w_algae": 2.6e6,
            },
        )
    ],
    conversions=[
        ("w20122", "mg/L", 0.0031, 0.0031),
        ("w20122", "ug/L", 3.1, 0.0031),
        ("w20122", "微克/升", 3.1, 0.0031),
        ("w_algae", "万个/L", 260, 2.6e6),
        ("w_algae", "cells/mL", 2600, 2.6e6),
        ("w02003", "MPN/100mL", 130, 1300),
        ("w_chla", "mg/m3", 8.4, 8.4),
        ("w_transparency", "cm", 160, 1.6),
        ("w_zooplankton", "ind/L", 420, 420),
    ],
    bad=[
        Bad({**SAMPLE, "cu_ug_L": 3.1}, "cu_ug_L"),  # typo'd column
        Bad({**SAMPLE, "ph": "seven"}, "ph"),
        Bad({**SAMPLE, "section": None}, "section"),
        Bad(without(SAMPLE, "section"), "section"),
        Bad({**SAMPLE, "sampled_at": "2026-11-05T09:30:00"}, "sampled_at"),  # no UTC offset
    ],
    foreign=("s_cd", "mg/kg", 0.2),
    refused_units=[
        ("w20122", "mg/kg", 3.1),  # copper as a mass fraction (sediment) is not a concentration
    ],
)
