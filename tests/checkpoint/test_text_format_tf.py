"""Text format against real TensorFlow (run in a subprocess): TF's own text and binary
MetaGraphDef of a training graph, and its GraphDef files, read and written back by the
reference byte for byte."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("tensorflow") is None, reason="tensorflow is not installed")

from reference_impl.checkpoint import text_format  # noqa: E402
from reference_impl.checkpoint.messages import GraphDef, MetaGraphDef  # noqa: E402

TF_SCRIPT = textwrap.dedent(
    """
    import os, sys
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    out = sys.argv[1]
    tf.Variable([1.0, 2.5e-8, float("inf")], name="v")
    tf.Variable(3, name="r", use_resource=True)
    tf.constant("a\\x01\\"'\\\\\\n\\xe9", name="s")
    tf.constant([True, False], name="flags")
    with tf.variable_scope("net"):
        w = tf.get_variable("w", [2, 2], initializer=tf.zeros_initializer())
    tf.train.AdamOptimizer(0.01).minimize(tf.reduce_sum(w * w), var_list=[w])
    tf.train.Saver()
    tf.train.export_meta_graph(os.path.join(out, "m.pbtxt"), as_text=True)
    tf.train.export_meta_graph(os.path.join(out, "m.meta"))
    tf.train.write_graph(tf.get_default_graph(), out, "g.pbtxt")
    tf.train.write_graph(tf.get_default_graph(), out, "g.pb", as_text=False)
    """)


@pytest.fixture(scope="module")
def tf_files(tmp_path_factory):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("tf_text")
    subprocess.run([sys.executable, "-c", TF_SCRIPT, str(out)], check=True, timeout=300)
    return {name: (out / name).read_bytes() for name in ("m.pbtxt", "m.meta", "g.pbtxt", "g.pb")}


@pytest.mark.parametrize("text_name, binary_name, cls", [
    ("m.pbtxt", "m.meta", MetaGraphDef), ("g.pbtxt", "g.pb", GraphDef)])
def test_tf_files_round_trip_byte_for_byte(tf_files, text_name, binary_name, cls) -> None:  # type: ignore[no-untyped-def]
    text, binary = tf_files[text_name].decode("utf-8"), tf_files[binary_name]
    parsed = text_format.parse(text, cls)
    assert text_format.message_to_string(parsed) == text  # text -> text
    assert parsed.encode() == binary  # text -> TF's deterministic binary
    assert text_format.message_to_string(cls.decode(binary)) == text  # binary -> text
