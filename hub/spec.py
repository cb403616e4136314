"""The OpenAPI contract: ``openapi/hub.yaml`` plus one part file per feature.

Each ``openapi/parts/<feature>.yaml`` holds ``paths`` (and ``components`` and ``tags``)
for one feature, so features grow without editing one 2,000-line file. The parts are
merged into the main document before connexion sees it; a name defined twice is an error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SPEC_DIR = Path(__file__).resolve().parent.parent / "openapi"


def load_spec(spec_dir: Path = SPEC_DIR) -> dict[str, Any]:
    """The merged API document."""
    spec: dict[str, Any] = yaml.safe_load((spec_dir / "hub.yaml").read_text(encoding="utf-8"))
    for part_file in sorted((spec_dir / "parts").glob("*.yaml")):
        part = yaml.safe_load(part_file.read_text(encoding="utf-8")) or {}
        for path, item in (part.get("paths") or {}).items():
            if path in spec["paths"]:
                raise ValueError(f"{part_file.name}: path {path} is already defined")
            spec["paths"][path] = item
        for section, entries in (part.get("components") or {}).items():
            target = spec.setdefault("components", {}).setdefault(section, {})
            for name, value in entries.items():
                if name in target:
                    raise ValueError(
                        f"{part_file.name}: components.{section}.{name} is already defined"
                    )
                target[name] = value
        spec.setdefault("tags", []).extend(part.get("tags") or [])
    return spec
