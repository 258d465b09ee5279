"""CPU kernels: element-wise arithmetic and comparisons (numpy broadcasting), casts, MatMul,
AddN."""

from __future__ import annotations

import numpy as np

from ..registry import KernelContext, register_kernel

_BINARY = {
    "AddV2": np.add, "Add": np.add, "Sub": np.subtract, "Mul": np.multiply,
    "RealDiv": np.true_divide, "FloorDiv": np.floor_divide, "FloorMod": np.mod,
    "Pow": lambda x, y: _pow(x, y), "Maximum": np.maximum, "Minimum": np.minimum,
    "Equal": np.equal, "NotEqual": np.not_equal, "Less": np.less, "LessEqual": np.less_equal,
    "Greater": np.greater, "GreaterEqual": np.greater_equal,
    "LogicalAnd": np.logical_and, "LogicalOr": np.logical_or,
}


def _pow(x, y):  # type: ignore[no-untyped-def]
    """Eigen's float pow is accurate to the last bit: compute narrow floats in float64 and round."""
    x, y = np.asarray(x), np.asarray(y)
    if x.dtype in (np.float16, np.float32):
        return np.power(x.astype(np.float64), y.astype(np.float64)).astype(x.dtype)
    return np.power(x, y)


_UNARY = {
    "Neg": np.negative, "Square": np.square, "Sqrt": np.sqrt, "Exp": np.exp, "Log": np.log,
    "Abs": np.abs, "LogicalNot": np.logical_not,
}


def _binary_kernel(fn):  # type: ignore[no-untyped-def]
    def kernel(ctx: KernelContext, inputs: list) -> list:
        x, y = inputs
        with np.errstate(all="ignore"):
            out = fn(x, y)
        if ctx.attrs.get("T") is not None and out.dtype != np.bool_:
            out = np.asarray(out, dtype=ctx.attrs["T"].as_numpy_dtype)
        return [out]
    return kernel


def _unary_kernel(fn):  # type: ignore[no-untyped-def]
    def kernel(ctx: KernelContext, inputs: list) -> list:
        with np.errstate(all="ignore"):
            return [fn(inputs[0])]
    return kernel


for _op, _fn in _BINARY.items():
    register_kernel(_op)(_binary_kernel(_fn))
for _op, _fn in _UNARY.items():
    register_kernel(_op)(_unary_kernel(_fn))


@register_kernel("Cast")
def cast(ctx: KernelContext, inputs: list) -> list:
    dst = ctx.attrs["DstT"]
    x = np.asarray(inputs[0])
    if dst.is_bool:
        return [x != 0]
    with np.errstate(all="ignore"):
        return [x.astype(dst.as_numpy_dtype)]


@register_kernel("MatMul")
def matmul(ctx: KernelContext, inputs: list) -> list:
    a, b = inputs
    if ctx.attrs.get("transpose_a"):
        a = np.transpose(a)
    if ctx.attrs.get("transpose_b"):
        b = np.transpose(b)
    return [np.matmul(a, b)]


@register_kernel("AddN")
def add_n(ctx: KernelContext, inputs: list) -> list:
    total = inputs[0]
    for x in inputs[1:]:
        total = np.add(total, x)
    return [total]
