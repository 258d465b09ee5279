"""reference_impl details that the scopes/graph scenarios compare with TensorFlow 2.21: object
identity, tuple-vs-list results, exact messages (values observed on TF 2.21, TF1 behaviour)."""

from __future__ import annotations

import re

import numpy as np
import pytest

import reference_impl.compat.v1 as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield


def test_op_inputs_is_a_tuple():
    y = tf.add(tf.constant(1.0), 2.0)
    assert type(y.op.inputs) is tuple
    assert [t.name for t in y.op.inputs] == ["Const:0", "Add/y:0"]


def test_should_use_results_are_wrappers_not_the_op():
    v = tf.Variable(0, name="counter")
    init = tf.initialize_all_variables()
    op = tf.get_default_graph().get_operations()[-1]
    assert init is not op and init != op and op.name == "init"
    assert isinstance(init, tf.Operation) and init.name == "init" and init.type == "NoOp"
    assert re.fullmatch(r"<tensorflow\.python\.util\.tf_should_use\.ShouldUseWrapper object "
                        r"at 0x[0-9a-f]+>", repr(init))
    # global_variables_initializer returns the op itself
    assert tf.global_variables_initializer() is tf.get_default_graph().get_operations()[-1]
    # graph code stores the op, never the wrapper
    with tf.control_dependencies([init]):
        c = tf.constant(1)
    assert c.op.control_inputs[0] is op
    with tf.Session() as sess:
        assert sess.run(init) is None
        assert sess.run(v) == 0
        assert sess.run(tf.is_variable_initialized(v))
        assert list(sess.run(tf.report_uninitialized_variables())) == []


def test_control_dependencies_counter_reads_after_the_increment():
    counter = tf.Variable(0, name="counter")
    inc = tf.assign_add(counter, 1)
    with tf.control_dependencies([inc]):
        scaled = counter * 10
    with tf.Session() as sess:
        sess.run(counter.initializer)
        assert [int(sess.run(scaled)) for _ in range(3)] == [10, 20, 30]


def test_fetch_errors():
    tf.constant(1.0, name="a")
    with tf.Session() as sess:
        with pytest.raises(TypeError) as e:
            sess.run(None)
        assert str(e.value) == 'Argument `fetch` = None has invalid type "NoneType". Cannot be None'
        with pytest.raises(TypeError) as e:
            sess.run(1)
        assert str(e.value) == ('Argument `fetch` = 1 has invalid type "int" must be a string or '
                                'Tensor. (Can not convert a int into a Tensor or Operation.)')


def test_feed_conversion_errors():
    f = tf.placeholder(tf.float32, [2], name="f")
    s = tf.placeholder(tf.string, [], name="s")
    i = tf.placeholder(tf.int32, [], name="i")
    with tf.Session() as sess:
        with pytest.raises(ValueError, match="^could not convert string to float: np.str_"):
            sess.run(f, {f: ["a", "b"]})
        with pytest.raises(TypeError) as e:
            sess.run(s, {s: 3})
        assert str(e.value) == (
            "Type of feed value 3 with type <class 'int'> is not compatible with Tensor type "
            "<class 'object'>. Try explicitly setting the type of the feed tensor to a larger "
            "type (e.g. int64).")
        with pytest.raises(TypeError, match="^Type of feed value 4294967296 with type <class "
                                            "'int'> is not compatible with Tensor type <class "
                                            "'numpy.int32'>"):
            sess.run(i, {i: 2**32})
        # TF hands a fed tensor back as the array it made of the value
        assert repr(sess.run(s, {s: "x"})) == "array('x', dtype=object)"
        np.testing.assert_array_equal(sess.run(f, {f: [1, 2]}), [1.0, 2.0])


def test_cast_to_none_is_refused():
    with pytest.raises(TypeError) as e:
        tf.cast(1, dtype=None)
    assert str(e.value) == "Cannot convert the argument `type_value`: None to a TensorFlow DType."
    assert tf.cast(1, dtype="float").dtype == tf.float32


def test_name_scope_values_switch_the_default_graph():
    other = tf.Graph()
    with other.as_default():
        foreign = tf.constant(1.0)
    with tf.name_scope("s", values=[foreign]) as scope:
        c = tf.constant(2.0, name="c")
        assert tf.get_default_graph() is other
    assert scope == "s/" and c.name == "s/c:0" and c.graph is other
    assert tf.get_default_graph() is not other
    with pytest.raises(TypeError) as e:
        tf.name_scope("x", reuse=True)
    assert str(e.value) == "name_scope_v1.__init__() got an unexpected keyword argument 'reuse'"


def test_mixing_graphs_message_names_both_graphs():
    g = tf.Graph()
    with g.as_default():
        a = tf.constant(1.0, name="a")
    b = tf.constant(2.0, name="b")
    with pytest.raises(ValueError) as e:
        tf.add(a, b)
    assert re.fullmatch(
        r'Tensor\("b:0", shape=\(\), dtype=float32\) must be from the same graph as '
        r'Tensor\("a:0", shape=\(\), dtype=float32\) \(graphs are '
        r'<tensorflow\.python\.framework\.ops\.Graph object at 0x[0-9a-f]+> and '
        r'<tensorflow\.python\.framework\.ops\.Graph object at 0x[0-9a-f]+>\)\.', str(e.value))


def test_placement_reports_the_consumer_before_constants():
    with tf.device("/gpu:0"):
        y = tf.constant(1.0) + 1.0
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            sess.run(y)
    assert ("Cannot assign a device for operation add: {{node add}} was explicitly assigned to "
            "/device:GPU:0 but available devices are [ /job:localhost/replica:0/task:0/device:"
            "CPU:0 ]. Make sure the device specification refers to a valid device. The requested "
            "device appears to be a GPU, but CUDA is not enabled.") in e.value.message
    tf.reset_default_graph()
    with tf.device("/cpu:1"):
        a = tf.constant(1.0, name="a")
    b = a + 1.0
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            sess.run(b)
    assert "operation a: {{node a}} was explicitly assigned to /device:CPU:1 but" in \
        e.value.message
    assert e.value.message.rstrip().endswith("refers to a valid device.") or \
        "CUDA" not in e.value.message


def test_random_uniform_names():
    assert tf.random_uniform([2]).name == "random_uniform/RandomUniform:0"
    assert tf.random_uniform([2], 0, 3).name == "random_uniform_1/Mul:0"
    assert tf.random_uniform([2], 1.0, 3).name == "random_uniform_2:0"
    assert tf.random_uniform([2], 0.0, 1.0).name == "random_uniform_3:0"


@pytest.mark.parametrize("value", [1.5, 0.1, -0.0, float("nan"), float("inf"), 1e-46, True, False, 0, 5,
                                   -2**31, 2**31 - 1, 2**31, -2**31 - 1, 2**63 - 1])
def test_a_plain_scalar_constant_is_what_the_general_conversion_makes(value, monkeypatch):
    from reference_impl import op_def

    fast = tf.constant(value)
    monkeypatch.setattr(op_def, "_PLAIN_SCALARS", {})  # every value the general way
    general = tf.constant(value)
    a, b = fast.op.get_attr("value"), general.op.get_attr("value")
    assert (fast.dtype, fast.shape.as_list(), a.dtype, a.shape) == (general.dtype, [], b.dtype, ())
    assert a.tobytes() == b.tobytes()

