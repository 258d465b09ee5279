"""A checkpoint whose data file is gone, cut short or corrupted fails as TensorFlow's does: the
same error class and message from ``Saver.restore`` (RestoreV2) and from
``load_checkpoint(...).get_tensor``. Observed on TF 2.21; with TensorFlow installed the same
program runs on it too and must print the same lines."""

from __future__ import annotations

import importlib.util
import json
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


# An index of several blocks (one key of 300,000 characters fills its own), with a byte flipped in
# one block: TensorFlow's table iterator steps over a block it cannot read, so its entries are not
# found while the others read back. In the first block (the header's, with "a" and the long key),
# the header is the first entry still readable, "c", read as a header: found, but not listed.
MULTI_BLOCK_PROBE = r'''
import os, sys
if sys.argv[1] == "tensorflow":
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import reference_impl.compat.v1 as tf
work, long = sys.argv[2], "b" * 300000
variables = [tf.Variable([1.0], name="a"), tf.Variable([2.0], name=long), tf.Variable([3.0], name="c")]
with tf.Session() as s:
    s.run(tf.global_variables_initializer())
    tf.train.Saver().save(s, os.path.join(work, "model"), write_meta_graph=False)
index = os.path.join(work, "model.index")
raw = bytearray(open(index, "rb").read())
raw[len(raw) // 2 if sys.argv[3] == "middle" else int(sys.argv[3])] ^= 0xFF
open(index, "wb").write(bytes(raw))
short = lambda text: str(text).replace(long, "LONG")
reader = tf.train.load_checkpoint(os.path.join(work, "model"))
print("map", sorted(short(k) for k in reader.get_variable_to_shape_map()))
for key in ("a", long, "c"):
    try:
        print("get_tensor", short(key), reader.get_tensor(key).tolist())
    except Exception as e:
        print("get_tensor", short(key), type(e).__name__, short(e))
for v in variables:
    with tf.Session() as s:
        try:
            tf.train.Saver([v]).restore(s, os.path.join(work, "model"))
            print("restore", short(v.op.name), s.run(v).tolist())
        except tf.errors.OpError as e:
            print("restore", short(v.op.name), type(e).__name__)
'''

MULTI_BLOCK_EXPECTED = {
    "middle": ["map ['LONG', 'a']", "get_tensor a [1.0]", "get_tensor LONG [2.0]",
               "get_tensor c NotFoundError Key c not found in checkpoint",
               "restore a [1.0]", "restore LONG [2.0]", "restore c NotFoundError"],
    "5": ["map []", "get_tensor a NotFoundError Key a not found in checkpoint",
          "get_tensor LONG NotFoundError Key LONG not found in checkpoint", "get_tensor c [3.0]",
          "restore a NotFoundError", "restore LONG NotFoundError", "restore c [3.0]"],
}


def _multi_block(implementation: str, tmp_path: Path, where: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", MULTI_BLOCK_PROBE, implementation, str(tmp_path), where], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-2000:]
    return [line for line in done.stdout.splitlines() if line.split(" ", 1)[0] in ("map", "get_tensor", "restore")]


@pytest.mark.parametrize("where", sorted(MULTI_BLOCK_EXPECTED))
def test_an_unreadable_block_of_the_index_hides_only_its_entries(tmp_path, where):
    assert _multi_block("reference", tmp_path, where) == MULTI_BLOCK_EXPECTED[where]


@pytest.mark.skipif(importlib.util.find_spec("tensorflow") is None, reason="tensorflow is not installed")
@pytest.mark.parametrize("where", sorted(MULTI_BLOCK_EXPECTED))
def test_tensorflow_still_hides_only_that_blocks_entries(tmp_path, where):
    assert _multi_block("tensorflow", tmp_path, where) == MULTI_BLOCK_EXPECTED[where]


# A .meta written by TensorFlow (its op list and colocation attrs are what the reference's own
# .meta files lack), damaged, then imported: a flipped byte in the op list fails protobuf's parse
# (the reference parses the op list it otherwise carries opaque), so the file is read as text and
# its first byte that is not UTF-8 raises; a flipped byte in a "loc:@v" colocation value fails
# later, in the importer's decoding of that value.
META_PROBE = r'''
import os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()
work = sys.argv[2]
v = tf.Variable([1.0, 2.0, 3.0], name="v")
with tf.Session() as s:
    s.run(v.initializer)
    tf.train.Saver().save(s, os.path.join(work, "model"))
data = open(os.path.join(work, "model.meta"), "rb").read()
if sys.argv[1] == "reference":
    import reference_impl.compat.v1 as tf
for name, offset in (("op-list", data.index(b"\n\x06Assign\x12") + 2), ("colocation", data.index(b"loc:@v") + 4)):
    damaged = bytearray(data)
    damaged[offset] ^= 0xFF
    path = os.path.join(work, name + ".meta")
    open(path, "wb").write(bytes(damaged))
    with tf.Graph().as_default():
        try:
            tf.train.import_meta_graph(path)
            print(name, "imported")
        except Exception as e:
            print(name, type(e).__name__, e)
'''

META_EXPECTED = [
    "op-list UnicodeDecodeError 'utf-8' codec can't decode byte 0xc1 in position 1: invalid start byte",
    "colocation UnicodeDecodeError 'utf-8' codec can't decode byte 0xbf in position 4: invalid start byte",
]


@pytest.mark.skipif(importlib.util.find_spec("tensorflow") is None, reason="needs a .meta file TensorFlow wrote")
@pytest.mark.parametrize("implementation", ["reference", "tensorflow"])
def test_a_damaged_meta_graph_from_tensorflow_fails_as_in_tensorflow(tmp_path, implementation):
    done = subprocess.run([sys.executable, "-c", META_PROBE, implementation, str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-2000:]
    assert [l for l in done.stdout.splitlines() if l.split(" ", 1)[0] in ("op-list", "colocation")] == META_EXPECTED


def test_an_op_list_that_does_not_parse_fails_the_binary_parse(tmp_path):
    from reference_impl.checkpoint.messages import MetaGraphDef, MetaInfoDef, OpDef, OpList
    from reference_impl.train.saver import _read_meta_graph

    ops = OpList(op=[OpDef(name="Assign")]).encode()
    meta = MetaGraphDef(meta_info_def=MetaInfoDef(stripped_op_list=ops)).encode()
    path = tmp_path / "m.meta"
    path.write_bytes(meta)
    assert _read_meta_graph(str(path)).meta_info_def.stripped_op_list == ops
    path.write_bytes(meta.replace(b"Assign", b"\xbessign"))
    with pytest.raises(UnicodeDecodeError):
        _read_meta_graph(str(path))


# Every byte of a file TensorFlow wrote flipped in turn, and the file cut at every length, then
# read on TensorFlow and on the reference: the same values or the same errors, each time. A probe
# is the implementation's import, what TensorFlow writes (once, into BASE) and how to read it
# (`outcome(directory)`), then the damage loop over its FILES.
_SWEEP_IMPORT = r'''
import json, os, shutil, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
implementation, base, work = sys.argv[1:4]
if implementation == "tensorflow":
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import reference_impl.compat.v1 as tf
'''

_SWEEP_LOOP = r'''
results = {}
for file in FILES:
    data = open(os.path.join(base, file), "rb").read()
    for how, k in [("flip", k) for k in range(len(data))] + [("cut", k) for k in range(len(data))]:
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(base, work)
        damaged = bytearray(data)
        if how == "flip":
            damaged[k] ^= 0xFF
        else:
            del damaged[k:]
        open(os.path.join(work, file), "wb").write(bytes(damaged))
        results[f"{file} {how} {k}"] = [line.replace(work, "WORK") for line in outcome(work)]
print(json.dumps(results))
'''

# The bundle (a float32, an int64, a bool and a string tensor): restored by a Saver in a session,
# and read by load_checkpoint.
BUNDLE_SWEEP_PROBE = _SWEEP_IMPORT + r'''
FILES = ("model.index", "model.data-00000-of-00001")
names = ("f", "i", "b", "s")
if not os.path.exists(base):
    values = [[1.5, -2.0], tf.constant([7, -8], tf.int64), [True, False], ["ab", "", "xyz"]]
    variables = [tf.Variable(v, name=n) for v, n in zip(values, names)]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        tf.train.Saver().save(s, os.path.join(base, "model"), write_meta_graph=False)
    tf.reset_default_graph()
restored = [tf.Variable([0.0, 0.0], name="f"), tf.Variable(tf.constant([0, 0], tf.int64), name="i"),
            tf.Variable([False, False], name="b"), tf.Variable(["", "", ""], name="s")]
saver = tf.train.Saver()

def restore(prefix):
    with tf.Session() as s:
        try:
            saver.restore(s, prefix)
        except tf.errors.OpError as e:  # (its last line: the cause, under TF's own wrapping)
            cause = [l for l in e.message.splitlines() if l.strip() and not l.strip().startswith("[[")][-1]
            return f"restore {type(e).__name__} {cause.strip()}"
        return f"restore {[v.tolist() for v in s.run(restored)]!r}"

def outcome(directory):
    prefix = os.path.join(directory, "model")
    found = [restore(prefix)]
    try:
        reader = tf.train.load_checkpoint(prefix)
    except Exception as e:
        return found + [f"load {type(e).__name__} {e}"]
    for n in names:
        try:
            found.append(f"{n} {reader.get_tensor(n).tolist()!r}")
        except Exception as e:
            found.append(f"{n} {type(e).__name__} {e}")
    return found
''' + _SWEEP_LOOP

# The `checkpoint` state file (text format) after two saves: latest_checkpoint and get_checkpoint_state.
STATE_SWEEP_PROBE = _SWEEP_IMPORT + r'''
FILES = ("checkpoint",)
if not os.path.exists(base):
    v = tf.Variable([1.0], name="v")
    saver = tf.train.Saver(max_to_keep=3)
    with tf.Session() as s:
        s.run(v.initializer)
        for step in (1, 2):
            saver.save(s, os.path.join(base, "model"), global_step=step, write_meta_graph=False)

def outcome(directory):
    found = []
    for read in (tf.train.latest_checkpoint, tf.train.get_checkpoint_state):
        try:
            state = read(directory)
            if state is not None and not isinstance(state, str):
                state = [state.model_checkpoint_path, list(state.all_model_checkpoint_paths)]
            found.append(repr(state))
        except Exception as e:
            found.append(f"{type(e).__name__} {e}")
    return found
''' + _SWEEP_LOOP


def _sweep(probe: str, implementation: str, tmp_path: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", probe, implementation, str(tmp_path / "base"),
                           str(tmp_path / implementation)], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(importlib.util.find_spec("tensorflow") is None, reason="needs TensorFlow to compare with")
@pytest.mark.parametrize("probe, at_least", [(BUNDLE_SWEEP_PROBE, 400), (STATE_SWEEP_PROBE, 200)], ids=["bundle", "state"])
def test_every_flipped_byte_and_every_cut_reads_as_in_tensorflow(tmp_path, probe, at_least):
    expected = _sweep(probe, "tensorflow", tmp_path)  # (TensorFlow writes the files both read)
    observed = _sweep(probe, "reference", tmp_path)
    assert len(expected) > at_least
    differing = [f"{k}: TF {expected[k]} / reference {observed.get(k)}" for k in expected if observed.get(k) != expected[k]]
    assert not differing, "\n".join(differing[:5])
