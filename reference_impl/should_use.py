"""TF's "should use" results: a few TF1 functions (``initialize_all_variables``,
``report_uninitialized_variables``, ``is_variable_initialized`` …) return their op or tensor
wrapped in a ``ShouldUseWrapper`` (TF logs an error if the result is never used).

The wrapper is observable: it is a different object from the op the graph holds (``is`` and
``==`` say so), its ``repr`` is the plain object repr of TF's wrapper class, and every attribute
is read from the wrapped value (so ``isinstance(w, Operation)`` holds and ``w.name`` works).
Graph code unwraps it (`unwrap`) wherever it stores a graph element.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

_OWN = frozenset(("_tf_should_use_wrapped_value", "mark_used", "__setattr__"))


class ShouldUseWrapper:
    """Wraps a graph element returned by a should-use function."""

    __slots__ = ("_tf_should_use_wrapped_value",)

    def __init__(self, value: Any) -> None:
        object.__setattr__(self, "_tf_should_use_wrapped_value", value)

    def __getattribute__(self, name: str) -> Any:
        if name in _OWN:
            return object.__getattribute__(self, name)
        return getattr(object.__getattribute__(self, "_tf_should_use_wrapped_value"), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._tf_should_use_wrapped_value, name, value)

    def mark_used(self, *args: Any, **kwargs: Any) -> None:
        """Accepted (TF stops tracking the result)."""

    def __repr__(self) -> str:
        return f"<tensorflow.python.util.tf_should_use.ShouldUseWrapper object at {id(self):#x}>"


def _delegating(method: str) -> Callable[..., Any]:
    def fn(self: ShouldUseWrapper, *args: Any) -> Any:
        return getattr(self._tf_should_use_wrapped_value, method)(*args)
    fn.__name__ = method
    return fn


for _m in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "and", "or", "xor",
           "matmul"):
    setattr(ShouldUseWrapper, f"__{_m}__", _delegating(f"__{_m}__"))
    setattr(ShouldUseWrapper, f"__r{_m}__", _delegating(f"__r{_m}__"))
for _m in ("lt", "le", "gt", "ge", "neg", "abs", "invert", "getitem"):
    setattr(ShouldUseWrapper, f"__{_m}__", _delegating(f"__{_m}__"))


def should_use_result(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Decorator: wrap ``fn``'s result in a `ShouldUseWrapper` (None stays None)."""

    @functools.wraps(fn)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        result = fn(*args, **kwargs)
        return None if result is None else ShouldUseWrapper(result)
    return wrapped


def unwrap(value: Any) -> Any:
    """The graph element inside a `ShouldUseWrapper`; anything else unchanged."""
    return value._tf_should_use_wrapped_value if type(value) is ShouldUseWrapper else value
