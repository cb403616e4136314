"""GB 15618-2018 farmland soil screening by pH band and land use."""

from datetime import date
from decimal import Decimal

import pytest

from hub.standards import LandUse, SoilRisk, assess_soil, ph_band
from hub.standards.soil import soil_values

ON = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("ph", "band"),
    [("4.0", 0), ("5.5", 0), ("5.51", 1), ("6.5", 1), ("6.51", 2), ("7.5", 2), ("7.51", 3)],
)
def test_ph_band_boundaries(ph, band):
    assert ph_band(Decimal(ph)) == band


@pytest.mark.parametrize(
    ("code", "ph", "use", "screening", "intervention"),
    [
        ("s_cd", "5.5", LandUse.PADDY, "0.3", "1.5"),
        ("s_cd", "5.51", LandUse.PADDY, "0.4", "2.0"),
        ("s_cd", "6.0", LandUse.OTHER, "0.3", "2.0"),
        ("s_cd", "8", LandUse.ORCHARD, "0.6", "4.0"),  # orchard is "other" for Cd
        ("s_pb", "8", LandUse.PADDY, "240", "1000"),
        ("s_as", "7", LandUse.OTHER, "30", "120"),
        ("s_cu", "7", LandUse.ORCHARD, "200", None),
        ("s_cu", "7", LandUse.PADDY, "100", None),  # paddy is "other" for Cu
        ("s_ni", "8", LandUse.PADDY, "190", None),
        ("s_zn", "5", LandUse.OTHER, "200", None),
    ],
)
def test_values(code, ph, use, screening, intervention):
    expected = (Decimal(screening), None if intervention is None else Decimal(intervention))
    assert soil_values(code, Decimal(ph), use, when=ON) == expected


def test_risk_categories():
    result = assess_soil({"s_cd": 0.4, "s_pb": 101, "s_hg": 2.51, "s_ph": 6}, 6, "paddy", when=ON)
    risks = {i.code: i.risk for i in result.items}
    assert risks == {
        "s_cd": SoilRisk.NEGLIGIBLE,  # equal to screening 0.4
        "s_pb": SoilRisk.POSSIBLE,  # > 100, ≤ 500
        "s_hg": SoilRisk.HIGH,
    }  # > intervention 2.5
    assert (result.exceeds_screening, result.risk, result.ph_band) == (True, SoilRisk.HIGH, 1)
    assert result.not_evaluated == ()


def test_clean_sample():
    result = assess_soil({"s_cd": 0.2, "s_zn": 100}, 7, LandUse.OTHER, when=ON)
    assert (result.exceeds_screening, result.risk) == (False, SoilRisk.NEGLIGIBLE)


def test_no_intervention_value_caps_risk_at_possible():
    result = assess_soil({"s_ni": 500}, 8, LandUse.OTHER, when=ON)
    assert result.risk is SoilRisk.POSSIBLE
