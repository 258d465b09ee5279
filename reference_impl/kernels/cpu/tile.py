"""CPU kernel: ``Tile`` (``tf.tile``; also in the gradients of reductions over static shapes, as TF's)."""

from __future__ import annotations

import numpy as np

from ... import errors
from ..registry import KernelContext, register_kernel


def check_multiples(x_shape: tuple, multiples: np.ndarray) -> list[int]:
    """TileOp's run-time checks, with its messages: a vector of one multiple per dimension, none
    negative."""
    if multiples.ndim != 1:
        raise errors.InvalidArgumentError(
            None, None, f"Expected multiples argument to be a vector of length {len(x_shape)} but got "
                        f"length {multiples.shape[0] if multiples.ndim else 1}")
    if multiples.shape[0] != len(x_shape):
        raise errors.InvalidArgumentError(
            None, None, f"Expected multiples argument to be a vector of length {len(x_shape)} but got "
                        f"length {multiples.shape[0]}")
    values = [int(m) for m in multiples]
    for i, m in enumerate(values):
        if m < 0:
            raise errors.InvalidArgumentError(None, None, f"Expected multiples[{i}] >= 0, but got {m}")
    return values


@register_kernel("Tile")
def tile(ctx: KernelContext, inputs: list) -> list:
    x, multiples = inputs
    return [np.tile(x, tuple(check_multiples(np.shape(x), np.asarray(multiples))))]
