"""Optional compiled kernels: import a numba-backed module only when a kernel first needs it.

numba is optional and costs about half a second to import, so kernels ask for their compiled
module only for large inputs; without numba (or with ``TFCONF_NO_NUMBA`` set, which the tests
use to check that both paths give the same bits) they compute the same operations with numpy.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

_loaded: dict[str, ModuleType | None] = {}


def load(name: str) -> ModuleType | None:
    """The module ``reference_impl.kernels.cpu.<name>``, or None when numba is unusable."""
    if name not in _loaded:
        module = None
        if not os.environ.get("TFCONF_NO_NUMBA"):
            try:
                module = importlib.import_module(f"{__package__}.{name}")
            except Exception:  # noqa: BLE001 - a missing or broken numba means: use numpy
                module = None
        _loaded[name] = module
    return _loaded[name]
