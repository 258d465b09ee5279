"""``tf.squeeze``: drop size-1 dimensions (all of them, or the listed ones)."""

from __future__ import annotations

from typing import Any

from .graph import Tensor
from .op_def import convert_to_tensor, graph_of, make_op
from .op_errors import shape_error
from .shape_inference import dt_enum
from .tensor_shape import TensorShape

__all__ = ["squeeze"]


def squeeze(input: Any, axis: Any = None, name: str | None = None, squeeze_dims: Any = None) -> Tensor:
    """``input`` without its size-1 dimensions (only those in ``axis`` when given)."""
    if axis is not None and squeeze_dims is not None:
        raise ValueError("Cannot specify both 'axis' and 'squeeze_dims'.")
    axis = axis if axis is not None else squeeze_dims
    if isinstance(axis, int):
        axis = [axis]
    axes = [int(a) for a in (axis or [])]
    g = graph_of([input])
    with g.as_default(), g.name_scope(name or "Squeeze") as scope:
        x = convert_to_tensor(input, name="input")
        dt = x.dtype.base_dtype
        attrs = f"T={dt_enum(dt)}, squeeze_dims=[{', '.join(str(a) for a in axes)}]"
        rank = x.shape.ndims
        if rank is None:
            out = TensorShape(None)
        else:
            dims = x.shape.as_list()
            for a in axes:
                if a < -rank or a >= rank:
                    raise shape_error(f"Tried to squeeze dim index {a} for tensor with {rank} "
                                      "dimensions.", scope[:-1], "Squeeze", attrs, [x])
            wanted = {a % rank for a in axes}
            keep: list[int | None] = []
            unknown = False
            for i, d in enumerate(dims):
                if wanted and i not in wanted:
                    keep.append(d)
                elif d is None:
                    if wanted:
                        continue
                    unknown = True
                elif d == 1:
                    continue
                elif wanted:
                    raise shape_error(f"Can not squeeze dim[{i}], expected a dimension of 1, "
                                      f"got {d}", scope[:-1], "Squeeze", attrs, [x])
                else:
                    keep.append(d)
            out = TensorShape(None) if unknown else TensorShape(keep)
        return make_op("Squeeze", [x], [(dt, out)], scope,
                       {"T": dt, "squeeze_dims": axes}).outputs[0]
