"""Meteorological Bureau (Annex 3, item 22): weather elements and atmospheric composition.

Record shape (``POST /departments/meteorology/records``): one hourly report of a station,
stamped as CMA stamps it — ``observed_at`` is the END of the hour (Beijing time), so the
"08:00" report carries the precipitation of 07:00-08:00::

    {"station": "YJ-MET-59663", "observed_at": "2026-11-01T08:00:00+08:00", "temp_c": 21.6,
     "rh_pct": 83, "pressure_hpa": 1013.2, "wind_speed_ms": 3.4, "wind_dir_deg": 45,
     "precip_mm": 0.4, "visibility_m": 8500, "pm25_ug_m3": 28, "o3_ug_m3": 61, ...}

Station pressure in hPa, visibility in metres, gases in µg/m³ (CO in mg/m³). Every element
becomes an hourly observation (``PT1H``) for the hour ending at ``observed_at``, so weather
lines up with the bureau's hourly air data, which is stamped at the hour start.
"""

from __future__ import annotations

from datetime import timedelta

from marshmallow import RAISE, Schema, fields, validate

from connectors import units as u
from connectors.base import Connector, ObservationKind, ParameterRule
from connectors.wide import wide_schema, wide_translator

PARAMETERS: dict[str, ParameterRule] = {
    # Yangjiang is a low-lying subtropical coast: readings outside these ranges are
    # instrument faults long before they are weather (typhoon centres reach about 92 kPa).
    "a01001": ParameterRule("a01001", "degC", u.CELSIUS, plausible=(-5.0, 42.0)),
    "a01002": ParameterRule("a01002", "%", u.PERCENT),
    "a01006": ParameterRule("a01006", "kPa", u.KPA, plausible=(90.0, 106.0)),
    "a01007": ParameterRule("a01007", "m/s", u.SPEED),
    "a01008": ParameterRule("a01008", "deg", u.DEGREES),
    "m_precip": ParameterRule("m_precip", "mm", u.MM),
    "m_visibility": ParameterRule("m_visibility", "km", u.KM),
    # Molar masses as the environment connector uses them, so ppb converts identically.
    "a34004": ParameterRule("a34004", "ug/m3", u.AIR_UG),
    "a34002": ParameterRule("a34002", "ug/m3", u.AIR_UG),
    "a05024": ParameterRule("a05024", "ug/m3", u.gas_ug(47.998)),
    "a21004": ParameterRule("a21004", "ug/m3", u.gas_ug(46.006)),
    "a21026": ParameterRule("a21026", "ug/m3", u.gas_ug(64.066)),
    "a21005": ParameterRule("a21005", "mg/m3", u.gas_mg(28.010)),
}

KINDS = (
    ObservationKind("weather", "气象要素观测", "Weather elements", ("weather",),
                    ("a01001", "a01002", "a01006", "a01007", "a01008", "m_precip",
                     "m_visibility")),
    ObservationKind("atmospheric-composition", "大气成分监测", "Atmospheric composition",
                    ("atmospheric-composition",),
                    ("a34004", "a34002", "a05024", "a21004", "a21026", "a21005")),
)

# column → (parameter code, unit the CMA station software writes in that column)
COLUMNS: dict[str, tuple[str, str]] = {
    "temp_c": ("a01001", "degC"), "rh_pct": ("a01002", "%"),
    "pressure_hpa": ("a01006", "hPa"), "wind_speed_ms": ("a01007", "m/s"),
    "wind_dir_deg": ("a01008", "deg"), "precip_mm": ("m_precip", "mm"),
    "visibility_m": ("m_visibility", "m"),
    "pm25_ug_m3": ("a34004", "ug/m3"), "pm10_ug_m3": ("a34002", "ug/m3"),
    "o3_ug_m3": ("a05024", "ug/m3"), "no2_ug_m3": ("a21004", "ug/m3"),
    "so2_ug_m3": ("a21026", "ug/m3"), "co_mg_m3": ("a21005", "mg/m3"),
}


class _ReportKeys(Schema):
    class Meta:
        unknown = RAISE  # a misspelt column must be reported, not silently dropped

    station = fields.String(
        required=True, validate=validate.Length(min=1, max=64),
        metadata={"description": "site code of the weather or composition station"})
    observed_at = fields.AwareDateTime(
        required=True, metadata={"description": "end of the hour, ISO 8601"})


HourlyReportSchema = wide_schema(_ReportKeys, COLUMNS, "HourlyReportSchema")


# One hourly observation per filled column, for the hour ending at ``observed_at``.
translate = wide_translator(COLUMNS, "station", "observed_at", "PT1H", shift=timedelta(hours=-1))


CONNECTOR = Connector(
    department="meteorology",
    name_en="Municipal Meteorological Bureau",
    kinds=KINDS,
    parameters=PARAMETERS,
    record_schema=HourlyReportSchema,
    translate=translate,
    record_example={
        "station": "YJ-MET-59663", "observed_at": "2026-11-01T08:00:00+08:00",
        "temp_c": 21.6, "rh_pct": 83, "pressure_hpa": 1013.2, "wind_speed_ms": 3.4,
        "wind_dir_deg": 45, "precip_mm": 0.4, "visibility_m": 8500, "pm25_ug_m3": 28,
        "pm10_ug_m3": 46, "o3_ug_m3": 61, "no2_ug_m3": 19, "so2_ug_m3": 7, "co_mg_m3": 0.7,
    },
)
