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

    def preload(self) -> None:
        """Import, and warm up on the CPU as well: the reference's sessions start no thread for
        a program this small, so the fork server's workers inherit what the first session loads
        instead of each loading it. Looking for a GPU is left to each worker (CUDA's driver does
        not survive a fork)."""
        super().preload()
        self.warm_up(self.api, devices=False)

    def describe(self) -> AdapterDescription:
        import reference_impl

        return AdapterDescription(
            name=self.name, implementation="tfconf reference_impl (numpy kernels)",
            version=getattr(reference_impl, "__version__", "0"), device=self.device,
            capabilities=("graph", "session", "reference-variables"))


class ReferenceCudaAdapter(ReferenceAdapter):
    """``reference_impl`` with every op placed on ``/gpu:0`` (numba-cuda kernels).

    Unpinned ops run on the GPU through the reference's default device type, which leaves every
    op's ``device`` string as the program set it (TF on a GPU machine places unpinned ops the
    same way); ops a scenario pins keep their pin. Without a GPU the kernels run under numba's
    CUDA simulator, and the description says so.
    """

    name = "reference-cuda"
    device = "cuda"

    def __init__(self) -> None:
        super().__init__()
        self._mode: str | None = None

    @classmethod
    def available(cls) -> str | None:
        from reference_impl.kernels import cuda

        return None if cuda.numba_installed() else "numba-cuda is not installed (tfconf[cuda])"

    def _start(self) -> str:
        """Choose GPU or simulator before numba is imported, then load the CUDA kernels."""
        if self._mode is None:
            from reference_impl.kernels import cuda

            mode = cuda.prepare_environment()
            if not cuda.numba_installed():
                raise Unsupported("numba-cuda is not installed (pip install tfconf[cuda])")
            if not cuda.load(allow_simulator=True):
                raise Unsupported("numba-cuda finds no usable CUDA device")
            from reference_impl import device as device_lib
            from reference_impl.kernels.registry import GPU

            device_lib.set_default_device_type(GPU)
            self._mode = mode
        return self._mode

    def load_api(self) -> Any:
        self._start()
        return super().load_api()

    def preload(self) -> None:
        """Under the simulator, the kernels are plain Python: preload as any adapter. On a GPU,
        refuse: CUDA's driver, once initialised (choosing the mode does), does not survive a
        fork, so the fork server gives up and every lane starts a worker of its own."""
        if self._start() == "gpu":
            raise RuntimeError("a worker using CUDA cannot be forked")
        super().preload()

    def describe(self) -> AdapterDescription:
        mode = self._start()  # first: the simulator switch must precede numba's import
        import reference_impl
        from reference_impl.kernels.cuda import runtime

        return AdapterDescription(
            name=self.name, implementation="tfconf reference_impl (numba-cuda kernels)",
            version=getattr(reference_impl, "__version__", "0"), device=mode,
            capabilities=("graph", "session", "reference-variables"),
            settings={"gpu": runtime.device_name(), "default_device": "/device:GPU:0"})
