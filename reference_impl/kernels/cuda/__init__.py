"""The CUDA backend: numba-cuda kernels for the GPU device, loaded only on demand.

Importing this package imports nothing heavy: numba is optional (``pip install tfconf[cuda]``)
and ``import reference_impl.compat.v1`` must stay fast, so the kernels are registered by `load`,
which the session calls the first time an op placed on a GPU runs, and which the
``reference-cuda`` adapter calls when it starts.

On a machine without a GPU the same kernels run under numba's CUDA simulator
(``NUMBA_ENABLE_CUDASIM=1``, which must be set before numba is imported: `prepare_environment`).
The simulator counts as a GPU only where someone asked for it (``load(allow_simulator=True)``):
a stray ``NUMBA_ENABLE_CUDASIM=1`` in the environment must not make the CPU ``reference`` claim
a GPU that TensorFlow on the same machine would not have.
"""

from __future__ import annotations

import ctypes
import importlib
import importlib.util
import os

# Op-family modules, each registering its "GPU" kernels when imported.
_KERNEL_MODULES = ("array", "elementwise", "cast", "matmul", "reduce", "pad", "concat",
                   "strided_slice", "assign", "resource", "training", "random", "nn", "eigen_math",
                   "softmax", "gather", "scan", "split", "segment", "scatter", "unique",
                   "sparse_training")
_KERNEL_MODULES += ("clip", "rsqrt")  # (ClipByValue; Rsqrt, RsqrtGrad)
_KERNEL_MODULES += ("partition",)  # (DynamicPartition; ParallelDynamicStitch lives in gather)

_loaded = False


def numba_installed() -> bool:
    """Whether numba-cuda can be imported, without importing it."""
    return importlib.util.find_spec("numba") is not None


def driver_has_gpu() -> bool:
    """Whether the CUDA driver sees a device, asked through ctypes so that numba stays unimported
    (its simulator switch is read once, at import)."""
    try:
        lib = ctypes.CDLL("libcuda.so.1")
    except OSError:
        return False
    try:
        if lib.cuInit(0) != 0:
            return False
        count = ctypes.c_int(0)
        return lib.cuDeviceGetCount(ctypes.byref(count)) == 0 and count.value > 0
    except (AttributeError, OSError):
        return False


def prepare_environment() -> str:
    """Choose the mode before numba is imported: ``"gpu"`` where the driver has a device, else
    ``"cuda-simulator"`` (setting ``NUMBA_ENABLE_CUDASIM=1``). An explicit
    ``NUMBA_ENABLE_CUDASIM=1`` already in the environment wins, so CI can force the simulator."""
    import sys

    if "numba" in sys.modules:  # too late to choose: report what numba runs as
        from numba import config

        return "cuda-simulator" if config.ENABLE_CUDASIM else "gpu"
    if os.environ.get("NUMBA_ENABLE_CUDASIM", "0") not in ("", "0"):
        return "cuda-simulator"
    if driver_has_gpu():
        return "gpu"
    os.environ["NUMBA_ENABLE_CUDASIM"] = "1"
    return "cuda-simulator"


def load(allow_simulator: bool = False) -> bool:
    """Register the GPU kernels and install the session's hooks; True when a GPU (or, with
    ``allow_simulator``, the simulator) can run them. Safe to call again."""
    global _loaded
    from ... import session
    from . import runtime

    if allow_simulator:
        runtime.accept_simulator(True)
    if not _loaded:
        for name in _KERNEL_MODULES:
            importlib.import_module(f"{__name__}.{name}")
        session.gpu_available = runtime.available
        _loaded = True
    return runtime.available()
