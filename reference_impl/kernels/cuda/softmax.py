"""GPU kernels: Softmax and LogSoftmax (kernels/cpu/softmax.py), composed of the device's Max,
Sub, Exp, Sum, RealDiv, Mul and Log kernels and one exp kernel for the log-softmax's rows, whose
exp is fused into the row sums in TF (packets from each row's start, the row's last
``classes % 8`` elements one by one)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import cuda

from ..cpu import eigen_math as cpu
from ..registry import GPU, KernelContext, lookup_kernel, register_kernel
from . import eigen_math, runtime


@cuda.jit
def _exp_rows32(x, out, classes, packed_columns):  # type: ignore[no-untyped-def]
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        v = eigen_math._fl(x[i], eigen_math.TINY32)
        out[i] = eigen_math.exp32(v) if i % classes < packed_columns else math.exp(v)


@cuda.jit
def _exp_rows64(x, out, classes, packed_columns):  # type: ignore[no-untyped-def]
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        v = eigen_math._fl(x[i], eigen_math.TINY64)
        out[i] = eigen_math.exp64(v) if i % classes < packed_columns else math.exp(v)


def _run(op: str, ctx: KernelContext, inputs: list, **attrs: Any) -> Any:
    sub_ctx = KernelContext(ctx.op_name, op, {"T": ctx.attrs.get("T"), **attrs}, GPU, ctx.resources)
    return lookup_kernel(op, GPU)(sub_ctx, inputs)[0]


def _softmax(ctx: KernelContext, logits: Any, log: bool) -> Any:
    x = runtime.to_device(logits)
    shape, dtype = tuple(x.shape), np.dtype(x.dtype)
    if not x.size or dtype not in cpu.PACKET:  # (float16: as the CPU computes it)
        from ..cpu.softmax import softmax

        return runtime.to_device(softmax(runtime.to_host(x), log))
    classes = shape[-1]
    rows = x.reshape(-1, classes)
    along_classes = np.array([1], np.int32)
    shifted = _run("Sub", ctx, [rows, _run("Max", ctx, [rows, along_classes], keep_dims=True)])
    if log:
        e = runtime.empty(tuple(shifted.shape), dtype)
        kernel = _exp_rows32 if dtype == np.float32 else _exp_rows64
        runtime.launch(kernel, e.size, runtime.flat(shifted), runtime.flat(e), classes,
                       classes - classes % cpu.PACKET[dtype])
        sums = _run("Sum", ctx, [e, along_classes], keep_dims=False)
        out = _run("Sub", ctx, [shifted, _run("Log", ctx, [sums]).reshape(-1, 1)])
    else:
        e = _run("Exp", ctx, [shifted])
        sums = _run("Sum", ctx, [e, along_classes], keep_dims=False)
        inverse = _run("RealDiv", ctx, [runtime.to_device(np.ones(1, dtype)), sums])
        out = _run("Mul", ctx, [e, inverse.reshape(-1, 1)])
    return out.reshape(shape)


@register_kernel("Softmax", GPU)
def softmax(ctx: KernelContext, inputs: list) -> list:
    return [_softmax(ctx, inputs[0], log=False)]


@register_kernel("LogSoftmax", GPU)
def log_softmax(ctx: KernelContext, inputs: list) -> list:
    return [_softmax(ctx, inputs[0], log=True)]
