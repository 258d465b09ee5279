"""Regenerate tests/ops/data/clip_tf.npz: TensorFlow 2.21's CPU kernels on the ops the
gradient-clipping functions add or lean on — Rsqrt, RsqrtGrad, ClipByValue, and Maximum /
Minimum of two zeros — for tests/ops/test_clip_kernels.py.

Run with TensorFlow installed (``.venv/bin/python tests/ops/make_clip_fixture.py``). Inputs are
drawn from a seeded generator with special values mixed in (zeros of both signs, denormals,
infinities, NaN) and fed through placeholders, so nothing is constant-folded. Tensors of 1 to
19 elements and of 203 cover Eigen's packets and scalar tail. The float32 Rsqrt
packets' last bits come from the processor's ``rsqrtps`` estimate: ``rsqrt_packet_*`` records
them on the machine that ran this, and the tests compare them only where the reference
reproduces that processor's estimate.
"""

from __future__ import annotations

import os

import numpy as np

SEED = 20250301
SIZES = list(range(1, 20)) + [203]
SPECIAL = [0.0, -0.0, 1e-40, -1e-40, np.inf, -np.inf, np.nan, 1e-30, 3e38, 1.0, -2.0]


def inputs(rng: np.random.Generator, n: int, dtype: str, positive: bool) -> np.ndarray:
    """``n`` values of ``dtype``: magnitudes over many binades, specials mixed in."""
    x = rng.standard_normal(n) * 10.0 ** rng.integers(-20, 20, n)
    if dtype == "float16":
        x = rng.standard_normal(n) * 10.0 ** rng.integers(-4, 4, n)
    if positive:
        x = np.abs(x)
    if n > 4:
        x[rng.integers(0, n, n // 4 + 1)] = rng.choice(SPECIAL, n // 4 + 1)
    with np.errstate(over="ignore"):
        return x.astype(dtype)


def cases() -> dict[str, np.ndarray]:
    """Every input array of the fixture, by key (the outputs are added by `main`)."""
    rng = np.random.default_rng(SEED)
    out: dict[str, np.ndarray] = {}
    for dtype in ("float32", "float64", "float16"):
        for n in SIZES:
            out[f"rsqrt_{dtype}_{n}_x"] = inputs(rng, n, dtype, positive=n % 3 != 0)
            out[f"rsqrt_grad_{dtype}_{n}_y"] = inputs(rng, n, dtype, positive=False)
            out[f"rsqrt_grad_{dtype}_{n}_dy"] = inputs(rng, n, dtype, positive=False)
    for dtype in ("float32", "float64", "int32"):
        for i, (lo_shape, hi_shape) in enumerate([((), ()), ((13,), ()), ((), (13,)), ((13,), (13,))]):
            pool = (np.array([0, -0.0, 1e-40, -1e-40, np.inf, -np.inf, np.nan, 1.0, -1.0, 2.5])
                    if dtype != "int32" else np.array([0, 1, -4, 9, 100, -100]))
            for name, shape in (("x", (13,)), ("lo", lo_shape), ("hi", hi_shape)):
                out[f"clip_{dtype}_{i}_{name}"] = rng.choice(pool, shape).astype(dtype)
    return out


def main() -> None:
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()
    data = cases()
    results: dict[str, np.ndarray] = {}
    with tf.Session() as sess:
        for key, value in list(data.items()):
            if key.startswith("rsqrt_") and key.endswith("_x"):
                p = tf.placeholder(value.dtype, [None])
                results[key[:-2] + "_tf"] = sess.run(tf.math.rsqrt(p), {p: value})
            elif key.startswith("rsqrt_grad_") and key.endswith("_y"):
                y = tf.placeholder(value.dtype, [None])
                dy = tf.placeholder(value.dtype, [None])
                results[key[:-2] + "_tf"] = sess.run(tf.raw_ops.RsqrtGrad(y=y, dy=dy), {
                    y: value, dy: data[key[:-2] + "_dy"]})
            elif key.startswith("clip_") and key.endswith("_x"):
                base = key[:-2]
                x, lo, hi = (tf.placeholder(value.dtype, None) for _ in range(3))
                results[base + "_tf"] = sess.run(
                    tf.raw_ops.ClipByValue(t=x, clip_value_min=lo, clip_value_max=hi),
                    {x: value, lo: data[base + "_lo"], hi: data[base + "_hi"]})
        # Maximum / Minimum of +0 and -0 (either way round), same shapes, a scalar, broadcasting
        for op in ("maximum", "minimum"):
            for dtype in ("float32", "float64", "float16"):
                for i, (xs, ys) in enumerate([((18,), (18,)), ((11,), ()), ((), (11,)), ((3,), ()),
                                              ((2, 9), (9,)), ((3, 5), (1, 5)), ((2, 3, 4), (4,))]):
                    x, y = tf.placeholder(dtype, None), tf.placeholder(dtype, None)
                    xv, yv = np.full(xs, 0.0, dtype), np.full(ys, -0.0, dtype)
                    data[f"ties_{op}_{dtype}_{i}_x"], data[f"ties_{op}_{dtype}_{i}_y"] = xv, yv
                    results[f"ties_{op}_{dtype}_{i}_tf"] = sess.run(
                        getattr(tf, op)(x, y), {x: xv, y: yv})
    path = os.path.join(os.path.dirname(__file__), "data", "clip_tf.npz")
    np.savez_compressed(path, **data, **results)
    print(f"wrote {path}: {len(data) + len(results)} arrays")


if __name__ == "__main__":
    main()
