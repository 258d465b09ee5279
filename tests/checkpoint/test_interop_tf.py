"""Interoperability with real TensorFlow, both directions, bit for bit.

TensorFlow runs in a subprocess: TF1 mode (``disable_v2_behavior``) is process-global and
importing tensorflow is slow, so one script does all TensorFlow-side work for the module:

1. it creates one variable per tensor of `cases()` and saves them with ``tf.train.Saver``;
2. it reads the bundle the reference wrote with ``tf.train.load_checkpoint`` and
   ``list_variables``, and restores it into its variables with ``Saver.restore``.

The tests then compare, in this process, without tensorflow.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from reference_impl.checkpoint import bundle, checkpoint_state

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("tensorflow") is None, reason="tensorflow is not installed"
)

DTYPES = ["float32", "float64", "int32", "int64", "bool"]
SHAPES = [(), (3,), (2, 3), (2, 1, 3), (1, 2, 3, 2)]


def cases() -> dict[str, np.ndarray]:
    """Variables over dtype × rank 0–4, plus empty tensors; values exercise every bit pattern
    class that matters (negatives, NaN, infinities, extremes)."""
    rng = np.random.default_rng(1234)
    out = {}
    for dtype in DTYPES:
        for shape in SHAPES:
            n = int(np.prod(shape))
            if dtype == "bool":
                a = rng.integers(0, 2, n).astype(bool)
            elif dtype.startswith("float"):
                a = (rng.standard_normal(n) * 1e3).astype(dtype)
                specials = np.array([np.nan, -np.inf, np.inf, -0.0, np.finfo(dtype).tiny], dtype)
                a[: min(n, 5)] = specials[: min(n, 5)]
            else:
                info = np.iinfo(dtype)
                a = rng.integers(info.min, info.max, n, dtype=dtype, endpoint=True)
                a[:1] = info.min
            out[f"{dtype}/rank{len(shape)}"] = a.reshape(shape)
    out["empty/float32"] = np.zeros((0,), np.float32)
    out["empty/int64_2x0x3"] = np.zeros((2, 0, 3), np.int64)
    return out


TF_SCRIPT = textwrap.dedent(
    """
    import json, os, sys
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import numpy as np
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    inputs, tf_dir, ref_prefix, out_path = sys.argv[1:5]
    arrays = dict(np.load(inputs))
    # 1. TensorFlow writes.
    variables = {k: tf.Variable(v, name=k) for k, v in arrays.items()}
    saver = tf.train.Saver(max_to_keep=3)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(4):
            saver.save(sess, os.path.join(tf_dir, "model"), global_step=step)
    # 2. TensorFlow reads what the reference wrote.
    reader = tf.train.load_checkpoint(ref_prefix)
    shape_map = reader.get_variable_to_shape_map()
    dtype_map = reader.get_variable_to_dtype_map()
    loaded = {k: reader.get_tensor(k) for k in shape_map}
    listed = tf.train.list_variables(ref_prefix)
    tf.reset_default_graph()
    fresh = {k: tf.Variable(np.zeros_like(v), name=k) for k, v in arrays.items()}
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, ref_prefix)
        restored = sess.run(fresh)
    np.savez(out_path + ".loaded.npz", **loaded)
    np.savez(out_path + ".restored.npz", **restored)
    with open(out_path + ".json", "w") as f:
        json.dump({
            "shapes": {k: list(v) for k, v in shape_map.items()},
            "dtypes": {k: v.name for k, v in dtype_map.items()},
            "listed": listed,
            "checkpoint_file": open(os.path.join(tf_dir, "checkpoint")).read(),
            "files": sorted(os.listdir(tf_dir)),
        }, f)
    """
)


@pytest.fixture(scope="module")
def tf_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("interop")
    arrays = cases()
    np.savez(root / "inputs.npz", **arrays)
    (root / "tf").mkdir()
    ref_prefix = str(root / "ref" / "model")
    os.makedirs(root / "ref")
    bundle.write_bundle(ref_prefix, sorted(arrays.items()))
    out = str(root / "out")
    proc = subprocess.run(
        [sys.executable, "-c", TF_SCRIPT, str(root / "inputs.npz"), str(root / "tf"), ref_prefix, out],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    with open(out + ".json") as f:
        meta = json.load(f)
    return {
        "root": root,
        "arrays": arrays,
        "tf_dir": str(root / "tf"),
        "ref_prefix": ref_prefix,
        "loaded": dict(np.load(out + ".loaded.npz")),
        "restored": dict(np.load(out + ".restored.npz")),
        **meta,
    }


def _same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def test_reference_reads_tf_checkpoint_bit_identical(tf_run):
    r = bundle.BundleReader(os.path.join(tf_run["tf_dir"], "model-3"))
    assert r.keys() == sorted(tf_run["arrays"])
    for k, expected in tf_run["arrays"].items():
        assert _same_bits(r.read(k), expected), k


def test_reference_writes_tf_bytes_exactly(tf_run):
    tf_prefix = os.path.join(tf_run["tf_dir"], "model-3")
    for suffix in (".index", ".data-00000-of-00001"):
        with open(tf_prefix + suffix, "rb") as a, open(tf_run["ref_prefix"] + suffix, "rb") as b:
            assert a.read() == b.read(), suffix


def test_tf_load_checkpoint_reads_reference_bit_identical(tf_run):
    arrays = tf_run["arrays"]
    assert sorted(tf_run["loaded"]) == sorted(arrays)
    for k, expected in arrays.items():
        assert _same_bits(tf_run["loaded"][k], expected), k
        assert tf_run["shapes"][k] == list(expected.shape)
        assert tf_run["dtypes"][k] == expected.dtype.name
    assert tf_run["listed"] == [[k, list(arrays[k].shape)] for k in sorted(arrays)]


def test_tf_saver_restores_reference_bit_identical(tf_run):
    for k, expected in tf_run["arrays"].items():
        assert _same_bits(tf_run["restored"][k], expected), k


def test_tf_file_set_and_checkpoint_file(tf_run):
    d = tf_run["tf_dir"]
    # max_to_keep=3 after steps 0..3: step 0 is deleted, its three files with it.
    assert tf_run["files"] == ["checkpoint"] + [
        f"model-{i}{s}" for i in (1, 2, 3) for s in (".data-00000-of-00001", ".index", ".meta")
    ]
    state = checkpoint_state.from_text(tf_run["checkpoint_file"])
    assert state.model_checkpoint_path == f"{d}/model-3"
    assert state.all_model_checkpoint_paths == [f"{d}/model-{i}" for i in (1, 2, 3)]
    assert checkpoint_state.to_text(state) == tf_run["checkpoint_file"]
