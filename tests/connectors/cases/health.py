"""Health Bureau: tap water at plants and taps, exposed-population blood lead."""

from __future__ import annotations

from connectors import health
from tests.connectors.cases.table import Bad, Department, Record, utc, without

TAP = {
    "site": "YJ-TAP-03",
    "sampled_at": "2026-11-12T09:00:00+08:00",
    "turbidity_ntu": 0.35,
    "free_chlorine_mg_l": 0.62,
    "total_coliform_mpn_100ml": 0,
    "e_coli_mpn_100ml": 0,
    "cfu_per_ml": 12,
    "ph": 7.3,
    "nitrate_n_mg_l": 2.1,
    "codmn_mg_l": 1.1,
    "as_ug_l": 0.8,
    "pb_ug_l": 0.5,
    "hg_ug_l": None,
}
CASE = Department(
    connector=health.CONNECTOR,
    pushed={"site": "YJ-TAP-03", "time": "2026-11-12T09:00:00+08:00", "period": "PT0S"},
    records=[
        Record(
            "tap sample: GB 5749 codes",
            TAP,
            "YJ-TAP-03",
            utc(2026, 11, 12, 1),
            "PT0S",
            {
                "d_turbidity": 0.35,
                "d_free_chlorine": 0.62,
                "d_total_coliform": 0,
                "d_e_coli": 0,
                "d_cfu": 12,
                "w01001": 7.3,
                "w21007": 2.1,
                "w01019": 1.1,
                "w20141": 0.0008,  # µg/L -> mg/L
                "w20120": 0.0005,
            },
        ),
        Record(
            "blood lead survey",
            {"site": "YJ-PH-01", "sampled_at": "2026-09-15T09:00:00+08:00", "blood_pb_ug_l": 46},
            "YJ-PH-01",
            utc(2026, 9, 15, 1),
            "PT0S",
            {"h_blood_pb": 46},
        ),
    ],
    conversions=[
        ("h_blood_pb", "ug/dL", 4.6, 46),
        ("d_total_coliform", "CFU/100mL", 2, 2),
        ("d_e_coli", "MPN/L", 10, 1),
        ("d_cfu", "CFU/mL", 12, 12),
        ("w21007", "mg/L", 2.1, 2.1),
    ],
    bad=[
        Bad({**TAP, "free_chlorine": 0.62}, "free_chlorine"),  # typo'd column
        Bad({**TAP, "turbidity_ntu": True}, "turbidity_ntu"),
        Bad(without(TAP, "site"), "site"),
        Bad({**TAP, "sampled_at": "12/11/2026 09:00"}, "sampled_at"),
    ],
    foreign=("w_din", "mg/L", 0.18),
    refused_units=[
        ("d_turbidity", "FNU", 0.35),  # infrared turbidity reads differently from NTU
        ("d_cfu", "CFU/100mL", 0.35),
    ],
)
