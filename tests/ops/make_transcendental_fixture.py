"""Regenerate tests/ops/data/transcendental_tf.npz: TensorFlow 2.21's Exp, Log, Sin, Cos, Sigmoid,
SigmoidGrad and Pow of seeded inputs (float32, float64, float16), packets and scalar tails.

Run with TensorFlow installed (``.venv/bin/python tests/ops/make_transcendental_fixture.py``).
The inputs are stored beside the results (``<key>_x``, ``<key>_y``) and the tests read both: the
seeds alone do not fix them, since numpy's exp, which spreads some of them, rounds differently
on machines with AVX-512 (its SVML loop) and without.
"""

from __future__ import annotations

import os

import numpy as np

OPS = ("Exp", "Log", "Sin", "Cos", "Sigmoid")
DTYPES = ("float32", "float64", "float16")
# Where each function's approximation changes course: clamps, underflow to denormals (flushed),
# the frexp split at sqrt(1/2), the Payne-Hanek threshold of sin (25966) and cos (18838).
SPECIAL = [0.0, -0.0, 1e-40, -1e-40, 1e-310, np.inf, -np.inf, np.nan, 88.72, 88.723, -87.5, -104.0,
           -105.0, 87.0, 709.78, 709.79, -745.6, 0.5, 1.0, 2.0, 0.70710677, 1.4142135, 25966.0,
           18838.0, 18837.99, 1e30, -1e30, 3.4e38, 1.5707964, -3.0, 1e300, -0.70710677]


def inputs(op: str, dtype: str) -> np.ndarray:
    """1,000 values spread over each function's useful range and the special ones, then 5 more
    (a tail of 5 past float32's 8-value and float64's 4-value packets)."""
    rng = np.random.default_rng(sum(map(ord, op + dtype)))
    if op == "Exp":
        wide = rng.uniform(-750.0, 750.0, 300) if dtype == "float64" else rng.uniform(-110.0, 95.0, 300)
        spread = [wide, rng.uniform(-3.0, 3.0, 400), rng.normal(0.0, 20.0, 300)]
    elif op == "Sigmoid":
        spread = [rng.uniform(-110.0, 40.0, 300), rng.uniform(-8.0, 8.0, 400), rng.normal(0.0, 20.0, 300)]
    elif op == "Log":
        spread = [np.exp(rng.uniform(-90.0, 88.0, 400)), rng.uniform(0.0, 3.0, 300), rng.uniform(0.5, 1.5, 300)]
    else:
        spread = [rng.uniform(-10.0, 10.0, 500), rng.uniform(-30000.0, 30000.0, 300), rng.normal(0.0, 1e6, 200)]
    with np.errstate(all="ignore"):
        values = np.concatenate([*spread, SPECIAL, rng.uniform(0.1, 5.0, 5)]).astype(dtype)
    return values[: (len(values) - 5) // 8 * 8 + 5]


# Pow's special operands: every pair of them is taken (signed zeros, +-1, infinities, NaN, denormals,
# odd and even integers, halves, huge and tiny magnitudes).
POW_SPECIAL = [0.0, -0.0, 1.0, -1.0, 2.0, 0.5, np.inf, -np.inf, np.nan, 1e-40, -1e-40, 3.0, -2.0, 1e30,
               1e-30, 1.5]


def pow_inputs(dtype: str) -> tuple[np.ndarray, np.ndarray]:
    """(x, y): 1,000 random pairs (positive, wide-ranging and negative bases; fractional, integer
    and large exponents), the special pairs, then 5 more (a tail past the packets)."""
    rng = np.random.default_rng(sum(map(ord, "Pow" + dtype)))
    x = [rng.uniform(0.0, 5.0, 300), np.exp(rng.uniform(-80.0, 80.0, 300)), rng.uniform(-5.0, 5.0, 200),
         rng.uniform(0.9, 1.1, 200)]
    y = [rng.uniform(-5.0, 5.0, 300), rng.uniform(-2.0, 2.0, 300), rng.integers(-6, 7, 200).astype(float),
         rng.uniform(-300.0, 300.0, 200)]
    sx, sy = np.meshgrid(POW_SPECIAL, POW_SPECIAL)
    with np.errstate(all="ignore"):
        xs = np.concatenate([*x, sx.ravel(), rng.uniform(0.1, 5.0, 5)]).astype(dtype)
        ys = np.concatenate([*y, sy.ravel(), rng.uniform(-3.0, 3.0, 5)]).astype(dtype)
    return xs, ys


def sigmoid_grad_inputs(dtype: str) -> tuple[np.ndarray, np.ndarray]:
    """(y, dy): 1,000 sigmoid values and gradients, then 5 more (a tail)."""
    rng = np.random.default_rng(sum(map(ord, "SigmoidGrad" + dtype)))
    y = np.concatenate([rng.uniform(0.0, 1.0, 1005), [0.0, 1.0, 1e-40, 0.5]])
    dy = np.concatenate([rng.normal(0.0, 3.0, 1005), [1.0, -2.0, 3.0, 1e-40]])
    return y.astype(dtype), dy.astype(dtype)


def main() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()
    fn = {"Exp": tf.exp, "Log": tf.log, "Sin": tf.sin, "Cos": tf.cos, "Sigmoid": tf.sigmoid}
    results = {}
    with tf.Session() as sess:
        for op in OPS:
            for dtype in DTYPES:
                p = tf.placeholder(dtype, [None])
                xs = results[f"{op}_{dtype}_x"] = inputs(op, dtype)
                results[f"{op}_{dtype}"] = sess.run(fn[op](p), {p: xs})
        for dtype in DTYPES:
            x, y = tf.placeholder(dtype, [None]), tf.placeholder(dtype, [None])
            xs, ys = results[f"Pow_{dtype}_x"], results[f"Pow_{dtype}_y"] = pow_inputs(dtype)
            results[f"Pow_{dtype}"] = sess.run(tf.pow(x, y), {x: xs, y: ys})
            ys, dys = results[f"SigmoidGrad_{dtype}_x"], results[f"SigmoidGrad_{dtype}_y"] = sigmoid_grad_inputs(dtype)
            results[f"SigmoidGrad_{dtype}"] = sess.run(tf.raw_ops.SigmoidGrad(y=x, dy=y), {x: ys, y: dys})
    np.savez_compressed(os.path.join(os.path.dirname(__file__), "data", "transcendental_tf.npz"), **results)


if __name__ == "__main__":
    main()
