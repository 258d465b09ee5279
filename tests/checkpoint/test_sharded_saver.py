"""Sharded checkpoints in the reference: MergeBundles (``checkpoint/merge.py``), the sharded
Saver's files and graph, ``reshape=True``, and the multi-CPU sessions they need. Expected
behaviour is TensorFlow 2.21's (probed in TF1 mode; spec/saver/sharded.yaml holds the same
behaviours as scenarios)."""

from __future__ import annotations

import os

import numpy as np
import pytest

from reference_impl import errors, graph, session, variables
from reference_impl.checkpoint import bundle, merge
from reference_impl.compat import v1 as tf
from reference_impl.train import saver as S


@pytest.fixture(autouse=True)
def fresh_graph():  # type: ignore[no-untyped-def]
    graph.reset_default_graph()
    yield
    graph.reset_default_graph()


def _bundle(prefix: str, tensors: dict) -> None:
    os.makedirs(os.path.dirname(prefix), exist_ok=True)
    bundle.write_bundle(prefix, tensors)


def test_merge_renumbers_data_files_and_sorts_entries(tmp_path) -> None:  # type: ignore[no-untyped-def]
    first, second = str(tmp_path / "t" / "part-0"), str(tmp_path / "t" / "part-1")
    _bundle(first, {"z": np.float32(1.0), "b": np.arange(3, dtype=np.int64)})
    _bundle(second, {"a": np.array([b"x", b"yz"], object)})
    merged = str(tmp_path / "model")
    merge.merge_bundles([first, second], merged)
    assert sorted(os.listdir(tmp_path)) == ["model.data-00000-of-00002", "model.data-00001-of-00002",
                                            "model.index", "t"]
    assert os.listdir(tmp_path / "t") == []  # the inputs' indexes are deleted, their data moved
    reader = bundle.BundleReader(merged)
    assert reader.header.num_shards == 2
    assert reader.keys() == ["a", "b", "z"]
    assert [reader.entry(k).shard_id for k in ("a", "b", "z")] == [1, 0, 0]
    assert reader.read("a").tolist() == [b"x", b"yz"]
    assert reader.read("b").tolist() == [0, 1, 2]


def test_merge_refuses_duplicates_and_missing_inputs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    _bundle(a, {"v": np.float32(1.0)})
    _bundle(b, {"v": np.float32(2.0)})
    with pytest.raises(bundle.BundleError, match=f"Duplicate tensor keyed by v encountered, when merging prefix: {b}"):
        merge.merge_bundles([a, b], str(tmp_path / "m"))
    missing = str(tmp_path / "gone")
    with pytest.raises(bundle.BundleError, match="allow_missing_files was set to false and .*gone did not exist"):
        merge.merge_bundles([a, missing], str(tmp_path / "m"))
    with pytest.raises(bundle.BundleError, match="At least one prefix checkpoint file must exist, but none existed."):
        merge.merge_bundles([missing], str(tmp_path / "m"), allow_missing_files=True)
    merge.merge_bundles([missing, a], str(tmp_path / "m"), allow_missing_files=True)
    assert bundle.BundleReader(str(tmp_path / "m")).read("v") == np.float32(1.0)


def test_sharded_saver_leaves_no_temporary_directory(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with tf.device("/cpu:1"):
        v = variables.Variable([1.0, 2.0], name="v")
    w = variables.Variable(3, name="w")
    saver = S.Saver(sharded=True)
    config = session.ConfigProto(device_count={"CPU": 2})
    with session.Session(config=config) as sess:
        sess.run(variables.global_variables_initializer())
        prefix = saver.save(sess, str(tmp_path / "model"), write_meta_graph=False)
        sess.run([v.assign([0.0, 0.0]), w.assign(0)])
        saver.restore(sess, prefix)
        assert [np.asarray(x).tolist() for x in sess.run([v, w])] == [[1.0, 2.0], 3]
    assert prefix == str(tmp_path / "model")
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "model.data-00000-of-00002",
                                            "model.data-00001-of-00002", "model.index"]
    assert saver.saver_def.sharded


def test_reshape_restores_into_another_shape(tmp_path) -> None:  # type: ignore[no-untyped-def]
    variables.Variable(np.arange(6, dtype=np.float32).reshape(2, 3), name="v")
    with session.Session() as sess:
        sess.run(variables.global_variables_initializer())
        prefix = S.Saver().save(sess, str(tmp_path / "m"), write_meta_graph=False)
    graph.reset_default_graph()
    v = variables.Variable(np.zeros((3, 2), np.float32), name="v")
    reshaping, strict = S.Saver(reshape=True), S.Saver()
    with session.Session() as sess:
        reshaping.restore(sess, prefix)
        assert sess.run(v).tolist() == [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]
        with pytest.raises(errors.InvalidArgumentError, match=r"lhs shape= \[3,2\] rhs shape= \[2,3\]"):
            strict.restore(sess, prefix)


def test_device_count_makes_more_cpus() -> None:
    with tf.device("/cpu:1"):
        x = tf.constant(2.0) + 1.0
    with session.Session(config=session.ConfigProto(device_count={"CPU": 2})) as sess:
        assert sess.run(x) == 3.0
    with pytest.raises(errors.InvalidArgumentError) as caught, session.Session() as sess:
        sess.run(x)
    assert "available devices are [ /job:localhost/replica:0/task:0/device:CPU:0 ]" in caught.value.message
    with tf.device("/cpu:3"):
        y = tf.constant(1.0) * 2.0
    with pytest.raises(errors.InvalidArgumentError) as caught, \
            session.Session(config=session.ConfigProto(device_count={"CPU": 2})) as sess:
        sess.run(y)
    assert ("available devices are [ /job:localhost/replica:0/task:0/device:CPU:0, "
            "/job:localhost/replica:0/task:0/device:CPU:1 ]") in caught.value.message
