"""CPU kernel: ``DynamicPartition``, with TensorFlow's run-time checks and messages.

TF's CPU kernel (``dynamic_partition_op.cc``) first checks that ``data``'s shape begins with
``partitions``', then counts the partitions in row-major order, failing at the first one outside
``[0, num_partitions)`` with its position ("partitions[0,1] = 2 is not in [0, 2)"; a scalar's
reads "partitions = 3 ..."). Both checks run even when ``data`` has no element. The outputs then
take the slices in their order in ``data``.

The GPU kernel (``kernels/cuda/partition.py``) checks only the shapes; it reuses
`check_partition_shapes` and `output_shape`.
"""

from __future__ import annotations

import numpy as np

from ... import errors
from ..registry import KernelContext, register_kernel
from ..shape_text import debug_string
from .gather import slice_debug_string


def _invalid(message: str) -> errors.InvalidArgumentError:
    return errors.InvalidArgumentError(None, None, message)


def check_partition_shapes(data_shape: tuple[int, ...], partitions_shape: tuple[int, ...]) -> None:
    """TF's ``StartsWith(data.shape, partitions.shape)`` check, with its message."""
    rank = len(partitions_shape)
    if len(data_shape) < rank or tuple(data_shape[:rank]) != tuple(partitions_shape):
        raise _invalid(f"data.shape must start with partitions.shape, got data.shape = "
                       f"{debug_string(data_shape)}, partitions.shape = "
                       f"{debug_string(partitions_shape)}")


def check_partitions(partitions: np.ndarray, num_partitions: int) -> None:
    """The CPU kernel's range check: the first entry (row-major) outside [0, num_partitions)."""
    flat = partitions.reshape(-1)
    bad = np.flatnonzero((flat < 0) | (flat >= num_partitions))
    if bad.size:
        i = int(bad[0])
        raise _invalid(f"partitions{slice_debug_string(partitions.shape, i)} = {int(flat[i])} "
                       f"is not in [0, {num_partitions})")


def output_shape(count: int, data_shape: tuple[int, ...], partitions_rank: int) -> tuple[int, ...]:
    """The shape of an output of ``count`` slices: ``[count] + data.shape[rank(partitions):]``."""
    return (count,) + tuple(data_shape[partitions_rank:])


@register_kernel("DynamicPartition")
def dynamic_partition(ctx: KernelContext, inputs: list) -> list:
    """``outputs[p]``: the slices of ``data`` whose partition is ``p``, in their order."""
    data, partitions = np.asarray(inputs[0]), np.asarray(inputs[1])
    n = int(ctx.attrs["num_partitions"])
    check_partition_shapes(data.shape, partitions.shape)
    check_partitions(partitions, n)
    flat = partitions.reshape(-1)
    rows = data.reshape((flat.size,) + data.shape[partitions.ndim:])
    return [rows[flat == p] for p in range(n)]
