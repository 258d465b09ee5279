"""TensorFlow's V2 checkpoint format: the tensor bundle (``tensor_bundle.cc``).

A bundle with prefix ``P`` is two kinds of file:

- ``P.data-00000-of-00001`` (one per shard; the Saver writes one): the tensors' bytes, one
  after another in the order they were added, with no padding (BundleWriter's default
  alignment is 1). A numeric tensor is its little-endian buffer, row-major. A string tensor is
  ``varint64 len`` for each element, then the masked CRC-32C of those lengths (each taken as a
  little-endian uint32) as fixed32, then the elements' bytes.
- ``P.index``: a `table` whose keys are sorted bytewise. Key ``""`` (so always first) holds a
  `BundleHeaderProto` (num_shards, endianness, version {producer: 1}); every other key is a
  tensor name holding a `BundleEntryProto`: dtype, shape, shard_id, offset and size in the
  data file, and the masked CRC-32C of the tensor's bytes (for strings: of the lengths, the
  length checksum and the string bytes, in that order).
"""

from __future__ import annotations

import os
import struct
import uuid
from typing import BinaryIO, Iterable, Mapping

import numpy as np

from . import crc32c, datatypes, table
from .messages import (
    BundleEntryProto,
    BundleHeaderProto,
    TensorShapeProto,
    VersionDef,
)
from .wire import encode_varint

HEADER_KEY = b""
BUNDLE_VERSION = 1  # kTensorBundleVersion: the producer version TensorFlow writes


class BundleError(ValueError):
    """A bundle is missing, malformed, or lacks what was asked of it.

    ``code`` names the TensorFlow error class the situation raises there
    (``"NOT_FOUND"``, ``"DATA_LOSS"``, ``"INVALID_ARGUMENT"`` …), for the layer above to map.
    """

    def __init__(self, message: str, code: str = "DATA_LOSS") -> None:
        super().__init__(message)
        self.code = code


def index_filename(prefix: str) -> str:
    return prefix + ".index"


def data_filename(prefix: str, shard: int = 0, num_shards: int = 1) -> str:
    return f"{prefix}.data-{shard:05d}-of-{num_shards:05d}"


def _string_tensor_bytes(array: np.ndarray) -> tuple[bytes, int]:
    """The on-disk bytes of a string tensor and their (unmasked) running CRC."""
    items = [x.encode("utf-8") if isinstance(x, str) else bytes(x) for x in array.reshape(-1)]
    lengths = b"".join(encode_varint(len(x)) for x in items)
    crc = 0
    for x in items:
        n = len(x)
        # The checksum covers lengths as fixed-width integers, not as the varints written.
        crc = crc32c.extend(crc, struct.pack("<I", n) if n <= 0xFFFFFFFF else struct.pack("<Q", n))
    length_checksum = struct.pack("<I", crc32c.mask(crc))
    crc = crc32c.extend(crc, length_checksum)
    body = b"".join(items)
    crc = crc32c.extend(crc, body)
    return lengths + length_checksum + body, crc


def tensor_bytes(array: np.ndarray) -> tuple[int, bytes, int]:
    """(DataType enum, on-disk bytes, masked CRC-32C) of one tensor."""
    dtype = datatypes.from_numpy(array.dtype)
    if dtype == datatypes.DT_STRING:
        data, crc = _string_tensor_bytes(array)
    else:
        le = np.ascontiguousarray(array, dtype=datatypes.to_numpy(dtype))
        data = le.tobytes()
        crc = crc32c.value(data)
    return dtype, data, crc32c.mask(crc)


def _atomic_write(path: str, data: bytes) -> None:
    # TensorFlow writes "<file>.tempstate<N>" and renames it: a crash never leaves half a file.
    tmp = f"{path}.tempstate{uuid.uuid4().int & 0xFFFFFFFFFFFFFFFF}"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


class BundleWriter:
    """Writes one bundle: `add` tensors (data goes out in add order), then `finish`."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.data = bytearray()
        self.entries: dict[str, BundleEntryProto] = {}

    def add(self, key: str, array: np.ndarray | object) -> None:
        if key in self.entries:
            raise BundleError(f"Adding duplicate key: {key}", "INVALID_ARGUMENT")
        array = np.asarray(array)
        dtype, data, crc = tensor_bytes(array)
        self.entries[key] = BundleEntryProto(
            dtype=dtype,
            shape=TensorShapeProto.of(array.shape),
            shard_id=0,
            offset=len(self.data),
            size=len(data),
            crc32c=crc,
        )
        self.data += data

    def index_bytes(self) -> bytes:
        """The ``.index`` file's bytes for what was added so far."""
        header = BundleHeaderProto(
            num_shards=1,
            endianness=BundleHeaderProto.LITTLE,
            version=VersionDef(producer=BUNDLE_VERSION),
        )
        items = [(HEADER_KEY, header.encode())]
        items += [(k.encode("utf-8"), e.encode()) for k, e in self.entries.items()]
        return table.build_table(items)

    def finish(self) -> None:
        # Data first, index last, as TensorFlow does: an index is the mark of a whole bundle.
        _atomic_write(data_filename(self.prefix), bytes(self.data))
        _atomic_write(index_filename(self.prefix), self.index_bytes())


def write_bundle(prefix: str, tensors: Mapping[str, object] | Iterable[tuple[str, object]]) -> None:
    """Write ``tensors`` (name → array) as a bundle at ``prefix``, data in the given order."""
    writer = BundleWriter(prefix)
    for key, array in tensors.items() if isinstance(tensors, Mapping) else tensors:
        writer.add(key, array)
    writer.finish()


def _read_entries(raw: bytes, path: str) -> list[tuple[bytes, bytes]]:
    """The index table's readable entries, in key order, failing where TensorFlow's BundleReader
    does. The footer and the index block are read first, their errors passed on unchanged. Then
    the reader seeks the header entry; TensorFlow's table iterator steps over a data block it
    cannot read (keeping the first error), so the entries of such a block are simply not found,
    and the header is the first entry it can read: normally the header itself, first in the first
    block. When no block can be read, the seek fails: a corrupt file, with the first block's error."""
    try:
        blocks = table.data_blocks(raw)
    except table.TableError as e:
        raise BundleError(str(e), e.code) from None
    entries: list[tuple[bytes, bytes]] = []
    first_error: table.TableError | None = None
    for offset, size in blocks:
        try:
            entries += table.read_data_block(raw, offset, size)
        except table.TableError as e:
            first_error = first_error or e
    if not entries:
        if first_error is None:  # (a table without entries: the seek fails without a cause)
            raise BundleError(_corrupt_file(path, "failed to seek to header entry"), "INTERNAL")
        raise BundleError(_corrupt_file(path, "failed to seek to header entry", str(first_error)),
                          first_error.code) from None
    return entries


def _corrupt_file(path: str, what: str, cause: str | None = None) -> str:
    """TensorFlow's CorruptFileError text (tensor_bundle.cc)."""
    text = (f"Unable to read file ({path}). Perhaps the file is corrupt or was produced by a newer version of "
            f"TensorFlow with format changes ({what})")
    return text if cause is None else f"{text}: {cause}"


class BundleReader:
    """Reads a bundle: its entries at once (the index is small), tensors on demand."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        path = index_filename(prefix)
        try:
            with open(path, "rb") as f:
                raw = f.read()
        except FileNotFoundError:
            raise BundleError(f"{path}; No such file or directory", "NOT_FOUND") from None
        items = _read_entries(raw, path)
        header_key, header = items[0]  # (another entry, read as a header, if the header's block is unreadable)
        try:
            self.header = BundleHeaderProto.decode(header)
        except (ValueError, KeyError):
            cause = f"Entry for key {header_key.decode('utf-8', 'replace')} not parseable."
            raise BundleError(_corrupt_file(path, "unable to parse header", cause)) from None
        try:
            self.entries = {k.decode("utf-8"): BundleEntryProto.decode(v) for k, v in items if k != HEADER_KEY}
        except (ValueError, KeyError) as e:
            raise BundleError(f"Unable to read file ({path}): {e}") from None
        # A listing iterates on from the header: an entry read as the header is found, not listed.
        self._listed = [k.decode("utf-8") for k, _ in items[1:] if k != HEADER_KEY]
        if self.header.endianness != BundleHeaderProto.LITTLE:
            raise BundleError("Big-endian bundles are not supported", "UNIMPLEMENTED")

    def keys(self) -> list[str]:
        """Tensor names, in the index's (sorted) order."""
        return list(self._listed)

    def __contains__(self, key: str) -> bool:
        return key in self.entries

    def entry(self, key: str) -> BundleEntryProto:
        try:
            return self.entries[key]
        except KeyError:
            raise BundleError(f"Key {key} not found in checkpoint", "NOT_FOUND") from None

    def dtype(self, key: str) -> int:
        return self.entry(key).dtype

    def shape(self, key: str) -> tuple[int, ...]:
        return self.entry(key).shape.as_tuple() or ()

    def _data_file(self, key: str) -> tuple[BundleEntryProto, BinaryIO]:
        """The tensor's entry, and its shard's data file open at the tensor's offset."""
        e = self.entry(key)
        if e.slices:
            raise BundleError(f"{key} is stored as slices, which is not supported", "UNIMPLEMENTED")
        path = data_filename(self.prefix, e.shard_id, self.header.num_shards)
        try:
            f = open(path, "rb")
        except FileNotFoundError:
            raise BundleError(f"{path}; No such file or directory", "NOT_FOUND") from None
        f.seek(e.offset)
        return e, f

    def raw(self, key: str) -> bytes:
        """The tensor's bytes as stored (their CRC is checked by `read`)."""
        e, f = self._data_file(key)
        with f:
            return _TensorStream(f, e).read(e.size)

    def read(self, key: str) -> np.ndarray:
        """The tensor stored under ``key``, its CRC checked as TensorFlow checks it."""
        e = self.entry(key)
        shape = self.shape(key)
        if e.dtype == datatypes.DT_STRING:
            e, f = self._data_file(key)
            with f:
                array, crc = _read_strings(f, e, int(np.prod(shape, dtype=np.int64)))
            array = array.reshape(shape)
        else:
            data = self.raw(key)
            array = np.frombuffer(data, dtype=datatypes.to_numpy(e.dtype)).reshape(shape).copy()
            crc = crc32c.value(data)
        if crc != crc32c.unmask(e.crc32c):
            raise BundleError(
                f"TensorBundle at {self.prefix} shard {e.shard_id} ({e.size} bytes): Checksum does not "
                f"match: stored {crc32c.unmask(e.crc32c):08d} vs. calculated on the restored bytes {crc}"  # (TF: "%08u", then plain)
            )
        return array

    def read_all(self) -> dict[str, np.ndarray]:
        return {k: self.read(k) for k in self.entries}


class _TensorStream:
    """TF's buffered input stream over a data file from a tensor's offset: the tensor's bytes are
    read at once, and a read running past them goes on into the file (as TF's would)."""

    def __init__(self, f: BinaryIO, e: BundleEntryProto) -> None:
        self._file, self._start = f, e.offset
        self.buffer = f.read(e.size)
        self.pos = 0

    def read(self, n: int) -> bytes:
        end = self.pos + n
        if end > len(self.buffer):
            self.buffer += self._file.read(end - len(self.buffer))
            if end > len(self.buffer):  # TF's InputBuffer::ReadNBytes
                raise BundleError("Read less bytes than requested", "OUT_OF_RANGE")
        data = self.buffer[self.pos:end]
        self.pos = end
        return data

    def varint64(self) -> int:
        """TF's InputBuffer::ReadVarint64."""
        value = 0
        for index in range(10):
            if self.pos < len(self.buffer):
                byte = self.buffer[self.pos]
                self.pos += 1
            else:  # (past the bytes read so far)
                byte = self.read(1)[0]
            value |= (byte & 0x7F) << (7 * index)
            if not byte & 0x80:
                return value & 0xFFFFFFFFFFFFFFFF
        raise BundleError("Stored data longer than 10 bytes.")

    def tell(self) -> int:
        return self._start + self.pos


def _read_strings(f: BinaryIO, e: BundleEntryProto, count: int) -> tuple[np.ndarray, int]:
    """A string tensor read as TensorFlow's ReadStringTensor reads it, from ``f`` at its offset
    on (it may read past the tensor's bytes, into what follows): the lengths, their own checksum,
    then the strings. Returns the (flat) array of bytes and the running CRC of all of it."""
    out = np.empty(count, dtype=object)
    if count == 0:  # an empty string tensor is written as nothing at all
        return out, 0
    stream = _TensorStream(f, e)
    lengths = [stream.varint64() for _ in range(count)]
    if e.offset + e.size < stream.tell():
        raise BundleError(f"String lengths longer than expected offset {e.offset + e.size}")
    # each length enters the CRC as a uint32 (a uint64 if it needs one)
    packed = (np.array(lengths, dtype="<u4").tobytes() if max(lengths) <= 0xFFFFFFFF else
              b"".join(struct.pack("<I", n) if n <= 0xFFFFFFFF else struct.pack("<Q", n) for n in lengths))
    crc = crc32c.value(packed)
    stored = stream.read(4)
    expected = crc32c.unmask(struct.unpack("<I", stored)[0])
    if expected != crc:  # (TF prints both with "%08u")
        raise BundleError(f"The length checksum does not match: expected {expected:08d} but actual is {crc:08d}")
    crc = crc32c.extend(crc, stored)
    start = stream.pos
    for i, n in enumerate(lengths):
        out[i] = stream.read(n)
    crc = crc32c.extend(crc, stream.buffer[start:stream.pos])
    return out, crc
