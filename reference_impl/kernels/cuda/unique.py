"""GPU kernel: ``Unique``, in the steps of TensorFlow's GPU kernel (``unique_op_gpu.cu.h``).

TF sorts the values with CUB's stable radix sort (which orders -0.0 and 0.0 as one key),
compares each sorted value with the one before it (``!=``: a NaN starts a group of its own),
numbers the groups by a prefix sum, takes each group's first element — its first occurrence,
the sort being stable — and orders the groups by that position. So ``y`` and ``idx`` are the
CPU kernel's, except for float16: its CPU kernel hashes the bits and keeps -0.0 and 0.0 apart,
the GPU kernel merges them into one value (the sign met first), as it does for float32 and
float64 on both devices.

Here the sort runs on the host (numba has no device sort; numpy's stable sort also compares
-0.0 equal to 0.0), and so do the prefix sum and the groups' ordering (TF copies the number of
groups to the host there too); the comparisons of neighbours, the gather of ``y`` and the
scatter of ``idx`` are device kernels. TF registers the GPU kernel for the real number types and
bool; strings and complex numbers go to the CPU kernel (which refuses complex numbers as TF
does).
"""

from __future__ import annotations

import numpy as np
from numba import cuda

from ..cpu import unique as cpu_unique
from ..registry import GPU, KernelContext, register_kernel
from . import runtime

GPU_TYPES = ("float32", "float64", "int32", "uint8", "int16", "int8", "int64", "uint16", "float16",
             "uint32", "uint64", "bool")


@cuda.jit
def group_starts_kernel(x, order, starts):  # type: ignore[no-untyped-def]
    # starts[i]: whether the i-th sorted value differs from the one before it
    for i in range(cuda.grid(1), starts.size, cuda.gridsize(1)):
        starts[i] = i == 0 or x[order[i]] != x[order[i - 1]]


@cuda.jit
def gather_values_kernel(x, first, y):  # type: ignore[no-untyped-def]
    for i in range(cuda.grid(1), y.size, cuda.gridsize(1)):
        y[i] = x[first[i]]


@cuda.jit
def scatter_ids_kernel(order, group, position, idx):  # type: ignore[no-untyped-def]
    # idx[order[i]]: the output position of the i-th sorted value's group
    for i in range(cuda.grid(1), idx.size, cuda.gridsize(1)):
        idx[order[i]] = position[group[i]]


@register_kernel("Unique", GPU, types=GPU_TYPES)
def unique(ctx: KernelContext, inputs: list) -> list:
    x = runtime.to_device(inputs[0])
    if not runtime.is_device(x) or np.dtype(x.dtype).kind == "c":
        return cpu_unique.unique(ctx, [runtime.to_host(x)])
    cpu_unique.check_unique_input(tuple(x.shape))
    out_idx = ctx.attrs.get("out_idx")
    idx_dtype = np.dtype(out_idx.as_numpy_dtype if out_idx is not None else np.int32)
    n = x.size
    if n == 0:
        return [runtime.empty((0,), x.dtype), runtime.empty((0,), idx_dtype)]
    order = np.argsort(runtime.to_host(x), kind="stable")
    order_d = runtime.to_device(order)
    starts_d = runtime.empty((n,), np.bool_)
    runtime.launch(group_starts_kernel, n, x, order_d, starts_d)
    starts = runtime.to_host(starts_d)
    group = np.cumsum(starts) - 1
    group_first = order[starts]
    rank = np.argsort(group_first, kind="stable")  # the groups by first occurrence
    position = np.empty_like(rank)
    position[rank] = np.arange(rank.size)
    y = runtime.empty((rank.size,), x.dtype)
    runtime.launch(gather_values_kernel, y.size, x, runtime.to_device(group_first[rank]), y)
    idx = runtime.empty((n,), idx_dtype)
    runtime.launch(scatter_ids_kernel, n, order_d, runtime.to_device(group),
                   runtime.to_device(position.astype(idx_dtype)), idx)
    return [y, idx]
