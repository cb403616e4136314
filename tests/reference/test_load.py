import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from hub.db.reference import Site
from hub.reference.load import load_reference

pytestmark = pytest.mark.postgres


def test_loading_twice_changes_nothing(db: sessionmaker[Session]) -> None:
    with db.begin() as s:
        report = load_reference(s)
    assert sum(report.created.values()) == 0
    assert sum(report.updated.values()) == 0
    assert report.unchanged["sites"] >= 50
    with db() as s:
        assert s.scalar(select(func.count()).select_from(Site)) == report.unchanged["sites"]


def test_a_changed_row_is_put_back(db: sessionmaker[Session]) -> None:
    with db.begin() as s:
        site = s.scalar(select(Site).where(Site.code == "YJ-SW-01"))
        assert site is not None
        site.name_en = "renamed by hand"
    with db.begin() as s:
        report = load_reference(s)
    assert report.updated["sites"] == 1
    with db() as s:
        assert s.scalar(select(Site.name_en).where(Site.code == "YJ-SW-01")) == "Jiangcheng"
