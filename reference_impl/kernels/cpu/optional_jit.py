"""Optional compiled kernels: import a numba-backed module only once it will pay for itself.

numba is optional. Where it is installed, a process pays about 0.25 s to import it and 0.2–0.3 s
more to load each compiled module from numba's cache; the numpy code computes the same
operations in the same order (the same bits), a little slower per element. A small program, such
as any scenario of the spec, never recovers that cost: a whole-spec run of the CPU reference's
worker is 0.35–0.4 s faster with numpy alone. So a kernel asks `for_input`, and a module is
loaded at once for a large input (``EAGER`` elements: a program working on those is likely to
repeat it) or once a kernel's smaller inputs have added up to ``BUDGET`` elements (a long
loop); until then the kernel uses numpy.

Without numba, or with ``TFCONF_NO_NUMBA`` set (the tests use it to check that both paths give
the same bits), every kernel uses numpy.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

MIN_SIZE = 1 << 16  # below this many elements a kernel never calls compiled code: it would not pay
EAGER = 1 << 20  # elements in one input
BUDGET = 1 << 24  # elements over every input a kernel has seen

_loaded: dict[str, ModuleType | None] = {}  # None: numba is unusable
_seen: dict[str, int] = {}


def load(name: str) -> ModuleType | None:
    """The module ``reference_impl.kernels.cpu.<name>``, imported now if need be; None when
    numba is unusable."""
    if name not in _loaded:
        module = None
        if not os.environ.get("TFCONF_NO_NUMBA"):
            try:
                module = importlib.import_module(f"{__package__}.{name}")
            except Exception:  # noqa: BLE001 - a missing or broken numba means: use numpy
                module = None
        _loaded[name] = module
    return _loaded[name]


def loaded(name: str) -> bool:
    """Whether the module ``name`` is loaded: its kernels run compiled from now on."""
    return _loaded.get(name) is not None


def for_input(name: str, elements: int) -> ModuleType | None:
    """The module ``name`` for a kernel call over ``elements`` values, if it is loaded or now
    worth loading (see the module's docstring); None means: compute this call with numpy."""
    if name in _loaded:
        return _loaded[name]
    seen = _seen[name] = _seen.get(name, 0) + elements
    if elements >= EAGER or seen >= BUDGET:
        return load(name)
    return None
