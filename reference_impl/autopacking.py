"""TF's conversion of a (nested) list or tuple holding tensors: ``Pack`` ops, one per list.

TF registers this conversion before the one that makes a ``Const``, for any list or tuple with
a tensor (or a variable) somewhere inside: each list becomes a ``Pack`` named ``packed`` (or the
name asked for), its other values constants named by their position under it (``packed/1``),
nested lists packed under their position, and a nested list without tensors converted as one
constant. Every list opens its name scope whether or not it packs, so a constant list's place
is taken: ``[[t, 1.0], [2.0, 3.0]]`` gives ``packed/0`` and ``packed/1_1``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import dtypes
from .graph import Tensor, get_default_graph

# Values whose type alone says they hold no tensor (TF's `_NON_AUTOPACKABLE_TYPES`).
_PLAIN = frozenset({int, float, complex, bool, bytes, str, np.ndarray, *np.sctypeDict.values()})


def _is_tensor(v: Any) -> bool:
    """A tensor, or a variable (TF packs a variable's value)."""
    return isinstance(v, Tensor) or (hasattr(v, "_as_graph_element") and hasattr(v, "dtype"))


def nested_dtype(values: list | tuple) -> dtypes.DType | None:
    """The type of the first tensor or variable in ``values`` (depth first); None if none is
    there, when the list is a constant's value."""
    for v in values:
        if type(v) in _PLAIN:
            continue
        if isinstance(v, (list, tuple)):
            found = nested_dtype(v)
            if found is not None:
                return found
        elif _is_tensor(v):
            return v.dtype.base_dtype
    return None


def autopack(values: list | tuple, dtype: dtypes.DType | None, found: dtypes.DType,
             name: str) -> Tensor:
    """``values`` (holding a tensor of type ``found``) as TF packs them; with a ``dtype`` other
    than ``found`` every tensor inside is first cast to it (a ``Cast`` each, outside the scope)."""
    if dtype is not None and dtype != found:
        values = _cast_tensors(values, dtype)
    return _pack_list(values, dtype or found, name)


def _cast_tensors(values: list | tuple, dtype: dtypes.DType) -> list:
    from .math_ops import cast

    out: list = []
    for v in values:
        if isinstance(v, (list, tuple)):
            out.append(_cast_tensors(v, dtype))
        elif _is_tensor(v) and v.dtype.base_dtype != dtype:
            out.append(cast(v, dtype))
        else:
            out.append(v)
    return out


def _pack_list(values: list | tuple, dtype: dtypes.DType, name: str) -> Any:
    """A Pack of ``values``, or (when no tensor is inside) the values themselves."""
    from .array_ops import _pack
    from .op_def import constant

    converted: list = []
    must_pack = False
    g = get_default_graph()
    with g.name_scope(name) as scope:
        for i, v in enumerate(values):
            if _is_tensor(v):
                if v.dtype.base_dtype != dtype:
                    raise TypeError(f"Cannot convert a list containing a tensor of dtype "
                                    f"{v.dtype} to {dtype} (Tensor is: {v!r})")
                must_pack = True
            elif isinstance(v, (list, tuple)):
                v = _pack_list(v, dtype, str(i))
                must_pack = must_pack or isinstance(v, Tensor)
            converted.append(v)
        if not must_pack:
            return converted
        xs = [v if _is_tensor(v) else constant(v, dtype, name=str(i)) for i, v in enumerate(converted)]
        return _pack(xs, 0, scope)
