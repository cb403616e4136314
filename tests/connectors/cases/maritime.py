"""Maritime Safety Administration: ship-pollution inspections."""

from __future__ import annotations

from connectors import maritime
from tests.connectors.cases.table import Bad, Department, Record, utc, without

INSPECTION = {
    "inspection_no": "YJMSA-2026-0412",
    "ship_name": "HAI XING 8",
    "imo": "9074729",
    "port_site": "YJ-SP-01",
    "inspected_at": "2026-11-18T14:30:00+08:00",
    "oil_content_mg_l": 12.0,
    "discharge_m3": 3.5,
}
CASE = Department(
    connector=maritime.CONNECTOR,
    pushed={"site": "YJ-SP-01", "time": "2026-11-18T14:30:00+08:00", "period": "PT0S"},
    records=[
        Record(
            "inspection attaches to the port site, not the ship",
            INSPECTION,
            "YJ-SP-01",
            utc(2026, 11, 18, 6, 30),
            "PT0S",
            {"sp_oil_content": 12.0, "sp_oil_discharge": 3.5},
        ),
        Record(
            "ship without an IMO number",
            {**without(INSPECTION, "imo", "inspection_no"), "ship_name": "粤阳江货1234"},
            "YJ-SP-01",
            utc(2026, 11, 18, 6, 30),
            "PT0S",
            {"sp_oil_content": 12.0, "sp_oil_discharge": 3.5},
        ),
    ],
    conversions=[
        ("sp_oil_discharge", "L", 3500, 3.5),
        ("sp_oil_discharge", "立方米", 3.5, 3.5),
        ("sp_oil_content", "ug/L", 12000, 12.0),
    ],
    bad=[
        Bad({**INSPECTION, "oil_content": 12.0}, "oil_content"),  # typo'd column
        Bad({**INSPECTION, "discharge_m3": "3.5 t"}, "discharge_m3"),
        Bad({**INSPECTION, "imo": "9074728"}, "imo"),  # check digit fails
        Bad({**INSPECTION, "imo": "IMO9074729"}, "imo"),
        Bad(without(INSPECTION, "port_site"), "port_site"),
        Bad(without(INSPECTION, "ship_name"), "ship_name"),
    ],
    foreign=("w22001", "mg/L", 0.3),
    refused_units=[
        ("sp_oil_discharge", "t", 15),  # oily water has no fixed density
        ("sp_oil_content", "ppm", 15),  # oil content meters read ppm by volume
    ],
)
