import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "tests" / "harness"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

# numba decides between a real GPU and its CUDA simulator when it is first imported, which any
# test may trigger (the CPU kernels use numba when present): decide once, here, before any of
# them — the simulator on a machine without a GPU, the GPU where there is one.
from reference_impl.kernels import cuda as _cuda  # noqa: E402

if _cuda.numba_installed():
    _cuda.prepare_environment()
