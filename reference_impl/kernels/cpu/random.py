"""CPU kernels: random ops. Each op keeps a numpy generator per session, seeded from its
(seed, seed2) attributes when either is set, so a seeded op repeats itself in a new session."""

from __future__ import annotations

import numpy as np

from ..registry import KernelContext, register_kernel


def _rng(ctx: KernelContext) -> np.random.Generator:
    key = ("rng", ctx.op_name)
    if key not in ctx.resources:
        seed, seed2 = ctx.attrs.get("seed", 0), ctx.attrs.get("seed2", 0)
        ctx.resources[key] = (np.random.default_rng([seed, seed2]) if seed or seed2
                              else np.random.default_rng())
    return ctx.resources[key]


def _shape(x: object) -> list[int]:
    return [int(d) for d in np.ravel(x)]


def _normal(rng: np.random.Generator, shape: object, dt: type) -> np.ndarray:
    """Standard normal draws, made in ``dt`` directly where numpy can (float32/64)."""
    if dt in (np.float32, np.float64):
        return rng.standard_normal(shape, dtype=dt)
    return rng.standard_normal(shape).astype(dt)


@register_kernel("RandomStandardNormal")
def random_standard_normal(ctx: KernelContext, inputs: list) -> list:
    return [_normal(_rng(ctx), _shape(inputs[0]), ctx.attrs["dtype"].as_numpy_dtype)]


@register_kernel("TruncatedNormal")
def truncated_normal(ctx: KernelContext, inputs: list) -> list:
    rng = _rng(ctx)
    dt = ctx.attrs["dtype"].as_numpy_dtype
    out = _normal(rng, _shape(inputs[0]), dt)
    bad = np.abs(out) > 2.0
    while bad.any():
        # Values beyond two standard deviations are drawn again.
        out[bad] = _normal(rng, int(bad.sum()), dt)
        bad = np.abs(out) > 2.0
    return [out]


@register_kernel("RandomUniform")
def random_uniform(ctx: KernelContext, inputs: list) -> list:
    dt = ctx.attrs["dtype"].as_numpy_dtype
    if dt in (np.float32, np.float64):
        return [_rng(ctx).random(_shape(inputs[0]), dtype=dt)]
    return [_rng(ctx).random(_shape(inputs[0])).astype(dt)]


@register_kernel("RandomUniformInt")
def random_uniform_int(ctx: KernelContext, inputs: list) -> list:
    shape, lo, hi = inputs
    dt = ctx.attrs["Tout"].as_numpy_dtype
    return [_rng(ctx).integers(int(lo), int(hi), _shape(shape)).astype(dt)]


@register_kernel("RandomShuffle")
def random_shuffle(ctx: KernelContext, inputs: list) -> list:
    x = np.asarray(inputs[0])
    return [x if x.ndim == 0 else _rng(ctx).permutation(x)]
