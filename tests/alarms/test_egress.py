"""Which webhook targets the hub will send to (no I/O: the resolver is given)."""

from __future__ import annotations

from ipaddress import ip_address

import pytest

from hub.alarms.config import AlarmConfig
from hub.alarms.egress import EgressPolicy, TargetRefused, literal_address

REFUSED_HOSTS = [
    "169.254.169.254",  # cloud metadata
    "127.0.0.1",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "100.64.0.1",  # carrier-grade NAT
    "0.0.0.0",
    "224.0.0.1",  # multicast
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "2130706433",  # 127.0.0.1 as one number
    "0x7f.1",
    "127.1",
    "017700000001",
    "[::1]",
    "[::ffff:127.0.0.1]",
    "[::ffff:169.254.169.254]",
    "[2002:7f00:1::]",  # 6to4 wrapping 127.0.0.1
    "[fe80::1]",
    "[fc00::1]",
    "[ff02::1]",
    "[::]",
]


@pytest.mark.parametrize("host", REFUSED_HOSTS)
def test_internal_literal_addresses_are_refused_by_default(host: str) -> None:
    policy = EgressPolicy()
    assert not policy.check_url_host(host.strip("[]"))
    with pytest.raises(TargetRefused):
        policy.resolve(host.strip("[]"), 80, resolver=lambda h, p: pytest.fail("resolved"))


def test_odd_spellings_are_the_addresses_they_mean() -> None:
    for host in ("2130706433", "0x7f.1", "127.1", "0177.0.0.1"):
        assert literal_address(host) == ip_address("127.0.0.1")
    assert literal_address("::ffff:127.0.0.1") == ip_address("::ffff:127.0.0.1")
    assert literal_address("receiver.example") is None
    assert literal_address("cafe") is None  # a name, not a number


def test_public_addresses_and_names_pass_at_registration() -> None:
    policy = EgressPolicy()
    assert policy.check_url_host("203.0.113.9") is False  # TEST-NET-3 is documentation
    assert policy.check_url_host("8.8.8.8")
    assert policy.check_url_host("2001:4860:4860::8888")
    assert policy.check_url_host("alerts.example.org")  # names are judged at delivery


def test_every_resolved_address_is_judged_and_the_judged_one_is_used() -> None:
    policy = EgressPolicy()
    public = ip_address("93.184.216.34")

    assert policy.resolve("alerts.example.org", 443, lambda h, p: [public]) == public
    # One private answer among public ones (a rebinding attempt) refuses the delivery.
    with pytest.raises(TargetRefused):
        policy.resolve("alerts.example.org", 443, lambda h, p: [public, ip_address("127.0.0.1")])
    with pytest.raises(TargetRefused):
        policy.resolve("alerts.example.org", 443, lambda h, p: [])


def test_the_allow_list_takes_hosts_and_cidrs() -> None:
    policy = EgressPolicy.parse(" alerts.internal , 10.1.0.0/16,127.0.0.1, ::1 ")
    assert policy.check_url_host("10.1.2.3") and policy.check_url_host("127.0.0.1")
    assert policy.check_url_host("::1") and policy.check_url_host("::ffff:127.0.0.1")
    assert not policy.check_url_host("10.2.0.1") and not policy.check_url_host("127.0.0.2")
    # A named host is trusted whatever it resolves to; other names are still judged.
    private = ip_address("10.9.9.9")
    assert policy.resolve("Alerts.Internal.", 80, lambda h, p: [private]) == private
    with pytest.raises(TargetRefused):
        policy.resolve("other.internal", 80, lambda h, p: [private])
    with pytest.raises(ValueError, match="neither a host nor a CIDR"):
        EgressPolicy.parse("http://x/")
    assert EgressPolicy.parse("") == EgressPolicy()


def test_the_allow_list_is_read_from_hub_webhook_allow() -> None:
    assert AlarmConfig.from_env({}).egress() == EgressPolicy()
    config = AlarmConfig.from_env({"HUB_WEBHOOK_ALLOW": "10.0.0.0/8,alerts.internal"})
    assert config.webhook_allow == "10.0.0.0/8,alerts.internal"
    assert config.egress().check_url_host("10.1.1.1")
    assert not config.egress().check_url_host("192.168.1.1")
