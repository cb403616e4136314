"""Access to the running hub from inside a handler."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, cast

from flask import current_app
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from hub.app import HubContext


def hub() -> HubContext:
    """The HubContext of the app serving this request."""
    return cast("HubContext", current_app.extensions["hub"])


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session for one request: committed on success, rolled back on any error."""
    session = hub().sessions()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
