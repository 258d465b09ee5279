"""CPU kernels: constants, placeholders, identity, fill and the shape ops."""

from __future__ import annotations

import numpy as np

from ... import errors
from ...shape_inference import shape_text
from ..registry import KernelContext, register_kernel
from ..shape_text import debug_string


@register_kernel("Const")
def const(ctx: KernelContext, inputs: list) -> list:
    return [ctx.attrs["value"]]


@register_kernel("Placeholder")
def placeholder(ctx: KernelContext, inputs: list) -> list:
    # Only reached when nothing was fed.
    dtype, shape = ctx.attrs["dtype"], ctx.attrs["shape"]
    shape_part = f" and shape {shape_text(shape)}" if shape.ndims is not None else ""
    raise errors.InvalidArgumentError(
        None, None, f"You must feed a value for placeholder tensor '{ctx.op_name}' with dtype "
                    f"{dtype._proto_name}{shape_part}")


@register_kernel("PlaceholderWithDefault")
@register_kernel("Identity")
def identity(ctx: KernelContext, inputs: list) -> list:
    return [inputs[0]]


@register_kernel("Fill")
def fill(ctx: KernelContext, inputs: list) -> list:
    dims, value = inputs
    return [np.full([int(d) for d in np.ravel(dims)], value, dtype=np.asarray(value).dtype)]


@register_kernel("ZerosLike")
def zeros_like(ctx: KernelContext, inputs: list) -> list:
    return [np.zeros_like(inputs[0])]


@register_kernel("Shape")
def shape(ctx: KernelContext, inputs: list) -> list:
    return [np.array(np.shape(inputs[0]), dtype=ctx.attrs["out_type"].as_numpy_dtype)]


@register_kernel("ShapeN")
def shape_n(ctx: KernelContext, inputs: list) -> list:
    return [shape(ctx, [x])[0] for x in inputs]


@register_kernel("Rank")
def rank(ctx: KernelContext, inputs: list) -> list:
    return [np.int32(np.ndim(inputs[0]))]


@register_kernel("Size")
def size(ctx: KernelContext, inputs: list) -> list:
    return [np.array(np.size(inputs[0]), dtype=ctx.attrs["out_type"].as_numpy_dtype)[()]]


@register_kernel("Reshape")
def reshape(ctx: KernelContext, inputs: list) -> list:
    x, dims = inputs
    dims = [int(d) for d in np.ravel(dims)]
    n = np.size(x)
    known = int(np.prod([d for d in dims if d != -1], dtype=np.int64))
    if dims.count(-1) > 1:
        raise errors.InvalidArgumentError(None, None, "Only one input size may be -1, not both "
                                          f"{dims.index(-1)} and {len(dims) - 1}")
    if (-1 in dims and (known == 0 or n % known)) or (-1 not in dims and known != n):
        raise errors.InvalidArgumentError(
            None, None, f"Input to reshape is a tensor with {n} values, but the requested shape "
                        f"{'requires a multiple of' if -1 in dims else 'has'} {known}")
    return [np.reshape(x, dims)]


@register_kernel("ExpandDims")
def expand_dims(ctx: KernelContext, inputs: list) -> list:
    x, axis = inputs
    return [np.expand_dims(x, int(np.ravel(axis)[0]))]


@register_kernel("Pack")
def pack(ctx: KernelContext, inputs: list) -> list:
    """``Pack``: the inputs stacked along a new dimension ``axis``."""
    dtype = ctx.attrs["T"].as_numpy_dtype
    return [np.stack([np.asarray(x, dtype=dtype) for x in inputs], axis=ctx.attrs["axis"])]


@register_kernel("Unpack")
def unpack(ctx: KernelContext, inputs: list) -> list:
    """``Unpack`` (``tf.unstack``): the ``num`` slices of the input along ``axis``, after
    UnpackOp's checks."""
    x = np.asarray(inputs[0])
    a = unpack_axis(x.shape, ctx.attrs["axis"], ctx.attrs["num"])
    return [np.take(x, i, axis=a) for i in range(ctx.attrs["num"])]


def unpack_axis(shape: tuple, axis: int, num: int) -> int:
    """UnpackOp's checks, with its messages; the axis made non-negative."""
    rank = len(shape)
    a = axis + rank if axis < 0 else axis
    if not 0 <= a < rank:
        raise errors.InvalidArgumentError(None, None, f"axis = {axis} not in [{-rank}, {rank})")
    if shape[a] != num:
        raise errors.InvalidArgumentError(
            None, None, f"Input shape axis {a} must equal {num}, got shape {debug_string(shape)}")
    return a


@register_kernel("ConcatOffset")
def concat_offset(ctx: KernelContext, inputs: list) -> list:
    """Where each of the shapes ``inputs[1:]`` starts in their concatenation along
    ``inputs[0]``: zeros but on that axis, the running sum of the sizes there."""
    axis = int(np.asarray(inputs[0]))
    shapes = [np.asarray(s) for s in inputs[1:]]
    out, start = [], 0
    for s in shapes:
        offset = np.zeros_like(s)
        offset[axis] = start
        start += int(s[axis])
        out.append(offset)
    return out


def gradient_reduction_axes(x: list[int], y: list[int]) -> tuple[list[int], list[int]]:
    """TF's BCast reduction indices for the gradients of a broadcasting binary op on shapes
    ``x`` and ``y``: none for equal shapes; else, aligned from the last dimension (a missing
    one is 1), a dimension where every shape has 1 is reduced for both, one where only one has 1
    for that one. Raises TF's error for shapes that do not broadcast."""
    if list(x) == list(y):
        return [], []
    rank = max(len(x), len(y))
    px, py = [1] * (rank - len(x)) + list(x), [1] * (rank - len(y)) + list(y)
    rx, ry = [], []
    for axis, (a, b) in enumerate(zip(px, py)):
        if a != 1 and b != 1 and a != b:
            raise errors.InvalidArgumentError(
                None, None, f"Incompatible shapes: [{','.join(map(str, x))}] vs. [{','.join(map(str, y))}]")
        if a == 1:
            rx.append(axis)
        if b == 1:
            ry.append(axis)
    return rx, ry


@register_kernel("BroadcastGradientArgs")
def broadcast_gradient_args(ctx: KernelContext, inputs: list) -> list:
    shapes = [np.asarray(s) for s in inputs]
    for i, s in enumerate(shapes):
        if s.ndim != 1:
            raise errors.InvalidArgumentError(None, None, f"In[{i}] must be a vector.{debug_string(s.shape)}")
    rx, ry = gradient_reduction_axes(shapes[0].tolist(), shapes[1].tolist())
    dt = shapes[0].dtype
    return [np.array(rx, dt), np.array(ry, dt)]


def transpose_axes(rank: int, perm: np.ndarray) -> list[int]:
    """``perm`` as axes (a negative entry counts from the end), with the checks and messages of
    TF's TransposeOp: the size, each entry's range, then a missing dimension."""
    perm = np.asarray(perm).reshape(-1)
    if perm.size != rank:
        raise errors.InvalidArgumentError(
            None, None, f"transpose expects a vector of size {rank}. But input(1) is a vector of "
                        f"size {perm.size}")
    axes = [int(d) + rank if d < 0 else int(d) for d in perm]
    for d in axes:
        if not 0 <= d < rank:
            raise errors.InvalidArgumentError(None, None, f"{d} is out of range [0 .. {rank})")
    for d in range(rank):
        if d not in axes:
            raise errors.InvalidArgumentError(
                None, None, f"{d} is missing from {{{','.join(str(a) for a in axes)}}}.")
    return axes


@register_kernel("Transpose")
def transpose(ctx: KernelContext, inputs: list) -> list:
    """``np.transpose`` by ``perm`` (`transpose_axes`); bytes move, nothing is flushed."""
    x = np.asarray(inputs[0])
    return [np.transpose(x, transpose_axes(x.ndim, inputs[1])).copy()]  # (C order; 0-d stays 0-d)


@register_kernel("InvertPermutation")
def invert_permutation(ctx: KernelContext, inputs: list) -> list:
    """``y[x[i]] = i``, refusing an entry out of range or seen twice (TF's messages)."""
    x = np.asarray(inputs[0])
    n = x.size
    out = np.full(n, -1, dtype=x.dtype)
    for i, d in enumerate(x.tolist()):
        if not 0 <= d < n:
            raise errors.InvalidArgumentError(None, None, f"{d} is not between 0 and {n}")
        if out[d] != -1:
            raise errors.InvalidArgumentError(None, None, f"{d} is duplicated in the input.")
        out[d] = i
    return [out]
