"""The ``ResourceApply*`` kernels: a resource variable's fused update is its device's
``Apply*`` kernel run on the variable's and its slots' buffers, each copied first. (TF updates a
buffer in place only when no other tensor holds it; copying always gives what a program can
see: a value read earlier keeps its snapshot.)"""

from __future__ import annotations

import functools
from typing import Any, Callable

from .. import errors
from .registry import KernelContext, KernelFn, lookup_kernel, register_kernel

# The Apply* op types and how many of their first inputs are variables (the variable, then
# its slots), as in TF's training ops.
VARIABLE_INPUTS = {
    "ApplyGradientDescent": 1, "ApplyMomentum": 2, "ApplyAdagrad": 2, "ApplyAdagradDA": 3,
    "ApplyAdam": 3, "ApplyRMSProp": 3, "ApplyCenteredRMSProp": 4, "ApplyFtrl": 3,
    "ApplyFtrlV2": 3,
}


def resource_form(kernel: KernelFn, count: int, copy: Callable[[Any], Any]) -> KernelFn:
    """``kernel`` (an ``Apply*`` kernel) on resource handles: ``copy`` each of the first
    ``count`` inputs' values, update those copies, output nothing."""
    @functools.wraps(kernel)
    def update(ctx: KernelContext, inputs: list) -> list:
        for handle in inputs[:count]:
            if handle.value is None:
                raise errors.InternalError(None, None, "Invalid variable reference.")
            handle.value = copy(handle.value)
        kernel(ctx, inputs)
        return []
    return update


def register_resource_forms(device_type: str, copy: Callable[[Any], Any],
                            ops: dict[str, int] | None = None) -> None:
    """Register ``Resource<op>`` on ``device_type`` for every ``Apply*`` kernel it has (or every
    op of ``ops``, op type -> how many of its first inputs are variables: the sparse ones)."""
    for op_type, count in (VARIABLE_INPUTS if ops is None else ops).items():
        kernel = lookup_kernel(op_type, device_type)
        if kernel is not None:
            register_kernel("Resource" + op_type, device_type)(resource_form(kernel, count, copy))
