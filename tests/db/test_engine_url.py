"""Database URLs as operators write them reach PostgreSQL through the shipped driver."""

import pytest
from sqlalchemy import text

from hub.db.engine import make_engine, normalise_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://hub@db:5432/hub", "postgresql+psycopg://hub@db:5432/hub"),
        ("postgresql://hub@db/hub", "postgresql+psycopg://hub@db/hub"),
        ("postgresql+psycopg://hub@db/hub", "postgresql+psycopg://hub@db/hub"),
        ("sqlite:///instance/hub.db", "sqlite:///instance/hub.db"),
    ],
)
def test_postgres_urls_name_the_shipped_driver(given: str, expected: str) -> None:
    assert normalise_url(given) == expected


def test_a_postgres_url_without_driver_connects(pg_url: str) -> None:
    # The run's database, written the way a hosting platform hands it out.
    bare = "postgres://" + pg_url.split("://", 1)[1]
    engine = make_engine(bare)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar_one() == 1
    finally:
        engine.dispose()
