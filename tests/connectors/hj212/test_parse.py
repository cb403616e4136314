"""Parsing: Annex A/C examples verbatim, logger quirks, flags, MNs, times."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from connectors.hj212 import BEIJING, decode_frame, encode_packet, parse_data_segment

from .helpers import (
    ANNEX_A_FRAME,
    MN14,
    MN24,
    annex_c,
    annex_c_segment,
    frame,
    segment,
    without_warnings,
)


def test_annex_a_frame() -> None:
    packet = decode_frame(ANNEX_A_FRAME)
    assert (packet.qn, packet.st, packet.cn, packet.pw, packet.mn, packet.flag) == (
        "20160801085857223",
        "32",
        "1062",
        "100000",
        MN24,
        5,
    )
    assert packet.cp.fields == {"RtdInterval": "30"}
    assert packet.ack_requested and not packet.is_split and packet.version == 1
    assert packet.qn_time == datetime(2016, 8, 1, 8, 58, 57, 223000, tzinfo=BEIJING)
    assert encode_packet(packet) == ANNEX_A_FRAME


@pytest.mark.parametrize(("table", "seg"), annex_c())
def test_every_annex_c_example_parses_and_round_trips(table: str, seg: str) -> None:
    packet = decode_frame(frame(seg))
    assert packet.mn == MN24 and packet.pw == "123456" and len(packet.cn) == 4
    again = decode_frame(encode_packet(packet))
    assert without_warnings(again) == without_warnings(packet), table


def test_minute_data_c16() -> None:
    packet = parse_data_segment(annex_c_segment("C.16"))
    assert packet.cn == "2051" and packet.qn == "20160801085000001"
    assert packet.cp.data_time == datetime(2016, 8, 1, 8, 40, tzinfo=BEIJING)
    assert packet.cp.data_time.astimezone(UTC) == datetime(2016, 8, 1, 0, 40, tzinfo=UTC)
    flow = packet.cp.factors["w00000"]
    assert flow.values == {
        "Cou": Decimal("10.5"),
        "Min": Decimal("16.4"),
        "Avg": Decimal("17.5"),
        "Max": Decimal("20.1"),
    }
    assert flow.flag == "N"
    assert packet.cp.factors["w01018"].as_dict() == {
        "Cou": Decimal("10.5"),
        "Min": Decimal("40.1"),
        "Avg": Decimal("40.1"),
        "Max": Decimal("40.1"),
        "Flag": "N",
    }
    assert set(packet.cp.factors) == {"w00000", "w01001", "w01018"}
    assert packet.cp.unparsed == ("…",)  # Annex C's "etc." is kept raw, not an error


def test_hourly_and_daily_c17_c18() -> None:
    hourly = parse_data_segment(annex_c_segment("C.17"))
    assert hourly.cp.data_time == datetime(2016, 8, 1, 8, 0, tzinfo=BEIJING)
    assert hourly.cp.factors["w00000"].values["Cou"] == Decimal("63.0")
    daily = parse_data_segment(annex_c_segment("C.18"))
    assert daily.cn == "2031" and daily.cp.factors["w01018"].values["Cou"] == Decimal("2142.0")


def test_realtime_c14_sample_time_eflag_and_typo_code() -> None:
    packet = parse_data_segment(annex_c_segment("C.14"))
    cod = packet.cp.factors["w01018"]
    assert cod.sample_time == datetime(2016, 8, 1, 7, 0, tzinfo=BEIJING)
    assert cod.eflag == "A01" and cod.flag == "N"
    assert packet.cp.factors["w01001"].values == {"Rtd": Decimal("7.1")}
    # The standard's own typo "01018-Rtd" is kept under its (unknown) code, not an error.
    assert packet.cp.factors["01018"].values == {"Rtd": Decimal("2.2")}


def test_equipment_status_c15_keeps_bad_number_raw() -> None:
    packet = parse_data_segment(annex_c_segment("C.15"))
    assert packet.cp.factors["SB1"].values == {"RS": Decimal(1)}
    assert packet.cp.factors["SB2"].raw == {"RS": "0…"} and packet.cp.factors["SB2"].values == {}
    assert any("SB2-RS" in w for w in packet.cp.warnings)


@pytest.mark.parametrize(
    ("table", "index", "check"),
    [
        ("C.19", 0, lambda p: p.flag == 5 and p.cp.factors["SB1"].values["RT"] == Decimal("1.1")),
        ("C.22", 2, lambda p: p.qn == "20160801085857534" and p.st == "32"),  # "QN=...,ST=32"
        ("C.43", 0, lambda p: p.flag == 5),  # "; Flag=5"
        ("C.42", 0, lambda p: p.cp.factors["i12003"].raw == {"Info": "0"}),  # "i12003-Info =0"
        ("C.44", 0, lambda p: p.cp.factors["i13005"].raw == {"Info": "40"}),  # "; i13005-Info =40"
        ("C.45", 2, lambda p: p.cp.factors["i13004"].raw == {"Info": "168.0"}),  # "168.0 &&"
        ("C.2", 2, lambda p: p.cp.fields["PolId"] == "w01018"),  # "CP=&& PolId"
        ("C.4", 1, lambda p: p.cn == "9013" and not p.cp.fields and not p.cp.factors),  # "&& &&"
        (
            "C.23",
            0,
            lambda p: p.cp.fields == {"BeginTime": "20160801000000", "EndTime": "20160801000000"},
        ),  # "...,EndTime="
        ("C.40", 0, lambda p: p.cp.factors["i11001"].raw == {"Info": "//清洗管路//"}),
    ],
)
def test_annex_c_quirks(table: str, index: int, check: object) -> None:
    packet = parse_data_segment(annex_c_segment(table, index))
    assert callable(check) and check(packet)


@pytest.mark.parametrize(
    ("flag", "ack", "split", "version"),
    [
        (None, False, False, None),
        (0, False, False, 0),
        (1, True, False, 0),
        (4, False, False, 1),
        (5, True, False, 1),
        (6, False, True, 1),
        (7, True, True, 1),
        (8, False, False, 2),
        (9, True, False, 2),
        (11, True, True, 2),
        (255, True, True, 63),
    ],
)
def test_flag_variants(flag: int | None, ack: bool, split: bool, version: int | None) -> None:
    pn = (2, 1) if split else (None, None)
    packet = decode_frame(frame(segment(flag=flag, pnum=pn[0], pno=pn[1])))
    assert packet.flag == flag
    assert (packet.ack_requested, packet.is_split, packet.version) == (ack, split, version)


@pytest.mark.parametrize("mn", [MN14, MN24])
def test_mn_of_14_and_24_characters(mn: str) -> None:
    assert decode_frame(frame(segment(mn=mn))).mn == mn


def test_packet_without_qn_and_flag_older_logger() -> None:
    packet = decode_frame(frame(segment(qn=None, flag=None)))
    assert packet.qn is None and packet.flag is None and not packet.ack_requested


def test_datatime_with_milliseconds_and_lower_case_crc() -> None:
    raw = frame(segment(cp="DataTime=20240501100000123;a34004-Avg=35"))
    raw = raw[:-6] + raw[-6:-2].lower() + b"\r\n"
    packet = decode_frame(raw)
    assert packet.cp.data_time == datetime(2024, 5, 1, 10, 0, 0, 123000, tzinfo=BEIJING)
    assert packet.cp.data_time.utcoffset() == timedelta(hours=8)


def test_log_text_with_separators_and_unknown_header_field() -> None:
    seg = segment(cn="3020", cp="DataTime=20240501100000;i11001-Info=//阀门;开,关//;PolId=w01018")
    packet = parse_data_segment(seg.replace(";CP=", ";Vendor=x1;CP="))
    assert packet.cp.factors["i11001"].raw["Info"] == "//阀门;开,关//"
    assert packet.cp.fields["PolId"] == "w01018"
    assert packet.extra == {"Vendor": "x1"}


def test_non_finite_and_non_numeric_values_are_not_numbers() -> None:
    packet = parse_data_segment(segment(cp="a21026-Rtd=NaN,a21005-Rtd=abc,a21004-Rtd=-1.5e1"))
    assert packet.cp.factors["a21026"].values == {}
    assert packet.cp.factors["a21005"].values == {}
    assert packet.cp.factors["a21004"].values == {"Rtd": Decimal("-15")}
    assert len(packet.cp.warnings) == 2


def test_unknown_factor_is_kept() -> None:
    packet = parse_data_segment(segment(cp="zz9999-Rtd=1"))
    assert packet.cp.factors["zz9999"].values["Rtd"] == Decimal(1)


def test_password_not_in_repr() -> None:
    assert "s3cretPW" not in repr(parse_data_segment(segment()))
