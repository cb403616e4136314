"""Where webhooks may be sent: public addresses only, unless the operator allows more.

A webhook URL is chosen by an API client, so without a rule the hub would POST wherever it
is told — the cloud metadata service, the database port, the office network — and the
delivery status would tell the client what answered. ``HUB_WEBHOOK_ALLOW`` (host names and
CIDRs, comma-separated, empty by default) is the operator's list of exceptions.

A URL naming a literal address is judged when the subscription is registered. Every
delivery resolves the host again, judges every address it resolves to, and connects to the
address it judged (so a DNS answer that changes between check and connect — rebinding —
cannot move the request elsewhere).
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

IPAddress = IPv4Address | IPv6Address
Resolver = Callable[[str, int], Sequence[IPAddress]]

# inet_aton spellings: 2130706433, 0x7f.1, 127.1, 017700000001 all mean 127.0.0.1, and
# resolvers (glibc's getaddrinfo among them) accept them as host names.
_NUMERIC_HOST = re.compile(r"[0-9a-fA-FxX.]+")
_HOST_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")


class TargetRefused(Exception):
    """The webhook target is not a public address and the allow-list does not name it."""


def literal_address(host: str) -> IPAddress | None:
    """The address a URL host denotes when it is one, in any spelling resolvers accept."""
    h = host.strip("[]").rstrip(".")
    try:
        return ip_address(h)
    except ValueError:
        pass
    if _NUMERIC_HOST.fullmatch(h) and any(ch.isdigit() for ch in h):
        try:
            return IPv4Address(socket.inet_aton(h))
        except OSError:
            return None
    return None


def is_public(ip: IPAddress) -> bool:
    """Globally routable unicast: not loopback, private, link-local, multicast or reserved."""
    if isinstance(ip, IPv6Address):
        # An IPv4 address dressed as IPv6 (::ffff:127.0.0.1, 6to4, Teredo) is judged as IPv4.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            return is_public(embedded)
    return ip.is_global and not (
        ip.is_multicast
        or ip.is_private
        or ip.is_reserved
        or ip.is_unspecified
        or ip.is_loopback
        or ip.is_link_local
    )


def system_resolver(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (A and AAAA), as the operating system answers."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ip_address(str(info[4][0]).split("%")[0]) for info in infos]


@dataclass(frozen=True)
class EgressPolicy:
    """Which webhook targets are allowed: public addresses, plus the operator's exceptions."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[IPv4Network | IPv6Network, ...] = ()

    @classmethod
    def parse(cls, spec: str) -> EgressPolicy:
        """``"alerts.internal, 10.1.0.0/16, 127.0.0.1"`` → a policy; a bad entry raises."""
        hosts: set[str] = set()
        networks: list[IPv4Network | IPv6Network] = []
        for raw in spec.split(","):
            item = raw.strip().lower().rstrip(".")
            if not item:
                continue
            try:
                networks.append(ip_network(item.strip("[]"), strict=False))
                continue
            except ValueError:
                pass
            if not _HOST_NAME.fullmatch(item):
                raise ValueError(f"HUB_WEBHOOK_ALLOW: {raw.strip()!r} is neither a host nor a CIDR")
            hosts.add(item)
        return cls(frozenset(hosts), tuple(networks))

    def allows_host(self, host: str) -> bool:
        """The operator named this host: whatever it resolves to is trusted."""
        return host.lower().rstrip(".") in self.hosts

    def allows_address(self, ip: IPAddress) -> bool:
        if isinstance(ip, IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if any(ip.version == n.version and ip in n for n in self.networks):
            return True
        return is_public(ip)

    def check_url_host(self, host: str) -> bool:
        """At registration: False when the host is a literal address this policy refuses."""
        ip = literal_address(host)
        return ip is None or self.allows_host(host) or self.allows_address(ip)

    def resolve(self, host: str, port: int, resolver: Resolver = system_resolver) -> IPAddress:
        """At delivery: the address to connect to, after judging every one ``host`` has.

        Raises ``TargetRefused`` when any of them is refused (one private answer among
        public ones is enough to refuse: which one a connection would use is not ours to
        predict), and lets the resolver's ``OSError`` through when the name does not resolve.
        """
        literal = literal_address(host)
        addresses = [literal] if literal is not None else list(resolver(host, port))
        if not addresses:
            raise TargetRefused(f"{host} resolves to no address")
        if not self.allows_host(host):
            refused = [str(ip) for ip in addresses if not self.allows_address(ip)]
            if refused:
                raise TargetRefused(f"{host} resolves to refused address(es) {refused}")
        return addresses[0]
