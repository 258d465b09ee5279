"""GPU kernels: constants, placeholders, identity, fill, the shape ops and control flow.

As in TensorFlow's GPU kernels, shapes, axes and predicates are host memory (``HostMemory`` in
TF's registrations): `Shape`, `Rank` and `Size` answer from the device array's metadata and give
host arrays, `Reshape` / `ExpandDims` give views of the same device buffer (as numpy's views on
the CPU), `Switch` reads its predicate on the host. Numbers are made on the device by kernels.
"""

from __future__ import annotations

import math
from typing import Any

import numba
import numpy as np
from numba import cuda

from ..cpu import array as cpu_array
from ..cpu import control_flow as cpu_control_flow
from ..cpu import sequence as cpu_sequence
from ..registry import GPU, KernelContext, register_kernel
from . import runtime


@cuda.jit
def fill_kernel(value, out):  # type: ignore[no-untyped-def]
    v = value[0]  # read once, not once per element
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        out[i] = v


@cuda.jit
def copy_kernel(x, out):  # type: ignore[no-untyped-def]
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        out[i] = x[i]


def filled(shape: Any, value: Any, dtype: Any) -> Any:
    """A device array of ``shape`` holding ``value`` (a host scalar or 1-element device array)."""
    out = runtime.empty(shape, dtype)
    v = value if runtime.is_device(value) else runtime.to_device(np.asarray([value], dtype))
    runtime.launch(fill_kernel, out.size, runtime.flat(v), runtime.flat(out))
    return out


def copy(x: Any) -> Any:
    """A private device copy of ``x`` (a device or host array)."""
    x = runtime.to_device(x)
    out = runtime.empty(x.shape, x.dtype)
    runtime.launch(copy_kernel, out.size, runtime.flat(x), runtime.flat(out))
    return out


def _shape_only(x: Any) -> np.ndarray:
    """A zero-byte host array with ``x``'s shape, for reusing the CPU kernels' shape logic."""
    return np.broadcast_to(np.zeros((), dtype=np.bool_), tuple(x.shape))


@register_kernel("Const", GPU)
def const(ctx: KernelContext, inputs: list) -> list:
    # Uploaded once per session, as TF copies a GPU constant once when it builds the kernel.
    key = ("gpu-const", ctx.op_name)
    if key not in ctx.resources:
        ctx.resources[key] = runtime.to_device(ctx.attrs["value"])
    return [ctx.resources[key]]


# Unfed placeholders fail exactly as on the CPU; a fed value never reaches a kernel.
register_kernel("Placeholder", GPU)(cpu_array.placeholder)


@register_kernel("PlaceholderWithDefault", GPU)
@register_kernel("Identity", GPU)
def identity(ctx: KernelContext, inputs: list) -> list:
    return [runtime.to_device(inputs[0])]


@register_kernel("Fill", GPU)
def fill(ctx: KernelContext, inputs: list) -> list:
    dims, value = runtime.to_host(inputs[0]), runtime.to_host(inputs[1])
    return [filled([int(d) for d in np.ravel(dims)], value, value.dtype)]


@register_kernel("ZerosLike", GPU)
def zeros_like(ctx: KernelContext, inputs: list) -> list:
    x = runtime.to_device(inputs[0])
    return [filled(x.shape, np.zeros((), x.dtype), x.dtype)]


@register_kernel("Shape", GPU)
def shape(ctx: KernelContext, inputs: list) -> list:
    return cpu_array.shape(ctx, [_shape_only(inputs[0])])


@register_kernel("ShapeN", GPU)
def shape_n(ctx: KernelContext, inputs: list) -> list:
    return cpu_array.shape_n(ctx, [_shape_only(x) for x in inputs])


@register_kernel("BroadcastGradientArgs", GPU)
def broadcast_gradient_args(ctx: KernelContext, inputs: list) -> list:
    # (TF's GPU kernel keeps shapes and axes in host memory)
    return cpu_array.broadcast_gradient_args(ctx, [runtime.to_host(x) for x in inputs])


@register_kernel("Rank", GPU)
def rank(ctx: KernelContext, inputs: list) -> list:
    return cpu_array.rank(ctx, [_shape_only(inputs[0])])


@register_kernel("Size", GPU)
def size(ctx: KernelContext, inputs: list) -> list:
    return cpu_array.size(ctx, [_shape_only(inputs[0])])


@register_kernel("Reshape", GPU)
def reshape(ctx: KernelContext, inputs: list) -> list:
    x = runtime.to_device(inputs[0])
    # The CPU kernel's checks and messages, on a stand-in with x's shape.
    new_shape = cpu_array.reshape(ctx, [_shape_only(x), runtime.to_host(inputs[1])])[0].shape
    return [x.reshape(new_shape) if runtime.is_device(x) else np.reshape(x, new_shape)]


@register_kernel("ExpandDims", GPU)
def expand_dims(ctx: KernelContext, inputs: list) -> list:
    x = runtime.to_device(inputs[0])
    new_shape = cpu_array.expand_dims(ctx, [_shape_only(x), runtime.to_host(inputs[1])])[0].shape
    return [x.reshape(new_shape) if runtime.is_device(x) else np.reshape(x, new_shape)]


# Control flow moves no data: the same kernels, the predicate read on the host.
register_kernel("NoOp", GPU)(cpu_control_flow.no_op)
register_kernel("Merge", GPU)(cpu_control_flow.merge)
# Assert's condition and data are host memory (TF's registration for devices), as Switch's
# predicate: the CPU kernel, reading its inputs on the host.
register_kernel("Assert", GPU)(
    lambda ctx, inputs: cpu_control_flow.assert_(ctx, [runtime.to_host(x) for x in inputs]))


@cuda.jit
def pack_kernel(x, out, n, index, inner):  # type: ignore[no-untyped-def]
    # x seen as (outer, inner), out as (outer, n, inner): x's row o goes to out[o, index].
    i = cuda.grid(1)
    stride = cuda.gridsize(1)
    while i < x.size:
        out[(i // inner * n + index) * inner + i % inner] = x[i]
        i += stride


@register_kernel("Pack", GPU)
def pack(ctx: KernelContext, inputs: list) -> list:
    """``Pack``: each input copied on the device into its slice of the stacked output."""
    xs = [runtime.to_device(np.asarray(x, dtype=ctx.attrs["T"].as_numpy_dtype)
                            if not runtime.is_device(x) else x) for x in inputs]
    shape = tuple(xs[0].shape)
    axis = ctx.attrs["axis"]
    axis = axis if axis >= 0 else axis + len(shape) + 1
    out_shape = shape[:axis] + (len(xs),) + shape[axis:]
    out = runtime.empty(out_shape, xs[0].dtype)
    inner = int(np.prod(shape[axis:], dtype=np.int64))
    if out.size:
        for index, x in enumerate(xs):
            runtime.launch(pack_kernel, x.size, runtime.flat(x), runtime.flat(out), len(xs),
                           index, max(inner, 1))
    return [out]


@cuda.jit
def unpack_kernel(x, out, n, index, inner):  # type: ignore[no-untyped-def]
    # x seen as (outer, n, inner): out (outer, inner) takes x[o, index].
    i = cuda.grid(1)
    stride = cuda.gridsize(1)
    while i < out.size:
        out[i] = x[(i // inner * n + index) * inner + i % inner]
        i += stride


@register_kernel("Unpack", GPU)
def unpack(ctx: KernelContext, inputs: list) -> list:
    """``Unpack``: each slice along ``axis`` copied on the device into its own output."""
    x = runtime.to_device(inputs[0])
    shape = tuple(x.shape)
    axis = cpu_array.unpack_axis(shape, ctx.attrs["axis"], ctx.attrs["num"])
    n = shape[axis]
    out_shape = shape[:axis] + shape[axis + 1:]
    inner = int(np.prod(shape[axis + 1:], dtype=np.int64))
    outs = []
    for index in range(ctx.attrs["num"]):
        out = runtime.empty(out_shape, x.dtype)
        if out.size:
            runtime.launch(unpack_kernel, out.size, runtime.flat(x), runtime.flat(out), n, index,
                           max(inner, 1))
        outs.append(out)
    return outs


@register_kernel("Switch", GPU)
@register_kernel("RefSwitch", GPU)
def switch(ctx: KernelContext, inputs: list) -> list:
    data, pred = inputs
    return cpu_control_flow.switch(ctx, [data, runtime.to_host(pred)])


def _make_range(dtype: Any) -> Any:
    convert = numba.from_dtype(np.dtype(dtype))

    @cuda.jit
    def kernel(first, delta, out):  # type: ignore[no-untyped-def]
        # numpy's arange fill, in the output dtype: first + i * (second - first).
        for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
            out[i] = first[0] + convert(i) * delta[0]
    return kernel


_RANGES: dict[np.dtype, Any] = {}


@register_kernel("Range", GPU)
def range_kernel(ctx: KernelContext, inputs: list) -> list:
    start, limit, delta = (runtime.to_host(x).item() for x in inputs)
    dt = np.dtype(ctx.attrs["Tidx"].as_numpy_dtype)
    cpu_sequence.check_range(start, limit, delta)
    n = max(0, math.ceil((limit - start) / delta))
    first = dt.type(start)
    step = dt.type(start + delta) - first  # numpy's delta: the first two values' difference
    out = runtime.empty((n,), dt)
    if dt not in _RANGES:
        _RANGES[dt] = _make_range(dt)
    runtime.launch(_RANGES[dt], n, runtime.to_device(np.asarray([first], dt)),
                   runtime.to_device(np.asarray([step], dt)), out)
    return [out]


@cuda.jit
def transpose_kernel(x, out, out_shape, in_strides):  # type: ignore[no-untyped-def]
    # out[i] = x[sum(index_k * in_strides[perm_k])]: in_strides already permuted to out's order
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        rem, offset = i, 0
        for axis in range(out_shape.size - 1, -1, -1):
            offset += (rem % out_shape[axis]) * in_strides[axis]
            rem //= out_shape[axis]
        out[i] = x[offset]


@register_kernel("Transpose", GPU)
def transpose(ctx: KernelContext, inputs: list) -> list:
    """The CPU kernel's checks (on the permutation, read on the host), then a gather on the
    device."""
    x = runtime.to_device(inputs[0])
    rank = len(x.shape)
    axes = cpu_array.transpose_axes(rank, runtime.to_host(inputs[1]))
    if rank == 0:
        return [copy(x).reshape(())]
    shape = tuple(int(x.shape[a]) for a in axes)
    out = runtime.empty(shape, x.dtype)
    if out.size:
        strides = [int(np.prod(x.shape[k + 1:])) for k in range(rank)]
        runtime.launch(transpose_kernel, out.size, runtime.flat(x), runtime.flat(out),
                       runtime.shape_array(shape or (1,)), runtime.shape_array([strides[a] for a in axes] or [0]))
    return [out]
