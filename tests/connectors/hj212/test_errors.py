"""Every error type, and that each says what is wrong and where."""

import pytest

from connectors.hj212 import (
    CrcError,
    FrameError,
    Hj212Error,
    LengthError,
    SegmentFieldError,
    UnknownCommandError,
    check_frame,
    decode_frame,
    lookup_command,
    parse_data_segment,
)

from .helpers import ANNEX_A_FRAME, frame, segment


def test_hierarchy() -> None:
    for cls in (CrcError, SegmentFieldError, FrameError, LengthError, UnknownCommandError):
        assert issubclass(cls, Hj212Error)


def test_declared_length_disagrees() -> None:
    raw = b"##0102" + ANNEX_A_FRAME[6:]
    with pytest.raises(LengthError) as info:
        decode_frame(raw)
    assert info.value.field == "length" and info.value.offset == 2
    assert "declared length 102" in str(info.value) and "101 bytes" in str(info.value)


def test_length_not_digits_and_over_maximum() -> None:
    with pytest.raises(LengthError, match="4 decimal digits") as info:
        decode_frame(b"##01a1" + ANNEX_A_FRAME[6:])
    assert info.value.offset == 2
    with pytest.raises(LengthError, match="exceeds maximum 1024"):
        decode_frame(b"##1025" + ANNEX_A_FRAME[6:])


def test_crc_mismatch_says_received_and_computed() -> None:
    raw = ANNEX_A_FRAME.replace(b"1C80", b"1C08")
    with pytest.raises(CrcError) as info:
        decode_frame(raw)
    err = info.value
    assert err.field == "CRC" and err.offset == 6 + 101
    assert "received 1C08" in str(err) and "computed 1C80" in str(err)
    assert "field CRC" in str(err) and "byte 107" in str(err)


def test_crc_not_hex() -> None:
    with pytest.raises(CrcError, match="4 hex digits"):
        decode_frame(ANNEX_A_FRAME.replace(b"1C80", b"1CZ0"))


def test_frame_without_header() -> None:
    with pytest.raises(FrameError) as info:
        decode_frame(ANNEX_A_FRAME[1:])
    assert info.value.offset == 0 and info.value.field == "header"


def test_not_utf8() -> None:
    seg = segment(cp="a21026-Rtd=1").encode().replace(b"a21026", b"a2\xff026")
    raw = b"##" + f"{len(seg):04d}".encode() + seg + b"0000\r\n"
    with pytest.raises(SegmentFieldError, match="not UTF-8") as info:
        check_frame(raw)
    assert raw[info.value.offset or 0] == 0xFF


def _field_error(seg: str) -> SegmentFieldError:
    raw = frame(seg)
    with pytest.raises(SegmentFieldError) as info:
        decode_frame(raw)
    assert info.value.offset is not None and 0 <= info.value.offset <= len(raw)
    return info.value


@pytest.mark.parametrize(
    ("seg", "field", "points_at"),
    [
        (segment(cn="20x1"), "CN", b"CN="),
        (segment(flag=256), "Flag", b"Flag="),
        (segment().replace("Flag=5", "Flag=abc"), "Flag", b"Flag="),
        (segment(mn="0" * 25), "MN", b"MN="),
        (segment(mn="0100-00A8!"), "MN", b"MN="),
        (segment(st="9"), "ST", b"ST="),
        (segment(qn="2016AB"), "QN", b"QN="),
        (segment(cp="DataTime=20241301000000"), "DataTime", b"DataTime="),
        (segment(cp="DataTime=2024050110"), "DataTime", b"DataTime="),
        (segment(pnum=2, pno=3, flag=6), "PNO", b"PNO="),
        (segment().replace("ST=22", "ST=22;ST=23"), "ST", b"ST=23"),
    ],
)
def test_field_errors_point_at_the_field(seg: str, field: str, points_at: bytes) -> None:
    err = _field_error(seg)
    assert err.field == field
    assert frame(seg)[err.offset or 0 :].startswith(points_at), (str(err), err.offset)
    assert f"field {field}" in str(err)


@pytest.mark.parametrize(
    ("seg", "field"),
    [
        (segment().replace("CN=2051;", ""), "CN"),
        (segment().replace(f"MN={'010000A8900016F000169DC0'};", ""), "MN"),
        (segment(flag=7), "PNUM"),  # split bit without PNUM/PNO
        (segment(pnum=2), "PNO"),
        (segment().replace("CP=&&", "XP=&&"), "CP"),
        (segment()[:-2], "CP"),
        (segment().replace(";ST=22", ";ST22"), "header"),
    ],
)
def test_missing_or_malformed_fields(seg: str, field: str) -> None:
    assert _field_error(seg).field == field


def test_bare_segment_offsets_count_from_segment_start() -> None:
    seg = segment(cn="20x1")
    with pytest.raises(SegmentFieldError) as info:
        parse_data_segment(seg)
    assert seg[info.value.offset or 0 :].startswith("CN=")


def test_unknown_command() -> None:
    assert lookup_command("2051").name == "污染物分钟数据"
    with pytest.raises(UnknownCommandError) as info:
        lookup_command("9999")
    assert info.value.field == "CN" and "9999" in str(info.value)


def test_pw_value_never_in_error_messages() -> None:
    err = _field_error(segment(pw="TOPSECRET", flag=300))
    assert "TOPSECRET" not in str(err)
