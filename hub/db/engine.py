"""Engine and session factory construction, chosen by the database URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets readers run while a push is being written; foreign keys are off by default.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


# The PostgreSQL driver the hub ships with (psycopg 3). URLs as operators and hosting
# platforms write them ("postgres://…", "postgresql://…") name no driver, or a dialect
# name SQLAlchemy does not know, or default to psycopg2, which is not installed.
_PG_SCHEMES = ("postgres://", "postgresql://")
_PG_DRIVER = "postgresql+psycopg://"


def normalise_url(url: str) -> str:
    """The database URL with PostgreSQL's driver made explicit (psycopg 3)."""
    for scheme in _PG_SCHEMES:
        if url.startswith(scheme):
            return _PG_DRIVER + url[len(scheme) :]
    return url


def make_engine(url: str, pool_size: int = 10) -> Engine:
    """Create an engine; SQLite files get their folder created and sane pragmas."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


#: What a database that refuses connections (down, restarting, pool exhausted) raises.
UNREACHABLE_ERRORS = (OperationalError, InterfaceError, PoolTimeout)

# SQLSTATE classes of a database that is away or refusing us (connection exception,
# insufficient resources, operator intervention, unknown database); others (a deadlock, a
# statement timeout) are the request's own failure, not the database's absence.
_UNAVAILABLE_SQLSTATES = ("08", "53", "57P", "3D000")


def database_unreachable(exc: BaseException) -> bool:
    """True when ``exc`` says the database is away, so the client should come back later."""
    if not isinstance(exc, UNREACHABLE_ERRORS):
        return False
    if isinstance(exc, PoolTimeout):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None)
    # Failing to connect at all carries no SQLSTATE (refused, unknown host, no such file).
    return sqlstate is None or str(sqlstate).startswith(_UNAVAILABLE_SQLSTATES)
