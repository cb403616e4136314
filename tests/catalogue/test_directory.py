"""Directory validation: every problem named by file and field; the packaged files valid."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from catalogue.directory import DirectoryError, load_directory, parse_directory, parse_entry
from catalogue.fields import Vocabulary
from catalogue.model import Disclosure, Frequency, Window

VOCAB = Vocabulary(
    departments=frozenset({"environment", "health"}),
    networks=frozenset({"air-city", "surface-water"}),
    parameters=frozenset({"a21026", "a21004", "a21005", "a05024", "a34002", "a34004"}),
)
GOOD: dict[str, Any] = {
    "id": "air-daily",
    "title": {"zh": "空气日报", "en": "Daily air"},
    "description": {"zh": "说明", "en": "About"},
    "department": "environment",
    "disclosure": "open",
    "licence": "cc-by",
    "update_frequency": "daily",
    "keywords": {"zh": ["空气质量"], "en": ["air quality", "PM2.5"]},
    "spatial": {"zh": "阳江市", "en": "Yangjiang", "bbox": [111.27, 21.45, 112.35, 22.7]},
    "query": {
        "networks": ["air-city"],
        "parameters": ["a21026", "a21004", "a21005", "a05024", "a34002", "a34004"],
        "period": "pt1h",
        "producer": "daily_aqi",
        "window": "P31D",
    },
}


def problems(doc: Any) -> dict[str, str]:
    entry, found = parse_entry(doc, "air-daily.yaml", VOCAB)
    assert (entry is None) == bool(found)
    assert all(p.file == "air-daily.yaml" for p in found)
    return {p.field: p.message for p in found}


def changed(path: str, value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(GOOD)
    *parents, last = path.split(".")
    target = doc
    for p in parents:
        target = target[p]
    if value is ...:
        del target[last]
    else:
        target[last] = value
    return doc


def test_a_good_entry_parses() -> None:
    entry, found = parse_entry(GOOD, "air-daily.yaml", VOCAB)
    assert found == [] and entry is not None
    assert entry.disclosure is Disclosure.OPEN and entry.frequency is Frequency.DAILY
    assert entry.query.period == "PT1H" and entry.query.window == Window(days=31)
    assert entry.keywords.all == ("空气质量", "air quality", "PM2.5")
    assert entry.licence.is_open


@pytest.mark.parametrize(
    ("path", "value", "field", "words"),
    [
        ("id", "Air_Daily", "id", "lower-case"),
        ("id", ..., "id", "required"),
        ("title.en", "", "title.en", "required"),
        ("title.fr", "Air", "title.fr", "unknown field"),
        ("colour", "blue", "colour", "unknown field"),
        ("department", "tourism", "department", "unknown department"),
        ("disclosure", "secret", "disclosure", "not one of open, conditional, internal"),
        ("licence", "wtfpl", "licence", "not one of"),
        ("licence", "other-closed", "licence", "not an open licence"),
        ("update_frequency", "fortnightly", "update_frequency", "not one of"),
        ("keywords.en", ["ok", "a"], "keywords.en[1]", "2-100"),
        ("keywords.zh", ["含有/斜杠"], "keywords.zh[0]", "2-100"),
        ("keywords.zh", ["pm2.5"], "keywords", "'PM2.5' is given twice"),
        ("spatial.bbox", [112, 21, 111, 22], "spatial.bbox", "west < east"),
        ("spatial.bbox", [111, 21, 112], "spatial.bbox", "[west, south, east, north]"),
        ("query.networks", [], "query.networks", "non-empty list"),
        ("query.networks", ["air-city", "air-xyz"], "query.networks[1]", "unknown network"),
        ("query.parameters", ["a34004"], "query.parameters", "daily_aqi needs"),
        ("query.parameters", ["a21026", "zz"], "query.parameters[1]", "unknown parameter"),
        ("query.period", "hourly", "query.period", "ISO 8601"),
        ("query.producer", "magic", "query.producer", "not one of"),
        ("query.window", "PT12H", "query.window", "whole days or months"),
        ("query.window", "P0D", "query.window", "between one day"),
        ("query.window", "P100M", "query.window", "between one day"),
        ("query.window", ..., "query.window", "whole days or months"),
    ],
)
def test_each_problem_names_its_field(path: str, value: Any, field: str, words: str) -> None:
    found = problems(changed(path, value))
    assert field in found, found
    assert words in found[field]


def test_an_entry_that_is_not_a_mapping() -> None:
    assert problems(["id", "x"]) == {"(top level)": "expected a mapping"}


def test_a_conditional_entry_may_have_a_closed_licence() -> None:
    doc = changed("disclosure", "conditional")
    doc["licence"] = "other-closed"
    assert problems(doc) == {}


def test_directory_level_problems_are_collected_with_file_names() -> None:
    other = changed("department", "tourism")
    with pytest.raises(DirectoryError) as failed:
        parse_directory(
            [("air-daily.yaml", GOOD), ("copy.yaml", GOOD), ("bad.yaml", other)], VOCAB
        )
    text = str(failed.value)
    assert "copy.yaml: id: 'air-daily' must equal the file name" in text
    assert "copy.yaml: id: 'air-daily' is also used by air-daily.yaml" in text
    assert "bad.yaml: department: unknown department 'tourism'" in text
    assert len(failed.value.problems) == 3


def test_the_packaged_directory_is_valid_and_covers_the_plan() -> None:
    directory = load_directory()
    by_id = {e.id: e for e in directory}
    producers = {e.query.producer for e in directory}
    assert {"hourly_aqi", "daily_aqi", "monthly_water_class", "source_water_compliance",
            "seawater_class", "noise_compliance", "county_assessment"} <= producers
    assert by_id["pollution-source-online"].disclosure is Disclosure.CONDITIONAL
    assert any(e.disclosure is Disclosure.INTERNAL for e in directory)
    assert all(e.licence.is_open for e in directory if e.disclosure is Disclosure.OPEN)


def test_windows_start_at_a_local_midnight() -> None:
    now = datetime(2026, 11, 20, 17, 30, tzinfo=UTC)  # 01:30 on the 21st, local
    start, end = Window(days=2).bounds(now)
    assert (start.isoformat(), end.isoformat()) == (
        "2026-11-18T16:00:00+00:00", "2026-11-21T16:00:00+00:00")
    start, _ = Window(months=12).bounds(now)
    assert start.isoformat() == "2025-10-31T16:00:00+00:00"
    assert Window(months=1).bounds(datetime(2026, 1, 5, tzinfo=UTC))[0].isoformat() == (
        "2025-11-30T16:00:00+00:00")
