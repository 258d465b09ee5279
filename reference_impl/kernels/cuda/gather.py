"""GPU kernels: ``GatherV2``, ``DynamicStitch`` and ``ParallelDynamicStitch``.

Both check on the host what TF checks on the host, with the CPU kernels' helpers and messages:
GatherV2's axis (``HostMemory("axis")``), DynamicStitch's indices (``HostMemory("indices")``),
from which the host also works out which data row each output row copies (TF's GPU kernel does
the same serial last-wins pass on the host).

TF's GPU gather does not check the indices (``gather_functor_gpu.cu.h``: "Set indices out of
range to zero"): an index outside [0, params.shape[axis]) gives a slice of zeros where the CPU
kernel fails, and the GPU kernel here does the same. DynamicStitch's rows that no index names
are left uninitialised by TF on both devices; the reference writes zeros on both.

TF's GPU ``ParallelDynamicStitch`` is its CPU kernel with every input and the output in host
memory (``HostMemory("indices")``, ``("data")``, ``("merged")``), registered for int32, int64,
float16, bfloat16, float32, float64, complex64 and complex128: the GPU kernel here likewise runs
the CPU kernel on host copies and leaves its result on the host.
"""

from __future__ import annotations

import numpy as np
from numba import cuda

from ..cpu import gather as cpu_gather
from ..registry import GPU, KernelContext, register_kernel
from . import runtime
from .array import filled


@cuda.jit
def gather_kernel(params, indices, out, gather_dim, n_indices, inner):  # type: ignore[no-untyped-def]
    # params as (outer, gather_dim, inner), out as (outer, n_indices, inner)
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        row = i // inner
        g = indices[row % n_indices]
        if g < 0 or g >= gather_dim:
            out[i] = 0
        else:
            out[i] = params[(row // n_indices * gather_dim + g) * inner + i % inner]


@register_kernel("GatherV2", GPU)
def gather_v2(ctx: KernelContext, inputs: list) -> list:
    params, indices = runtime.to_device(inputs[0]), runtime.to_device(inputs[1])
    if not runtime.is_device(params):  # strings live on the host, as TF keeps them
        return cpu_gather.gather_v2(ctx, [params, runtime.to_host(indices), runtime.to_host(inputs[2])])
    plan = cpu_gather.gather_plan(tuple(params.shape), tuple(indices.shape),
                                  runtime.to_host(inputs[2]), int(ctx.attrs.get("batch_dims", 0)))
    if params.size == 0:  # every index is out of range (or there is none): zeros
        return [filled(plan.out_shape, 0, params.dtype)]
    out = runtime.empty(plan.out_shape, params.dtype)
    runtime.launch(gather_kernel, out.size, runtime.flat(params), runtime.flat(indices),
                   runtime.flat(out), plan.gather_dim, max(indices.size, 1), plan.inner)
    return [out]


@cuda.jit
def stitch_kernel(data, out, rows, slice_size):  # type: ignore[no-untyped-def]
    # rows[r]: the row of ``data`` that output row r copies, -1 where it copies none of them
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        r = rows[i // slice_size]
        if r >= 0:
            out[i] = data[r * slice_size + i % slice_size]


@register_kernel("DynamicStitch", GPU)
def dynamic_stitch(ctx: KernelContext, inputs: list) -> list:
    n = len(inputs) // 2
    data = [runtime.to_device(d) for d in inputs[n:]]
    if not all(runtime.is_device(d) for d in data):
        return cpu_gather.dynamic_stitch(ctx, [runtime.to_host(x) for x in inputs])
    plan = cpu_gather.stitch_plan([runtime.to_host(ix) for ix in inputs[:n]],
                                  [tuple(d.shape) for d in data])
    dtype = data[0].dtype
    if (plan.source >= 0).all():
        out = runtime.empty(plan.out_shape, dtype)
    else:
        out = filled(plan.out_shape, 0, dtype)
    if out.size == 0:
        return [out]
    slice_size = out.size // plan.out_shape[0]
    for d, start in zip(data, plan.starts):
        count = d.size // slice_size
        mine = (plan.source >= start) & (plan.source < start + count)
        if mine.any():  # one launch per input that wins some row
            rows = np.where(mine, plan.source - start, -1)
            runtime.launch(stitch_kernel, out.size, runtime.flat(d), runtime.flat(out),
                           runtime.to_device(rows), slice_size)
    return [out]


PARALLEL_STITCH_GPU_TYPES = ("int32", "int64", "float16", "bfloat16", "float32", "float64",
                             "complex64", "complex128")


@register_kernel("ParallelDynamicStitch", GPU, types=PARALLEL_STITCH_GPU_TYPES)
def parallel_dynamic_stitch(ctx: KernelContext, inputs: list) -> list:
    return cpu_gather.parallel_dynamic_stitch(ctx, [runtime.to_host(x) for x in inputs])
