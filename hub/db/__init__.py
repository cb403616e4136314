"""Database layer: typed SQLAlchemy 2 models and engine/session construction."""

from hub.db.base import Base
from hub.db.engine import make_engine, make_session_factory

__all__ = ["Base", "make_engine", "make_session_factory"]
