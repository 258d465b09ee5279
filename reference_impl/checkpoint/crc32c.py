"""CRC-32C (Castagnoli) and TensorFlow's checksum masking.

TensorFlow checksums every block of a checkpoint's ``.index`` table and every tensor in its
``.data`` file with CRC-32C: the reflected CRC with polynomial 0x82F63B78, initial value and
final xor 0xFFFFFFFF (``crc32c(b"123456789") == 0xE3069283``). What it stores is the *masked*
checksum, ``rotate_right(crc, 15) + 0xA282EAD8`` (mod 2**32): leveldb's trick so that a CRC
computed over data that itself embeds CRCs does not degenerate.

Speed matters (a checkpoint can hold hundreds of MB), and a per-byte Python loop runs at a few
MB/s. CRC is linear over GF(2), so large inputs are cut into K equal lanes whose CRCs numpy
computes side by side (one table lookup per byte *column*), and the lane CRCs are then folded
together with "append n zero bytes" operators, themselves 32x32 bit matrices. Small inputs take
the plain table loop, which is also the definition the fast path is tested against.
"""

from __future__ import annotations

import numpy as np

POLY = 0x82F63B78  # reflected Castagnoli polynomial
MASK_DELTA = 0xA282EAD8

# Below this size the plain loop wins (numpy setup costs more than it saves).
_LANE_THRESHOLD = 1 << 15


def _make_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ POLY if crc & 1 else crc >> 1
        table.append(crc)
    return table


_TABLE = _make_table()
_NP_TABLE = np.array(_TABLE, dtype=np.uint32)


def _raw_loop(state: int, data: bytes) -> int:
    """Advance the raw CRC register (no initial/final xor) over ``data``, byte by byte."""
    table = _TABLE
    for b in data:
        state = table[(state ^ b) & 0xFF] ^ (state >> 8)
    return state


# --- GF(2) operators on the 32-bit register -------------------------------------------------
# An operator is a tuple of 32 ints: the image of each basis bit 1 << j.


def _apply(op: tuple[int, ...] | np.ndarray, x):
    """Apply a linear operator to an int or to a uint32 numpy array of registers."""
    if isinstance(x, np.ndarray):
        out = np.zeros_like(x)
        for j in range(32):
            bit = (x >> np.uint32(j)) & np.uint32(1)
            out ^= bit * np.uint32(op[j])
        return out
    out = 0
    j = 0
    while x:
        if x & 1:
            out ^= op[j]
        x >>= 1
        j += 1
    return out


def _compose(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    """The operator "b then a"."""
    return tuple(_apply(a, b[j]) for j in range(32))


def _zeros_operator(n: int) -> tuple[int, ...]:
    """The operator that feeds ``n`` zero bytes through the register (square-and-multiply)."""
    one_byte = tuple(_raw_loop(1 << j, b"\0") for j in range(32))
    result = tuple(1 << j for j in range(32))  # identity
    power = one_byte
    while n:
        if n & 1:
            result = _compose(power, result)
        n >>= 1
        if n:
            power = _compose(power, power)
    return result


def _raw_lanes(data: bytes) -> int:
    """Raw CRC (register starting at 0) of a large buffer, computed lane-parallel with numpy."""
    n = len(data)
    lanes = 1 << max(8, min(14, (n.bit_length() + 1) // 2 + 1))  # ~2*sqrt(n) lanes
    length = n // lanes
    body = np.frombuffer(data, dtype=np.uint8, count=lanes * length)
    columns = np.ascontiguousarray(body.reshape(lanes, length).T).astype(np.uint32)
    state = np.zeros(lanes, dtype=np.uint32)
    eight = np.uint32(8)
    ff = np.uint32(0xFF)
    for col in columns:  # one byte of every lane per step
        state = _NP_TABLE[(state ^ col) & ff] ^ (state >> eight)
    # Fold lanes pairwise: raw(A + B) = zeros_op(len B)(raw(A)) ^ raw(B).
    shift = _zeros_operator(length)
    while len(state) > 1:
        state = _apply(shift, state[0::2]) ^ state[1::2]
        shift = _compose(shift, shift)
    return _raw_loop(int(state[0]), data[lanes * length:])


def extend(crc: int, data: bytes | bytearray | memoryview) -> int:
    """CRC-32C of (whatever gave ``crc``) followed by ``data``; ``extend(0, d) == value(d)``."""
    data = bytes(data)
    state = crc ^ 0xFFFFFFFF
    if len(data) < _LANE_THRESHOLD:
        state = _raw_loop(state, data)
    else:
        # raw(init, data) = zeros_op(len)(init) ^ raw(0, data): linearity again.
        state = _apply(_zeros_operator(len(data)), state) ^ _raw_lanes(data)
    return state ^ 0xFFFFFFFF


def value(data: bytes | bytearray | memoryview) -> int:
    """The CRC-32C of ``data``."""
    return extend(0, data)


def mask(crc: int) -> int:
    """TensorFlow's (leveldb's) masked form of a CRC, as stored in files."""
    return (((crc >> 15) | (crc << 17)) + MASK_DELTA) & 0xFFFFFFFF


def unmask(masked: int) -> int:
    """Inverse of `mask`."""
    rot = (masked - MASK_DELTA) & 0xFFFFFFFF
    return ((rot >> 17) | (rot << 15)) & 0xFFFFFFFF
