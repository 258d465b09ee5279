"""A sharded Saver's files, byte for byte against real TensorFlow's (run in a subprocess):
the same variables on the same devices give the same merged ``.index`` and data files."""

from __future__ import annotations

import importlib.util
import inspect
import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("tensorflow") is None, reason="tensorflow is not installed")

from reference_impl import graph, session, variables  # noqa: E402
from reference_impl.compat import v1 as ref  # noqa: E402
from reference_impl.train import saver as S  # noqa: E402


def build(tf, resource):  # type: ignore[no-untyped-def]
    """Both sides' variables: on /cpu:1, /cpu:0 and no device (three shards), four dtypes."""
    with tf.device("/cpu:1"):
        tf.Variable([[1.5, -0.0], [3.25, 7.0]], name="b/weights")
        tf.Variable([b"x", b"yz"], name="names")
    with tf.device("/cpu:0"):
        tf.Variable(7, name="a/step", dtype=tf.int64)
    tf.Variable([True, False], name="flags", use_resource=resource)


TF_SCRIPT = inspect.getsource(build) + textwrap.dedent(
    """
    import os, sys
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    build(tf, resource=True)
    saver = tf.train.Saver(sharded=True)
    with tf.Session(config=tf.ConfigProto(device_count={"CPU": 2})) as sess:
        sess.run(tf.global_variables_initializer())
        saver.save(sess, os.path.join(sys.argv[1], "model"), write_meta_graph=False)
    """)


def _files(directory: str) -> dict[str, bytes]:
    out = {}
    for name in sorted(os.listdir(directory)):
        if name != "checkpoint":  # (it holds the absolute paths, which differ)
            with open(os.path.join(directory, name), "rb") as f:
                out[name] = f.read()
    return out


def test_sharded_files_are_tensorflows_bytes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    tf_dir, ref_dir = tmp_path / "tf", tmp_path / "ref"
    tf_dir.mkdir()
    ref_dir.mkdir()
    subprocess.run([sys.executable, "-c", TF_SCRIPT, str(tf_dir)], check=True, timeout=300)
    graph.reset_default_graph()
    build(ref, resource=True)
    saver = S.Saver(sharded=True)
    with session.Session(config=session.ConfigProto(device_count={"CPU": 2})) as sess:
        sess.run(variables.global_variables_initializer())
        saver.save(sess, str(ref_dir / "model"), write_meta_graph=False)
    theirs, ours = _files(str(tf_dir)), _files(str(ref_dir))
    assert list(ours) == list(theirs) == ["model.data-00000-of-00003", "model.data-00001-of-00003",
                                          "model.data-00002-of-00003", "model.index"]
    for name in theirs:
        assert ours[name] == theirs[name], name
    assert "checkpoint" in os.listdir(tf_dir) and "checkpoint" in os.listdir(ref_dir)
