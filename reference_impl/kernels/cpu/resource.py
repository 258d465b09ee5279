"""CPU kernels: resource variables. ``VarHandleOp`` outputs the session's `ResourceHandle` for
the variable; the other ops receive it as an ordinary input. Assignments store a new array, so
a value read earlier (a ``ReadVariableOp`` output) is a snapshot, as TF's copy-on-write is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ... import errors
from ..registry import KernelContext, Ref, register_kernel
from ..shape_text import debug_string


@dataclass(eq=False)
class ResourceHandle:
    """A resource variable's storage in one session; ``value`` is None until assigned."""

    name: str
    value: Any = None


@register_kernel("VarHandleOp")
def var_handle(ctx: KernelContext, inputs: list) -> list:
    key = ("resource", ctx.attrs.get("shared_name") or ctx.op_name)
    if key not in ctx.resources:
        ctx.resources[key] = ResourceHandle(key[1])
    return [ctx.resources[key]]


def _lookup_status(ctx: KernelContext, handle: ResourceHandle) -> str:
    """TF's resource manager's answer for a variable never assigned: its container
    ("localhost") only exists once some resource variable of the session has been, or some
    reference variable's op has run (``VariableV2`` creates its storage there)."""
    if any(isinstance(r, ResourceHandle) and r.value is not None or isinstance(r, Ref)
           for r in ctx.resources.values()):
        return f"Resource localhost/{handle.name}/N10tensorflow3VarE does not exist."
    return f"Container localhost does not exist. (Could not find resource: localhost/{handle.name})"


def missing(ctx: KernelContext, handle: ResourceHandle) -> errors.FailedPreconditionError:
    """Reading a variable never assigned (``ReadVariableOp``)."""
    return errors.FailedPreconditionError(
        None, None, f"Could not find variable {handle.name}. This could mean that the variable "
                    "has been deleted. In TF1, it can also mean the variable is uninitialized. "
                    "Debug info: container=localhost, status error message="
                    + _lookup_status(ctx, handle))


def not_found(ctx: KernelContext, handle: ResourceHandle) -> errors.NotFoundError:
    """Updating a variable never assigned (``AssignAddVariableOp``, a slice assignment)."""
    return errors.NotFoundError(None, None, _lookup_status(ctx, handle))


@register_kernel("VarIsInitializedOp")
def var_is_initialized(ctx: KernelContext, inputs: list) -> list:
    return [np.bool_(inputs[0].value is not None)]


@register_kernel("ReadVariableOp")
def read_variable(ctx: KernelContext, inputs: list) -> list:
    handle = inputs[0]
    if handle.value is None:
        raise missing(ctx, handle)
    return [handle.value]


@register_kernel("AssignVariableOp")
def assign_variable(ctx: KernelContext, inputs: list) -> list:
    handle, value = inputs
    value = np.array(value, dtype=ctx.attrs["dtype"].as_numpy_dtype)  # a private copy
    if (ctx.attrs.get("validate_shape") and handle.value is not None
            and np.shape(handle.value) != value.shape):
        raise errors.InvalidArgumentError(
            None, None, f"Trying to assign to variable with tensor with wrong shape. Expected "
                        f"{debug_string(np.shape(handle.value))} got {debug_string(value.shape)}")
    handle.value = value
    return []


def _update(ctx: KernelContext, inputs: list, fn: Any) -> list:
    handle, delta = inputs
    if handle.value is None:
        raise not_found(ctx, handle)
    if np.shape(handle.value) != np.shape(delta):
        raise errors.InvalidArgumentError(
            None, None, f"Cannot update variable with shape {debug_string(np.shape(handle.value))} "
                        f"using a Tensor with shape {debug_string(np.shape(delta))}, shapes must be "
                        "equal.")
    handle.value = np.asarray(fn(handle.value, delta), dtype=ctx.attrs["dtype"].as_numpy_dtype)
    return []


@register_kernel("AssignAddVariableOp")
def assign_add_variable(ctx: KernelContext, inputs: list) -> list:
    return _update(ctx, inputs, np.add)


@register_kernel("AssignSubVariableOp")
def assign_sub_variable(ctx: KernelContext, inputs: list) -> list:
    return _update(ctx, inputs, np.subtract)


@register_kernel("ResourceGather")
def resource_gather(ctx: KernelContext, inputs: list) -> list:
    """The rows ``indices`` of the variable (``sparse_read``): GatherV2 along axis 0 of its value."""
    from .gather import gather_v2

    handle, indices = inputs
    if handle.value is None:
        raise not_found(ctx, handle)
    return gather_v2(ctx, [handle.value, indices, np.int32(0)])
