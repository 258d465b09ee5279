"""The ``reference`` and ``reference-cuda`` adapters: tfconf's own implementation."""

from __future__ import annotations

import importlib
from typing import Any

from .base import AdapterDescription, Unsupported
from .python_api import PythonApiAdapter


class ReferenceAdapter(PythonApiAdapter):
    """``reference_impl.compat.v1`` on its CPU kernels."""

    name = "reference"
    device = "cpu"

    def load_api(self) -> Any:
        try:
            return importlib.import_module("reference_impl.compat.v1")
        except ImportError as error:
            raise Unsupported(f"reference_impl provides no API yet: {error}") from None

    def describe(self) -> AdapterDescription:
        import reference_impl

        return AdapterDescription(
            name=self.name, implementation="tfconf reference_impl (numpy kernels)",
            version=getattr(reference_impl, "__version__", "0"), device=self.device,
            capabilities=("graph", "session", "reference-variables"))


class ReferenceCudaAdapter(ReferenceAdapter):
    """``reference_impl`` with every op placed on ``/gpu:0`` (numba-cuda kernels)."""

    name = "reference-cuda"
    device = "cuda"

    def load_api(self) -> Any:
        raise Unsupported("reference_impl has no CUDA backend yet")
