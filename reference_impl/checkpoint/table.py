"""The leveldb-format sorted string table (SSTable) that a checkpoint's ``.index`` file is.

TensorFlow carries its own copy of leveldb's table code (``tensorflow/core/lib/io/``:
``table_builder.cc``, ``block_builder.cc``, ``format.cc``); this module writes exactly the bytes
it writes and reads them back. Layout of a file::

    data block 0 | trailer        keys in strictly increasing bytewise order
    data block 1 | trailer        (a new block once one reaches block_size bytes)
    ...
    metaindex block | trailer     always empty in TensorFlow (no filters, no stats)
    index block | trailer         one entry per data block: separator key → BlockHandle
    footer (48 bytes)             metaindex handle, index handle, zero padding, magic

A *block* is a run of entries ``varint32 shared | varint32 non_shared | varint32 value_len |
key[shared:] | value``, where ``shared`` is the length of the prefix the key has in common
with the previous key, reset to 0 at every *restart point* (every 16th entry; every entry in
the index block), followed by the restart offsets as fixed32 and their count as fixed32.
A *trailer* is 1 byte of compression type (0: none; TensorFlow's bundle writer disables
snappy so older readers can read it) and the masked CRC-32C of block + type byte.
A *BlockHandle* is ``varint64 offset, varint64 size`` (size excludes the trailer).
"""

from __future__ import annotations

import struct
from typing import Iterator

from . import crc32c
from .wire import decode_varint, encode_varint

MAGIC = 0xDB4775248B80FB57
FOOTER_SIZE = 48  # 2 handles of at most 2*10 bytes each, padded, + 8 bytes of magic
TRAILER_SIZE = 5
NO_COMPRESSION, SNAPPY_COMPRESSION = 0, 1

DEFAULT_BLOCK_SIZE = 262144  # tensorflow::table::Options (leveldb's own default is 4096)
DEFAULT_RESTART_INTERVAL = 16


class TableError(ValueError):
    """The bytes are not a well-formed table. ``code`` is the status TensorFlow reports it with:
    DataLoss, but for a block that reaches past the end of the file, where its file read fails
    first (OutOfRange)."""

    def __init__(self, message: str, code: str = "DATA_LOSS") -> None:
        super().__init__(message)
        self.code = code


class BlockBuilder:
    """Accumulates sorted entries into one prefix-compressed block."""

    def __init__(self, restart_interval: int = DEFAULT_RESTART_INTERVAL) -> None:
        self.restart_interval = restart_interval
        self.reset()

    def reset(self) -> None:
        self.buffer = bytearray()
        self.restarts = [0]  # the first entry is always a restart point
        self.counter = 0
        self.last_key = b""

    def empty(self) -> bool:
        return not self.buffer

    def size_estimate(self) -> int:
        """Bytes the block will take once finished (TF's CurrentSizeEstimate)."""
        return len(self.buffer) + 4 * len(self.restarts) + 4

    def add(self, key: bytes, value: bytes) -> None:
        shared = 0
        if self.counter < self.restart_interval:
            limit = min(len(key), len(self.last_key))
            while shared < limit and key[shared] == self.last_key[shared]:
                shared += 1
        else:
            self.restarts.append(len(self.buffer))
            self.counter = 0
        self.buffer += encode_varint(shared) + encode_varint(len(key) - shared)
        self.buffer += encode_varint(len(value)) + key[shared:] + value
        self.last_key = key
        self.counter += 1

    def finish(self) -> bytes:
        tail = b"".join(struct.pack("<I", r) for r in self.restarts)
        return bytes(self.buffer) + tail + struct.pack("<I", len(self.restarts))


def encode_handle(offset: int, size: int) -> bytes:
    return encode_varint(offset) + encode_varint(size)


def _shortest_separator(start: bytes, limit: bytes) -> bytes:
    """A short key k with start <= k < limit (leveldb's FindShortestSeparator)."""
    n = min(len(start), len(limit))
    i = 0
    while i < n and start[i] == limit[i]:
        i += 1
    if i < n:
        b = start[i]
        if b < 0xFF and b + 1 < limit[i]:
            return start[:i] + bytes([b + 1])
    return start  # one is a prefix of the other, or no room: keep it


def _short_successor(key: bytes) -> bytes:
    """A short key >= ``key`` (leveldb's FindShortSuccessor)."""
    for i, b in enumerate(key):
        if b != 0xFF:
            return key[:i] + bytes([b + 1])
    return key


class TableWriter:
    """Builds a table in memory; `finish` returns the file's bytes.

    Entries must be added in strictly increasing bytewise key order, as TF's TableBuilder
    asserts; TensorFlow's BundleWriter sorts its keys for that.
    """

    def __init__(
        self,
        block_size: int = DEFAULT_BLOCK_SIZE,
        restart_interval: int = DEFAULT_RESTART_INTERVAL,
    ) -> None:
        self.block_size = block_size
        self.out = bytearray()
        self.data_block = BlockBuilder(restart_interval)
        self.index_block = BlockBuilder(1)
        self.last_key: bytes | None = None
        # The index entry of a finished block waits for the next key, so that its key can be
        # a short separator between the two blocks rather than the block's full last key.
        self.pending_handle: bytes | None = None

    def add(self, key: bytes, value: bytes) -> None:
        if self.last_key is not None:
            if key <= self.last_key:
                raise ValueError(f"keys out of order: {key!r} after {self.last_key!r}")
            # An entry at least twice the block size goes into a block of its own.
            if len(key) + len(value) >= 2 * self.block_size:
                self._flush()
        if self.pending_handle is not None:
            sep = _shortest_separator(self.last_key, key)
            self.index_block.add(sep, self.pending_handle)
            self.pending_handle = None
        self.last_key = key
        self.data_block.add(key, value)
        if self.data_block.size_estimate() >= self.block_size:
            self._flush()

    def _flush(self) -> None:
        if self.data_block.empty():
            return
        self.pending_handle = self._write_block(self.data_block)

    def _write_block(self, block: BlockBuilder) -> bytes:
        contents = block.finish()
        block.reset()
        handle = encode_handle(len(self.out), len(contents))
        kind = bytes([NO_COMPRESSION])
        crc = crc32c.extend(crc32c.value(contents), kind)  # covers the type byte too
        self.out += contents + kind + struct.pack("<I", crc32c.mask(crc))
        return handle

    def finish(self) -> bytes:
        self._flush()
        metaindex = self._write_block(BlockBuilder())
        if self.pending_handle is not None:
            self.index_block.add(_short_successor(self.last_key), self.pending_handle)
            self.pending_handle = None
        index = self._write_block(self.index_block)
        footer = (metaindex + index).ljust(FOOTER_SIZE - 8, b"\0")
        self.out += footer + struct.pack("<II", MAGIC & 0xFFFFFFFF, MAGIC >> 32)
        return bytes(self.out)


def build_table(entries: dict[bytes, bytes] | list[tuple[bytes, bytes]], **options) -> bytes:
    """The bytes of a table holding ``entries`` (sorted here)."""
    items = sorted(entries.items() if isinstance(entries, dict) else entries)
    writer = TableWriter(**options)
    for k, v in items:
        writer.add(k, v)
    return writer.finish()


# --- reading -----------------------------------------------------------------------------


def _decode_handle(buf: bytes, pos: int) -> tuple[int, int, int]:
    offset, pos = decode_varint(buf, pos)
    size, pos = decode_varint(buf, pos)
    return offset, size, pos


def _read_block(data: bytes, offset: int, size: int) -> bytes:
    """A block's contents, after checking its trailer (TF's ReadBlock with verify_checksum)."""
    end = offset + size
    if end + TRAILER_SIZE > len(data):
        raise TableError("Read less bytes than requested", "OUT_OF_RANGE")  # TF's RandomAccessFile::Read
    kind = data[end]
    stored = struct.unpack_from("<I", data, end + 1)[0]
    if crc32c.unmask(stored) != crc32c.value(data[offset:end + 1]):
        raise TableError("block checksum mismatch")
    if kind == NO_COMPRESSION:
        return data[offset:end]
    if kind == SNAPPY_COMPRESSION:
        return snappy_decompress(data[offset:end])
    raise TableError("bad block type")


def iter_block(block: bytes) -> Iterator[tuple[bytes, bytes]]:
    """Every (key, value) of a block, in order."""
    if len(block) < 4:
        raise TableError("bad block contents")
    num_restarts = struct.unpack_from("<I", block, len(block) - 4)[0]
    limit = len(block) - 4 - 4 * num_restarts
    if limit < 0:
        raise TableError("bad block contents")
    pos = 0
    key = b""
    while pos < limit:
        shared, pos = decode_varint(block, pos)
        non_shared, pos = decode_varint(block, pos)
        value_len, pos = decode_varint(block, pos)
        if shared > len(key) or pos + non_shared + value_len > limit:
            raise TableError("bad entry in block")
        key = key[:shared] + block[pos:pos + non_shared]
        pos += non_shared
        yield key, block[pos:pos + value_len]
        pos += value_len


def data_blocks(data: bytes) -> list[tuple[int, int]]:
    """The (offset, size) of each data block of a table's bytes, in key order, from its footer
    and index block: what TensorFlow's ``Table::Open`` reads (its errors are the table's own)."""
    if len(data) < FOOTER_SIZE:
        raise TableError("file is too short to be an sstable")
    footer = data[-FOOTER_SIZE:]
    lo, hi = struct.unpack_from("<II", footer, FOOTER_SIZE - 8)
    if (hi << 32 | lo) != MAGIC:
        raise TableError("not an sstable (bad magic number)")
    _, _, pos = _decode_handle(footer, 0)  # metaindex: nothing TensorFlow puts there
    index_offset, index_size, _ = _decode_handle(footer, pos)
    return [_decode_handle(handle, 0)[:2] for _, handle in iter_block(_read_block(data, index_offset, index_size))]


def read_data_block(data: bytes, offset: int, size: int) -> list[tuple[bytes, bytes]]:
    """The (key, value) entries of one data block, after checking it."""
    return list(iter_block(_read_block(data, offset, size)))


def iter_table(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """Every (key, value) of a table's bytes, in key order."""
    for offset, size in data_blocks(data):
        yield from read_data_block(data, offset, size)


def read_table(data: bytes) -> dict[bytes, bytes]:
    """A table's entries as an (ordered) dict."""
    return dict(iter_table(data))


def snappy_decompress(src: bytes) -> bytes:
    """Snappy's raw format, for tables written with compression on (TF can, though its
    bundle writer does not): a varint length, then literal and back-reference elements."""
    length, pos = decode_varint(src, 0)
    out = bytearray()
    while pos < len(src):
        tag = src[pos]
        pos += 1
        kind = tag & 3
        if kind == 0:  # literal; lengths over 60 continue in 1-4 extra bytes
            n = tag >> 2
            if n >= 60:
                extra = n - 59
                n = int.from_bytes(src[pos:pos + extra], "little")
                pos += extra
            n += 1
            out += src[pos:pos + n]
            pos += n
            continue
        if kind == 1:
            n = ((tag >> 2) & 7) + 4
            dist = ((tag >> 5) << 8) | src[pos]
            pos += 1
        elif kind == 2:
            n = (tag >> 2) + 1
            dist = int.from_bytes(src[pos:pos + 2], "little")
            pos += 2
        else:
            n = (tag >> 2) + 1
            dist = int.from_bytes(src[pos:pos + 4], "little")
            pos += 4
        if dist == 0 or dist > len(out):
            raise TableError("corrupted compressed block contents")
        for _ in range(n):  # byte by byte: copies may overlap their own output
            out.append(out[-dist])
    if len(out) != length:
        raise TableError("corrupted compressed block contents")
    return bytes(out)
