"""Wake long-polling feed readers in this process when an ingest commits."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hub.ingest.pipeline import IngestOutcome


class FeedNotifier:
    """A condition ``/feeds/observations`` long polls wait on; as an after-commit listener
    of the ingest pipeline, every commit in this process pulses it."""

    def __init__(self) -> None:
        self._cond = threading.Condition()

    def wait(self, timeout: float) -> None:
        """Block until the next ingest commit in this process, or ``timeout`` seconds."""
        with self._cond:
            self._cond.wait(timeout)

    def __call__(self, _outcome: IngestOutcome) -> None:
        with self._cond:
            self._cond.notify_all()
