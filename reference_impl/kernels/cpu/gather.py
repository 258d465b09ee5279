"""CPU kernels: ``GatherV2``, ``DynamicStitch`` and ``ParallelDynamicStitch``, with TensorFlow's
run-time checks and messages.

The checks, their order and their messages are TensorFlow 2.21's (observed on its CPU kernels),
not always those of older releases: GatherV2's axis out of range reads "Shape must be at least
rank 3 but is rank 2", and DynamicStitch range-checks every index before it compares shapes.
The GPU kernels (``kernels/cuda/gather.py``) reuse the host-side parts: `gather_plan` and
`stitch_plan`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ... import errors
from ..registry import KernelContext, register_kernel
from ..shape_text import debug_string


def _invalid(message: str) -> errors.InvalidArgumentError:
    return errors.InvalidArgumentError(None, None, message)


# -- GatherV2 -----------------------------------------------------------------------------------

class GatherPlan(NamedTuple):
    """GatherV2 seen as TF's functor sees it: params as (outer, gather_dim, inner), the indices
    flattened, the output as (outer, len(indices), inner) with the shape `out_shape`."""

    axis: int
    outer: int
    gather_dim: int
    inner: int
    out_shape: tuple[int, ...]


def slice_debug_string(shape: tuple[int, ...], flat_index: int) -> str:
    """TF's ``SliceDebugString``: the multi-index of element ``flat_index`` of a tensor of
    ``shape`` as ``[1,0]``; empty for a scalar (its message reads "indices = 4 is ...")."""
    if not shape:
        return ""
    return "[" + ",".join(str(int(i)) for i in np.unravel_index(flat_index, shape)) + "]"


def _batch_dims(batch_dims: int, params_rank: int, indices_shape: tuple[int, ...],
                params_shape: tuple[int, ...], axis: int) -> int:
    """TF's checks of a non-zero ``batch_dims``, with its messages; the value made
    non-negative."""
    rank = len(indices_shape)
    if not -rank <= batch_dims <= rank:
        raise _invalid(f"Expected batch_dims in the range [{-rank}, {rank}], but got {batch_dims}")
    if batch_dims < 0:
        batch_dims += rank
    if batch_dims >= params_rank:
        raise _invalid(f"batch_dims ({batch_dims}) must be less than rank(params) ({params_rank}).")
    if axis < batch_dims:
        raise _invalid(f"batch_dims ({batch_dims}) must be less than or equal to axis ({axis}).")
    for i in range(batch_dims):
        if params_shape[i] != indices_shape[i]:
            raise _invalid(f"params.shape[{i}]: {params_shape[i]} should be equal to "
                           f"indices.shape[{i}]: {indices_shape[i]}")
    return batch_dims


def gather_plan(params_shape: tuple[int, ...], indices_shape: tuple[int, ...], axis_input: object,
                batch_dims: int = 0) -> GatherPlan:
    """TF's GatherOp checks on the shapes and the (host) axis, in its order, and the layout.

    Only ``batch_dims`` 0 (or a negative value naming 0) is computed by the reference; other
    values pass TF's own checks first, so an invalid one still fails with TF's message.
    """
    rank = len(params_shape)
    if rank < 1:
        raise _invalid("params must be at least 1 dimensional")
    axis_arr = np.asarray(axis_input)
    if axis_arr.ndim != 0:
        raise _invalid("axis must be scalar")
    axis = int(axis_arr)
    min_rank = -axis if axis < 0 else axis + 1
    if rank < min_rank:
        raise _invalid(f"Shape must be at least rank {min_rank} but is rank {rank}")
    if axis < 0:
        axis += rank
    if batch_dims != 0:
        normalized = _batch_dims(batch_dims, rank, indices_shape, params_shape, axis)
        if normalized != 0:
            raise _invalid(f"GatherV2 with batch_dims = {batch_dims} is not supported by the "
                           "reference implementation (only batch_dims 0)")
    outer = int(np.prod(params_shape[:axis], dtype=np.int64))
    inner = int(np.prod(params_shape[axis + 1:], dtype=np.int64))
    out_shape = tuple(params_shape[:axis]) + tuple(indices_shape) + tuple(params_shape[axis + 1:])
    return GatherPlan(axis, outer, int(params_shape[axis]), inner, out_shape)


def check_gather_indices(indices: np.ndarray, plan: GatherPlan) -> None:
    """TF's CPU functor's bounds check: the first index (in row-major order) outside
    [0, gather_dim), reported with its position. TF skips the check, as it skips the copy,
    when the output has no element (no index, or an outer or inner size of 0)."""
    flat = np.asarray(indices).reshape(-1)
    if flat.size == 0 or plan.outer == 0 or plan.inner == 0:
        return
    bad = np.flatnonzero((flat < 0) | (flat >= plan.gather_dim))
    if bad.size:
        i = int(bad[0])
        raise _invalid(f"indices{slice_debug_string(np.shape(indices), i)} = {int(flat[i])} "
                       f"is not in [0, {plan.gather_dim})")


@register_kernel("GatherV2")
def gather_v2(ctx: KernelContext, inputs: list) -> list:
    """``params`` sliced along ``axis`` at each of ``indices``: the output's shape is
    params.shape[:axis] + indices.shape + params.shape[axis + 1:]."""
    params, indices = np.asarray(inputs[0]), np.asarray(inputs[1])
    plan = gather_plan(params.shape, indices.shape, inputs[2], int(ctx.attrs.get("batch_dims", 0)))
    check_gather_indices(indices, plan)
    if int(np.prod(plan.out_shape, dtype=np.int64)) == 0:
        # (np.take would check the indices TF leaves unchecked here)
        return [np.empty(plan.out_shape, params.dtype)]
    return [np.take(params, indices, axis=plan.axis)]


# -- DynamicStitch ------------------------------------------------------------------------------

class StitchPlan(NamedTuple):
    """Where each row of DynamicStitch's output comes from: ``source[r]`` is the row's position
    in the concatenation of every data tensor's rows (as (len(indices[m]), *slice) tensors), or
    -1 for a row no index names (TF leaves those uninitialised; the reference writes zeros)."""

    out_shape: tuple[int, ...]
    source: np.ndarray  # int64, one per output row
    starts: list[int]   # where data[m]'s rows start in that concatenation


def _check_stitch_indices(indices: list[np.ndarray], first_dim: int) -> None:
    # TF 2.21 checks every index before any shape: a negative one fails even where another
    # check would, and even when every index is negative (first_dim 0). The message gives the
    # position within its own input, not which input.
    for ix in indices:
        bad = np.flatnonzero((ix < 0) | (ix >= first_dim))
        if bad.size:
            raise _invalid(f"indices[{int(bad[0])}] is out of range")


def _check_stitch_shapes(indices: list[np.ndarray], data_shapes: list[tuple[int, ...]]) -> None:
    """data[m].shape must start with indices[m].shape, and what follows must be the same for
    every m (TF's messages)."""
    idx0, data0 = indices[0].shape, tuple(data_shapes[0])
    for m, (ix, shape) in enumerate(zip(indices, data_shapes)):
        shape = tuple(shape)
        if shape[:ix.ndim] != ix.shape or len(shape) < ix.ndim:
            raise _invalid(f"data[{m}].shape = {debug_string(shape)} does not start with "
                           f"indices[{m}].shape = {debug_string(ix.shape)}")
        if m and shape[ix.ndim:] != data0[len(idx0):]:
            raise _invalid(
                f"Need data[0].shape[{len(idx0)}:] = data[{m}].shape[{ix.ndim}:], got "
                f"data[0].shape = {debug_string(data0)}, data[{m}].shape = {debug_string(shape)}, "
                f"indices[0].shape = {debug_string(idx0)}, indices[{m}].shape = "
                f"{debug_string(ix.shape)}")


def stitch_plan(indices_inputs: list, data_shapes: list[tuple[int, ...]]) -> StitchPlan:
    """TF's DynamicStitch checks, in its order, and the row each output row copies: of
    duplicate indices the last one wins (a later input, then a later position in it), as TF's
    sequential copies leave it."""
    indices = [np.asarray(ix).astype(np.int64, copy=False) for ix in indices_inputs]
    flats = [ix.reshape(-1) for ix in indices]
    first_dim = max((int(f.max()) for f in flats if f.size), default=-1) + 1
    _check_stitch_indices(flats, first_dim)
    _check_stitch_shapes(indices, data_shapes)
    out_shape = (first_dim,) + tuple(data_shapes[0])[indices[0].ndim:]
    starts = np.cumsum([0] + [f.size for f in flats]).tolist()
    every = np.concatenate(flats) if flats else np.zeros(0, np.int64)
    source = np.full(first_dim, -1, np.int64)
    if every.size:
        # The last occurrence of each index: the first of the reversed sequence.
        names, first_in_reversed = np.unique(every[::-1], return_index=True)
        source[names] = every.size - 1 - first_in_reversed
    return StitchPlan(out_shape, source, starts[:-1])


@register_kernel("DynamicStitch")
def dynamic_stitch(ctx: KernelContext, inputs: list) -> list:
    """``merged[indices[m][i...], ...] = data[m][i..., ...]``, rows named by no index zero."""
    n = len(inputs) // 2
    data = [np.asarray(d) for d in inputs[n:]]
    plan = stitch_plan(inputs[:n], [d.shape for d in data])
    dtype = data[0].dtype
    out = np.zeros(plan.out_shape, dtype)
    covered = np.flatnonzero(plan.source >= 0)
    if out.size and covered.size:
        slice_shape = plan.out_shape[1:]
        rows = np.concatenate([d.reshape((-1,) + slice_shape) for d in data])
        out[covered] = rows[plan.source[covered]]
    return [out]


@register_kernel("ParallelDynamicStitch")
def parallel_dynamic_stitch(ctx: KernelContext, inputs: list) -> list:
    """DynamicStitch's checks and result. TF's kernel shares DynamicStitch's checks and copies
    each input's rows in order, handing whole inputs to its thread pool: where the work is
    large enough for several shards, which of two inputs naming the same row wins is a race;
    where it fits one shard (as every tensor of the spec does) the inputs are copied in order,
    the later one winning, as here."""
    return dynamic_stitch(ctx, inputs)
