"""What a ``StridedSlice`` selects: TF's validation of a slice spec, shared by shape inference and
the kernels (TF's ``ValidateStridedSliceOp``, which its shape function and kernels share too).

A slice spec is *sparse*: one entry per index of ``t[...]`` (an ellipsis, a new axis, a shrunk
index or a range), its kind given by the five bit masks. `validate` expands it to one entry per
input dimension (the *dense* spec), makes every range explicit and bounds-checks it, and gives
the shape of the selected block (one entry per input dimension) and of the output (new axes in,
shrunk ones out). Unknown input dimensions are ``None``; ``begin`` / ``end`` may be unknown
(None) while building, which leaves those dimensions unknown unless masks decide them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

_NEW_AXIS = -1
_SHRINK_AXIS = -2


class SliceSpecError(ValueError):
    """A slice spec TF refuses; the message is TF's."""


@dataclass(frozen=True)
class DenseSlice:
    """The validated slice: per input dimension its begin, end and stride (explicit only where
    known), the block it selects (``processing_shape``) and the output's shape."""

    begin: tuple[int, ...]
    end: tuple[int, ...]
    strides: tuple[int, ...]
    processing_shape: tuple[int | None, ...]
    final_shape: tuple[int | None, ...]
    is_identity: bool


def _bit(mask: int, i: int) -> bool:
    return bool(mask & (1 << i))


def _dense(rank: int, begin: Sequence[int] | None, end: Sequence[int] | None,
           strides: Sequence[int], begin_mask: int, end_mask: int, ellipsis_mask: int,
           new_axis_mask: int, shrink_axis_mask: int):
    """TF's ``BuildDenseSpec``: the sparse spec expanded to ``rank`` entries."""
    dims = len(strides)
    after_ellipsis = 0  # new axes after the ellipsis: it expands to fewer dimensions
    seen = False
    for i in range(dims):
        if seen and _bit(new_axis_mask, i):
            after_ellipsis += 1
        if _bit(ellipsis_mask, i):
            seen = True
    if not seen:  # an implicit ellipsis at the end
        ellipsis_mask |= 1 << dims
        dims += 1
    d_begin, d_end, d_strides = [0] * rank, [0] * rank, [1] * rank
    d_begin_mask = d_end_mask = d_shrink = 0
    gather: list[int] = []  # where each output dimension comes from (or a new / shrunk axis)
    full = 0
    for i in range(dims):
        if _bit(ellipsis_mask, i):
            stop = min(rank - (dims - i) + 1 + after_ellipsis, rank)
            while full < stop:
                d_begin_mask |= 1 << full
                d_end_mask |= 1 << full
                gather.append(full)
                full += 1
        elif _bit(new_axis_mask, i):
            gather.append(_NEW_AXIS)
        else:
            if full == rank:
                if rank == 0:
                    raise SliceSpecError("Attempting to slice scalar input.")
                raise SliceSpecError(f"Index out of range using input dim {full}; input has only "
                                     f"{rank} dims")
            if begin is not None:
                d_begin[full] = int(begin[i])
            if end is not None:
                d_end[full] = int(end[i])
            d_strides[full] = int(strides[i])
            if _bit(begin_mask, i):
                d_begin_mask |= 1 << full
            if _bit(end_mask, i):
                d_end_mask |= 1 << full
            if _bit(shrink_axis_mask, i):
                gather.append(_SHRINK_AXIS)
                d_shrink |= 1 << full
            else:
                gather.append(full)
            full += 1
    return d_begin, d_end, d_strides, d_begin_mask, d_end_mask, d_shrink, gather


def validate(input_shape: Sequence[int | None], begin: Sequence[int] | None,
             end: Sequence[int] | None, strides: Sequence[int], begin_mask: int = 0,
             end_mask: int = 0, ellipsis_mask: int = 0, new_axis_mask: int = 0,
             shrink_axis_mask: int = 0) -> DenseSlice:
    """Validate a sparse slice spec against ``input_shape``; raises `SliceSpecError`."""
    if ellipsis_mask & (ellipsis_mask - 1):
        raise SliceSpecError("Multiple ellipses in slice spec not allowed")
    rank = len(input_shape)
    d_begin, d_end, d_strides, b_mask, e_mask, shrink, gather = _dense(
        rank, begin, end, strides, begin_mask, end_mask, ellipsis_mask, new_axis_mask,
        shrink_axis_mask)
    known = begin is not None and end is not None
    processing: list[int | None] = []
    identity = True
    for i, dim in enumerate(input_shape):
        stride = d_strides[i]
        if stride == 0:
            raise SliceSpecError(f"strides[{i}] must be non-zero")
        shrink_i = _bit(shrink, i)
        if dim is None:
            processing.append(1 if shrink_i else None)
            continue
        if shrink_i and stride <= 0:
            raise SliceSpecError("only stride 1 allowed on non-range indexing.")
        both_masked = _bit(b_mask, i) and _bit(e_mask, i)
        if known:
            if shrink_i:
                # foo[-1] arrives as begin -1, end 0: the end is rebuilt from the begin
                forward = d_begin[i] + dim if d_begin[i] < 0 else d_begin[i]
                d_begin[i], d_end[i] = forward, forward + 1
                if forward < 0 or forward >= dim:
                    raise SliceSpecError(f"slice index {forward} of dimension {i} out of bounds.")
            else:
                d_begin[i] = _canonical(d_begin[i], 0, stride, dim, _bit(b_mask, i))
                d_end[i] = _canonical(d_end[i], 1, stride, dim, _bit(e_mask, i))
            identity &= stride == 1 and d_begin[i] == 0 and d_end[i] == dim
            interval: int | None = d_end[i] - d_begin[i]
        else:
            identity &= stride == 1 and both_masked
            interval = 1 if shrink_i else (-dim if stride < 0 else dim) if both_masked else None
        processing.append(None if interval is None else _extent(interval, stride))
    final = tuple(processing[g] if g >= 0 else 1 for g in gather if g != _SHRINK_AXIS)
    return DenseSlice(tuple(d_begin), tuple(d_end), tuple(d_strides), tuple(processing), final,
                      identity)


def _canonical(x: int, which: int, stride: int, dim: int, masked: bool) -> int:
    """A begin (``which`` 0) or end (1) made explicit and clamped into the dimension."""
    low, high = (0, dim) if stride > 0 else (-1, dim - 1)
    if masked:
        return (low, high)[which] if stride > 0 else (high, low)[which]
    forward = x + dim if x < 0 else x
    return min(max(forward, low), high)


def _extent(interval: int, stride: int) -> int:
    """How many indices ``begin, begin + stride, …`` stay short of ``begin + interval``."""
    if interval == 0 or (interval < 0) != (stride < 0):
        return 0
    return interval // stride + (1 if interval % stride else 0)
