"""The reference network files say what Annex 1 of the plan says, and hang together."""

from collections import Counter

from hub.reference.load import read_reference_file


def _sites() -> list[dict]:
    data = read_reference_file("sites.yaml")
    return [{**data["defaults"], **s} for s in data["sites"]]


def test_annex1_counts() -> None:
    by_network = Counter((s["network"], s["status"]) for s in _sites())
    assert by_network[("air-city", "active")] == 4
    assert by_network[("air-county", "active")] == 5
    assert by_network[("air-county", "planned")] == 1  # the Yangxi county-town target
    assert by_network[("surface-water", "active")] == 13
    assert by_network[("coastal", "active")] == 6
    assert by_network[("noise-functional", "active")] == 5
    assert by_network[("radiation", "active")] == 2


def test_county_air_stations_are_where_the_plan_puts_them() -> None:
    counties = Counter(
        s["county"] for s in _sites() if s["network"] == "air-county" and s["status"] == "active"
    )
    assert counties == {"441781": 2, "441704": 2, "hailingwan": 1}


def test_every_site_refers_to_known_rows_and_says_coordinates_are_approximate() -> None:
    networks = {n["code"]: n for n in read_reference_file("networks.yaml")["networks"]}
    counties = {c["code"] for c in read_reference_file("counties.yaml")["counties"]}
    departments = {d["code"] for d in read_reference_file("departments.yaml")["departments"]}
    codes = [s["code"] for s in _sites()]
    assert len(codes) == len(set(codes))
    for s in _sites():
        assert s["network"] in networks, s["code"]
        assert networks[s["network"]]["department"] == s["department"], s["code"]
        assert s["county"] in counties, s["code"]
        assert s["coordinates_approximate"] is True
        assert 21.3 < s["lat"] < 22.8 and 111.2 < s["lon"] < 112.5, s["code"]
    assert {n["department"] for n in networks.values()} <= departments


def test_counties_have_the_official_codes() -> None:
    counties = {c["code"]: c for c in read_reference_file("counties.yaml")["counties"]}
    assert {"441702", "441704", "441721", "441781"} <= set(counties)
    assert counties["441781"]["name_en"] == "Yangchun City"
    assert counties["hailingwan"]["admin_code"] is None


def test_parameters_use_hj212_codes() -> None:
    params = {p["code"]: p for p in read_reference_file("parameters.yaml")["parameters"]}
    for code, name in [
        ("a34004", "PM2.5"),
        ("a34002", "PM10"),
        ("a21026", "SO2"),
        ("a21004", "NO2"),
        ("a21005", "CO"),
        ("a05024", "O3"),
        ("w01018", "COD"),
        ("w21003", "Ammonia nitrogen (NH3-N)"),
    ]:
        assert params[code]["name_en"] == name
        assert params[code]["hj212_code"] == code
    for p in params.values():
        assert p["plausible_min"] < p["plausible_max"], p["code"]


def test_every_code_a_standard_judges_is_in_the_vocabulary() -> None:
    from hub.standards import STANDARD_PARAMETERS

    params = {p["code"] for p in read_reference_file("parameters.yaml")["parameters"]}
    for standard, codes in STANDARD_PARAMETERS.items():
        missing = set(codes) - params
        assert not missing, f"{standard}: {sorted(missing)}"
