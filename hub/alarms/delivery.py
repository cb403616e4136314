"""Deliver alarm events from the outbox to webhooks: signed, in order, retried until taken.

A worker leases one subscription at a time (a conditional UPDATE, so it works the same on
PostgreSQL and SQLite and holds no transaction open during HTTP), sends its oldest
pending delivery and only then the next, so each receiver sees events in ``seq`` order.
A failure backs that subscription off exponentially (base · 2^(attempts−1), capped) and
keeps every later event waiting behind it. A delivery is marked delivered only after a
2xx; a crash in between resends it (at-least-once; receivers dedupe on the event id).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from ipaddress import IPv6Address
from typing import Protocol

import httpx
import orjson
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from hub.alarms.config import AlarmConfig
from hub.alarms.egress import EgressPolicy, Resolver, system_resolver
from hub.alarms.metrics import AlarmMetrics
from hub.alarms.signing import EVENT_HEADER, SIGNATURE_HEADER, SecretBox, sign
from hub.db.alarms import AlarmDelivery, AlarmEvent, AlarmSubscription

log = logging.getLogger("hub.alarms.delivery")
MAX_PER_PASS = 100
# What a subscriber sees of a failure. Deliberately the same for a refused target, a refused
# connection, a dropped one and a timeout: anything finer would make webhooks a port scanner.
CONNECTION_ERROR = "delivery failed: connection error"


class Sender(Protocol):
    def __call__(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        """POST ``body``; the HTTP status, or raise on a transport error."""


@dataclass
class HttpSender:
    """The real sender (httpx): only to targets the egress policy allows, no redirects.

    Each send resolves the host, judges every address (``EgressPolicy.resolve``) and
    connects to the judged address, sending the original name as ``Host`` and TLS SNI (so
    the certificate is still verified against the name).
    """

    timeout: float = 10.0
    policy: EgressPolicy = field(default_factory=EgressPolicy)
    resolver: Resolver = system_resolver

    def __post_init__(self) -> None:
        # No kept-alive connections: a pooled TLS connection is keyed by the pinned address,
        # so it could otherwise carry a request for one name over a session made for another.
        self._client = httpx.Client(
            timeout=self.timeout,
            follow_redirects=False,
            limits=httpx.Limits(max_keepalive_connections=0),
        )

    def __call__(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        target = httpx.URL(url)
        name = target.raw_host.decode("ascii")  # IDNA-encoded, as DNS and SNI want it
        port = target.port or (443 if target.scheme == "https" else 80)
        ip = self.policy.resolve(name, port, self.resolver)
        host = f"[{ip}]" if isinstance(ip, IPv6Address) else str(ip)
        pinned = target.copy_with(host=host)
        request = self._client.build_request(
            "POST",
            pinned,
            content=body,
            headers={**headers, "Host": target.netloc.decode("ascii")},
            extensions={"sni_hostname": name},
        )
        return self._client.send(request).status_code

    def close(self) -> None:
        self._client.close()


def backoff(attempts: int, base: float, cap: float) -> float:
    """Seconds before the next try after ``attempts`` failures in a row: base, 2·base, 4·base …"""
    return float(min(cap, base * 2 ** max(0, attempts - 1)))


def body_of(event: AlarmEvent) -> bytes:
    """The exact bytes delivered (and signed): the stored payload, keys sorted."""
    return orjson.dumps(event.payload, option=orjson.OPT_SORT_KEYS)


def _claim(session: Session, sub_id: str, owner: str, now: datetime, lease: float) -> bool:
    s = AlarmSubscription
    result = session.execute(
        update(s)
        .where(
            s.id == sub_id,
            or_(s.lease_until.is_(None), s.lease_until < now, s.lease_owner == owner),
        )
        .values(lease_owner=owner, lease_until=now + timedelta(seconds=lease))
    )
    return bool(getattr(result, "rowcount", 0))


def _release(session: Session, sub_id: str, owner: str) -> None:
    s = AlarmSubscription
    session.execute(
        update(s)
        .where(s.id == sub_id, s.lease_owner == owner)
        .values(lease_owner=None, lease_until=None)
    )


def backlog(session: Session) -> int:
    """Deliveries still owed."""
    d = AlarmDelivery
    return int(
        session.scalar(select(func.count()).select_from(d).where(d.status == "pending")) or 0
    )


@dataclass
class Deliverer:
    """One delivery loop's collaborators (passed in: tests give a clock and a sender)."""

    sessions: sessionmaker[Session]
    box: SecretBox
    send: Sender
    config: AlarmConfig
    owner: str
    clock: Callable[[], datetime]
    metrics: AlarmMetrics | None = None
    # Checked between deliveries, so a stopping worker does not drain a long backlog first.
    stopping: Callable[[], bool] = lambda: False

    def run_pass(self) -> int:
        """Send what is due to every subscription; returns how many were delivered."""
        now = self.clock()
        d = AlarmDelivery
        with self.sessions.begin() as s:
            due = list(
                s.scalars(
                    select(d.subscription_id)
                    .where(d.status == "pending", d.next_attempt_at <= now)
                    .group_by(d.subscription_id)
                    .limit(MAX_PER_PASS)
                )
            )
        delivered = 0
        for sub_id in due:
            if self.stopping():
                break
            with self.sessions.begin() as s:
                if not _claim(s, sub_id, self.owner, now, self.config.lease_seconds):
                    continue  # another worker has it
            try:
                delivered += self._drain(sub_id)
            finally:
                with self.sessions.begin() as s:
                    _release(s, sub_id, self.owner)
        if self.metrics:
            with self.sessions() as s:
                self.metrics.backlog.set(backlog(s))
        return delivered

    def _drain(self, sub_id: str) -> int:
        sent = 0
        for _ in range(MAX_PER_PASS):
            if self.stopping():
                return sent
            now = self.clock()
            with self.sessions.begin() as s:
                head = s.scalar(
                    select(AlarmDelivery)
                    .where(
                        AlarmDelivery.subscription_id == sub_id, AlarmDelivery.status == "pending"
                    )
                    .order_by(AlarmDelivery.event_seq)
                    .limit(1)
                )
                if head is None or head.next_attempt_at > now:
                    return sent  # empty, or backing off: later events wait behind it
                sub, event = s.get(AlarmSubscription, sub_id), s.get(AlarmEvent, head.event_id)
                if sub is None or event is None:
                    return sent
                url, delivery_id, attempts = sub.url, head.id, head.attempts
                body = body_of(event)
                headers = {
                    "Content-Type": "application/json",
                    "User-Agent": "ecohub-alarms/1",
                    EVENT_HEADER: event.id,
                    "X-Hub-Event-Seq": str(event.seq),
                    "X-Hub-Delivery": str(delivery_id),
                    SIGNATURE_HEADER: sign(self.box.open(sub.secret_encrypted), body),
                }
            status, error = self._post(url, body, headers)
            ok = status is not None and 200 <= status < 300
            with self.sessions.begin() as s:
                row = s.get(AlarmDelivery, delivery_id)
                if row is None:
                    return sent  # the subscription was deleted meanwhile
                row.attempts, row.last_status = attempts + 1, status
                if ok:
                    row.status, row.delivered_at, row.last_error = "delivered", self.clock(), None
                else:
                    wait = backoff(
                        row.attempts,
                        self.config.backoff_base_seconds,
                        self.config.backoff_cap_seconds,
                    )
                    row.last_error = CONNECTION_ERROR if status is None else f"HTTP {status}"
                    row.next_attempt_at = self.clock() + timedelta(seconds=wait)
                _claim(s, sub_id, self.owner, self.clock(), self.config.lease_seconds)
            if self.metrics:
                self.metrics.deliveries.labels("delivered" if ok else "failed").inc()
            if not ok:
                log.warning(
                    "alarm delivery failed",
                    extra={
                        "subscription": sub_id,
                        "delivery": delivery_id,
                        "status": status,
                        "error": error,
                    },
                )
                return sent
            sent += 1
        return sent

    def _post(
        self, url: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int | None, str | None]:
        try:
            return self.send(url, body, headers), None
        except Exception as exc:  # any failure to get an answer is retried later
            # The detail goes to the operator's log only (see CONNECTION_ERROR).
            return None, f"{type(exc).__name__}: {exc}"[:500]
