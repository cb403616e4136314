"""HJ 212 devices: registration, passwords, the cached registry, and the CLI."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from connectors.hj212 import AuthFailure, DeviceInfo
from hub.cli import main
from hub.db.hj212 import Hj212BackfillRequest, Hj212Device
from hub.errors import Conflict, NotFound, ValidationFailed
from hub.hj212.devices import (
    add_device,
    disable_device,
    hash_password,
    list_devices,
    needs_rehash,
    update_device,
    verify_password,
)
from hub.hj212.registry import DbDeviceRegistry
from tests.support.hj212 import AIR_SITE, MN_AIR, PW_AIR

pytestmark = pytest.mark.postgres


def _legacy_hash(password: str) -> str:
    """A PW hash as the hub wrote them before issue 14 (salted HMAC-SHA256, fast)."""
    salt = os.urandom(16)
    digest = hmac.new(salt, password.encode(), hashlib.sha256).digest()
    b64 = base64.b64encode
    return f"hmac-sha256${b64(salt).decode()}${b64(digest).decode()}"


def test_password_hash_is_salted_and_slow() -> None:
    # A 6-digit PW was recovered from a fast hash in 2 s: now the client-secret scrypt.
    a, b = hash_password("123456"), hash_password("123456")
    assert a != b and "123456" not in a
    algo, n, *_ = a.split("$")
    assert algo == "scrypt" and int(n) >= 2**14
    assert verify_password("123456", a) and verify_password("123456", b)
    assert not verify_password("123457", a)
    assert not verify_password("123456", "scrypt$1$2$3") and not verify_password("x", "garbage")
    assert not verify_password("x", "scrypt$3$8$1$AAAA$AAAA")  # damaged parameters
    legacy = _legacy_hash("123456")
    assert verify_password("123456", legacy) and not verify_password("123457", legacy)
    assert needs_rehash(legacy) and not needs_rehash(a)


def test_legacy_hash_is_upgraded_at_the_next_login(db: sessionmaker[Session]) -> None:
    with db.begin() as s:
        add_device(s, mn=MN_AIR, site=AIR_SITE, password=PW_AIR)
        s.get_one(Hj212Device, MN_AIR).password_hash = _legacy_hash(PW_AIR)
    registry = DbDeviceRegistry(db, ttl=30)
    assert asyncio.run(registry.authenticate(MN_AIR, "wrong")) is AuthFailure.BAD_PASSWORD
    with db() as s:
        assert s.get_one(Hj212Device, MN_AIR).password_hash.startswith("hmac-sha256$")
    ok = asyncio.run(registry.authenticate(MN_AIR, PW_AIR))
    assert isinstance(ok, DeviceInfo) and ok.credential is not None
    with db() as s:
        stored = s.get_one(Hj212Device, MN_AIR).password_hash
    assert stored.startswith("scrypt$") and ok.credential == stored
    assert verify_password(PW_AIR, stored)
    # The connection's proof stays good without a KDF, until the PW changes.
    assert isinstance(asyncio.run(registry.recheck(MN_AIR, stored)), DeviceInfo)
    with db.begin() as s:
        update_device(s, MN_AIR, password="n3wPW")
    registry.invalidate(MN_AIR)
    assert asyncio.run(registry.recheck(MN_AIR, stored)) is AuthFailure.BAD_PASSWORD
    assert asyncio.run(registry.recheck("UNKNOWN0000001", stored)) is AuthFailure.UNKNOWN_MN


def test_add_list_update_disable(db: sessionmaker[Session]) -> None:
    with db.begin() as s:
        doc = add_device(
            s,
            mn=MN_AIR,
            site=AIR_SITE,
            password=PW_AIR,
            units={"a34004": "ug/m3"},
            minute_interval=5,
        )
    assert doc["site"] == AIR_SITE and doc["minute_interval"] == 5 and doc["enabled"]
    with db() as s:
        row = s.get(Hj212Device, MN_AIR)
        assert row is not None and PW_AIR not in row.password_hash
        assert verify_password(PW_AIR, row.password_hash)
        listed = list_devices(s)
    assert [d["mn"] for d in listed] == [MN_AIR]
    assert not any("password" in key for key in listed[0])
    with db.begin() as s:
        doc = update_device(
            s, MN_AIR, factors={"SO2": "a21026"}, units={"a34004": ""}, password="newpw1"
        )
    assert doc["factors"] == {"SO2": "a21026"} and doc["units"] == {}
    with db.begin() as s:
        doc = disable_device(s, MN_AIR)
    assert not doc["enabled"] and doc["disabled_at"]
    with db.begin() as s:
        assert update_device(s, MN_AIR, enable=True)["enabled"]
    with db() as s:
        row = s.get(Hj212Device, MN_AIR)
        assert row is not None and verify_password("newpw1", row.password_hash)


@pytest.mark.parametrize(
    ("kwargs", "path"),
    [
        ({"mn": "bad mn!"}, "mn"),
        ({"mn": "MN-TRAILING\n"}, "mn"),  # fullmatch: "$" would let a final newline in
        ({"password": "123456\n"}, "password"),
        ({"site": "NO-SUCH-SITE"}, "site"),
        ({"password": "a;b"}, "password"),
        ({"units": {"a21026": "dB"}}, "unit.a21026"),
        ({"units": {"x99999": "mg/m3"}}, "unit.x99999"),
        ({"factors": {"RAIN": "m_precip"}}, "factor.RAIN"),  # meteorology's, not environment's
        ({"factors": {"SO2": "nope"}}, "factor.SO2"),
        ({"minute_interval": 0}, "minute_interval"),
    ],
)
def test_invalid_devices_are_refused_with_the_field(
    db: sessionmaker[Session], kwargs: dict[str, object], path: str
) -> None:
    args: dict[str, object] = {"mn": MN_AIR, "site": AIR_SITE, "password": PW_AIR, **kwargs}
    with pytest.raises(ValidationFailed) as err, db.begin() as s:
        add_device(s, **args)  # type: ignore[arg-type]
    assert [e.path for e in err.value.errors] == [path]


def test_duplicate_and_missing_devices(db: sessionmaker[Session]) -> None:
    with db.begin() as s:
        add_device(s, mn=MN_AIR, site=AIR_SITE, password=PW_AIR)
    with pytest.raises(Conflict), db.begin() as s:
        add_device(s, mn=MN_AIR, site=AIR_SITE, password=PW_AIR)
    with pytest.raises(NotFound), db.begin() as s:
        disable_device(s, "NOPE")


def test_registry_distinguishes_refusals_and_caches(db: sessionmaker[Session]) -> None:
    with db.begin() as s:
        add_device(s, mn=MN_AIR, site=AIR_SITE, password=PW_AIR)
    clock = [0.0]
    registry = DbDeviceRegistry(db, ttl=30, clock=lambda: clock[0])

    def auth(mn: str, pw: str) -> object:
        return asyncio.run(registry.authenticate(mn, pw))

    ok = auth(MN_AIR, PW_AIR)
    assert isinstance(ok, DeviceInfo) and ok.station_id == AIR_SITE
    assert auth(MN_AIR, "wrong") is AuthFailure.BAD_PASSWORD
    assert auth("UNKNOWN0000001", PW_AIR) is AuthFailure.UNKNOWN_MN
    for _ in range(100):
        auth(MN_AIR, PW_AIR)
        auth("UNKNOWN0000001", PW_AIR)
    assert registry.loads == 2  # one query per MN, unknown MNs included
    profile = registry.profile(MN_AIR)
    assert profile is not None and profile.network == "air-city"
    assert profile.expected_interval_seconds == 3600 and profile.department == "environment"
    assert registry.vocabulary()["a34004"] == "a34004"

    with db.begin() as s:
        disable_device(s, MN_AIR)
    assert isinstance(auth(MN_AIR, PW_AIR), DeviceInfo)  # cached until the TTL ends
    clock[0] += 31
    assert auth(MN_AIR, PW_AIR) is AuthFailure.UNKNOWN_MN


def test_cli_devices_and_backfill(db: sessionmaker[Session], pg_url: str) -> None:
    env = {"HUB_DATABASE_URL": pg_url, "HUB_LOG_JSON": "0"}
    runner = CliRunner()

    def run(*args: str) -> object:
        result = runner.invoke(main, list(args), env=env)
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    added = run(
        "devices",
        "add",
        "--mn",
        MN_AIR,
        "--site",
        AIR_SITE,
        "--password",
        PW_AIR,
        "--factor",
        "SO2=a21026",
        "--unit",
        "a34004=mg/m3",
        "--minute-interval",
        "5",
    )
    assert added["factors"] == {"SO2": "a21026"} and added["units"] == {"a34004": "mg/m3"}
    listed = runner.invoke(main, ["devices", "list"], env=env)
    assert MN_AIR in listed.output and PW_AIR not in listed.output
    assert "hmac" not in listed.output
    refused = runner.invoke(
        main, ["devices", "add", "--mn", MN_AIR, "--site", AIR_SITE, "--password", PW_AIR], env=env
    )
    assert refused.exit_code == 2 and "already registered" in refused.output

    queued = run(
        "hj212",
        "backfill",
        "--mn",
        MN_AIR,
        "--cn",
        "2061",
        "--from",
        "2026-11-01T08:00:00+08:00",
        "--to",
        "20261101120000",
    )
    assert queued["status"] == "pending" and queued["origin"] == "cli"
    assert queued["begin"] == "2026-11-01T00:00:00Z" and queued["end"] == "2026-11-01T04:00:00Z"
    bad = runner.invoke(
        main,
        ["hj212", "backfill", "--mn", MN_AIR, "--from", "2026-11-02", "--to", "2026-11-01"],
        env=env,
    )
    assert bad.exit_code == 2 and "before" in bad.output
    assert [r["id"] for r in run("hj212", "requests", "--mn", MN_AIR)] == [queued["id"]]  # type: ignore[index]

    assert run("devices", "disable", MN_AIR)["enabled"] is False  # type: ignore[index]
    with db() as s:
        assert s.scalar(select(Hj212BackfillRequest.status)) == "pending"
