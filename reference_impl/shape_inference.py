"""Static shape rules shared by op families, and TF's text for shape errors at build time."""

from __future__ import annotations

from typing import Any, Sequence

from .dtypes import DType
from .tensor_shape import TensorShape


def shape_text(shape: TensorShape) -> str:
    """A shape as TF's shape-inference errors print it: ``[?,3]``, ``?`` for unknown rank."""
    if shape.ndims is None:
        return "?"
    return "[" + ",".join("?" if d is None else str(d) for d in shape.as_list()) + "]"


def dt_enum(dtype: DType) -> str:
    """``DT_FLOAT`` etc., as NodeDef attrs print a type."""
    return "DT_" + dtype.base_dtype._proto_name.upper()


def node_text(name: str, op_type: str, attrs: str, inputs: Sequence[Any]) -> str:
    """``{{node add}} = AddV2[T=DT_FLOAT](x, y)`` as TF quotes a node in errors."""
    names = [t.op.name if t.value_index == 0 else t.name for t in inputs]
    return f"'{{{{node {name}}}}} = {op_type}[{attrs}]({', '.join(names)})'"


def broadcast(x: TensorShape, y: TensorShape, name: str, op_type: str, inputs: Sequence[Any],
              dtype: DType, attrs: str | None = None) -> TensorShape:
    """numpy-style broadcasting of two static shapes, raising TF's ValueError on a mismatch.

    ``attrs`` is the node's attribute text in that error when it has more than ``T``.
    """
    if x.ndims is None or y.ndims is None:
        return TensorShape(None)
    a, b = x.as_list(), y.as_list()
    n = max(len(a), len(b))
    a = [1] * (n - len(a)) + a
    b = [1] * (n - len(b)) + b
    out: list[int | None] = []
    for da, db in zip(a, b):
        if da == 1:
            out.append(db)
        elif db == 1:
            out.append(da)
        elif da is None or db is None:
            # TF's BroadcastBinaryOpOutputShapeFnHelper: an unknown dimension against one > 1
            # is that one; against a 0 it stays unknown (the unknown one may be 1 or 0).
            known = da if db is None else db
            out.append(known if known is not None and known > 1 else None)
        elif da == db:
            out.append(da)
        else:
            node = node_text(name, op_type, attrs or "T=" + dt_enum(dtype), inputs)
            raise ValueError(
                f"Dimensions must be equal, but are {da} and {db} for {node} with input "
                f"shapes: {shape_text(x)}, {shape_text(y)}.")
    return TensorShape(out)
