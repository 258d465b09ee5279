"""The reference's ``.meta`` holds the GraphDef TensorFlow writes for the same program: every node,
in creation order, with its inputs, device and attrs (colocation groups, control-dependency
marks, constants as TF encodes them), for training graphs with gradients that broadcast, Adam,
an ExponentialMovingAverage (its guarded initial values) and a Saver. TensorFlow runs in a
subprocess (TF1 mode is process-global); so does the reference, on the same script."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reference_impl.checkpoint.messages import MetaGraphDef

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("tensorflow") is None, reason="tensorflow is not installed")

ROOT = Path(__file__).resolve().parent.parent.parent

HEADER = textwrap.dedent("""
    import os, sys
    which, out = sys.argv[1:3]
    if which == "tensorflow":
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
    else:
        import reference_impl.compat.v1 as tf
""")

PROGRAMS = {
    "gradient-descent": """
        v = tf.Variable([1.0, 2.0], name="v")
        w = tf.get_variable("w", [2, 3])
        loss = tf.reduce_sum(v * v) + tf.reduce_sum(w)
        step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    """,
    "adam-ema-broadcast": """
        with tf.device("/cpu:0"):
            v = tf.Variable([1.0, 2.0], name="v")
        w = tf.get_variable("w", [2, 3])
        loss = tf.reduce_sum(v * v) + tf.reduce_sum(w * 3.0) + tf.reduce_sum(w - [1.0, 2.0, 3.0])
        global_step = tf.Variable(0, name="global_step", trainable=False)
        step = tf.train.AdamOptimizer(0.1).minimize(loss, global_step=global_step)
        with tf.control_dependencies([step]):
            step = tf.train.ExponentialMovingAverage(0.9).apply([v, w])
        big = tf.Variable(tf.zeros([40, 30]) + tf.reduce_sum(v), name="big")
    """,
}

FOOTER = textwrap.dedent("""
    saver = tf.train.Saver()
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(step)
        saver.save(s, os.path.join(out, "model"))
""")


def graph_def(implementation: str, program: str, out: Path):
    out.mkdir()
    script = HEADER + textwrap.dedent(program) + FOOTER
    done = subprocess.run([sys.executable, "-c", script, implementation, str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return MetaGraphDef.decode((out / "model.meta").read_bytes()).graph_def


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_the_graph_def_is_tensorflows(tmp_path, name):
    ours = graph_def("reference", PROGRAMS[name], tmp_path / "reference")
    theirs = graph_def("tensorflow", PROGRAMS[name], tmp_path / "tensorflow")
    assert [n.name for n in ours.node] == [n.name for n in theirs.node]
    differing = [(a.name, a, b) for a, b in zip(ours.node, theirs.node) if a != b]
    assert not differing, differing[:3]
