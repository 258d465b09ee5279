"""Every op the reference computes on the CPU has a GPU kernel, or a stated reason not to."""

from __future__ import annotations

import importlib

import pytest

from reference_impl.kernels.registry import registered_kernels

# Host-only, as in TensorFlow: they read or write files and strings, which never live in
# device memory (TF registers these for the CPU only).
HOST_ONLY = {
    "SaveV2": "writes checkpoint files from host memory",
    "RestoreV2": "reads checkpoint files into host memory",
    "MergeV2Checkpoints": "renames and merges checkpoint files",
    "ShardedFilename": "string op on file names",
    "StringJoin": "string op",
    "StaticRegexFullMatch": "string op",
    "ReadFile": "reads a file into a host string",
    "ConcatOffset": "offsets computed from shapes, which live in host memory",
    "InvertPermutation": "a permutation of axes, which lives in host memory",
    "ReportUninitializedVariables": "outputs a string tensor of variable names",
    "ListDiff": "TF registers it for the CPU only (listdiff_op.cc): no GPU kernel to mirror",
}

# CPU kernels whose GPU twins are still to come (an unpinned op of these types runs on the CPU,
# as TF's placer falls back; a /gpu:0-pinned one fails unless soft placement is on). Empty: a CPU
# kernel added to reference_impl gets its GPU twin in the same change, or a HOST_ONLY reason.
PENDING: set[str] = set()


def _load_everything() -> None:
    import reference_impl.compat.v1  # noqa: F401
    from reference_impl.kernels import cuda

    for module in ("reference_impl.train", "reference_impl.checkpoint.kernels"):
        try:
            importlib.import_module(module)
        except ImportError:
            pass
    cuda.load()


@pytest.mark.usefixtures("gpu")
def test_every_cpu_kernel_has_a_gpu_twin() -> None:
    _load_everything()
    kernels = registered_kernels()
    cpu = {op for op, device in kernels if device == "CPU"}
    gpu = {op for op, device in kernels if device == "GPU"}
    missing = cpu - gpu - set(HOST_ONLY) - PENDING
    assert not missing, f"CPU kernels without a GPU kernel: {sorted(missing)}"
    assert not (gpu & set(HOST_ONLY)), "a host-only op gained a GPU kernel: update HOST_ONLY"
    assert not (gpu & PENDING), f"done, remove from PENDING: {sorted(gpu & PENDING)}"
    assert gpu <= cpu, f"GPU kernels without a CPU kernel: {sorted(gpu - cpu)}"


@pytest.mark.usefixtures("gpu")
def test_gpu_kernels_live_in_the_cuda_package() -> None:
    from reference_impl.kernels.registry import lookup_kernel

    _load_everything()
    # Metadata ops reuse the CPU function (they move no tensor data, as TF's HostMemory ones).
    reused = {"Placeholder", "NoOp", "Merge", "VariableV2", "IsVariableInitialized"}
    for op, device in registered_kernels():
        if device == "GPU" and op not in reused:
            module = lookup_kernel(op, "GPU").__module__
            assert module.startswith("reference_impl.kernels.cuda."), (op, module)
