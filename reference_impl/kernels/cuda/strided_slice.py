"""GPU kernels: ``StridedSlice`` and ``Slice`` (gathers), ``StridedSliceGrad`` (the same map, scattered into
zeros), ``StridedSliceAssign`` (scattered into the variable's buffer, in place) and
``ResourceStridedSliceAssign`` (into a copy, TF's copy-on-write). begin, end
and strides are host memory, as in TF's GPU registrations; validation and messages are the CPU
kernels'.

One thread per element of the selected block: its multi-index, taken dimension by dimension
from the last, maps to ``begin + index * stride`` in each input dimension.
"""

from __future__ import annotations

import numpy as np
from numba import cuda

from ... import errors
from ...strided_slice_spec import DenseSlice
from ..cpu.resource import not_found
from ..cpu.state import uninitialized
from ..cpu.strided_slice import assigned_shape, dense_slice, slice_bounds
from ..registry import GPU, KernelContext, register_kernel
from ..shape_text import debug_string
from . import runtime
from .array import copy, filled
from .elementwise import broadcast_kernel


@runtime.device_function
def block_offset(i: int, block_shape: object, begin: object, step: object) -> int:
    """The flat input offset of element ``i`` (C order) of the selected block."""
    rem = i
    offset = 0
    for axis in range(block_shape.size - 1, -1, -1):
        offset += begin[axis] + (rem % block_shape[axis]) * step[axis]
        rem //= block_shape[axis]
    return offset


@cuda.jit
def gather_kernel(x, out, block_shape, begin, step):  # type: ignore[no-untyped-def]
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        out[i] = x[block_offset(i, block_shape, begin, step)]


@cuda.jit
def scatter_kernel(dy, out, block_shape, begin, step):  # type: ignore[no-untyped-def]
    for i in range(cuda.grid(1), dy.size, cuda.gridsize(1)):
        out[block_offset(i, block_shape, begin, step)] = dy[i]


def _launch_args(spec: DenseSlice, shape: tuple[int, ...]) -> tuple:
    """The block's shape, and per dimension the flat offset of its first element and the flat
    distance between its neighbours, for an input of ``shape`` (C order)."""
    element = [1] * len(shape)
    for axis in range(len(shape) - 2, -1, -1):
        element[axis] = element[axis + 1] * shape[axis + 1]
    return (runtime.shape_array(spec.processing_shape or (1,)),
            runtime.shape_array([b * e for b, e in zip(spec.begin, element)] or [0]),
            runtime.shape_array([s * e for s, e in zip(spec.strides, element)] or [0]))


@register_kernel("StridedSlice", GPU)
def strided_slice(ctx: KernelContext, inputs: list) -> list:
    x = runtime.to_device(inputs[0])
    spec = dense_slice(ctx, x.shape, *(runtime.to_host(v) for v in inputs[1:4]))
    out = runtime.empty(spec.final_shape, x.dtype)
    if out.size:
        runtime.launch(gather_kernel, out.size, runtime.flat(x), runtime.flat(out),
                       *_launch_args(spec, x.shape))
    return [out]


@register_kernel("StridedSliceGrad", GPU)
def strided_slice_grad(ctx: KernelContext, inputs: list) -> list:
    shape = tuple(int(d) for d in np.ravel(runtime.to_host(inputs[0])))
    dy = runtime.to_device(inputs[4])
    spec = dense_slice(ctx, shape, *(runtime.to_host(v) for v in inputs[1:4]))
    if tuple(dy.shape) != spec.final_shape:
        raise errors.InvalidArgumentError(
            None, None, f"shape of dy was {debug_string(dy.shape)} instead of {debug_string(spec.final_shape)}")
    out = filled(shape, 0, dy.dtype)
    if dy.size:
        runtime.launch(scatter_kernel, dy.size, runtime.flat(dy), runtime.flat(out),
                       *_launch_args(spec, shape))
    return [out]


def _write(ctx: KernelContext, target: object, inputs: list) -> None:
    """``inputs[4]`` broadcast and scattered into the slice of the device array ``target``."""
    spec = dense_slice(ctx, tuple(target.shape), *(runtime.to_host(v) for v in inputs[1:4]))
    if 0 in spec.processing_shape:  # TF checks nothing when nothing is selected
        return
    value = runtime.to_device(np.asarray(inputs[4], target.dtype)
                              if not runtime.is_device(inputs[4]) else inputs[4])
    shape = assigned_shape(tuple(value.shape), spec)
    spread = runtime.empty(shape, value.dtype)  # the value broadcast to the slice's elements
    runtime.launch(broadcast_kernel, spread.size, runtime.flat(value), runtime.flat(spread),
                   runtime.shape_array(shape or (1,)),
                   runtime.shape_array(runtime.broadcast_strides(tuple(value.shape), shape or (1,))))
    runtime.launch(scatter_kernel, spread.size, runtime.flat(spread), runtime.flat(target),
                   *_launch_args(spec, tuple(target.shape)))


@register_kernel("StridedSliceAssign", GPU)
def strided_slice_assign(ctx: KernelContext, inputs: list) -> list:
    ref = inputs[0]
    if ref.value is None:
        raise uninitialized(ref)
    if not runtime.is_device(ref.value):
        ref.value = runtime.to_device(np.array(ref.value))
    _write(ctx, ref.value, inputs)  # in place, as the CPU kernel
    return [ref]


@register_kernel("ResourceStridedSliceAssign", GPU)
def resource_strided_slice_assign(ctx: KernelContext, inputs: list) -> list:
    handle = inputs[0]
    if handle.value is None:
        raise not_found(ctx, handle)
    updated = copy(handle.value)  # a new buffer, as the CPU kernel: earlier reads keep theirs
    _write(ctx, updated, inputs)
    handle.value = updated
    return []


@register_kernel("Slice", GPU)
def slice_kernel(ctx: KernelContext, inputs: list) -> list:
    x = runtime.to_device(inputs[0])
    bounds = slice_bounds(tuple(x.shape), *(runtime.to_host(v) for v in inputs[1:3]))
    sizes = tuple(n for _, n in bounds)
    spec = DenseSlice(tuple(b for b, _ in bounds), tuple(b + n for b, n in bounds),
                      (1,) * len(bounds), sizes, sizes, False)
    out = runtime.empty(sizes, x.dtype)
    if out.size:
        runtime.launch(gather_kernel, out.size, runtime.flat(x), runtime.flat(out),
                       *_launch_args(spec, tuple(x.shape)))
    return [out]
