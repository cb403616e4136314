"""The server's contracts with the hub: device registry, packet sink, config and counters.

The server never touches the database; the hub supplies a ``DeviceRegistry`` (who may send)
and a ``PacketSink`` (where accepted data goes). Both may be sync -- then they run in a worker
thread via ``asyncio.to_thread`` so a slow database never stalls other connections -- or async.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Protocol

from connectors.hj212.commands import DataKind
from connectors.hj212.errors import Hj212Error
from connectors.hj212.frame import MAX_DATA_LEN
from connectors.hj212.packet import Packet


@dataclass(frozen=True)
class DeviceInfo:
    """What the registry knows about an authenticated logger."""

    mn: str
    station_id: str | None = None
    name: str | None = None
    attributes: Mapping[str, object] = field(default_factory=dict, compare=False)
    # An opaque stamp of the stored credential (e.g. its hash). When set, the server remembers
    # the PW it verified on a connection and later asks only ``recheck(mn, credential)``.
    credential: str | None = field(default=None, compare=False, repr=False)


class AuthFailure(enum.Enum):
    """Why a packet was refused."""

    UNKNOWN_MN = "unknown_mn"
    BAD_PASSWORD = "bad_password"


AuthResult = DeviceInfo | AuthFailure


class DeviceRegistry(Protocol):
    """Sync registry (run in a thread): a DeviceInfo, or the AuthFailure reason."""

    def authenticate(self, mn: str, pw: str) -> AuthResult:
        """Check the logger's MN and PW."""


class CredentialRecheck(Protocol):
    """Optional registry method (sync or async): is ``credential`` still the MN's credential?

    Lets a PW verified once per connection (with a slow KDF) be trusted for later packets while
    a disabled device or a changed PW still takes effect: the answer is the current DeviceInfo,
    or an AuthFailure when the device is gone or its credential changed.
    """

    def recheck(self, mn: str, credential: str) -> AuthResult:
        """The device's current info if ``credential`` is unchanged."""


class AsyncDeviceRegistry(Protocol):
    """Async registry, awaited on the event loop."""

    async def authenticate(self, mn: str, pw: str) -> AuthResult:
        """Check the logger's MN and PW."""


@dataclass(frozen=True)
class Delivery:
    """One accepted (reassembled) data packet handed to the sink."""

    packet: Packet
    device: DeviceInfo
    kind: DataKind
    received_at: datetime  # UTC, when the last part arrived
    peer: str


PacketSink = Callable[[Delivery], Awaitable[None]] | Callable[[Delivery], None]
"""Stores a delivery; returns when stored, raises if it could not (then no 9014 is sent)."""


@dataclass(frozen=True)
class ServerConfig:
    """Tunables; defaults suit a city-wide deployment of a few hundred loggers."""

    idle_timeout: float = 600.0  # seconds without any byte before the connection is closed
    write_timeout: float = 10.0  # a peer that does not read its replies is dropped
    sink_timeout: float | None = 60.0
    max_connections: int = 2000
    max_data_len: int = MAX_DATA_LEN
    read_size: int = 4096
    reassembly_timeout: float = 120.0
    reassembly_max_sets: int = 1000
    reassembly_max_pnum: int = 100
    heartbeat_cns: frozenset[str] = frozenset()
    ack_ignored: bool = True  # 9014 an ignored upload that asks for it, so it is not resent
    max_tracked_requests: int = 1000
    # Abuse limits (the receiver is reachable by anyone who can open a TCP connection).
    max_connections_per_ip: int = 20  # 0: no per-IP cap
    login_deadline: float = 30.0  # seconds from connect to the first authenticated packet
    lockout_attempts: int = 10  # wrong PWs per MN / per IP within lockout_window ... (0: off)
    lockout_window: float = 300.0
    lockout_duration: float = 900.0  # ... lock that MN / IP out for this long
    log_burst: int = 20  # warning lines per connection per log_interval; the rest counted
    log_interval: float = 60.0


@dataclass
class ServerCounters:
    """Monotonic counters (plus ``connections_active``) for metrics export."""

    connections_opened: int = 0
    connections_closed: int = 0
    connections_active: int = 0
    connections_rejected: int = 0
    idle_timeouts: int = 0
    frames_received: int = 0
    packets_accepted: int = 0
    packets_stored: int = 0
    split_parts_received: int = 0
    acks_sent: int = 0
    refused_unknown_mn: int = 0
    refused_bad_password: int = 0
    registry_errors: int = 0
    crc_errors: int = 0
    length_errors: int = 0
    frame_errors: int = 0
    field_errors: int = 0
    bytes_discarded: int = 0
    sink_errors: int = 0
    reassembly_dropped: int = 0
    ignored_commands: int = 0
    heartbeats: int = 0
    notifications: int = 0
    request_replies: int = 0
    backfill_requests_sent: int = 0
    write_errors: int = 0
    connections_rejected_per_ip: int = 0
    login_timeouts: int = 0
    lockouts: int = 0
    refused_locked_out: int = 0
    log_lines_suppressed: int = 0

    def as_dict(self) -> dict[str, int]:
        """A snapshot as a plain dict."""
        return asdict(self)


@dataclass
class RequestStatus:
    """A hub -> logger request and the logger's answers (9011 QnRtn, 9012 ExeRtn)."""

    qn: str
    mn: str
    cn: str
    sent_at: datetime
    qn_rtn: int | None = None
    exe_rtn: int | None = None


class DeviceNotConnectedError(Hj212Error):
    """No open connection from that MN, so a request cannot be sent."""
