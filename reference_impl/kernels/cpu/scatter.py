"""CPU kernels: ``ScatterAdd`` / ``ScatterSub`` / ``ScatterUpdate`` on a reference variable and
``ResourceScatterAdd`` / ``Sub`` / ``Update`` on a resource variable, with TensorFlow 2.21's
checks, messages and order of updates.

Both see the variable as a matrix (its first dimension by the product of the others) and
``updates`` as one row per index, or as one scalar for every element of the rows named. TF's
CPU functor then goes through the indices in order (its serial loop): each row named is updated
in place, ``p += u`` / ``p -= u`` / ``p = u`` — so a row named twice receives both updates in
index order (the order of a float sum: ``(p + u0) + u1``), and of two writes the last stays —
and the first index out of range stops the loop with an error, the updates before it done.
A scalar ``updates`` is subtracted as ``p + (-u)`` (TF's ``RunScalar``; a NaN's sign flips).
Float32 and float64 arithmetic reads denormals as zero and flushes denormal results, each
update in turn (TF's FTZ / DAZ), on the rows named only; ``ScatterUpdate`` only copies bytes.

For ScatterAdd / ScatterSub (and their resource forms) with an ``updates`` of rows, TF shards
the loop over its threads instead when there are at least 1024 indices and at most 10000 per
row of the variable, unless determinism is asked for: rows are locked, so duplicates still add
up, but in no fixed order (float sums vary from run to run), and an index out of range stops its
shard only, the other shards' updates done. The reference always computes the serial loop.

The two kinds check different things. The ref ops (``ScatterUpdateOp``) want ``params`` of
rank 1 or more and ``updates.shape == indices.shape + params.shape[1:]`` or a scalar, even
with no index. The resource ops (``ResourceScatterUpdateOp``) check only the rank, and, where
there is an index, that ``indices.shape`` begins ``updates.shape``; where the rest of
``updates.shape`` differs from ``params.shape[1:]`` TF's functor reads and writes past the rows
(undefined behaviour), which the reference refuses with the ref ops' message instead.
A resource variable's value is copied before the update (earlier reads keep theirs, as TF's
copy-on-write gives them) and the copy is stored even when an index fails.
The GPU kernels (kernels/cuda/scatter.py) reuse the checks.
"""

from __future__ import annotations

from typing import Any, Iterator

import numpy as np

from ... import errors
from ..ftz import flush, smallest_normal
from ..registry import CPU, KernelContext, register_kernel
from ..shape_text import debug_string
from .gather import slice_debug_string
from .resource import not_found
from .state import uninitialized

ASSIGN, ADD, SUB = "assign", "add", "sub"
KINDS = {"ScatterUpdate": ASSIGN, "ScatterAdd": ADD, "ScatterSub": SUB}


def _invalid(message: str) -> errors.InvalidArgumentError:
    return errors.InvalidArgumentError(None, None, message)


def _shapes_error(params: tuple, indices: tuple, updates: tuple) -> errors.InvalidArgumentError:
    return _invalid("Must have updates.shape = indices.shape + params.shape[1:] or updates.shape "
                    f"= [], got updates.shape {debug_string(updates)}, indices.shape "
                    f"{debug_string(indices)}, params.shape {debug_string(params)}")


def check_ref_shapes(params: tuple, indices: tuple, updates: tuple) -> None:
    """``ScatterUpdateOp``'s checks (the ref ops), in TF's order."""
    if len(params) < 1:
        raise _invalid(f"params must be at least 1-D, got shape {debug_string(params)}")
    if updates and tuple(updates) != tuple(indices) + tuple(params[1:]):
        raise _shapes_error(params, indices, updates)


def check_resource_shapes(params: tuple, indices: tuple, updates: tuple) -> None:
    """``ResourceScatterUpdateOp``'s checks, in TF's order (see the module's docstring for the
    last one, the reference's)."""
    if updates and len(updates) != len(indices) + len(params) - 1:
        raise _shapes_error(params, indices, updates)
    if not updates or int(np.prod(indices, dtype=np.int64)) == 0:
        return
    if tuple(updates[:len(indices)]) != tuple(indices):
        raise _invalid(f"The shape of indices ({debug_string(indices)}) must be a prefix of the "
                       f"shape of updates ({debug_string(updates)})")
    if tuple(updates[len(indices):]) != tuple(params[1:]):
        raise _shapes_error(params, indices, updates)


def first_bad_index(flat: np.ndarray, rows: int) -> int:
    """The position of the first index outside [0, rows), or -1."""
    bad = np.flatnonzero((flat < 0) | (flat >= rows))
    return int(bad[0]) if bad.size else -1


def bad_index_error(indices: np.ndarray, position: int, rows: int) -> errors.InvalidArgumentError:
    """TF's message for the index at ``position`` (row-major) of ``indices``."""
    value = int(np.asarray(indices).reshape(-1)[position])
    return _invalid(f"indices{slice_debug_string(np.shape(indices), position)} = {value} "
                    f"is not in [0, {rows})")


def as_rows(shape: tuple) -> tuple[int, int]:
    """The variable as TF's ``flat_outer_dims`` sees it: (rows, elements per row); a scalar is
    one row of one element (only the resource ops get that far with one)."""
    if not shape:
        return 1, 1
    rows = int(shape[0])
    return rows, int(np.prod(shape[1:], dtype=np.int64))


def occurrence_rounds(flat: np.ndarray) -> Iterator[np.ndarray]:
    """The positions of ``flat`` in rounds: the first occurrence of every index, then the
    second ones, and so on, each round in index order (within a round no index repeats, so a
    round is one vectorised update; rounds in turn keep each row's updates in index order)."""
    n = flat.size
    if n == 0:
        return
    order = np.argsort(flat, kind="stable")
    ordered = flat[order]
    starts = np.ones(n, bool)
    starts[1:] = ordered[1:] != ordered[:-1]
    first_of_run = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    rank = np.empty(n, np.int64)
    rank[order] = np.arange(n) - first_of_run
    by_round = np.argsort(rank, kind="stable")
    ends = np.cumsum(np.bincount(rank))
    yield from np.split(by_round, ends[:-1])


def last_writes(flat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(each index named, the position of its last occurrence): what a serial loop of writes
    leaves."""
    named, first_in_reversed = np.unique(flat[::-1], return_index=True)
    return named, flat.size - 1 - first_in_reversed


def scatter_into(kind: str, params: np.ndarray, flat: np.ndarray, updates: np.ndarray) -> None:
    """Apply the updates of the in-range indices ``flat`` (in order) to ``params``, a
    (rows, cols) view updated in place; ``updates`` is (len(flat), cols) or a 0-d scalar."""
    scalar = updates.ndim == 0
    if kind == ASSIGN:
        rows, positions = last_writes(flat)
        params[rows] = updates if scalar else updates[positions]
        return
    if scalar and kind == SUB:  # TF's RunScalar: p + (-u)
        updates, kind = np.negative(updates), ADD
    tiny = smallest_normal(params.dtype)
    if tiny is None:
        # ufunc.at applies the positions one after another, as TF's loop
        (np.add if kind == ADD else np.subtract).at(params, flat, updates)
        return
    updates = flush(updates)  # DAZ
    op = np.add if kind == ADD else np.subtract
    with np.errstate(all="ignore"):
        for positions in occurrence_rounds(flat):
            rows = flat[positions]
            # each update reads the row as DAZ reads it and stores a flushed result (FTZ)
            params[rows] = flush(op(flush(params[rows]), updates if scalar else updates[positions]))


def run_scatter(kind: str, params: np.ndarray, indices: np.ndarray, updates: np.ndarray) -> int:
    """Update ``params`` (a contiguous array, in place) as TF's serial functor does; the
    position of the index that stopped it, or -1."""
    flat = indices.reshape(-1).astype(np.int64, copy=False)
    n = flat.size
    if n == 0:
        return -1
    rows, cols = as_rows(params.shape)
    bad = first_bad_index(flat, rows)
    done = n if bad < 0 else bad
    if done:
        matrix = params.reshape(rows, cols)
        rows_updates = updates if updates.ndim == 0 else updates.reshape(n, cols)[:done]
        scatter_into(kind, matrix, flat[:done], rows_updates)
    return bad


def _host_array(value: Any) -> np.ndarray:
    return value.copy_to_host() if hasattr(value, "copy_to_host") else np.asarray(value)


def ref_scatter(kind: str, ctx: KernelContext, inputs: list) -> list:
    """The ref ops: ``params`` updated in place (reads taken earlier in the run alias it)."""
    ref, indices, updates = inputs
    if ref.value is None:
        raise uninitialized(ref)
    indices, updates = np.asarray(indices), np.asarray(updates)
    if type(ref.value) is not np.ndarray or not ref.value.flags.writeable:
        ref.value = np.array(_host_array(ref.value))
    params = ref.value
    check_ref_shapes(params.shape, indices.shape, updates.shape)
    bad = run_scatter(kind, params, indices, updates)
    if bad >= 0:
        raise bad_index_error(indices, bad, params.shape[0])
    return [ref]


def resource_scatter(kind: str, ctx: KernelContext, inputs: list) -> list:
    """The resource ops: a copy of the value updated, then stored (even when an index fails)."""
    handle, indices, updates = inputs
    if handle.value is None:
        raise not_found(ctx, handle)
    indices, updates = np.asarray(indices), np.asarray(updates)
    params = np.array(_host_array(handle.value))
    check_resource_shapes(params.shape, indices.shape, updates.shape)
    bad = run_scatter(kind, params, indices, updates)
    handle.value = params
    if bad >= 0:
        raise bad_index_error(indices, bad, as_rows(params.shape)[0])
    return []


def register_scatter_kernels(device: str, ref_impl: Any, resource_impl: Any) -> None:
    """Register, on ``device``, ``ref_impl(kind, ctx, inputs)`` as the kernel of every ref
    scatter op (``ScatterAdd`` …) and ``resource_impl`` as that of its ``Resource`` form."""
    def bound(impl: Any, kind: str, name: str) -> Any:
        def kernel(ctx: KernelContext, inputs: list) -> list:
            return impl(kind, ctx, inputs)
        kernel.__name__ = kernel.__qualname__ = name
        kernel.__module__ = impl.__module__  # (where its work is done: cpu or cuda)
        return kernel

    for op_type, kind in KINDS.items():
        for impl, name in ((ref_impl, op_type), (resource_impl, "Resource" + op_type)):
            register_kernel(name, device)(bound(impl, kind, name))


register_scatter_kernels(CPU, ref_scatter, resource_scatter)
