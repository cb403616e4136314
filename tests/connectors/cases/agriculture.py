"""Agriculture Bureau: farmland soil, non-point and livestock water samples."""

from __future__ import annotations

from connectors import agriculture
from tests.connectors.cases.table import Bad, Department, Record, utc, without

SOIL = {
    "site": "YJ-FS-07",
    "sampled_at": "2026-10-20T10:00:00+08:00",
    "soil_ph": 5.8,
    "cd_mg_kg": 0.21,
    "hg_mg_kg": 0.08,
    "as_mg_kg": 9.6,
    "pb_mg_kg": 38.0,
    "cr_mg_kg": 52.0,
    "cu_mg_kg": 18.5,
    "ni_mg_kg": 14.2,
    "zn_mg_kg": 61.0,
}
EFFLUENT = {
    "site": "YJ-LS-03",
    "sampled_at": "2026-10-21T09:00:00+08:00",
    "water_ph": 7.6,
    "cod_mg_l": 310,
    "nh3n_mg_l": 58,
    "tn_mg_l": 92,
    "tp_mg_l": 6.2,
    "fecal_coliform_per_100ml": 4600,
}
CASE = Department(
    connector=agriculture.CONNECTOR,
    pushed={"site": "YJ-FS-07", "time": "2026-10-20T10:00:00+08:00", "period": "PT0S"},
    records=[
        Record(
            "farmland soil sample",
            SOIL,
            "YJ-FS-07",
            utc(2026, 10, 20, 2),
            "PT0S",
            {
                "s_ph": 5.8,
                "s_cd": 0.21,
                "s_hg": 0.08,
                "s_as": 9.6,
                "s_pb": 38.0,
                "s_cr": 52.0,
                "s_cu": 18.5,
                "s_ni": 14.2,
                "s_zn": 61.0,
            },
        ),
        Record(
            "livestock effluent: coliform per litre",
            EFFLUENT,
            "YJ-LS-03",
            utc(2026, 10, 21, 1),
            "PT0S",
            {
                "w01001": 7.6,
                "w01018": 310,
                "w21003": 58,
                "w21001": 92,
                "w21011": 6.2,
                "w02003": 46000,  # 4600 per 100 mL
            },
        ),
    ],
    conversions=[
        ("s_cd", "ug/kg", 210, 0.21),
        ("s_hg", "ug/g", 0.08, 0.08),
        ("s_pb", "毫克/千克", 38, 38),
        ("w21011", "ug/L", 620, 0.62),
    ],
    bad=[
        Bad({**SOIL, "cd_mg_kq": 0.21}, "cd_mg_kq"),  # typo'd column
        Bad({**SOIL, "pb_mg_kg": "38 mg/kg"}, "pb_mg_kg"),
        Bad(without(SOIL, "site"), "site"),
        Bad({**SOIL, "site": ""}, "site"),
    ],
    foreign=("w_algae", "cells/L", 2.6e6),
    refused_units=[("s_cd", "mg/L", 0.21)],  # a leachate concentration is not a soil content
)
