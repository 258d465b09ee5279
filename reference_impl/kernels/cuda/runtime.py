"""The CUDA backend's runtime: mode (GPU or simulator), launch configuration, transfers.

Values produced by GPU kernels stay device arrays (numba ``DeviceNDArray``, or the simulator's
``FakeCUDAArray``) from op to op within a ``Session.run``; the session copies them to the host
only for fetches (``fetch_to_numpy``) and for CPU kernels. Dtypes a GPU cannot hold (strings,
objects) stay host arrays, as TensorFlow keeps them in host memory.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any, Iterator

import numpy as np
from numba import config as _numba_config
from numba import cuda

SIMULATOR: bool = bool(_numba_config.ENABLE_CUDASIM)

# Threads per block on a GPU; blocks are capped because every kernel is a grid-stride loop.
THREADS = 256
MAX_BLOCKS = 4096
# Under the simulator every thread is a Python thread and every block runs in turn, so one
# thread is fastest; tests widen this (`launch_shape`) to exercise the grid-stride indexing.
_sim_launch: tuple[int, int] = (1, 1)

_simulator_accepted = False
_gpu_present: bool | None = None


def accept_simulator(flag: bool) -> None:
    """Let the simulator count as a GPU (the reference-cuda adapter and the CUDA tests do)."""
    global _simulator_accepted
    _simulator_accepted = flag


def available() -> bool:
    """The session's ``gpu_available`` hook: a real device, or the simulator where accepted."""
    global _gpu_present
    if SIMULATOR:
        return _simulator_accepted
    if _gpu_present is None:
        _gpu_present = bool(cuda.is_available())
    return _gpu_present


def mode() -> str:
    """``"cuda-simulator"`` or ``"gpu"`` (what the adapter's description says)."""
    return "cuda-simulator" if SIMULATOR else "gpu"


def device_name() -> str:
    """The GPU's name, or the simulator's."""
    if SIMULATOR:
        return "numba CUDA simulator"
    name = cuda.get_current_device().name
    return name.decode() if isinstance(name, bytes) else str(name)


@contextlib.contextmanager
def launch_shape(blocks: int, threads: int) -> Iterator[None]:
    """Run simulated kernels with this grid (tests use several blocks and threads to check that
    every kernel's grid-stride loop covers its output exactly once)."""
    global _sim_launch
    saved = _sim_launch
    _sim_launch = (blocks, threads)
    try:
        yield
    finally:
        _sim_launch = saved


def grid(n: int) -> tuple[int, int]:
    """(blocks, threads per block) for a grid-stride kernel over ``n`` items (n > 0)."""
    if SIMULATOR:
        return _sim_launch
    return min(MAX_BLOCKS, (n + THREADS - 1) // THREADS), THREADS


def launch(kernel: Any, n: int, *args: Any) -> None:
    """Launch a grid-stride ``kernel`` over ``n`` output items; nothing to do for ``n == 0``."""
    if n > 0:
        launch_grid(kernel, *grid(n), *args)


def launch_grid(kernel: Any, blocks: int, threads: int, *args: Any) -> None:
    """``kernel[blocks, threads](*args)`` (under the simulator: `_simulate_inline`)."""
    if SIMULATOR and _inline:
        _simulate_inline(kernel, blocks, threads, args)
    else:
        kernel[blocks, threads](*args)


def device_function(fn: Any) -> Any:
    """``cuda.jit(device=True)(fn)``; under the simulator ``fn`` itself. The simulator's device
    function wrapper only swaps its fake ``cuda`` module into ``fn``'s globals around every call
    (a lock and two dict scans per element); the calling kernel's launch has already swapped it
    into the module's globals, which a device function defined in the kernel's module shares,
    so the plain function computes the same. (A device function using ``cuda.*`` intrinsics must
    therefore be called only from kernels of its own module.)"""
    return fn if SIMULATOR else cuda.jit(device=True)(fn)


# -- the simulator without its threads -----------------------------------------------------------
# numba's simulator runs each CUDA thread of a block as a Python thread while the launching
# thread polls them in a busy loop (for syncthreads), so the kernel's thread gets about half the
# interpreter (the GIL) and every array access goes through two wrapper objects. No kernel of
# this backend synchronises threads or shares memory (each is a grid-stride loop whose threads
# write disjoint outputs), so running the simulated threads one after another on the launching
# thread computes the same: the kernel's own Python function, with the simulator's fake ``cuda``
# module swapped in as the simulator does, on the device arrays' host buffers. Set
# ``TFCONF_CUDASIM_THREADS=1`` to launch through the simulator's own threads instead.
_inline = os.environ.get("TFCONF_CUDASIM_THREADS", "0") in ("", "0")

if SIMULATOR:
    from numba.cuda.simulator import kernel as _sim_kernel
    from numba.cuda.simulator.cudadrv.devicearray import FakeCUDAArray as _FakeArray
    from numba.cuda.simulator.kernelapi import Dim3 as _Dim3
    from numba.cuda.simulator.kernelapi import FakeCUDAModule as _FakeModule
    from numba.cuda.simulator.kernelapi import FakeCUDAShared as _FakeShared
    from numba.cuda.simulator.kernelapi import swapped_cuda_module as _swapped

    class _InlineModule(_FakeModule):
        """The simulator's fake ``cuda`` module with the thread and block indices set by the
        launch loop (not read from a Python thread)."""

        def __init__(self, grid_dim: Any, block_dim: Any) -> None:
            super().__init__(grid_dim, block_dim, 0)
            self.block_index = _Dim3(0, 0, 0)
            self.thread_index = _Dim3(0, 0, 0)

        @property
        def threadIdx(self) -> Any:  # noqa: N802 - CUDA's name
            return self.thread_index

        @property
        def blockIdx(self) -> Any:  # noqa: N802 - CUDA's name
            return self.block_index

        @property
        def laneid(self) -> int:
            return self.thread_index.x % 32

        def syncthreads(self) -> None:
            raise RuntimeError("inline simulation runs threads in turn: no syncthreads "
                               "(set TFCONF_CUDASIM_THREADS=1)")

    # One fake module per launch shape, reused: building one sets some ninety attributes (the
    # vector types), as long as a small kernel takes to run. Launches never overlap (the
    # simulator's kernel context admits one at a time); each gets fresh shared memory.
    _modules: dict[tuple[int, int], _InlineModule] = {}

    def _inline_module(blocks: int, threads: int) -> _InlineModule:
        module = _modules.get((blocks, threads))
        if module is None:
            module = _modules[blocks, threads] = _InlineModule((blocks, 1, 1), (threads, 1, 1))
        module._shared = _FakeShared(0)
        return module

    def _simulate_inline(kernel: Any, blocks: int, threads: int, args: tuple) -> None:
        module = _inline_module(blocks, threads)
        # In-kernel, a device array is its host buffer (the simulator's wrappers forward
        # scalar indexing, size, shape and dtype to it); host arrays are used in place, as the
        # simulator's copy-in / write-back would leave them.
        raw = [a._ary if isinstance(a, _FakeArray) else a for a in args]
        with _sim_kernel._push_kernel_context(module), _swapped(kernel.fn, module):
            for b in range(blocks):
                module.block_index = _Dim3(b, 0, 0)
                for t in range(threads):
                    module.thread_index = _Dim3(t, 0, 0)
                    kernel.fn(*raw)


# -- transfers ---------------------------------------------------------------------------------
def is_device(x: Any) -> bool:
    return hasattr(x, "copy_to_host")


def on_device(x: Any) -> bool:
    """Whether a dtype can live in device memory (numbers and bools; not strings/objects)."""
    return np.dtype(x.dtype).kind in "biufc"


def to_device(x: Any) -> Any:
    """``x`` in device memory (a host array of a device-less dtype stays on the host)."""
    if is_device(x):
        return x
    arr = np.asarray(x)
    if not arr.flags.c_contiguous:  # (np.ascontiguousarray would make a 0-d array 1-d)
        arr = arr.copy(order="C")
    if not on_device(arr):
        return arr
    return cuda.to_device(arr)


def to_host(x: Any) -> np.ndarray:
    """``x`` as a host array (small control inputs: shapes, axes, paddings)."""
    return x.copy_to_host() if is_device(x) else np.asarray(x)


def empty(shape: tuple[int, ...] | list[int], dtype: Any) -> Any:
    """An uninitialised device array (every kernel writes all of its output)."""
    return cuda.device_array(tuple(int(d) for d in shape), dtype=np.dtype(dtype))


def flat(x: Any) -> Any:
    """A 1-D view of a contiguous device array (kernels index outputs linearly)."""
    return x.reshape(max(1, x.size) if x.ndim == 0 else x.size)


def shape_array(dims: Any) -> Any:
    """A small int64 device array (shapes and strides handed to kernels); never empty, since
    zero-length device arrays cannot be passed to kernels on every numba version."""
    arr = np.asarray(list(dims) or [0], dtype=np.int64)
    return cuda.to_device(arr)


def broadcast_strides(in_shape: tuple[int, ...], out_shape: tuple[int, ...]) -> list[int]:
    """Element strides of a C-contiguous ``in_shape`` array read at ``out_shape`` positions
    (numpy's broadcasting: missing leading dims and size-1 dims have stride 0)."""
    strides = [0] * len(out_shape)
    step = 1
    offset = len(out_shape) - len(in_shape)
    for axis in range(len(in_shape) - 1, -1, -1):
        if in_shape[axis] != 1:
            strides[offset + axis] = step
        step *= in_shape[axis]
    return strides


def _disable_fma_contraction() -> None:
    """numba-cuda leaves NVVM's default ``-fma=1``, which may fuse ``a * b + c`` into one
    rounding; the CPU kernels round every operation (numpy), so the GPU must too to give the
    same float32 bits. Only where real kernels are compiled (the simulator uses numpy)."""
    from numba.cuda.cudadrv import nvvm

    original = nvvm.compile_ir
    if getattr(original, "_tfconf_no_fma", False):
        return

    def compile_ir(llvmir: Any, **options: Any) -> Any:
        if not options.get("fastmath"):
            options.setdefault("fma", False)
        return original(llvmir, **options)

    compile_ir._tfconf_no_fma = True  # type: ignore[attr-defined]
    nvvm.compile_ir = compile_ir


if not SIMULATOR:
    _disable_fma_contraction()
else:
    import warnings

    # Simulated kernels do their arithmetic on numpy scalars, which warn where the CPU kernels
    # run under np.errstate(all="ignore") (overflow, division by zero); the values are the same.
    warnings.filterwarnings("ignore", category=RuntimeWarning,
                            module=r"(reference_impl\.kernels\.cuda|numba)")
