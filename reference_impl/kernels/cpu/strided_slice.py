"""CPU kernels: ``StridedSlice``, ``StridedSliceGrad``, ``StridedSliceAssign`` and
``ResourceStridedSliceAssign``, validated as TF's kernels validate (`reference_impl.strided_slice_spec`, the same rules as shape inference,
now on real shapes)."""

from __future__ import annotations

import numpy as np

from ... import errors
from ...strided_slice_spec import DenseSlice, SliceSpecError, validate
from ..registry import KernelContext, Ref, register_kernel
from ..shape_text import debug_string
from .resource import not_found
from .state import uninitialized

_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")


def dense_slice(ctx: KernelContext, shape: tuple[int, ...], begin: object, end: object,
                strides: object) -> DenseSlice:
    """The validated slice of an input of ``shape``; TF's run-time errors as its kernel words
    them."""
    b, e, s = (np.asarray(v) for v in (begin, end, strides))
    if b.ndim != 1 or e.ndim != 1 or s.ndim != 1 or not b.size == e.size == s.size \
            or s.size >= 32:  # the masks have 32 bits
        raise errors.InvalidArgumentError(
            None, None, "Expected begin, end, and strides to be 1D equal size tensors, but got "
            f"shapes {debug_string(b.shape)}, {debug_string(e.shape)}, and {debug_string(s.shape)} instead.")
    try:
        return validate(shape, b.tolist(), e.tolist(), s.tolist(),
                        **{k: ctx.attrs.get(k, 0) for k in _MASKS})
    except SliceSpecError as error:
        raise errors.InvalidArgumentError(None, None, str(error)) from None


def block(spec: DenseSlice) -> tuple[slice, ...]:
    """numpy's view of the selected block. Clamped bounds of -1 (with a negative stride: before
    the first element) mean something else to numpy: an end of -1 becomes open, and a dimension
    of which nothing is taken an empty slice."""
    return tuple(slice(0, 0) if n == 0 else slice(b, None if e < 0 else e, s)
                 for b, e, s, n in zip(spec.begin, spec.end, spec.strides, spec.processing_shape))


@register_kernel("StridedSlice")
def strided_slice(ctx: KernelContext, inputs: list) -> list:
    x = np.asarray(inputs[0])
    spec = dense_slice(ctx, x.shape, *inputs[1:4])
    return [np.array(x[block(spec)]).reshape(spec.final_shape)]


@register_kernel("StridedSliceGrad")
def strided_slice_grad(ctx: KernelContext, inputs: list) -> list:
    shape = tuple(int(d) for d in np.ravel(inputs[0]))
    dy = np.asarray(inputs[4])
    spec = dense_slice(ctx, shape, *inputs[1:4])
    if dy.shape != spec.final_shape:
        raise errors.InvalidArgumentError(
            None, None, f"shape of dy was {debug_string(dy.shape)} instead of "
            f"{debug_string(spec.final_shape)}")
    out = np.zeros(shape, dy.dtype)
    out[block(spec)] = dy.reshape(spec.processing_shape)
    return [out]


def assigned_shape(value_shape: tuple[int, ...], spec: DenseSlice) -> tuple[int, ...]:
    """The shape ``value`` is broadcast to before it is written: its broadcast with the slice's
    shape, which may only add leading 1s (TF: ``[1, 3]`` fills a slice of shape ``[3]``,
    ``[3, 1]`` does not)."""
    final = spec.final_shape
    try:
        shape = np.broadcast_shapes(value_shape, final)
    except ValueError:
        shape = None
    lead = len(shape) - len(final) if shape is not None else 0
    if shape is None or shape[lead:] != final or any(d != 1 for d in shape[:lead]):
        raise errors.InvalidArgumentError(
            None, None, f"Cannot broadcast input shape {debug_string(value_shape)} into final shape "
                        f"{debug_string(final)}")
    return shape



def _write(ctx: KernelContext, target: np.ndarray, inputs: list) -> None:
    """``inputs[4]`` written into the slice of ``target`` that ``inputs[1:4]`` select."""
    spec = dense_slice(ctx, target.shape, *inputs[1:4])
    if 0 not in spec.processing_shape:  # TF checks nothing when nothing is selected
        value = np.asarray(inputs[4], dtype=target.dtype)
        shape = assigned_shape(value.shape, spec)
        target[block(spec)] = np.broadcast_to(value, shape).reshape(spec.processing_shape)


@register_kernel("StridedSliceAssign")
def strided_slice_assign(ctx: KernelContext, inputs: list) -> list:
    ref: Ref = inputs[0]
    if ref.value is None:
        raise uninitialized(ref)
    if not isinstance(ref.value, np.ndarray):
        ref.value = np.array(ref.value)
    # in place: reads of the variable taken earlier in the run see the update (TF aliases)
    _write(ctx, ref.value, inputs)
    return [ref]


@register_kernel("ResourceStridedSliceAssign")
def resource_strided_slice_assign(ctx: KernelContext, inputs: list) -> list:
    handle = inputs[0]
    if handle.value is None:
        raise not_found(ctx, handle)
    updated = np.array(handle.value)  # a new buffer: values already read stay as they were
    _write(ctx, updated, inputs)
    handle.value = updated
    return []


def slice_bounds(shape: tuple[int, ...], begin: object, size: object) -> list[tuple[int, int]]:
    """(begin, size) per dimension of a ``Slice``, a size of -1 made explicit; TF's run-time
    checks and messages."""
    b, n = np.asarray(begin), np.asarray(size)
    if b.ndim != 1 or n.ndim != 1 or b.size != len(shape) or n.size != len(shape):
        raise errors.InvalidArgumentError(
            None, None, f"Expected begin and size arguments to be 1-D tensors of size "
            f"{len(shape)}, but got shapes {debug_string(b.shape)} and {debug_string(n.shape)} instead.")
    bounds = []
    for i, (dim, start, length) in enumerate(zip(shape, b.tolist(), n.tolist())):
        if length == -1:
            length = dim - start
        if dim == 0:
            if start != 0 or length != 0:
                raise errors.InvalidArgumentError(
                    None, None, f"Expected begin[{i}] == 0 (got {start}) and size[{i}] == 0 "
                                f"(got {length}) when input.dim_size({i}) == 0")
        else:
            if not 0 <= start <= dim:
                raise errors.InvalidArgumentError(
                    None, None, f"Expected begin[{i}] in [0, {dim}], but got {start}")
            if not (0 <= length and start + length <= dim):
                raise errors.InvalidArgumentError(
                    None, None, f"Expected size[{i}] in [0, {dim - start}], but got {length}")
        bounds.append((start, length))
    return bounds


@register_kernel("Slice")
def slice_kernel(ctx: KernelContext, inputs: list) -> list:
    x = np.asarray(inputs[0])
    bounds = slice_bounds(x.shape, inputs[1], inputs[2])
    return [np.array(x[tuple(slice(b, b + n) for b, n in bounds)])]
