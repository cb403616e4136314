"""CRC of Annex A, checked on the standard's own worked example."""

from connectors.hj212 import crc16, crc_hex, crc_matches

from .helpers import ANNEX_A_FRAME, ANNEX_A_SEGMENT


def _crc16_modbus(data: bytes) -> int:
    crc = 0xFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def test_annex_a_example_crc_is_1c80() -> None:
    assert crc_hex(ANNEX_A_SEGMENT) == "1C80"
    assert ANNEX_A_FRAME[-6:-2] == b"1C80"


def test_annex_a_crc_is_not_modbus() -> None:
    data = ANNEX_A_SEGMENT.encode()
    assert _crc16_modbus(data) == 0x0759
    assert crc16(data) != _crc16_modbus(data)


def test_length_of_annex_a_example_is_0101() -> None:
    assert len(ANNEX_A_SEGMENT.encode()) == 101


def test_verification_accepts_lower_case_and_rejects_garbage() -> None:
    assert crc_matches(ANNEX_A_SEGMENT, "1c80")
    assert crc_matches(ANNEX_A_SEGMENT.encode(), "1C80")
    assert not crc_matches(ANNEX_A_SEGMENT, "1C08")  # the typo in Annex A's prose
    assert not crc_matches(ANNEX_A_SEGMENT, "1C8")
    assert not crc_matches(ANNEX_A_SEGMENT, "1CXX")


def test_empty_input_and_utf8() -> None:
    assert crc16(b"") == 0xFFFF
    assert crc_hex("清洗管路") == crc_hex("清洗管路".encode())
    assert len(crc_hex(b"\x00" * 50)) == 4
