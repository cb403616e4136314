"""Directory → CKAN: the organization, package and resource documents an entry becomes.

Pure. Extras use the key names of ckanext-dcat's CKAN ↔ DCAT mapping (``identifier``,
``frequency``, ``language``, ``theme``, ``access_rights``, ``conforms_to``,
``publisher_name``, ``spatial``…), so a DCAT harvester or ckanext-dcat installed later
reads them without a custom profile. ``hub_*`` extras say where the data comes from.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from catalogue.dcat import EU
from catalogue.model import Department, Entry, Links
from catalogue.producers import producer_of

API_ROLE, SNAPSHOT_ROLE = "api", "snapshot"


@dataclass(frozen=True)
class Names:
    """CKAN names for this hub's objects: ``<prefix><department>`` and ``<prefix><entry>``."""

    prefix: str = "yj-"

    def organization(self, department: str) -> str:
        """The organization name of a department."""
        return f"{self.prefix}{department}"

    def package(self, entry_id: str) -> str:
        """The package name of an entry."""
        return f"{self.prefix}{entry_id}"


def digest(doc: Any) -> str:
    """SHA-256 of a JSON document in canonical form (sorted keys)."""
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def organization_doc(department: Department, names: Names) -> dict[str, Any]:
    """The CKAN organization of a department."""
    return {
        "name": names.organization(department.code),
        "title": f"{department.name_zh} {department.name_en}",
        "description": department.description or "",
    }


def _notes(entry: Entry, links: Links) -> str:
    method = producer_of(entry).method
    return "\n\n".join(
        [
            entry.description.zh,
            entry.description.en,
            f"**方法 Method.** {method.zh}\n\n{method.en}",
            f"**Hub API:** <{links.dataset(entry.id)}> · DCAT: <{links.dcat}>",
        ]
    )


def _extras(entry: Entry, department: Department, links: Links) -> list[dict[str, str]]:
    producer = producer_of(entry)
    extras = {
        "identifier": links.dataset(entry.id),
        "frequency": entry.frequency.uri,
        "language": json.dumps([EU + "language/ZHO", EU + "language/ENG"]),
        "theme": json.dumps([EU + "data-theme/ENVI"]),
        "access_rights": EU + "access-right/PUBLIC",
        "conforms_to": json.dumps(list(producer.standards), ensure_ascii=False),
        "publisher_name": f"{department.name_zh} {department.name_en}",
        "spatial": json.dumps(entry.spatial.geojson),
        "spatial_text": f"{entry.spatial.zh} {entry.spatial.en}",
        "hub_entry_id": entry.id,
        "hub_disclosure": entry.disclosure.value,
        "hub_producer": producer.name,
        "hub_networks": ",".join(entry.query.networks),
        "hub_parameters": ",".join(entry.query.parameters),
        "hub_window": entry.query.window.iso,
    }
    return [{"key": k, "value": v} for k, v in sorted(extras.items())]


def package_doc(
    entry: Entry, department: Department, names: Names, links: Links
) -> dict[str, Any]:
    """The CKAN package of an open entry (without resources: those are kept apart)."""
    return {
        "name": names.package(entry.id),
        "title": f"{entry.title.zh} | {entry.title.en}",
        "notes": _notes(entry, links),
        "owner_org": names.organization(entry.department),
        "license_id": entry.licence.id,
        "private": False,
        "url": links.dataset(entry.id),
        "author": f"{department.name_zh} {department.name_en}",
        "tags": [{"name": k} for k in entry.keywords.all],
        "extras": _extras(entry, department, links),
    }


def api_resource_doc(entry: Entry, links: Links) -> dict[str, Any]:
    """The resource pointing at the hub's own API for this entry (always current)."""
    return {
        "name": "Hub API (JSON; CSV with format=csv)",
        "description": (
            "阳江市生态环境监测大数据平台接口，始终为最新数据；支持 from、to、format=csv|json。\n\n"
            "The hub's own endpoint, always current; accepts from, to and format=csv|json."
        ),
        "url": links.data(entry.id, "json"),
        "format": "JSON",
        "mimetype": "application/json",
        "hub_role": API_ROLE,
    }


def snapshot_resource_doc(entry: Entry) -> dict[str, Any]:
    """The uploaded CSV snapshot; its DataStore table holds the same rows."""
    window = entry.query.window.iso
    return {
        "name": f"CSV snapshot ({window})",
        "description": (
            f"最近 {window} 的数据快照（CSV，首行为列名），同时载入DataStore可在线查询。\n\n"
            f"Snapshot of the last {window} (CSV with a header row), also loaded into the "
            "DataStore for queries."
        ),
        "format": "CSV",
        "mimetype": "text/csv",
        "hub_role": SNAPSHOT_ROLE,
    }


def metadata_hash(
    organization: dict[str, Any], package: dict[str, Any], resources: list[dict[str, Any]]
) -> str:
    """Hash of everything an entry's metadata sends; unchanged hash → no CKAN write."""
    doc = {"organization": organization["name"], "package": package, "resources": resources}
    return digest(doc)


def datastore_fields(entry: Entry) -> list[dict[str, Any]]:
    """DataStore column definitions with a bilingual data dictionary."""
    return [
        {"id": f.id, "type": f.type, "info": {"label": f"{f.zh} {f.en}", "notes": f.en}}
        for f in producer_of(entry).fields
    ]
