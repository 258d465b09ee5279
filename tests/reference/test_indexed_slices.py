"""tf.IndexedSlices in the reference: conversion, fetching, and how the harness describes one."""

from __future__ import annotations

import pytest

import reference_impl.compat.v1 as tf
from conformance.observe import Recorder, api_kind
from reference_impl.indexed_slices import IndexedSlicesValue
from reports.format import observation_text


@pytest.fixture(autouse=True)
def fresh_graph() -> None:
    tf.reset_default_graph()


def test_an_op_converts_slices_with_an_unsorted_segment_sum_named_after_its_input() -> None:
    slices = tf.IndexedSlices(tf.constant([[1.0, 2.0], [3.0, 4.0]]), tf.constant([2, 2]), tf.constant([3, 2]))
    doubled = tf.multiply(slices, 2.0)
    converted = doubled.op.inputs[0]
    assert converted.op.type == "UnsortedSegmentSum" and converted.op.name == "Mul/x"
    with tf.Session() as sess:
        assert sess.run(doubled).tolist() == [[0, 0], [0, 0], [8, 12]]


def test_a_session_fetches_slices_as_an_indexed_slices_value() -> None:
    no_shape = tf.IndexedSlices(tf.constant([1.0]), tf.constant([0]))
    with tf.Session() as sess:
        value = sess.run({"s": no_shape})["s"]
    assert isinstance(value, IndexedSlicesValue)
    assert value.values.tolist() == [1.0] and value.indices.tolist() == [0] and value.dense_shape is None


def test_conversion_refuses_slices_without_a_dense_shape_or_of_another_type() -> None:
    slices = tf.IndexedSlices(tf.constant([1.0]), tf.constant([0]))
    with pytest.raises(ValueError, match="without dense_shape"):
        tf.convert_to_tensor(slices)
    with pytest.raises(ValueError, match="Incompatible tensor conversion requested to `dtype` int32"):
        tf.convert_to_tensor(tf.IndexedSlices(slices.values, slices.indices, tf.constant([1])), dtype=tf.int32)


def test_gather_gradients_aggregate_by_concatenation() -> None:
    v = tf.Variable([[1.0], [2.0], [3.0]])
    loss = tf.reduce_sum(tf.gather(v, [1, 1])) + tf.reduce_sum(tf.gather(v, tf.constant([0], tf.int64)))
    grad, = tf.gradients(loss, v)
    assert isinstance(grad, tf.IndexedSlices) and grad.indices.dtype == tf.int64
    assert grad.values.op.type == "ConcatV2"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(tf.convert_to_tensor(grad)).tolist() == [[1.0], [2.0], [0.0]]


def test_the_harness_describes_slices_by_their_three_tensors() -> None:
    slices = tf.IndexedSlices(tf.constant([1.0], name="vals"), tf.constant([0], name="rows"))
    assert api_kind(slices) == "indexed_slices"
    described = Recorder().describe(slices)
    assert described["name"] == "vals:0" and described["indices"]["name"] == "rows:0"
    assert described["dense_shape"] == {"kind": "scalar", "type": "none", "value": None}
    assert observation_text(described).startswith("<IndexedSlices values=<tf.Tensor 'vals:0'")
