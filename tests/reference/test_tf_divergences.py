"""Divergences from TensorFlow 2.21 found by the differential fuzzer and the quirk scenarios,
pinned with the values TF 2.21 (tf.compat.v1, graph mode) was observed to give."""

from __future__ import annotations

import pytest

import reference_impl.compat.v1 as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield


def _ops() -> list[tuple[str, str]]:
    return [(o.name, o.type) for o in tf.get_default_graph().get_operations()]


def test_pad_empty_paddings_converted_twice():
    x = tf.constant(0.0)
    with pytest.raises(ValueError) as e:
        tf.pad(x, [])
    assert str(e.value) == (
        "Shape must be rank 2 but is rank 1 for '{{node Pad}} = Pad[T=DT_FLOAT, "
        "Tpaddings=DT_INT32](Const, Pad/paddings_1)' with input shapes: [], [0].")
    g = tf.get_default_graph()
    assert [o.name for o in g.get_operations()] == ["Const", "Pad/paddings", "Pad/paddings_1"]
    assert g.get_operation_by_name("Pad/paddings").get_attr("dtype") == tf.float32
    assert g.get_operation_by_name("Pad/paddings_1").get_attr("dtype") == tf.int32


def test_pad_float_paddings_converted_twice_then_refused():
    with pytest.raises(TypeError, match="^Value passed to parameter 'paddings' has DataType "
                       "float32 not in list of allowed values: int32, int64$"):
        tf.pad(tf.constant([0.0]), [[0.5, 0]])
    assert [n for n, _ in _ops()] == ["Const", "Pad/paddings", "Pad/paddings_1"]


def test_reduce_empty_axis_and_rank2_axis():
    s = tf.reduce_sum(tf.constant([1.0]), axis=[])
    assert s.shape.as_list() == [1]
    assert [n for n, _ in _ops()] == ["Const", "Sum/reduction_indices",
                                       "Sum/reduction_indices_1", "Sum"]
    tf.reset_default_graph()
    with pytest.raises(ValueError) as e:
        tf.reduce_sum(tf.constant([1.0]), axis=[[]])
    assert str(e.value) == (
        "Shape must be at most rank 1 but is rank 2 for '{{node Sum}} = Sum[T=DT_FLOAT, "
        "Tidx=DT_INT32, keep_dims=false](Const, Sum/reduction_indices_1)' with input shapes: "
        "[1], [1,0].")


def test_reshape_empty_shape_converted_twice():
    tf.reshape(tf.constant([0.0]), [])
    assert [n for n, _ in _ops()] == ["Const", "Reshape/shape", "Reshape/shape_1", "Reshape"]


def test_reduce_of_scalar_builds_rank_and_range():
    tf.reduce_sum(tf.constant(1.0))
    after = tf.constant(2.0)
    assert after.name == "Const_1:0"
    assert _ops() == [("Const", "Const"), ("Rank", "Const"), ("range/start", "Const"),
                      ("range/delta", "Const"), ("range", "Range"), ("Sum", "Sum"),
                      ("Const_1", "Const")]
    tf.reset_default_graph()
    tf.reduce_sum(tf.placeholder(tf.float32))
    assert _ops() == [("Placeholder", "Placeholder"), ("Rank", "Rank"), ("range/start", "Const"),
                      ("range/delta", "Const"), ("range", "Range"), ("Sum", "Sum")]
    with tf.Session() as sess:
        assert sess.run("Sum:0", {"Placeholder:0": [[1.0, 2.0]]}) == 3.0
