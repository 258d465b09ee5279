"""ConcatV2 and Squeeze kernels."""

from __future__ import annotations

import numpy as np

from ... import errors
from ..registry import KernelContext, register_kernel
from ..shape_text import debug_string
from . import parallel



@register_kernel("ConcatV2")
def concat_v2(ctx: KernelContext, inputs: list) -> list:
    xs = [np.asarray(v) for v in inputs[:-1]]
    axis = int(np.ravel(inputs[-1])[0])
    rank = xs[0].ndim
    # (an axis of 0 passes this check for scalars, TF's legacy allowance, to fail just below)
    if (axis < -rank or axis >= rank) and not (rank == 0 and axis == 0):
        raise errors.InvalidArgumentError(
            None, None, f"ConcatOp : Expected concatenating dimensions in the range [{-rank}, "
                        f"{rank}), but got {axis}")
    if any(x.ndim == 0 for x in xs):
        raise errors.InvalidArgumentError(
            None, None, "ConcatOp : Can't concatenate scalars (use tf.stack instead)")
    ax = axis % rank
    first = xs[0].shape
    for i, x in enumerate(xs[1:], 1):
        if x.ndim != rank:
            raise errors.InvalidArgumentError(
                None, None, "ConcatOp : Ranks of all input tensors should match: shape[0] = "
                            f"{debug_string(first)} vs. shape[{i}] = {debug_string(x.shape)}")
        for d in range(rank):
            if d != ax and x.shape[d] != first[d]:
                raise errors.InvalidArgumentError(
                    None, None, f"ConcatOp : Dimension {d} in both shapes must be equal: "
                                f"shape[0] = {debug_string(first)} vs. shape[{i}] = "
                                f"{debug_string(x.shape)}")
    shape = list(first)
    shape[ax] = sum(x.shape[ax] for x in xs)
    out = parallel.empty(shape, xs[0].dtype)
    # Slice assignment copies rows at memcpy speed; np.concatenate does not here.
    starts = np.cumsum([0] + [x.shape[ax] for x in xs[:-1]])
    if ax == 0:
        for x, at in zip(xs, starts):  # each input is one contiguous block of the output
            parallel.assign(out[at:at + x.shape[0]], x)
        return [out]
    # Along a later axis, each thread takes whole rows of the output and fills them from every
    # input, so each output page is written by one thread in one pass.
    parts = parallel.chunks(shape[0], out.nbytes)
    lead = (slice(None),) * (ax - 1)

    def part(i: int) -> None:
        lo, hi = parts[i]
        for x, at in zip(xs, starts):
            out[(slice(lo, hi),) + lead + (slice(at, at + x.shape[ax]),)] = x[lo:hi]
    parallel.run(part, len(parts))
    return [out]


@register_kernel("Squeeze")
def squeeze(ctx: KernelContext, inputs: list) -> list:
    x = np.asarray(inputs[0])
    axes = [a % max(x.ndim, 1) for a in ctx.attrs.get("squeeze_dims", [])]
    for a in axes:
        if x.shape[a] != 1:
            raise errors.InvalidArgumentError(
                None, None, f"Can not squeeze dim[{a}], expected a dimension of 1, got "
                            f"{x.shape[a]}")
    return [np.squeeze(x, axis=tuple(axes) if axes else None)]
