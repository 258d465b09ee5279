"""Pad / MirrorPad / ConcatV2 / Squeeze kernels and the graph functions, against TF's literal results."""

from __future__ import annotations

import numpy as np
import pytest

from reference_impl import errors
from reference_impl.compat import v1 as tf
from reference_impl.kernels.cpu import concat as concat_k
from reference_impl.kernels.cpu import pad as pad_k
from reference_impl.kernels.registry import KernelContext


def test_document_pad_example() -> None:
    t = np.array([[2, 3, 4], [5, 6, 7]], np.int32)
    out = pad_k.pad(KernelContext("p", "Pad"), [t, np.array([[1, 2], [2, 3]], np.int32)])[0]
    assert out.tolist() == [[0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 2, 3, 4, 0, 0, 0],
                            [0, 0, 5, 6, 7, 0, 0, 0], [0] * 8, [0] * 8]


def test_mirror_pad_modes_and_errors() -> None:
    t = np.array([1, 2, 3], np.int32)
    sym = pad_k.mirror_pad(KernelContext("m", "MirrorPad", {"mode": "SYMMETRIC"}), [t, [[3, 3]]])[0]
    ref = pad_k.mirror_pad(KernelContext("m", "MirrorPad", {"mode": "REFLECT"}), [t, [[2, 2]]])[0]
    assert sym.tolist() == [3, 2, 1, 1, 2, 3, 3, 2, 1]
    assert ref.tolist() == [3, 2, 1, 2, 3, 2, 1]
    with pytest.raises(errors.InvalidArgumentError, match="paddings must be less than the dimension size: 2, 0 not less than 2"):
        pad_k.mirror_pad(KernelContext("m", "MirrorPad", {"mode": "REFLECT"}),
                         [np.zeros((2, 3)), [[2, 0], [0, 0]]])
    with pytest.raises(errors.InvalidArgumentError, match="Paddings must be non-negative: -1 0"):
        pad_k.pad(KernelContext("p", "Pad"), [np.zeros((2, 3)), [[-1, 0], [0, 0]]])


def test_concat_mismatch_message() -> None:
    with pytest.raises(errors.InvalidArgumentError) as e:
        concat_k.concat_v2(KernelContext("c", "ConcatV2"),
                           [np.zeros((2, 3), np.float32), np.zeros((3, 3), np.float32), np.int32(1)])
    assert "ConcatOp : Dimension 0 in both shapes must be equal: shape[0] = [2,3] vs. shape[1] = [3,3]" in str(e.value)


def test_build_time_shapes_and_errors() -> None:
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 3])
    assert tf.pad(x, [[1, 2], [2, 3]]).shape.as_list() == [None, 8]
    assert tf.concat([x, tf.zeros([2, 3])], 0).shape.as_list() == [None, 3]
    assert tf.reduce_sum(x, 1, keepdims=True).shape.as_list() == [None, 1]
    with pytest.raises(ValueError, match="Cannot specify both 'keep_dims' and 'keepdims'."):
        tf.reduce_sum(x, 0, keepdims=True, keep_dims=True)
    with pytest.raises(TypeError, match="Got an unexpected keyword argument 'keep_dim'"):
        tf.reduce_sum(x, 0, keep_dim=True)
    t = tf.constant([1, 2, 3])
    with pytest.raises(ValueError) as e:
        tf.concat([t, t], 1)
    assert str(e.value).startswith("Shape must be at least rank 2 but is rank 1 for '{{node concat_1}} = "
                                   "ConcatV2[N=2, T=DT_INT32, Tidx=DT_INT32]")


# BroadcastGradientArgs as TF 2.21 answers (tf.raw_ops.BroadcastGradientArgs; the reference
# agreed on all 196 pairs of 14 shapes when this table was taken from them)
GRADIENT_ARGS = [
    ([1], [1], [], []),  # equal shapes: nothing to reduce
    ([1, 1], [1], [0, 1], [0, 1]),  # a dimension of 1 everywhere: reduced for both
    ([], [1], [0], [0]),
    ([1, 3], [3], [0], [0]),
    ([2, 3], [3], [], [0]),
    ([1, 1, 1], [2, 1, 3], [0, 1, 2], [1]),
    ([0], [1], [], [0]),
    ([1, 0], [0, 1], [0], [1]),
    ([2, 0], [1], [], [0, 1]),
    ([4, 1, 1], [1, 1], [1, 2], [0, 1, 2]),
]


@pytest.mark.parametrize("x, y, rx, ry", GRADIENT_ARGS)
def test_broadcast_gradient_args(x: list, y: list, rx: list, ry: list) -> None:
    from reference_impl.kernels.cpu.array import broadcast_gradient_args

    out = broadcast_gradient_args(KernelContext("b", "BroadcastGradientArgs"),
                                  [np.array(x, np.int32), np.array(y, np.int32)])
    assert [o.tolist() for o in out] == [rx, ry] and all(o.dtype == np.int32 for o in out)


def test_broadcast_gradient_args_refuses_shapes_that_do_not_broadcast() -> None:
    from reference_impl.kernels.cpu.array import broadcast_gradient_args

    with pytest.raises(errors.InvalidArgumentError) as e:
        broadcast_gradient_args(KernelContext("b", "BroadcastGradientArgs"),
                                [np.array([3, 1], np.int32), np.array([2, 3], np.int32)])
    assert e.value.message == "Incompatible shapes: [3,1] vs. [2,3]"
