"""GPU kernel: MatMul, one thread per output element over a row of ``a`` and a column of ``b``.

The dot product accumulates left to right, one rounding per multiply and per add, in the
operands' dtype. numpy's CPU kernel calls BLAS, whose blocking and FMA use are the BLAS
library's own: the two agree bit for bit whenever the products and partial sums are exact (small
integers, powers of two: every matmul the spec asserts) and otherwise within a few ULPs.
"""

from __future__ import annotations

import numpy as np
from numba import cuda

from ..registry import GPU, KernelContext, register_kernel
from . import runtime


@cuda.jit
def matmul_kernel(a, b, out, n, k, a_rs, a_cs, b_rs, b_cs):  # type: ignore[no-untyped-def]
    # a[r, j] sits at r * a_rs + j * a_cs: transposes are strides, not copies.
    i = cuda.grid(1)
    stride = cuda.gridsize(1)
    while i < out.size:
        r = i // n
        c = i - r * n
        if k == 0:
            out[i] = 0
        else:
            # Starting from the first product (not from 0) keeps a sum of -0.0s negative.
            acc = a[r * a_rs] * b[c * b_cs]
            for j in range(1, k):
                acc = acc + a[r * a_rs + j * a_cs] * b[j * b_rs + c * b_cs]
            out[i] = acc
        i += stride


@register_kernel("MatMul", GPU)
def matmul(ctx: KernelContext, inputs: list) -> list:
    a, b = (runtime.to_device(v) for v in inputs)
    # Logical element [r, j] of a stored (rows, cols) array: r * cols + j, or j * cols + r
    # when transposed.
    if ctx.attrs.get("transpose_a"):
        ka, m = a.shape
        a_rs, a_cs = 1, m
    else:
        m, ka = a.shape
        a_rs, a_cs = ka, 1
    if ctx.attrs.get("transpose_b"):
        n, kb = b.shape
        b_rs, b_cs = 1, kb
    else:
        kb, n = b.shape
        b_rs, b_cs = n, 1
    if ka != kb:
        raise ValueError(f"matmul: Input operand 1 has a mismatch in its core dimension 0 "
                         f"(size {kb} is different from {ka})")
    out = runtime.empty((m, n), np.result_type(a.dtype, b.dtype))
    runtime.launch(matmul_kernel, out.size, runtime.flat(a), runtime.flat(b), runtime.flat(out),
                   n, ka, a_rs, a_cs, b_rs, b_cs)
    return [out]
