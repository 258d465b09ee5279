"""``tf.broadcast_to`` (``BroadcastTo``): a tensor repeated to a shape, numpy's broadcasting rule.

The static shape is TF's: the target shape as read while building (`shape_from_tensor`), each
of the input's dimensions greater than 1 merged into the target's matching one, counted from
the right. TF runs the shape function twice, first knowing only the target's length, then its
value, so a rank error reports no values and a dimension error reports the shape it read.
"""

from __future__ import annotations

from typing import Any

from . import dtypes
from .array_ops import shape_from_tensor
from .graph import Tensor
from .op_def import convert_to_tensor, convert_type_attr_input, graph_of, make_op
from .op_errors import shape_error
from .shape_inference import dt_enum
from .tensor_shape import TensorShape

__all__ = ["broadcast_to"]


def broadcast_to_shape(x: TensorShape, target: TensorShape, fail: Any) -> TensorShape:
    """The output's static shape: ``target`` refined by ``x``'s dimensions above 1."""
    if target.ndims is None or x.ndims is None:
        return target
    if x.ndims > target.ndims:
        raise fail(f"Shape must be at most rank {target.ndims} but is rank {x.ndims}")
    out = target.as_list()
    offset = target.ndims - x.ndims
    for k, d in enumerate(x.as_list()):
        if d is not None and d > 1:
            t = out[offset + k]
            if t is not None and t != d:
                raise fail(f"Dimensions must be equal, but are {d} and {t}")
            out[offset + k] = d
    return TensorShape(out)


def broadcast_to(input: Any, shape: Any, name: str | None = None) -> Tensor:  # noqa: A002 - TF's name
    """``input`` broadcast to ``shape``."""
    g = graph_of([input, shape])
    with g.as_default(), g.name_scope(name or "BroadcastTo") as scope:
        x = input if isinstance(input, Tensor) else convert_to_tensor(input, name="input")
        s = convert_type_attr_input(shape, "shape", (dtypes.int32, dtypes.int64), dtypes.int32)
        dt = x.dtype.base_dtype
        attrs = f"T={dt_enum(dt)}, Tidx={dt_enum(s.dtype)}"
        inputs = [x, s]

        def fail(partial: Any) -> Any:
            return lambda message: shape_error(message, scope[:-1], "BroadcastTo", attrs, inputs,
                                               partial=partial)

        if s.shape.ndims is not None and s.shape.ndims != 1:
            raise fail(None)(f"Shape must be rank 1 but is rank {s.shape.ndims}")
        length = s.shape.as_list()[0] if s.shape.ndims == 1 else None
        broadcast_to_shape(x.shape, TensorShape(None if length is None else [None] * length), fail(None))
        target = shape_from_tensor(s)
        out = broadcast_to_shape(x.shape, target, fail({1: target}))
        return make_op("BroadcastTo", inputs, [(dt, out)], scope,
                       {"T": dt, "Tidx": s.dtype.base_dtype}).outputs[0]
