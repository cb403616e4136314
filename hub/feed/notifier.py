"""Wake long-polling feed readers in this process when something new is committed.

One class for both feeds: the ingest pipeline pulses the observation feed's notifier
after every commit, the alarm worker (and an acknowledgement) pulses the alarm feed's.
Writers run on worker threads; readers wait on the event loop (``hub.feed.longpoll``), so a
pulse hands each armed waiter its wake-up with ``loop.call_soon_threadsafe`` and no reader
holds a thread while it waits.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading


def _wake(fut: asyncio.Future[None]) -> None:
    if not fut.done():
        fut.set_result(None)


class Notifier:
    """A pulse: ``notify`` (from any thread) resolves every future ``arm`` handed out since
    the last pulse. Arm *before* reading, so a commit between the read and the wait still
    wakes the reader."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._armed: set[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = set()

    def arm(self) -> asyncio.Future[None]:
        """A future on the running loop, resolved by the next pulse; ``disarm`` it when done."""
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[None] = loop.create_future()
        with self._lock:
            self._armed.add((loop, fut))
        return fut

    def disarm(self, fut: asyncio.Future[None]) -> None:
        """Forget ``fut`` (the reader stopped waiting), so idle feeds keep no garbage."""
        with self._lock:
            self._armed.discard((fut.get_loop(), fut))

    @property
    def waiting(self) -> int:
        """How many armed futures wait for the next pulse."""
        with self._lock:
            return len(self._armed)

    def notify(self, *_event: object) -> None:
        """Pulse: wake every armed reader. Takes and ignores the event (an ingest outcome,
        an alarm round), so it can be registered as any writer's listener."""
        with self._lock:
            armed, self._armed = self._armed, set()
        for loop, fut in armed:
            with contextlib.suppress(RuntimeError):  # a closed loop: nobody left to wake
                loop.call_soon_threadsafe(_wake, fut)

    __call__ = notify
