"""What the reference knows of a tensor while building, and the kept-dims shape of reductions
(TF's ``math_ops.reduced_shape``) that their gradients reshape to: numpy where Python's
``constant_value`` knows the shape and the axes, a DynamicStitch graph otherwise."""

from __future__ import annotations

import numpy as np
import pytest

import reference_impl.compat.v1 as tf
from reference_impl.constant_folding import constant_value, evaluate
from reference_impl.reduction_ops import reduced_shape


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield


def test_known_shape_and_axes_give_a_numpy_array_negative_axes_too():
    kept = reduced_shape(tf.shape(tf.zeros([2, 3, 4])), [-1, 0])
    assert isinstance(kept, np.ndarray) and kept.tolist() == [1, 3, 1]
    assert tf.get_default_graph().get_operations()[-1].type == "Const"  # only tf.shape's


def test_a_shape_known_only_when_run_gives_a_dynamic_stitch_with_tf_names():
    x = tf.placeholder(tf.float32, [None, 3])
    kept = reduced_shape(tf.shape(x), tf.constant(1))
    assert kept.op.type == "DynamicStitch"
    assert kept.shape.as_list() == [2]  # the indices are known while building: range(2) and 1
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert names == ["Placeholder", "Shape", "Const", "Size", "add", "mod", "Shape_1", "range/start",
                     "range/delta", "range", "ones/Const", "ones", "DynamicStitch"]
    with tf.Session() as sess:
        assert sess.run(kept, {x: np.zeros((5, 3), np.float32)}).tolist() == [5, 1]


def test_python_constant_value_reads_static_shapes_but_not_packs_along_other_axes():
    x = tf.zeros([2, 3])
    assert constant_value(tf.size(tf.placeholder(tf.float32, [2, 2]))).item() == 4
    assert constant_value(tf.stack([tf.constant(1), tf.constant(2)])).tolist() == [1, 2]
    assert constant_value(tf.stack([tf.constant([1]), tf.constant([2])], axis=1)) is None
    assert constant_value(tf.fill(tf.shape(x), 7)).tolist() == [[7, 7, 7], [7, 7, 7]]
    assert constant_value(tf.constant(1) + 1) is None  # (Python's stops at arithmetic)
    assert evaluate(tf.constant(1) + 1).item() == 2  # (the shape refiner's does not)


def test_evaluation_goes_through_tensors_of_unknown_shape():
    # TF's refiner computes a ListDiff (its output's length unknown) inside a larger expression
    out, _ = tf.setdiff1d(tf.range(4), tf.constant([1, 3]))
    assert out.shape.as_list() == [None]
    assert evaluate(tf.reduce_prod(out + 1)).item() == 3


def test_an_axis_computed_while_building_gives_static_shapes_and_errors():
    x = tf.zeros([2, 3])
    one = tf.constant(1) + 0
    assert tf.reduce_sum(x, one).shape.as_list() == [2]
    assert tf.concat([x, x], one).shape.as_list() == [2, 6]
    assert tf.expand_dims(x, one).shape.as_list() == [2, 1, 3]
    with pytest.raises(ValueError, match=r"computed input tensors: input\[1\] = <6>"):
        tf.reduce_sum(x, one + 5)


def test_an_attr_without_default_keeps_the_first_conversion_of_an_empty_list():
    with pytest.raises(TypeError, match="indices' has DataType float32"):
        tf.gather(tf.zeros([2]), [])
