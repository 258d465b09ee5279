"""GPU kernels: ConcatV2 (one launch per input, each thread writing one element into its slice
of the output) and Squeeze (a view, as numpy's). Checks and messages are the CPU kernels'."""

from __future__ import annotations

import numpy as np
from numba import cuda

from ..cpu import concat as cpu_concat
from ..registry import GPU, KernelContext, register_kernel
from . import runtime


@cuda.jit
def copy_slice_kernel(x, out, width, out_width, offset):  # type: ignore[no-untyped-def]
    # x is (outer, width) flattened; its row r lands at out[r, offset:offset + width].
    i = cuda.grid(1)
    stride = cuda.gridsize(1)
    while i < x.size:
        r = i // width
        out[r * out_width + offset + (i - r * width)] = x[i]
        i += stride


def _stand_in(x: object) -> np.ndarray:
    return np.broadcast_to(np.zeros((), dtype=np.bool_), tuple(x.shape))  # type: ignore[attr-defined]


@register_kernel("ConcatV2", GPU)
def concat_v2(ctx: KernelContext, inputs: list) -> list:
    xs = [runtime.to_device(v) for v in inputs[:-1]]
    axis_input = runtime.to_host(inputs[-1])
    # The CPU kernel's checks and messages, and its output shape, on zero-byte stand-ins.
    shape = cpu_concat.concat_v2(ctx, [_stand_in(x) for x in xs] + [axis_input])[0].shape
    axis = int(np.ravel(axis_input)[0]) % len(shape)
    out = runtime.empty(shape, np.result_type(*[x.dtype for x in xs]))
    inner = int(np.prod(shape[axis + 1:], dtype=np.int64))
    out_width = shape[axis] * inner
    offset = 0
    for x in xs:
        width = x.shape[axis] * inner
        runtime.launch(copy_slice_kernel, x.size, runtime.flat(x), runtime.flat(out), width,
                       out_width, offset)
        offset += width
    return [out]


@register_kernel("Squeeze", GPU)
def squeeze(ctx: KernelContext, inputs: list) -> list:
    x = runtime.to_device(inputs[0])
    shape = cpu_concat.squeeze(ctx, [_stand_in(x)])[0].shape
    return [x.reshape(shape) if runtime.is_device(x) else np.reshape(x, shape)]
