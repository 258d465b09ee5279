"""CPU kernels: constants, placeholders, identity, fill and the shape ops."""

from __future__ import annotations

import numpy as np

from ... import errors
from ...shape_inference import shape_text
from ..registry import KernelContext, register_kernel


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
    """``Unpack`` (``tf.unstack``): the ``num`` slices of the input along ``axis``."""
    x = np.asarray(inputs[0])
    return [np.take(x, i, axis=ctx.attrs["axis"]) for i in range(ctx.attrs["num"])]


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
