"""Units as data: how each accepted unit converts to a parameter's canonical unit.

Departments write units many ways (``μg/m³``, ``ug/m3``, ``微克/立方米``); ``unit_key``
folds the spellings so a table lists each unit once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

_FOLD = str.maketrans({"µ": "u", "μ": "u", "³": "3", "²": "2", "℃": "c", "°": "", " ": ""})
_WORDS = {
    "微克/立方米": "ug/m3",
    "毫克/立方米": "mg/m3",
    "纳克/立方米": "ng/m3",
    "毫克/升": "mg/l",
    "微克/升": "ug/l",
    "克/立方米": "g/m3",
    "摄氏度": "c",
    "分贝": "db(a)",
    "个/升": "count/l",
    "毫克/千克": "mg/kg",
    "无量纲": "ph",
}


@lru_cache(maxsize=1024)
def unit_key(unit: str) -> str:
    """Fold a unit's spelling: case, micro signs, superscripts, Chinese names."""
    u = unit.strip()
    u = _WORDS.get(u, u)
    return u.translate(_FOLD).lower().replace("degc", "c")


@dataclass(frozen=True)
class Conversion:
    """canonical = value × factor + offset."""

    factor: float = 1.0
    offset: float = 0.0

    def apply(self, value: float) -> float:
        return value * self.factor + self.offset


# Mass concentration in air, canonical µg/m³.
AIR_UG = {
    unit_key("ug/m3"): Conversion(1),
    unit_key("mg/m3"): Conversion(1000),
    unit_key("ng/m3"): Conversion(0.001),
}
# Canonical mg/m³ (CO, stack emissions).
AIR_MG = {
    unit_key("mg/m3"): Conversion(1),
    unit_key("ug/m3"): Conversion(0.001),
    unit_key("g/m3"): Conversion(1000),
}
# Gas mixing ratios at the reference state of GB 3095-2012 amendment 1 (25 °C, 1013.25 hPa):
# 1 ppb = M / 24.465 µg/m³.
_MOLAR_VOLUME = 24.465


def gas_ug(molar_mass: float) -> dict[str, Conversion]:
    """µg/m³ table for a gas, accepting ppb and ppm too."""
    ppb = molar_mass / _MOLAR_VOLUME
    return {**AIR_UG, unit_key("ppb"): Conversion(ppb), unit_key("ppm"): Conversion(ppb * 1000)}


def gas_mg(molar_mass: float) -> dict[str, Conversion]:
    """mg/m³ table for a gas (CO), accepting ppm and ppb too."""
    ppm = molar_mass / _MOLAR_VOLUME
    return {**AIR_MG, unit_key("ppm"): Conversion(ppm), unit_key("ppb"): Conversion(ppm / 1000)}


WATER_MG = {
    unit_key("mg/L"): Conversion(1),
    unit_key("ug/L"): Conversion(0.001),
    unit_key("g/m3"): Conversion(1),
    unit_key("ppm"): Conversion(1),
}
WATER_UG = {
    unit_key("ug/L"): Conversion(1),
    unit_key("mg/L"): Conversion(1000),
    unit_key("ng/L"): Conversion(0.001),
}
SOIL_MG_KG = {
    unit_key("mg/kg"): Conversion(1),
    unit_key("ug/g"): Conversion(1),
    unit_key("ug/kg"): Conversion(0.001),
    unit_key("g/kg"): Conversion(1000),
}
CELSIUS = {
    unit_key("degC"): Conversion(1),
    unit_key("C"): Conversion(1),
    unit_key("K"): Conversion(1, -273.15),
    unit_key("F"): Conversion(5 / 9, -160 / 9),
}
PH = {unit_key("pH"): Conversion(1), unit_key(""): Conversion(1), unit_key("1"): Conversion(1)}
DBA = {
    unit_key("dB(A)"): Conversion(1),
    unit_key("dBA"): Conversion(1),
    unit_key("dB"): Conversion(1),
}
PERCENT = {unit_key("%"): Conversion(1), unit_key("fraction"): Conversion(100)}
KPA = {
    unit_key("kPa"): Conversion(1),
    unit_key("hPa"): Conversion(0.1),
    unit_key("Pa"): Conversion(0.001),
    unit_key("mbar"): Conversion(0.1),
}
SPEED = {unit_key("m/s"): Conversion(1), unit_key("km/h"): Conversion(1 / 3.6)}
DEGREES = {unit_key("deg"): Conversion(1), unit_key("degree"): Conversion(1)}
MM = {
    unit_key("mm"): Conversion(1),
    unit_key("cm"): Conversion(10),
    unit_key("m"): Conversion(1000),
}
METRES = {unit_key("m"): Conversion(1), unit_key("cm"): Conversion(0.01)}
KM = {unit_key("km"): Conversion(1), unit_key("m"): Conversion(0.001)}


def same(unit: str) -> dict[str, Conversion]:
    """A table that accepts only the canonical unit itself."""
    return {unit_key(unit): Conversion(1)}
