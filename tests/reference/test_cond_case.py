"""TF1 ``tf.cond`` / ``tf.case`` (CondContext) and ``piecewise_constant`` built on them, against
the graph and values TensorFlow 2.21 (``disable_v2_behavior``) gives for the same programs."""

from __future__ import annotations

import pytest

import reference_impl.compat.v1 as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield


def _graph():  # type: ignore[no-untyped-def]
    return [(op.name, op.type, [t.name for t in op.inputs] + ["^" + c.name for c in
                                                              op.control_inputs])
            for op in tf.get_default_graph().get_operations()]


# TF 2.21's ops for piecewise_constant(int64 step, [100], [0.01, 0.001]) (name, type, inputs).
P, A, C = "PiecewiseConstant/", "PiecewiseConstant/case/Assert/AssertGuard/", \
    "PiecewiseConstant/case/cond/"
TF_INT64_GRAPH = [
    ("Placeholder", "Placeholder", []), ("Const", "Const", []), ("Const_1", "Const", []),
    ("Const_2", "Const", []), ("Cast", "Cast", ["Const:0"]),
    (P + "LessEqual", "LessEqual", ["Placeholder:0", "Cast:0"]),
    (P + "Greater", "Greater", ["Placeholder:0", "Cast:0"]),
    (P + "case/preds_c", "Pack", [P + "LessEqual:0", P + "Greater:0"]),
    (P + "case/Cast", "Cast", [P + "case/preds_c:0"]),
    (P + "case/Const", "Const", []),
    (P + "case/num_true_conds", "Sum", [P + "case/Cast:0", P + "case/Const:0"]),
    (P + "case/n_true_conds", "Const", []),
    (P + "case/LessEqual", "LessEqual", [P + "case/num_true_conds:0", P + "case/n_true_conds:0"]),
    (P + "case/Assert/Const", "Const", []),
    (A + "Switch", "Switch", [P + "case/LessEqual:0", P + "case/LessEqual:0"]),
    (A + "switch_t", "Identity", [A + "Switch:1"]),
    (A + "switch_f", "Identity", [A + "Switch:0"]),
    (A + "pred_id", "Identity", [P + "case/LessEqual:0"]),
    (A + "NoOp", "NoOp", ["^" + A + "switch_t"]),
    (A + "control_dependency", "Identity", [A + "switch_t:0", "^" + A + "NoOp"]),
    (A + "Assert/data_0", "Const", ["^" + A + "switch_f"]),
    (A + "Assert", "Assert", [A + "Assert/Switch:0", A + "Assert/data_0:0",
                              A + "Assert/Switch_1:0"]),
    (A + "Assert/Switch", "Switch", [P + "case/LessEqual:0", A + "pred_id:0"]),
    (A + "Assert/Switch_1", "Switch", [P + "case/preds_c:0", A + "pred_id:0"]),
    (A + "control_dependency_1", "Identity", [A + "switch_f:0", "^" + A + "Assert"]),
    (A + "Merge", "Merge", [A + "control_dependency_1:0", A + "control_dependency:0"]),
    (C + "Switch", "Switch", [P + "LessEqual:0", P + "LessEqual:0", "^" + A + "Merge"]),
    (C + "switch_t", "Identity", [C + "Switch:1"]),
    (C + "switch_f", "Identity", [C + "Switch:0"]),
    (C + "pred_id", "Identity", [P + "LessEqual:0", "^" + A + "Merge"]),
    (C + "Switch_1", "Switch", ["Const_1:0", C + "pred_id:0"]),
    (C + "cond/Switch", "Switch", [C + "cond/Switch/Switch:0", C + "cond/Switch/Switch:0",
                                   "^" + A + "Merge"]),
    (C + "cond/Switch/Switch", "Switch", [P + "Greater:0", C + "pred_id:0"]),
    (C + "cond/switch_t", "Identity", [C + "cond/Switch:1"]),
    (C + "cond/switch_f", "Identity", [C + "cond/Switch:0"]),
    (C + "cond/pred_id", "Identity", [C + "cond/Switch/Switch:0", "^" + A + "Merge"]),
    (C + "cond/Switch_1", "Switch", ["Const_2:0", C + "pred_id:0"]),
    (C + "cond/Switch_2", "Switch", [C + "cond/Switch_1:0", C + "cond/pred_id:0"]),
    (C + "cond/Switch_3", "Switch", ["Const_1:0", C + "pred_id:0"]),
    (C + "cond/Switch_4", "Switch", [C + "cond/Switch_3:0", C + "cond/pred_id:0"]),
    (C + "cond/Merge", "Merge", [C + "cond/Switch_4:0", C + "cond/Switch_2:1"]),
    (C + "Merge", "Merge", [C + "cond/Merge:0", C + "Switch_1:1"]),
]


def test_piecewise_constant_builds_tfs_exclusive_case():
    step = tf.placeholder(tf.int64, shape=[])
    lr = tf.train.piecewise_constant(step, [100], [0.01, 0.001])
    assert lr.name == "PiecewiseConstant/case/cond/Merge:0"
    assert _graph() == TF_INT64_GRAPH
    assert tf.get_default_graph().get_operation_by_name(A + "Assert").get_attr("summarize") == 2
    with tf.Session() as sess:
        assert [float(sess.run(lr, {step: s})) for s in (100, 101)] == [
            0.009999999776482582, 0.0010000000474974513]


def test_piecewise_constant_three_intervals_values():
    step = tf.placeholder(tf.float32, shape=[])
    lr = tf.train.piecewise_constant(step, [1.5, 10.0, 20.0], [1, 2, 3, 4])
    with tf.Session() as sess:
        got = [int(sess.run(lr, {step: s})) for s in (0, 10, 11, 20, 21, 100, 101, -5)]
    assert got == [1, 2, 3, 3, 4, 4, 4, 1]  # TF 2.21


def test_cond_names_and_values():
    p = tf.placeholder(tf.bool, shape=[])
    x = tf.constant(2.0)
    out = tf.cond(p, lambda: x * 3.0, lambda: tf.constant(-1.0))
    assert out.name == "cond/Merge:0"
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert names[:6] == ["Placeholder", "Const", "cond/Switch", "cond/switch_t", "cond/switch_f",
                         "cond/pred_id"]
    mul = tf.get_default_graph().get_operation_by_name("cond/mul")
    assert [t.name for t in mul.inputs] == ["cond/mul/Switch:1", "cond/mul/y:0"]
    assert [c.name for c in tf.get_default_graph().get_operation_by_name(
        "cond/mul/y").control_inputs] == ["cond/switch_t"]
    with tf.Session() as sess:
        assert sess.run(out, {p: True}) == 6.0
        assert sess.run(out, {p: False}) == -1.0


def test_exclusive_case_with_two_true_predicates_fails_the_run():
    p = tf.placeholder(tf.int32, shape=[])
    out = tf.case([(p > 0, lambda: tf.constant(1)), (p > 1, lambda: tf.constant(2))],
                  default=lambda: tf.constant(0), exclusive=True)
    with tf.Session() as sess:
        assert sess.run(out, {p: 1}) == 1 and sess.run(out, {p: -1}) == 0
        with pytest.raises(tf.errors.InvalidArgumentError, match="assertion failed"):
            sess.run(out, {p: 5})
