"""Regenerate tests/ops/data/sparse_training_tf.npz: TensorFlow 2.21's sparse training updates
(``SparseApplyMomentum`` … ``SparseApplyFtrlV2``) of seeded variables, slots and gradients.

Run with TensorFlow installed (``.venv/bin/python tests/ops/make_sparse_training_fixture.py``).
Each case applies the op three times (the same rows of ``grad``, indices that repeat) to a
variable of 5 rows of ``inner`` elements: 1 (TF's scalar paths), 3 (an Eigen row shorter than
a packet) and 11 (a packet of 8 and a tail). The inputs are rebuilt from the seeds; the stored
arrays are the variable and slots after the third step. ``rsqrt_x`` / ``rsqrt_tf`` record TF's float32
Rsqrt packets on this machine: their last bits come from the processor's ``rsqrtps`` estimate,
so the tests run the float32 rsqrt cases only where the reference reproduces those.
"""

from __future__ import annotations

import os

import numpy as np

from reference_impl.training_ops import value_inputs

INDICES = [3, 0, 3, 1, 3]  # (row 3 three times, in between others)
INNERS = (1, 3, 11)
DTYPES = ("float32", "float64")

# (op, number of variables, scalar inputs (name, value), attrs); the scalars go where the op
# takes them (`arguments`).
OPS = [
    ("SparseApplyMomentum", 2, {"lr": 0.1, "momentum": 0.9}, {"use_nesterov": False}),
    ("SparseApplyMomentum", 2, {"lr": 0.1, "momentum": 0.9}, {"use_nesterov": True}),
    ("SparseApplyAdagrad", 2, {"lr": 0.1}, {"update_slots": True}),
    ("SparseApplyAdagrad", 2, {"lr": 0.1}, {"update_slots": False}),
    ("SparseApplyAdagradDA", 3, {"lr": 0.1, "l1": 0.0, "l2": 0.02, "global_step": 3}, {}),
    ("SparseApplyAdagradDA", 3, {"lr": 0.1, "l1": 0.01, "l2": 0.02, "global_step": 7}, {}),
    ("SparseApplyRMSProp", 3, {"lr": 0.1, "rho": 0.9, "momentum": 0.5, "epsilon": 1e-7}, {}),
    ("SparseApplyCenteredRMSProp", 4, {"lr": 0.1, "rho": 0.9, "momentum": 0.5, "epsilon": 1e-7}, {}),
    ("SparseApplyFtrl", 3, {"lr": 0.1, "l1": 0.01, "l2": 0.02, "lr_power": -0.5},
     {"multiply_linear_by_lr": False}),
    ("SparseApplyFtrl", 3, {"lr": 0.1, "l1": 0.01, "l2": 0.02, "lr_power": -0.3},
     {"multiply_linear_by_lr": False}),
    ("SparseApplyFtrl", 3, {"lr": 0.1, "l1": 0.01, "l2": 0.02, "lr_power": -0.5},
     {"multiply_linear_by_lr": True}),
    ("SparseApplyFtrlV2", 3, {"lr": 0.1, "l1": 0.01, "l2": 0.02, "l2_shrinkage": 0.03,
                              "lr_power": -0.5}, {"multiply_linear_by_lr": False}),
    ("SparseApplyFtrlV2", 3, {"lr": 0.1, "l1": 0.5, "l2": 0.0, "l2_shrinkage": 0.03,
                              "lr_power": -0.7}, {"multiply_linear_by_lr": True}),
]

# Which ops' rows go through Eigen's rsqrt (its float32 packets read the processor's estimate).
RSQRT_OPS = ("SparseApplyAdagrad", "SparseApplyRMSProp", "SparseApplyCenteredRMSProp")


CASES = [(k, inner, dtype) for k in range(len(OPS)) for inner in INNERS for dtype in DTYPES]


def case_key(i: int) -> str:
    k, inner, dtype = CASES[i]
    return f"{OPS[k][0]}_{k}_{inner}_{dtype}"


def start(i: int) -> tuple[list[np.ndarray], np.ndarray]:
    """(the variable and its slots, grad) of case ``i``: slots that are square roots' operands
    positive (a centered RMSProp's ``ms`` above ``mg * mg``)."""
    k, inner, dtype = CASES[i]
    op, count, _, _ = OPS[k]
    rng = np.random.default_rng(2000 + i)
    shape = (5, inner)
    var = rng.standard_normal(shape)
    slots = [rng.uniform(0.1, 2.0, shape) for _ in range(count - 1)]
    if op == "SparseApplyMomentum":
        slots = [rng.standard_normal(shape)]
    if op == "SparseApplyCenteredRMSProp":  # mg, ms, mom
        slots = [rng.uniform(-0.5, 0.5, shape), rng.uniform(1.0, 2.0, shape), rng.standard_normal(shape)]
    if op == "SparseApplyAdagradDA":  # gradient_accumulator may be of any sign
        slots[0] = rng.standard_normal(shape)
    if op.startswith("SparseApplyFtrl"):  # linear of any sign
        slots[1] = rng.standard_normal(shape)
    grad = rng.standard_normal((len(INDICES), inner))
    return [a.astype(dtype) for a in [var, *slots]], grad.astype(dtype)


def arguments(i: int, grad: np.ndarray) -> list:
    """The op's inputs after the variables: scalars of the variable's type (global_step
    int64), grad and the int32 indices."""
    k, _, dtype = CASES[i]
    op, _, values, _ = OPS[k]
    out = []
    for name in value_inputs(op):
        if name == "grad":
            out.append(grad)
        elif name == "indices":
            out.append(np.array(INDICES, np.int32))
        elif name == "global_step":
            out.append(np.int64(values[name]))
        else:
            out.append(np.array(values[name], dtype))
    return out


def rsqrt_probe() -> np.ndarray:
    rng = np.random.default_rng(7)
    return np.concatenate([rng.uniform(0.01, 100.0, 1000), np.exp(rng.uniform(-80.0, 80.0, 1000))]).astype(np.float32)


def main() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()
    stored = {}
    for i in range(len(CASES)):
        k, _, dtype = CASES[i]
        op, _, _, attrs = OPS[k]
        variables, grad = start(i)
        tf.reset_default_graph()
        refs = [tf.Variable(v) for v in variables]
        ins = [tf.placeholder(tf.as_dtype(np.asarray(a).dtype), np.shape(a)) for a in arguments(i, grad)]
        update = getattr(tf.raw_ops, op)(**dict(zip(("var",), [refs[0]._ref()])),
                                          **_slot_kwargs(op, refs), **dict(zip(value_inputs(op), ins)),
                                          **attrs)
        feed = dict(zip(ins, arguments(i, grad)))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _step in range(3):
                sess.run(update, feed)
            for j, value in enumerate(sess.run(refs)):
                stored[f"{case_key(i)}_var{j}"] = value
    x = rsqrt_probe()
    tf.reset_default_graph()
    p = tf.placeholder(tf.float32, x.shape)
    with tf.Session() as sess:
        stored["rsqrt_x"], stored["rsqrt_tf"] = x, sess.run(tf.math.rsqrt(p), {p: x})
    path = os.path.join(os.path.dirname(__file__), "data", "sparse_training_tf.npz")
    np.savez_compressed(path, **stored)
    print(f"wrote {len(stored)} arrays to {path}")


_SLOT_NAMES = {
    "SparseApplyMomentum": ("accum",), "SparseApplyAdagrad": ("accum",),
    "SparseApplyAdagradDA": ("gradient_accumulator", "gradient_squared_accumulator"),
    "SparseApplyRMSProp": ("ms", "mom"), "SparseApplyCenteredRMSProp": ("mg", "ms", "mom"),
    "SparseApplyFtrl": ("accum", "linear"), "SparseApplyFtrlV2": ("accum", "linear"),
}


def _slot_kwargs(op: str, refs: list) -> dict:
    return {name: r._ref() for name, r in zip(_SLOT_NAMES[op], refs[1:])}


if __name__ == "__main__":
    main()
