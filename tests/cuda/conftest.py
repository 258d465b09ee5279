"""CUDA backend tests: the GPU kernels against the CPU kernels, bit for bit, on tiny tensors.

Without a GPU they run under numba's CUDA simulator, which must be switched on before numba is
imported (`prepare_environment` does it here, unless the environment already chose). The
simulator counts as a GPU only inside the `gpu` fixture, so tests elsewhere in the same process
still see a CPU-only machine.
"""

from __future__ import annotations

from typing import Iterator

import pytest

from reference_impl.kernels import cuda

if not cuda.numba_installed():  # numba-cuda is optional: tfconf[cuda]
    collect_ignore_glob = ["test_*.py"]
else:
    MODE = cuda.prepare_environment()


@pytest.fixture
def gpu() -> Iterator[None]:
    """The CUDA kernels loaded, the simulator accepted as a GPU for the test's duration."""
    from reference_impl.kernels.cuda import runtime

    cuda.load(allow_simulator=True)
    try:
        yield
    finally:
        runtime.accept_simulator(False)
