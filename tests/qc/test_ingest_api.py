"""QC at ingest through the real push API: flagged, never dropped; ``qc=`` on the read API."""

from datetime import UTC, datetime, timedelta

import pytest

pytestmark = pytest.mark.postgres
URL = "/api/v1/departments/environment/observations"
T0 = datetime(2026, 11, 1, 0, tzinfo=UTC)


def obs(site: str, parameter: str, hour: int, value: float | None, flag: str = "N") -> dict:
    t = (T0 + timedelta(hours=hour)).isoformat()
    out = {"site": site, "parameter": parameter, "time": t, "period": "PT1H", "value": value}
    if flag != "N":
        out["flag"] = flag
    return out


@pytest.fixture
def env(auth):
    return auth("environment", "observations:write", "observations:read")


def _push(client, env, records) -> dict:
    r = client.post(URL, json={"observations": records}, headers=env)
    assert r.status_code == 201, r.text
    return r.json()


def _read(client, env, **params) -> list[dict]:
    r = client.get("/api/v1/observations", params={"limit": 1000, **params}, headers=env)
    assert r.status_code == 200, r.text
    return r.json()["results"]


def test_spike_and_stuck_sensor_are_flagged_and_stored(client, env) -> None:
    spike = [30, 32, 31, 500, 33, 31, 30, 29]
    batch = [obs("YJ-AIR-C02", "a34004", h, float(v)) for h, v in enumerate(spike)]
    batch += [obs("YJ-AIR-C03", "a34002", h, 45.0) for h in range(8)]
    batch += [obs("YJ-AIR-C03", "a34002", 8, 52.0)]
    receipt = _push(client, env, batch)
    assert receipt["stored"] == len(batch)

    everything = _read(client, env)
    assert len(everything) == len(batch)
    flagged = _read(client, env, qc="flagged")
    assert {(o["site"], o["time"]) for o in flagged} == {
        ("YJ-AIR-C02", "2026-11-01T03:00:00Z"),
        *{("YJ-AIR-C03", f"2026-11-01T0{h}:00:00Z") for h in range(8)},
    }
    spiked = next(o for o in flagged if o["site"] == "YJ-AIR-C02")
    assert spiked["value"] == 500.0
    assert spiked["qc"]["status"] == "flagged"
    assert [f["code"] for f in spiked["qc"]["flags"]] == ["spike"]
    assert spiked["qc"]["flags"][0]["severity"] == "suspect"
    assert "300" in spiked["qc"]["flags"][0]["reason"]
    stuck = [o for o in flagged if o["site"] == "YJ-AIR-C03"]
    assert all(o["qc"]["flags"][0]["code"] == "flatline" for o in stuck)

    passed = _read(client, env, qc="passed")
    assert len(passed) == len(batch) - len(flagged)
    assert all(o["qc"] == {"status": "passed", "flags": []} for o in passed)


def test_the_stored_series_gives_context_across_batches(client, env) -> None:
    _push(client, env, [obs("YJ-AIR-C03", "a34002", h, 45.0) for h in range(5)])
    assert _read(client, env, qc="flagged") == []
    _push(client, env, [obs("YJ-AIR-C03", "a34002", 5, 45.0)])
    (sixth,) = _read(client, env, qc="flagged")
    assert sixth["time"] == "2026-11-01T05:00:00Z"
    assert sixth["qc"]["flags"][0]["code"] == "flatline"


def test_range_and_device_flags(client, env) -> None:
    batch = [
        obs("YJ-AIR-C01", "a34004", 0, 2500.0),  # above the vocabulary's 2000
        obs("YJ-AIR-C01", "a34004", 1, 40.0, "C"),  # calibrating
        obs("YJ-AIR-C01", "a34004", 2, 41.0, "T"),  # over the instrument's range
        obs("YJ-AIR-C01", "a34004", 3, None, "B"),  # communication fault, no value
        obs("YJ-AIR-C01", "a34004", 4, 42.0),
    ]
    _push(client, env, batch)
    by_hour = {o["time"][11:13]: o["qc"] for o in _read(client, env)}
    assert [f["code"] for f in by_hour["00"]["flags"]] == ["range"]
    assert [f["code"] for f in by_hour["01"]["flags"]] == ["device_flag"]
    assert by_hour["01"]["flags"][0]["severity"] == "invalid"
    assert [f["code"] for f in by_hour["02"]["flags"]] == ["over_range"]
    assert {f["code"] for f in by_hour["03"]["flags"]} == {"missing", "device_flag"}
    assert by_hour["04"] == {"status": "passed", "flags": []}


def test_a_revision_is_checked_again(client, env) -> None:
    _push(client, env, [obs("YJ-AIR-C01", "a34004", h, 30.0 + h) for h in range(3)])
    _push(client, env, [obs("YJ-AIR-C01", "a34004", 1, 2500.0)])
    history = _read(client, env, revisions="all", qc="flagged")
    assert [(o["revision"], o["value"]) for o in history] == [(2, 2500.0)]


def test_qc_filter_rejects_other_values(client, env) -> None:
    r = client.get("/api/v1/observations", params={"qc": "maybe"}, headers=env)
    assert r.status_code == 400
    assert any(e["path"] == "query.qc" for e in r.json()["errors"])
