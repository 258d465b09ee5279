"""``tf.raw_ops``: ops by their op name, called with keyword arguments only (TF generates one
function per op; the positional form is refused with TF's TypeError)."""

from __future__ import annotations

from typing import Any, Callable

from . import math_ops, pad_ops
from .graph import Tensor


def _raw(op_name: str, python_name: str, params: tuple[str, ...],
         build: Callable[..., Tensor]) -> Callable[..., Tensor]:
    keys = list(params) + ["name"]

    def op(*args: Any, **kwargs: Any) -> Tensor:
        if args:
            raise TypeError(f"{python_name} only takes keyword args (possible keys: {keys}). "
                            "Please pass these args as kwargs instead.")
        unknown = [k for k in kwargs if k not in keys]
        if unknown:
            raise TypeError(f"{python_name}() got an unexpected keyword argument '{unknown[0]}'")
        missing = [p for p in params if p not in kwargs]
        if missing:
            raise TypeError(f"{python_name}() missing {len(missing)} required positional "
                            f"argument{'s' if len(missing) > 1 else ''}: "
                            + " and ".join(repr(m) for m in missing))
        return build(*(kwargs[p] for p in params), name=kwargs.get("name"))

    op.__name__ = python_name
    op.__qualname__ = python_name
    return op


Div = _raw("Div", "div", ("x", "y"), math_ops.raw_div)
RealDiv = _raw("RealDiv", "real_div", ("x", "y"), math_ops.realdiv)
Xdivy = _raw("Xdivy", "xdivy", ("x", "y"), math_ops.raw_xdivy)
MirrorPadGrad = _raw("MirrorPadGrad", "mirror_pad_grad", ("input", "paddings", "mode"),
                     pad_ops.mirror_pad_grad)

__all__ = ["Div", "MirrorPadGrad", "RealDiv", "Xdivy"]


def _clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any, name: str | None = None) -> Tensor:
    from .clip_ops import clip_by_value_op  # (on first use: clip_ops pulls in the array and nn ops)
    return clip_by_value_op(t, clip_value_min, clip_value_max, name=name)


ClipByValue = _raw("ClipByValue", "_clip_by_value", ("t", "clip_value_min", "clip_value_max"),
                   _clip_by_value)
Rsqrt = _raw("Rsqrt", "rsqrt", ("x",), math_ops.rsqrt)
__all__ += ["ClipByValue", "Rsqrt"]


def _data_flow(function: str) -> Callable[..., Any]:
    def build(*args: Any, name: str | None = None) -> Any:
        from . import data_flow_ops  # (on first use, like _clip_by_value)
        return getattr(data_flow_ops, function)(*args, name=name)
    return build


DynamicPartition = _raw("DynamicPartition", "dynamic_partition",
                        ("data", "partitions", "num_partitions"), _data_flow("dynamic_partition"))
DynamicStitch = _raw("DynamicStitch", "dynamic_stitch", ("indices", "data"),
                     _data_flow("dynamic_stitch"))
ParallelDynamicStitch = _raw("ParallelDynamicStitch", "parallel_dynamic_stitch", ("indices", "data"),
                             _data_flow("parallel_dynamic_stitch"))
__all__ += ["DynamicPartition", "DynamicStitch", "ParallelDynamicStitch"]
