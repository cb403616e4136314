"""The database-backed device registry the HJ 212 server asks "may this MN send?".

Loggers send a packet every few seconds to minutes, each with MN and PW; a query per packet
would be the busiest statement of the hub. Profiles (device + site + network) are cached for
``ttl`` seconds, unknown MNs too, so a registration, update or disable takes effect within
``ttl``. A cache hit is answered on the event loop; a miss loads in a worker thread.

The PW check is a slow KDF (scrypt), run in a worker thread. The server calls ``authenticate``
once per connection and ``recheck`` (a cache lookup, no KDF) for the packets after it; a
legacy fast hash is replaced by an scrypt one at the device's first successful login.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import replace

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from connectors.hj212 import AuthFailure, AuthResult, DeviceInfo
from hub.db.hj212 import Hj212Device
from hub.db.reference import Network, Site
from hub.hj212.convert import DeviceProfile
from hub.hj212.devices import (
    hash_password,
    needs_rehash,
    parameter_vocabulary,
    verify_password,
)

log = logging.getLogger("hub.hj212")
_VOCABULARY = "\0vocabulary"  # cache key of the factor -> parameter defaults


def load_profile(session: Session, mn: str) -> DeviceProfile | None:
    """The enabled device ``mn`` with its site and network, or None."""
    row = session.execute(
        select(
            Hj212Device,
            Site.code,
            Site.department_code,
            Site.network_code,
            Network.expected_interval_seconds,
        )
        .join(Site, Site.id == Hj212Device.site_id)
        .join(Network, Network.code == Site.network_code)
        .where(Hj212Device.mn == mn, Hj212Device.disabled_at.is_(None))
    ).first()
    if row is None:
        return None
    device, site_code, department, network, interval = row
    return DeviceProfile(
        mn=device.mn,
        site_code=site_code,
        site_id=device.site_id,
        department=department,
        network=network,
        expected_interval_seconds=interval,
        factor_map=dict(device.factor_map),
        unit_overrides=dict(device.unit_overrides),
        minute_interval=device.minute_interval,
        created_at=device.created_at,
        password_hash=device.password_hash,
    )


class DbDeviceRegistry:
    """``AsyncDeviceRegistry`` for ``Hj212Server``, plus cached lookups for the sink."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        ttl: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self.ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()  # the sink reads the cache from worker threads
        self._cache: dict[str, tuple[float, object]] = {}
        self.loads = 0  # database round trips, for tests and metrics
        self.max_entries = 10_000

    async def authenticate(self, mn: str, pw: str) -> AuthResult:
        """DeviceInfo for a registered, enabled MN with the right PW; else why not.

        Verifying costs a KDF (in a worker thread); the server does it once per connection.
        """
        profile = await self._profile(mn)
        if profile is None:
            return AuthFailure.UNKNOWN_MN
        if not await asyncio.to_thread(verify_password, pw, profile.password_hash):
            return AuthFailure.BAD_PASSWORD
        if needs_rehash(profile.password_hash):
            profile = await asyncio.to_thread(self._rehash, profile, pw)
        return self._info(profile)

    async def recheck(self, mn: str, credential: str) -> AuthResult:
        """The device's info while ``credential`` (its stored hash) is unchanged; no KDF."""
        profile = await self._profile(mn)
        if profile is None:
            return AuthFailure.UNKNOWN_MN
        if not hmac.compare_digest(profile.password_hash.encode(), credential.encode()):
            return AuthFailure.BAD_PASSWORD
        return self._info(profile)

    async def _profile(self, mn: str) -> DeviceProfile | None:
        cached = self._cached(mn)
        found = cached[1] if cached is not None else await asyncio.to_thread(self.profile, mn)
        return found if isinstance(found, DeviceProfile) else None

    @staticmethod
    def _info(profile: DeviceProfile) -> DeviceInfo:
        return DeviceInfo(mn=profile.mn, station_id=profile.site_code,
                          attributes={"profile": profile}, credential=profile.password_hash)

    def _rehash(self, profile: DeviceProfile, pw: str) -> DeviceProfile:
        """Replace a legacy hash with an scrypt one (only if nobody changed it meanwhile)."""
        new_hash = hash_password(pw)
        try:
            with self._sessions.begin() as session:
                result = session.execute(
                    update(Hj212Device)
                    .where(Hj212Device.mn == profile.mn,
                           Hj212Device.password_hash == profile.password_hash)
                    .values(password_hash=new_hash)
                )
                done = bool(getattr(result, "rowcount", 0))
        except Exception as exc:  # the login itself succeeded; try again next time
            log.warning("hj212 password rehash failed",
                        extra={"mn": profile.mn, "error": type(exc).__name__})
            return profile
        self.invalidate(profile.mn)
        if not done:
            return profile
        log.info("hj212 password hash upgraded to scrypt", extra={"mn": profile.mn})
        return replace(profile, password_hash=new_hash)

    def profile(self, mn: str) -> DeviceProfile | None:
        """The device's profile (cached; None when unknown or disabled). Blocking."""
        cached = self._cached(mn)
        if cached is not None:
            return cached[1] if isinstance(cached[1], DeviceProfile) else None
        with self._sessions() as session:
            found = load_profile(session, mn)
        self._store(mn, found)
        return found

    def vocabulary(self) -> Mapping[str, str]:
        """Default factor code -> parameter code mapping (cached). Blocking."""
        cached = self._cached(_VOCABULARY)
        if cached is not None and isinstance(cached[1], dict):
            return cached[1]
        with self._sessions() as session:
            vocabulary = parameter_vocabulary(session)
        self._store(_VOCABULARY, vocabulary)
        return vocabulary

    def invalidate(self, mn: str | None = None) -> None:
        """Forget one device (or everything), e.g. after a change made in this process."""
        with self._lock:
            if mn is None:
                self._cache.clear()
            else:
                self._cache.pop(mn, None)

    def _cached(self, key: str) -> tuple[float, object] | None:
        """(expiry, value) while fresh; the value None means "known to be absent"."""
        with self._lock:
            entry = self._cache.get(key)
        if entry is None or entry[0] <= self._clock():
            return None
        return entry

    def _store(self, key: str, value: object) -> None:
        now = self._clock()
        with self._lock:
            self.loads += 1
            if len(self._cache) >= self.max_entries:
                # Bounded even when something sends packets from ever new MNs.
                self._cache = {k: v for k, v in self._cache.items() if v[0] > now}
                if len(self._cache) >= self.max_entries:
                    self._cache.clear()
            self._cache[key] = (now + self.ttl, value)
