"""What TF's training kernels check before an update (``training_ops.cc``): the gradient has
the variable's shape. numpy would broadcast a smaller one silently, where TF refuses it."""

from __future__ import annotations

import functools

import numpy as np

from .. import errors
from .registry import KernelContext, KernelFn
from .shape_text import debug_string

# Op type -> (index of the gradient input, the name TF's message gives it).
_GRADIENT = {
    "ApplyGradientDescent": (2, "delta"), "ApplyMomentum": (3, "grad"),
    "ApplyAdagrad": (3, "grad"), "ApplyAdagradDA": (3, "grad"), "ApplyAdam": (9, "grad"),
    "ApplyRMSProp": (7, "grad"), "ApplyCenteredRMSProp": (8, "grad"),
    "ApplyFtrl": (3, "grad"), "ApplyFtrlV2": (3, "grad"),
}


def checks_gradient_shape(kernel: KernelFn) -> KernelFn:
    """``kernel`` refusing a gradient whose shape is not its variable's, with TF's message.
    An uninitialised variable is left to the kernel, whose error TF raises first."""
    @functools.wraps(kernel)
    def checked(ctx: KernelContext, inputs: list) -> list:
        index, name = _GRADIENT[ctx.op_type.removeprefix("Resource")]
        value = inputs[0].value
        if value is not None and np.shape(value) != np.shape(inputs[index]):
            raise errors.InvalidArgumentError(
                None, None, f"var and {name} do not have the same shape"
                f"{debug_string(np.shape(value))} {debug_string(np.shape(inputs[index]))}")
        return kernel(ctx, inputs)
    return checked
