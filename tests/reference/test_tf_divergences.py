"""Divergences from TensorFlow 2.21 found by the differential fuzzer and the quirk scenarios,
pinned with the values TF 2.21 (tf.compat.v1, graph mode) was observed to give."""

from __future__ import annotations

import pytest

import reference_impl.compat.v1 as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield


def _ops() -> list[tuple[str, str]]:
    return [(o.name, o.type) for o in tf.get_default_graph().get_operations()]


def test_pad_empty_paddings_converted_twice():
    x = tf.constant(0.0)
    with pytest.raises(ValueError) as e:
        tf.pad(x, [])
    assert str(e.value) == (
        "Shape must be rank 2 but is rank 1 for '{{node Pad}} = Pad[T=DT_FLOAT, "
        "Tpaddings=DT_INT32](Const, Pad/paddings_1)' with input shapes: [], [0].")
    g = tf.get_default_graph()
    assert [o.name for o in g.get_operations()] == ["Const", "Pad/paddings", "Pad/paddings_1"]
    assert g.get_operation_by_name("Pad/paddings").get_attr("dtype") == tf.float32
    assert g.get_operation_by_name("Pad/paddings_1").get_attr("dtype") == tf.int32


def test_pad_float_paddings_converted_twice_then_refused():
    with pytest.raises(TypeError, match="^Value passed to parameter 'paddings' has DataType "
                       "float32 not in list of allowed values: int32, int64$"):
        tf.pad(tf.constant([0.0]), [[0.5, 0]])
    assert [n for n, _ in _ops()] == ["Const", "Pad/paddings", "Pad/paddings_1"]


def test_reduce_empty_axis_and_rank2_axis():
    s = tf.reduce_sum(tf.constant([1.0]), axis=[])
    assert s.shape.as_list() == [1]
    assert [n for n, _ in _ops()] == ["Const", "Sum/reduction_indices",
                                       "Sum/reduction_indices_1", "Sum"]
    tf.reset_default_graph()
    with pytest.raises(ValueError) as e:
        tf.reduce_sum(tf.constant([1.0]), axis=[[]])
    assert str(e.value) == (
        "Shape must be at most rank 1 but is rank 2 for '{{node Sum}} = Sum[T=DT_FLOAT, "
        "Tidx=DT_INT32, keep_dims=false](Const, Sum/reduction_indices_1)' with input shapes: "
        "[1], [1,0].")


def test_reshape_empty_shape_converted_twice():
    tf.reshape(tf.constant([0.0]), [])
    assert [n for n, _ in _ops()] == ["Const", "Reshape/shape", "Reshape/shape_1", "Reshape"]


def test_reduce_of_scalar_builds_rank_and_range():
    tf.reduce_sum(tf.constant(1.0))
    after = tf.constant(2.0)
    assert after.name == "Const_1:0"
    assert _ops() == [("Const", "Const"), ("Rank", "Const"), ("range/start", "Const"),
                      ("range/delta", "Const"), ("range", "Range"), ("Sum", "Sum"),
                      ("Const_1", "Const")]
    tf.reset_default_graph()
    tf.reduce_sum(tf.placeholder(tf.float32))
    assert _ops() == [("Placeholder", "Placeholder"), ("Rank", "Rank"), ("range/start", "Const"),
                      ("range/delta", "Const"), ("range", "Range"), ("Sum", "Sum")]
    with tf.Session() as sess:
        assert sess.run("Sum:0", {"Placeholder:0": [[1.0, 2.0]]}) == 3.0


T = 1.401298464324817e-45  # float32 2**-149, the smallest denormal
D = 7.174648137343064e-43  # float32 2**-140
M = 1.1754943508222875e-38  # float32 2**-126, the smallest normal


def _bits(values) -> list[tuple[float, bool]]:
    import numpy as np

    return [(float(v), bool(np.signbit(v))) for v in np.ravel(values)]


def test_arithmetic_flushes_denormals_and_copies_keep_them():
    p = tf.placeholder(tf.float32, [5])
    q = tf.placeholder(tf.float32, [2, 5])
    p64 = tf.placeholder(tf.float64, [2])
    v = tf.Variable([T, D, -D, M, 1.0])
    cases = {
        "identity": tf.identity(p), "mul1": p * 1.0, "add0": p + 0.0, "neg": -p,
        "abs": tf.abs(p), "square": tf.square(p), "sqrt": tf.sqrt(p),
        "cast64": tf.cast(p, tf.float64), "castbool": tf.cast(p, tf.bool),
        "equal0": tf.equal(p, 0.0), "pad": tf.pad(p, [[1, 0]]),
        "sum_size1": tf.reduce_sum(tf.reshape(p, [5, 1]), 1), "sum0": tf.reduce_sum(q, 0),
        "max0": tf.reduce_max(q, 0), "matmul": tf.matmul(tf.reshape(p, [5, 1]), [[1.0]]),
        "read": v.read_value(), "mul64": p64 * 1.0,
    }
    feed = {p: [T, D, -D, M, 1.0], q: [[T, D, -D, M, 1.0], [0.0] * 5], p64: [5e-324, 1e-310]}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = sess.run(cases, feed)
    kept = [T, D, -D, M, 1.0]
    assert _bits(got["identity"]) == _bits(kept)
    assert _bits(got["read"]) == _bits(kept)
    assert _bits(got["mul1"]) == _bits([0.0, 0.0, -0.0, M, 1.0])
    assert _bits(got["add0"]) == _bits([0.0, 0.0, 0.0, M, 1.0])
    assert _bits(got["neg"]) == _bits([-T, -D, D, -M, -1.0])
    assert _bits(got["abs"]) == _bits([T, D, D, M, 1.0])
    assert _bits(got["square"]) == _bits([0.0, 0.0, 0.0, 0.0, 1.0])
    assert _bits(got["sqrt"]) == _bits([0.0, 0.0, -0.0, 1.0842021724855044e-19, 1.0])
    assert _bits(got["cast64"]) == _bits([0.0, 0.0, -0.0, M, 1.0])
    assert got["castbool"].tolist() == [False, False, False, True, True]
    assert got["equal0"].tolist() == [True, True, True, False, False]
    assert _bits(got["pad"]) == _bits([0.0] + kept)
    assert _bits(got["sum_size1"]) == _bits(kept)
    assert _bits(got["sum0"]) == _bits([0.0, 0.0, 0.0, M, 1.0])
    assert _bits(got["max0"]) == _bits([0.0, 0.0, 0.0, M, 1.0])
    assert _bits(got["matmul"]) == _bits([0.0, 0.0, 0.0, M, 1.0])
    assert _bits(got["mul64"]) == _bits([0.0, 0.0])


def test_variable_updates_flush_the_stored_value():
    vals = [T, D, -D, M, 1.0]
    p = tf.placeholder(tf.float32, [5])
    a, b, c = (tf.Variable(vals) for _ in range(3))
    updates = [tf.assign_sub(a, p), tf.assign(b, p),
               tf.train.GradientDescentOptimizer(1.0).apply_gradients([(p, c)])]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(updates, {p: [0.0] * 5})
        got_a, got_b, got_c = sess.run([a, b, c])
    assert _bits(got_a) == _bits([0.0, 0.0, -0.0, M, 1.0])
    assert _bits(got_b) == _bits([0.0] * 5)
    assert _bits(got_c) == _bits([0.0, 0.0, -0.0, M, 1.0])


def test_ema_zero_decay_zero_debias_flushes_a_denormal_shadow():
    v = tf.Variable(T)
    ema = tf.train.ExponentialMovingAverage(0.0, zero_debias=True)
    update = ema.apply([v])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(update)
        assert float(sess.run(ema.average(v))) == 0.0
        assert float(sess.run(v)) == T


def test_concat_checks_ranks_before_the_axis():
    with pytest.raises(ValueError) as e:
        tf.concat([1, 2], 0)
    assert str(e.value) == (
        "Can't concatenate scalars (use tf.stack instead) for '{{node concat}} = ConcatV2[N=2, "
        "T=DT_INT32, Tidx=DT_INT32](concat/values_0, concat/values_1, concat/axis)' with input "
        "shapes: [], [], [].")
    tf.reset_default_graph()
    with pytest.raises(ValueError) as e:
        tf.concat([tf.constant([1]), tf.constant(2)], 5)
    assert str(e.value) == (
        "Shape must be rank 1 but is rank 0 for '{{node concat}} = ConcatV2[N=2, T=DT_INT32, "
        "Tidx=DT_INT32](Const, Const_1, concat/axis)' with input shapes: [1], [], [].")
    tf.reset_default_graph()
    with pytest.raises(TypeError, match=r"^Tensors in list passed to 'values' of 'ConcatV2' Op "
                       r"have types \[int32, float32\] that don't all match\.$"):
        tf.concat([tf.constant([1]), [2.5]], 0)
    assert [n for n, _ in _ops()] == ["Const", "concat/Const"]
    tf.reset_default_graph()
    assert tf.concat([tf.constant([1.0]), [2]], 0).op.inputs[1].name == "concat/values_1:0"


def test_natural_exp_decay_exp_is_correctly_rounded():
    import numpy as np

    step = tf.placeholder(tf.int32, [])
    lr = tf.train.natural_exp_decay(0.1, step, 100, 0.99)
    with tf.Session() as sess:
        assert sess.run("Exp:0").view(np.int32) == 1052655437  # TF: 0.3715767, numpy's 1 ULP low
        assert float(sess.run(lr, {step: 99})) == 0.037527360022068024


def test_pad_constant_values_of_wrong_type_names_the_parameter():
    with pytest.raises(TypeError) as e:
        tf.pad(tf.constant(0), [], constant_values=0.5)
    assert str(e.value) == (
        "Expected int32 passed to parameter 'constant_values' of op 'PadV2', got 0.5 of type "
        "'float' instead. Error: Expected int32, but got 0.5 of type 'float'.")
