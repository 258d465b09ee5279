"""MirrorPadGrad's CPU kernel: the gradient of MirrorPad, folded as TF's functor folds it."""

from __future__ import annotations

import numpy as np
import pytest

from reference_impl import errors
from reference_impl.kernels.cpu.pad import mirror_pad, mirror_pad_grad
from reference_impl.kernels.registry import KernelContext


def _ctx(op: str, mode: str) -> KernelContext:
    return KernelContext(op, op, {"mode": mode})


@pytest.mark.parametrize("mode, paddings", [("REFLECT", [[1, 2], [2, 1]]), ("SYMMETRIC", [[2, 2], [0, 3]])])
def test_the_gradient_is_the_adjoint_of_the_padding(mode: str, paddings: list) -> None:
    # <pad(x), dy> == <x, pad_grad(dy)> for every x and dy: the fold adds each border's
    # gradient onto the element it was copied from (small integers: exact in float64)
    rng = np.random.default_rng(7)
    x = rng.integers(-5, 5, (4, 5)).astype(np.float64)
    p = np.array(paddings, np.int32)
    y = mirror_pad(_ctx("MirrorPad", mode), [x, p])[0]
    dy = rng.integers(-5, 5, y.shape).astype(np.float64)
    dx = mirror_pad_grad(_ctx("MirrorPadGrad", mode), [dy, p])[0]
    assert dx.shape == x.shape
    assert float((y * dy).sum()) == float((x * dx).sum())


def test_zero_paddings_return_the_gradient_itself() -> None:
    dy = np.arange(6, dtype=np.float32).reshape(2, 3)
    assert mirror_pad_grad(_ctx("MirrorPadGrad", "REFLECT"), [dy, np.zeros((2, 2), np.int32)])[0] is dy


@pytest.mark.parametrize("shape, paddings, mode, message", [
    ((4,), [[2, 2]], "REFLECT", "Total paddings must be less than the input dimension size: 4 was not less than 4"),
    ((4,), [[1, 2]], "REFLECT", "paddings must be less than the output dimension size: 1, 2 not less than 1"),
    ((4,), [[2, 1]], "SYMMETRIC", "paddings must be no greater than the output dimension size: 2, 1 greater than 1"),
    ((4,), [[-1, 1]], "SYMMETRIC", "Paddings must be non-negative: -1, 1"),
    ((4,), [[1, 1, 1]], "SYMMETRIC", "paddings must be a matrix with 2 columns: [1,3]"),
    ((4,), [[1, 1], [0, 0]], "SYMMETRIC", "The first dimension of paddings must be the rank of inputs[2,2] [4]"),
])
def test_tf_s_checks_and_messages(shape: tuple, paddings: list, mode: str, message: str) -> None:
    with pytest.raises(errors.InvalidArgumentError) as e:
        mirror_pad_grad(_ctx("MirrorPadGrad", mode), [np.zeros(shape, np.float32), np.array(paddings, np.int32)])
    assert e.value.message == message
