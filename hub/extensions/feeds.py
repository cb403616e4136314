"""Wake long-polling feed readers in this process when an ingest commits."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hub.app import HubContext
    from hub.ingest.pipeline import IngestOutcome


class FeedNotifier:
    """A condition readers wait on; ingest's after-commit hook pulses it."""

    def __init__(self) -> None:
        self._cond = threading.Condition()

    def wait(self, timeout: float) -> None:
        with self._cond:
            self._cond.wait(timeout)

    def __call__(self, _outcome: IngestOutcome) -> None:
        with self._cond:
            self._cond.notify_all()


def init_app(app: Any, ctx: HubContext) -> None:
    notifier = FeedNotifier()
    ctx.extras["feed_notifier"] = notifier
    ctx.ingest_hooks.after_commit.append(notifier)
