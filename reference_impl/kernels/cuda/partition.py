"""GPU kernel: ``DynamicPartition``, in the steps of TensorFlow's GPU kernel
(``dynamic_partition_op_gpu.cu.cc``).

TF's GPU kernel checks the shapes as the CPU kernel does but never the partitions' range. It
stable-radix-sorts the (signed) partitions with their positions, counts each run of equal keys
(a reduce-by-key that keeps at most ``num_partitions`` runs), and moves each of the first
``min(runs, num_partitions)`` counts to its key's output where that key is in range. Output
``p`` then gathers the next ``count[p]`` positions of the sorted order. So for valid partitions
the outputs are the CPU kernel's; for invalid ones nothing fails, and:

- a key ``>= num_partitions`` sorts last: its slices go nowhere;
- a negative key sorts first: its run takes one of the ``num_partitions`` counted runs (the
  last valid keys may then count nothing), and its slices are the first taken by output 0 (or
  the first output that counts any), pushing the valid slices along.

Here the sort and the counting run on the host (numba has no device sort; TF copies the counts
to the host too, to allocate the outputs); the gathers of the slices are a device kernel. TF
registers the kernel for int32, int64, float16, bfloat16, float32, float64, complex64 and
complex128; other types take the CPU kernel (which checks the range).
"""

from __future__ import annotations

import numpy as np
from numba import cuda

from ..cpu import partition as cpu_partition
from ..registry import GPU, KernelContext, register_kernel
from . import runtime

GPU_TYPES = ("int32", "int64", "float16", "bfloat16", "float32", "float64", "complex64",
             "complex128")


def gpu_partition_plan(partitions: np.ndarray, num_partitions: int) -> tuple[np.ndarray, np.ndarray]:
    """(count of each output, the positions of the slices in the order the outputs take them),
    as TF's GPU kernel works them out, invalid partitions included (see the module's docstring)."""
    flat = np.asarray(partitions).reshape(-1).astype(np.int32, copy=False)
    order = np.argsort(flat, kind="stable")  # (CUB's radix sort is stable; signed keys ascend)
    keys, runs = np.unique(flat[order], return_counts=True)
    counts = np.zeros(num_partitions, np.int64)
    for key, run in zip(keys[:num_partitions], runs[:num_partitions]):
        if 0 <= key < num_partitions:
            counts[key] = run
    return counts, order


@cuda.jit
def gather_rows_kernel(data, rows, out, slice_size):  # type: ignore[no-untyped-def]
    # out as (len(rows), slice_size): row r copies data's row rows[r]
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        out[i] = data[rows[i // slice_size] * slice_size + i % slice_size]


@register_kernel("DynamicPartition", GPU, types=GPU_TYPES)
def dynamic_partition(ctx: KernelContext, inputs: list) -> list:
    data = runtime.to_device(inputs[0])
    partitions = runtime.to_host(inputs[1])
    n = int(ctx.attrs["num_partitions"])
    data_shape = tuple(data.shape)
    cpu_partition.check_partition_shapes(data_shape, partitions.shape)
    counts, order = gpu_partition_plan(partitions, n)
    rank = partitions.ndim
    slice_size = int(np.prod(data_shape[rank:], dtype=np.int64))
    host_rows = None if runtime.is_device(data) else np.asarray(data).reshape(
        (partitions.size,) + data_shape[rank:])  # (a dtype no device array holds)
    outputs, start = [], 0
    for count in counts.tolist():
        shape = cpu_partition.output_shape(count, data_shape, rank)
        rows = order[start:start + count]
        start += count
        if host_rows is not None:
            outputs.append(host_rows[rows])
            continue
        out = runtime.empty(shape, data.dtype)
        if out.size:
            runtime.launch(gather_rows_kernel, out.size, runtime.flat(data),
                           runtime.to_device(rows.astype(np.int64)), runtime.flat(out), slice_size)
        outputs.append(out)
    return outputs
