"""Departments register and update their own sites."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate
from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.base import FieldError
from hub.db.reference import County, Network, Site
from hub.reference.reads import site_doc

_WATER_CLASSES = ["I", "II", "III", "IV", "V"]


class TargetsSchema(Schema):
    class Meta:
        unknown = RAISE

    water_class = fields.String(validate=validate.OneOf(_WATER_CLASSES))
    waterbody = fields.String(validate=validate.OneOf(["river", "lake", "reservoir"]))
    seawater_class = fields.Integer(validate=validate.Range(1, 4))
    noise_zone = fields.String(validate=validate.OneOf(["0", "1", "2", "3", "4a", "4b"]))
    soil_land_use = fields.String(validate=validate.OneOf(["paddy", "other", "orchard"]))
    # Per-site plausible ranges for QC: {parameter code: [min or null, max or null]}.
    plausible = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Float(allow_none=True), validate=validate.Length(equal=2)),
    )


class SiteSchema(Schema):
    """A site as a department registers it."""

    class Meta:
        unknown = RAISE

    code = fields.String(
        required=True, validate=[validate.Length(1, 64), validate.Regexp(r"^[A-Za-z0-9_.\-]+\Z")]
    )
    name_zh = fields.String(required=True, validate=validate.Length(1, 200))
    name_en = fields.String(required=True, validate=validate.Length(1, 300))
    network = fields.String(required=True)
    county = fields.String(allow_none=True, load_default=None)
    latitude = fields.Float(allow_none=True, load_default=None, validate=validate.Range(-90, 90))
    longitude = fields.Float(allow_none=True, load_default=None, validate=validate.Range(-180, 180))
    coordinates_approximate = fields.Boolean(load_default=False)
    targets = fields.Nested(TargetsSchema, load_default=dict)
    status = fields.String(
        load_default="active", validate=validate.OneOf(["active", "planned", "retired"])
    )
    note = fields.String(allow_none=True, load_default=None)


def _errors(path: str, messages: Any) -> list[FieldError]:
    out = []
    if isinstance(messages, dict):
        for k, v in messages.items():
            out.extend(_errors(f"{path}.{k}", v))
    elif isinstance(messages, list):
        out.extend(FieldError(path, str(m), "invalid") for m in messages)
    return out


def register_sites(session: Session, department: str, items: list[Any]) -> dict[str, Any]:
    """Create or update the department's sites; each invalid item is reported, not fatal."""
    networks = dict(session.execute(select(Network.code, Network.department_code)).all())
    counties = set(session.scalars(select(County.code)))
    created: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    errors: list[FieldError] = []
    for i, raw in enumerate(items):
        path = f"sites[{i}]"
        try:
            data = SiteSchema().load(raw)
        except ValidationError as exc:
            errors.extend(_errors(path, exc.normalized_messages()))
            continue
        bad = []
        if networks.get(data["network"]) != department:
            bad.append(
                FieldError(
                    f"{path}.network",
                    f"network '{data['network']}' is not one of the "
                    f"{department} department's networks",
                    "not_your_network",
                )
            )
        if data["county"] is not None and data["county"] not in counties:
            bad.append(
                FieldError(f"{path}.county", f"unknown county '{data['county']}'", "unknown")
            )
        site = session.scalar(select(Site).where(Site.code == data["code"]))
        if site is not None and site.department_code != department:
            bad.append(
                FieldError(
                    f"{path}.code",
                    f"site '{data['code']}' belongs to another department",
                    "not_your_site",
                )
            )
        if bad:
            errors.extend(bad)
            continue
        values = {
            "name_zh": data["name_zh"],
            "name_en": data["name_en"],
            "network_code": data["network"],
            "county_code": data["county"],
            "latitude": data["latitude"],
            "longitude": data["longitude"],
            "coordinates_approximate": data["coordinates_approximate"],
            "targets": data["targets"],
            "status": data["status"],
            "note": data["note"],
        }
        if site is None:
            session.add(Site(code=data["code"], department_code=department, **values))
            created.append(data["code"])
        elif any(getattr(site, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(site, k, v)
            updated.append(data["code"])
        else:
            unchanged.append(data["code"])
        session.flush()
    codes = created + updated + unchanged
    docs = [site_doc(s) for s in session.scalars(select(Site).where(Site.code.in_(codes)))]
    return {
        "created": created,
        "updated": updated,
        "unchanged": unchanged,
        "rejected": len({e.path.split(".")[0] for e in errors}),
        "errors": [{"path": e.path, "code": e.code, "message": e.message} for e in errors],
        "sites": sorted(docs, key=lambda d: d["code"]),
    }
