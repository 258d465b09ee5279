"""``Select``: TF1's three-argument ``where`` (a sharded Saver picks its temporary-file suffix
with one). A scalar ``cond`` picks a whole operand, a vector ``cond`` beside a non-vector ``x``
picks rows, any other ``cond`` picks elements: TF's SelectOp, checks and messages included."""

from __future__ import annotations

import numpy as np

from ... import errors
from ..registry import KernelContext, register_kernel
from ..shape_text import debug_string


def cond_view(op_name: str, cond: tuple[int, ...], x: tuple[int, ...],
              y: tuple[int, ...]) -> tuple[int, ...]:
    """The shape to view ``cond`` as, broadcast against ``x`` (``()`` for a whole operand),
    after TF's checks of the three shapes."""
    if not cond:
        if x != y:
            _invalid(f"'then' and 'else' must have the same size.  but received: "
                     f"{debug_string(x)} vs. {debug_string(y)}")
        return ()
    if len(cond) == 1 and len(x) != 1:
        if not x:
            _invalid(f"'then' must be at least a vector, but saw shape: {debug_string(x)}")
        if x[0] != cond[0]:
            _invalid(f"Number of batches of 'then' must match size of 'cond', but saw: "
                     f"{x[0]} vs. {cond[0]}")
        if x != y:
            _invalid(f"'then' and 'else' must have the same shape.  but received: "
                     f"{debug_string(x)} vs. {debug_string(y)}")
        return cond + (1,) * (len(x) - 1)
    for i, other in ((1, x), (2, y)):
        if other != cond:
            _invalid(f"Inputs to operation {op_name} of type Select must have the same size "
                     f"and shape.  Input 0: {debug_string(cond)} != input {i}: "
                     f"{debug_string(other)}")
    return cond


def _invalid(message: str) -> None:
    raise errors.InvalidArgumentError(None, None, message)


@register_kernel("Select")
def select(ctx: KernelContext, inputs: list) -> list:
    cond, x, y = (np.asarray(a) for a in inputs)
    view = cond_view(ctx.op_name, cond.shape, x.shape, y.shape)
    if not view:
        return [(x if cond else y).copy()]
    return [np.where(cond.reshape(view), x, y)]


@register_kernel("Where")
def where(ctx: KernelContext, inputs: list) -> list:
    """The coordinates of the true (non-zero) elements, row-major, as int64 ``[n, rank]``."""
    return [np.argwhere(np.asarray(inputs[0])).astype(np.int64)]
