"""Monitoring factor codes (HJ 212-2017 Annex B) with their Chinese names and default units.

The units are the standard's *defaults* as printed in Annex B, e.g. gases in 毫克/立方米 (mg/m³)
but particulates TSP/PM10/PM2.5/PM1.0 in 纳克/立方米 (ng/m³), water metals partly in 微克/升
(µg/L). A logger may be configured otherwise; the hub must not assume the unit blindly.

a05024 (O3) is *not* in Annex B of HJ 212-2017; it is the HJ 524-2009 code the hub uses, kept
as a supplement with ``in_annex_b=False`` and no unit (the standard gives none).

An unknown code is not a parse error (Annex B says "可扩充", extensible): readings keep it, and
``is_known`` tells the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

from connectors.hj212._annex_b import ANNEX_B

UNIT_SYMBOLS: dict[str, str] = {
    "升/秒": "L/s", "立方米": "m³", "无量纲": "1", "[色]度": "degree (colour)", "毫克/升": "mg/L",
    "千克": "kg", "摄氏度": "°C", "微西[门子]/厘米": "µS/cm", "个/升": "count/L",
    "贝可[勒尔]/升": "Bq/L", "微克/升": "µg/L", "克": "g", "纳克/升": "ng/L", "毫克": "mg",
    "立方米/秒": "m³/s", "%": "%", "千帕": "kPa", "米/秒": "m/s", "[角]度": "°", "平方米": "m²",
    "毫克/立方米": "mg/m³", "纳克/立方米": "ng/m³", "吨/平方千米•月": "t/(km²·month)", "分贝": "dB",
}
"""The standard's unit wording -> a conventional symbol."""

_NAMES_EN: dict[str, str] = {
    "a21026": "SO2", "a21004": "NO2", "a21005": "CO", "a05024": "O3", "a34002": "PM10",
    "a34004": "PM2.5", "a01001": "temperature", "a01002": "humidity", "a01006": "pressure",
    "a01007": "wind speed", "a01008": "wind direction", "a00000": "exhaust gas flow",
    "a21002": "NOx", "a34013": "smoke dust", "a19001": "O2", "w00000": "wastewater flow",
    "w01001": "pH", "w01009": "dissolved oxygen", "w01010": "water temperature",
    "w01014": "conductivity", "w01018": "COD", "w01019": "permanganate index (CODMn)",
    "w01017": "BOD5", "w21003": "ammonia nitrogen (NH3-N)", "w21011": "total phosphorus",
    "w21001": "total nitrogen", "w20111": "total mercury", "w20115": "total cadmium",
    "w20117": "hexavalent chromium", "w20120": "total lead", "w20122": "total copper",
    "w20123": "total zinc", "w20141": "arsenic", "w21016": "cyanide", "w21017": "fluoride",
    "w21019": "sulfide", "w22001": "petroleum", "w23002": "volatile phenol",
    "w19002": "anionic surfactant (LAS)", "w02003": "fecal coliform",
}


@dataclass(frozen=True)
class Factor:
    """One monitoring factor code."""

    code: str
    name_zh: str
    unit_zh: str | None  # default concentration unit as printed in Annex B
    emission_unit_zh: str | None  # default emission-amount unit (e.g. 千克), if any
    data_type: str | None  # default data type, e.g. N5.2
    original_code: str | None = None  # HJ 524/525 code
    name_en: str | None = None
    in_annex_b: bool = True

    @property
    def unit(self) -> str | None:
        """Conventional symbol of the concentration unit (``mg/m³``...)."""
        return None if self.unit_zh is None else UNIT_SYMBOLS.get(self.unit_zh, self.unit_zh)

    @property
    def medium(self) -> str:
        """``water``, ``air`` or ``noise``, from the code's first letter."""
        return {"w": "water", "a": "air"}.get(self.code[0], "noise")


def _load() -> dict[str, Factor]:
    table: dict[str, Factor] = {}
    for line in ANNEX_B.strip().splitlines():
        code, name, orig, unit, emission, dtype = (c.strip() for c in line.split("|"))
        table[code] = Factor(code=code, name_zh=name, unit_zh=unit or None,
                             emission_unit_zh=emission or None, data_type=dtype or None,
                             original_code=orig if orig not in ("", "--") else None,
                             name_en=_NAMES_EN.get(code))
    table["a05024"] = Factor(code="a05024", name_zh="臭氧", unit_zh=None, emission_unit_zh=None,
                             data_type=None, name_en="O3", in_annex_b=False)
    return table


FACTORS: dict[str, Factor] = _load()
"""Every known factor code -> Factor."""


def is_known(code: str) -> bool:
    """True when ``code`` is an Annex B factor (or a supplement the hub uses, such as a05024)."""
    return code in FACTORS


def get_factor(code: str) -> Factor | None:
    """The Factor for ``code``, or None when unknown."""
    return FACTORS.get(code)
