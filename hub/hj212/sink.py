"""The HJ 212 server's packet sink: an accepted data packet -> the same ingest as a REST push.

One packet is one submission (channel ``hj212``, client ``hj212:<MN>``, the site's department)
stored in one transaction with QC, revisions and the audit chain. The server sends the 9014
only after this returns, so a failure here (database down) means no ack and the logger keeps
the data and sends it again.

A logger that missed our 9014 re-sends the same packet: the idempotency key
``hj212:<MN>:<QN>:<CN>`` (DataTime when there is no QN) makes that a replay, not a second
submission. Should a logger reuse a QN for different data, the packet is stored under a key
that adds the content hash rather than lost.

A packet whose DataTime is out of range (``convert.data_time_problem``) is counted, logged and
not stored, but this returns normally: the logger gets its 9014 and does not resend it forever.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from connectors.hj212 import (
    DataKind,
    Delivery,
    DeviceInfo,
    Packet,
    encode_segment,
    format_data_segment,
    redact,
)
from connectors.registry import get_connector
from hub.errors import Conflict
from hub.hj212.convert import (
    DEFAULT_MAX_DATA_AGE,
    DeviceProfile,
    PacketRecords,
    packet_records,
)
from hub.hj212.registry import DbDeviceRegistry
from hub.ingest.pipeline import IngestBatch, IngestOutcome, IngestPipeline, ingest

log = logging.getLogger("hub.hj212")
CHANNEL = "hj212"
_MAX_KEY = 200  # submissions.idempotency_key


@dataclass
class SinkCounters:
    """What the sink did, for metrics (monotonic)."""

    packets_ingested: int = 0
    packets_replayed: int = 0
    packets_without_data: int = 0
    status_packets: int = 0
    observations_accepted: int = 0
    observations_rejected: int = 0
    factors_unknown: int = 0
    factors_not_allowed: int = 0
    idempotency_conflicts: int = 0
    packets_out_of_range: int = 0

    def as_dict(self) -> dict[str, int]:
        """A snapshot as a plain dict."""
        return asdict(self)


def idempotency_key(packet: Packet) -> str | None:
    """``hj212:<MN>:<QN>:<CN>``, with DataTime standing in for a missing QN."""
    qn = packet.qn or packet.cp.fields.get("DataTime")
    if not qn:
        return None
    key = f"hj212:{packet.mn}:{qn}:{packet.cn}"
    if len(key) > _MAX_KEY:
        key = f"hj212:{packet.mn}:h{hashlib.sha256(key.encode()).hexdigest()[:40]}"
    return key


def payload_of(packet: Packet) -> tuple[bytes, str]:
    """(frame bytes with PW masked, sha256 of that data segment).

    The server hands over the parsed (and, for split packets, merged) packet, so the frame is
    re-encoded from it; the password never reaches the submission's hashes.
    """
    segment = redact(format_data_segment(packet))
    frame = encode_segment(segment, max_data_len=1 << 20)  # a merged packet may exceed 1024
    return frame, hashlib.sha256(segment.encode()).hexdigest()


class ObservationSink:
    """``PacketSink`` for ``Hj212Server`` (sync: the server runs it in a worker thread)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        pipeline: IngestPipeline,
        registry: DbDeviceRegistry,
        max_data_age: timedelta = DEFAULT_MAX_DATA_AGE,
    ) -> None:
        self._sessions = sessions
        self._pipeline = pipeline
        self._registry = registry
        self.max_data_age = max_data_age
        self._lock = threading.Lock()
        self.counters = SinkCounters()

    def __call__(self, delivery: Delivery) -> None:
        """Store one delivery; raises when it could not be stored (then no 9014 is sent)."""
        packet = delivery.packet
        if delivery.kind is DataKind.EQUIPMENT_STATUS:
            self._count(status_packets=1)
            log.debug("hj212 equipment status ignored", extra={"mn": packet.mn, "qn": packet.qn})
            return
        profile = self._profile(delivery.device)
        connector = get_connector(profile.department)
        if connector is None:
            raise LookupError(f"no connector for department {profile.department!r}")
        records = packet_records(
            packet,
            delivery.kind,
            profile,
            self._registry.vocabulary(),
            connector,
            delivery.received_at,
            self.max_data_age,
        )
        if records.out_of_range is not None:
            self._count(packets_out_of_range=1)
            log.warning(
                "hj212 packet not stored: DataTime out of range (acknowledged)",
                extra={"mn": packet.mn, "cn": packet.cn, "qn": packet.qn,
                       "reason": records.out_of_range},
            )
            return
        if not records.observations and not records.errors:
            self._count(packets_without_data=1)
            return
        outcome = self._ingest(packet, profile, records, delivery.received_at)
        self._report(packet, records, outcome)

    def _profile(self, device: DeviceInfo) -> DeviceProfile:
        profile = device.attributes.get("profile")
        if isinstance(profile, DeviceProfile):
            return profile
        found = self._registry.profile(device.mn)
        if found is None:  # disabled between the packet's check and now
            raise LookupError(f"device {device.mn} is no longer registered")
        return found

    def _ingest(
        self, packet: Packet, profile: DeviceProfile, records: PacketRecords, now: datetime
    ) -> IngestOutcome:
        payload, request_hash = payload_of(packet)
        batch = IngestBatch(
            department=profile.department,
            client_id=f"{CHANNEL}:{packet.mn}",
            channel=CHANNEL,
            payload=payload,
            request_hash=request_hash,
            received=len(packet.cp.factors),
            observations=records.observations,
            errors=records.errors,
            idempotency_key=idempotency_key(packet),
        )
        try:
            return ingest(self._sessions, batch, now, self._pipeline)
        except Conflict:
            # Same MN/QN/CN, other content: a logger reusing QNs. Keep the data.
            self._count(idempotency_conflicts=1)
            log.warning(
                "hj212 QN reused for different data",
                extra={"mn": packet.mn, "qn": packet.qn, "cn": packet.cn},
            )
            key = f"{batch.idempotency_key}:{request_hash[:16]}"[-_MAX_KEY:]
            return ingest(self._sessions, replace(batch, idempotency_key=key), now, self._pipeline)

    def _report(self, packet: Packet, records: PacketRecords, outcome: IngestOutcome) -> None:
        receipt = outcome.receipt
        if outcome.replayed:
            self._count(packets_replayed=1)
        else:
            self._count(
                packets_ingested=1,
                observations_accepted=int(receipt["accepted"]),
                observations_rejected=len(records.errors),
                factors_unknown=len(records.unknown),
                factors_not_allowed=len(records.not_allowed),
            )
        fields = {
            "mn": packet.mn,
            "cn": packet.cn,
            "qn": packet.qn,
            "submission": receipt.get("submission"),
            "accepted": receipt.get("accepted"),
            "stored": receipt.get("stored"),
            "replayed": outcome.replayed,
        }
        if records.errors and not outcome.replayed:
            log.warning(
                "hj212 packet partly stored",
                extra={
                    **fields,
                    "unknown_factors": records.unknown,
                    "not_allowed": records.not_allowed,
                    "errors": [f"{e.path}: {e.message}" for e in records.errors][:20],
                },
            )
        else:
            log.info("hj212 packet stored", extra=fields)

    def _count(self, **increments: int) -> None:
        with self._lock:
            for name, n in increments.items():
                setattr(self.counters, name, getattr(self.counters, name) + n)
