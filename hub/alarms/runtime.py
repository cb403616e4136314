"""What handlers need for alarms: settings, metrics, the secret box and the event notifier
(built by ``hub.bootstrap``; the worker that evaluates the feed is built there too)."""

from __future__ import annotations

from dataclasses import dataclass

from hub.alarms.config import AlarmConfig
from hub.alarms.metrics import AlarmMetrics
from hub.alarms.signing import SecretBox
from hub.feed.notifier import Notifier


@dataclass
class AlarmRuntime:
    """The alarm parts of one process that handlers and the worker share."""

    config: AlarmConfig
    metrics: AlarmMetrics
    box: SecretBox
    notifier: Notifier
