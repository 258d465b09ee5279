"""Saver-level interop with real TensorFlow (run in a subprocess): a reference Saver's
checkpoint and ``.meta`` are imported and restored by TensorFlow, and TensorFlow's are
imported and restored by the reference, values bit-identical."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("tensorflow") is None, reason="tensorflow is not installed")
pytest.importorskip("reference_impl.session")

from reference_impl import graph, session, variables  # noqa: E402
from reference_impl.train import saver as S  # noqa: E402

VALUES = {
    "f32": np.array([[1.5, -0.0, np.inf]], np.float32),
    "f64": np.float64(np.pi),
    "i32": np.arange(24, dtype=np.int32).reshape(2, 3, 4),
    "i64": np.array([np.iinfo(np.int64).min, 5], np.int64),
    "flags": np.array([[[[True, False]]]]),
    "empty": np.zeros((0, 2), np.float32),
}

TF_SCRIPT = textwrap.dedent(
    """
    import json, os, sys
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import numpy as np
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    ref_prefix, tf_dir, out = sys.argv[1:4]
    saver = tf.train.import_meta_graph(ref_prefix + ".meta")
    with tf.Session() as sess:
        saver.restore(sess, ref_prefix)
        names = [v.op.name for v in tf.global_variables()]
        values = dict(zip(names, sess.run(tf.global_variables())))
        doubled = sess.run(tf.get_default_graph().get_tensor_by_name("f64/read:0") * 2)
    tf.reset_default_graph()
    vs = [tf.Variable(v, name=k) for k, v in np.load(out + ".in.npz").items()]
    s = tf.train.Saver(max_to_keep=None)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for i in range(3):
            s.save(sess, os.path.join(tf_dir, "tfmodel"), global_step=i)
    np.savez(out + ".npz", **values)
    json.dump({"names": names, "doubled": float(doubled),
               "files": sorted(os.listdir(tf_dir)),
               "checkpoint": open(os.path.join(tf_dir, "checkpoint")).read()}, open(out, "w"))
    """
)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("saver_interop")
    graph.reset_default_graph()
    for k, v in VALUES.items():
        variables.Variable(v, name=k)
    sess = session.Session()
    sess.run(variables.global_variables_initializer())
    ref_prefix = S.Saver().save(sess, f"{root}/ref/model", global_step=1)
    graph.reset_default_graph()
    (root / "tf").mkdir()
    np.savez(f"{root}/out.in.npz", **VALUES)
    proc = subprocess.run([sys.executable, "-c", TF_SCRIPT, ref_prefix, str(root / "tf"),
                           str(root / "out")], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return {"root": root, "tf_dir": str(root / "tf"), **json.loads((root / "out").read_text()),
            "values": dict(np.load(f"{root}/out.npz"))}


def _same_bits(a, b) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def test_tf_imports_reference_meta_and_restores_bit_identical(run):
    assert run["names"] == list(VALUES)  # the variables collection, in creation order
    for k, v in VALUES.items():
        assert _same_bits(run["values"][k], v), k
    assert run["doubled"] == 2 * np.pi  # TF adds ops on top of the imported graph


def test_tf_max_to_keep_none_keeps_every_file_and_lists_only_latest(run):
    d = run["tf_dir"]
    assert run["files"] == ["checkpoint"] + [
        f"tfmodel-{i}{s}" for i in range(3) for s in (".data-00000-of-00001", ".index", ".meta")]
    assert run["checkpoint"] == (f'model_checkpoint_path: "{d}/tfmodel-2"\n'
                                 f'all_model_checkpoint_paths: "{d}/tfmodel-2"\n')


def test_reference_imports_tf_meta_and_restores_bit_identical(run):
    graph.reset_default_graph()
    try:
        sv = S.import_meta_graph(f"{run['tf_dir']}/tfmodel-2.meta")
        sess = session.Session()
        sv.restore(sess, S.latest_checkpoint(run["tf_dir"]))
        got = sess.run({k: f"{k}:0" for k in VALUES})
        for k, v in VALUES.items():
            assert _same_bits(got[k], v), k
        assert [v.op.name for v in variables.global_variables()] == list(VALUES)
        y = graph.get_default_graph().get_tensor_by_name("f32/read:0") * 2.0
        assert sess.run(y).tolist() == [[3.0, -0.0, np.inf]]
    finally:
        graph.reset_default_graph()


RESOURCE_TF_SCRIPT = textwrap.dedent(
    """
    import json, os, sys
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import numpy as np
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    ref_prefix, tf_dir, out = sys.argv[1:4]
    given = dict(np.load(out + ".in.npz"))
    # The reference's .meta, imported: its saver restores resource variables.
    saver = tf.train.import_meta_graph(ref_prefix + ".meta")
    with tf.Session() as sess:
        saver.restore(sess, ref_prefix)
        vs = tf.global_variables()
        values = dict(zip([v.op.name for v in vs], sess.run(vs)))
        kinds = sorted({v.op.type for v in vs})
    tf.reset_default_graph()
    # TF's own resource variables, restored by TF's Saver from the reference's checkpoint.
    mine = {k: tf.get_variable(k, initializer=np.zeros_like(v), use_resource=True)
            for k, v in given.items()}
    s = tf.train.Saver()
    with tf.Session() as sess:
        s.restore(sess, ref_prefix)
        again = sess.run(mine)
        sess.run([v.assign(given[k]) for k, v in mine.items()])
        s.save(sess, os.path.join(tf_dir, "tfres"))
    np.savez(out + ".npz", **values)
    np.savez(out + ".again.npz", **again)
    json.dump({"kinds": kinds}, open(out, "w"))
    """
)


def test_resource_variables_cross_both_ways_bit_identical(tmp_path):
    from reference_impl import variable_scope as vs

    graph.reset_default_graph()
    try:
        for k, v in VALUES.items():
            vs.get_variable(k, initializer=v, use_resource=True)
        sess = session.Session()
        sess.run(variables.global_variables_initializer())
        ref_prefix = S.Saver().save(sess, f"{tmp_path}/ref/model")
        (tmp_path / "tf").mkdir()
        np.savez(f"{tmp_path}/out.in.npz", **VALUES)
        proc = subprocess.run([sys.executable, "-c", RESOURCE_TF_SCRIPT, ref_prefix,
                               str(tmp_path / "tf"), str(tmp_path / "out")],
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-4000:]
        assert json.loads((tmp_path / "out").read_text())["kinds"] == ["VarHandleOp"]
        for name in ("out.npz", "out.again.npz"):
            got = dict(np.load(tmp_path / name))
            for k, v in VALUES.items():
                assert _same_bits(got[k], v), (name, k)
        # TF's checkpoint of resource variables, restored into the reference's.
        graph.reset_default_graph()
        mine = {k: vs.get_variable(k, initializer=np.zeros_like(v), use_resource=True)
                for k, v in VALUES.items()}
        saver = S.Saver()
        sess = session.Session()
        saver.restore(sess, f"{tmp_path}/tf/tfres")
        got = sess.run(mine)
        for k, v in VALUES.items():
            assert _same_bits(got[k], v), k
    finally:
        graph.reset_default_graph()
