"""The reference's moving averages, schedules and optimizers against literal values observed
from TensorFlow 2.21 (float32, bit-exact). Runs without TensorFlow installed."""

from __future__ import annotations

import numpy as np
import pytest

import reference_impl.compat.v1 as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield


def f32(values):
    return np.array(values, dtype=np.float32)


def assert_bits(observed, expected):
    observed = np.asarray(observed)
    expected = np.asarray(expected, dtype=observed.dtype)
    assert observed.dtype == expected.dtype
    assert observed.tobytes() == expected.tobytes(), (observed, expected)


def test_ema_update_float32_and_names():
    v = tf.Variable([1.0, 2.0, -3.0], name="v")
    ema = tf.train.ExponentialMovingAverage(0.9)
    update = ema.apply([v])
    shadow = ema.average(v)
    set_v = v.assign([3.0, 5.0, 7.0])
    assert update.name == "ExponentialMovingAverage"
    assert shadow.name == "v/ExponentialMovingAverage:0"
    assert [x.name for x in tf.trainable_variables()] == ["v:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(set_v)
        sess.run(update)
        assert_bits(sess.run(shadow), [1.2000000476837158, 2.3000001907348633, -1.999999761581421])


def test_ema_num_updates_clamp_and_scope_repeat():
    with tf.variable_scope("layer"):
        w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
        ema = tf.train.ExponentialMovingAverage(0.99, num_updates=0)
        ema.apply([w])
    assert ema.average(w).name == "layer/layer/w/ExponentialMovingAverage:0"
    v = tf.Variable([1.0, 2.0], name="v")
    ema2 = tf.train.ExponentialMovingAverage(0.99, num_updates=tf.Variable(0, trainable=False))
    update = ema2.apply([v])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(v.assign([11.0, 22.0]))
        sess.run(update)
        assert_bits(sess.run(ema2.average(v)), [10.0, 20.0])


def test_ema_zero_debias_tensor():
    v = tf.Variable([1.0, 2.0], name="v")
    t = tf.multiply(v, 3.0, name="tripled")
    ema = tf.train.ExponentialMovingAverage(0.9, zero_debias=True)
    update = ema.apply([t])
    bump = tf.assign_add(v, [1.0, -1.0])
    assert [x.name for x in tf.global_variables()] == [
        "v:0", "tripled/ExponentialMovingAverage:0", "tripled/ExponentialMovingAverage/biased:0",
        "tripled/ExponentialMovingAverage/local_step:0"]
    history = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(update)
            sess.run(bump)
            history.append(sess.run(ema.average(t)))
    assert_bits(history, [[3.0, 6.0], [4.578947067260742, 4.421051979064941],
                          [6.210331439971924, 2.7896673679351807]])


def test_schedules():
    step = tf.placeholder(tf.int32, shape=[])
    stairs = tf.train.exponential_decay(0.001, step, 100, 0.96, staircase=True)
    poly = tf.train.polynomial_decay(0.1, step, 100, end_learning_rate=0.01)
    natural = tf.train.natural_exp_decay(0.1, step, 10, 0.5)
    cosine = tf.train.cosine_decay(0.1, step, 100, alpha=0.1)
    piece = tf.train.piecewise_constant(step, [10, 20], [1.0, 0.5, 0.1])
    assert stairs.op.name == "ExponentialDecay"
    with tf.Session() as sess:
        assert_bits(sess.run(stairs, {step: 100}), np.float32(0.0009600000339560211))
        assert_bits(sess.run(stairs, {step: 200}), np.float32(0.0009216000325977802))
        assert_bits(sess.run(poly, {step: 30}), np.float32(0.07300000637769699))
        assert_bits(sess.run(natural, {step: 40}), np.float32(0.013533529825508595))
        assert_bits(sess.run(cosine, {step: 25}), np.float32(0.08681981265544891))
        assert [float(sess.run(piece, {step: s})) for s in (10, 11, 20, 21)] == [
            1.0, 0.5, 0.5, float(np.float32(0.1))]
    with pytest.raises(ValueError, match="None values not supported."):
        tf.train.exponential_decay(0.1, None, 100, 0.96)
    with pytest.raises(TypeError, match="unexpected keyword argument 'glob_step'"):
        tf.train.exponential_decay(learning_rate=0.1, glob_step=1, decay_steps=1, decay_rate=0.5)


def _minimize(opt, steps, slot=None):
    w = tf.Variable([1.0, -2.0, 3.0], name="w")
    train_op = opt.minimize(tf.reduce_sum(tf.square(w)))
    out = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(steps):
            sess.run(train_op)
            out.append(sess.run(w))
    return train_op, out


def test_gradient_descent_and_global_step():
    train_op, history = _minimize(tf.train.GradientDescentOptimizer(0.1), 3)
    assert train_op.name == "GradientDescent"
    assert_bits(history, [[0.800000011920929, -1.600000023841858, 2.4000000953674316],
                          [0.6399999856948853, -1.2799999713897705, 1.9200000762939453],
                          [0.5119999647140503, -1.0239999294281006, 1.5360000133514404]])


def test_adam_slots_and_values():
    opt = tf.train.AdamOptimizer(0.1)
    _, history = _minimize(opt, 2)
    assert [x.name for x in tf.global_variables()] == [
        "w:0", "beta1_power:0", "beta2_power:0", "w/Adam:0", "w/Adam_1:0"]
    assert_bits(history, [[0.9000000357627869, -1.899999976158142, 2.9000000953674316],
                          [0.8004125952720642, -1.8001668453216553, 2.800103187561035]])


@pytest.mark.parametrize("make, expected", [
    (lambda: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
     [0.6200000047683716, -1.2400000095367432, 1.8600000143051147]),
    (lambda: tf.train.AdagradOptimizer(0.1),
     [0.9012270569801331, -1.90031099319458, 2.9001386165618896]),
    (lambda: tf.train.RMSPropOptimizer(0.01),
     [0.9824588298797607, -1.9747017621994019, 2.9717156887054443]),
    (lambda: tf.train.RMSPropOptimizer(0.01, momentum=0.5, centered=True),
     [0.9821825623512268, -1.973851203918457, 2.9705116748809814]),
    (lambda: tf.train.FtrlOptimizer(0.1),
     [0.7450532913208008, -1.7426890134811401, 2.742243766784668]),
])
def test_one_step_of_each_optimizer(make, expected):
    _, history = _minimize(make(), 1)
    assert_bits(history[0], expected)


def test_gradients_through_matmul_div_mean():
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    b = tf.constant([[0.5], [-1.5]])
    q = tf.divide(tf.square(tf.identity(tf.matmul(a, b))), 3.0)
    y = tf.reduce_mean(tf.subtract(tf.multiply(q, a), a))
    ga, gb = tf.gradients(y, [a, b])
    with tf.Session() as sess:
        va, vb = sess.run([ga, gb])
    assert_bits(va, [[-0.3541666865348816, 2.1458332538604736], [-1.1875, 9.3125]])
    assert_bits(vb, [[-17.0], [-23.5]])
    assert tf.gradients(tf.square(tf.constant(2.0)), [tf.constant(1.0)]) == [None]


@pytest.mark.parametrize("gate, names, tuple_ops", [
    (0, ["gradients/mul_grad/Mul:0", "gradients/grad_ys_0:0"], []),
    (1, ["gradients/mul_grad/tuple/control_dependency:0",
         "gradients/add_grad/tuple/control_dependency_1:0"],
     ["gradients/add_grad/tuple/control_dependency",
      "gradients/add_grad/tuple/control_dependency_1", "gradients/add_grad/tuple/group_deps",
      "gradients/mul_grad/tuple/control_dependency",
      "gradients/mul_grad/tuple/control_dependency_1", "gradients/mul_grad/tuple/group_deps"]),
    (2, ["tuple/control_dependency:0", "tuple/control_dependency_1:0"],
     ["tuple/control_dependency", "tuple/control_dependency_1", "tuple/group_deps"]),
])
def test_gate_gradients_names_as_tf(gate, names, tuple_ops):
    # TF 2.21's names for GATE_NONE, GATE_OP (each op's gradients through tf.tuple when it has
    # several) and GATE_GRAPH (all gradients through one tf.tuple); the values do not change.
    w = tf.Variable([1.0, 2.0, 3.0], name="w")
    b = tf.Variable(0.5, name="b")
    loss = tf.reduce_sum(tf.square(w * 2.0)) + b
    gv = tf.train.GradientDescentOptimizer(0.1).compute_gradients(loss, gate_gradients=gate)
    assert [g.name for g, _ in gv] == names
    graph = tf.get_default_graph()
    assert sorted(op.name for op in graph.get_operations() if "tuple" in op.name) == tuple_ops
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert_bits(sess.run(gv[0][0]), f32([8.0, 16.0, 24.0]))
        assert_bits(sess.run(gv[1][0]), f32(1.0))
