"""tf.range, tf.nn.conv2d and tf.losses in reference_impl: names, shapes, values and errors as
TensorFlow 2.21 (TF1 behaviour) shows them."""

from __future__ import annotations

import numpy as np
import pytest

import reference_impl.compat.v1 as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield


def test_range_ops_dtypes_and_static_lengths():
    assert str(tf.range(100)) == 'Tensor("range:0", shape=(100,), dtype=int32)'
    assert str(tf.range(1, 5, 2)) == 'Tensor("range_1:0", shape=(2,), dtype=int32)'
    assert str(tf.range(1.0, 4)) == 'Tensor("range_2:0", shape=(3,), dtype=float32)'
    assert str(tf.range(5, dtype=tf.float32)) == 'Tensor("range_3:0", shape=(5,), dtype=float32)'
    assert str(tf.range(tf.placeholder(tf.int32, []))) == \
        'Tensor("range_4:0", shape=(?,), dtype=int32)'
    names = [(o.name, o.type) for o in tf.get_default_graph().get_operations()]
    assert names[:4] == [("range/start", "Const"), ("range/limit", "Const"),
                         ("range/delta", "Const"), ("range", "Range")]
    assert ("range_2/Cast", "Cast") in names and ("range_2/Cast_1", "Cast") in names
    with tf.Session() as sess:
        got = sess.run([tf.range(1, 5, 2), tf.range(1.0, 4), tf.range(0, -5, -2),
                        tf.range(1, 5.5, 1.5)])
    np.testing.assert_array_equal(got[0], [1, 3])
    np.testing.assert_array_equal(got[2], [0, -2, -4])
    np.testing.assert_array_equal(got[3], [1.0, 2.5, 4.0])
    assert got[3].dtype == np.float32


def test_range_shape_function_errors():
    tf.range(3)
    with pytest.raises(ValueError) as e:
        tf.range(1, 5, 0)
    assert str(e.value) == (
        "Requires delta != 0 for '{{node range_1}} = Range[Tidx=DT_INT32](range_1/start, "
        "range_1/limit, range_1/delta)' with input shapes: [], [], [] and with computed input "
        "tensors: input[0] = <1>, input[1] = <5>, input[2] = <0>.")
    with pytest.raises(ValueError, match="^Requires start <= limit when delta > 0: 5/1 for"):
        tf.range(5, 1)
    with pytest.raises(ValueError, match="^Requires start >= limit when delta < 0: 1/5 for"):
        tf.range(1, 5, -1)


def test_range_of_values_computed_while_building_has_a_static_length_and_is_checked():
    # TF's shape refiner evaluates a limit computed from constants (here Rank - 1)
    limit = tf.subtract(tf.rank(tf.zeros([2, 3, 4])), 1)
    assert tf.range(1, limit).shape.as_list() == [1]
    with pytest.raises(ValueError, match="^Requires start <= limit when delta > 0: 3/2 for"):
        tf.range(limit + 1, limit)


@pytest.mark.parametrize("args, message", [
    ((2, 1, 1), "Requires start <= limit when delta > 0: 2/1"),
    ((1, 2, -1), "Requires start >= limit when delta < 0: 1/2"),
    ((1, 2, 0), "Requires delta != 0: 0"),
])
def test_range_kernel_checks_fed_arguments(args, message):
    start, limit, delta = (tf.placeholder(tf.int32, []) for _ in range(3))
    r = tf.range(start, limit, delta)
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as e:
        sess.run(r, dict(zip((start, limit, delta), args)))
    assert message + "\n\t [[{{node range}}]]" in e.value.message


def test_conv2d_names_shapes_and_values():
    with tf.variable_scope("conv1"):
        x = tf.zeros([1, 4, 4, 1])
        w = tf.Variable(tf.ones([3, 3, 1, 2]), name="weights")
        out = tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding="SAME")
    assert out.name == "conv1/Conv2D:0" and out.op.type == "Conv2D"
    assert out.shape.as_list() == [1, 4, 4, 2] and w.name == "conv1/weights:0"
    z = tf.zeros([1, 5, 5, 1])
    k = tf.ones([3, 3, 1, 2])
    shapes = [tf.nn.conv2d(z, k, strides=[1, s, s, 1], padding=p).shape.as_list()
              for p, s in (("SAME", 1), ("VALID", 1), ("SAME", 2), ("VALID", 2))]
    assert shapes == [[1, 5, 5, 2], [1, 3, 3, 2], [1, 3, 3, 2], [1, 2, 2, 2]]
    with pytest.raises(ValueError) as e:
        tf.nn.conv2d(z, k, strides=[1, 1, 1, 1], padding="FOO")
    assert str(e.value) == ("Attr 'padding' of 'Conv2D' Op passed string 'FOO' not in: "
                            '"SAME", "VALID", "EXPLICIT".')
    a = tf.nn.conv2d(tf.constant(np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)),
                     tf.ones([3, 3, 1, 1]), [1, 1, 1, 1], "SAME")
    b = tf.nn.conv2d(tf.constant(np.arange(25, dtype=np.float32).reshape(1, 5, 5, 1)),
                     tf.ones([2, 2, 1, 1]), [1, 2, 2, 1], "SAME")
    with tf.Session() as sess:
        sess.run(w.initializer)
        assert sess.run(out).shape == (1, 4, 4, 2)
        np.testing.assert_array_equal(sess.run(a).reshape(4, 4), [
            [10, 18, 24, 18], [27, 45, 54, 39], [51, 81, 90, 63], [42, 66, 72, 50]])
        np.testing.assert_array_equal(sess.run(b).reshape(3, 3), [
            [12, 20, 13], [52, 60, 33], [41, 45, 24]])


def test_conv2d_depth_mismatch_message():
    with pytest.raises(ValueError) as e:
        tf.nn.conv2d(tf.zeros([1, 5, 5, 1]), tf.ones([3, 3, 2, 2]), [1, 1, 1, 1], "SAME")
    assert str(e.value) == (
        "Depth of input (1) is not a multiple of input depth of filter (2) for '{{node Conv2D}} "
        '= Conv2D[T=DT_FLOAT, data_format="NHWC", dilations=[1, 1, 1, 1], explicit_paddings=[], '
        'padding="SAME", strides=[1, 1, 1, 1], use_cudnn_on_gpu=true](zeros, ones)\' with input '
        "shapes: [1,5,5,1], [3,3,2,2].")


def test_losses_collections():
    with tf.variable_scope("d", regularizer=lambda t: tf.reduce_sum(t, name="reg"),
                           initializer=tf.constant_initializer(0.5)):
        tf.get_variable("a", [2])
    assert [t.name for t in tf.losses.get_regularization_losses()] == ["d/a/Regularizer/reg:0"]
    assert tf.losses.get_regularization_losses(scope="x") == []
    total = tf.losses.get_regularization_loss()
    assert total.name == "total_regularization_loss:0"
    c = tf.constant(2.0)
    tf.losses.add_loss(c)
    assert tf.losses.get_losses() == [c]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(total) == 1.0


def test_reductions_refuse_types_their_ops_do_not_take():
    b, s = tf.constant([True]), tf.constant(["a"])
    with pytest.raises(TypeError) as e:
        tf.reduce_sum(b)
    assert str(e.value) == (
        "Value passed to parameter 'input' has DataType bool not in list of allowed values: "
        "float32, float64, int32, uint8, int16, int8, complex64, int64, qint8, quint8, qint32, "
        "bfloat16, qint16, quint16, uint16, complex128, float16, uint32, uint64")
    with pytest.raises(TypeError, match="^Value passed to parameter 'input' has DataType "
                                        "string not in list of allowed values: float32, "
                                        "float64, int32, uint8, int16, int8, int64, bfloat16"):
        tf.reduce_max(s)
    assert tf.argmax(b).name == "ArgMax:0"
    with pytest.raises(TypeError, match="qint16, quint16, bool$"):
        tf.argmin(s)
    with pytest.raises(TypeError) as e:
        tf.reduce_any(tf.constant([1.0]))
    assert str(e.value) == ("Input 'input' of 'Any' Op has type float32 that does not match "
                            "expected type of bool.")
    # the failed calls used their names, as in TF: Sum's axis Const and the op scope
    assert [o.name for o in tf.get_default_graph().get_operations()] == [
        "Const", "Const_1", "Const_2", "Const_3", "ArgMax/dimension", "ArgMax", "Const_4",
        "Const_5"]


def test_regularizer_losses_are_lazy_tensors_as_in_tf():
    with tf.variable_scope("d", regularizer=lambda t: tf.reduce_sum(t, name="reg"),
                           initializer=tf.constant_initializer(0.5)):
        tf.get_variable("a", [2])
    total = tf.losses.get_regularization_loss()
    # TF 2.21: one call at the root decides; the master tensor; add_n's conversion builds again
    assert [o.name for o in tf.get_default_graph().get_operations()] == [
        "d/a/Initializer/Const", "d/a", "d/a/Assign", "d/a/read", "Const", "reg",
        "d/a/Regularizer/Const", "d/a/Regularizer/reg", "d/a/Regularizer/Const_1",
        "d/a/Regularizer/reg_1", "total_regularization_loss"]
    loss = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)[0]
    assert loss.name == "d/a/Regularizer/reg:0" and loss.dtype == tf.float32
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run([loss, total]) == [1.0, 1.0]
