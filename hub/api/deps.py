"""Access to the running hub from inside a handler."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

from flask import current_app
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from hub.alarms.runtime import AlarmRuntime
    from hub.bootstrap import HubContext


def hub() -> HubContext:
    """The HubContext of the app serving this request (built by ``hub.bootstrap.web_hub``)."""
    return cast("HubContext", current_app.extensions["hub"])


def alarm_runtime() -> AlarmRuntime:
    """The alarm runtime of the web hub (``hub.bootstrap.web_hub`` always builds one)."""
    runtime = hub().alarms
    if runtime is None:
        raise RuntimeError("this process was built without the alarm runtime")
    return runtime


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


def token_info() -> dict[str, Any]:
    """The verified token of this request (set by connexion's security middleware)."""
    from connexion import context

    info = context.context.get("token_info")
    return dict(info) if isinstance(info, dict) else {}


def require_department(department: str) -> dict[str, Any]:
    """The token, if it may write for ``department``; otherwise a 403."""
    from hub.errors import Forbidden

    info = token_info()
    if "relay:write" in info.get("scope", []):
        return info
    if info.get("department") != department:
        own = info.get("department") or "no department"
        raise Forbidden(
            f"this client belongs to {own} and may only push data for it, not for '{department}'"
        )
    return info
