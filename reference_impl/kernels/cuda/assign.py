"""GPU kernels: reference variables (VariableV2, Assign, AssignAdd, AssignSub).

A variable's `Ref` is the same per-session resource as on the CPU; on the GPU its value is a
device array, updated in place by kernels so that reads taken earlier in a run alias the buffer
(TF's ref semantics, which the CPU kernels reproduce with numpy's in-place operations). A value
that some CPU op left on the host moves to the device at the first GPU update.
"""

from __future__ import annotations

import numpy as np
from numba import cuda

from ... import errors
from ..cpu import state as cpu_state
from ..registry import GPU, KernelContext, register_kernel
from ..shape_text import debug_string
from . import runtime
from .array import copy, copy_kernel

# The variable's storage handle and its initialised flag move no tensor data.
register_kernel("VariableV2", GPU)(cpu_state.variable)
register_kernel("IsVariableInitialized", GPU)(cpu_state.is_variable_initialized)


@cuda.jit
def add_into_kernel(ref, value, out_sign):  # type: ignore[no-untyped-def]
    i = cuda.grid(1)
    stride = cuda.gridsize(1)
    while i < ref.size:
        if out_sign > 0:
            ref[i] = ref[i] + value[i]
        else:
            ref[i] = ref[i] - value[i]
        i += stride


@register_kernel("Assign", GPU)
def assign(ctx: KernelContext, inputs: list) -> list:
    ref, value = inputs
    dtype = np.dtype(ctx.attrs["T"].as_numpy_dtype)
    value = runtime.to_device(value)
    if value.dtype != dtype:  # the CPU kernel's np.array(value, dtype=T)
        from .cast import cast_kernel_for

        converted = runtime.empty(value.shape, dtype)
        runtime.launch(cast_kernel_for(dtype), converted.size, runtime.flat(value), runtime.flat(converted))
        value = converted
    old = ref.value
    # Before initialisation the declared shape is the lhs (TF allocates it), as on the CPU.
    lhs_shape = np.shape(old) if old is not None else getattr(ref, "shape", None)
    if (ctx.attrs.get("validate_shape", True) and lhs_shape is not None
            and tuple(lhs_shape) != tuple(value.shape)):
        raise errors.InvalidArgumentError(
            None, None, "Assign requires shapes of both tensors to match. lhs shape= "
                        f"{debug_string(lhs_shape)} rhs shape= {debug_string(value.shape)}")
    if (runtime.is_device(old) and tuple(old.shape) == tuple(value.shape)
            and old.dtype == value.dtype):
        # In place: earlier reads of the variable alias this buffer.
        runtime.launch(copy_kernel, old.size, runtime.flat(value), runtime.flat(old))
    else:
        ref.value = copy(value)  # a private copy, never the assigned tensor's buffer
    return [ref]


def _update(ctx: KernelContext, inputs: list, sign: int) -> list:
    ref, value = inputs
    if ref.value is None:
        raise cpu_state.uninitialized(ref)
    if tuple(np.shape(ref.value)) != tuple(np.shape(value)):
        raise errors.InvalidArgumentError(
            None, None, f"Must have the same number of elements in both tensors, "
                        f"but got: {tuple(np.shape(ref.value))} and {tuple(np.shape(value))}")
    if not runtime.is_device(ref.value):
        ref.value = runtime.to_device(np.array(ref.value))
    value = runtime.to_device(value)
    runtime.launch(add_into_kernel, ref.value.size, runtime.flat(ref.value), runtime.flat(value),
                   sign)
    return [ref]


@register_kernel("AssignAdd", GPU)
def assign_add(ctx: KernelContext, inputs: list) -> list:
    return _update(ctx, inputs, +1)


@register_kernel("AssignSub", GPU)
def assign_sub(ctx: KernelContext, inputs: list) -> list:
    return _update(ctx, inputs, -1)
