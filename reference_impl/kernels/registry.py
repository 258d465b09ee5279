"""The kernel registry: op type × device type → kernel function.

Graph code never calls a kernel directly. A `Session` looks each operation's kernel up here by
the op's type (``"Pad"``, ``"ApplyAdam"`` …) and the device type it is placed on (``"CPU"`` or
``"GPU"``), so a backend plugs in by registering kernels and nothing else changes.

A kernel is ``fn(ctx, inputs) -> outputs``:

- ``ctx`` is a `KernelContext` (the op's attributes, name and device);
- ``inputs`` is a list with one entry per op input: a ``numpy.ndarray`` (or a backend's device
  array) for an ordinary tensor, a `Ref` for a reference input (a variable's storage, which
  stateful kernels such as ``Assign`` read and write);
- ``outputs`` is a list with one entry per op output.

Which inputs are refs is declared by the op (``Operation._ref_inputs``); a ``_ref``-typed tensor
reaching any other input is read (dereferenced) by the session before the kernel runs, failing
with FailedPreconditionError when uninitialised. Kernels must not mutate their input arrays: the
session may hand the same array to several consumers and to the caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

CPU = "CPU"
GPU = "GPU"


@dataclass
class Ref:
    """Mutable storage behind a reference variable; ``value`` is None until initialised."""

    name: str
    value: Any = None
    # The VariableV2's declared shape when fully defined: TF allocates the (uninitialised)
    # variable's tensor with it, so a validating Assign compares against it even before init.
    shape: tuple | None = None


@dataclass(frozen=True)
class KernelContext:
    """What a kernel may know about the op it computes."""

    op_name: str
    op_type: str
    attrs: Mapping[str, Any] = field(default_factory=dict)
    device_type: str = CPU
    # Per-session state of stateful kernels (variables' `Ref`s, random generators), keyed by
    # what the kernel chooses; a new Session starts with an empty one, as TF's does.
    resources: dict = field(default_factory=dict)


class _Dead:
    """The value on the untaken output of a ``Switch``; ops fed a dead input do not run."""

    def __repr__(self) -> str:
        return "DEAD"


DEAD = _Dead()


KernelFn = Callable[[KernelContext, list], list]

_KERNELS: dict[tuple[str, str], KernelFn] = {}


# The "T" types a kernel is registered for, where TF's are fewer than the op allows (TF's
# TypeConstraint: no CPU Reciprocal of integers); absent means every type the op allows.
_TYPES: dict[tuple[str, str], frozenset[str]] = {}


def register_kernel(op_type: str, device_type: str = CPU,
                    types: Iterable[str] | None = None) -> Callable[[KernelFn], KernelFn]:
    """Decorator: register ``fn`` as the kernel of ``op_type`` on ``device_type`` (for the
    ``T`` attrs named in ``types`` only, when given: dtype names such as ``"float32"``)."""

    def decorate(fn: KernelFn) -> KernelFn:
        key = (op_type, device_type)
        if key in _KERNELS:
            raise RuntimeError(f"kernel for {op_type} on {device_type} registered twice")
        if types is not None:
            _TYPES[key] = frozenset(types)
        from .ftz import FLUSHING_OPS, flushing  # TF's kernels compute with FTZ / DAZ

        wrap = op_type in FLUSHING_OPS and not getattr(fn, "computes_ftz", False)
        _KERNELS[key] = flushing(fn) if wrap else fn
        return fn

    return decorate


_cpu_loaded = False


def _load_cpu_kernels() -> None:
    """Register the CPU kernels on first need (keeps them out of ``import reference_impl``)."""
    global _cpu_loaded
    if not _cpu_loaded:
        _cpu_loaded = True
        from . import cpu  # noqa: F401 - importing registers them


def lookup_kernel(op_type: str, device_type: str) -> KernelFn | None:
    """The kernel of ``op_type`` on ``device_type``, or None when there is none."""
    if not _cpu_loaded:
        _load_cpu_kernels()
    return _KERNELS.get((op_type, device_type))


def supports(op_type: str, device_type: str, attrs: Mapping[str, Any]) -> bool:
    """Whether the kernel of ``op_type`` on ``device_type`` is registered for the op's ``T``."""
    types = _TYPES.get((op_type, device_type))
    t = attrs.get("T")
    return types is None or t is None or t.base_dtype.name in types


def registered_kernels() -> list[tuple[str, str]]:
    """Every (op type, device type) that has a kernel, sorted."""
    _load_cpu_kernels()
    return sorted(_KERNELS)
