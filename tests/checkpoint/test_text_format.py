"""Protobuf text format (`checkpoint/text_format.py`) and the graph files built on it, against
what TensorFlow 2.21's Python writes (the expected texts were printed by
``text_format.MessageToString`` on the same messages)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from reference_impl import graph
from reference_impl.checkpoint import text_format
from reference_impl.checkpoint.messages import (AttrValue, GraphDef, MetaGraphDef, NodeDef,
                                                SaverDef, TensorProto, TensorShapeProto,
                                                VersionDef)
from reference_impl.checkpoint.proto import _upb_key_order
from reference_impl.compat import v1 as tf


@pytest.fixture(autouse=True)
def fresh_graph():  # type: ignore[no-untyped-def]
    graph.reset_default_graph()
    yield
    graph.reset_default_graph()


@pytest.mark.parametrize("value, text", [
    (0.1, "0.1"), (2.0, "2.0"), (1e20, "1e+20"), (2.5e-8, "2.5e-08"), (-0.0, "-0.0"),
    (math.inf, "inf"), (-math.inf, "-inf"), (3.4028234663852886e38, "3.4028235e+38"),
    (np.float32(1 / 3), "0.33333334"), (1e-45, "1.4013e-45"),
])
def test_float_fields_print_their_shortest_float32(value, text) -> None:  # type: ignore[no-untyped-def]
    assert text_format.shortest_float(float(value)) == text


def test_strings_escape_byte_by_byte() -> None:
    assert text_format.c_escape(b"a\x01\"'\\\n\t\r\x7f\xc3\xa9 ok") == \
        "a\\001\\\"\\'\\\\\\n\\t\\r\\177\\303\\251 ok"
    assert text_format.c_unescape("a\\001\\\"\\'\\\\\\n\\x41\\303\\251") == b"a\x01\"'\\\nA\xc3\xa9"


def test_a_node_prints_attrs_sorted_and_oneof_zeros() -> None:
    node = NodeDef(name="v", op="VariableV2", attr={
        "shape": AttrValue(shape=TensorShapeProto.of((2,))), "dtype": AttrValue(type=1),
        "container": AttrValue(s=b""), "use_locking": AttrValue(b=False)})
    assert str(node) == (
        'name: "v"\nop: "VariableV2"\n'
        'attr {\n  key: "container"\n  value {\n    s: ""\n  }\n}\n'
        'attr {\n  key: "dtype"\n  value {\n    type: DT_FLOAT\n  }\n}\n'
        'attr {\n  key: "shape"\n  value {\n    shape {\n      dim {\n        size: 2\n      }\n    }\n  }\n}\n'
        'attr {\n  key: "use_locking"\n  value {\n    b: false\n  }\n}\n')


def test_parse_reads_what_print_writes() -> None:
    graph_def = GraphDef(node=[NodeDef(name="c", op="Const", attr={
        "value": AttrValue(tensor=TensorProto(dtype=1, tensor_shape=TensorShapeProto.of(()),
                                              float_val=[float(np.float32(0.1))])),
        "dtype": AttrValue(type=1)})], versions=VersionDef(producer=2474))
    text = str(graph_def)
    assert text_format.parse(text, GraphDef) == graph_def
    assert str(text_format.parse(text, GraphDef)) == text


def test_parse_accepts_the_other_spellings() -> None:
    saver = text_format.parse(
        "# a comment\nfilename_tensor_name: 'a' \"b\"; max_to_keep: 0x10, sharded: t\n"
        "version: V2 keep_checkpoint_every_n_hours: 1e39", SaverDef)
    assert (saver.filename_tensor_name, saver.max_to_keep, saver.sharded, saver.version) == \
        ("ab", 16, True, 2)
    assert saver.keep_checkpoint_every_n_hours == math.inf  # a float field holds a float32


@pytest.mark.parametrize("text, message", [
    ("node { nam: 'x' }", '1:8 : Message type "tensorflow.NodeDef" has no field named "nam".'),
    ("node {\n  name: 'x'", '2:12 : Expected "}".'),
    ("versions { producer: 1.5 }", "1:22 : Expected integer, got: 1.5"),
])
def test_parse_errors_name_line_and_column(text, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(text_format.ParseError) as caught:
        text_format.parse(text, GraphDef)
    assert str(caught.value) == message


def test_an_opaque_message_without_a_schema_is_refused() -> None:
    with pytest.raises(NotImplementedError, match="GraphDef.library is carried as bytes"):
        str(GraphDef(library=b"\x0a\x00"))


def test_map_entries_serialize_in_upbs_order() -> None:
    keys = ["keep_dims", "T", "Tidx", "a", "Tb", "U", "_class", "dtype", "value", "Ta"]
    assert sorted(keys, key=_upb_key_order) == \
        ["Ta", "Tb", "Tidx", "T", "U", "_class", "a", "dtype", "keep_dims", "value"]


def test_write_graph_and_read_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    tf.constant([True, False], name="flags")
    path = tf.train.write_graph(tf.get_default_graph(), str(tmp_path / "a" / "b"), "g.pbtxt")
    assert path == str(tmp_path / "a" / "b" / "g.pbtxt")
    text = open(path).read()
    assert "bool_val: true\n" in text and text.endswith("versions {\n  producer: 2474\n}\n")
    binary = tf.train.write_graph(tf.get_default_graph().as_graph_def(), str(tmp_path), "g.pb",
                                  as_text=False)
    parsed = GraphDef()
    parsed.ParseFromString(open(binary, "rb").read())
    assert parsed == text_format.parse(text, GraphDef)
    with tf.Session() as sess:
        assert sess.run(tf.io.read_file(binary)) == open(binary, "rb").read()
        with pytest.raises(tf.errors.NotFoundError, match="gone; No such file or directory"):
            sess.run(tf.read_file(str(tmp_path / "gone")))


def test_meta_graph_as_text_round_trip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    tf.Variable([1.0, 2.0], name="v")
    saver = tf.train.Saver()
    saver.export_meta_graph(str(tmp_path / "m.pbtxt"), as_text=True)
    graph.reset_default_graph()
    imported = tf.train.import_meta_graph(str(tmp_path / "m.pbtxt"))
    assert imported.saver_def.restore_op_name == "save/restore_all"
    assert isinstance(text_format.parse(open(tmp_path / "m.pbtxt").read(), MetaGraphDef),
                      MetaGraphDef)
    (tmp_path / "bad.meta").write_text("meta_info_def { nope: 1 }")
    with pytest.raises(OSError, match=r"Cannot parse file .*bad.meta: 1:17 : Message type "
                                      r"\"tensorflow.MetaInfoDef\" has no field named \"nope\"\.\."):
        tf.train.import_meta_graph(str(tmp_path / "bad.meta"))


def test_make_tensor_proto_and_make_ndarray() -> None:
    proto = tf.make_tensor_proto(7.0, shape=[2, 2])
    assert str(proto) == ('dtype: DT_FLOAT\ntensor_shape {\n  dim {\n    size: 2\n  }\n  dim {\n'
                          '    size: 2\n  }\n}\nfloat_val: 7.0\n')
    assert tf.make_ndarray(proto).tolist() == [[7.0, 7.0], [7.0, 7.0]]
    assert tf.make_ndarray(tf.make_tensor_proto([1, 2])).dtype == np.int32
    with pytest.raises(ValueError, match="Too many elements provided. Takes at most 1, but got 2."):
        tf.make_tensor_proto([1.0, 2.0], shape=[1])
