"""CPU kernel: ``BroadcastTo`` (TF's gradients of reductions over shapes known only when run use
it: a graph imported from TensorFlow may hold one), with TF's run-time checks and messages.

TF 2.21's order (observed): the shape tensor is read (a vector, no negative dimension), an
equal shape returns the input itself, then the ranks are compared, then TF's ``BCast`` of the
two shapes must be valid and must give the requested shape. The broadcast is checked even when
the output is empty ([2] to [0, 3] fails). The GPU kernel reuses `broadcast_shape`.
"""

from __future__ import annotations

import numpy as np

from ... import errors
from ..registry import KernelContext, register_kernel
from ..shape_text import debug_string


def _invalid(message: str) -> errors.InvalidArgumentError:
    return errors.InvalidArgumentError(None, None, message)


def requested_shape(shape_input: object) -> tuple[int, ...]:
    """The ``shape`` input as dimensions, checked as TF's ``tensor::MakeShape`` checks it."""
    shape = np.asarray(shape_input)
    if shape.ndim != 1:
        raise _invalid(f"shape must be a vector of {{int32,int64}}, got shape {debug_string(shape.shape)}")
    dims = [int(d) for d in shape]
    for d in dims:
        if d < 0:
            raise _invalid(f"Dimension {d} must be >= 0")
    return tuple(dims)


def _bcast_dim(a: int, b: int) -> int | None:
    """TF's BCast of one pair of aligned dimensions: equal, or one of them 1 (the other one
    wins, even a 0); None where they do not broadcast."""
    if a == b or b == 1:
        return a
    if a == 1:
        return b
    return None


def broadcast_shape(in_shape: tuple[int, ...], shape_input: object) -> tuple[int, ...]:
    """The output shape of BroadcastTo(input of ``in_shape``, ``shape_input``), or TF's error."""
    out = requested_shape(shape_input)
    in_shape = tuple(int(d) for d in in_shape)
    if out == in_shape:
        return out
    if len(in_shape) > len(out):
        raise _invalid(f"Rank of input ({len(in_shape)}) must be no greater than rank of output "
                       f"shape ({len(out)}).")
    padded = (1,) * (len(out) - len(in_shape)) + in_shape
    result = [_bcast_dim(a, b) for a, b in zip(padded, out)]
    if None in result:
        raise _invalid(f"Incompatible shapes: {debug_string(in_shape)} vs. {debug_string(out)}")
    if tuple(result) != out:  # e.g. [2,1] to [1,1]: valid for BCast, but it gives [2,1]
        raise _invalid(f"Unable to broadcast tensor of shape {debug_string(in_shape)} to tensor "
                       f"of shape {debug_string(out)}")
    return out


@register_kernel("BroadcastTo")
def broadcast_to(ctx: KernelContext, inputs: list) -> list:
    """``input`` repeated to ``shape`` (numpy's broadcasting, TF's checks); an equal shape
    gives the input itself, as TF forwards its buffer."""
    x = np.asarray(inputs[0])
    shape = broadcast_shape(x.shape, inputs[1])
    if shape == x.shape:
        return [inputs[0]]
    return [np.array(np.broadcast_to(x, shape))]
