"""tf.div_no_nan / tf.math.divide_no_nan (DivNoNan), its gradient and Cumprod's, against
TensorFlow 2.21: every expected value, name and message below is what TF 2.21 gave on its CPU
kernels (graph mode, ``tf.compat.v1.disable_v2_behavior()``, inputs fed through placeholders so
nothing was constant-folded). The tests themselves run without TensorFlow.
"""

from __future__ import annotations

import numpy as np
import pytest

import reference_impl.compat.v1 as tf
from reference_impl.kernels.registry import KernelContext, lookup_kernel


def run_kernel(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    ctx = KernelContext("k", "DivNoNan", {"T": tf.as_dtype(x.dtype)}, "CPU")
    return np.asarray(lookup_kernel("DivNoNan", "CPU")(ctx, [x, y])[0])


def bits(a: np.ndarray) -> list:
    a = np.asarray(a)
    return a.view({2: np.uint16, 4: np.uint32, 8: np.uint64}[a.itemsize]).tolist()


# float32, by bits: 0/0, -0/0, 1/0, -1/-0, inf/0, -inf/-0, nan/0 are +0; a denormal y reads as
# 0 (DAZ), so 3/1e-40 is 0; a denormal x reads as a zero of its sign; 1e-30/1e10 (a denormal
# quotient) is flushed; 7/-inf is -0; -0/2 is -0; inf/inf and nan/1 are NaN; 30/100 is exact
# (no reciprocal product); -5/-1e-40 is +0.
X32 = [0, 2147483648, 1065353216, 3212836864, 2139095040, 4286578688, 2143289344, 1077936128,
       71362, 2147555010, 228737632, 1065353216, 1088421888, 2147483648, 2139095040, 2143289344,
       71362, 1106247680, 3231711232]
Y32 = [0, 0, 0, 2147483648, 0, 2147483648, 0, 71362, 1065353216, 1065353216, 1343554297,
       2139095040, 4286578688, 1073741824, 2139095040, 1065353216, 0, 1120403456, 2147555010]
R32 = [0, 0, 0, 0, 0, 0, 0, 0, 0, 2147483648, 0, 0, 2147483648, 2147483648, 4290772992,
       2143289344, 0, 1050253722, 0]

# float64: -0 and 0 denominators, a denormal denominator (1e-310) and numerators flushed.
X64 = [0.0, 1.0, np.inf, np.nan, 3.0, 1e-310, -1e-310, 1e-300, 1.0, 2.0]
Y64 = [-0.0, 0.0, 0.0, 0.0, 1e-310, 1.0, 1.0, 1e10, 3.0, -np.inf]
R64 = [0, 0, 0, 0, 0, 0, 9223372036854775808, 0, 4599676419421066581, 9223372036854775808]

# float16 is not flushed: 3 / the smallest denormal is inf, a denormal x stays.
X16 = [0, 15360, 31744, 32256, 16896, 1, 32769, 1678, 15360, 16384, 31743]
Y16 = [0, 0, 32768, 0, 1, 15360, 15360, 28898, 16896, 64512, 14336]
R16 = [0, 0, 0, 0, 31744, 1, 32769, 0, 13653, 32768, 31744]


@pytest.mark.parametrize("x, y, expected", [
    (np.array(X32, np.uint32).view(np.float32), np.array(Y32, np.uint32).view(np.float32), R32),
    (np.array(X64, np.float64), np.array(Y64, np.float64), R64),
    (np.array(X16, np.uint16).view(np.float16), np.array(Y16, np.uint16).view(np.float16), R16),
], ids=["float32", "float64", "float16"])
def test_kernel_special_values_bit_for_bit(x: np.ndarray, y: np.ndarray, expected: list) -> None:
    out = run_kernel(x, y)
    assert out.dtype == x.dtype
    assert bits(out) == expected


def test_kernel_broadcasts() -> None:
    x = np.arange(6, dtype=np.float32).reshape(2, 3) - 2
    out = run_kernel(x, np.array([[0.0], [3.0]], np.float32))
    assert bits(out) == [[0, 0, 0], [1051372203, 1059760811, 1065353216]]


def _ops(g: tf.Graph) -> list:
    return [(op.name, op.type, [i.name for i in op.inputs], op.outputs[0].dtype.name,
             str(op.outputs[0].shape)) for op in g.get_operations()]


def test_names_conversions_and_casts() -> None:
    g = tf.Graph()
    with g.as_default():
        a = tf.placeholder(tf.float32, [None, 3], name="a")
        r1 = tf.div_no_nan(a, 2.0)
        r2 = tf.div_no_nan(3.0, a)
        r3 = tf.div_no_nan(a, a, name="mine")
        r4 = tf.div_no_nan(tf.constant([1, 2, 3]), 2)
        r5 = tf.div_no_nan(tf.constant([1, 2, 3], tf.int8), tf.constant(2, tf.int8))
        r6 = tf.math.divide_no_nan(3.0, 4.0)
        r7 = tf.div_no_nan(tf.constant(1.0), np.float64(2.0))  # y prefers x's type
        r8 = tf.div_no_nan(3.0, tf.constant(1, tf.float16))  # x must take y's
        with tf.name_scope("sc"):
            r9 = tf.div_no_nan(a, [[1.0, 0.0, 2.0]])
        assert _ops(g) == [
            ("a", "Placeholder", [], "float32", "(?, 3)"),
            ("div_no_nan/y", "Const", [], "float32", "()"),
            ("div_no_nan", "DivNoNan", ["a:0", "div_no_nan/y:0"], "float32", "(?, 3)"),
            ("div_no_nan_1/x", "Const", [], "float32", "()"),
            ("div_no_nan_1", "DivNoNan", ["div_no_nan_1/x:0", "a:0"], "float32", "(?, 3)"),
            ("mine", "DivNoNan", ["a:0", "a:0"], "float32", "(?, 3)"),
            ("Const", "Const", [], "int32", "(3,)"),
            ("div_no_nan_2/y", "Const", [], "int32", "()"),
            ("div_no_nan_2/Cast", "Cast", ["Const:0"], "float64", "(3,)"),
            ("div_no_nan_2/Cast_1", "Cast", ["div_no_nan_2/y:0"], "float64", "()"),
            ("div_no_nan_2", "DivNoNan", ["div_no_nan_2/Cast:0", "div_no_nan_2/Cast_1:0"],
             "float64", "(3,)"),
            ("Const_1", "Const", [], "int8", "(3,)"),
            ("Const_2", "Const", [], "int8", "()"),
            ("div_no_nan_3/Cast", "Cast", ["Const_1:0"], "float32", "(3,)"),
            ("div_no_nan_3/Cast_1", "Cast", ["Const_2:0"], "float32", "()"),
            ("div_no_nan_3", "DivNoNan", ["div_no_nan_3/Cast:0", "div_no_nan_3/Cast_1:0"],
             "float32", "(3,)"),
            ("div_no_nan_4/x", "Const", [], "float32", "()"),
            ("div_no_nan_4/y", "Const", [], "float32", "()"),
            ("div_no_nan_4", "DivNoNan", ["div_no_nan_4/x:0", "div_no_nan_4/y:0"], "float32",
             "()"),
            ("Const_3", "Const", [], "float32", "()"),
            ("div_no_nan_5/y", "Const", [], "float32", "()"),
            ("div_no_nan_5", "DivNoNan", ["Const_3:0", "div_no_nan_5/y:0"], "float32", "()"),
            ("Const_4", "Const", [], "float16", "()"),
            ("div_no_nan_6/x", "Const", [], "float16", "()"),
            ("div_no_nan_6", "DivNoNan", ["div_no_nan_6/x:0", "Const_4:0"], "float16", "()"),
            ("sc/div_no_nan/y", "Const", [], "float32", "(1, 3)"),
            ("sc/div_no_nan", "DivNoNan", ["a:0", "sc/div_no_nan/y:0"], "float32", "(?, 3)"),
        ]
        assert not hasattr(tf.math, "div_no_nan")  # (TF 2.21's compat.v1.math has not either)
        with tf.Session() as sess:
            out = sess.run([r1, r2, r3, r4, r5, r6, r7, r8, r9],
                           {a: np.float32([[1, 0, -2], [0, 5, 1e-40]])})
    assert [np.asarray(o).dtype.name for o in out] == [
        "float32", "float32", "float32", "float64", "float32", "float32", "float32", "float16",
        "float32"]
    assert [np.asarray(o).tolist() for o in out] == [
        [[0.5, 0.0, -1.0], [0.0, 2.5, 0.0]], [[3.0, 0.0, -1.5], [0.0, 0.6000000238418579, 0.0]],
        [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]], [0.5, 1.0, 1.5], [0.5, 1.0, 1.5], 0.75, 0.5, 3.0,
        [[1.0, 0.0, -1.0], [0.0, 0.0, 0.0]]]


_INVALID = ("Expected one of {tf.uint8, tf.int8, tf.uint16, tf.int16, tf.uint32, tf.int32, "
            "tf.uint64, tf.int64, tf.bfloat16, tf.float16, tf.float32, tf.float64, tf.complex64, "
            "tf.complex128}.")


@pytest.mark.parametrize("make, error, message", [
    (lambda: tf.div_no_nan(tf.constant(1.0), tf.constant(2.0, tf.float64)), TypeError,
     "`x` and `y` must have the same dtype, got tf.float32 != tf.float64."),
    (lambda: tf.div_no_nan(tf.constant(1), 2.5), TypeError,
     "`x` and `y` must have the same dtype, got tf.int32 != tf.float32."),
    (lambda: tf.div_no_nan(1, 2.5), TypeError,
     "`x` and `y` must have the same dtype, got tf.int32 != tf.float32."),
    (lambda: tf.div_no_nan(2.5, tf.constant(1)), TypeError,
     "Expected int32, but got 2.5 of type 'float'."),
    (lambda: tf.div_no_nan("a", 1.0), TypeError,
     "`x` and `y` must have the same dtype, got tf.string != tf.float32."),
    (lambda: tf.div_no_nan(tf.constant(True), tf.constant(False)), TypeError,
     "Invalid dtype tf.bool in tf.math.divide_no_nan. " + _INVALID),
    (lambda: tf.div_no_nan(tf.constant("a"), tf.constant("b")), TypeError,
     "Invalid dtype tf.string in tf.math.divide_no_nan. " + _INVALID),
    (lambda: tf.div_no_nan(tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0, 3.0]), name="q"),
     ValueError, "Dimensions must be equal, but are 2 and 3 for '{{node q}} = "
     "DivNoNan[T=DT_FLOAT](Const, Const_1)' with input shapes: [2], [3]."),
])
def test_errors(make, error: type, message: str) -> None:  # type: ignore[no-untyped-def]
    with tf.Graph().as_default():
        with pytest.raises(error) as info:
            make()
    assert str(info.value) == message


def test_gradient_names_and_values() -> None:
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [3], name="x")
        y = tf.placeholder(tf.float32, [None], name="y")
        gx, gy = tf.gradients(tf.div_no_nan(x, y), [x, y])
        names = [(op.name, op.type, [i.name for i in op.inputs]) for op in g.get_operations()]
        with tf.Session() as sess:
            vx, vy = sess.run([gx, gy], {x: [1.1, 3.0, 5.0], y: [0.7, 0.0, -3.3]})
    prefix = "gradients/div_no_nan_grad/"
    assert names == [
        ("x", "Placeholder", []), ("y", "Placeholder", []),
        ("div_no_nan", "DivNoNan", ["x:0", "y:0"]),
        ("gradients/Shape", "Const", []), ("gradients/grad_ys_0/Const", "Const", []),
        ("gradients/grad_ys_0", "Fill", ["gradients/Shape:0", "gradients/grad_ys_0/Const:0"]),
        (prefix + "div_no_nan", "DivNoNan", ["gradients/grad_ys_0:0", "y:0"]),
        (prefix + "Neg", "Neg", ["x:0"]),
        (prefix + "div_no_nan_1", "DivNoNan", [prefix + "Neg:0", "y:0"]),
        (prefix + "div_no_nan_2", "DivNoNan", [prefix + "div_no_nan_1:0", "y:0"]),
        (prefix + "mul", "Mul", ["gradients/grad_ys_0:0", prefix + "div_no_nan_2:0"]),
        (prefix + "Shape", "Const", []),
        (prefix + "Shape_1", "Shape", ["y:0"]),
        (prefix + "BroadcastGradientArgs", "BroadcastGradientArgs",
         [prefix + "Shape:0", prefix + "Shape_1:0"]),
        (prefix + "Sum", "Sum", [prefix + "div_no_nan:0", prefix + "BroadcastGradientArgs:0"]),
        (prefix + "Reshape", "Reshape", [prefix + "Sum:0", prefix + "Shape:0"]),
        (prefix + "Sum_1", "Sum", [prefix + "mul:0", prefix + "BroadcastGradientArgs:1"]),
        (prefix + "Reshape_1", "Reshape", [prefix + "Sum_1:0", prefix + "Shape_1:0"])]
    assert bits(vx) == [1068948334, 0, 3197839050]
    assert bits(vy) == [3222252649, 0, 3203077115]


def test_cumprod_gradient_names_and_values() -> None:
    g = tf.Graph()
    with g.as_default():
        c = tf.placeholder(tf.float32, [2, 4], name="c")
        grads = []
        for exclusive in (False, True):
            for reverse in (False, True):
                grads += tf.gradients(tf.cumprod(c, 1, exclusive=exclusive, reverse=reverse), [c])
        ops = {op.name: op for op in g.get_operations()}
        with tf.Session() as sess:
            values = sess.run(grads, {c: [[1.1, -2.3, 0.7, 3.9], [0.3, 0.0, 1.7, -0.6]]})
    assert [(n, ops[n].type, [i.name for i in ops[n].inputs]) for n in (
        "gradients_3/Cumprod_3_grad/Cumprod", "gradients_3/Cumprod_3_grad/mul",
        "gradients_3/Cumprod_3_grad/Cumsum", "gradients_3/Cumprod_3_grad/div_no_nan")] == [
        ("gradients_3/Cumprod_3_grad/Cumprod", "Cumprod", ["c:0", "Cumprod_3/axis:0"]),
        ("gradients_3/Cumprod_3_grad/mul", "Mul",
         ["gradients_3/Cumprod_3_grad/Cumprod:0", "gradients_3/grad_ys_0:0"]),
        ("gradients_3/Cumprod_3_grad/Cumsum", "Cumsum",
         ["gradients_3/Cumprod_3_grad/mul:0", "Cumprod_3/axis:0"]),
        ("gradients_3/Cumprod_3_grad/div_no_nan", "DivNoNan",
         ["gradients_3/Cumprod_3_grad/Cumsum:0", "c:0"])]
    forward = ops["gradients_3/Cumprod_3_grad/Cumprod"]
    back = ops["gradients_3/Cumprod_3_grad/Cumsum"]
    assert (forward.get_attr("exclusive"), forward.get_attr("reverse")) == (True, True)
    assert (back.get_attr("exclusive"), back.get_attr("reverse")) == (True, False)
    # (a zero in the input: its gradient is 0, and so is every earlier element's beyond it)
    assert [bits(v) for v in values] == [
        [[3239249444, 1083961246, 3242613277, 3219304480], [1065353216, 0, 0, 2147483648]],
        [[3234393489, 1085764796, 3245276660, 3218549506], [0, 0, 3206125978, 1076677837]],
        [[3225042287, 1072651304, 3223448453, 0], [1065353216, 0, 0, 2147483648]],
        [[0, 1076803666, 3231858032, 1035489782], [0, 0, 3206125978, 1076677837]]]


def test_static_shapes_broadcast_unknown_dimensions_as_tensorflow() -> None:
    # TF's BroadcastBinaryOpOutputShapeFn: unknown against a known > 1 is that one, against 1
    # or 0 stays unknown (TF 2.21: (0,) with (?,) is (?,), not (0,)).
    with tf.Graph().as_default():
        a = tf.placeholder(tf.float32, [0, None, 1, None])
        b = tf.placeholder(tf.float32, [None, 3, None, 0])
        c = tf.placeholder(tf.float32, [1, 0])
        assert tf.div_no_nan(a, b).shape.as_list() == [None, 3, None, None]
        assert tf.div_no_nan(c, a).shape.as_list() == [0, None, 1, None]
        assert (a + b).shape.as_list() == [None, 3, None, None]
        assert tf.div_no_nan(a, tf.placeholder(tf.float32)).shape.ndims is None
