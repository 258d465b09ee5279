"""CPU kernels: reference variables. ``VariableV2`` outputs the session's `Ref` for the variable;
``Assign``-style kernels receive that `Ref` as input 0 and output it again."""

from __future__ import annotations

import numpy as np

from ... import errors
from ..ftz import computes_ftz, flushing
from ..registry import KernelContext, Ref, register_kernel
from ..shape_text import debug_string
from .math import ufunc_into
from .training import compiled_update, in_parts


@register_kernel("VariableV2")
def variable(ctx: KernelContext, inputs: list) -> list:
    key = ("var", ctx.attrs.get("shared_name") or ctx.op_name)
    if key not in ctx.resources:
        shape = ctx.attrs.get("shape")
        declared = (tuple(shape.as_list()) if shape is not None and shape.is_fully_defined()
                    else None)
        ctx.resources[key] = Ref(ctx.op_name, shape=declared)
    return [ctx.resources[key]]


def uninitialized(ref: Ref) -> errors.FailedPreconditionError:
    return errors.FailedPreconditionError(
        None, None, f"Attempting to use uninitialized value {ref.name}")


@register_kernel("Assign")
def assign(ctx: KernelContext, inputs: list) -> list:
    ref, value = inputs
    value = np.array(value, dtype=ctx.attrs["T"].as_numpy_dtype)  # a private copy
    lhs_shape = np.shape(ref.value) if ref.value is not None else ref.shape
    if (ctx.attrs.get("validate_shape", True) and lhs_shape is not None
            and tuple(lhs_shape) != value.shape):
        raise errors.InvalidArgumentError(
            None, None, "Assign requires shapes of both tensors to match. lhs shape= "
                        f"{debug_string(lhs_shape)} rhs shape= {debug_string(value.shape)}")
    if (ref.value is not None and isinstance(ref.value, np.ndarray)
            and ref.value.shape == value.shape and ref.value.dtype == value.dtype):
        # In place, as TF does: earlier reads of the variable alias this buffer.
        np.copyto(ref.value, value)
    else:
        ref.value = value
    return [ref]


def _update(ctx: KernelContext, inputs: list, sign: int) -> list:
    """AssignAdd / AssignSub: through one compiled pass that also flushes denormals, where it
    applies (`training_jit.assign_update`); else in numpy, flushed as every other kernel is."""
    ref, value = inputs
    var = ref.value
    jit = compiled_update(var, [value]) if np.shape(value) == np.shape(var) else None
    if jit is None:
        return _update_flushed[sign](ctx, inputs)
    in_parts(jit.assign_update, [var, value], sign < 0)
    return [ref]


def _update_numpy(ctx: KernelContext, inputs: list, sign: int) -> list:
    ref, value = inputs
    if ref.value is None:
        raise uninitialized(ref)
    if np.shape(ref.value) != np.shape(value):
        raise errors.InvalidArgumentError(
            None, None, f"Must have the same number of elements in both tensors, "
                        f"but got: {np.shape(ref.value)} and {np.shape(value)}")
    if not isinstance(ref.value, np.ndarray):
        ref.value = np.array(ref.value)
    # In place, so that reads taken earlier in the run see the update (TF's aliasing).
    ufunc = np.add if sign > 0 else np.subtract
    if type(value) is np.ndarray and value.dtype == ref.value.dtype:
        ufunc_into(ufunc, ref.value, value, ref.value)  # cut among the CPUs when large
    else:
        ufunc(ref.value, value, out=ref.value, casting="unsafe")
    return [ref]


_update_flushed = {sign: flushing(lambda ctx, inputs, sign=sign: _update_numpy(ctx, inputs, sign))
                   for sign in (+1, -1)}


@register_kernel("AssignAdd")
@computes_ftz
def assign_add(ctx: KernelContext, inputs: list) -> list:
    return _update(ctx, inputs, +1)


@register_kernel("AssignSub")
@computes_ftz
def assign_sub(ctx: KernelContext, inputs: list) -> list:
    return _update(ctx, inputs, -1)


@register_kernel("IsVariableInitialized")
def is_variable_initialized(ctx: KernelContext, inputs: list) -> list:
    return [np.bool_(inputs[0].value is not None)]


@register_kernel("ReportUninitializedVariables")
def report_uninitialized(ctx: KernelContext, inputs: list) -> list:
    names = [ref.name.encode() for ref in inputs if ref.value is None]
    return [np.array(names, dtype=object)]
