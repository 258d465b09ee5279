"""``tf.tile`` (``Tile``): a tensor repeated ``multiples[i]`` times along each dimension, with
TF's names, shape function and errors.

The multiples are read as a shape while building (`shape_from_tensor`: a -1 or a value known
only when run is an unknown multiple); each output dimension is the input's times its multiple
(a known 1 gives the other, a known 0 gives 0). Like TF's, the shape function fails on multiples
of the wrong length before it has read their values.
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

__all__ = ["tile"]


def tile_shape(x: TensorShape, multiples: TensorShape) -> TensorShape:
    """Tile's output shape from the input's and the multiples read as a (partial) shape (of the
    input's rank when the input's is known)."""
    if multiples.ndims is None:
        if x.ndims is None:
            return TensorShape(None)
        multiples = TensorShape([None] * x.ndims)

    def times(d: int | None, m: int | None) -> int | None:
        if d == 1 or m == 1:
            return m if d == 1 else d
        if d == 0 or m == 0:
            return 0
        return None if d is None or m is None else d * m
    dims = x.as_list() if x.ndims is not None else [None] * multiples.ndims
    return TensorShape([times(d, m) for d, m in zip(dims, multiples.as_list())])


def tile(input: Any, multiples: Any, name: str | None = None) -> Tensor:  # noqa: A002 - TF's name
    """``input`` repeated ``multiples[i]`` times along dimension i."""
    g = graph_of([input, multiples])
    with g.as_default(), g.name_scope(name or "Tile") as scope:
        x = input if isinstance(input, Tensor) else convert_to_tensor(input, name="input")
        m = convert_type_attr_input(multiples, "multiples", (dtypes.int32, dtypes.int64), dtypes.int32)
        dt = x.dtype.base_dtype
        inputs = [x, m]

        def fail(message: str) -> ValueError:
            return shape_error(message, scope[:-1], "Tile", f"T={dt_enum(dt)}, Tmultiples={dt_enum(m.dtype)}",
                               inputs)

        if m.shape.ndims is not None and m.shape.ndims != 1:
            raise fail(f"Shape must be rank 1 but is rank {m.shape.ndims}")
        length = m.shape.as_list()[0] if m.shape.ndims == 1 else None
        if x.shape.ndims is not None and length is not None and length != x.shape.ndims:
            raise fail(f"Shape must be rank {x.shape.ndims} but is rank {length}")
        shape = tile_shape(x.shape, shape_from_tensor(m))
        return make_op("Tile", inputs, [(dt, shape)], scope,
                       {"T": dt, "Tmultiples": m.dtype.base_dtype}).outputs[0]
