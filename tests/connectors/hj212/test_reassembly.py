"""Split packets: reassembly, ordering, duplicates, limits, expiry."""

from decimal import Decimal

import pytest

from connectors.hj212 import Packet, Reassembler, SegmentFieldError, parse_data_segment

from .helpers import annex_c_segment, segment


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _part(
    pno: int,
    pnum: int = 3,
    *,
    qn: str = "20240501100000001",
    mn: str = "MN1",
    code: str | None = None,
    data_time: str = "20240501090000",
) -> Packet:
    factor = code or f"w0100{pno}"
    return parse_data_segment(
        segment(
            cn="2061",
            mn=mn,
            qn=qn,
            flag=6,
            pnum=pnum,
            pno=pno,
            cp=f"DataTime={data_time};{factor}-Avg={pno}.5",
        )
    )


def test_annex_c_c49_parts_with_distinct_qns_out_of_order() -> None:
    first = parse_data_segment(annex_c_segment("C.49", 2))
    second = parse_data_segment(annex_c_segment("C.49", 3))
    assert first.qn != second.qn  # the standard gives each part its own QN
    r = Reassembler()
    assert r.add(second) is None
    done = r.add(first)
    assert done is not None
    merged = done.packet
    assert set(merged.cp.factors) == {"w00000", "w01001", "w01018"}
    assert merged.qn == "20160801085857534" and merged.flag == 4
    assert (merged.pnum, merged.pno) == (None, None) and not merged.is_split
    assert merged.cp.factors["w01018"].values["Cou"] == Decimal("63.0")


def test_same_qn_parts_complete_only_with_the_last_one() -> None:
    r = Reassembler()
    assert r.add(_part(3)) is None
    assert r.add(_part(1)) is None
    done = r.add(_part(2))
    assert done is not None
    assert list(done.packet.cp.factors) == ["w01001", "w01002", "w01003"]
    assert r.pending == 1
    r.release(done)
    assert r.pending == 0


def test_duplicate_part_replaces_and_does_not_complete_early() -> None:
    r = Reassembler()
    assert r.add(_part(1)) is None
    assert r.add(_part(1)) is None
    assert r.add(_part(2)) is None
    assert r.add(_part(3)) is not None


def test_unreleased_set_completes_again_when_last_part_is_resent() -> None:
    r = Reassembler()
    r.add(_part(1, 2))
    assert r.add(_part(2, 2)) is not None  # e.g. the sink failed: not released
    again = r.add(_part(2, 2))
    assert again is not None and len(again.packet.cp.factors) == 2


def test_sets_of_different_devices_and_commands_do_not_mix() -> None:
    r = Reassembler()
    assert r.add(_part(1, 2, mn="A")) is None
    assert r.add(_part(2, 2, mn="B")) is None
    hourly_b = r.add(_part(1, 2, mn="B"))
    assert hourly_b is not None and hourly_b.packet.mn == "B"
    assert r.pending == 2


def test_incomplete_sets_expire() -> None:
    clock = Clock()
    r = Reassembler(timeout=60, clock=clock)
    r.add(_part(1))
    clock.now += 30
    assert r.expire() == []
    clock.now += 61
    dropped = r.expire()
    assert len(dropped) == 1 and dropped[0].reason == "timeout"
    assert (dropped[0].received, dropped[0].pnum, dropped[0].mn) == (1, 3, "MN1")
    assert r.pending == 0


def test_open_sets_are_capped() -> None:
    clock = Clock()
    r = Reassembler(max_sets=2, clock=clock)
    for i in range(3):
        clock.now += 1
        r.add(_part(1, qn=f"2024050110000000{i}", data_time=f"2024050109000{i}"))
    assert r.pending == 2
    dropped = r.expire()
    assert [d.reason for d in dropped] == ["evicted"] and dropped[0].qn == "20240501100000000"


def test_limits_and_non_split_packets() -> None:
    r = Reassembler(max_pnum=10)
    with pytest.raises(SegmentFieldError, match="PNUM 11"):
        r.add(_part(1, 11))
    with pytest.raises(SegmentFieldError):
        r.add(parse_data_segment(segment()))
