"""Reduction kernels (Sum, Mean, Prod, Max, Min, Any, All) and ArgMax / ArgMin.

Float sums and products are computed in TF's order, so float32 results are bit-identical:

* TF's ``ReductionHelper`` first collapses adjacent dimensions that are all reduced or all kept
  (size-1 dimensions join the current run) and then picks one of Eigen's evaluations:
  a full reduction (1-D), the inner dimension of a matrix, the outer dimension of a matrix, the
  middle dimension of a 3-D tensor, dimensions 0 and 2 of a 3-D tensor, or else a transpose that
  puts the reduced dimensions last and reduces the inner dimension.
* Reducing an inner (contiguous) run uses Eigen's ``InnerMostDimReducer`` for x86 AVX packets
  (8 floats / 4 doubles): runs longer than packet × 1024 values are split in two at a packet
  boundary (relative to the run's absolute offset) and the halves added; a leaf accumulates four
  packets in turn, adds them ``((p0 + p1) + p2) + p3``, then adds the remaining whole packets to
  the first, sums the last values sequentially from zero and returns ``tail + predux(packet)``
  where ``predux`` adds packet halves until one lane is left.
* A full reduction is cut into per-thread shards by Eigen's cost model (TF's intra-op pool has
  one thread per schedulable CPU); the remainder shard is reduced first and the shards added to
  it in order.
* Reducing an outer or middle dimension adds the slices sequentially from zero.
"""

from __future__ import annotations

from types import ModuleType
from typing import Sequence

import numpy as np

from ... import errors
from ..registry import KernelContext, register_kernel
from ..shape_text import debug_string
from . import optional_jit, parallel

_LEAF = 1024  # Eigen's LeafSize for float / double
_PACKET = {np.dtype(np.float32): 8, np.dtype(np.float64): 4}
_LOAD_CYCLES = 11.0 / 64.0  # Eigen TensorCostModel: L2 load cost per byte
_STARTUP, _PER_THREAD = 100000.0, 100000.0


def _threads() -> int:
    """The thread count of TF's intra-op pool, which Eigen's cost model shards for."""
    return parallel.cpus()


# Below this many values a reduction never goes through the compiled reducer; from it,
# `optional_jit` decides whether loading numba pays (a module attribute: tests lower it).
_JIT_MIN = optional_jit.MIN_SIZE


def _compiled(x: np.ndarray, op: np.ufunc) -> ModuleType | None:
    """reduce_jit for reducing ``x`` with ``op``, where it applies and is loaded or now worth
    loading; else None (the numpy code, same bits)."""
    if x.size < _JIT_MIN or op not in (np.add, np.multiply) or x.dtype not in _PACKET:
        return None
    return optional_jit.for_input("reduce_jit", x.size)


def _jit_rows(jit: ModuleType, x: np.ndarray, firsts: Sequence[int] | np.ndarray, op: np.ufunc,
              init: float) -> np.ndarray:
    """The compiled ``_inner`` of each row, rows shared out among the CPUs."""
    rows = x.shape[0]
    firsts = np.broadcast_to(np.asarray(firsts, np.int64), (rows,))
    parts = parallel.chunks(rows, x.nbytes)

    def part(i: int) -> np.ndarray:
        lo, hi = parts[i]
        return jit.inner_rows(x[lo:hi], firsts[lo:hi], _PACKET[x.dtype], op is np.multiply, init)
    return np.concatenate(parallel.run(part, len(parts)))


# -- Eigen's float reduction orders -----------------------------------------------------------

def _predux(p: np.ndarray, op: np.ufunc) -> np.ndarray:
    while p.shape[-1] > 1:
        h = p.shape[-1] // 2
        p = op(p[..., :h], p[..., h:])
    return p[..., 0]


def _leaf(x: np.ndarray, op: np.ufunc, init: float) -> np.ndarray:
    rows, n = x.shape
    size = _PACKET[x.dtype]
    dt = x.dtype.type
    start = 0
    if n >= 4 * size:
        unrolled = n // (4 * size) * 4 * size
        acc = op.reduce(x[:, :unrolled].reshape(rows, unrolled // (4 * size), 4, size), axis=1)
        packet = op(op(op(acc[:, 0], acc[:, 1]), acc[:, 2]), acc[:, 3])
        start = unrolled
    else:
        packet = np.full((rows, size), init, dt)
    whole = n // size * size
    for j in range(start, whole, size):
        packet = op(packet, x[:, j:j + size])
    start = max(start, whole)
    tail = np.full(rows, init, dt)
    for j in range(start, n):
        tail = op(tail, x[:, j])
    return op(tail, _predux(packet, op))


def _tree(n: int, first: int, size: int, leaves: list) -> tuple:
    """The split tree of a run of ``n`` values at ``first``: a leaf's (offset, length) or a pair."""
    if n > size * _LEAF:
        split = size * -(-(first + -(-n // 2)) // size)
        left = min(split - first, n)
        if left < n:
            return (_tree(left, first, size, leaves), _tree(n - left, split, size, leaves))
        return _tree(left, first, size, leaves)
    leaves.append((first, n))
    return len(leaves) - 1


def _inner(x: np.ndarray, first: int, op: np.ufunc, init: float) -> np.ndarray:
    """Eigen's InnerMostDimReducer over each row of ``x``; rows start at ``first`` mod packet."""
    jit = _compiled(x, op)
    if jit is not None:
        return _jit_rows(jit, x, [first], op, init)
    return _inner_numpy(x, first, op, init)


def _inner_numpy(x: np.ndarray, first: int, op: np.ufunc, init: float) -> np.ndarray:
    n = x.shape[1]
    size = _PACKET[x.dtype]
    if n > size * _LEAF:
        leaves: list = []
        tree = _tree(n, first, size, leaves)
        length = leaves[0][1]
        if all(l == length for _f, l in leaves) and len(leaves) * length == n:
            # equal, contiguous leaves: reduce them all at once, then add up the tree
            rows = x.shape[0]
            values = _leaf(x.reshape(rows * len(leaves), length), op, init).reshape(rows, -1)

            def combine(node):  # type: ignore[no-untyped-def]
                if isinstance(node, tuple):
                    return op(combine(node[0]), combine(node[1]))
                return values[:, node]
            return combine(tree)
    return _inner_split(x, first, op, init)


def _inner_split(x: np.ndarray, first: int, op: np.ufunc, init: float) -> np.ndarray:
    n = x.shape[1]
    size = _PACKET[x.dtype]
    if n > size * _LEAF:
        split = size * -(-(first + -(-n // 2)) // size)
        left = min(split - first, n)
        out = _inner_split(x[:, :left], first, op, init)
        if left < n:
            out = op(out, _inner_split(x[:, left:], split, op, init))
        return out
    return _leaf(x, op, init)


def _inner_rows(x: np.ndarray, op: np.ufunc, init: float) -> np.ndarray:
    """Each row of a C-contiguous matrix reduced as Eigen does (row r starts at r × n)."""
    rows, n = x.shape
    size = _PACKET[x.dtype]
    jit = _compiled(x, op)
    if jit is not None:
        return _jit_rows(jit, x, np.arange(rows, dtype=np.int64) * n, op, init)
    if n <= size * _LEAF or n % size == 0:
        return _inner_numpy(x, 0, op, init)
    out = np.empty(rows, x.dtype)
    for phase in range(size):  # rows whose start has the same offset within a packet
        idx = np.flatnonzero((np.arange(rows) * n) % size == phase)
        if idx.size:
            out[idx] = _inner_numpy(x[idx], phase, op, init)
    return out


def _full(x: np.ndarray, op: np.ufunc, init: float) -> np.ndarray:
    """Eigen's FullReducer on the thread pool: shards by the cost model, remainder first."""
    n = x.size
    size = _PACKET[x.dtype]
    cost = n * (x.dtype.itemsize * _LOAD_CYCLES + 1.0 / size)
    threads = min(_threads(), max(1, int((cost - _STARTUP) / _PER_THREAD + 0.9)))
    flat = x.reshape(1, n)
    if threads == 1:
        return _inner(flat, 0, op, init)[0]
    block = int(np.floor(np.float32(n) / np.float32(threads)))
    blocks = n // block if block > 0 else 0
    # The shards are reduced concurrently, as on TF's pool, and combined in Eigen's order
    # (each task returns its own value, so the bits do not depend on scheduling).
    bounds = [(i * block, (i + 1) * block) for i in range(blocks)]
    if blocks * block < n:
        bounds.insert(0, (blocks * block, n))

    jit = _compiled(x, op)  # decided for the whole input, which is what loading pays off on

    def shard(i: int) -> np.ndarray:
        lo, hi = bounds[i]
        if jit is not None:
            return _jit_rows(jit, flat[:, lo:hi], [lo], op, init)[0]
        return _inner_numpy(flat[:, lo:hi], lo, op, init)[0]
    values = parallel.run(shard, len(bounds))
    acc = values.pop(0) if blocks * block < n else x.dtype.type(init)
    for v in values:
        acc = op(acc, v)
    return acc


def _sequential(x: np.ndarray, axis: int, op: np.ufunc) -> np.ndarray:
    """Slices along a non-inner ``axis`` combined one after the other.

    numpy reduces a C-contiguous array over a non-inner axis slice by slice, in order; only
    along the contiguous axis would it sum pairwise, so a single column goes through accumulate.
    """
    if x.size // max(x.shape[axis], 1) == 1:
        return op.accumulate(x.reshape(-1))[-1].reshape([d for i, d in enumerate(x.shape) if i != axis])
    return op.reduce(np.ascontiguousarray(x), axis=axis)


def _preserve(x: np.ndarray, op: np.ufunc) -> np.ndarray:
    """[A, B, C] reduced over B, as Eigen evaluates it when it keeps the inner dimension.

    Outputs are computed in packets of consecutive (flat) output indices; a packet that lies
    within one row of C uses Eigen's ``InnerMostDimPreserver``: with 16 or more values to reduce,
    four accumulators take every fourth slice, are added ``((a0 + a1) + a2) + a3`` and the left
    slices added after; every other output adds its slices sequentially.
    """
    a, b, c = x.shape
    out = _sequential(x, 1, op)
    size = _PACKET[x.dtype]
    if b < 16 or c < size:
        return out
    unrolled = b // 4 * 4
    acc = [_sequential(x[:, k:unrolled:4, :], 1, op) for k in range(4)]
    vec = op(op(op(acc[0], acc[1]), acc[2]), acc[3])
    for j in range(unrolled, b):
        vec = op(vec, x[:, j, :])
    starts = np.arange(0, (a * c) // size * size, size)
    starts = starts[(starts % c) + size - 1 < c]
    flat_out, flat_vec = out.reshape(-1), vec.reshape(-1)
    lanes = (starts[:, None] + np.arange(size)).reshape(-1)
    flat_out[lanes] = flat_vec[lanes]
    return out


# -- TF's ReductionHelper ----------------------------------------------------------------------

def _plan(shape: tuple[int, ...], axes: set[int]) -> tuple[list[int], bool]:
    """Collapsed dimensions and whether the first run is reduced (TF's ReductionHelper)."""
    dims = list(shape)
    bitmap = [i in axes for i in range(len(dims))]
    i = 0
    while i < len(dims) and dims[i] == 1:
        i += 1
    if i >= len(dims):
        return [], True
    first_reduced = bitmap[i]
    runs = [dims[i]]
    for j in range(i + 1, len(dims)):
        if dims[j] == 1:
            bitmap[j] = bitmap[j - 1]
        if bitmap[j] != bitmap[j - 1]:
            runs.append(dims[j])
        else:
            runs[-1] *= dims[j]
    return runs, first_reduced


def _reduce_float(x: np.ndarray, axes: set[int], op: np.ufunc, init: float) -> np.ndarray:
    """``x`` reduced over ``axes`` (the kept dimensions' shape), in Eigen's order."""
    runs, first = _plan(x.shape, axes)
    data = np.ascontiguousarray(x).reshape(runs) if runs else x.reshape(())
    if len(runs) == 0:
        return data.copy()
    if len(runs) == 1:
        return np.asarray(_full(data, op, init)) if first else data.copy()
    if len(runs) == 2:
        return _preserve(data[None], op)[0] if first else _inner_rows(data, op, init)
    if len(runs) == 3 and not first:
        return _preserve(data, op)
    if len(runs) == 3:
        a, b, c = runs
        # Eigen's GenericDimReducer: nested loops, the last reduced dimension outermost.
        flat = np.ascontiguousarray(data.transpose(2, 0, 1)).reshape(c * a, b)
        return _sequential(flat, 0, op)
    kept = [i for i in range(len(runs)) if (i % 2 == 1) == first]
    gone = [i for i in range(len(runs)) if (i % 2 == 1) != first]
    shuffled = np.ascontiguousarray(data.transpose(kept + gone))
    unreduced = int(np.prod([runs[i] for i in kept]))
    return _inner_rows(shuffled.reshape(unreduced, -1), op, init)


# -- kernels ----------------------------------------------------------------------------------

def _axes(ctx: KernelContext, x: np.ndarray, indices: np.ndarray) -> set[int]:
    rank = x.ndim
    axes = set()
    for a in np.ravel(indices):
        a = int(a)
        if a < -rank or a >= rank:
            raise errors.InvalidArgumentError(
                None, None, f"Invalid reduction dimension ({a} for input with {rank} dimension(s)")
        if a % rank in axes:  # (TF's kernel refuses what its shape function lets through)
            raise errors.InvalidArgumentError(
                None, None, f"Invalid reduction arguments: Axes contains duplicate dimension: {a % rank}")
        axes.add(a % rank)
    return axes


def _out_shape(x: np.ndarray, axes: set[int], keep: bool) -> tuple[int, ...]:
    if keep:
        return tuple(1 if i in axes else d for i, d in enumerate(x.shape))
    return tuple(d for i, d in enumerate(x.shape) if i not in axes)


def _identity(op_type: str, dtype: np.dtype) -> object:
    if op_type in ("Sum", "Mean"):
        return 0
    if op_type == "Prod":
        return 1
    if dtype.kind == "f":
        return -np.inf if op_type == "Max" else np.inf
    if dtype.kind == "b":
        return op_type == "All"
    info = np.iinfo(dtype)
    return info.min if op_type == "Max" else info.max


_UFUNC = {"Sum": np.add, "Mean": np.add, "Prod": np.multiply, "Max": np.maximum,
          "Min": np.minimum, "Any": np.logical_or, "All": np.logical_and}


def _reduction(op_type: str):  # type: ignore[no-untyped-def]
    def kernel(ctx: KernelContext, inputs: list) -> list:
        x = np.asarray(inputs[0])
        axes = _axes(ctx, x, np.asarray(inputs[1]))
        shape = _out_shape(x, axes, bool(ctx.attrs.get("keep_dims", False)))
        dt = x.dtype
        op = _UFUNC[op_type]
        if x.size == 0 or not axes:
            if x.size == 0:
                out = np.full(shape, _identity(op_type, dt), dt)
                if op_type == "Mean" and dt.kind == "f":
                    out = np.full(shape, np.nan, dt)
                return [out]
            return [x.reshape(shape).copy()]
        if dt in _PACKET and op_type in ("Sum", "Mean", "Prod"):
            out = _reduce_float(x, axes, op, 0.0 if op_type != "Prod" else 1.0)
        else:
            out = op.reduce(x, axis=tuple(sorted(axes)), dtype=dt)
        out = np.asarray(out, dt)
        if op_type == "Mean":
            count = x.size // max(out.size, 1)
            if dt.kind == "f":
                out = (out / dt.type(count)).astype(dt)
            else:
                q = np.abs(out.astype(np.int64)) // count
                out = (np.sign(out) * q).astype(dt)
        return [out.reshape(shape)]
    return kernel


for _op in _UFUNC:
    register_kernel(_op)(_reduction(_op))


def _arg(op_type: str):  # type: ignore[no-untyped-def]
    def kernel(ctx: KernelContext, inputs: list) -> list:
        x = np.asarray(inputs[0])
        axis = int(np.ravel(inputs[1])[0])
        if axis < -x.ndim or axis >= x.ndim:
            raise errors.InvalidArgumentError(
                None, None, f"Expected dimension in the range [{-x.ndim}, {x.ndim}), but got {axis}")
        if x.shape[axis] == 0:
            raise errors.InvalidArgumentError(
                None, None, f"Reduction axis {axis} is empty in shape {debug_string(x.shape)}")
        fn = np.argmax if op_type == "ArgMax" else np.argmin
        out_dt = ctx.attrs["output_type"].as_numpy_dtype
        return [np.asarray(fn(x, axis=axis)).astype(out_dt)]
    return kernel


register_kernel("ArgMax")(_arg("ArgMax"))
register_kernel("ArgMin")(_arg("ArgMin"))
