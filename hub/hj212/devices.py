"""HJ 212 data loggers: register, update, list and disable devices (MN -> site).

The logger sends its password (PW) in clear in every packet; the hub keeps only an scrypt
hash of it, the same KDF as client secrets (``hub.auth.secrets``): a PW is often 6 digits, so a
fast hash from a database dump gives it up in seconds. The receiver verifies it once per
connection and trusts later packets on that connection (``CredentialRecheck``), so the KDF
costs one verification per connection, not one per packet.

Hashes written before (``hmac-sha256$salt$digest``) still verify; the registry replaces one
with an scrypt hash at the device's next successful login (``needs_rehash``), and
``ecohub devices update --password`` does so at once.

The rest of the feature: ``hj212_registry`` (who may send), ``hj212_convert`` (packet ->
observations), ``hj212_sink`` (-> ingest), ``hj212_backfill`` (history requests),
``hj212_runtime`` (the serve process).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.base import Connector
from connectors.registry import get_connector
from connectors.units import unit_key
from hub.auth.secrets import hash_secret, verify_secret
from hub.db.hj212 import Hj212Device
from hub.db.reference import Parameter, Site
from hub.errors import Conflict, FieldError, NotFound, ValidationFailed
from hub.hj212.convert import DEFAULT_MINUTE_INTERVAL
from hub.timeutil import iso_utc

_LEGACY_ALGO = "hmac-sha256"
MN_RE = re.compile(r"[0-9A-Za-z_-]{1,24}")  # what the protocol layer accepts as an MN
_CODE_RE = re.compile(r"[A-Za-z0-9_]{1,24}")
# ; , & = end a field on the wire, so a PW containing them could never be sent.
_PW_RE = re.compile(r"[^;,&=\s]{1,64}")


def hash_password(password: str) -> str:
    """An scrypt hash of a logger password (the client-secret format, ``scrypt$...``)."""
    return hash_secret(password)


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches ``stored`` (scrypt, or a legacy HMAC hash). Slow."""
    if stored.startswith(f"{_LEGACY_ALGO}$"):
        return _verify_legacy(password, stored)
    try:
        return verify_secret(password, stored)
    except ValueError:  # a damaged hash (bad base64 or parameters) matches nothing
        return False


def needs_rehash(stored: str) -> bool:
    """True for a hash in the old fast format, to be replaced after a successful login."""
    return stored.startswith(f"{_LEGACY_ALGO}$")


def _verify_legacy(password: str, stored: str) -> bool:
    try:
        _, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        got = hmac.new(base64.b64decode(salt), password.encode(), hashlib.sha256).digest()
    except ValueError:
        return False
    return hmac.compare_digest(got, expected)


def device_doc(device: Hj212Device, site_code: str) -> dict[str, Any]:
    """A device as the CLI shows it (never its password or hash)."""
    return {
        "mn": device.mn,
        "site": site_code,
        "factors": dict(sorted(device.factor_map.items())),
        "units": dict(sorted(device.unit_overrides.items())),
        "minute_interval": device.minute_interval,
        "created_at": iso_utc(device.created_at),
        "updated_at": iso_utc(device.updated_at) if device.updated_at else None,
        "disabled_at": iso_utc(device.disabled_at) if device.disabled_at else None,
        "enabled": device.disabled_at is None,
    }


def parameter_vocabulary(session: Session) -> dict[str, str]:
    """Factor code -> hub parameter code by default: the parameter's HJ 212 code, else its own
    code when the vocabulary (``parameters.yaml``) has one of that name."""
    out: dict[str, str] = {}
    for code, hj212_code in session.execute(select(Parameter.code, Parameter.hj212_code)):
        out.setdefault(code, code)
        if hj212_code:
            out[hj212_code] = code
    return out


def _site(session: Session, code: str, errors: list[FieldError]) -> Site | None:
    site = session.scalar(select(Site).where(Site.code == code))
    if site is None:
        errors.append(FieldError("site", f"no site with code '{code}'", "unknown"))
    elif get_connector(site.department_code) is None:
        errors.append(FieldError("site", f"site '{code}' has no department connector"))
    return site


def _check_mapping(
    session: Session,
    connector: Connector | None,
    factors: Mapping[str, str],
    units: Mapping[str, str],
    errors: list[FieldError],
) -> None:
    """Mapped parameters must exist and be the department's; units must convert to them."""
    vocabulary = parameter_vocabulary(session)
    known = set(vocabulary.values())
    for code, param in factors.items():
        if not _CODE_RE.fullmatch(code):
            errors.append(FieldError(f"factor.{code}", f"'{code}' is not a factor code"))
        elif param not in known:
            errors.append(FieldError(f"factor.{code}", f"no hub parameter '{param}'", "unknown"))
        elif connector is not None and param not in connector.parameters:
            errors.append(
                FieldError(
                    f"factor.{code}",
                    f"the {connector.department} department does not send parameter '{param}'",
                    "not_allowed",
                )
            )
    for code, unit in units.items():
        target = factors.get(code) or vocabulary.get(code)
        rule = None if connector is None or target is None else connector.parameters.get(target)
        if target is None:
            errors.append(
                FieldError(
                    f"unit.{code}",
                    f"factor '{code}' maps to no parameter; map it with --factor CODE=PARAM",
                    "unknown",
                )
            )
        elif rule is not None and unit_key(unit) not in rule.units:
            errors.append(
                FieldError(
                    f"unit.{code}",
                    f"unit '{unit}' cannot be converted to "
                    f"{rule.unit} for {target}; accepted: {rule.accepted_units}",
                )
            )


def _validate(
    session: Session,
    site: Site | None,
    password: str | None,
    factors: Mapping[str, str],
    units: Mapping[str, str],
    minute_interval: int | None,
    errors: list[FieldError],
) -> None:
    if password is not None and not _PW_RE.fullmatch(password):
        errors.append(FieldError("password", "1-64 characters, none of ; , & = or spaces"))
    if minute_interval is not None and not 1 <= minute_interval <= 1440:
        errors.append(FieldError("minute_interval", "must be 1..1440 minutes"))
    connector = None if site is None else get_connector(site.department_code)
    _check_mapping(session, connector, factors, units, errors)


def _raise(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationFailed("; ".join(f"{e.path}: {e.message}" for e in errors), errors=errors)


def add_device(
    session: Session,
    *,
    mn: str,
    site: str,
    password: str,
    factors: Mapping[str, str] | None = None,
    units: Mapping[str, str] | None = None,
    minute_interval: int = DEFAULT_MINUTE_INTERVAL,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Register a logger for a site; the password is stored only as an scrypt hash."""
    errors: list[FieldError] = []
    if not MN_RE.fullmatch(mn):
        errors.append(FieldError("mn", "an MN is 1-24 letters, digits, '-' or '_'"))
    elif session.get(Hj212Device, mn) is not None:
        raise Conflict(f"device {mn} is already registered (use `ecohub devices update`)")
    found = _site(session, site, errors)
    _validate(session, found, password, factors or {}, units or {}, minute_interval, errors)
    _raise(errors)
    assert found is not None
    device = Hj212Device(
        mn=mn,
        site_id=found.id,
        password_hash=hash_password(password),
        factor_map=dict(factors or {}),
        unit_overrides=dict(units or {}),
        minute_interval=minute_interval,
        created_at=now or datetime.now(UTC),
    )
    session.add(device)
    session.flush()
    return device_doc(device, found.code)


def update_device(
    session: Session,
    mn: str,
    *,
    site: str | None = None,
    password: str | None = None,
    factors: Mapping[str, str] | None = None,
    units: Mapping[str, str] | None = None,
    minute_interval: int | None = None,
    enable: bool = False,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Change a device; ``factors``/``units`` are merged into its mapping (empty value: remove).

    Running servers see the change within their registry cache's TTL.
    """
    device = session.get(Hj212Device, mn)
    if device is None:
        raise NotFound(f"no device with MN '{mn}'")
    errors: list[FieldError] = []
    found = _site(session, site, errors) if site is not None else session.get(Site, device.site_id)
    merged_f = {k: v for k, v in {**device.factor_map, **(factors or {})}.items() if v}
    merged_u = {k: v for k, v in {**device.unit_overrides, **(units or {})}.items() if v}
    _validate(session, found, password, merged_f, merged_u, minute_interval, errors)
    _raise(errors)
    assert found is not None
    device.site_id = found.id
    device.factor_map, device.unit_overrides = merged_f, merged_u
    if password is not None:
        device.password_hash = hash_password(password)
    if minute_interval is not None:
        device.minute_interval = minute_interval
    if enable:
        device.disabled_at = None
    device.updated_at = now or datetime.now(UTC)
    session.flush()
    return device_doc(device, found.code)


def list_devices(session: Session) -> list[dict[str, Any]]:
    """Every registered device with its site, by MN."""
    rows = session.execute(
        select(Hj212Device, Site.code)
        .join(Site, Site.id == Hj212Device.site_id)
        .order_by(Hj212Device.mn)
    )
    return [device_doc(device, code) for device, code in rows]


def disable_device(session: Session, mn: str, now: datetime | None = None) -> dict[str, Any]:
    """Stop accepting a logger's packets (refused as an unknown MN once caches expire)."""
    device = session.get(Hj212Device, mn)
    if device is None:
        raise NotFound(f"no device with MN '{mn}'")
    if device.disabled_at is None:
        device.disabled_at = now or datetime.now(UTC)
        session.flush()
    site = session.get(Site, device.site_id)
    return device_doc(device, site.code if site else "")
