"""Incremental decoding of a TCP byte stream."""

from connectors.hj212 import CrcError, FrameDecoder, FrameError, LengthError

from .helpers import ANNEX_A_FRAME, frame, segment

F1 = frame(segment(qn="20240501100000001"))
F2 = frame(segment(cn="2061", qn="20240501100000002"))
F3 = frame(segment(cn="2011", qn="20240501100000003", cp="DataTime=20240501100000123;a21026-Rtd=3"))


def _qns(events: list) -> list:
    return [e.packet.qn if e.packet else type(e.error).__name__ for e in events]


def test_several_packets_in_one_read() -> None:
    events = FrameDecoder().feed(F1 + F2 + F3)
    assert _qns(events) == ["20240501100000001", "20240501100000002", "20240501100000003"]
    assert [e.stream_offset for e in events] == [0, len(F1), len(F1) + len(F2)]


def test_byte_by_byte() -> None:
    decoder = FrameDecoder()
    events = []
    for i in range(len(ANNEX_A_FRAME)):
        got = decoder.feed(ANNEX_A_FRAME[i : i + 1])
        assert not got or i == len(ANNEX_A_FRAME) - 1
        events += got
    assert len(events) == 1 and events[0].packet is not None and events[0].packet.cn == "1062"
    assert decoder.buffered == 0


def test_every_split_point_of_two_frames() -> None:
    data = F1 + F2
    for cut in range(1, len(data)):
        decoder = FrameDecoder()
        events = decoder.feed(data[:cut]) + decoder.feed(data[cut:])
        assert _qns(events) == ["20240501100000001", "20240501100000002"], cut


def test_garbage_before_header_is_discarded_and_reported() -> None:
    decoder = FrameDecoder()
    events = decoder.feed(b"AT+CSQ\r\nOK\r\n" + F1 + b"\x00\xffjunk#" + F2)
    assert _qns(events) == ["FrameError", "20240501100000001", "FrameError", "20240501100000002"]
    assert decoder.discarded_bytes == 12 + 7


def test_trailing_hash_waits_for_the_rest_of_the_header() -> None:
    decoder = FrameDecoder()
    assert _qns(decoder.feed(b"noise#")) == ["FrameError"]
    assert _qns(decoder.feed(F1[1:])) == ["20240501100000001"]


def test_bad_crc_does_not_lose_following_frames() -> None:
    bad = F2[:-6] + b"0000\r\n"
    events = FrameDecoder().feed(F1 + bad + F3)
    assert _qns(events) == ["20240501100000001", "CrcError", "20240501100000003"]
    assert isinstance(events[1].error, CrcError)
    assert events[1].error.stream_offset == len(F1) and events[1].stream_offset == len(F1)
    assert "stream byte" in str(events[1].error)


def test_truncated_frame_then_good_frame() -> None:
    events = FrameDecoder().feed(F1[:40] + F2)
    assert _qns(events) == ["LengthError", "20240501100000002"]


def test_length_too_small_is_an_error_but_resyncs() -> None:
    wrong = b"##0050" + F1[6:]
    events = FrameDecoder().feed(wrong + F2)
    assert _qns(events) == ["LengthError", "20240501100000002"]


def test_oversize_and_malformed_length() -> None:
    events = FrameDecoder().feed(b"##9999" + b"x" * 20 + b"###" + F1[2:])
    assert isinstance(events[0].error, LengthError) and "9999" in str(events[0].error)
    assert _qns(events)[-1] == "20240501100000001"


def test_length_counting_characters_is_accepted() -> None:
    seg = segment(cp="DataTime=20240501100000;a21026-Avg=1;…")
    raw = frame(seg)
    char_len = b"##" + f"{len(seg):04d}".encode() + raw[6:]
    assert char_len != raw
    events = FrameDecoder().feed(char_len + F1)
    assert _qns(events) == ["20240501101000001", "20240501100000001"]


def test_lower_case_crc() -> None:
    raw = F1[:-6] + F1[-6:-2].lower() + b"\r\n"
    assert _qns(FrameDecoder().feed(raw)) == ["20240501100000001"]


def test_buffer_is_bounded() -> None:
    decoder = FrameDecoder()
    decoder.feed(b"x" * 100_000)
    assert decoder.buffered == 0
    events = decoder.feed(b"##0100" + b"y" * 10_000)  # never terminated
    assert any(isinstance(e.error, LengthError) for e in events)
    assert decoder.buffered <= decoder.max_frame_bytes
    assert _qns(decoder.feed(F1)) == ["20240501100000001"]


def test_garbage_only_events_are_frame_errors() -> None:
    events = FrameDecoder().feed(b"hello")
    assert len(events) == 1 and isinstance(events[0].error, FrameError)
    assert events[0].raw == b"hello"
