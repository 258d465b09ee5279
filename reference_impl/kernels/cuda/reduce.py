"""GPU kernels: reductions (Sum, Mean, Prod, Max, Min, Any, All) over any axes, with keepdims,
and ArgMax / ArgMin. One thread per output element.

The CPU kernels sum and multiply floats in Eigen's order (see ``kernels/cpu/reduce.py``), and
float addition is not associative, so the GPU follows the same order to give the same bits:

* each output element reduces its elements as a sequence, ``red_off(t)`` being the offset of its
  t-th element (the CPU kernel's transposes become index arithmetic, not copies);
* where the CPU kernel reduces sequentially (outer and middle dimensions), the thread folds the
  sequence left to right from its first element, or with Eigen's four interleaved accumulators
  where the CPU kernel's InnerMostDimPreserver uses them;
* where it uses Eigen's inner-dimension reducer or its sharded full reduction, the host compiles
  the CPU kernel's recursion into a small postfix program (LEAF offset length / COMBINE /
  INIT), identical for every row of the same packet phase, and each thread runs it with a small
  stack, evaluating each LEAF exactly as Eigen's packet loop does (four accumulators of one
  packet, a packet loop, a sequential tail, the packet reduced by halves).

Integer sums and products (wrapping), Max / Min, Any / All do not depend on the order.
"""

from __future__ import annotations

from typing import Any, Callable

import numba
import numpy as np
from numba import cuda

from ..cpu import reduce as cpu_reduce
from ..registry import GPU, KernelContext, register_kernel
from . import runtime
from .array import copy, filled
from .elementwise import _maximum, _minimum, bcast_offset

LEAF, COMBINE, INIT = 0, 1, 2
_STACK = 64  # program stack depth: log2 of the longest row / 8192, plus the shards


# -- the host side: the CPU kernel's recursion as programs --------------------------------------

def _inner_program(offset: int, n: int, first: int, packet: int, out: list) -> None:
    """Eigen's InnerMostDimReducer over positions [offset, offset + n) of a row, the run
    starting at absolute position ``first`` (``cpu_reduce._inner``)."""
    if n > packet * cpu_reduce._LEAF:
        split = packet * -(-(first + -(-n // 2)) // packet)
        left = min(split - first, n)
        _inner_program(offset, left, first, packet, out)
        if left < n:
            _inner_program(offset + left, n - left, split, packet, out)
            out.append((COMBINE, 0, 0))
        return
    out.append((LEAF, offset, n))


def _full_program(n: int, dtype: np.dtype) -> list:
    """Eigen's sharded FullReducer over n values (``cpu_reduce._full``): remainder shard first,
    then the shards in order."""
    packet = cpu_reduce._PACKET[dtype]
    cost = n * (dtype.itemsize * cpu_reduce._LOAD_CYCLES + 1.0 / packet)
    threads = min(cpu_reduce._threads(),
                  max(1, int((cost - cpu_reduce._STARTUP) / cpu_reduce._PER_THREAD + 0.9)))
    prog: list = []
    if threads == 1:
        _inner_program(0, n, 0, packet, prog)
        return prog
    block = int(np.floor(np.float32(n) / np.float32(threads)))
    blocks = n // block if block > 0 else 0
    if blocks * block < n:
        _inner_program(blocks * block, n - blocks * block, blocks * block, packet, prog)
    else:
        prog.append((INIT, 0, 0))
    for i in range(blocks):
        _inner_program(i * block, block, i * block, packet, prog)
        prog.append((COMBINE, 0, 0))
    return prog


def _row_programs(n: int, dtype: np.dtype) -> tuple[list, bool]:
    """Programs for rows of length n (``cpu_reduce._inner_rows``): one per packet phase of the
    row's start where that matters, else one for all rows. Returns (programs, by_phase)."""
    packet = cpu_reduce._PACKET[dtype]
    if n <= packet * cpu_reduce._LEAF or n % packet == 0:
        prog: list = []
        _inner_program(0, n, 0, packet, prog)
        return [prog], False
    progs = []
    for phase in range(packet):
        prog = []
        _inner_program(0, n, phase, packet, prog)
        progs.append(prog)
    return progs, True


# -- the device side -------------------------------------------------------------------------

def _make_program_kernel(dtype: Any, packet: int) -> Any:
    """The program-running kernel for one float dtype (local arrays need a constant type)."""
    nb_type = numba.from_dtype(np.dtype(dtype))

    @runtime.device_function
    def combine(a, b, prod):  # type: ignore[no-untyped-def]
        return a * b if prod else a + b

    @runtime.device_function
    def element(x, base, t, red_shape, red_strides, red_step):  # type: ignore[no-untyped-def]
        if red_step > 0:  # one evenly spaced run (see `_reduced_step`)
            return x[base + t * red_step]
        return x[base + bcast_offset(t, red_shape, red_strides)]

    @runtime.device_function
    def leaf(x, base, red_shape, red_strides, red_step, s, n, prod, init):  # type: ignore[no-untyped-def]
        acc = cuda.local.array(4 * packet, nb_type)
        pk = cuda.local.array(packet, nb_type)
        start = 0
        if n >= 4 * packet:
            unrolled = n // (4 * packet) * 4 * packet
            for j in range(4 * packet):
                acc[j] = element(x, base, s + j, red_shape, red_strides, red_step)
            if red_step > 0:
                # The bulk of the work, for one evenly spaced run, lane by lane: accumulator j
                # folds every (4 * packet)-th element from s + 4 * packet + j in a register,
                # with no per-element index arithmetic or calls. The accumulators are
                # independent, so each sees the same operations in the same order as in the
                # loop below (which goes element by element across them).
                first = base + (s + 4 * packet) * red_step
                end = base + (s + unrolled) * red_step
                span = 4 * packet * red_step
                for j in range(4 * packet):
                    a = acc[j]
                    if prod:
                        for pos in range(first + j * red_step, end, span):
                            a = a * x[pos]
                    else:
                        for pos in range(first + j * red_step, end, span):
                            a = a + x[pos]
                    acc[j] = a
            else:
                for g in range(4 * packet, unrolled, 4 * packet):
                    for j in range(4 * packet):
                        acc[j] = combine(acc[j], element(x, base, s + g + j, red_shape,
                                                         red_strides, red_step), prod)
            for lane in range(packet):
                pk[lane] = combine(combine(combine(acc[lane], acc[packet + lane], prod),
                                           acc[2 * packet + lane], prod),
                                   acc[3 * packet + lane], prod)
            start = unrolled
        else:
            for lane in range(packet):
                pk[lane] = init[0]
        whole = n // packet * packet
        for j in range(start, whole, packet):
            for lane in range(packet):
                pk[lane] = combine(pk[lane], element(x, base, s + j + lane, red_shape,
                                                     red_strides, red_step), prod)
        tail = init[0]
        for j in range(max(start, whole), n):
            tail = combine(tail, element(x, base, s + j, red_shape, red_strides, red_step),
                           prod)
        width = packet
        while width > 1:  # Eigen's predux: halves added until one lane is left
            width //= 2
            for lane in range(width):
                pk[lane] = combine(pk[lane], pk[lane + width], prod)
        return combine(tail, pk[0], prod)

    @cuda.jit
    def kernel(x, out, kept_shape, kept_strides, red_shape, red_strides, red_step,  # type: ignore[no-untyped-def]
               row_len, program, starts, lengths, by_phase, prod, init):
        stack = cuda.local.array(_STACK, nb_type)
        for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
            base = bcast_offset(i, kept_shape, kept_strides)
            p = (i * row_len) % packet if by_phase else 0
            top = 0
            for k in range(starts[p], starts[p] + lengths[p]):
                kind = program[3 * k]
                if kind == 0:
                    stack[top] = leaf(x, base, red_shape, red_strides, red_step,
                                      program[3 * k + 1],
                                      program[3 * k + 2], prod, init)
                    top += 1
                elif kind == 1:
                    top -= 1
                    stack[top - 1] = combine(stack[top - 1], stack[top], prod)
                else:
                    stack[top] = init[0]
                    top += 1
            out[i] = stack[0]
    return kernel


_PROGRAM_KERNELS = {np.dtype(dt): _make_program_kernel(dt, packet)
                    for dt, packet in cpu_reduce._PACKET.items()}


def _make_preserve(fn: Callable) -> Any:
    """[A, B, C] reduced over B with C kept (``cpu_reduce._preserve``, Eigen's
    InnerMostDimPreserver): outputs in a whole packet of consecutive output indices inside one
    row of C use four accumulators over every fourth slice when B >= 16; others fold in order."""
    device_fn = runtime.device_function(fn)

    @cuda.jit
    def kernel(x, out, b, c, packet, packets_end):  # type: ignore[no-untyped-def]
        for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
            row = i // c
            base = row * b * c + (i - row * c)
            start = i - i % packet
            if b >= 16 and c >= packet and start < packets_end and start % c + packet - 1 < c:
                unrolled = b // 4 * 4
                a0, a1, a2, a3 = x[base], x[base + c], x[base + 2 * c], x[base + 3 * c]
                for j in range(4, unrolled, 4):
                    a0 = device_fn(a0, x[base + j * c])
                    a1 = device_fn(a1, x[base + (j + 1) * c])
                    a2 = device_fn(a2, x[base + (j + 2) * c])
                    a3 = device_fn(a3, x[base + (j + 3) * c])
                acc = device_fn(device_fn(device_fn(a0, a1), a2), a3)
                for j in range(unrolled, b):
                    acc = device_fn(acc, x[base + j * c])
            else:
                acc = x[base]
                for j in range(1, b):
                    acc = device_fn(acc, x[base + j * c])
            out[i] = acc
    return kernel


_PRESERVE = {"Sum": _make_preserve(lambda a, b: a + b),
             "Prod": _make_preserve(lambda a, b: a * b)}
_PRESERVE["Mean"] = _PRESERVE["Sum"]


def _make_sequential(fn: Callable) -> Any:
    device_fn = runtime.device_function(fn)

    @cuda.jit
    def kernel(x, out, kept_shape, kept_strides, red_shape, red_strides, red_step, count):  # type: ignore[no-untyped-def]
        for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
            base = bcast_offset(i, kept_shape, kept_strides)
            if red_step > 0:  # one evenly spaced run (see `_reduced_step`): no index arithmetic
                acc = x[base]
                for j in range(base + red_step, base + count * red_step, red_step):
                    acc = device_fn(acc, x[j])
            else:
                acc = x[base + bcast_offset(0, red_shape, red_strides)]
                for t in range(1, count):
                    acc = device_fn(acc, x[base + bcast_offset(t, red_shape, red_strides)])
            out[i] = acc
    return kernel


_SEQUENTIAL = {
    "Sum": _make_sequential(lambda a, b: a + b), "Prod": _make_sequential(lambda a, b: a * b),
    "Max": _make_sequential(_maximum), "Min": _make_sequential(_minimum),
    "Any": _make_sequential(lambda a, b: bool(a) or bool(b)),
    "All": _make_sequential(lambda a, b: bool(a) and bool(b)),
}
_SEQUENTIAL["Mean"] = _SEQUENTIAL["Sum"]


@cuda.jit
def float_mean_kernel(out, count):  # type: ignore[no-untyped-def]
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        out[i] = out[i] / count[0]  # count in the output's dtype: one float32 division


def _make_int_mean(dtype: Any) -> Any:
    convert = numba.from_dtype(np.dtype(dtype))

    @cuda.jit
    def kernel(out, count):  # type: ignore[no-untyped-def]
        # The CPU kernel's integer mean: sign(sum) * (|sum| // count), in int64.
        for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
            v = numba.int64(out[i])
            q = (v if v >= 0 else -v) // count
            out[i] = convert(-q if v < 0 else q)
    return kernel


_INT_MEANS: dict[np.dtype, Any] = {}


# -- the kernels -------------------------------------------------------------------------------

def _strides(shape: list[int]) -> list[int]:
    out, step = [0] * len(shape), 1
    for axis in range(len(shape) - 1, -1, -1):
        out[axis] = step
        step *= shape[axis]
    return out


def _layout(shape: tuple[int, ...], axes: set[int]) -> tuple[Any, ...]:
    """How the CPU kernel walks a float sum: (mode, kept dims, kept strides, reduced dims in
    order, their strides) with mode "copy", "full", "sequential" or "rows"; or ("preserve",
    A, B, C) for [A, B, C] reduced over B."""
    runs, first = cpu_reduce._plan(shape, axes)
    st = _strides(runs)
    if not runs or (len(runs) == 1 and not first):
        return ("copy",)
    if len(runs) == 1:
        return ("full", [1], [0], runs, [1])
    if len(runs) == 2:
        a, b = runs
        return ("preserve", 1, a, b) if first else ("rows", [a], [b], [b], [1])
    if len(runs) == 3 and not first:
        return ("preserve", *runs)
    if len(runs) == 3:
        a, b, c = runs
        # The CPU kernel transposes to (c, a, b) and folds the (c, a) slices in order.
        return ("sequential", [b], [c], [c, a], [1, b * c])
    kept = [i for i in range(len(runs)) if (i % 2 == 1) == first]
    gone = [i for i in range(len(runs)) if (i % 2 == 1) != first]
    return ("rows", [runs[i] for i in kept], [st[i] for i in kept],
            [runs[i] for i in gone], [st[i] for i in gone])


def _reduced_step(shape: list[int], strides: list[int]) -> int:
    """The element stride of the reduced positions when they form one evenly spaced run (the
    t-th at offset ``t * step``), else 0. Adjacent dims merge where the outer one's stride is
    the inner one's times its size: the merged dim's offsets are the same, in the same order.
    Kernels given a step read ``base + t * step`` and skip `bcast_offset`'s div and mod per dim
    for every element read (the bulk of a reduction's work on a GPU and under the simulator)."""
    for axis in range(len(shape) - 1, 0, -1):
        if strides[axis - 1] != strides[axis] * shape[axis]:
            return 0
    return int(strides[-1]) if shape else 0


def _generic_layout(shape: tuple[int, ...], axes: set[int]) -> tuple[Any, ...]:
    """Kept and reduced dims in place (for reductions whose order does not matter)."""
    st = _strides(list(shape))
    kept = [i for i in range(len(shape)) if i not in axes]
    gone = sorted(axes)
    return ("sequential", [shape[i] for i in kept] or [1], [st[i] for i in kept] or [0],
            [shape[i] for i in gone], [st[i] for i in gone])


def _reduce(op_type: str, x: Any, axes: set[int]) -> Any:
    dt = np.dtype(x.dtype)
    float_order = dt in cpu_reduce._PACKET and op_type in ("Sum", "Mean", "Prod")
    layout = _layout(tuple(x.shape), axes) if float_order else _generic_layout(tuple(x.shape),
                                                                               axes)
    if layout[0] == "copy":
        return copy(x)
    if layout[0] == "preserve":
        _mode, a, b, c = layout
        packet = cpu_reduce._PACKET[dt]
        out = runtime.empty((a * c,), dt)
        runtime.launch(_PRESERVE[op_type], out.size, runtime.flat(x), out, b, c, packet,
                       (a * c) // packet * packet)
        return out
    mode, kept_shape, kept_strides, red_shape, red_strides = layout
    count = int(np.prod(red_shape, dtype=np.int64))
    out = runtime.empty((int(np.prod(kept_shape, dtype=np.int64)),), dt)
    args = (runtime.shape_array(kept_shape), runtime.shape_array(kept_strides),
            runtime.shape_array(red_shape), runtime.shape_array(red_strides),
            _reduced_step(red_shape, red_strides))
    if mode == "sequential":
        runtime.launch(_SEQUENTIAL[op_type], out.size, runtime.flat(x), out, *args, count)
        return out
    progs, by_phase = ([_full_program(count, dt)], False) if mode == "full" else \
        _row_programs(count, dt)
    lengths = [len(p) for p in progs]
    starts = list(np.cumsum([0] + lengths[:-1]))
    if not by_phase:  # every phase runs program 0
        starts, lengths = [0] * cpu_reduce._PACKET[dt], [lengths[0]] * cpu_reduce._PACKET[dt]
    flat_prog = [v for p in progs for ins in p for v in ins]
    init = runtime.to_device(np.asarray([1 if op_type == "Prod" else 0], dt))
    runtime.launch(_PROGRAM_KERNELS[dt], out.size, runtime.flat(x), out, *args, count,
                   runtime.shape_array(flat_prog), runtime.shape_array(starts),
                   runtime.shape_array(lengths), by_phase, op_type == "Prod", init)
    return out


def _stand_in(x: Any) -> np.ndarray:
    return np.broadcast_to(np.zeros((), dtype=x.dtype), tuple(x.shape))


def _reduction(op_type: str) -> Callable:
    def kernel(ctx: KernelContext, inputs: list) -> list:
        x = runtime.to_device(inputs[0])
        dummy = _stand_in(x)
        axes = cpu_reduce._axes(ctx, dummy, runtime.to_host(inputs[1]))
        shape = cpu_reduce._out_shape(dummy, axes, bool(ctx.attrs.get("keep_dims", False)))
        dt = np.dtype(x.dtype)
        if x.size == 0:
            value = np.nan if op_type == "Mean" and dt.kind == "f" else \
                cpu_reduce._identity(op_type, dt)
            return [filled(shape, np.asarray(value).astype(dt), dt)]
        if not axes:
            return [copy(x).reshape(shape)]
        out = _reduce(op_type, x, axes)
        if op_type == "Mean":
            n = x.size // max(out.size, 1)
            if dt.kind == "f":
                runtime.launch(float_mean_kernel, out.size, runtime.flat(out),
                               runtime.to_device(np.asarray([n], dt)))
            else:
                if dt not in _INT_MEANS:
                    _INT_MEANS[dt] = _make_int_mean(dt)
                runtime.launch(_INT_MEANS[dt], out.size, runtime.flat(out), n)
        return [out.reshape(shape)]
    return kernel


for _op in _SEQUENTIAL:
    register_kernel(_op, GPU)(_reduction(_op))


@cuda.jit
def arg_kernel(x, out, outer, d, inner, is_max):  # type: ignore[no-untyped-def]
    # np.argmax / argmin: the first extreme value, and the first NaN if there is one.
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        o = i // inner
        k = i - o * inner
        base = o * d * inner + k
        best = x[base]
        index = 0
        for j in range(1, d):
            v = x[base + j * inner]
            if best != best:
                break
            if (v > best if is_max else v < best) or v != v:
                best = v
                index = j
        out[i] = index


def _arg(op_type: str) -> Callable:
    def kernel(ctx: KernelContext, inputs: list) -> list:
        x = runtime.to_device(inputs[0])
        axis_input = runtime.to_host(inputs[1])
        # The CPU kernel's checks and messages (range, empty axis) on a one-element stand-in.
        axis = int(np.ravel(axis_input)[0])
        dims = tuple(x.shape)  # (the simulator's shapes refuse negative indices)
        if axis < -x.ndim or axis >= x.ndim or dims[axis] == 0:
            cpu_reduce._arg(op_type)(ctx, [_stand_in(x), axis_input])  # raises TF's error
        axis %= x.ndim
        shape = tuple(d for a, d in enumerate(dims) if a != axis)
        out = runtime.empty(shape, ctx.attrs["output_type"].as_numpy_dtype)
        inner = int(np.prod(dims[axis + 1:], dtype=np.int64))
        runtime.launch(arg_kernel, out.size, runtime.flat(x), runtime.flat(out),
                       x.size // max(1, dims[axis] * inner), dims[axis], inner,
                       op_type == "ArgMax")
        return [out]
    return kernel


register_kernel("ArgMax", GPU)(_arg("ArgMax"))
register_kernel("ArgMin", GPU)(_arg("ArgMin"))
