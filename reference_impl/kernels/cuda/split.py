"""GPU kernels: Split and SplitV, one launch per piece, each thread copying elements of its piece
from the input. Checks, messages and the pieces' sizes are the CPU kernels' (`split_plan`,
`split_v_plan`); split_dim and size_splits are read on the host, as TF keeps them in host memory."""

from __future__ import annotations

import numpy as np
from numba import cuda

from ..cpu import split as cpu_split
from ..registry import GPU, KernelContext, register_kernel
from . import runtime


@cuda.jit
def copy_piece_kernel(x, out, in_width, width, offset):  # type: ignore[no-untyped-def]
    # x is (outer, in_width) flattened; out is (outer, width): out[r] = x[r, offset:offset + width].
    i = cuda.grid(1)
    stride = cuda.gridsize(1)
    while i < out.size:
        r = i // width
        out[i] = x[r * in_width + offset + (i - r * width)]
        i += stride


def _pieces(x: object, axis: int, sizes: list[int]) -> list:
    if len(sizes) == 1:
        return [x]
    if not runtime.is_device(x):  # (a dtype that stays on the host: the CPU's copies)
        return cpu_split.pieces(np.asarray(x), axis, sizes)
    shape = tuple(x.shape)  # type: ignore[attr-defined]
    inner = int(np.prod(shape[axis + 1:], dtype=np.int64))
    in_width = shape[axis] * inner
    outs, at = [], 0
    for size in sizes:
        out = runtime.empty(shape[:axis] + (size,) + shape[axis + 1:], x.dtype)  # type: ignore[attr-defined]
        runtime.launch(copy_piece_kernel, out.size, runtime.flat(x), runtime.flat(out), in_width,
                       size * inner, at * inner)
        outs.append(out)
        at += size
    return outs


@register_kernel("Split", GPU)
def split(ctx: KernelContext, inputs: list) -> list:
    x = runtime.to_device(inputs[1])
    axis, sizes = cpu_split.split_plan(tuple(x.shape), runtime.to_host(inputs[0]),
                                       int(ctx.attrs["num_split"]))
    return _pieces(x, axis, sizes)


@register_kernel("SplitV", GPU)
def split_v(ctx: KernelContext, inputs: list) -> list:
    x = runtime.to_device(inputs[0])
    axis, sizes = cpu_split.split_v_plan(tuple(x.shape), runtime.to_host(inputs[1]),
                                         runtime.to_host(inputs[2]), int(ctx.attrs["num_split"]))
    return _pieces(x, axis, sizes)
