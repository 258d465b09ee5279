"""Shapes as TF's kernels write them in error messages (``TensorShape::DebugString``)."""

from __future__ import annotations

from typing import Iterable


def debug_string(shape: Iterable[int]) -> str:
    """``[3,2]`` for a (3, 2) array, ``[]`` for a scalar: no spaces, unlike a Python list."""
    return "[" + ",".join(str(int(d)) for d in shape) + "]"
