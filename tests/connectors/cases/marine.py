"""Ocean and Fisheries Bureau: coastal and fishery seawater samples."""

from __future__ import annotations

from connectors import marine
from tests.connectors.cases.table import Bad, Department, Record, utc, without

SEAWATER = {
    "station": "YJ-MC-05",
    "sampled_at": "2026-08-14T10:20:00+08:00",
    "water_temp_c": 28.9,
    "salinity_psu": 31.6,
    "ph": 8.12,
    "do_mg_l": 6.4,
    "cod_mg_l": 1.1,
    "din_mg_l": 0.182,
    "po4_mg_l": 0.012,
    "petroleum_mg_l": 0.021,
    "hg_ug_l": 0.031,
    "pb_ug_l": 0.86,
    "cu_ug_l": 2.3,
    "chla_ug_l": 2.4,
}
CASE = Department(
    connector=marine.CONNECTOR,
    pushed={"site": "YJ-FW-02", "time": "2026-08-14T10:20:00+08:00", "period": "PT0S"},
    records=[
        Record(
            "seawater sample: metals in mg/L",
            SEAWATER,
            "YJ-MC-05",
            utc(2026, 8, 14, 2, 20),
            "PT0S",
            {
                "w01010": 28.9,
                "w_salinity": 31.6,
                "w01001": 8.12,
                "w01009": 6.4,
                "w01018": 1.1,
                "w_din": 0.182,
                "w_po4": 0.012,
                "w22001": 0.021,
                "w_chla": 2.4,
                "w20111": 0.000031,  # 0.031 µg/L Hg
                "w20120": 0.00086,
                "w20122": 0.0023,
            },
        )
    ],
    conversions=[
        ("w_din", "umol/L", 13.0, 0.182091),  # as N, 14.007 g/mol
        ("w_po4", "µmol/L", 0.4, 0.0123896),  # as P, 30.974 g/mol
        ("w_chla", "mg/m³", 2.4, 2.4),
        ("w02003", "MPN/100mL", 130, 1300),
        ("w20121", "ug/L", 1.5, 0.0015),
    ],
    bad=[
        Bad({**SEAWATER, "din_mgl": 0.182}, "din_mgl"),  # typo'd column
        Bad({**SEAWATER, "salinity_psu": [31.6]}, "salinity_psu"),
        Bad(without(SEAWATER, "station"), "station"),
        Bad(without(SEAWATER, "sampled_at"), "sampled_at"),
    ],
    foreign=("sp_oil_content", "mg/L", 12),
    refused_units=[
        ("w_salinity", "‰", 31.6),  # Knudsen salinity is not the practical scale
        ("w_din", "mg/kg", 31.6),
    ],
    plausible={"w01001": (6.0, 9.5)},  # seawater pH has its own range
)
