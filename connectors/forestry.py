"""Forestry Bureau (Annex 3, item 16): forest land, forest cover, wetlands, ecological stations.

Record shape (``POST /departments/forestry/records``): one reporting period at one site —
an annual inventory figure for a forest farm, forest park or wetland, or an hour at an
ecological station — with the period stated in the record::

    {"site": "YJ-FOR-02", "period_start": "2025-01-01T00:00:00+08:00", "period": "P1Y",
     "forest_cover_pct": 71.3, "forest_land_area_ha": 8650}
    {"site": "YJ-ECO-01", "period_start": "2026-11-01T08:00:00+08:00", "period": "PT1H",
     "negative_ions_per_cm3": 2350, "air_temp_c": 22.4, "rh_pct": 78, "pm25_ug_m3": 14}

Areas are in hectares (hm²), cover in percent, negative air ions per cm³.
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from connectors import units as u
from connectors.base import Connector, ObservationKind, ParameterRule
from connectors.units import Conversion, unit_key
from connectors.wide import wide_schema, wide_translator
from hub.timeutil import parse_period

# 公顷 = hm² = ha; 1 亩 is defined as 1/15 ha, so every row here is exact.
AREA = {unit_key(k): Conversion(f) for k, f in (
    ("ha", 1), ("hm2", 1), ("公顷", 1), ("km2", 100), ("平方公里", 100), ("m2", 1e-4),
    ("mu", 1 / 15), ("亩", 1 / 15))}
IONS = {unit_key(k): Conversion(f) for k, f in (
    ("ions/cm3", 1), ("个/cm3", 1), ("个/立方厘米", 1), ("ions/mL", 1))}

PARAMETERS: dict[str, ParameterRule] = {
    "e_forest_land_area": ParameterRule("e_forest_land_area", "ha", AREA),
    "e_forest_cover": ParameterRule("e_forest_cover", "%", u.PERCENT),
    "e_wetland_area": ParameterRule("e_wetland_area", "ha", AREA),
    "e_negative_ions": ParameterRule("e_negative_ions", "ions/cm3", IONS),
    "a01001": ParameterRule("a01001", "degC", u.CELSIUS),
    "a01002": ParameterRule("a01002", "%", u.PERCENT),
    "a34004": ParameterRule("a34004", "ug/m3", u.AIR_UG),
}

KINDS = (
    ObservationKind("forest", "林地保有量与森林覆盖率", "Forest land and forest cover",
                    ("forest",), ("e_forest_land_area", "e_forest_cover")),
    ObservationKind("wetland", "重要湿地监测", "Wetlands", ("wetland",), ("e_wetland_area",)),
    # Forest parks publish negative ions next to the air they are breathed with.
    ObservationKind("eco-station", "森林生态定位观测", "Ecological stations", ("eco-station",),
                    ("e_negative_ions", "a01001", "a01002", "a34004")),
)

# column → (parameter code, unit the bureau's system writes in that column)
COLUMNS: dict[str, tuple[str, str]] = {
    "forest_land_area_ha": ("e_forest_land_area", "ha"),
    "forest_cover_pct": ("e_forest_cover", "%"),
    "wetland_area_ha": ("e_wetland_area", "ha"),
    "negative_ions_per_cm3": ("e_negative_ions", "ions/cm3"),
    "air_temp_c": ("a01001", "degC"), "rh_pct": ("a01002", "%"),
    "pm25_ug_m3": ("a34004", "ug/m3"),
}


def _duration(text: str) -> None:
    # Checked here so a bad period is reported once at the record's field, not per column.
    try:
        parse_period(text)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


class _PeriodKeys(Schema):
    class Meta:
        unknown = RAISE  # a misspelt column must be reported, not silently dropped

    site = fields.String(
        required=True, validate=validate.Length(min=1, max=64),
        metadata={"description": "site code of the forest, wetland or ecological station"})
    period_start = fields.AwareDateTime(
        required=True, metadata={"description": "start of the period, ISO 8601 with offset"})
    # Inventories are annual (P1Y), stations hourly (PT1H): no default is right for both.
    period = fields.String(required=True, validate=_duration,
                           metadata={"description": "ISO 8601 duration, e.g. P1Y or PT1H"})


ForestryRecordSchema = wide_schema(_PeriodKeys, COLUMNS, "ForestryRecordSchema")


# One observation per filled column over the record's period.
translate = wide_translator(COLUMNS, "site", "period_start", lambda r: str(r["period"]))


CONNECTOR = Connector(
    department="forestry",
    name_en="Municipal Forestry Bureau",
    kinds=KINDS,
    parameters=PARAMETERS,
    record_schema=ForestryRecordSchema,
    translate=translate,
    record_example={
        "site": "YJ-ECO-01", "period_start": "2026-11-01T08:00:00+08:00", "period": "PT1H",
        "negative_ions_per_cm3": 2350, "air_temp_c": 22.4, "rh_pct": 78, "pm25_ug_m3": 14,
    },
)
