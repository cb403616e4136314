"""Changes after the first publish: new data, edited entries, CKAN outages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import requests
from ckanapi import RemoteCKAN
from sqlalchemy import select

from catalogue.ckan import CkanUnavailable
from catalogue.ckan_map import Names
from catalogue.directory import load_directory
from catalogue.model import Disclosure
from hub.db.catalogue import CatalogueSyncEntry, CatalogueSyncOrganization
from tests.catalogue.test_catalogue_publish import copy_directory, edit, records, run, snapshot
from tests.catalogue.world import DAYS, NOW, local, seed
from tests.support.data import store

pytestmark = [pytest.mark.ckan, pytest.mark.postgres]


def cleaner_day_two(db: Any) -> None:
    """A correction: K01's PM2.5 on the second day was 30, not 90 (new revisions)."""
    store(db, [("YJ-AIR-K01", "a34004", local(DAYS[1], h), "PT1H", 30.0) for h in range(24)])


def sync_rows(db: Any) -> list[tuple[Any, ...]]:
    with db() as s:
        entries = s.execute(select(CatalogueSyncEntry).order_by(CatalogueSyncEntry.entry_id))
        orgs = s.execute(select(CatalogueSyncOrganization))
        return [
            (r.entry_id, r.state, r.metadata_hash, r.data_hash, r.synced_at)
            for r in entries.scalars()
        ] + [(o.department_code, o.metadata_hash, o.synced_at) for o in orgs.scalars()]


def test_new_data_sends_only_changed_rows_and_a_new_snapshot(
    db: Any, make_publisher: Any, names: Names, admin: RemoteCKAN, anon: RemoteCKAN
) -> None:
    seed(db)
    publisher, _ = make_publisher()
    run(db, publisher, names)
    cleaner_day_two(db)

    again, remote = make_publisher()
    report = run(db, again, names)
    changed = {p.entry_id: p for p in report.entries if p.changes}
    assert set(changed) == {"air-aqi-hourly", "air-aqi-daily", "county-assessment"}
    assert [len(changed[i].data.upsert) for i in ("air-aqi-hourly", "air-aqi-daily")] == [24, 1]
    # Per entry: one CSV upload and one upsert; no metadata write, no table rebuilt.
    assert remote.writes == {"resource_patch": 3, "datastore_upsert": 3}

    daily = snapshot(admin.action.package_show(id=names.package("air-aqi-daily")))
    assert daily["datastore_active"] is True
    rows = {(r["site"], r["day"]): r for r in records(anon, daily["id"])}
    assert len(rows) == 4
    assert rows[("YJ-AIR-K01", DAYS[1].isoformat())]["quality_en"] in {"excellent", "good"}
    assert rows[("YJ-AIR-K01", DAYS[0].isoformat())]["quality_en"] == "light pollution"
    csv_text = requests.get(daily["url"], timeout=30).content.decode("utf-8")
    assert csv_text.count("light pollution") == 1
    county = snapshot(admin.action.package_show(id=names.package("county-assessment")))
    yangchun = next(r for r in records(anon, county["id"]) if r["county"] == "441781")
    assert yangchun["good_air_days"] == 1


def test_rows_leaving_the_window_are_deleted_from_the_datastore(
    db: Any, make_publisher: Any, names: Names, admin: RemoteCKAN
) -> None:
    seed(db)
    publisher, _ = make_publisher()
    run(db, publisher, names)
    later, remote = make_publisher()
    # Two days on, the real-time entry's two-day window no longer holds the world's days.
    run(db, later, names, now=NOW + timedelta(days=2))
    hourly = snapshot(admin.action.package_show(id=names.package("air-aqi-hourly")))
    assert records(admin, hourly["id"]) == []
    assert remote.writes["datastore_records_delete"] == 3  # 96 keys, 33 per call
    daily = snapshot(admin.action.package_show(id=names.package("air-aqi-daily")))
    assert len(records(admin, daily["id"])) == 4


def test_an_edited_entry_is_patched_and_nothing_else(
    db: Any, make_publisher: Any, names: Names, admin: RemoteCKAN, tmp_path: Any
) -> None:
    publisher, _ = make_publisher()
    run(db, publisher, names)
    open_ids = [e.id for e in load_directory() if e.disclosure is Disclosure.OPEN]
    before = {i: admin.action.package_show(id=names.package(i)) for i in open_ids}
    folder = copy_directory(tmp_path)
    edit(folder / "surface-water-monthly.yaml", "en: Monthly surface-water quality by section",
         "en: Surface-water quality by section, monthly")
    edit(folder / "surface-water-monthly.yaml", "en: [surface water,",
         "en: [rivers, surface water,")

    again, remote = make_publisher()
    report = run(db, again, names, load_directory(folder))
    assert [p.entry_id for p in report.entries if p.changes] == ["surface-water-monthly"]
    assert remote.writes == {"package_patch": 1, "resource_patch": 2}
    pkg = admin.action.package_show(id=names.package("surface-water-monthly"))
    assert pkg["title"].endswith("| Surface-water quality by section, monthly")
    assert "rivers" in {t["name"] for t in pkg["tags"]}
    assert len(pkg["resources"]) == 2 and snapshot(pkg)["datastore_active"] is True
    for i in open_ids:
        if i != "surface-water-monthly":
            after = admin.action.package_show(id=names.package(i))
            assert after["metadata_modified"] == before[i]["metadata_modified"], i


def test_ckan_down_fails_clearly_keeps_the_state_and_the_next_run_catches_up(
    db: Any, make_publisher: Any, outage_publisher: Any, names: Names, anon: RemoteCKAN,
    admin: RemoteCKAN, ckan_facts: dict[str, str],
) -> None:
    seed(db)
    publisher, _ = make_publisher()
    run(db, publisher, names)
    cleaner_day_two(db)
    state = sync_rows(db)

    down, _ = outage_publisher(after=0)
    with pytest.raises(CkanUnavailable) as failed:
        run(db, down, names)
    message = str(failed.value)
    assert ckan_facts["HUB_CKAN_URL"] in message and "unreachable" in message
    assert ckan_facts["HUB_CKAN_TOKEN"] not in message
    assert sync_rows(db) == state

    report = run(db, publisher, names)
    assert report.applied == 3
    daily = snapshot(admin.action.package_show(id=names.package("air-aqi-daily")))
    row = next(r for r in records(anon, daily["id"])
               if (r["site"], r["day"]) == ("YJ-AIR-K01", DAYS[1].isoformat()))
    assert row["quality_en"] in {"excellent", "good"}


def test_an_outage_mid_run_is_finished_by_the_next_run_without_duplicates(
    db: Any, make_publisher: Any, outage_publisher: Any, names: Names, admin: RemoteCKAN
) -> None:
    seed(db)
    flaky, remote = outage_publisher(after=14)
    with pytest.raises(CkanUnavailable):
        run(db, flaky, names)
    with db() as s:
        done = s.scalars(select(CatalogueSyncEntry.entry_id)).all()
    assert 0 < len(done) < 8

    publisher, _ = make_publisher()
    report = run(db, publisher, names)
    assert report.applied == 8 - len(done)
    found = admin.action.package_search(q=f"name:{names.prefix}*", rows=100,
                                        include_private=True)
    assert found["count"] == 8
    for pkg in found["results"]:
        shown = admin.action.package_show(id=pkg["id"])
        assert sorted(r["hub_role"] for r in shown["resources"]) == ["api", "snapshot"]
        assert snapshot(shown)["datastore_active"] is True

    again, remote = make_publisher()
    assert run(db, again, names).applied == 0
    assert remote.writes == {}


def test_a_new_name_prefix_withdraws_the_packages_under_the_old_names(
    db: Any, make_publisher: Any, names: Names, admin: RemoteCKAN, anon: RemoteCKAN,
    tmp_path: Any,
) -> None:
    from catalogue.directory import DIRECTORY_DIR
    from tests.catalogue.conftest import purge

    folder = tmp_path / "two"
    folder.mkdir()
    for name in ("air-aqi-daily.yaml", "tap-water-quality.yaml"):
        (folder / name).write_text((DIRECTORY_DIR / name).read_text(encoding="utf-8"))
    two = load_directory(folder)
    publisher, _ = make_publisher()
    run(db, publisher, names, two)
    renamed = Names(names.prefix + "r-")
    try:
        report = run(db, publisher, renamed, two)
        assert {p.reason for p in report.entries} == {f"renamed from {names.package(e.id)}"
                                                      for e in two}
        for entry in two:
            assert admin.action.package_show(id=names.package(entry.id))["private"] is True
            assert anon.action.package_show(id=renamed.package(entry.id))["private"] is False
    finally:
        purge(admin, renamed)
