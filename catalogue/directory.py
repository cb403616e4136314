"""Load and validate the open-data directory (``catalogue/directory/*.yaml``).

One YAML file per entry. Every problem is reported with the file and the field it is in
(``air-aqi-daily.yaml: query.networks[1]: unknown network 'air-xyz'``), all of them at
once, so ``ecohub catalogue check`` can be fixed in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from catalogue.fields import Checker, Vocabulary
from catalogue.model import (
    LICENCES,
    Disclosure,
    Entry,
    Frequency,
    Keywords,
    Query,
    Spatial,
    Text,
    Window,
)

DIRECTORY_DIR = Path(__file__).resolve().parent / "directory"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$")
_TOP = {
    "id", "title", "description", "department", "disclosure", "licence",
    "update_frequency", "keywords", "spatial", "query",
}
_QUERY = {"networks", "parameters", "period", "producer", "window"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one directory file."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


class DirectoryError(ValueError):
    """The directory has invalid entries; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the catalogue directory:\n{lines}")


@dataclass(frozen=True)
class Directory:
    """The validated entries, by id, in file-name order."""

    entries: tuple[Entry, ...]

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> Entry | None:
        """The entry with this id, if any."""
        return next((e for e in self.entries if e.id == entry_id), None)


def _text(c: Checker, doc: Any, name: str) -> Text:
    m = c.mapping(doc, name, {"zh", "en"})
    return Text(c.string(m.get("zh"), f"{name}.zh"), c.string(m.get("en"), f"{name}.en"))


def _keywords(c: Checker, doc: Any) -> Keywords:
    m = c.mapping(doc, "keywords", {"zh", "en"})

    def tags(lang: str) -> tuple[str, ...]:
        path = f"keywords.{lang}"
        return tuple(c.tag(v, f"{path}[{i}]") for i, v in enumerate(c.seq(m.get(lang), path)))

    keywords = Keywords(tags("zh"), tags("en"))
    # CKAN refuses a package that names the same tag twice.
    seen: set[str] = set()
    for word in keywords.all:
        if word and word.lower() in seen:
            c.fail("keywords", f"{word!r} is given twice")
        seen.add(word.lower())
    return keywords


def _spatial(c: Checker, doc: Any) -> Spatial:
    m = c.mapping(doc, "spatial", {"zh", "en", "bbox"})
    return Spatial(
        c.string(m.get("zh"), "spatial.zh"),
        c.string(m.get("en"), "spatial.en"),
        c.bbox(m.get("bbox")),
    )


def _query(c: Checker, doc: Any) -> Query:
    m = c.mapping(doc, "query", _QUERY)
    networks = c.seq(m.get("networks"), "query.networks")
    params = c.seq(m.get("parameters", []), "query.parameters", required=False)
    producer = c.producer(m.get("producer"), params)
    return Query(
        networks=tuple(c.network(v, f"query.networks[{i}]") for i, v in enumerate(networks)),
        parameters=tuple(c.parameter(v, f"query.parameters[{i}]") for i, v in enumerate(params)),
        period=c.period(m.get("period")),
        producer=producer,
        window=c.window(m.get("window")) or Window(days=1),
    )


def parse_entry(
    doc: Any, source: str, vocabulary: Vocabulary
) -> tuple[Entry | None, list[Problem]]:
    """Validate one entry document; the entry, or None with the problems found."""
    c = Checker(source, vocabulary)
    m = c.mapping(doc, "(top level)", _TOP)
    if not isinstance(doc, dict):
        return None, c.problems
    entry_id = c.string(m.get("id"), "id")
    if entry_id and not _ID.match(entry_id):
        c.fail("id", "lower-case letters, digits and '-', 3 to 64 characters")
    disclosure = c.choice(m.get("disclosure"), "disclosure", [d.value for d in Disclosure])
    licence = LICENCES.get(c.choice(m.get("licence"), "licence", list(LICENCES)))
    if disclosure == Disclosure.OPEN and licence is not None and not licence.is_open:
        c.fail("licence", f"'{licence.id}' is not an open licence; an open entry needs one")
    frequencies = [f.value for f in Frequency]
    frequency = c.choice(m.get("update_frequency"), "update_frequency", frequencies)
    entry = Entry(
        id=entry_id,
        title=_text(c, m.get("title"), "title"),
        description=_text(c, m.get("description"), "description"),
        department=c.department(m.get("department")),
        disclosure=Disclosure(disclosure) if disclosure else Disclosure.INTERNAL,
        licence=licence or LICENCES["other-closed"],
        frequency=Frequency(frequency) if frequency else Frequency.DAILY,
        keywords=_keywords(c, m.get("keywords")),
        spatial=_spatial(c, m.get("spatial")),
        query=_query(c, m.get("query")),
        source=source,
    )
    return (None, c.problems) if c.problems else (entry, [])


def load_vocabulary() -> Vocabulary:
    """Department, network and parameter codes from the packaged reference data."""
    from hub.reference.load import read_reference_file

    def codes(name: str, key: str) -> frozenset[str]:
        return frozenset(str(r["code"]) for r in read_reference_file(name)[key])

    return Vocabulary(
        departments=codes("departments.yaml", "departments"),
        networks=codes("networks.yaml", "networks"),
        parameters=codes("parameters.yaml", "parameters"),
    )


def parse_directory(
    docs: Iterable[tuple[str, Any]], vocabulary: Vocabulary
) -> Directory:
    """Validate (file name, document) pairs; DirectoryError lists every problem."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for source, doc in docs:
        entry, found = parse_entry(doc, source, vocabulary)
        problems.extend(found)
        if entry is None:
            continue
        if Path(source).stem != entry.id:
            problems.append(Problem(source, "id", f"'{entry.id}' must equal the file name"))
        if entry.id in seen:
            problems.append(Problem(source, "id", f"'{entry.id}' is also used by {seen[entry.id]}"))
        seen[entry.id] = source
        entries.append(entry)
    if problems:
        raise DirectoryError(problems)
    return Directory(tuple(entries))


def _read(path: Path) -> tuple[str, Any]:
    try:
        return path.name, yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DirectoryError([Problem(path.name, "(file)", f"not valid YAML: {exc}")]) from exc


def load_directory(
    path: Path = DIRECTORY_DIR, vocabulary: Vocabulary | None = None
) -> Directory:
    """Read and validate every ``*.yaml`` file of a directory folder."""
    files = sorted(path.glob("*.yaml"))
    if not files:
        raise DirectoryError([Problem(str(path), "(folder)", "no *.yaml entry files")])
    docs = [_read(f) for f in files]
    return parse_directory(docs, vocabulary or load_vocabulary())


def describe(entries: Mapping[str, Entry] | Directory) -> list[str]:
    """One line per entry: id, disclosure, department, producer (for ``catalogue list``)."""
    items = entries.values() if isinstance(entries, Mapping) else list(entries)
    return [
        f"{e.id:<28} {e.disclosure.value:<12} {e.department:<12} {e.query.producer}"
        for e in items
    ]
