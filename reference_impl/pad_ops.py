"""``tf.pad``: CONSTANT (``Pad`` / ``PadV2``), REFLECT and SYMMETRIC (``MirrorPad``); and
``MirrorPadGrad``, the gradient of the last.

Static shapes follow TF's shape function: with constant paddings each known dimension grows by
its paddings (negative paddings fail while building); with paddings known only at run time every
dimension is unknown, the rank kept. Paddings too wide for REFLECT / SYMMETRIC pass shape
inference and fail in ``Session.run``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import dtypes
from .constant_folding import evaluate
from .graph import Tensor
from .op_def import convert_to_tensor, convert_type_attr_input, graph_of, make_op
from .op_errors import shape_error
from .shape_inference import dt_enum
from .tensor_shape import TensorShape

__all__ = ["pad"]


def pad(tensor: Any, paddings: Any, mode: str = "CONSTANT", name: str | None = None,
        constant_values: Any = 0) -> Tensor:
    """``tensor`` padded by ``paddings`` ([rank, 2]: before and after each dimension)."""
    mode = mode.upper()
    if mode not in ("CONSTANT", "REFLECT", "SYMMETRIC"):
        raise ValueError('Value of argument `mode` expected to be one of "CONSTANT", "REFLECT", '
                         f'or "SYMMETRIC". Received `mode` = {mode}')
    if mode == "CONSTANT":
        value_known = not isinstance(constant_values, Tensor) and np.all(np.asarray(constant_values) == 0)
        op_type = "Pad" if value_known else "PadV2"
    else:
        op_type = "MirrorPad"
    g = graph_of([tensor, paddings])
    with g.as_default(), g.name_scope(name or op_type) as scope:
        x = convert_to_tensor(tensor, name="input")
        p = convert_type_attr_input(paddings, "paddings", (dtypes.int32, dtypes.int64),
                                    dtypes.int32)
        inputs = [x, p]
        dt = x.dtype.base_dtype
        attrs = f"T={dt_enum(dt)}, Tpaddings={dt_enum(p.dtype)}"
        if op_type == "PadV2":
            try:
                inputs.append(convert_to_tensor(constant_values, dtype=dt,
                                                name="constant_values"))
            except TypeError as err:  # op_def_library's wording for an input of a known type
                raise TypeError(f"Expected {dt.name} passed to parameter 'constant_values' of op "
                                f"'PadV2', got {constant_values!r} of type "
                                f"'{type(constant_values).__name__}' instead. Error: {err}"
                                ) from None
        if op_type == "MirrorPad":
            attrs += f', mode="{mode}"'
        out = _pad_shape(x, p, scope[:-1], op_type, attrs, inputs)
        op_attrs = {"T": dt, "Tpaddings": p.dtype.base_dtype}
        if op_type == "MirrorPad":
            op_attrs["mode"] = mode
        return make_op(op_type, inputs, [(dt, out)], scope, op_attrs).outputs[0]


def _pad_shape(x: Tensor, p: Tensor, name: str, op_type: str, attrs: str,
               inputs: list[Tensor]) -> TensorShape:
    def fail(message: str, computed: dict | None = None) -> ValueError:
        return shape_error(message, name, op_type, attrs, inputs, computed)

    ps = p.shape
    if ps.ndims is not None and ps.ndims != 2:
        raise fail(f"Shape must be rank 2 but is rank {ps.ndims}")
    if ps.ndims == 2 and ps.as_list()[1] is not None and ps.as_list()[1] != 2:
        raise fail(f"Dimension must be 2 but is {ps.as_list()[1]}")
    n = ps.as_list()[0] if ps.ndims == 2 else None
    rank = x.shape.ndims
    if n is not None and rank is not None and n != rank:
        raise fail(f"Shape must be rank {n} but is rank {rank}")
    rank = rank if rank is not None else n
    value = evaluate(p)
    if value is None:
        return TensorShape(None if rank is None else [None] * rank)
    value = np.asarray(value).reshape(-1, 2)
    if (value < 0).any():
        raise fail("Paddings must be non-negative", {1: value})
    dims = x.shape.as_list() if x.shape.ndims is not None else [None] * len(value)
    return TensorShape([None if d is None else int(d + a + b) for d, (a, b) in zip(dims, value)])


def mirror_pad_grad(grad: Any, paddings: Any, mode: str, name: str | None = None) -> Tensor:
    """``MirrorPadGrad``: ``grad`` (of a MirrorPad's output) folded back onto its input: each
    padded border added, reversed, onto the part it mirrored."""
    mode = mode.decode() if isinstance(mode, bytes) else mode  # (an attr read back is bytes)
    g = graph_of([grad, paddings])
    with g.as_default(), g.name_scope(name or "MirrorPadGrad") as scope:
        x = convert_to_tensor(grad, name="input")
        p = convert_type_attr_input(paddings, "paddings", (dtypes.int32, dtypes.int64), dtypes.int32)
        dt = x.dtype.base_dtype
        attrs = f'T={dt_enum(dt)}, Tpaddings={dt_enum(p.dtype)}, mode="{mode}"'
        out = _pad_grad_shape(x, p, scope[:-1], attrs)
        return make_op("MirrorPadGrad", [x, p], [(dt, out)], scope,
                       {"T": dt, "Tpaddings": p.dtype.base_dtype, "mode": mode}).outputs[0]


def _pad_grad_shape(x: Tensor, p: Tensor, name: str, attrs: str) -> TensorShape:
    """MirrorPadGrad's shape function: the rank from the paddings' rows, each dimension less
    its paddings when they are known."""
    def fail(message: str, computed: dict | None = None) -> ValueError:
        return shape_error(message, name, "MirrorPadGrad", attrs, [x, p], computed)

    ps = p.shape
    if ps.ndims is not None and ps.ndims != 2:
        raise fail(f"Shape must be rank 2 but is rank {ps.ndims}")
    rank = ps.as_list()[0] if ps.ndims == 2 else None
    if rank is None:
        return TensorShape(None)
    if x.shape.ndims is not None and x.shape.ndims != rank:
        raise fail(f"Shape must be rank {rank} but is rank {x.shape.ndims}")
    if ps.as_list()[1] not in (None, 2):
        raise fail(f"Dimension 1 in both shapes must be equal, but are {ps.as_list()[1]} and 2. "
                   f"Shapes are [{rank},{ps.as_list()[1]}] and [{rank},2].")
    value = evaluate(p)
    if value is None:
        return TensorShape([None] * rank)
    value = np.asarray(value).reshape(-1, 2)
    if (value < 0).any():
        raise fail("Paddings must be non-negative", {1: value})
    dims = x.shape.as_list() if x.shape.ndims is not None else [None] * rank
    out = []
    for d, (a, b) in zip(dims, value):
        if d is not None and d - (a + b) < 0:
            raise fail(f"Negative dimension size caused by subtracting {a + b} from {d}", {1: value})
        out.append(None if d is None else int(d - a - b))
    return TensorShape(out)
