"""TF's build-time shape-function error text for ops whose shape function reads constant inputs.

TensorFlow appends ``with input shapes: …`` and, when the shape function asked for the value of
an input, `` and with computed input tensors: input[i] = <…>`` to every shape error.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .shape_inference import node_text, shape_text


def tensor_summary(value: np.ndarray) -> str:
    """A constant as TF prints it in shape errors: ``<1>``, ``<0 -3>``, ``<[-1 1][1 1]>``."""
    def text(a: np.ndarray) -> str:
        if a.ndim == 0:
            return str(a.item()).lower() if a.dtype == bool else str(a.item())
        if a.ndim == 1:
            return " ".join(text(v) for v in a)
        return "".join("[" + text(v) + "]" for v in a)
    return "<" + text(np.asarray(value)) + ">"


def shape_error(message: str, name: str, op_type: str, attrs: str, inputs: Sequence[Any],
                computed: dict[int, np.ndarray] | None = None,
                partial: dict[int, Any] | None = None) -> ValueError:
    """``ValueError`` with TF's full text for a shape-function failure of one node: the input
    tensors the function read (``computed``) and those it read as shapes (``partial``)."""
    shapes = ", ".join(shape_text(t.shape) for t in inputs)
    text = f"{message} for {node_text(name, op_type, attrs, inputs)} with input shapes: {shapes}"
    if computed:
        text += " and with computed input tensors: " + ", ".join(
            f"input[{i}] = {tensor_summary(v)}" for i, v in sorted(computed.items()))
    if partial:
        text += " and with input tensors computed as partial shapes: " + ", ".join(
            f"input[{i}] = {shape_text(v)}" for i, v in sorted(partial.items()))
    return ValueError(text + ".")
