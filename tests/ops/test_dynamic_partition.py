"""The DynamicPartition and ParallelDynamicStitch CPU kernels against TensorFlow 2.21: every
expected value and message below is what ``tf.raw_ops`` gave on TF 2.21's CPU kernels (graph
mode, inputs fed through placeholders of unknown shape so nothing was checked or folded while
building). The tests themselves run without TensorFlow.
"""

from __future__ import annotations

import numpy as np
import pytest

from reference_impl import errors
from reference_impl.kernels.registry import KernelContext, lookup_kernel


def run(op: str, inputs: list, attrs: dict | None = None) -> list:
    return lookup_kernel(op, "CPU")(KernelContext("k", op, attrs or {}, "CPU"), inputs)


def partition(data: object, partitions: object, n: int) -> list:
    return run("DynamicPartition", [np.asarray(data), np.asarray(partitions, np.int32)],
               {"num_partitions": n})


F = np.arange(1, 13, dtype=np.float32).reshape(3, 2, 2)

# (id, data, partitions, num_partitions, TF's outputs); compared by dtype, shape and bytes.
PARTITIONS = [
    ("rows", F, [1, 0, 1], 2,
     [np.array([[[5, 6], [7, 8]]], np.float32),
      np.array([[[1, 2], [3, 4]], [[9, 10], [11, 12]]], np.float32)]),
    ("elements-2d", np.arange(6, dtype=np.int64).reshape(2, 3), [[2, 0, 2], [1, 2, 0]], 3,
     [np.array([1, 5], np.int64), np.array([3], np.int64), np.array([0, 2, 4], np.int64)]),
    ("slices-of-a-2d-prefix", F, [[0, 1], [1, 1], [0, 0]], 2,
     [np.array([[1, 2], [9, 10], [11, 12]], np.float32),
      np.array([[3, 4], [5, 6], [7, 8]], np.float32)]),
    ("empty-partitions", np.array([1.5, 2.5, 3.5]), [0, 0, 3], 4,
     [np.array([1.5, 2.5]), np.zeros(0), np.zeros(0), np.array([3.5])]),
    ("scalar", np.float16(3.0), 1, 2, [np.zeros(0, np.float16), np.array([3.0], np.float16)]),
    ("scalar-partition-of-a-matrix", np.arange(4, dtype=np.int32).reshape(2, 2), 0, 1,
     [np.arange(4, dtype=np.int32).reshape(1, 2, 2)]),
    ("no-partitions", np.zeros((0, 3), np.float32), np.zeros(0), 2,
     [np.zeros((0, 3), np.float32), np.zeros((0, 3), np.float32)]),
    ("empty-slices", np.zeros((2, 0)), [1, 1], 2, [np.zeros((0, 0)), np.zeros((2, 0))]),
    ("bool", np.array([True, False, True, False]), [1, 0, 0, 1], 2,
     [np.array([False, True]), np.array([True, False])]),
    ("complex", np.array([1 + 2j, 3 - 4j], np.complex64), [1, 1], 3,
     [np.zeros(0, np.complex64), np.array([1 + 2j, 3 - 4j], np.complex64), np.zeros(0, np.complex64)]),
    # copied bit for bit: -0.0 stays negative, a NaN keeps its payload
    ("negative-zero-and-nan", np.array([-0.0, np.nan, 1.0], np.float32), [1, 1, 0], 2,
     [np.array([1.0], np.float32), np.array([-0.0, np.nan], np.float32)]),
]

# (id, data, partitions, num_partitions, TF's message)
PARTITION_ERRORS = [
    ("shape-prefix", np.zeros((2, 3)), np.zeros(3), 2,
     "data.shape must start with partitions.shape, got data.shape = [2,3], partitions.shape = [3]"),
    ("shape-rank", np.zeros(2), np.zeros((2, 1)), 2,
     "data.shape must start with partitions.shape, got data.shape = [2], partitions.shape = [2,1]"),
    ("shape-scalar-data", np.float32(1), np.zeros(1), 2,
     "data.shape must start with partitions.shape, got data.shape = [], partitions.shape = [1]"),
    ("too-large", np.zeros(3), [0, 2, 1], 2, "partitions[1] = 2 is not in [0, 2)"),
    ("negative", np.zeros((2, 2)), [[0, 1], [-1, 0]], 2, "partitions[1,0] = -1 is not in [0, 2)"),
    ("first-bad-row-major", np.zeros((2, 2)), [[0, 5], [-1, 0]], 2, "partitions[0,1] = 5 is not in [0, 2)"),
    ("scalar-bad", np.zeros(()), 2, 2, "partitions = 2 is not in [0, 2)"),
    # the range is checked even when there is nothing to copy
    ("bad-with-empty-data", np.zeros((2, 0)), [0, 9], 2, "partitions[1] = 9 is not in [0, 2)"),
    ("shape-before-range", np.zeros(2), [0, 9, 1], 2,
     "data.shape must start with partitions.shape, got data.shape = [2], partitions.shape = [3]"),
]


def _stitch(indices: list, data: list) -> list:
    return [np.asarray(i, np.int32) for i in indices] + list(data)


# (id, inputs, TF's output)
STITCHES = [
    # Duplicates: the later input wins, then the later position within it.
    ("duplicates", _stitch([[0, 1, 0], [1, 2, 1]], [np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0])]),
     np.array([3.0, 6.0, 5.0])),
    ("slices", _stitch([[[1, 0]], [2]], [np.arange(4, dtype=np.float32).reshape(1, 2, 2),
                                        np.array([[9.0, 9.0]], np.float32)]),
     np.array([[2, 3], [0, 1], [9, 9]], np.float32)),
    ("empty", _stitch([np.zeros(0)], [np.zeros((0, 2), np.int32)]), np.zeros((0, 2), np.int32)),
]

STITCH_ERRORS = [
    ("negative", _stitch([[0, -1], [1]], [np.zeros(2), np.zeros(1)]), "indices[1] is out of range"),
    ("data-shape", _stitch([[0, 1]], [np.zeros(3)]),
     "data[0].shape = [3] does not start with indices[0].shape = [2]"),
    ("slices-differ", _stitch([[0], [1]], [np.zeros((1, 2)), np.zeros((1, 3))]),
     "Need data[0].shape[1:] = data[1].shape[1:], got data[0].shape = [1,2], data[1].shape = [1,3], "
     "indices[0].shape = [1], indices[1].shape = [1]"),
]


def _same(got: np.ndarray, want: np.ndarray) -> bool:
    got, want = np.asarray(got), np.asarray(want)
    return got.dtype == want.dtype and got.shape == want.shape and got.tobytes() == want.tobytes()


@pytest.mark.parametrize("case", PARTITIONS, ids=[c[0] for c in PARTITIONS])
def test_partition_as_tensorflow(case: tuple) -> None:
    _, data, partitions, n, expected = case
    outputs = partition(data, partitions, n)
    assert len(outputs) == n
    for got, want in zip(outputs, expected):
        assert _same(got, want), (got, want)


@pytest.mark.parametrize("case", PARTITION_ERRORS, ids=[c[0] for c in PARTITION_ERRORS])
def test_partition_errors_as_tensorflow(case: tuple) -> None:
    _, data, partitions, n, message = case
    with pytest.raises(errors.InvalidArgumentError) as caught:
        partition(data, partitions, n)
    assert caught.value.message == message


def test_partition_strings() -> None:
    outputs = partition(np.array([b"a", b"b", b"c"], object), [1, 0, 1], 2)
    assert [o.tolist() for o in outputs] == [[b"b"], [b"a", b"c"]]


def test_partition_keeps_order_within_each_output() -> None:
    rng = np.random.default_rng(1234)  # (seeded here: tests run in any order)
    partitions = rng.integers(0, 5, 200).astype(np.int32)
    data = np.arange(200 * 3, dtype=np.float64).reshape(200, 3)
    outputs = partition(data, partitions, 5)
    for p, out in enumerate(outputs):
        rows = np.flatnonzero(partitions == p)
        assert out.tolist() == data[rows].tolist()


@pytest.mark.parametrize("case", STITCHES, ids=[c[0] for c in STITCHES])
def test_parallel_stitch_as_tensorflow(case: tuple) -> None:
    _, inputs, expected = case
    (out,) = run("ParallelDynamicStitch", inputs)
    assert _same(out, expected), (out, expected)


@pytest.mark.parametrize("case", STITCH_ERRORS, ids=[c[0] for c in STITCH_ERRORS])
def test_parallel_stitch_errors_as_tensorflow(case: tuple) -> None:
    _, inputs, message = case
    with pytest.raises(errors.InvalidArgumentError) as caught:
        run("ParallelDynamicStitch", inputs)
    assert caught.value.message == message


def test_parallel_stitch_strings() -> None:
    (out,) = run("ParallelDynamicStitch", _stitch([[1, 0]], [np.array([b"x", b"y"], object)]))
    assert out.tolist() == [b"y", b"x"]


def test_partition_then_stitch_is_the_identity() -> None:
    # What the gradient and embedding_lookup rely on: stitching the partitioned positions back
    # with the partitioned data gives the data again.
    partitions = np.array([2, 0, 1, 2, 0], np.int32)
    data = np.arange(10, dtype=np.float32).reshape(5, 2)
    positions = partition(np.arange(5, dtype=np.int32), partitions, 3)
    parts = partition(data, partitions, 3)
    (out,) = run("ParallelDynamicStitch", positions + parts)
    assert _same(out, data)
