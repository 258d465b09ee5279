"""Split / SplitV kernels and ``tf.split``'s graph side, against TF 2.21's literal results and
messages (each checked with TensorFlow 2.21 in graph mode; this file does not import it)."""

from __future__ import annotations

import numpy as np
import pytest

from reference_impl import errors
from reference_impl.compat import v1 as tf
from reference_impl.kernels.cpu import split as split_k
from reference_impl.kernels.registry import KernelContext

X = np.arange(24, dtype=np.float32).reshape(4, 6)
DETERMINED = ("Determined shape must either match input shape along split_dim exactly if fully "
              "specified, or be less than the size of the input along split_dim if not fully "
              "specified.  Got: ")


def _split(x: np.ndarray, axis: object, num: int) -> list:
    return split_k.split(KernelContext("split", "Split", {"num_split": num}), [np.asarray(axis, np.int32), x])


def _split_v(x: np.ndarray, sizes: object, axis: object, num: int, dt: type = np.int32) -> list:
    return split_k.split_v(KernelContext("split", "SplitV", {"num_split": num}),
                           [x, np.asarray(sizes, dt), np.asarray(axis, np.int32)])


def test_split_values() -> None:
    out = _split(X, 1, 2)
    assert [o.tolist() for o in out] == [[[0, 1, 2], [6, 7, 8], [12, 13, 14], [18, 19, 20]],
                                         [[3, 4, 5], [9, 10, 11], [15, 16, 17], [21, 22, 23]]]
    assert [o.tolist() for o in _split(X, -2, 4)] == [[list(range(6 * i, 6 * i + 6))] for i in range(4)]
    empty = _split(np.zeros((0, 3), np.float32), 0, 2)
    assert [o.shape for o in empty] == [(0, 3), (0, 3)]
    assert all(o.flags.c_contiguous for o in out)


def test_split_v_values_with_a_minus_one() -> None:
    out = _split_v(X, [1, -1, 2], 1, 3)
    assert [o.tolist() for o in out] == [[[0], [6], [12], [18]],
                                         [[1, 2, 3], [7, 8, 9], [13, 14, 15], [19, 20, 21]],
                                         [[4, 5], [10, 11], [16, 17], [22, 23]]]
    out = _split_v(X, [1, -1, 2], 0, 3)
    assert [o.shape for o in out] == [(1, 6), (1, 6), (2, 6)]
    assert [o.shape for o in _split_v(X, [1, 3], 0, 2, np.int64)] == [(1, 6), (3, 6)]
    assert [o.shape for o in _split_v(np.zeros((2, 0)), [0, -1], 1, 2)] == [(2, 0), (2, 0)]
    three = _split_v(np.arange(40.0).reshape(2, 5, 4), [2, 0, 3], 1, 3)
    assert [o.shape for o in three] == [(2, 2, 4), (2, 0, 4), (2, 3, 4)]
    assert three[2][1, 0].tolist() == [28.0, 29.0, 30.0, 31.0]
    # An axis holding one element passes, whatever its rank.
    assert [o.shape for o in _split_v(X, [3, 3], [[1]], 2)] == [(4, 3), (4, 3)]


@pytest.mark.parametrize("axis, num, message", [
    (1, 4, "Number of ways to split should evenly divide the split dimension, but got split_dim 1 "
           "(size = 6) and num_split 4"),
    (-1, 4, "Number of ways to split should evenly divide the split dimension, but got split_dim 1 "
            "(size = 6) and num_split 4"),
    (2, 2, "-input rank(-2) <= split_dim < input rank (2), but got 2"),
    (-3, 2, "-input rank(-2) <= split_dim < input rank (2), but got -3"),
    ([0], 2, "split_dim must be a scalar but has rank 1"),
    ([0, 1], 2, "split_dim must be a scalar but has rank 1"),
])
def test_split_errors(axis: object, num: int, message: str) -> None:
    with pytest.raises(errors.InvalidArgumentError) as caught:
        _split(X, axis, num)
    assert caught.value.message == message


def test_split_of_a_scalar_fails_even_in_one_piece() -> None:
    # (in a session of 4 ops or more Grappler makes a one-piece split an Identity first)
    with pytest.raises(errors.InvalidArgumentError) as caught:
        _split(np.float32(3.0), 0, 1)
    assert caught.value.message == "-input rank(-0) <= split_dim < input rank (0), but got 0"


@pytest.mark.parametrize("sizes, axis, num, message", [
    ([3, 3], [0, 1], 2, "split_dim_tensor must have exactly one element."),
    ([3, 3], np.zeros([0], np.int32), 2, "split_dim_tensor must have exactly one element."),
    ([1, 1, 2], 0, 2, "size of the split_tensor must be 1-D and have the same elements as outputs "
                      "got 1 -D and 3 elements"),
    ([1, 1, 2], 2, 2, "size of the split_tensor must be 1-D and have the same elements as outputs "
                      "got 1 -D and 3 elements"),
    ([1, 1], 2, 2, "-input rank(-2) <= split_dim < input rank (2), but got 2"),
    ([3], 0, 1, "If there is only one output, it must have the same size as the input. Input size: 4 "
                "output size: 3"),
    ([-1], 0, 1, "If there is only one output, it must have the same size as the input. Input size: 4 "
                 "output size: -1"),
    ([-1, -1, 2], 0, 3, "There can only be one -1 in the input."),
    ([1, 2], 0, 2, DETERMINED + "3"),
    ([5, -1], 0, 2, DETERMINED + "5"),
    ([3, 3], [0], 2, DETERMINED + "6"),
    ([-2, 3, 3], 0, 3, "Split size at index 0 must be >= 0. Got: -2"),
    ([3, -3, -1], 0, 3, "Split size at index 1 must be >= 0. Got: -3"),
])
def test_split_v_errors(sizes: list, axis: object, num: int, message: str) -> None:
    with pytest.raises(errors.InvalidArgumentError) as caught:
        _split_v(X, sizes, axis, num)
    assert caught.value.message == message


def test_split_v_int64_sizes_and_scalars() -> None:
    with pytest.raises(errors.InvalidArgumentError) as caught:
        _split_v(X, [2 ** 40, -1], 0, 2, np.int64)
    assert caught.value.message == DETERMINED + "1099511627776"
    with pytest.raises(errors.InvalidArgumentError) as caught:
        _split_v(np.float32(3.0), [1, 0], 0, 2)
    assert caught.value.message == "-input rank(-0) <= split_dim < input rank (0), but got 0"


def test_graph_names_and_static_shapes() -> None:
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [4, 6], name="x")
    n = tf.placeholder(tf.int32, [], name="n")
    assert [t.shape.as_list() for t in tf.split(x, 2)] == [[2, 6], [2, 6]]
    assert [t.shape.as_list() for t in tf.split(x, [1, -1, 2], axis=1)] == [[4, 1], [4, 3], [4, 2]]
    assert [t.shape.as_list() for t in tf.split(x, 2, axis=n)] == [[None, None]] * 2
    # Known sizes with an axis known only when run: TF reads the axis as -1 (the last dimension).
    assert [t.shape.as_list() for t in tf.split(x, [1, 5], axis=n)] == [[4, 1], [4, 5]]
    w = tf.placeholder(tf.float32, [None, 5], name="w")
    assert [t.shape.as_list() for t in tf.split(w, [2, -1], 0)] == [[2, 5], [None, 5]]
    s = tf.placeholder(tf.int32, [None], name="s")
    assert [t.shape.as_list() for t in tf.split(x, s, num=3)] == [[None, 6]] * 3
    names = [(op.name, op.type) for op in tf.get_default_graph().get_operations()]
    assert names == [("x", "Placeholder"), ("n", "Placeholder"), ("split/split_dim", "Const"),
                     ("split", "Split"), ("Const", "Const"), ("split_1/split_dim", "Const"),
                     ("split_1", "SplitV"), ("split_2", "Split"), ("Const_1", "Const"),
                     ("split_3", "SplitV"), ("w", "Placeholder"), ("Const_2", "Const"),
                     ("split_4/split_dim", "Const"), ("split_4", "SplitV"), ("s", "Placeholder"),
                     ("split_5/split_dim", "Const"), ("split_5", "SplitV")]


@pytest.mark.parametrize("build, error, message", [
    (lambda x, n: tf.split(x, 4, axis=-1), ValueError,
     "Dimension size must be evenly divisible by 4 but is 6\n\tNumber of ways to split should evenly "
     "divide the split dimension for '{{node split}} = Split[T=DT_FLOAT, num_split=4](split/split_dim, "
     "x)' with input shapes: [], [4,6] and with computed input tensors: input[0] = <-1>."),
    (lambda x, n: tf.split(x, 2, axis=[0]), ValueError,
     "Input must be scalar but has rank 1 for '{{node split}} = Split[T=DT_FLOAT, num_split=2]"
     "(split/split_dim, x)' with input shapes: [1], [4,6] and with computed input tensors: "
     "input[0] = <0>."),
    (lambda x, n: tf.split(x, [2, 2], axis=-3), ValueError,
     "Dimension size, given by scalar input -3 must be in range [-2, 2) for '{{node split}} = "
     "SplitV[T=DT_FLOAT, Tlen=DT_INT32, num_split=2](x, Const, split/split_dim)' with input "
     "shapes: [4,6], [2], [] and with computed input tensors: input[1] = <2 2>, input[2] = <-3>."),
    (lambda x, n: tf.split(x, [5, -1]), ValueError,
     "Split size at index 1 must be >= 0. Got: -1 for '{{node split}} = SplitV[T=DT_FLOAT, "
     "Tlen=DT_INT32, num_split=2](x, Const, split/split_dim)' with input shapes: [4,6], [2], [] "
     "and with computed input tensors: input[1] = <5 -1>, input[2] = <0>."),
    (lambda x, n: tf.split(x, [1, 2], axis=n), ValueError,
     "can't split axis of size 6 into pieces of size [1,2] for '{{node split}} = SplitV[T=DT_FLOAT, "
     "Tlen=DT_INT32, num_split=2](x, Const, n)' with input shapes: [4,6], [2], [] and with computed "
     "input tensors: input[1] = <1 2>."),
    (lambda x, n: tf.split(tf.constant(1.0), [1]), ValueError,
     "Can't split scalars for '{{node split}} = SplitV[T=DT_FLOAT, Tlen=DT_INT32, num_split=1]"
     "(Const, Const_1, split/split_dim)' with input shapes: [], [1], []."),
    (lambda x, n: tf.split(x, 0), ValueError, "Attr 'num_split' of 'Split' Op passed 0 less than minimum 1."),
    (lambda x, n: tf.split(x, []), TypeError,
     "Value passed to parameter 'size_splits' has DataType float32 not in list of allowed values: "
     "int8, int32, int64"),
    (lambda x, n: tf.split(x, tf.constant(2)), ValueError,
     "Rank-0 tensors are not supported as the num_or_size_splits argument to split. Argument "
     "provided: Tensor(\"Const:0\", shape=(), dtype=int32)"),
    (lambda x, n: tf.split(x, tf.placeholder(tf.int32, [None], name="s")), ValueError,
     "Cannot infer argument `num` from shape Tensor(\"s:0\", shape=(?,), dtype=int32)"),
    (lambda x, n: tf.split(x, 2, axis=0.5), TypeError,
     "Expected int32 passed to parameter 'split_dim' of op 'Split', got 0.5 of type 'float' "
     "instead. Error: Expected int32, but got 0.5 of type 'float'."),
    (lambda x, n: tf.split(x, 2, axis=tf.constant(0, tf.int64)), TypeError,
     "Input 'split_dim' of 'Split' Op has type int64 that does not match expected type of int32."),
])
def test_build_errors(build: object, error: type, message: str) -> None:
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [4, 6], name="x")
    n = tf.placeholder(tf.int32, [], name="n")
    with pytest.raises(error) as caught:
        build(x, n)  # type: ignore[operator]
    assert str(caught.value) == message


def test_session_one_piece_is_an_identity_from_four_ops() -> None:
    # Grappler's RemoveSplitOrSplitV (from 4 ops in the graph): no checks for one piece.
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [4, 6], name="x")
    s = tf.placeholder(tf.int32, [None], name="s")
    (piece,) = tf.split(x, s, num=1)
    with tf.Session() as sess:
        assert sess.run(piece, {x: X, s: [3]}).tolist() == X.tolist()
    tf.reset_default_graph()
    y = tf.placeholder(tf.float32, None, name="y")
    (whole,) = tf.split(y, 1)  # 3 ops: the kernel runs
    with tf.Session() as sess, pytest.raises(errors.InvalidArgumentError) as caught:
        sess.run(whole, {y: 3.0})
    assert "-input rank(-0) <= split_dim < input rank (0), but got 0" in str(caught.value)
