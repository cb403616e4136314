"""Data uploads: split-packet reassembly, storing through the sink, and the 9014 ordering.

Why acks are ordered this way: a 9014 tells the logger it may delete/advance past the data, so
a complete packet is acknowledged only after the sink returned. Split parts with Flag bit A are
the exception (Annex C table C.50): the logger waits for the ack of each part before sending the
next one, so non-final parts are acknowledged on receipt; the last part is acknowledged after
the merged packet was stored. If storing fails, the set stays open, so the logger's resend of
the last part completes it again.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from connectors.hj212.commands import DataKind, build_data_ack
from connectors.hj212.connection import Connection, SinkRunner, log_event, log_limited
from connectors.hj212.errors import Hj212Error
from connectors.hj212.packet import Packet
from connectors.hj212.reassembly import Reassembler
from connectors.hj212.server_types import Delivery, DeviceInfo, ServerCounters

Send = Callable[[Connection, Packet], Awaitable[bool]]


class DataPipeline:
    """Handles accepted data packets for the server (shared by all connections)."""

    def __init__(self, store: SinkRunner, reassembler: Reassembler,
                 counters: ServerCounters, send: Send) -> None:
        self._store = store
        self._reassembler = reassembler
        self._counters = counters
        self._send = send

    async def handle(self, conn: Connection, packet: Packet, device: DeviceInfo) -> bool:
        """Store ``packet`` (after reassembly) and ack it; False if the connection broke."""
        kind = DataKind(packet.cn)
        if not packet.is_split:
            stored = await self._deliver(conn, packet, device, kind)
            return await self._ack(conn, packet) if stored else True
        self._counters.split_parts_received += 1
        try:
            done = self._reassembler.add(packet)
        except Hj212Error as exc:
            self._counters.field_errors += 1
            log_limited(conn, self._counters, logging.WARNING, "hj212.split_rejected",
                        mn=packet.mn, qn=packet.qn, peer=conn.peer, reason=exc)
            return True
        self.expire()
        if done is None:  # more parts to come; the logger waits for this ack (C.50)
            return await self._ack(conn, packet)
        if not await self._deliver(conn, done.packet, device, kind):
            return True
        self._reassembler.release(done)
        return await self._ack(conn, packet)

    def expire(self) -> None:
        """Drop timed-out incomplete sets, counting and logging each."""
        for dropped in self._reassembler.expire():
            self._counters.reassembly_dropped += 1
            log_event(logging.WARNING, "hj212.split_incomplete", mn=dropped.mn, cn=dropped.cn,
                      qn=dropped.qn, received=dropped.received, pnum=dropped.pnum,
                      reason=dropped.reason)

    async def _ack(self, conn: Connection, packet: Packet) -> bool:
        return await self._send(conn, build_data_ack(packet)) if packet.ack_requested else True

    async def _deliver(self, conn: Connection, packet: Packet, device: DeviceInfo,
                       kind: DataKind) -> bool:
        delivery = Delivery(packet=packet, device=device, kind=kind,
                            received_at=datetime.now(UTC), peer=conn.peer)
        try:
            await self._store(delivery)
        except Exception as exc:
            self._counters.sink_errors += 1
            log_event(logging.ERROR, "hj212.sink_failed", mn=packet.mn, cn=packet.cn,
                      qn=packet.qn, error=type(exc).__name__, detail=exc)
            return False
        self._counters.packets_stored += 1
        log_event(logging.DEBUG, "hj212.stored", mn=packet.mn, cn=packet.cn, qn=packet.qn,
                  factors=len(packet.cp.factors))
        return True
