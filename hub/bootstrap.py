"""The composition root: every entry point builds the parts it runs from here.

Which process builds what (nothing is discovered at import time; each list below is the
whole list):

- ``bootstrap`` — what every process uses: settings, engine, session factory, metrics and
  the ingest pipeline (QC always; after commit: the ingest metrics). Starts nothing; the
  CLI commands use it through ``open_hub``.
- ``web_hub`` — the web app (``hub.app.build_app``): adds the token verifier (and its
  revocation poller), the feed notifier, the alarm runtime and, unless
  ``HUB_ALARM_WORKER=0``, the alarm worker thread; the ingest pipeline's after-commit
  listeners are the ingest metrics, the feed notifier and the alarm worker's wake.
- ``hj212_hub`` — ``ecohub hj212 serve``: the core only, no token verifier, no alarm
  worker, no web stack.
- ``alarm_worker`` — ``ecohub alarms run``: the worker, run in the foreground.

``HubContext.close()`` stops what its builder started (tests build many).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from hub.alarms.config import AlarmConfig
from hub.alarms.metrics import AlarmMetrics
from hub.alarms.runtime import AlarmRuntime
from hub.alarms.signing import SecretBox
from hub.alarms.worker import AlarmWorker
from hub.auth.secrets import signing_key
from hub.auth.tokens import RevocationList, TokenService
from hub.db.engine import make_engine, make_session_factory
from hub.feed.notifier import Notifier
from hub.ingest.pipeline import IngestPipeline
from hub.logs import configure_logging
from hub.metrics import HubMetrics
from hub.settings import Settings


@dataclass
class HubContext:
    """One process's parts. Handlers reach it through ``hub.api.deps.hub()``; the parts a
    builder did not ask for are None."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    metrics: HubMetrics
    ingest: IngestPipeline
    tokens: TokenService | None = None
    feed_notifier: Notifier | None = None
    alarms: AlarmRuntime | None = None
    closers: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        """Stop what the builder started (last started, first stopped); release connections."""
        while self.closers:
            self.closers.pop()()
        self.engine.dispose()


def bootstrap(settings: Settings | None = None) -> HubContext:
    """Settings (``Settings.from_env()`` when omitted), engine, sessions, metrics and the
    ingest pipeline with QC and the ingest metrics. Starts no thread."""
    settings = settings or Settings.from_env()
    engine = make_engine(settings.database_url, settings.db_pool_size)
    metrics = HubMetrics()
    ingest = IngestPipeline(after_commit=[metrics.count_ingest])  # QC: always, by default
    return HubContext(settings, engine, make_session_factory(engine), metrics, ingest)


@contextmanager
def open_hub(settings: Settings | None = None) -> Iterator[HubContext]:
    """``bootstrap`` for one CLI command: closed when the command ends."""
    ctx = bootstrap(settings)
    try:
        yield ctx
    finally:
        ctx.close()


def token_service(ctx: HubContext) -> TokenService:
    """Issue and verify tokens; starts the poller that keeps revocations current."""
    settings = ctx.settings
    revocations = RevocationList(ctx.sessions)
    revocations.start()
    ctx.closers.append(revocations.stop)
    return TokenService(
        signing_key(settings.token_signing_key, settings.instance_path),
        settings.token_ttl_seconds,
        revocations,
    )


def alarm_runtime(ctx: HubContext) -> AlarmRuntime:
    """Alarm settings, metrics (on the hub's registry), secret box and event notifier."""
    settings = ctx.settings
    config = AlarmConfig.for_settings(settings)
    box = SecretBox.for_instance(
        config.secret_key, settings.token_signing_key, settings.instance_path
    )
    return AlarmRuntime(config, AlarmMetrics(ctx.metrics.registry), box, Notifier())


def alarm_worker(ctx: HubContext, runtime: AlarmRuntime | None = None) -> AlarmWorker:
    """The worker that evaluates the observation feed and delivers webhooks (not started;
    ``close()`` stops it). Its rounds that write events pulse ``runtime``'s notifier."""
    runtime = runtime or alarm_runtime(ctx)
    worker = AlarmWorker(ctx.sessions, runtime.config, runtime.box, runtime.metrics)
    worker.listeners.append(runtime.notifier.notify)
    ctx.closers.append(worker.stop)
    return worker


def web_hub(settings: Settings | None = None) -> HubContext:
    """Everything the web app runs beside its handlers (see the module docstring)."""
    ctx = bootstrap(settings)
    configure_logging(ctx.settings.log_level, ctx.settings.log_json)
    try:
        ctx.tokens = token_service(ctx)
        ctx.feed_notifier = Notifier()
        ctx.alarms = alarm_runtime(ctx)
        wake: list[Callable[[Any], None]] = []
        if ctx.alarms.config.worker:
            worker = alarm_worker(ctx, ctx.alarms)
            worker.start()
            wake.append(worker.wake)
        # The same QC stage; the web process adds its own listeners after the metrics.
        ctx.ingest = replace(
            ctx.ingest, after_commit=[*ctx.ingest.after_commit, ctx.feed_notifier, *wake]
        )
    except BaseException:
        ctx.close()
        raise
    return ctx


def hj212_hub(settings: Settings | None = None) -> HubContext:
    """What ``ecohub hj212 serve`` runs beside its receiver: the core, nothing else.

    No token verifier (loggers authenticate with their PW, not tokens), no alarm worker and
    no feed notifier: a commit here has no listener in this process but the ingest metrics.
    The web app's alarm worker (or ``ecohub alarms run``) and the feed's long polls read the
    committed feed, so they see the receiver's data on their next poll.
    """
    ctx = bootstrap(settings)
    configure_logging(ctx.settings.log_level, ctx.settings.log_json)
    return ctx
