"""CPU kernel: ``UnsortedSegmentSum``, with TensorFlow's run-time checks and messages.

TF's CPU functor zeroes the output, then adds row ``i`` of the data to row ``segment_ids[i]``
for ``i`` in order (a negative id is skipped), one element at a time, so float sums round in
that order; its threads add with FTZ / DAZ (kernels/ftz.py). The GPU kernel
(kernels/cuda/segment.py) shares `segment_plan`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ... import errors
from ..ftz import computes_ftz, flush, smallest_normal
from ..registry import KernelContext, register_kernel
from ..shape_text import debug_string
from .gather import slice_debug_string
from .scatter import occurrence_rounds


def _invalid(message: str) -> errors.InvalidArgumentError:
    return errors.InvalidArgumentError(None, None, message)


class SegmentPlan(NamedTuple):
    """The checked inputs: data as (ids, inner) rows, the flat ids, and the output's shape."""

    rows: np.ndarray
    ids: np.ndarray
    out_shape: tuple[int, ...]


def segment_plan(data: np.ndarray, segment_ids: np.ndarray, num_segments: np.ndarray,
                 check_ids: bool = True) -> SegmentPlan:
    """UnsortedSegmentSum's checks, in TF's order and with its messages; with ``check_ids``
    (the CPU kernel's) every id in range (negatives aside) is checked here, before any row is
    added, unless there is no data at all (TF's functor returns before its checks then)."""
    if np.ndim(num_segments) != 0:
        raise _invalid(f"num_segments should be a scalar, not shape {debug_string(np.shape(num_segments))}")
    if np.shape(data)[:np.ndim(segment_ids)] != np.shape(segment_ids):
        raise _invalid(f"data.shape = {debug_string(np.shape(data))} does not start with "
                       f"segment_ids.shape = {debug_string(np.shape(segment_ids))}")
    n = int(np.asarray(num_segments).reshape(()))
    if n < 0:
        raise _invalid(f"Input num_segments == {n} must not be negative.")
    flat = np.asarray(segment_ids).reshape(-1)
    bad = np.flatnonzero(flat >= n) if check_ids and np.size(data) else flat[:0]
    if bad.size:
        i = int(bad[0])
        raise _invalid(f"segment_ids{slice_debug_string(np.shape(segment_ids), i)} = {int(flat[i])} "
                       f"is out of range [0, {n})")
    inner = np.shape(data)[np.ndim(segment_ids):]
    rows = np.asarray(data).reshape((flat.size,) + inner)
    return SegmentPlan(rows, flat, (n,) + inner)


def segment_sums(plan: SegmentPlan) -> np.ndarray:
    """The output of a checked plan: each row added to its segment's, in order, from +0.0;
    float32 / float64 with FTZ / DAZ as TF's CPU threads add (a denormal row reads as a zero,
    a partial sum that rounds to a denormal is flushed before the next row is added)."""
    out = np.zeros(plan.out_shape, dtype=plan.rows.dtype)
    keep = plan.ids >= 0
    ids, rows = plan.ids[keep], plan.rows[keep]
    if not out.size or not ids.size:
        return out
    if smallest_normal(rows.dtype) is None:
        np.add.at(out, ids, rows)  # (one element at a time, in index order)
        return out
    # One round per occurrence (the k-th row of every segment at once): out = flush(out + row).
    rows = flush(rows)
    for at in occurrence_rounds(ids):
        out[ids[at]] = flush(out[ids[at]] + rows[at])
    return out


@register_kernel("UnsortedSegmentSum")
@computes_ftz
def unsorted_segment_sum(ctx: KernelContext, inputs: list) -> list:
    return [segment_sums(segment_plan(*inputs))]
