"""HJ 212: packets/s over 100 concurrent TCP connections to ``ecohub hj212 serve``.

Each simulated logger sends hourly packets (Flag=5: acknowledgement requested) one after
another and waits for its 9014 before the next, as real loggers do.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import BIN, free_port, summary
from connectors.hj212 import BEIJING, FrameDecoder, encode_segment, format_hj_time
from hub.db.engine import make_engine, make_session_factory
from hub.hj212.devices import add_device

CONNECTIONS = 100
PACKETS = 20
SITES = ["YJ-AIR-C01", "YJ-AIR-C02", "YJ-AIR-C03", "YJ-AIR-C04", "YJ-AIR-K01"]


def _packet(mn: str, t: datetime, n: int) -> bytes:
    cp = (
        f"DataTime={format_hj_time(t.astimezone(BEIJING))};"
        f"a34004-Avg={20 + n % 50}.0,a34004-Flag=N;a34002-Avg={40 + n % 70}.0,a34002-Flag=N;"
        f"a21026-Avg=0.0{n % 9 + 1},a21026-Flag=N"
    )
    seg = (
        f"QN={t.strftime('%Y%m%d%H%M%S')}{n % 1000:03d};ST=22;CN=2061;PW=pw{mn[-3:]};"
        f"MN={mn};Flag=5;CP=&&{cp}&&"
    )
    return encode_segment(seg)


async def _logger(port: int, mn: str, start: datetime, lat: list[float]) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    decoder, acked = FrameDecoder(), 0
    for n in range(PACKETS):
        t0 = time.perf_counter()
        writer.write(_packet(mn, start - timedelta(hours=n), n))
        await writer.drain()
        while True:
            data = await asyncio.wait_for(reader.read(4096), 60)
            if not data:
                return acked
            if any(f.packet and f.packet.cn == "9014" for f in decoder.feed(data)):
                break
        lat.append(time.perf_counter() - t0)
        acked += 1
    writer.close()
    return acked


def bench_hj212(url: str, tmp: Path) -> dict[str, Any]:
    sessions = make_session_factory(make_engine(url))
    mns = [f"BENCH{i:09d}" for i in range(CONNECTIONS)]
    with sessions.begin() as s:
        for i, mn in enumerate(mns):
            add_device(s, mn=mn, site=SITES[i % len(SITES)], password=f"pw{mn[-3:]}")
    port = free_port()
    env = {
        **os.environ,
        "HUB_DATABASE_URL": url,
        "HUB_INSTANCE_PATH": str(tmp),
        "HUB_LOG_LEVEL": "WARNING",
        # Every simulated logger connects from 127.0.0.1: lift the per-IP cap for the bench.
        "HUB_HJ212_MAX_CONNECTIONS_PER_IP": str(CONNECTIONS),
    }
    proc = subprocess.Popen(
        [BIN / "ecohub", "hj212", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                import socket

                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        lat: list[float] = []
        # Distinct hours per logger so every packet stores new observations.
        base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=30)

        async def run_all() -> list[int]:
            return await asyncio.gather(
                *[
                    _logger(port, mn, base - timedelta(hours=PACKETS * i), lat)
                    for i, mn in enumerate(mns)
                ]
            )

        t = time.perf_counter()
        acked = asyncio.run(run_all())
        wall = time.perf_counter() - t
        total = sum(acked)
        return {
            "connections": CONNECTIONS,
            "packets": total,
            "seconds": round(wall, 2),
            "packets_per_s": round(total / wall, 1),
            **summary(lat),
        }
    finally:
        proc.terminate()
        proc.wait(timeout=30)
