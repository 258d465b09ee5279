"""A minimal protocol-buffers wire format: just what TensorFlow's checkpoint messages need.

A serialized message is a sequence of fields, each ``key value`` with
``key = field_number << 3 | wire_type``:

====  ==================  ===============================================================
type  name                payload
====  ==================  ===============================================================
0     VARINT              base-128 little-endian groups, high bit = "more follows"
1     I64                 8 bytes little-endian (fixed64, sfixed64, double)
2     LEN                 varint length, then that many bytes (bytes, strings, messages,
                          packed repeated scalars)
5     I32                 4 bytes little-endian (fixed32, sfixed32, float)
====  ==================  ===============================================================

Negative int32/int64/enum values are sign-extended to 64 bits and so always take 10 bytes
(protobuf's rule, which zigzag ``sint`` types avoid; TensorFlow's messages use none).
Groups (types 3 and 4) are obsolete and never appear in TensorFlow's protos.
"""

from __future__ import annotations

import struct
from typing import Iterator

VARINT, I64, LEN, I32 = 0, 1, 2, 5

_U64 = (1 << 64) - 1


class DecodeError(ValueError):
    """The bytes are not a well-formed protobuf message."""


def encode_varint(value: int) -> bytes:
    """Varint encoding of an int; negatives are taken as their 64-bit two's complement."""
    value &= _U64
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def decode_varint(buf: bytes | memoryview, pos: int) -> tuple[int, int]:
    """Decode an unsigned varint at ``pos``; return (value, position after it)."""
    result = 0
    shift = 0
    while True:
        if pos >= len(buf):
            raise DecodeError("truncated varint")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7
        if shift >= 70:
            raise DecodeError("varint too long")


def to_signed64(value: int) -> int:
    """Reinterpret a decoded varint as int64 (how int32/int64/enum fields read negatives)."""
    value &= _U64
    return value - (1 << 64) if value >> 63 else value


def key(field: int, wire_type: int) -> bytes:
    """The encoded key of a field."""
    return encode_varint(field << 3 | wire_type)


def field_varint(field: int, value: int) -> bytes:
    return key(field, VARINT) + encode_varint(value)


def field_bytes(field: int, value: bytes) -> bytes:
    return key(field, LEN) + encode_varint(len(value)) + value


def field_fixed32(field: int, value: int) -> bytes:
    return key(field, I32) + struct.pack("<I", value & 0xFFFFFFFF)


def field_fixed64(field: int, value: int) -> bytes:
    return key(field, I64) + struct.pack("<Q", value & _U64)


def field_float(field: int, value: float) -> bytes:
    return key(field, I32) + struct.pack("<f", value)


def field_double(field: int, value: float) -> bytes:
    return key(field, I64) + struct.pack("<d", value)


def iter_fields(buf: bytes | memoryview) -> Iterator[tuple[int, int, int | bytes]]:
    """Yield ``(field_number, wire_type, value)`` for each field of a serialized message.

    ``value`` is the unsigned int for VARINT, the raw little-endian unsigned int for I32 and
    I64 (the schema decides whether that is a float), and the payload bytes for LEN.
    """
    pos = 0
    end = len(buf)
    while pos < end:
        tag, pos = decode_varint(buf, pos)
        field, wire_type = tag >> 3, tag & 7
        if field == 0:
            raise DecodeError("field number 0")
        if wire_type == VARINT:
            value, pos = decode_varint(buf, pos)
        elif wire_type == I64:
            if pos + 8 > end:
                raise DecodeError("truncated fixed64")
            value = int.from_bytes(buf[pos:pos + 8], "little")
            pos += 8
        elif wire_type == I32:
            if pos + 4 > end:
                raise DecodeError("truncated fixed32")
            value = int.from_bytes(buf[pos:pos + 4], "little")
            pos += 4
        elif wire_type == LEN:
            length, pos = decode_varint(buf, pos)
            if pos + length > end:
                raise DecodeError("truncated length-delimited field")
            value = bytes(buf[pos:pos + length])
            pos += length
        else:
            raise DecodeError(f"unsupported wire type {wire_type}")
        yield field, wire_type, value


def decode_packed_varints(payload: bytes) -> list[int]:
    """The values of a packed repeated varint field (unsigned; see `to_signed64`)."""
    values = []
    pos = 0
    while pos < len(payload):
        v, pos = decode_varint(payload, pos)
        values.append(v)
    return values
