"""National environmental standards as data with effective dates, and pure functions on them.

No database, no clock, no I/O: time is always passed in (timezone-aware datetimes, or a
``date`` meaning a local UTC+8 calendar day) and picks the edition in force that day.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from hub.standards import codes
from hub.standards.aggregation import (
    daily_indicators,
    daily_max_1h,
    daily_max_8h,
    daily_mean,
    index_hourly,
    trailing_mean,
)
from hub.standards.air_limits import AIR_LIMIT_TABLES, AirLimit, air_limit
from hub.standards.aqi import (
    AqiLevel,
    AqiResult,
    Iaqi,
    IaqiRule,
    aqi_edition,
    aqi_level,
    daily_aqi,
    hourly_aqi,
    iaqi,
)
from hub.standards.aqi_tables import (
    CO_1H,
    CO_24H,
    NO2_1H,
    NO2_24H,
    O3_1H,
    O3_8H,
    PM10_1H,
    PM10_24H,
    PM25_1H,
    PM25_24H,
    SO2_1H,
    SO2_24H,
    Indicator,
    Period,
)
from hub.standards.drinking_water import (
    DRINKING_TABLES,
    DrinkingResult,
    SamplePoint,
    check_drinking_water,
)
from hub.standards.editions import LOCAL_TZ, Confidence, Edition, NoEditionInForce, local_day
from hub.standards.noise import DayPart, NoiseResult, NoiseZone, assess_noise, day_part
from hub.standards.seawater import (
    SEAWATER_TABLES,
    SeaClass,
    SeawaterResult,
    seawater_class,
    seawater_item_class,
)
from hub.standards.soil import SOIL_TABLES, LandUse, SoilResult, SoilRisk, assess_soil, ph_band
from hub.standards.surface_water import (
    SectionResult,
    WaterBody,
    WaterClass,
    item_class,
    section_class,
    section_class_for_period,
)
from hub.standards.surface_water_tables import GB3838_TABLES

#: Which parameter codes each standard evaluates (union over its editions held).
STANDARD_PARAMETERS: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {
        "HJ 633": frozenset(codes.AIR),
        "GB 3095": frozenset(code for t in AIR_LIMIT_TABLES for code, _ in t.limits),
        "GB 3838": frozenset({codes.PH}).union(*(t.items for t in GB3838_TABLES)),
        "GB 3097": frozenset().union(*(t.items for t in SEAWATER_TABLES)),
        "GB 3096": frozenset({codes.N_LEQ, codes.N_LMAX}),
        "GB 15618": frozenset({codes.S_PH}).union(*(t.elements for t in SOIL_TABLES)),
        "GB 5749": frozenset(lim.code for t in DRINKING_TABLES for lim in t.limits),
    }
)

__all__ = [
    "CO_1H",
    "CO_24H",
    "LOCAL_TZ",
    "NO2_1H",
    "NO2_24H",
    "O3_1H",
    "O3_8H",
    "PM10_1H",
    "PM10_24H",
    "PM25_1H",
    "PM25_24H",
    "SO2_1H",
    "SO2_24H",
    "STANDARD_PARAMETERS",
    "AirLimit",
    "AqiLevel",
    "AqiResult",
    "Confidence",
    "DayPart",
    "DrinkingResult",
    "Edition",
    "Iaqi",
    "IaqiRule",
    "Indicator",
    "LandUse",
    "NoEditionInForce",
    "NoiseResult",
    "NoiseZone",
    "Period",
    "SamplePoint",
    "SeaClass",
    "SeawaterResult",
    "SectionResult",
    "SoilResult",
    "SoilRisk",
    "WaterBody",
    "WaterClass",
    "air_limit",
    "aqi_edition",
    "aqi_level",
    "assess_noise",
    "assess_soil",
    "check_drinking_water",
    "daily_aqi",
    "daily_indicators",
    "daily_max_1h",
    "daily_max_8h",
    "daily_mean",
    "day_part",
    "hourly_aqi",
    "iaqi",
    "index_hourly",
    "item_class",
    "local_day",
    "ph_band",
    "seawater_class",
    "seawater_item_class",
    "section_class",
    "section_class_for_period",
    "trailing_mean",
]
