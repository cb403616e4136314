"""Prometheus view of the HJ 212 serve process's counters (read at scrape time).

The server, sink and backfill worker keep plain integer counters; a collector turns a
snapshot into ``hub_hj212_<name>_total`` counters (``connections_active`` is a gauge).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, start_http_server
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

GAUGES = frozenset({"connections_active"})
PREFIX = "hub_hj212_"


class Hj212Collector(Collector):
    """Exposes ``source()`` (counter name -> value) on every scrape."""

    def __init__(self, source: Callable[[], Mapping[str, int]]) -> None:
        self._source = source

    def collect(self) -> Iterator[Metric]:
        """One metric family per counter."""
        for name, value in sorted(self._source().items()):
            doc = f"HJ 212 receiver: {name.replace('_', ' ')}"
            if name in GAUGES:
                yield GaugeMetricFamily(PREFIX + name, doc, value=value)
            else:
                yield CounterMetricFamily(PREFIX + name, doc, value=value)


def metrics_registry(source: Callable[[], Mapping[str, int]]) -> CollectorRegistry:
    """A registry holding only the HJ 212 counters."""
    registry = CollectorRegistry(auto_describe=True)
    registry.register(Hj212Collector(source))
    return registry


def start_metrics_server(
    source: Callable[[], Mapping[str, int]],
    port: int,
    host: str = "127.0.0.1",
    registry: CollectorRegistry | None = None,
) -> WSGIServer:
    """Serve ``/metrics`` on ``host:port`` in a daemon thread; ``shutdown()`` stops it.

    With ``registry`` (the app's, holding the ingest counters by channel) the HJ 212 counters
    are added to it; else they are served alone.
    """
    if registry is None:
        registry = metrics_registry(source)
    else:
        registry.register(Hj212Collector(source))
    server, _thread = start_http_server(port, addr=host, registry=registry)
    return server
