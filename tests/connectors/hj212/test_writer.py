"""Writer: packets built in code round-trip through frames; limits; helpers."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from connectors.hj212 import (
    BEIJING,
    LengthError,
    Packet,
    decode_frame,
    encode_packet,
    encode_segment,
    format_hj_time,
    make_cp,
    make_flag,
    merge_parts,
    redact,
    split_packet,
)

from .helpers import MN14, MN24, PW


def _hourly(n_factors: int = 3, flag: int | None = 5) -> Packet:
    factors: dict[str, dict[str, Decimal | str]] = {
        f"w{21000 + i:05d}": {"Avg": Decimal(f"{i}.25"), "Max": Decimal(i + 1), "Flag": "N"}
        for i in range(n_factors)
    }
    return Packet(
        qn="20240501100000123",
        st="32",
        cn="2061",
        pw=PW,
        mn=MN24,
        flag=flag,
        cp=make_cp({"DataTime": datetime(2024, 5, 1, 9, tzinfo=BEIJING)}, factors),
    )


def test_round_trip_constructed_packet() -> None:
    packet = _hourly()
    raw = encode_packet(packet)
    assert raw.startswith(b"##") and raw.endswith(b"\r\n")
    assert int(raw[2:6]) == len(raw) - 12
    assert raw[-6:-2] == raw[-6:-2].upper()
    again = decode_frame(raw)
    assert again == packet
    assert again.cp.data_time == datetime(2024, 5, 1, 1, tzinfo=UTC)
    assert again.cp.factors["w21001"].values == {"Avg": Decimal("1.25"), "Max": Decimal(2)}


def test_writer_field_order_matches_standard() -> None:
    packet = Packet(
        qn="1",
        st="22",
        cn="2011",
        pw="p",
        mn=MN14,
        flag=7,
        pnum=2,
        pno=1,
        cp=make_cp({"DataTime": "20240501100000"}, {"a34004": {"Rtd": 35}}),
    )
    seg = encode_packet(packet)[6:-6].decode()
    assert seg == (
        "QN=1;ST=22;CN=2011;PW=p;MN=88888880000001;Flag=7;PNUM=2;PNO=1;"
        "CP=&&DataTime=20240501100000;a34004-Rtd=35&&"
    )


def test_round_trip_without_optional_fields() -> None:
    packet = Packet(cn="2051", mn=MN14, cp=make_cp({}, {"a21026": {"Avg": "1.5"}}))
    assert decode_frame(encode_packet(packet)) == packet


def test_length_counts_utf8_bytes() -> None:
    cp = make_cp({"DataTime": "20240501100000"}, {"i11001": {"Info": "//清洗管路//"}})
    packet = Packet(cn="3020", mn=MN24, pw=PW, flag=4, cp=cp)
    raw = encode_packet(packet)
    assert int(raw[2:6]) == len(raw[6:-6])
    assert decode_frame(raw) == packet


def test_limits_are_enforced_on_write() -> None:
    with pytest.raises(LengthError, match="CP is"):
        encode_packet(_hourly(n_factors=40))
    with pytest.raises(LengthError, match="maximum 1024"):
        encode_segment("x" * 1025)


def test_split_then_merge_restores_the_packet() -> None:
    packet = _hourly(n_factors=40)
    parts = split_packet(packet)
    assert len(parts) > 1
    for i, part in enumerate(parts, 1):
        assert (part.pnum, part.pno, part.flag) == (len(parts), i, 7)
        assert part.cp.data_time == packet.cp.data_time
        decode_frame(encode_packet(part))  # each part fits a frame
    merged = merge_parts(parts)
    assert merged.cp.factors == packet.cp.factors
    assert (merged.flag, merged.pnum, merged.pno) == (5, None, None)


def test_small_packet_is_not_split() -> None:
    packet = _hourly()
    assert split_packet(packet) == [packet]


def test_times_and_flags() -> None:
    assert format_hj_time(datetime(2024, 5, 1, 2, 0, tzinfo=UTC)) == "20240501100000"
    assert format_hj_time(datetime(2024, 5, 1, 10, 0)) == "20240501100000"  # naive = Beijing
    assert format_hj_time(datetime(2024, 5, 1, 10, 0, 0, 7000), millis=True) == "20240501100000007"
    assert [
        make_flag(),
        make_flag(ack=True),
        make_flag(split=True),
        make_flag(ack=True, split=True),
    ] == [4, 5, 6, 7]
    assert make_flag(version=2, ack=True) == 9 and make_flag(version=0, ack=True) == 1
    with pytest.raises(ValueError):
        make_flag(version=64)


def test_redact_masks_passwords() -> None:
    assert redact("QN=1;PW=123456;MN=2;CP=&&NewPW=654321&&") == "QN=1;PW=***;MN=2;CP=&&NewPW=***&&"
