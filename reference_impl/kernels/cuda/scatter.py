"""GPU kernels: ``ScatterAdd`` / ``ScatterSub`` / ``ScatterUpdate`` and their resource forms.

The checks of shapes are the CPU kernels' (TF makes them on the host for both devices). TF's
GPU functor (``scatter_functor_gpu.cu.h``) then runs one thread per element of ``updates``,
which adds with an atomic (``p += u`` / ``p -= u``) or stores (``p = u``), and skips the
elements of an index out of range: the GPU never fails on an index, where the CPU kernel
stops with an error (the rows of the other indices are all updated).

The order of TF's atomics is whatever the threads' is, so a float row named twice may sum its
updates in either order, and of two writes to one row either may stay: TF's GPU results are
not reproducible there, and the reference cannot match them run for run. The kernels here are
deterministic instead, with the CPU's order: the host groups the in-range positions by row (a
stable sort, so each row's positions stay in index order), and one thread per (row, element)
applies its row's updates one after another — the sum of the CPU's serial loop, bit for bit —
or writes only the last. Float32 and float64 read denormals as zero and flush results, as on
the CPU and as the reference's other GPU kernels do (PTX's float32 atomic add flushes too; its
float64 one keeps denormals, which a real GPU running TF would show). Strings (ScatterUpdate)
live on the host and go to the CPU kernel.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import cuda

from ..cpu import resource as cpu_resource
from ..cpu import scatter as cpu_scatter
from ..cpu import state as cpu_state
from ..ftz import smallest_normal
from ..registry import GPU, KernelContext
from . import runtime
from .array import copy


@cuda.jit
def accumulate_kernel(params, updates, rows, starts, positions, cols, u_cols, subtract):  # type: ignore[no-untyped-def]
    # one thread per (group g, element c): row rows[g] gets the updates at positions
    # starts[g] .. starts[g + 1] - 1, in that (index) order; u_cols 0 is a scalar update
    for i in range(cuda.grid(1), rows.size * cols, cuda.gridsize(1)):
        g = i // cols
        c = i % cols
        at = rows[g] * cols + c
        acc = params[at]
        for k in range(starts[g], starts[g + 1]):
            u = updates[positions[k] * u_cols + c] if u_cols else updates[0]
            if subtract:
                acc = acc - u
            else:
                acc = acc + u
        params[at] = acc


@cuda.jit
def accumulate_flushing_kernel(params, updates, rows, starts, positions, cols, u_cols, subtract,
                               tiny, zero):  # type: ignore[no-untyped-def]
    # accumulate_kernel with FTZ / DAZ: each operand and each partial result below the
    # smallest normal number becomes a zero of its sign (``* zero``, a zero of the params'
    # type, keeps the arithmetic in that type)
    for i in range(cuda.grid(1), rows.size * cols, cuda.gridsize(1)):
        g = i // cols
        c = i % cols
        at = rows[g] * cols + c
        acc = params[at]
        if abs(acc) < tiny:
            acc = acc * zero
        for k in range(starts[g], starts[g + 1]):
            u = updates[positions[k] * u_cols + c] if u_cols else updates[0]
            if abs(u) < tiny:
                u = u * zero
            if subtract:
                acc = acc - u
            else:
                acc = acc + u
            if abs(acc) < tiny:
                acc = acc * zero
        params[at] = acc


@cuda.jit
def write_kernel(params, updates, rows, positions, cols, u_cols):  # type: ignore[no-untyped-def]
    # one thread per (row named, element): the row's last write
    for i in range(cuda.grid(1), rows.size * cols, cuda.gridsize(1)):
        g = i // cols
        c = i % cols
        params[rows[g] * cols + c] = updates[positions[g] * u_cols + c] if u_cols else updates[0]


def _groups(flat: np.ndarray, rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The in-range positions of ``flat`` grouped by row: (each row named, where its positions
    start in the third array and where the last ends, the positions in row then index order)."""
    valid = np.flatnonzero((flat >= 0) & (flat < rows))
    positions = valid[np.argsort(flat[valid], kind="stable")]
    ordered = flat[positions]
    starts = (np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if ordered.size
              else np.zeros(0, np.int64))
    return ordered[starts], np.r_[starts, ordered.size], positions


def gpu_scatter(kind: str, params: Any, indices: np.ndarray, updates: Any) -> None:
    """Update the device array ``params`` in place as the reference's GPU functor does."""
    flat = indices.reshape(-1).astype(np.int64, copy=False)
    if flat.size == 0:
        return
    rows, cols = cpu_scatter.as_rows(tuple(params.shape))
    scalar = len(updates.shape) == 0
    if scalar and kind == cpu_scatter.SUB:  # TF's scalar form, p + (-u)
        updates, kind = np.negative(runtime.to_host(updates)), cpu_scatter.ADD
    u_cols = 0 if scalar else cols
    if kind == cpu_scatter.ASSIGN:
        valid = np.flatnonzero((flat >= 0) & (flat < rows))
        named, last = cpu_scatter.last_writes(flat[valid])
        group_rows, group_positions, starts = named, valid[last], None
    else:
        group_rows, starts, group_positions = _groups(flat, rows)
    if group_rows.size == 0 or cols == 0:
        return
    p, u = runtime.flat(params), runtime.flat(runtime.to_device(updates))
    group_rows_d, positions_d = runtime.to_device(group_rows), runtime.to_device(group_positions)
    n = group_rows.size * cols
    if kind == cpu_scatter.ASSIGN:
        runtime.launch(write_kernel, n, p, u, group_rows_d, positions_d, cols, u_cols)
        return
    tiny = smallest_normal(params.dtype)
    subtract = kind == cpu_scatter.SUB
    # (under the simulator the kernel's scalars are numpy's, which warn where integers wrap
    # and inf - inf gives NaN, as meant)
    with np.errstate(over="ignore", invalid="ignore"):
        if tiny is None:
            runtime.launch(accumulate_kernel, n, p, u, group_rows_d, runtime.to_device(starts),
                           positions_d, cols, u_cols, subtract)
        else:
            runtime.launch(accumulate_flushing_kernel, n, p, u, group_rows_d,
                           runtime.to_device(starts), positions_d, cols, u_cols, subtract, tiny,
                           tiny * 0)


def _on_device(value: Any) -> bool:
    """Whether the variable's value is (or can be) device memory: not strings."""
    return runtime.is_device(value) or runtime.on_device(np.asarray(value))


def ref_scatter(kind: str, ctx: KernelContext, inputs: list) -> list:
    ref, indices, updates = inputs
    if ref.value is None:
        raise cpu_state.uninitialized(ref)
    if not _on_device(ref.value):  # strings: TF's CPU kernel, in host memory
        return cpu_scatter.ref_scatter(kind, ctx, [ref, runtime.to_host(indices), runtime.to_host(updates)])
    indices = runtime.to_host(indices)
    cpu_scatter.check_ref_shapes(tuple(np.shape(ref.value)), indices.shape, tuple(updates.shape))
    if not runtime.is_device(ref.value):  # a value some CPU kernel left on the host
        ref.value = runtime.to_device(np.array(ref.value))
    gpu_scatter(kind, ref.value, indices, updates)
    return [ref]


def resource_scatter(kind: str, ctx: KernelContext, inputs: list) -> list:
    handle, indices, updates = inputs
    if handle.value is None:
        raise cpu_resource.not_found(ctx, handle)
    if not _on_device(handle.value):
        return cpu_scatter.resource_scatter(kind, ctx, [handle, runtime.to_host(indices),
                                                        runtime.to_host(updates)])
    indices = runtime.to_host(indices)
    cpu_scatter.check_resource_shapes(tuple(np.shape(handle.value)), indices.shape,
                                      tuple(updates.shape))
    params = copy(handle.value)  # a new buffer: earlier reads keep their snapshot
    gpu_scatter(kind, params, indices, updates)
    handle.value = params
    return []


cpu_scatter.register_scatter_kernels(GPU, ref_scatter, resource_scatter)

__all__ = ["gpu_scatter"]
