"""What handlers need for alarms: settings, metrics, the secret box and the event notifier
(built by ``hub.bootstrap``; the worker that evaluates the feed is built there too)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from hub.alarms.config import AlarmConfig
from hub.alarms.metrics import AlarmMetrics
from hub.alarms.signing import SecretBox


class EventNotifier:
    """Alarm-feed long polls wait on it; writing alarm events in this process pulses it."""

    def __init__(self) -> None:
        self._cond = threading.Condition()

    def wait(self, timeout: float) -> None:
        with self._cond:
            self._cond.wait(timeout)

    def notify(self) -> None:
        with self._cond:
            self._cond.notify_all()


@dataclass
class AlarmRuntime:
    """The alarm parts of one process that handlers and the worker share."""

    config: AlarmConfig
    metrics: AlarmMetrics
    box: SecretBox
    notifier: EventNotifier
