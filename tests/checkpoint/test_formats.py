"""Unit tests of the checkpoint format modules, against literal bytes TensorFlow 2.21 wrote.

The literals come from a TF1-mode Saver saving six variables; no tensorflow is needed here.
"""

from __future__ import annotations

import os
import struct

import numpy as np
import pytest

from reference_impl.checkpoint import bundle, checkpoint_state, crc32c, datatypes, table, wire
from reference_impl.checkpoint.messages import (
    AttrValue,
    BundleEntryProto,
    BundleHeaderProto,
    CheckpointState,
    CollectionDef,
    Int64List,
    MetaGraphDef,
    NodeDef,
    SaverDef,
    TensorShapeProto,
    VersionDef,
)

# model.index as TensorFlow wrote it for: empty int64[0,3], flags bool[3], s string[3],
# scope/r4 int32[1,2,3,4], v1 float32[2,3], v2 float64 scalar.
TF_INDEX = bytes.fromhex(
    "00000608011a02080100050f656d7074790809120612001202080335d8ea82a200050f666c616773"
    "080a120412020803280335755991060001117308071204120208032003280c3510adc43f01071d63"
    "6f70652f72340803121012020801120208021202080312020804200f286035f71b032d0002157631"
    "080112081202080212020803206f281835c0db3d1701010e3208021200208701280835722827bd00"
    "0000000100000000e1c9e5fe000000000100000000c0f2a1b00001037700a7010000000001000000"
    "00c4fa6e52ac0108b9010f0000000000000000000000000000000000000000000000000000000000"
    "000000000057fb808b247547db"
)
_R4 = np.arange(24, dtype="<i4").tobytes()
_V1 = np.arange(6, dtype="<f4").tobytes()
_V2 = struct.pack("<d", 3.5)
# bools; string lengths, length checksum, string bytes; then the numeric tensors, unpadded
TF_DATA = bytes.fromhex("010001" "020003" "1b428bca" "616278797a") + _R4 + _V1 + _V2

TENSORS = {
    "empty": np.zeros((0, 3), np.int64),
    "flags": np.array([True, False, True]),
    "s": np.array([b"ab", b"", b"xyz"], dtype=object),
    "scope/r4": np.arange(24, dtype=np.int32).reshape(1, 2, 3, 4),
    "v1": np.arange(6, dtype=np.float32).reshape(2, 3),
    "v2": np.float64(3.5),
}


# --- crc32c --------------------------------------------------------------------------------
def test_crc32c_check_value():
    assert crc32c.value(b"123456789") == 0xE3069283  # the CRC-32C catalogue's check value
    assert crc32c.value(b"") == 0
    assert crc32c.value(b"\0" * 32) == 0x8A9136AA  # RFC 3720 test vector
    assert crc32c.value(bytes(range(32))) == 0x46DD794E


def test_crc32c_mask_roundtrip_and_literals():
    assert crc32c.mask(0) == 0xA282EAD8  # what TF stores for an empty tensor
    for c in (0, 1, 0xDEADBEEF, 0xFFFFFFFF):
        assert crc32c.unmask(crc32c.mask(c)) == c


@pytest.mark.parametrize("n", [(1 << 15) - 1, 1 << 15, 100_003, 1 << 20])
def test_crc32c_lane_path_matches_byte_loop(n):
    data = np.random.default_rng(n).integers(0, 256, n, dtype=np.uint8).tobytes()
    expected = crc32c._raw_loop(0xFFFFFFFF, data) ^ 0xFFFFFFFF
    assert crc32c.value(data) == expected
    assert crc32c.extend(crc32c.value(data[:777]), data[777:]) == expected


# --- wire --------------------------------------------------------------------------------
def test_varints():
    assert wire.encode_varint(0) == b"\x00"
    assert wire.encode_varint(300) == b"\xac\x02"
    assert wire.encode_varint(-1) == b"\xff" * 9 + b"\x01"  # negatives take 10 bytes
    assert wire.decode_varint(b"\xac\x02", 0) == (300, 2)
    assert wire.to_signed64(wire.decode_varint(wire.encode_varint(-5), 0)[0]) == -5
    with pytest.raises(wire.DecodeError):
        wire.decode_varint(b"\x80", 0)


def test_iter_fields_all_wire_types():
    buf = (
        wire.field_varint(1, 150)
        + wire.field_fixed64(2, 7)
        + wire.field_bytes(3, b"hi")
        + wire.field_fixed32(4, 9)
    )
    assert buf.hex() == "089601" "110700000000000000" "1a026869" "2509000000"
    assert list(wire.iter_fields(buf)) == [(1, 0, 150), (2, 1, 7), (3, 2, b"hi"), (4, 5, 9)]


# --- messages ------------------------------------------------------------------------------
def test_bundle_entry_literal_from_tf():
    # v2: a float64 scalar at offset 135; proto3 writes the empty shape message but no shard.
    e = BundleEntryProto(dtype=2, shape=TensorShapeProto.of(()), offset=135, size=8,
                         crc32c=0xBD272872)
    assert e.encode().hex() == "08021200208701280835722827bd"
    assert BundleEntryProto.decode(e.encode()) == e
    # An empty [0, 3] tensor: size 0 dims are empty Dim messages, no offset, no size.
    empty = BundleEntryProto(dtype=9, shape=TensorShapeProto.of((0, 3)), crc32c=0xA282EAD8)
    assert empty.encode().hex() == "0809120612001202080335d8ea82a2"


def test_bundle_header_literal():
    h = BundleHeaderProto(num_shards=1, endianness=0, version=VersionDef(producer=1))
    assert h.encode().hex() == "08011a020801"  # LITTLE (0) is not written


def test_oneof_members_are_written_even_when_zero():
    assert AttrValue(b=False).encode() == b"\x28\x00"
    assert AttrValue(i=0).encode() == b"\x18\x00"
    assert AttrValue(type=1).encode() == b"\x30\x01"
    assert AttrValue.decode(b"\x28\x00").which() == "b"


def test_packed_repeated_and_unpacked_decode():
    c = CollectionDef(int64_list=Int64List(value=[1, -1, 300]))
    assert c.encode().hex() == "1a0f" "0a0d" "01" "ffffffffffffffffff01" "ac02"
    unpacked = bytes.fromhex("1a06" "0801" "0802" "0803")
    assert CollectionDef.decode(unpacked).int64_list.value == [1, 2, 3]


def test_map_field_and_nested_messages_roundtrip():
    n = NodeDef(name="v", op="VariableV2", input=["a", "^b"],
                attr={"dtype": AttrValue(type=1), "shape": AttrValue(shape=TensorShapeProto.of((2,)))})
    m = MetaGraphDef(saver_def=SaverDef(max_to_keep=5, keep_checkpoint_every_n_hours=10000.0, version=2))
    m.collection_def["c"] = CollectionDef(int64_list=Int64List(value=[4]))
    back = MetaGraphDef.decode(m.encode())
    assert back == m
    assert NodeDef.decode(n.encode()) == n
    assert n.encode().startswith(b"\x0a\x01v\x12\x0aVariableV2\x1a\x01a\x1a\x02^b")


def test_unknown_fields_are_skipped():
    data = VersionDef(producer=3).encode() + wire.field_bytes(99, b"zzz")
    assert VersionDef.decode(data) == VersionDef(producer=3)


def test_a_known_field_of_another_wire_type_is_skipped_as_protobuf_does():
    # BundleEntryProto bytes read as a BundleHeaderProto (TensorFlow does this when an index's
    # first block is unreadable): field 1 (dtype → num_shards) matches; field 2 (a shape message
    # → the endianness enum) and field 3 (shard_id varint → the version message) do not
    entry = BundleEntryProto(dtype=9, shape=TensorShapeProto(), shard_id=4, offset=8, size=16).encode()
    header = BundleHeaderProto.decode(entry)
    assert (header.num_shards, header.endianness, header.version) == (9, BundleHeaderProto.LITTLE, None)


# --- table --------------------------------------------------------------------------------
def test_table_reads_tf_index():
    entries = table.read_table(TF_INDEX)
    assert list(entries) == [b"", b"empty", b"flags", b"s", b"scope/r4", b"v1", b"v2"]
    assert entries[b""].hex() == "08011a020801"


def test_table_writes_tf_index_byte_for_byte():
    assert table.build_table(table.read_table(TF_INDEX)) == TF_INDEX


def test_table_structure_of_tiny_table():
    data = table.build_table({b"a": b"1"})
    # data block: entry (0 shared, 1 key byte, 1 value byte) + restart array [0] + count 1
    assert data[:13] == bytes.fromhex("000101" "61" "31" "00000000" "01000000")
    assert data[-8:] == struct.pack("<Q", table.MAGIC)
    # data, metaindex (empty: just the restart array), index ("b" → handle 0, 13), each with
    # its 5-byte trailer; then the 48-byte footer.
    assert len(data) == (13 + 5) + (8 + 5) + (14 + 5) + 48
    # The index key of the last block is the short successor of "a": "b".
    assert table.read_table(data) == {b"a": b"1"}


def test_table_many_blocks_restart_points_and_separators():
    items = {f"key{i:05d}".encode(): bytes([i % 251]) * (i % 700) for i in range(3000)}
    data = table.build_table(items, block_size=4096)
    assert table.read_table(data) == items
    assert table._shortest_separator(b"the quick brown fox", b"the who") == b"the r"
    assert table._short_successor(b"\xff\xffa") == b"\xff\xffb"


def test_table_detects_corruption():
    bad = bytearray(TF_INDEX)
    bad[10] ^= 1
    with pytest.raises(table.TableError, match="block checksum mismatch"):
        table.read_table(bytes(bad))
    with pytest.raises(table.TableError, match="bad magic number"):
        table.read_table(TF_INDEX[:-1] + b"\0")


def test_snappy_literal_and_copy():
    # "abcabcabc": literal "abc" then a 1-byte-offset copy of 6 bytes at distance 3.
    compressed = bytes([9, (3 - 1) << 2]) + b"abc" + bytes([((6 - 4) << 2) | 1, 3])
    assert table.snappy_decompress(compressed) == b"abcabcabc"


# --- bundle -------------------------------------------------------------------------------
def test_bundle_writes_tf_bytes(tmp_path):
    prefix = str(tmp_path / "model-2")
    bundle.write_bundle(prefix, TENSORS)
    assert (tmp_path / "model-2.index").read_bytes() == TF_INDEX
    assert (tmp_path / "model-2.data-00000-of-00001").read_bytes() == TF_DATA
    assert sorted(os.listdir(tmp_path)) == ["model-2.data-00000-of-00001", "model-2.index"]


def test_bundle_reads_tf_bytes(tmp_path):
    (tmp_path / "m.index").write_bytes(TF_INDEX)
    (tmp_path / "m.data-00000-of-00001").write_bytes(TF_DATA)
    r = bundle.BundleReader(str(tmp_path / "m"))
    assert r.keys() == list(TENSORS)
    for k, v in TENSORS.items():
        got = r.read(k)
        assert got.dtype == np.asarray(v).dtype and got.shape == np.shape(v)
        assert got.tobytes() == np.asarray(v).tobytes() if got.dtype != object else list(got) == list(v)
    assert r.entry("v1").offset == 111 and r.entry("v1").size == 24
    assert r.dtype("flags") == datatypes.DT_BOOL and r.shape("scope/r4") == (1, 2, 3, 4)


def test_bundle_errors(tmp_path):
    with pytest.raises(bundle.BundleError) as e:
        bundle.BundleReader(str(tmp_path / "nothing"))
    assert e.value.code == "NOT_FOUND"
    prefix = str(tmp_path / "m")
    bundle.write_bundle(prefix, {"a": np.ones(3, np.float32)})
    r = bundle.BundleReader(prefix)
    with pytest.raises(bundle.BundleError, match="Key b not found in checkpoint"):
        r.read("b")
    data = bytearray((tmp_path / "m.data-00000-of-00001").read_bytes())
    data[0] ^= 0xFF
    (tmp_path / "m.data-00000-of-00001").write_bytes(bytes(data))
    with pytest.raises(bundle.BundleError, match="Checksum does not match"):
        r.read("a")
    w = bundle.BundleWriter(prefix)
    w.add("x", 1)
    with pytest.raises(bundle.BundleError, match="Adding duplicate key: x"):
        w.add("x", 2)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "int64", "bool", "int8",
                                   "uint8", "int16", "uint16", "float16", "complex64"])
@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 1, 3), (1, 2, 3, 2), (0,), (2, 0, 3)])
def test_bundle_roundtrip(tmp_path, dtype, shape):
    rng = np.random.default_rng(0)
    a = (rng.standard_normal(shape) * 100).astype(dtype)
    prefix = str(tmp_path / "x")
    bundle.write_bundle(prefix, {"t": a})
    b = bundle.BundleReader(prefix).read("t")
    assert b.dtype == a.dtype and b.shape == a.shape and b.tobytes() == a.tobytes()


# --- checkpoint_state ---------------------------------------------------------------------
TF_CHECKPOINT_FILE = (
    'model_checkpoint_path: "/tmp/tfck/model-2"\n'
    'all_model_checkpoint_paths: "/tmp/tfck/model-1"\n'
    'all_model_checkpoint_paths: "/tmp/tfck/model-2"\n'
)


def test_checkpoint_state_text_roundtrip():
    s = checkpoint_state.from_text(TF_CHECKPOINT_FILE)
    assert s.model_checkpoint_path == "/tmp/tfck/model-2"
    assert s.all_model_checkpoint_paths == ["/tmp/tfck/model-1", "/tmp/tfck/model-2"]
    assert checkpoint_state.to_text(s) == TF_CHECKPOINT_FILE


def test_checkpoint_state_escapes_and_timestamps():
    s = CheckpointState(model_checkpoint_path='a"b\\c\né', all_model_checkpoint_timestamps=[1.5],
                        last_preserved_timestamp=2.25)
    text = checkpoint_state.to_text(s)
    assert text == ('model_checkpoint_path: "a\\"b\\\\c\\n\\303\\251"\n'
                    "all_model_checkpoint_timestamps: 1.5\nlast_preserved_timestamp: 2.25\n")
    assert checkpoint_state.from_text(text) == s


def test_generate_state_appends_latest_and_relativises(tmp_path):
    d = str(tmp_path)
    s = checkpoint_state.generate_state(d, f"{d}/m-3", [f"{d}/m-1", f"{d}/m-2"])
    assert s.all_model_checkpoint_paths == [f"{d}/m-1", f"{d}/m-2", f"{d}/m-3"]
    s = checkpoint_state.generate_state(d, f"{d}/m-3", [], save_relative_paths=True)
    assert s.model_checkpoint_path == "m-3" and s.all_model_checkpoint_paths == ["m-3"]
    checkpoint_state.write_state(d, s)
    assert (tmp_path / "checkpoint").read_text() == (
        'model_checkpoint_path: "m-3"\nall_model_checkpoint_paths: "m-3"\n')
    # A relative save_dir: relative paths are stored relative to it (TF 2.21 does this too).
    s = checkpoint_state.generate_state("run/dir", "run/dir/m-7", ["/abs/m-1"])
    assert s.model_checkpoint_path == "m-7" and s.all_model_checkpoint_paths == ["/abs/m-1", "m-7"]
    back = checkpoint_state.read_state(d)
    assert back.model_checkpoint_path == f"{d}/m-3"  # relative paths are joined on reading
    assert checkpoint_state.read_state(str(tmp_path / "none")) is None
    (tmp_path / "checkpoint").write_text("garbage here\n")
    assert checkpoint_state.read_state(d) is None


def test_a_checksum_mismatch_prints_the_stored_checksum_as_tensorflow_does(tmp_path):
    # TF formats the stored checksum with "%08u" (the restored one plainly): one under 10**7
    # shows its leading zeros. (Found by the saver fuzzer: 04933120, not 4933120.)
    value = next(np.array([i], np.int32) for i in range(100_000) if crc32c.value(np.int32(i).tobytes()) < 10**7)
    stored = crc32c.value(value.tobytes())
    prefix = str(tmp_path / "model")
    bundle.write_bundle(prefix, {"v": value})
    with open(bundle.data_filename(prefix), "r+b") as f:
        f.write(bytes([f.read(1)[0] ^ 1]))
    with pytest.raises(bundle.BundleError, match=f"Checksum does not match: stored {stored:08d} vs. calculated on "
                                          r"the restored bytes \d+$") as raised:
        bundle.BundleReader(prefix).read("v")
    assert f"stored 0{stored} " in str(raised.value)
