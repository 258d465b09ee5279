"""GPU kernels: Pad, PadV2 (CONSTANT), MirrorPad (REFLECT, SYMMETRIC) and MirrorPadGrad (the
CPU kernel's folds, one launch each).

One thread per output element: its multi-index, taken dimension by dimension from the last,
maps back to a source element (mirrored at the edges) or to the constant. Checks and messages
are the CPU kernels'.
"""

from __future__ import annotations

import numpy as np
from numba import cuda

from ... import errors
from ..cpu import pad as cpu_pad
from ..registry import GPU, KernelContext, register_kernel
from . import array, runtime

CONSTANT, REFLECT, SYMMETRIC = 0, 1, 2


@cuda.jit
def pad_kernel(x, out, in_shape, out_shape, before, mode, value):  # type: ignore[no-untyped-def]
    i = cuda.grid(1)
    stride = cuda.gridsize(1)
    while i < out.size:
        rem = i
        src = 0
        step = 1
        inside = True
        for axis in range(out_shape.size - 1, -1, -1):
            o = rem % out_shape[axis]
            rem //= out_shape[axis]
            d = in_shape[axis]
            j = o - before[axis]
            if j < 0 or j >= d:
                if mode == 0:
                    inside = False
                elif mode == 1:  # REFLECT: the edge element is not repeated
                    j = -j if j < 0 else 2 * (d - 1) - j
                else:  # SYMMETRIC: the edge element is repeated
                    j = -j - 1 if j < 0 else 2 * d - 1 - j
            src += j * step
            step *= d
        if inside:
            out[i] = x[src]
        else:
            out[i] = value[0]
        i += stride


def _pad(x: object, p: np.ndarray, mode: int, value: object) -> object:
    x = runtime.to_device(x)
    out_shape = tuple(int(d + a + b) for d, (a, b) in zip(x.shape, p))
    out = runtime.empty(out_shape, x.dtype)
    value = runtime.to_device(np.asarray([value], dtype=x.dtype))
    runtime.launch(pad_kernel, out.size, runtime.flat(x), runtime.flat(out),
                   runtime.shape_array(x.shape or (1,)), runtime.shape_array(out_shape or (1,)),
                   runtime.shape_array([int(a) for a, _b in p] or [0]), mode, value)
    return out


def _check_non_negative(p: np.ndarray) -> None:
    for before, after in p:
        if before < 0 or after < 0:
            raise errors.InvalidArgumentError(None, None,
                                              f"Paddings must be non-negative: {before} {after}")


@register_kernel("Pad", GPU)
def pad(ctx: KernelContext, inputs: list) -> list:
    x = runtime.to_device(inputs[0])
    p = cpu_pad._paddings(x, runtime.to_host(inputs[1]))
    _check_non_negative(p)
    return [_pad(x, p, CONSTANT, 0)]


@register_kernel("PadV2", GPU)
def pad_v2(ctx: KernelContext, inputs: list) -> list:
    x = runtime.to_device(inputs[0])
    p = cpu_pad._paddings(x, runtime.to_host(inputs[1]))
    _check_non_negative(p)
    return [_pad(x, p, CONSTANT, runtime.to_host(inputs[2]).item())]


@register_kernel("MirrorPad", GPU)
def mirror_pad(ctx: KernelContext, inputs: list) -> list:
    x = runtime.to_device(inputs[0])
    p = cpu_pad._paddings(x, runtime.to_host(inputs[1]), mirror=True)
    symmetric = ctx.attrs["mode"] == "SYMMETRIC"
    for d, (before, after) in zip(x.shape, p):
        if before < 0 or after < 0:
            raise errors.InvalidArgumentError(None, None,
                                              f"Paddings must be non-negative: {before} {after}")
        if not symmetric and (before >= d or after >= d):
            raise errors.InvalidArgumentError(
                None, None, f"paddings must be less than the dimension size: {before}, {after} "
                            f"not less than {d}")
        if symmetric and (before > d or after > d):
            raise errors.InvalidArgumentError(
                None, None, f"paddings must be no greater than the dimension size: {before}, "
                            f"{after} greater than {d}")
    return [_pad(x, p, SYMMETRIC if symmetric else REFLECT, 0)]


@cuda.jit
def _fold_kernel(scratch, strides, extents, lead, axis, target, source, count):  # type: ignore[no-untyped-def]
    # scratch[target region] += scratch[source region] reversed along ``axis``: one thread per
    # element of the region; the two regions never overlap.
    i = cuda.grid(1)
    stride = cuda.gridsize(1)
    while i < count:
        rem = i
        t = 0
        s = 0
        for k in range(extents.size - 1, -1, -1):
            j = rem % extents[k]
            rem //= extents[k]
            if k == axis:
                t += (target + j) * strides[k]
                s += (source + extents[k] - 1 - j) * strides[k]
            else:
                t += (lead[k] + j) * strides[k]
                s += (lead[k] + j) * strides[k]
        scratch[t] += scratch[s]
        i += stride


@cuda.jit
def _interior_kernel(scratch, out, strides, out_shape, begins):  # type: ignore[no-untyped-def]
    i = cuda.grid(1)
    stride = cuda.gridsize(1)
    while i < out.size:
        rem = i
        src = 0
        for k in range(out_shape.size - 1, -1, -1):
            src += (begins[k] + rem % out_shape[k]) * strides[k]
            rem //= out_shape[k]
        out[i] = scratch[src]
        i += stride


@register_kernel("MirrorPadGrad", GPU)
def mirror_pad_grad(ctx: KernelContext, inputs: list) -> list:
    g = runtime.to_device(inputs[0])
    p = runtime.to_host(inputs[1])
    mode = ctx.attrs["mode"]
    shape = tuple(g.shape)
    sizes = cpu_pad.mirror_pad_grad_sizes(shape, p, mode)
    if tuple(sizes) == shape:
        return [g]
    scratch = array.copy(g)
    strides = [int(np.prod(shape[k + 1:], dtype=np.int64)) for k in range(len(shape))]
    flat = runtime.flat(scratch)
    for axis, target, source, extents, lead in cpu_pad.fold_steps(shape, p, 0 if mode == "SYMMETRIC" else 1):
        count = int(np.prod(extents, dtype=np.int64))
        runtime.launch(_fold_kernel, count, flat, runtime.shape_array(strides), runtime.shape_array(extents),
                       runtime.shape_array(lead + [0] * (len(shape) - len(lead))), axis, target, source, count)
    out = runtime.empty(sizes, g.dtype)
    befores = [int(b) for b in np.asarray(p).astype(np.int64)[:, 0]]
    runtime.launch(_interior_kernel, out.size, flat, runtime.flat(out), runtime.shape_array(strides),
                   runtime.shape_array(sizes), runtime.shape_array(befores))
    return [out]
