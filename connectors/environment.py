"""The bureau's own networks (Annex 1): air, surface water, drinking-water sources,
industrial parks, coastal sea, noise, radiation, key pollution sources.

Record shape (``POST /departments/environment/records``): one air-station hour with its
pollutants as columns, as the station software exports it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from marshmallow import RAISE, Schema, fields, validate

from connectors import units as u
from connectors.base import Connector, ObservationKind, ParameterRule

_WATER_MG = [
    "w01009",
    "w01018",
    "w01019",
    "w01017",
    "w21003",
    "w21011",
    "w21001",
    "w20122",
    "w20123",
    "w21017",
    "w20128",
    "w20141",
    "w20111",
    "w20115",
    "w20117",
    "w20120",
    "w21016",
    "w23002",
    "w22001",
    "w19002",
    "w21019",
    "w21006",
    "w21007",
    "w21022",
    "w01020",
    "w20116",
    "w20121",
    "w_din",
    "w_po4",
]

PARAMETERS: dict[str, ParameterRule] = {
    "a21026": ParameterRule("a21026", "ug/m3", u.gas_ug(64.066)),
    "a21004": ParameterRule("a21004", "ug/m3", u.gas_ug(46.006)),
    "a05024": ParameterRule("a05024", "ug/m3", u.gas_ug(47.998)),
    "a21005": ParameterRule("a21005", "mg/m3", u.gas_mg(28.010)),
    "a34002": ParameterRule("a34002", "ug/m3", u.AIR_UG),
    "a34004": ParameterRule("a34004", "ug/m3", u.AIR_UG),
    # Stack emissions of key pollution sources (HJ 212 loggers report mg/m³).
    "a21002": ParameterRule("a21002", "mg/m3", u.AIR_MG),
    "a34013": ParameterRule("a34013", "mg/m3", u.AIR_MG),
    "a00000": ParameterRule("a00000", "m3/s", u.same("m3/s")),
    "w00000": ParameterRule("w00000", "L/s", u.same("L/s")),
    "w01001": ParameterRule("w01001", "pH", u.PH),
    "w01010": ParameterRule("w01010", "degC", u.CELSIUS),
    "w01014": ParameterRule("w01014", "uS/cm", u.same("uS/cm")),
    "w02003": ParameterRule("w02003", "count/L", u.same("count/L")),
    "w_salinity": ParameterRule("w_salinity", "PSU", u.same("PSU")),
    "w_chla": ParameterRule("w_chla", "ug/L", u.WATER_UG),
    **{c: ParameterRule(c, "mg/L", u.WATER_MG) for c in _WATER_MG},
    "n_leq": ParameterRule("n_leq", "dB(A)", u.DBA),
    "n_lmax": ParameterRule("n_lmax", "dB(A)", u.DBA),
    "r_gamma": ParameterRule("r_gamma", "nGy/h", u.same("nGy/h")),
    "r_gross_alpha": ParameterRule("r_gross_alpha", "Bq/L", u.same("Bq/L")),
    "r_gross_beta": ParameterRule("r_gross_beta", "Bq/L", u.same("Bq/L")),
}

_AIR = ("a21026", "a21004", "a21005", "a05024", "a34002", "a34004")
KINDS = (
    ObservationKind("air", "环境空气质量", "Ambient air quality", ("air-city", "air-county"), _AIR),
    ObservationKind(
        "surface-water",
        "地表水水质",
        "Surface-water quality",
        ("surface-water", "industrial-park"),
        ("w01001", "w01010", *_WATER_MG, "w02003"),
    ),
    ObservationKind(
        "drinking-water-source",
        "饮用水水源地水质",
        "Drinking-water sources",
        ("drinking-water",),
        ("w01001", "w01010", *_WATER_MG, "w02003"),
    ),
    ObservationKind(
        "coastal",
        "近岸海域水质",
        "Coastal seawater",
        ("coastal",),
        (
            "w01001",
            "w01009",
            "w01018",
            "w21003",
            "w_din",
            "w_po4",
            "w22001",
            "w_salinity",
            "w_chla",
            "w01010",
        ),
    ),
    ObservationKind(
        "noise",
        "声环境",
        "Noise",
        ("noise-regional", "noise-traffic", "noise-functional"),
        ("n_leq", "n_lmax"),
    ),
    ObservationKind(
        "radiation",
        "辐射环境",
        "Radiation",
        ("radiation",),
        ("r_gamma", "r_gross_alpha", "r_gross_beta"),
    ),
    ObservationKind(
        "pollution-source",
        "重点污染源在线监测",
        "Key pollution sources",
        ("pollution-source",),
        (
            "a21026",
            "a21002",
            "a34013",
            "a00000",
            "w00000",
            "w01018",
            "w21003",
            "w21011",
            "w21001",
            "w01001",
        ),
    ),
)

_COLUMNS = {
    "so2": "a21026",
    "no2": "a21004",
    "co": "a21005",
    "o3": "a05024",
    "pm10": "a34002",
    "pm25": "a34004",
}


class AirHourSchema(Schema):
    """One station-hour exported by the air-station software (µg/m³, CO mg/m³)."""

    class Meta:
        unknown = RAISE

    station = fields.String(required=True, validate=validate.Length(min=1, max=64))
    hour = fields.String(required=True, metadata={"description": "hour start, ISO 8601"})
    so2 = fields.Float(allow_none=True)
    no2 = fields.Float(allow_none=True)
    co = fields.Float(allow_none=True)
    o3 = fields.Float(allow_none=True)
    pm10 = fields.Float(allow_none=True)
    pm25 = fields.Float(allow_none=True)


def translate(record: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    for column, code in _COLUMNS.items():
        if record.get(column) is not None:
            yield {
                "site": record["station"],
                "parameter": code,
                "time": record["hour"],
                "period": "PT1H",
                "value": record[column],
                "unit": "mg/m3" if column == "co" else "ug/m3",
            }


CONNECTOR = Connector(
    department="environment",
    name_en="Municipal Ecology and Environment Bureau",
    kinds=KINDS,
    parameters=PARAMETERS,
    record_schema=AirHourSchema,
    translate=translate,
    record_example={
        "station": "YJ-AIR-C01",
        "hour": "2026-11-01T08:00:00+08:00",
        "so2": 8,
        "no2": 21,
        "co": 0.6,
        "o3": 75,
        "pm10": 48,
        "pm25": 31,
    },
)
