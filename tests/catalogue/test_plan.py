"""Planning a publish run from recorded state, and the table hashes it relies on."""

from __future__ import annotations

from typing import Any

from catalogue.model import Department, Links
from catalogue.plan import Desired, SyncState, plan_entry
from catalogue.series import Field
from catalogue.table import Table

FIELDS = (Field("site", "text", "站点", "Site"), Field("day", "date", "日", "Day"),
          Field("aqi", "int", "AQI", "AQI"), Field("ok", "bool", "好", "Good"))
ROWS = [{"site": "B", "day": "2026-11-02", "aqi": 40, "ok": True},
        {"site": "A", "day": "2026-11-01", "aqi": None, "ok": False, "extra": 1}]


def table(rows: list[dict[str, Any]] = ROWS) -> Table:
    return Table.build(FIELDS, ("site", "day"), rows)


def test_table_orders_rows_and_renders_csv() -> None:
    t = table()
    assert [r["site"] for r in t.rows] == ["A", "B"]
    assert "extra" not in t.rows[0]
    assert t.csv_bytes().decode() == (
        "site,day,aqi,ok\nA,2026-11-01,,false\nB,2026-11-02,40,true\n"
    )
    assert t.data_hash == table(list(reversed(ROWS))).data_hash


def test_diff_finds_changed_new_and_gone_rows() -> None:
    old = table()
    new = table([{"site": "B", "day": "2026-11-02", "aqi": 41, "ok": True},
                 {"site": "C", "day": "2026-11-03", "aqi": 10, "ok": True}])
    changed, gone = new.diff(old.row_digests())
    assert [(r["site"], r["aqi"]) for r in changed] == [("B", 41), ("C", 10)]
    assert gone == [{"site": "A", "day": "2026-11-01"}]
    assert new.diff(new.row_digests()) == ([], [])


def desired(t: Table, meta: str = "m1") -> Desired:
    from catalogue.directory import load_directory

    entry = next(iter(load_directory()))
    return Desired(entry, {"name": "yj-environment"}, "o1", {}, {}, {}, meta, t)


def state(t: Table, **kw: Any) -> SyncState:
    base = dict(entry_id="e", ckan_name="yj-e", state="published", package_id="p",
                api_resource_id="a", snapshot_resource_id="s", metadata_hash="m1",
                schema_hash=t.schema_hash, data_hash=t.data_hash, row_digests=t.row_digests(),
                row_count=len(t.rows))
    return SyncState(**{**base, **kw})


def test_nothing_changed_means_nothing_to_do() -> None:
    t = table()
    plan = plan_entry("e", "yj-e", desired(t), state(t))
    assert not plan.changes and plan.describe().endswith("unchanged")


def test_new_entries_are_created_with_every_row() -> None:
    plan = plan_entry("e", "yj-e", desired(table()), None)
    assert plan.create and plan.data is not None and plan.data.rebuild
    assert len(plan.data.upsert) == 2
    # Under another CKAN name (the prefix changed) it is new; the old one is withdrawn.
    renamed = plan_entry("e", "zz-e", desired(table()), state(table()))
    assert renamed.create and renamed.reason == "renamed from yj-e"
    assert "renamed from yj-e, which goes private" in renamed.describe()
    gone = plan_entry("e", "zz-e", desired(table()), state(table(), state="withdrawn"))
    assert gone.create and gone.reason == "new"


def test_metadata_and_data_changes_are_planned_separately() -> None:
    t = table()
    plan = plan_entry("e", "yj-e", desired(t, meta="m2"), state(t))
    assert plan.metadata and plan.data is None and not plan.create
    newer = table([*ROWS[:1], {"site": "A", "day": "2026-11-01", "aqi": 7, "ok": True}])
    plan = plan_entry("e", "yj-e", desired(newer), state(t))
    assert not plan.metadata and plan.data is not None and not plan.data.rebuild
    assert [r["aqi"] for r in plan.data.upsert] == [7]
    assert "upsert 1 row(s), delete 0" in plan.describe()


def test_a_new_schema_rebuilds_the_datastore_table() -> None:
    t = table()
    plan = plan_entry("e", "yj-e", desired(t), state(t, schema_hash="old"))
    assert plan.data is not None and plan.data.rebuild


def test_withdrawal_and_reopening() -> None:
    t = table()
    plan = plan_entry("e", "yj-e", None, state(t))
    assert plan.withdraw and "private" in plan.describe()
    assert not plan_entry("e", "yj-e", None, state(t, state="withdrawn")).changes
    assert not plan_entry("e", "yj-e", None, None).changes
    reopen = plan_entry("e", "yj-e", desired(t), state(t, state="withdrawn"))
    assert reopen.metadata and reopen.reason == "reopened" and reopen.data is None


def test_links() -> None:
    links = Links("https://hub.example/", "/api/v1")
    assert links.data("x", "csv") == "https://hub.example/api/v1/catalogue/datasets/x/data?format=csv"
    assert Department("a", "甲", "A").description is None
