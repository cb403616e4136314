"""Catalogue tests run against the real local CKAN (`.ci/ckan/up.sh`), over HTTP.

The session starts CKAN if it is not running (first install ~50 s). Every test gets its
own CKAN name prefix (run id + test number), so runs and tests never see each other's
organizations and packages, and everything a test made is purged afterwards.
"""

from __future__ import annotations

import contextlib
import itertools
import subprocess
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ckanapi import NotFound, RemoteCKAN

from catalogue.ckan import READS, CkanClient
from catalogue.ckan_map import Names
from catalogue.directory import load_directory
from catalogue.publisher import CkanPublisher

ROOT = Path(__file__).resolve().parents[2]
RUN_ID = uuid.uuid4().hex[:6]
_TEST_NUMBER = itertools.count(1)


@pytest.fixture(scope="session")
def ckan_facts() -> dict[str, str]:
    """HUB_CKAN_URL / HUB_CKAN_TOKEN of the local CKAN, started if needed."""
    done = subprocess.run(
        ["bash", str(ROOT / ".ci/ckan/up.sh"), "--export"],
        cwd=ROOT, capture_output=True, text=True, timeout=900, check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"could not start the local CKAN:\n{done.stderr[-3000:]}", pytrace=False)
    facts = {}
    for line in done.stdout.splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        facts[key.strip()] = value.strip().strip("'\"")
    return facts


class CountingCKAN(RemoteCKAN):
    """A real RemoteCKAN that counts the actions it sends over HTTP."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calls: Counter[str] = Counter()

    def call_action(self, action: str, *args: Any, **kwargs: Any) -> Any:
        self.calls[action] += 1
        return super().call_action(action, *args, **kwargs)

    @property
    def writes(self) -> dict[str, int]:
        return {a: n for a, n in self.calls.items() if a not in READS}


@pytest.fixture
def admin(ckan_facts: dict[str, str]) -> RemoteCKAN:
    """A plain sysadmin client to check what CKAN holds (not the hub's code)."""
    return RemoteCKAN(ckan_facts["HUB_CKAN_URL"], apikey=ckan_facts["HUB_CKAN_TOKEN"])


@pytest.fixture
def anon(ckan_facts: dict[str, str]) -> RemoteCKAN:
    return RemoteCKAN(ckan_facts["HUB_CKAN_URL"])


@pytest.fixture
def names(admin: RemoteCKAN) -> Iterator[Names]:
    """A CKAN name prefix of this test alone; what it made is purged afterwards."""
    n = Names(f"t{RUN_ID}-{next(_TEST_NUMBER)}-")
    yield n
    purge(admin, n)


def purge(admin: RemoteCKAN, names: Names) -> None:
    for entry_id in [e.id for e in load_directory()]:
        try:
            pkg = admin.action.package_show(id=names.package(entry_id))
        except NotFound:
            continue
        for res in pkg["resources"]:
            if res.get("datastore_active"):
                with contextlib.suppress(NotFound):
                    admin.action.datastore_delete(resource_id=res["id"], force=True)
        admin.action.dataset_purge(id=pkg["id"])
    for dept in ("environment", "health", "water", "marine"):
        with contextlib.suppress(NotFound):
            admin.action.organization_purge(id=names.organization(dept))


@pytest.fixture
def make_publisher(ckan_facts: dict[str, str]) -> Any:
    """``make_publisher(url=None, chunk_size=…)`` → (publisher, counting RemoteCKAN)."""

    def make(url: str | None = None, chunk_size: int = 500) -> tuple[CkanPublisher, CountingCKAN]:
        target = url or ckan_facts["HUB_CKAN_URL"]
        remote = CountingCKAN(target, apikey=ckan_facts["HUB_CKAN_TOKEN"])
        client = CkanClient(target, ckan_facts["HUB_CKAN_TOKEN"], remote=remote, timeout=(2, 60))
        return CkanPublisher(client, chunk_size=chunk_size), remote

    return make


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class FailingAfter(CountingCKAN):
    """The real CKAN until ``after`` calls, then the same requests to a closed port."""

    def __init__(self, *args: Any, after: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.after = after

    def call_action(self, action: str, *args: Any, **kwargs: Any) -> Any:
        if sum(self.calls.values()) >= self.after:
            self.address = f"http://127.0.0.1:{closed_port()}"
        return super().call_action(action, *args, **kwargs)


@pytest.fixture
def outage_publisher(ckan_facts: dict[str, str]) -> Any:
    """``outage_publisher(after=0)``: the real portal (same URL, same recorded state),
    reachable for ``after`` calls and then down."""

    def make(after: int = 0) -> tuple[CkanPublisher, CountingCKAN]:
        url, token = ckan_facts["HUB_CKAN_URL"], ckan_facts["HUB_CKAN_TOKEN"]
        remote = FailingAfter(url, apikey=token, after=after)
        return CkanPublisher(CkanClient(url, token, remote=remote, timeout=(2, 60))), remote

    return make
