"""Grappler's division-by-a-constant rewrite (reference_impl/grappler.py) against the values
TensorFlow 2.21 returned for the same programs (float bits, CPU). Runs without TensorFlow.

Every program divides ``p = [7, 10, 30, 33]`` (float32 unless stated) by a divisor. With the
rewrite TF multiplies by the reciprocal rounded to the dtype: 10 / 100 gives 0.099999994 instead
of 0.1. The graphs get two unrelated constants ("pad") so that they have the 4 ops below which
TF does not optimise at all, unless a test is about that threshold.
"""

from __future__ import annotations

import numpy as np
import pytest

import reference_impl.compat.v1 as tf

P = [7.0, 10.0, 30.0, 33.0]
# TF 2.21's results, as Python floats (float32 values printed exactly through float64).
EXACT = [0.07000000029802322, 0.10000000149011612, 0.30000001192092896, 0.33000001311302185]
RECIP = [0.07000000029802322, 0.09999999403953552, 0.29999998211860657, 0.32999998331069946]


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield


def _pad(n: int = 2) -> None:
    for i in range(n):
        tf.constant(0, name=f"pad{i}")


def _run(fetch, feeds=None):  # type: ignore[no-untyped-def]
    with tf.Session() as sess:
        return sess.run(fetch, feeds)


def _assert_bits(observed, expected, dtype=np.float32) -> None:  # type: ignore[no-untyped-def]
    observed = np.asarray(observed)
    expected = np.asarray(expected, dtype=dtype)
    assert observed.dtype == expected.dtype
    assert observed.tobytes() == expected.tobytes(), (observed.tolist(), expected.tolist())


def test_placeholder_over_python_number_is_a_reciprocal_product():
    p = tf.placeholder(tf.float32, [4])
    y = p / 100.0
    _pad()
    _assert_bits(_run(y, {p: P}), RECIP)


def test_graph_below_four_ops_is_not_optimised():
    p = tf.placeholder(tf.float32, [4])
    y = p / 100.0  # Placeholder, Const, RealDiv: 3 ops
    _assert_bits(_run(y, {p: P}), EXACT)


def test_an_unrelated_op_counts_towards_the_four():
    p = tf.placeholder(tf.float32, [4])
    y = p / 100.0
    _pad(1)
    _assert_bits(_run(y, {p: P}), RECIP)


def test_identity_of_a_constant_is_folded_first():
    # 4 ops without padding: Placeholder, Const, Identity, RealDiv
    p = tf.placeholder(tf.float32, [4])
    y = p / tf.identity(tf.constant(100.0))
    _assert_bits(_run(y, {p: P}), RECIP)


def test_cast_of_an_int_constant_even_when_fetched():
    p = tf.placeholder(tf.float32, [4])
    c = tf.cast(100, tf.float32)
    y = p / c
    _pad()
    out, c_value = _run([y, c], {p: P})
    _assert_bits(out, RECIP)
    _assert_bits(c_value, 100.0)


def test_fed_constant_divisor_is_no_constant():
    p = tf.placeholder(tf.float32, [4])
    c = tf.constant(np.float32(100.0))
    y = p / c
    _pad()
    _assert_bits(_run(y, {p: P, c: np.float32(100.0)}), EXACT)


def test_placeholder_divisor_is_left_alone():
    p = tf.placeholder(tf.float32, [4])
    q = tf.placeholder(tf.float32, [])
    y = p / q
    _pad()
    _assert_bits(_run(y, {p: P, q: np.float32(100.0)}), EXACT)


def test_constant_over_constant_is_folded_with_the_real_division():
    y = tf.constant(np.array(P, np.float32)) / 100.0
    _pad()
    _assert_bits(_run(y), EXACT)


def test_tensor_divisor_elementwise_reciprocals():
    p = tf.placeholder(tf.float32, [4])
    y = p / tf.constant(np.array([100, 3, 0.3, 10], np.float32))
    _pad()
    _assert_bits(_run(y, {p: P}),
                 [0.07000000029802322, 3.3333334922790527, 100.0, 3.299999952316284])


def test_float64_reciprocal_in_float64():
    p = tf.placeholder(tf.float64, [4])
    y = p / 3.0
    _pad()
    _assert_bits(_run(y, {p: P}), [2.333333333333333, 3.333333333333333, 10.0, 11.0],
                 np.float64)


def test_float16_reciprocal_in_float16():
    p = tf.placeholder(tf.float16, [4])
    y = p / np.float16(3)
    _pad()
    _assert_bits(_run(y, {p: np.array(P, np.float16)}), [2.33203125, 3.33203125, 10.0, 11.0],
                 np.float16)


def test_variable_over_constant():
    v = tf.Variable(np.array(P, np.float32))
    y = v / 100.0
    with tf.Session() as sess:
        sess.run(v.initializer)
        _assert_bits(sess.run(y), RECIP)


def test_polynomial_decay_divides_by_the_reciprocal():
    # (0.1 - 0.0001) * (1 - step/100) + 0.0001 in float32 with step/100 computed as
    # step * (1/100); the exact quotients would give 0.05704300105571747 and 0.0910089984536171.
    step = tf.placeholder(tf.int32, [])
    lr = tf.train.polynomial_decay(0.1, step, 100, end_learning_rate=0.0001)
    with tf.Session() as sess:
        _assert_bits(sess.run(lr, {step: 43}), 0.057043008506298065)
        _assert_bits(sess.run(lr, {step: 9}), 0.09100900590419769)


def test_raw_div_float_by_constant_is_a_reciprocal_product():
    p = tf.placeholder(tf.float32, [4])
    y = tf.raw_ops.Div(x=p, y=tf.constant(100.0))
    _pad()
    assert y.op.type == "Div" and y.op.name == "Div"
    _assert_bits(_run(y, {p: P}), RECIP)


def test_raw_div_int32_truncates_and_is_not_rewritten():
    p = tf.placeholder(tf.int32, [4])
    y = tf.raw_ops.Div(x=p, y=tf.constant(7))
    _pad()
    assert _run(y, {p: [7, 10, 30, -33]}).tolist() == [1, 1, 4, -4]


def test_raw_ops_take_keyword_arguments_only():
    p = tf.placeholder(tf.float32, [4])
    with pytest.raises(TypeError, match=r"div only takes keyword args \(possible keys: "
                                        r"\['x', 'y', 'name'\]\)"):
        tf.raw_ops.Div(p, 2.0)
    assert tf.raw_ops.Div(x=p, y=2.0, name="foo").name == "foo:0"


def test_xdivy_names_and_the_four_op_threshold():
    p = tf.placeholder(tf.float32, [4])
    y = tf.math.xdivy(p, tf.constant(100.0))
    assert y.name == "xdivy/Xdivy:0"
    assert tf.math.xdivy(p, 3.0).op.inputs[1].name == "xdivy_1/Xdivy/y:0"
    tf.reset_default_graph()
    p = tf.placeholder(tf.float32, [4])
    y = tf.math.xdivy(p, tf.constant(100.0))
    _assert_bits(_run(y, {p: P}), EXACT)
    tf.constant(0.0, name="unrelated")
    _assert_bits(_run(y, {p: P}), RECIP)


@pytest.mark.parametrize("c, expected", [
    # TF 2.21 with 4 ops (rewritten): x == 0 still gives 0, whatever the constant divisor.
    (0.0, [0.0, np.nan, np.inf, 0.0]),
    (np.inf, [0.0, np.nan, 0.0, 0.0]),
    (3.0, [0.0, np.nan, 0.3333333432674408, 0.0]),
])
def test_rewritten_xdivy_keeps_zero_for_zero_numerators(c, expected):
    p = tf.placeholder(tf.float32, [4])
    y = tf.math.xdivy(p, tf.constant(c))
    tf.constant(0.0, name="unrelated")
    _assert_bits(_run(y, {p: [0.0, np.nan, 1.0, -0.0]}), expected)


def test_xdivy_refuses_integers():
    with pytest.raises(TypeError, match="Value passed to parameter 'x' has DataType int32 not "
                                        "in list of allowed values: float16, bfloat16"):
        tf.math.xdivy(tf.constant([1, 2]), 3)


# ConstantFolding::ConstantPushDown: with placeholders x = X, y = Y (float32), TF 2.21 returned
# the bits of the pushed-down tree, the constant folded with the other leaf where it is constant.
X = [1.100000023841858, 2.299999952316284, 3.700000047683716, 4.900000095367432]
Y = [0.30000001192092896, 0.699999988079071, 1.2999999523162842, 9.100000381469727]


def _xy():  # type: ignore[no-untyped-def]
    x = tf.placeholder(tf.float32, [4], name="x")
    y = tf.placeholder(tf.float32, [4], name="y")
    tf.constant(0, name="pad")
    return x, y


def _np(build):  # type: ignore[no-untyped-def]
    return build(np.asarray(X, np.float32), np.asarray(Y, np.float32), np.float32)


@pytest.mark.parametrize("graph, pushed", [
    (lambda x, y: 0.1 * (x * y), lambda x, y, f: x * (f(0.1) * y)),
    (lambda x, y: (x * y) * 0.1, lambda x, y, f: x * (f(0.1) * y)),
    (lambda x, y: 0.1 + (x + y), lambda x, y, f: x + (f(0.1) + y)),
    (lambda x, y: 0.3 - (x + y), lambda x, y, f: (f(0.3) - y) - x),
    (lambda x, y: (x - y) + 0.3, lambda x, y, f: x - (y - f(0.3))),
    (lambda x, y: 0.1 * (x * 0.7), lambda x, y, f: x * (f(0.1) * f(0.7))),
    (lambda x, y: tf.raw_ops.Div(x=x * 0.7, y=tf.constant(0.1)), lambda x, y, f: x * (f(0.7) / f(0.1))),
    (lambda x, y: tf.cast(tf.constant(0.1, tf.float64), tf.float32) * (x * y),
     lambda x, y, f: x * (f(0.1) * y)),
])
def test_constant_pushed_down_a_tree_of_two_ops(graph, pushed):  # type: ignore[no-untyped-def]
    x, y = _xy()
    _assert_bits(_run(graph(x, y), {x: X, y: Y}), _np(pushed))


def test_real_div_child_is_not_pushed_into():
    x, y = _xy()
    out = _run(0.1 * (y / x), {x: X, y: Y})
    xs, ys = np.asarray(X, np.float32), np.asarray(Y, np.float32)
    _assert_bits(out, np.float32(0.1) * (ys / xs))  # not (0.1 / x) * y


def test_fetched_child_keeps_its_value_and_parent_is_still_pushed():
    x, y = _xy()
    child = x * y
    out, child_value = _run([0.1 * child, child], {x: X, y: Y})
    xs, ys = np.asarray(X, np.float32), np.asarray(Y, np.float32)
    _assert_bits(out, xs * (np.float32(0.1) * ys))
    _assert_bits(child_value, xs * ys)


def test_inverse_time_decay_is_step_times_folded_rate_over_steps():
    step = tf.placeholder(tf.int64, [])
    lr = tf.train.inverse_time_decay(0.1, step, 136, 0.1)
    _assert_bits(_run(lr, {step: 324}), 0.08076009899377823)


# --- ConvertPowStage: a constant exponent of one value runs as a cheaper op ------------------
# TF 2.21's results (float32 bits): with 4+ ops pow(x, 0.5) is sqrt(x) and pow(x, 3) is
# x * square(x); below the threshold both are C's powf, which rounds otherwise here.

def test_pow_half_is_a_square_root_from_four_ops():
    p = tf.placeholder(tf.float32, [])
    y = tf.pow(p, 0.5)
    _assert_bits(_run(y, {p: 0.008780479}), 0.093704216)  # 3 ops: powf
    _pad(1)
    _assert_bits(_run(y, {p: 0.008780479}), 0.09370421)  # Sqrt


def test_pow_three_is_x_times_its_square():
    p = tf.placeholder(tf.float32, [])
    y = tf.pow(p, 3.0)
    _assert_bits(_run(y, {p: 8.013744}), 514.64343)  # powf
    _pad(1)
    _assert_bits(_run(y, {p: 8.013744}), 514.6435)  # 8.013744 * (8.013744 * 8.013744)


def test_pow_exponents_two_one_zero_and_of_several_values():
    p = tf.placeholder(tf.float32, [3])
    _pad()
    x = [0.5, -2.0, 3.0]
    _assert_bits(_run(tf.pow(p, 2.0), {p: x}), [0.25, 4.0, 9.0])
    _assert_bits(_run(tf.pow(p, 1.0), {p: x}), x)
    _assert_bits(_run(tf.pow(p, 0.0), {p: x}), [1.0, 1.0, 1.0])
    # (an exponent of several values is left to Pow: the same numbers here, by another path)
    _assert_bits(_run(tf.pow(p, [2.0, 2.0, 1.0]), {p: x}), [0.25, 4.0, 3.0])


# --- Commutative ops' inputs sorted by name (CommonSubgraphElimination's canonical form) -----

def test_add_n_sums_its_inputs_in_name_order():
    c = tf.placeholder(tf.float32, [], name="c")
    a = tf.placeholder(tf.float32, [], name="a")
    b = tf.placeholder(tf.float32, [], name="b")
    total = tf.add_n([c, a, b])  # runs as a + b + c: (1e8 - 1e8) + 1, not (1 + 1e8) - 1e8
    _assert_bits(_run(total, {a: 1e8, b: -1e8, c: 1.0}), 1.0)


def test_pow_of_minus_a_half_runs_the_rsqrt_kernel():
    # Grappler turns x ** -0.5 into Rsqrt(x), whose float32 packets refine the processor's
    # estimate (tests/ops/test_clip_kernels.py checks Rsqrt against TF): a float division would
    # give other last bits for about a third of them.
    x = tf.placeholder(tf.float32, [None])
    _pad()
    powered, rooted = tf.pow(x, -0.5), tf.rsqrt(x)
    values = np.random.default_rng(3).uniform(0.01, 100.0, 1003).astype(np.float32)
    got, want = _run([powered, rooted], {x: values})
    _assert_bits(got, want)
