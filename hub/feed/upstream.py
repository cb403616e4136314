"""HTTP client for an upstream hub (another instance of this software)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import httpx


class UpstreamError(Exception):
    """The upstream could not take a batch. ``transient`` ones are retried with backoff."""

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient


@dataclass
class UpstreamClient:
    """Pushes to ``base_url`` with client-credentials tokens it fetches and renews."""

    base_url: str
    client_id: str
    client_secret: str
    timeout: float = 30.0
    _http: httpx.Client = field(init=False)
    _token: str | None = field(default=None, init=False)
    _token_expires: float = field(default=0.0, init=False)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        self._http = httpx.Client(timeout=self.timeout)

    def close(self) -> None:
        self._http.close()

    def _fetch_token(self) -> str:
        try:
            r = self._http.post(
                f"{self.base_url}/oauth/token",
                data={"grant_type": "client_credentials"},
                auth=(self.client_id, self.client_secret),
            )
        except httpx.HTTPError as exc:
            raise UpstreamError(f"token request failed: {exc!r}", transient=True) from exc
        if r.status_code >= 500:
            raise UpstreamError(f"token endpoint answered {r.status_code}", transient=True)
        if r.status_code != 200:
            raise UpstreamError(
                f"upstream refused our credentials ({r.status_code}: {r.text[:200]})",
                transient=False,
            )
        body = r.json()
        self._token = str(body["access_token"])
        # Renew a minute early so a token never expires in flight.
        self._token_expires = time.monotonic() + float(body.get("expires_in", 3600)) - 60
        return self._token

    def _headers(self, renew: bool = False) -> dict[str, str]:
        if renew or self._token is None or time.monotonic() >= self._token_expires:
            self._fetch_token()
        return {"Authorization": f"Bearer {self._token}"}

    def post(
        self, path: str, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, Any]]:
        """POST JSON; renews the token once on 401; classifies failures."""
        for attempt in (0, 1):
            try:
                r = self._http.post(
                    f"{self.base_url}{path}",
                    json=body,
                    headers={**self._headers(renew=attempt == 1), **(headers or {})},
                )
            except httpx.HTTPError as exc:
                raise UpstreamError(f"POST {path} failed: {exc!r}", transient=True) from exc
            if r.status_code == 401 and attempt == 0:
                continue
            if r.status_code >= 500 or r.status_code == 429:
                raise UpstreamError(f"POST {path} answered {r.status_code}", transient=True)
            try:
                doc = r.json()
            except ValueError:
                doc = {"body": r.text[:500]}
            return r.status_code, doc
        raise UpstreamError(f"POST {path}: token refused after renewal", transient=False)
