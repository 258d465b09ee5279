"""The x86 ``rsqrtps`` estimate, compiled with numba: the starting point of Eigen's fast-math
packet ``rsqrt`` (`eigen_rsqrt`).

The estimate (relative error below 1.5 * 2^-12) is the processor's own table lookup: Intel's and
AMD's differ in the last bits, and TensorFlow's kernels get whichever the machine has. No numpy
function computes it, so this module asks LLVM for the instruction itself
(``llvm.x86.sse.rsqrt.ss``, the scalar form of the same table). It is loaded through
`optional_jit.load`: without numba, or on another processor, there is no estimate to reproduce.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic


@intrinsic
def _rsqrtss(typingctx: Any, x: Any) -> Any:  # noqa: ARG001 - numba's intrinsic signature
    """One float32 through ``rsqrtss`` (lane 0 of a 4-lane vector)."""
    if x != types.float32:
        return None
    sig = types.float32(types.float32)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        v4 = ir.VectorType(ir.FloatType(), 4)
        lane0 = ir.Constant(ir.IntType(32), 0)
        vec = builder.insert_element(ir.Constant(v4, ir.Undefined), args[0], lane0)
        fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(v4, [v4]),
                                            "llvm.x86.sse.rsqrt.ss")
        return builder.extract_element(builder.call(fn, [vec]), lane0)
    return sig, codegen


@njit(cache=True, nogil=True)
def _estimates(x: Any, out: Any) -> None:
    for i in range(x.size):
        out[i] = _rsqrtss(x[i])


def estimate(x: np.ndarray) -> np.ndarray:
    """``rsqrtps`` of every element of the float32 array ``x`` (same shape)."""
    flat = np.ascontiguousarray(x, dtype=np.float32).reshape(-1)
    out = np.empty_like(flat)
    _estimates(flat, out)
    return out.reshape(np.shape(x))
