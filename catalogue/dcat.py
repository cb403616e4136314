"""The directory as a DCAT-AP style JSON-LD catalogue, for any DCAT harvester.

Pure: entries, departments and the hub's public links in, a JSON-LD document out. The
caller decides which entries a reader may see (open ones for everybody).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from catalogue.model import Department, Disclosure, Entry, Links, Text
from catalogue.producers import producer_of

EU = "http://publications.europa.eu/resource/authority/"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "locn": "http://www.w3.org/ns/locn#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "gsp": "http://www.opengis.net/ont/geosparql#",
}
LANGUAGES = [{"@id": EU + "language/ZHO"}, {"@id": EU + "language/ENG"}]
THEME = {"@id": EU + "data-theme/ENVI"}
CATALOGUE_TITLE = Text(
    "阳江市生态环境监测开放数据目录", "Yangjiang eco-environment monitoring open data"
)
CATALOGUE_DESCRIPTION = Text(
    "阳江市生态环境监测大数据平台发布的生态环境监测信息公开事项清单和开放数据目录。",
    "The information-disclosure list and open-data directory of the Yangjiang "
    "eco-environment monitoring data hub.",
)
_FORMATS = {
    "csv": ("CSV", "text/csv"),
    "json": ("JSON", "application/json"),
}


def lang(text: Text) -> list[dict[str, str]]:
    """A bilingual text as JSON-LD language-tagged literals."""
    return [{"@value": text.zh, "@language": "zh"}, {"@value": text.en, "@language": "en"}]


def agent(department: Department) -> dict[str, Any]:
    """The publishing department as a foaf:Organization."""
    return {
        "@type": "foaf:Organization",
        "foaf:name": lang(Text(department.name_zh, department.name_en)),
        "dct:identifier": department.code,
    }


def _distribution(entry: Entry, links: Links, fmt: str) -> dict[str, Any]:
    title, media = _FORMATS[fmt]
    url = links.data(entry.id, fmt)
    return {
        "@id": url,
        "@type": "dcat:Distribution",
        "dct:title": f"{entry.title.en} ({title})",
        "dcat:accessURL": {"@id": url},
        "dcat:downloadURL": {"@id": url},
        "dct:format": {"@id": f"{EU}file-type/{title}"},
        "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{media}"},
        "dct:license": {"@id": entry.licence.url},
    }


def dataset(entry: Entry, department: Department, links: Links) -> dict[str, Any]:
    """One entry as a dcat:Dataset."""
    access = "PUBLIC" if entry.disclosure is Disclosure.OPEN else "RESTRICTED"
    w, s, e, n = entry.spatial.bbox
    return {
        "@id": links.dataset(entry.id),
        "@type": "dcat:Dataset",
        "dct:identifier": entry.id,
        "dct:title": lang(entry.title),
        "dct:description": lang(entry.description),
        "dcat:keyword": [{"@value": k, "@language": "zh"} for k in entry.keywords.zh]
        + [{"@value": k, "@language": "en"} for k in entry.keywords.en],
        "dct:publisher": agent(department),
        "dct:accrualPeriodicity": {"@id": entry.frequency.uri},
        "dct:language": LANGUAGES,
        "dcat:theme": THEME,
        "dct:license": {"@id": entry.licence.url},
        "dct:accessRights": {"@id": f"{EU}access-right/{access}"},
        "dct:spatial": {
            "@type": "dct:Location",
            "skos:prefLabel": lang(Text(entry.spatial.zh, entry.spatial.en)),
            "dcat:bbox": {"@value": entry.spatial.wkt, "@type": "gsp:wktLiteral"},
            "locn:geometry": {
                "@value": f'{{"type":"Polygon","coordinates":[[[{w},{s}],[{e},{s}],'
                f'[{e},{n}],[{w},{n}],[{w},{s}]]]}}',
                "@type": "gsp:geoJSONLiteral",
            },
        },
        "dct:conformsTo": [
            {"@type": "dct:Standard", "dct:title": code}
            for code in producer_of(entry).standards
        ],
        "dcat:landingPage": {"@id": links.dataset(entry.id)},
        "dcat:distribution": [_distribution(entry, links, fmt) for fmt in _FORMATS],
    }


def catalogue_document(
    entries: Iterable[Entry], departments: Mapping[str, Department], links: Links
) -> dict[str, Any]:
    """The dcat:Catalog of ``entries`` (already filtered to what the reader may see)."""
    return {
        "@context": CONTEXT,
        "@id": links.dcat,
        "@type": "dcat:Catalog",
        "dct:title": lang(CATALOGUE_TITLE),
        "dct:description": lang(CATALOGUE_DESCRIPTION),
        "dct:language": LANGUAGES,
        "foaf:homepage": {"@id": links.public_url},
        "dct:publisher": agent(_department(departments, "environment")),
        "dcat:themeTaxonomy": {"@id": EU + "data-theme"},
        "dcat:dataset": [
            dataset(e, _department(departments, e.department), links) for e in entries
        ],
    }


def _department(departments: Mapping[str, Department], code: str) -> Department:
    # The reference tables normally know every department; a bare code is still a name.
    return departments.get(code) or Department(code, code, code)
