"""Lists holding tensors, converted as TensorFlow 2.21 converts them (TF1 behaviour): a Pack per
list, constants named by position; lists without tensors stay one Const."""

from __future__ import annotations

import numpy as np
import pytest

import reference_impl.compat.v1 as tf
from reference_impl.autopacking import nested_dtype


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield


def test_a_list_of_plain_values_has_no_tensor_type_and_stays_a_constant():
    assert nested_dtype([1.0, [2, np.float32(3)], np.zeros(2), "a"]) is None
    c = tf.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]])
    assert c.op.type == "Const" and c.name == "Const:0"


def test_the_first_tensor_found_depth_first_gives_the_type():
    i = tf.constant(1)
    f = tf.constant(1.0)
    assert nested_dtype([[2, [i]], f]) == tf.int32


def test_a_deeply_nested_tensor_packs_every_list_above_it():
    t = tf.constant(2.0, name="t")
    packed = tf.convert_to_tensor([[[t]], [[1.0]]], name="deep")
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert names == ["t", "deep/0/0", "deep/0", "deep/1_1", "deep"]
    assert packed.shape.as_list() == [2, 1, 1]
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(packed), [[[2.0]], [[1.0]]])


def test_a_preferred_type_casts_the_tensors_and_falls_back_to_their_own():
    i = tf.constant(3, name="i")
    # a binary op prefers its first operand's type for the second
    total = tf.constant(1.5) + [i, 2]
    assert [t.op.type for t in total.op.inputs[1].op.inputs] == ["Cast", "Const"]
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(total), [4.5, 3.5])
    # "x" is neither a float32 nor an int32: the second try's message
    with pytest.raises(TypeError, match="^Expected int32, but got x of type 'str'.$"):
        tf.convert_to_tensor([i, "x"], preferred_dtype=tf.float32)
    assert [op.type for op in tf.get_default_graph().get_operations()][-1] == "Cast"
