"""Command classification and the replies/requests, compared with Annex C verbatim."""

from datetime import datetime

import pytest

from connectors.hj212 import (
    BEIJING,
    CommandKind,
    DataKind,
    ExeRtn,
    QnFactory,
    QnRtn,
    UnknownCommandError,
    build_data_ack,
    build_execution_result,
    build_history_request,
    build_notify_reply,
    build_request_reply,
    classify,
    data_kind,
    format_data_segment,
    parse_data_segment,
)

from .helpers import MN24, annex_c_segment, segment


@pytest.mark.parametrize(
    ("table", "upload", "ack"),
    [
        ("C.14", 0, 1),
        ("C.16", 0, 1),
        ("C.17", 0, 1),
        ("C.18", 0, 1),
        ("C.48", 2, 3),
        ("C.50", 2, 3),
        ("C.50", 4, 5),
    ],
)
def test_data_ack_matches_annex_c(table: str, upload: int, ack: int) -> None:
    packet = parse_data_segment(annex_c_segment(table, upload))
    assert packet.ack_requested
    assert format_data_segment(build_data_ack(packet)) == annex_c_segment(table, ack)


def test_notify_reply_matches_annex_c_c11() -> None:
    request = parse_data_segment(annex_c_segment("C.11", 0))
    assert format_data_segment(build_notify_reply(request)) == annex_c_segment("C.11", 1)


def test_request_reply_and_execution_result_match_annex_c_c1() -> None:
    request = parse_data_segment(annex_c_segment("C.1", 0))
    assert format_data_segment(build_request_reply(request)) == annex_c_segment("C.1", 1)
    assert format_data_segment(build_execution_result(request)) == annex_c_segment("C.1", 2)
    refused = build_request_reply(request, QnRtn.PW_ERROR)
    assert refused.cp.fields == {"QnRtn": "3"}
    assert build_execution_result(request, ExeRtn.NO_DATA).cp.fields == {"ExeRtn": "100"}


@pytest.mark.parametrize(
    ("table", "cn", "begin"),
    [
        ("C.20", "2051", datetime(2016, 8, 1, 8, 40)),
        ("C.21", "2061", datetime(2016, 8, 1, 8, 0)),
        ("C.22", "2031", datetime(2016, 8, 1, 0, 0)),
    ],
)
def test_history_request_matches_annex_c(table: str, cn: str, begin: datetime) -> None:
    begin = begin.replace(tzinfo=BEIJING)
    request = build_history_request(
        cn=cn, mn=MN24, pw="123456", st="32", begin=begin, end=begin, qn="20160801085857223"
    )
    assert format_data_segment(request) == annex_c_segment(table, 0)


def test_history_request_validation_and_default_qn() -> None:
    begin = datetime(2024, 5, 1, tzinfo=BEIJING)
    with pytest.raises(UnknownCommandError):
        build_history_request(cn="2011", mn=MN24, pw="x", st="22", begin=begin, end=begin)
    with pytest.raises(ValueError):
        build_history_request(
            cn="2061", mn=MN24, pw="x", st="22", begin=begin, end=begin.replace(year=2023)
        )
    request = build_history_request(cn="2061", mn=MN24, pw="x", st="22", begin=begin, end=begin)
    assert request.qn is not None and len(request.qn) == 17 and request.flag == 5


def test_replies_keep_the_loggers_version_bits() -> None:
    for flag, expected in ((9, 8), (5, 4), (7, 4), (1, 0)):
        assert (
            build_data_ack(
                parse_data_segment(
                    segment(
                        flag=flag, pnum=(2 if flag & 2 else None), pno=(1 if flag & 2 else None)
                    )
                )
            ).flag
            == expected
        )


def test_classify() -> None:
    for cn, kind in (
        ("2011", DataKind.REALTIME),
        ("2021", DataKind.EQUIPMENT_STATUS),
        ("2031", DataKind.DAILY),
        ("2051", DataKind.MINUTE),
        ("2061", DataKind.HOURLY),
    ):
        assert classify(cn) is CommandKind.DATA and data_kind(cn) is kind
    assert classify("1013") is CommandKind.NOTIFICATION
    assert classify("9011") is CommandKind.REQUEST_REPLY
    assert classify("9012") is CommandKind.EXECUTION_RESULT
    assert classify("2041") is CommandKind.IGNORED and classify("9999") is CommandKind.IGNORED
    assert classify("9015") is CommandKind.IGNORED
    assert classify("9015", heartbeat_cns=frozenset({"9015"})) is CommandKind.HEARTBEAT
    assert data_kind("3020") is None


def test_qn_factory_is_strictly_increasing() -> None:
    factory = QnFactory()
    now = datetime(2024, 5, 1, 10, 0, 0, 5000, tzinfo=BEIJING)
    qns = [factory.next(now) for _ in range(3)]
    assert qns == ["20240501100000005", "20240501100000006", "20240501100000007"]
