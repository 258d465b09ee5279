"""The GPU kernels of DynamicPartition and ParallelDynamicStitch against their CPU kernels (which
tests/ops/test_dynamic_partition.py checks against TensorFlow), and DynamicPartition's GPU
behaviour on partitions out of range, which follows TF's GPU kernel (it checks none: see
reference_impl/kernels/cuda/partition.py) where the CPU kernel fails."""

from __future__ import annotations

import numpy as np
import pytest

from reference_impl import dtypes, errors
from reference_impl.kernels.registry import KernelContext, lookup_kernel, supports

from cuda_helpers import assert_same_bits, host

pytestmark = pytest.mark.usefixtures("gpu")


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20250611)  # (a generator per test: tests run in any order)


def _attrs(n: int) -> dict:
    return {"num_partitions": n}


def _gpu_partition(data: np.ndarray, partitions: list, n: int) -> list:
    ctx = KernelContext("p", "DynamicPartition", _attrs(n), "GPU")
    outs = lookup_kernel("DynamicPartition", "GPU")(ctx, [data, np.array(partitions, np.int32)])
    return [host(o) for o in outs]


@pytest.mark.parametrize("dt", [np.float32, np.float64, np.float16, np.int32, np.int64, np.complex64,
                                np.complex128])
def test_partition_matches_the_cpu(dt: type, rng: np.random.Generator) -> None:
    data = (rng.standard_normal((6, 2, 3)) * 8).astype(dt)
    for partitions, n in [(rng.integers(0, 3, 6), 3), (rng.integers(0, 4, (6, 2)), 4),
                          (np.zeros(6), 1), (np.full(6, 2), 4)]:
        assert_same_bits("DynamicPartition", [data, partitions.astype(np.int32)], _attrs(n))
    assert_same_bits("DynamicPartition", [data[0, 0, 0], np.int32(1)], _attrs(2))  # scalars
    assert_same_bits("DynamicPartition", [data[:0], np.zeros(0, np.int32)], _attrs(2))
    assert_same_bits("DynamicPartition", [data[:, :, :0], np.array([1, 0] * 3, np.int32)], _attrs(2))


def test_partition_over_several_blocks_and_threads(rng: np.random.Generator) -> None:
    from reference_impl.kernels.cuda import runtime

    with runtime.launch_shape(2, 3):
        data = rng.standard_normal((40, 5)).astype(np.float32)
        assert_same_bits("DynamicPartition", [data, rng.integers(0, 6, 40).astype(np.int32)], _attrs(6))


def test_partition_refuses_shapes_as_the_cpu_does() -> None:
    for data, partitions in [(np.zeros((2, 3)), np.zeros(3, np.int32)), (np.zeros(2), np.zeros((2, 1), np.int32)),
                             (np.float32(1), np.zeros(1, np.int32))]:
        messages = []
        for device in ("CPU", "GPU"):
            ctx = KernelContext("p", "DynamicPartition", _attrs(2), device)
            with pytest.raises(errors.InvalidArgumentError) as caught:
                lookup_kernel("DynamicPartition", device)(ctx, [data, partitions])
            messages.append(caught.value.message)
        assert messages[0] == messages[1]
        assert messages[0].startswith("data.shape must start with partitions.shape")


# (partitions, num_partitions, the rows of data = 10 * (position + 1) each output takes), as TF's
# GPU kernel gives them: sorted keys, at most num_partitions runs counted, outputs taking the
# sorted positions in turn.
OUT_OF_RANGE = [
    ([0, 2, 1, 0], 2, [[10, 40], [30]]),  # a key too large sorts last: its row goes nowhere
    ([0, -1], 2, [[20], []]),  # a negative key sorts first: output 0 takes its row
    ([1, -1, 1, 0], 3, [[20], [40, 10], []]),  # ... pushing the valid rows along
    ([-1, -2, 1, 0], 2, [[], []]),  # the two counted runs are the negative keys': nothing counts
    ([5, 5, 5], 2, [[], []]),
]


@pytest.mark.parametrize("case", OUT_OF_RANGE, ids=str)
def test_partition_out_of_range_as_tensorflows_gpu_kernel(case: tuple) -> None:
    partitions, n, rows = case
    data = np.array([10.0 * (i + 1) for i in range(len(partitions))], np.float32)
    outs = _gpu_partition(data, partitions, n)
    assert [o.tolist() for o in outs] == rows
    assert all(o.dtype == np.float32 for o in outs)
    ctx = KernelContext("p", "DynamicPartition", _attrs(n), "CPU")
    with pytest.raises(errors.InvalidArgumentError, match="is not in"):
        lookup_kernel("DynamicPartition", "CPU")(ctx, [data, np.array(partitions, np.int32)])


def test_partition_out_of_range_slices() -> None:
    # Whole slices move as rows do: the negative key's slice is output 0's; of the runs -3, 0,
    # 1, 7 only the first two are counted, so key 1's slice goes nowhere.
    data = np.arange(8, dtype=np.int64).reshape(4, 2)
    outs = _gpu_partition(data, [1, 0, -3, 7], 2)
    assert [o.tolist() for o in outs] == [[[4, 5]], []]
    assert outs[1].shape == (0, 2)


def test_only_tensorflows_gpu_types_take_the_gpu_kernels() -> None:
    for op in ("DynamicPartition", "ParallelDynamicStitch"):
        for dt in (dtypes.float32, dtypes.float16, dtypes.float64, dtypes.int32, dtypes.int64,
                   dtypes.complex64, dtypes.complex128, dtypes.bfloat16):
            assert supports(op, "GPU", {"T": dt}), (op, dt)
        for dt in (dtypes.bool, dtypes.string, dtypes.int8, dtypes.uint8, dtypes.int16):
            assert not supports(op, "GPU", {"T": dt}), (op, dt)


def test_parallel_stitch_matches_the_cpu(rng: np.random.Generator) -> None:
    ix = lambda v: np.array(v, np.int32)  # noqa: E731
    data = (rng.standard_normal((3, 2)) * 4).astype(np.float32)
    assert_same_bits("ParallelDynamicStitch", [ix([0, 2, 0]), ix([2]), data, data[:1]], {})
    assert_same_bits("ParallelDynamicStitch", [ix([[1, 0]]), ix(2), data[None, :2], data[2]], {})
    assert_same_bits("ParallelDynamicStitch", [ix([]), np.zeros((0, 3), np.int64)], {})
    for indices, values in [([ix([0, -1])], [data[:2]]), ([ix([0, 1])], [data])]:
        messages = []
        for device in ("CPU", "GPU"):
            ctx = KernelContext("s", "ParallelDynamicStitch", {}, device)
            with pytest.raises(errors.InvalidArgumentError) as caught:
                lookup_kernel("ParallelDynamicStitch", device)(ctx, indices + values)
            messages.append(caught.value.message)
        assert messages[0] == messages[1]
