"""Long polls (``wait=N`` on ``/feeds/observations`` and ``/feeds/alarms``) that hold no thread.

Why: a handler that waits inside Flask holds one of the few threads the WSGI bridge runs
handlers on; some tens of waiting readers starved every endpoint, ``/health`` included.

How: the handlers always answer at once. ``LongPollMiddleware`` sits in connexion's ASGI
stack after routing and security (so it knows the operation and the token's client) and
before validation (so every attempt is validated exactly as a plain request). For a feed
request with ``wait`` > 0 it

1. arms the feed's ``Notifier`` (before reading, so a commit during the read still wakes it),
2. asks the app for the page; a page with items, an error, or a passed deadline is sent
   as the app wrote it (the handler's item count travels in ``COUNT_HEADER``, which is
   removed here, so the response is byte for byte what the handler made),
3. otherwise takes a waiting slot (caps per client and in total, else 429 / 503 with
   ``Retry-After``) and awaits, on the event loop, the first of: a pulse of the notifier,
   the deadline, the client going away; then goes back to 2.

Pulses come from two places. Writers in this process (the ingest pipeline after every
commit; the alarm worker and acknowledgements) pulse the notifier from their threads
(``loop.call_soon_threadsafe``). Writers in other processes (another uvicorn worker,
``ecohub hj212 serve``, ``ecohub alarms run``) are noticed by one ``HeadPoller`` per feed
and process: while anyone waits, it reads the feed's head (``max(seq)``, one index lookup)
every ``longpoll_recheck_seconds`` and pulses when it moved. That costs one query per
interval however many readers wait, and works on SQLite as on PostgreSQL (``LISTEN/NOTIFY``
would need every writer to notify; the head poll needs nothing from them).
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

import orjson
from sqlalchemy import func, select

from hub.db.alarms import AlarmEvent
from hub.db.records import Submission
from hub.errors import PROBLEM_JSON, HubError, ServiceUnavailable
from hub.feed.notifier import Notifier

if TYPE_CHECKING:
    from sqlalchemy.orm import InstrumentedAttribute
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from hub.bootstrap import HubContext

log = logging.getLogger("hub.feed.longpoll")

# The handler's item count, for this middleware only (never sent to the client).
COUNT_HEADER = "X-Hub-Feed-Count"
_COUNT = COUNT_HEADER.lower().encode()
MAX_WAIT_SECONDS = 30.0  # as the spec's `maximum` for `wait`


class TooManyWaits(HubError):
    status, slug, title = 429, "too-many-waits", "Too Many Requests"


class WaitCaps:
    """Waiting slots: at most ``total`` readers waiting in this process, ``per_client`` of
    them for one client. Lives on the event loop, so plain counters suffice."""

    def __init__(self, total: int, per_client: int, retry_after: int) -> None:
        self.total, self.per_client, self.retry_after = total, per_client, retry_after
        self.held: Counter[str] = Counter()

    def take(self, client: str) -> None:
        """Take a slot for ``client``, or raise 429 (its own cap) / 503 (the process's).
        Only these refusals are raised here."""
        headers = {"Retry-After": str(self.retry_after)}
        if self.held[client] >= self.per_client:
            raise TooManyWaits(
                f"this client already holds {self.per_client} waiting feed requests; "
                "let one finish, or poll without `wait`",
                headers=headers,
            )
        if self.held.total() >= self.total:
            raise ServiceUnavailable(
                "the hub holds as many waiting feed requests as it allows; retry later",
                headers=headers,
            )
        self.held[client] += 1

    def give(self, client: str) -> None:
        self.held[client] -= 1
        if self.held[client] <= 0:
            del self.held[client]


class HeadPoller:
    """While readers wait on a feed, read its head every ``interval`` s (in a thread) and
    pulse ``notifier`` when it changed: commits by other processes wake readers too."""

    def __init__(self, notifier: Notifier, read_head: Callable[[], Any], interval: float) -> None:
        self.notifier, self.read_head, self.interval = notifier, read_head, interval
        self.users = 0
        self._task: asyncio.Task[None] | None = None

    def hold(self) -> None:
        """A reader starts waiting: make sure the poll runs on this loop."""
        self.users += 1
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done() or self._task.get_loop() is not loop:
            self._task = loop.create_task(self._run())

    def release(self) -> None:
        """A reader stopped waiting; the poll stops after its last reader."""
        self.users -= 1

    async def _run(self) -> None:
        # Unknown at first, so the first read pulses: a commit between a reader's page
        # read and the start of this poll must not go unnoticed until the deadline.
        last: Any = object()
        while self.users > 0:
            await asyncio.sleep(self.interval)
            if self.users <= 0:
                break
            try:
                head = await asyncio.to_thread(self.read_head)
            except Exception as exc:  # the database may be away; readers time out as before
                log.warning("feed head poll failed", extra={"error": type(exc).__name__})
                continue
            if head != last:
                self.notifier.notify()
            last = head


@dataclass
class _Reply:
    """One buffered answer of the app."""

    status: int = 500
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: list[bytes] = field(default_factory=list)

    @classmethod
    def problem(cls, exc: HubError) -> _Reply:
        body = orjson.dumps(exc.to_dict())
        headers = [(b"content-type", PROBLEM_JSON.encode()),
                   (b"content-length", str(len(body)).encode())]
        headers += [(k.lower().encode(), v.encode()) for k, v in exc.headers.items()]
        return cls(exc.status, headers, [body])

    @property
    def empty(self) -> bool:
        """A 200 feed page with no items (what waiting is for)."""
        return self.status == 200 and (_COUNT, b"0") in self.headers

    async def send(self, send: Send) -> None:
        headers = [(k, v) for k, v in self.headers if k != _COUNT]
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": b"".join(self.body)})


@dataclass
class _Feed:
    notifier: Notifier
    poller: HeadPoller


def _head_reader(ctx: HubContext, column: InstrumentedAttribute[Any]) -> Callable[[], Any]:
    def read() -> Any:
        with ctx.sessions() as session:
            return session.scalar(select(func.max(column)))

    return read


def _wait_seconds(scope: Scope) -> float | None:
    """``wait`` as the client gave it, when it asks to wait; anything else (absent, zero,
    malformed, too long) is left to the app and its validation."""
    raw = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"))).get("wait")
    try:
        wait = float(raw) if raw is not None else 0.0
    except ValueError:
        return None
    return wait if 0 < wait <= MAX_WAIT_SECONDS else None


def _client(scope: Scope) -> str:
    context = scope.get("extensions", {}).get("connexion_context", {})
    info = context.get("token_info") or {}
    return str(info.get("client_id") or info.get("sub") or "anonymous")


async def _disconnected(receive: Receive) -> None:
    """Return when the client goes away (the app never reads this request's messages)."""
    while (await receive())["type"] != "http.disconnect":
        pass


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


class LongPollMiddleware:
    """Serve ``wait`` on the feed operations by waiting on the event loop (module docstring)."""

    def __init__(self, app: ASGIApp, ctx: HubContext) -> None:
        self.app = app
        s = ctx.settings
        interval = s.longpoll_recheck_seconds
        self.caps = WaitCaps(
            s.longpoll_max_waits, s.longpoll_max_waits_per_client, max(1, math.ceil(interval))
        )
        feed_notifier = ctx.feed_notifier or Notifier()
        alarm_notifier = ctx.alarms.notifier if ctx.alarms else Notifier()
        self.feeds = {
            # Operation ids as connexion resolves them (RelativeResolver("hub.api")).
            "hub.api.feeds.observations": _Feed(
                feed_notifier,
                HeadPoller(feed_notifier, _head_reader(ctx, Submission.seq), interval),
            ),
            "hub.api.alarm_feed.events": _Feed(
                alarm_notifier,
                HeadPoller(alarm_notifier, _head_reader(ctx, AlarmEvent.seq), interval),
            ),
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        routing = scope.get("extensions", {}).get("connexion_routing", {})
        feed = self.feeds.get(routing.get("operation_id")) if scope["type"] == "http" else None
        if feed is None:
            await self.app(scope, receive, send)
            return
        wait = _wait_seconds(scope)
        reply = await (self._ask(scope, receive) if wait is None else
                       self._wait(scope, receive, feed, wait))
        await reply.send(send)

    async def _ask(self, scope: Scope, receive: Receive = _no_body) -> _Reply:
        reply = _Reply()

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                reply.status = message["status"]
                reply.headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                reply.body.append(message.get("body", b""))

        # A copy per attempt: inner layers annotate the scope as they go.
        await self.app(dict(scope), receive, capture)
        return reply

    async def _wait(self, scope: Scope, receive: Receive, feed: _Feed, wait: float) -> _Reply:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        client = _client(scope)
        pulse = feed.notifier.arm()
        gone: asyncio.Task[None] | None = None
        try:
            while True:
                reply = await self._ask(scope)
                remaining = deadline - loop.time()
                if not reply.empty or remaining <= 0:
                    return reply
                if gone is None:
                    try:
                        self.caps.take(client)
                    except HubError as refused:
                        # Answered here, not by the app's error handler: a refused wait
                        # is expected load, not a server error worth an error log line.
                        return _Reply.problem(refused)
                    feed.poller.hold()
                    gone = loop.create_task(_disconnected(receive))
                await asyncio.wait(
                    {pulse, gone}, timeout=remaining, return_when=asyncio.FIRST_COMPLETED
                )
                feed.notifier.disarm(pulse)
                if gone.done():  # nobody to answer; the empty page goes nowhere
                    return reply
                pulse = feed.notifier.arm()
        finally:
            feed.notifier.disarm(pulse)
            if gone is not None:
                gone.cancel()
                self.caps.give(client)
                feed.poller.release()
