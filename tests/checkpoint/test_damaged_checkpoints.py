"""A checkpoint whose data file is gone, cut short or corrupted fails as TensorFlow's does: the
same error class and message from ``Saver.restore`` (RestoreV2) and from
``load_checkpoint(...).get_tensor``. Observed on TF 2.21; with TensorFlow installed the same
program runs on it too and must print the same lines."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = r'''
import os, shutil, sys
if sys.argv[1] == "tensorflow":
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import reference_impl.compat.v1 as tf
base, work = sys.argv[2], sys.argv[3]
v = tf.Variable([1.0, 2.0, 3.0], name="v")
saver = tf.train.Saver()
with tf.Session() as s:
    s.run(v.initializer)
    saver.save(s, os.path.join(base, "model"))
for damage in ("missing", "short", "empty", "flipped"):
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(base, work)
    data = os.path.join(work, "model.data-00000-of-00001")
    raw = bytearray(open(data, "rb").read())
    if damage == "missing":
        os.remove(data)
    else:
        if damage == "flipped":
            raw[3] ^= 0xFF
        open(data, "wb").write(bytes(raw[:5] if damage == "short" else b"" if damage == "empty" else raw))
    try:
        tf.train.load_checkpoint(os.path.join(work, "model")).get_tensor("v")
    except Exception as e:
        print(damage, "get_tensor", type(e).__name__, str(e).replace(work, "WORK"))
    with tf.Session() as s:
        try:
            saver.restore(s, os.path.join(work, "model"))
        except tf.errors.OpError as e:
            cause = [l for l in e.message.splitlines() if l.strip() and not l.strip().startswith("[[")][-1]
            print(damage, "restore", type(e).__name__, cause.strip().replace(work, "WORK"))
'''

EXPECTED = [
    "missing get_tensor OpError WORK/model.data-00000-of-00001; No such file or directory",
    "missing restore NotFoundError WORK/model.data-00000-of-00001; No such file or directory",
    "short get_tensor IndexError Read less bytes than requested",
    "short restore OutOfRangeError Read less bytes than requested",
    "empty get_tensor IndexError Read less bytes than requested",
    "empty restore OutOfRangeError Read less bytes than requested",
    "flipped get_tensor OpError TensorBundle at WORK/model shard 0 (12 bytes): Checksum does not match: "
    "stored 944629635 vs. calculated on the restored bytes 2951238409",
    "flipped restore DataLossError TensorBundle at WORK/model shard 0 (12 bytes): Checksum does not match: "
    "stored 944629635 vs. calculated on the restored bytes 2951238409",
]


def _probe(implementation: str, tmp_path: Path) -> list[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, implementation, str(tmp_path / "base"), str(tmp_path / "work")],
                          cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-2000:]
    return [line for line in done.stdout.splitlines() if line.split(" ", 1)[0] in ("missing", "short", "empty", "flipped")]


def test_the_reference_fails_as_tensorflow_does(tmp_path):
    assert _probe("reference", tmp_path) == EXPECTED


@pytest.mark.skipif(importlib.util.find_spec("tensorflow") is None, reason="tensorflow is not installed")
def test_tensorflow_still_fails_so(tmp_path):
    assert _probe("tensorflow", tmp_path) == EXPECTED
