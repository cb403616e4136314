"""Alarms in the web app: the runtime handlers use, and the background worker.

The worker thread evaluates the observation feed after commit and delivers webhooks; an
ingest's after-commit hook only wakes it early. ``HUB_ALARM_WORKER=0`` turns the thread
off (run ``ecohub alarms run`` instead, or on another host).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hub.alarms.config import AlarmConfig
from hub.alarms.metrics import AlarmMetrics
from hub.alarms.runtime import AlarmRuntime, EventNotifier
from hub.alarms.signing import SecretBox
from hub.alarms.worker import AlarmWorker

if TYPE_CHECKING:
    from hub.app import HubContext


def init_app(app: Any, ctx: HubContext) -> None:
    config = AlarmConfig.for_settings(ctx.settings)
    settings = ctx.settings
    box = SecretBox.for_instance(
        config.secret_key, settings.token_signing_key, settings.instance_path
    )
    runtime = AlarmRuntime(config, AlarmMetrics(ctx.metrics.registry), box, EventNotifier())
    ctx.extras["alarms"] = runtime
    if not config.worker:
        return
    worker = AlarmWorker(ctx.sessions, config, box, runtime.metrics)
    worker.listeners.append(runtime.notifier.notify)
    runtime.worker = worker
    ctx.ingest_hooks.after_commit.append(worker.wake)
    ctx.closers.append(worker.stop)
    worker.start()
