"""Alarm figures on a Prometheus registry (the app's, or one of its own for the CLI)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge


class AlarmMetrics:
    """Opened/closed alarms by kind, events by type, deliveries by outcome, outbox backlog."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.opened = Counter(
            "hub_alarms_opened_total", "Alarms opened", ["kind"], registry=self.registry
        )
        self.closed = Counter(
            "hub_alarms_closed_total", "Alarms closed", ["kind"], registry=self.registry
        )
        self.events = Counter(
            "hub_alarm_events_total", "Alarm events written", ["type"], registry=self.registry
        )
        self.deliveries = Counter(
            "hub_alarm_deliveries_total",
            "Webhook delivery attempts by outcome (delivered, failed)",
            ["outcome"],
            registry=self.registry,
        )
        self.backlog = Gauge(
            "hub_alarm_outbox_backlog",
            "Alarm deliveries waiting in the outbox",
            registry=self.registry,
        )
        self.evaluated = Counter(
            "hub_alarm_feed_items_evaluated_total",
            "Observation feed items the alarm engine evaluated",
            registry=self.registry,
        )
        self.errors = Counter(
            "hub_alarm_worker_errors_total",
            "Alarm worker rounds that failed (retried on the next round)",
            ["stage"],
            registry=self.registry,
        )
