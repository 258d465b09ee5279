"""GPU kernels: random ops on numba's xoroshiro128+ generator, one stream per thread.

Each op keeps its generator states per session (as the CPU kernels keep a numpy generator),
seeded from its (seed, seed2) attributes when either is set, so a seeded op repeats itself in a
new session. The streams are not numpy's (nor TensorFlow's, which the spec does not require):
the spec asserts distributions, shapes and dtypes, never raw random values.
"""

from __future__ import annotations

import os
import warnings
from typing import Any

import numpy as np
from numba import cuda
from numba.cuda.random import (create_xoroshiro128p_states, xoroshiro128p_next,
                               xoroshiro128p_normal_float32, xoroshiro128p_normal_float64,
                               xoroshiro128p_uniform_float32, xoroshiro128p_uniform_float64)

from ..registry import GPU, KernelContext, register_kernel
from . import runtime

if runtime.SIMULATOR:
    # The kernels below run as Python under the simulator; their device functions become
    # equivalents on Python ints (same states and draws, bit for bit: see xoroshiro_sim).
    from . import xoroshiro_sim

    xoroshiro128p_next = xoroshiro_sim.xoroshiro128p_next
    xoroshiro128p_normal_float32 = xoroshiro_sim.xoroshiro128p_normal_float32
    xoroshiro128p_normal_float64 = xoroshiro_sim.xoroshiro128p_normal_float64
    xoroshiro128p_uniform_float32 = xoroshiro_sim.xoroshiro128p_uniform_float32
    xoroshiro128p_uniform_float64 = xoroshiro_sim.xoroshiro128p_uniform_float64

    def create_xoroshiro128p_states(n: int, seed: int) -> Any:  # noqa: F811
        from numba.cuda.random import xoroshiro128p_dtype

        states = np.empty(n, dtype=xoroshiro128p_dtype)
        xoroshiro_sim.init_xoroshiro128p_states(states, seed)
        return cuda.to_device(states)


# Streams per op on a GPU: enough threads to fill it, few enough to initialise quickly.
_GPU_GRID = (64, 256)


def _grid() -> tuple[int, int]:
    return runtime.grid(1) if runtime.SIMULATOR else _GPU_GRID


def _states(ctx: KernelContext) -> tuple[Any, tuple[int, int]]:
    blocks, threads = _grid()
    key = ("gpu-rng", ctx.op_name, blocks * threads)
    if key not in ctx.resources:
        seed, seed2 = ctx.attrs.get("seed", 0), ctx.attrs.get("seed2", 0)
        if seed or seed2:
            value = (int(seed) << 32) ^ int(seed2) & 0xFFFFFFFF
        else:
            value = int.from_bytes(os.urandom(8), "little")
        with warnings.catch_warnings():
            # numba initialises the states with a host function that falls back to object mode
            # (and says so at length); the states are right either way.
            warnings.simplefilter("ignore")
            ctx.resources[key] = create_xoroshiro128p_states(blocks * threads, seed=value)
    return ctx.resources[key], (blocks, threads)


def _shape(x: Any) -> list[int]:
    return [int(d) for d in np.ravel(runtime.to_host(x))]


@cuda.jit
def normal_kernel(states, out, truncate, double):  # type: ignore[no-untyped-def]
    tid = cuda.grid(1)
    for i in range(tid, out.size, cuda.gridsize(1)):
        while True:
            if double:
                v = xoroshiro128p_normal_float64(states, tid)
            else:
                v = xoroshiro128p_normal_float32(states, tid)
            # Truncated: values beyond two standard deviations are drawn again (as on the CPU).
            if not truncate or abs(v) <= 2.0:
                break
        out[i] = v


@cuda.jit
def uniform_kernel(states, out, double):  # type: ignore[no-untyped-def]
    tid = cuda.grid(1)
    for i in range(tid, out.size, cuda.gridsize(1)):
        if double:
            out[i] = xoroshiro128p_uniform_float64(states, tid)
        else:
            out[i] = xoroshiro128p_uniform_float32(states, tid)


@cuda.jit
def uniform_int_kernel(states, out, lo, span):  # type: ignore[no-untyped-def]
    tid = cuda.grid(1)
    for i in range(tid, out.size, cuda.gridsize(1)):
        out[i] = lo + np.int64(xoroshiro128p_next(states, tid) % span)


@cuda.jit
def permutation_kernel(states, perm):  # type: ignore[no-untyped-def]
    # Fisher-Yates is sequential: one thread draws the permutation of the first axis.
    if cuda.grid(1) == 0:
        n = perm.size
        for j in range(n):
            perm[j] = j
        for j in range(n - 1, 0, -1):
            k = xoroshiro128p_next(states, 0) % np.uint64(j + 1)
            t = perm[j]
            perm[j] = perm[k]
            perm[k] = t


@cuda.jit
def gather_rows_kernel(x, perm, inner, out):  # type: ignore[no-untyped-def]
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        row = i // inner
        out[i] = x[perm[row] * inner + (i - row * inner)]


def _launch(kernel: Any, grid: tuple[int, int], n: int, *args: Any) -> None:
    if n > 0:
        runtime.launch_grid(kernel, *grid, *args)


def _normal(ctx: KernelContext, inputs: list, truncate: bool) -> list:
    dt = np.dtype(ctx.attrs["dtype"].as_numpy_dtype)
    out = runtime.empty(_shape(inputs[0]), dt)
    states, grid = _states(ctx)
    _launch(normal_kernel, grid, out.size, states, runtime.flat(out), truncate,
            dt == np.float64)
    return [out]


@register_kernel("RandomStandardNormal", GPU)
def random_standard_normal(ctx: KernelContext, inputs: list) -> list:
    return _normal(ctx, inputs, truncate=False)


@register_kernel("TruncatedNormal", GPU)
def truncated_normal(ctx: KernelContext, inputs: list) -> list:
    return _normal(ctx, inputs, truncate=True)


@register_kernel("RandomUniform", GPU)
def random_uniform(ctx: KernelContext, inputs: list) -> list:
    dt = np.dtype(ctx.attrs["dtype"].as_numpy_dtype)
    out = runtime.empty(_shape(inputs[0]), dt)
    states, grid = _states(ctx)
    _launch(uniform_kernel, grid, out.size, states, runtime.flat(out), dt == np.float64)
    return [out]


@register_kernel("RandomUniformInt", GPU)
def random_uniform_int(ctx: KernelContext, inputs: list) -> list:
    shape, lo, hi = inputs
    lo, hi = int(runtime.to_host(lo)), int(runtime.to_host(hi))
    out = runtime.empty(_shape(shape), ctx.attrs["Tout"].as_numpy_dtype)
    states, grid = _states(ctx)
    _launch(uniform_int_kernel, grid, out.size, states, runtime.flat(out), np.int64(lo),
            np.uint64(hi - lo))
    return [out]


@register_kernel("RandomShuffle", GPU)
def random_shuffle(ctx: KernelContext, inputs: list) -> list:
    x = runtime.to_device(inputs[0])
    if x.ndim == 0 or x.shape[0] == 0:
        return [x]
    states, grid = _states(ctx)
    perm = runtime.empty((x.shape[0],), np.int64)
    runtime.launch_grid(permutation_kernel, 1, 1, states, perm)
    out = runtime.empty(x.shape, x.dtype)
    inner = x.size // x.shape[0]
    runtime.launch(gather_rows_kernel, out.size, runtime.flat(x), perm, inner, runtime.flat(out))
    return [out]
