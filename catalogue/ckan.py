"""The CKAN action API through ckanapi, with CKAN's failures turned into typed errors.

Every call has a timeout (ckanapi has none by default, and a half-open connection would
hang a publish run forever). The API token is handed to ckanapi and never appears in a
message or a log line.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import requests
from ckanapi import (
    CKANAPIError,
    NotAuthorized,
    NotFound,
    RemoteCKAN,
    ServerIncompatibleError,
    ValidationError,
)

log = logging.getLogger("catalogue.ckan")

# Connect quickly or report CKAN down; uploads and DataStore writes may take a while.
TIMEOUT = (5.0, 120.0)
# Actions that change CKAN (everything else here only reads).
READS = frozenset({"status_show", "organization_show", "package_show", "resource_show"})


class CkanError(Exception):
    """A CKAN call failed. ``action`` is the API action, ``detail`` says why."""

    def __init__(self, url: str, action: str, detail: str) -> None:
        self.url, self.action, self.detail = url, action, detail
        super().__init__(f"CKAN at {url}: {action} failed: {detail}")


class CkanUnavailable(CkanError):
    """CKAN could not be reached or failed on its side; a later run will catch up."""


class CkanRejected(CkanError):
    """CKAN answered and refused the request (validation, permission)."""


class CkanNotFound(CkanRejected):
    """CKAN does not know the object asked for."""


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit] + "…"


class CkanClient:
    """One CKAN portal. ``remote`` may be given (tests pass a counting RemoteCKAN)."""

    def __init__(
        self,
        url: str,
        token: str,
        *,
        remote: RemoteCKAN | None = None,
        timeout: tuple[float, float] = TIMEOUT,
    ) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.remote = remote or RemoteCKAN(self.url, apikey=token, user_agent="ecohub-catalogue")

    def call(
        self,
        action: str,
        data: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
    ) -> Any:
        """Call an action; CkanUnavailable or CkanRejected when it fails."""
        log.debug("ckan call", extra={"action": action})
        try:
            return self.remote.call_action(
                action, dict(data or {}), files=files, requests_kwargs={"timeout": self.timeout}
            )
        except requests.RequestException as exc:
            reason = type(exc).__name__
            raise CkanUnavailable(self.url, action, f"unreachable ({reason})") from exc
        except ValidationError as exc:
            errors = getattr(exc, "error_dict", exc)
            raise CkanRejected(self.url, action, f"rejected: {_short(str(errors))}") from exc
        except NotAuthorized as exc:
            raise CkanRejected(
                self.url, action, "not authorised: HUB_CKAN_TOKEN must be a sysadmin's API token"
            ) from exc
        except NotFound as exc:
            raise CkanNotFound(self.url, action, f"not found: {_short(str(exc))}") from exc
        except (CKANAPIError, ServerIncompatibleError) as exc:
            # ckanapi reports an answer it cannot read (an HTML error page, a 502 from a
            # proxy) this way: CKAN is not working, not refusing us.
            raise CkanUnavailable(self.url, action, f"bad answer: {_short(str(exc))}") from exc

    def find(self, action: str, ident: str) -> dict[str, Any] | None:
        """``*_show`` of one object, or None when CKAN does not know it."""
        try:
            result: dict[str, Any] = self.call(action, {"id": ident})
        except CkanNotFound:
            return None
        return result

    def check(self) -> dict[str, Any]:
        """``status_show``: CKAN is up and has the DataStore (needed for every entry)."""
        status: dict[str, Any] = self.call("status_show")
        if "datastore" not in (status.get("extensions") or []):
            raise CkanRejected(self.url, "status_show", "the datastore plugin is not enabled")
        return status
