"""The UnsortedSegmentSum CPU kernel against TensorFlow 2.21: every expected value and message
below is what TF 2.21's CPU kernel gave (graph mode, inputs fed through placeholders so nothing
was constant-folded). The tests run without TensorFlow."""

from __future__ import annotations

import numpy as np
import pytest

from reference_impl import errors
from reference_impl.kernels.registry import KernelContext, lookup_kernel


def run(inputs: list) -> np.ndarray:
    op = "UnsortedSegmentSum"
    return lookup_kernel(op, "CPU")(KernelContext("k", op, {}, "CPU"), inputs)[0]


X = np.array([[1, 2], [3, 4], [5, 6]], np.float32)


def test_rows_are_added_into_their_segments_and_negative_ids_are_dropped() -> None:
    out = run([X, np.array([0, 2, 0], np.int32), np.int32(3)])
    assert out.dtype == np.float32 and out.tolist() == [[6, 8], [0, 0], [3, 4]]
    out = run([X, np.array([-1, 1, 1], np.int64), np.int64(4)])
    assert out.tolist() == [[0, 0], [8, 10], [0, 0], [0, 0]]


def test_ids_of_several_dimensions_sum_single_elements() -> None:
    out = run([X, np.array([[0, 1], [1, 0], [2, 2]], np.int32), np.int32(3)])
    assert out.shape == (3,) and out.tolist() == [5, 5, 11]


def test_each_segment_adds_in_the_order_of_its_rows_positions() -> None:
    x = np.array([1e8, 3, 3, 3, 3, 3, 3, 1e8, -0.0, -0.0], np.float32)
    out = run([x, np.array([0, 0, 0, 0, 1, 1, 1, 1, 2, 2], np.int32), np.int32(4)])
    assert out.tolist() == [1e8, 100000008.0, 0.0, 0.0]
    assert not np.signbit(out[2])  # (+0.0 to start, as TF's output is zeroed)


@pytest.mark.parametrize("ids, count, message", [
    ([[0, 1], [1, 3], [2, 0]], 3, "segment_ids[1,1] = 3 is out of range [0, 3)"),
    ([0, 1, 1], -1, "Input num_segments == -1 must not be negative."),
    ([0, 1, 1], [3], "num_segments should be a scalar, not shape [1]"),
    ([0, 1], 3, "data.shape = [3,2] does not start with segment_ids.shape = [2]"),
    ([0, 1, 1], 0, "segment_ids[0] = 0 is out of range [0, 0)"),
])
def test_tensorflow_s_checks_and_messages(ids: list, count: object, message: str) -> None:
    with pytest.raises(errors.InvalidArgumentError) as raised:
        run([X, np.array(ids, np.int32), np.array(count, np.int32)])
    assert raised.value.message == message


def test_no_id_is_checked_when_there_is_no_data() -> None:
    out = run([np.zeros((3, 0), np.float32), np.array([7, -9, 1], np.int32), np.int32(2)])
    assert out.shape == (2, 0)
