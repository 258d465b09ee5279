"""GPU kernels: resource variables (VarHandleOp, VarIsInitializedOp, ReadVariableOp,
AssignVariableOp, AssignAddVariableOp, AssignSubVariableOp).

The handle is the same per-session `ResourceHandle` as on the CPU (host memory, as TF keeps a
resource handle: ``HostMemory("resource")``); on the GPU its value is a device array. As on the
CPU every assignment stores a new buffer (TF's copy-on-write), so a ``ReadVariableOp`` output
taken earlier in a run is a snapshot and is never written again. A value some CPU kernel left
on the host moves to the device when a GPU kernel reads or updates it.
"""

from __future__ import annotations

import numpy as np

from ... import errors
from ..cpu import resource as cpu_resource
from ..registry import GPU, KernelContext, register_kernel
from ..shape_text import debug_string
from . import runtime
from .array import copy
from .cast import cast_kernel_for
from .elementwise import ADD, SUB, broadcast_binary


@register_kernel("VarHandleOp", GPU)
def var_handle(ctx: KernelContext, inputs: list) -> list:
    # Metadata only: the handle lives in host memory, its value wherever the last kernel put it.
    return cpu_resource.var_handle(ctx, inputs)


@register_kernel("VarIsInitializedOp", GPU)
def var_is_initialized(ctx: KernelContext, inputs: list) -> list:
    # A host bool (TF's GPU kernel writes its output in host memory too).
    return [np.bool_(inputs[0].value is not None)]


@register_kernel("ReadVariableOp", GPU)
def read_variable(ctx: KernelContext, inputs: list) -> list:
    handle = inputs[0]
    if handle.value is None:
        raise cpu_resource.missing(ctx, handle)
    if not runtime.is_device(handle.value) and runtime.on_device(np.asarray(handle.value)):
        handle.value = runtime.to_device(handle.value)  # once; later reads share the buffer
    return [handle.value]


def _as_dtype(value: object, dtype: np.dtype) -> object:
    """A new device array holding ``value`` converted to ``dtype`` (never ``value``'s buffer)."""
    value = runtime.to_device(value)
    if not runtime.is_device(value):  # a dtype with no device form: the CPU kernel's copy
        return np.array(value, dtype=dtype)
    if value.dtype == dtype:
        return copy(value)
    out = runtime.empty(value.shape, dtype)
    runtime.launch(cast_kernel_for(dtype), out.size, runtime.flat(value), runtime.flat(out))
    return out


@register_kernel("AssignVariableOp", GPU)
def assign_variable(ctx: KernelContext, inputs: list) -> list:
    handle, value = inputs
    dtype = np.dtype(ctx.attrs["dtype"].as_numpy_dtype)
    if (ctx.attrs.get("validate_shape") and handle.value is not None
            and tuple(np.shape(handle.value)) != tuple(np.shape(value))):
        raise errors.InvalidArgumentError(
            None, None, f"Trying to assign to variable with tensor with wrong shape. Expected "
                        f"{debug_string(np.shape(handle.value))} got {debug_string(np.shape(value))}")
    handle.value = _as_dtype(value, dtype)
    return []


def _update(ctx: KernelContext, inputs: list, kernel: object) -> list:
    handle, delta = inputs
    if handle.value is None:
        raise cpu_resource.not_found(ctx, handle)
    if tuple(np.shape(handle.value)) != tuple(np.shape(delta)):
        raise errors.InvalidArgumentError(
            None, None, f"Cannot update variable with shape {debug_string(np.shape(handle.value))} "
                        f"using a Tensor with shape {debug_string(np.shape(delta))}, shapes must be "
                        "equal.")
    old, delta = runtime.to_device(handle.value), runtime.to_device(delta)
    dtype = np.dtype(ctx.attrs["dtype"].as_numpy_dtype)
    # The CPU's np.add in the operands' result type, then converted to the variable's dtype;
    # a new buffer, so earlier reads keep their snapshot.
    total = broadcast_binary(kernel, old, delta, np.result_type(old.dtype, delta.dtype))
    handle.value = total if total.dtype == dtype else _as_dtype(total, dtype)
    return []


@register_kernel("AssignAddVariableOp", GPU)
def assign_add_variable(ctx: KernelContext, inputs: list) -> list:
    return _update(ctx, inputs, ADD)


@register_kernel("AssignSubVariableOp", GPU)
def assign_sub_variable(ctx: KernelContext, inputs: list) -> list:
    return _update(ctx, inputs, SUB)


@register_kernel("ResourceGather", GPU)
def resource_gather(ctx: KernelContext, inputs: list) -> list:
    # TF's GPU kernel, like GatherV2's, writes zeros for an index out of range
    from .gather import gather_v2

    handle, indices = inputs
    if handle.value is None:
        raise cpu_resource.not_found(ctx, handle)
    return gather_v2(ctx, [handle.value, indices, np.int32(0)])
