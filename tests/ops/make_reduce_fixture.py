"""Regenerate tests/ops/data/reduce_tf.npz: TensorFlow 2.21's float reductions of seeded inputs.

Run with TensorFlow installed (``.venv/bin/python tests/ops/make_reduce_fixture.py``); the tests
read only the stored results and rebuild the inputs from the same seeds.
"""

from __future__ import annotations

import os

import numpy as np

CASES = [  # (shape, axes or None, op, dtype)
    ((1000,), None, "sum", "float32"), ((8191,), None, "sum", "float32"),
    ((8193,), None, "sum", "float32"), ((100003,), None, "sum", "float32"),
    ((300001,), None, "sum", "float32"), ((1 << 20,), None, "sum", "float32"),
    ((37, 129), [1], "sum", "float32"), ((129, 37), [0], "sum", "float32"),
    ((5, 9000), [1], "sum", "float32"), ((9, 8197), [1], "sum", "float32"),
    ((67, 3, 23), [0, 2], "sum", "float32"), ((4, 50, 7), [1], "sum", "float32"),
    ((3, 4, 5, 6), [0, 2], "sum", "float32"), ((3, 4, 5, 6), [1, 3], "sum", "float32"),
    ((2, 1, 300, 1, 5), [2, 3], "sum", "float32"), ((64, 64), None, "mean", "float32"),
    ((33, 250), [1], "mean", "float32"), ((250, 33), [0], "mean", "float32"),
    ((7, 333), [1], "prod", "float32"), ((2000,), None, "prod", "float32"),
    ((1000,), None, "sum", "float64"), ((17, 5000), [1], "sum", "float64"),
    ((5000, 3), [0], "mean", "float64"),
]


def inputs(i: int, shape: tuple[int, ...], op: str, dtype: str) -> np.ndarray:
    rng = np.random.default_rng(1000 + i)
    if op == "prod":
        return (1.0 + 0.01 * rng.standard_normal(shape)).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


def main() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()
    fn = {"sum": tf.reduce_sum, "mean": tf.reduce_mean, "prod": tf.reduce_prod}
    results = {}
    with tf.Session() as sess:
        for i, (shape, axes, op, dtype) in enumerate(CASES):
            x = inputs(i, shape, op, dtype)
            p = tf.placeholder(dtype, shape)
            results[f"case{i}"] = sess.run(fn[op](p, axes), {p: x})
    np.savez_compressed(os.path.join(os.path.dirname(__file__), "data", "reduce_tf.npz"), **results)


if __name__ == "__main__":
    main()
