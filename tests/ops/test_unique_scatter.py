"""The Unique and Scatter* / ResourceScatter* kernels against TensorFlow 2.21, and their CUDA
twins (under numba's simulator where there is no GPU) against the CPU kernels.

Every expected value, digest and message below is what TF 2.21's CPU kernels gave (graph mode,
inputs fed through placeholders, variables updated through tf.scatter_* and read back); the
tests themselves run without TensorFlow. The scatter digests use 700 indices into 7 rows: TF's
CPU functor runs its serial loop below 1024 indices (above, it shards the loop over threads
and a row's updates add up in no fixed order).
"""

from __future__ import annotations

import hashlib
from typing import Any, Iterator

import numpy as np
import pytest

from reference_impl import dtypes, errors
from reference_impl.kernels.cpu.resource import ResourceHandle
from reference_impl.kernels.registry import KernelContext, Ref, lookup_kernel

OPS = {"add": "ScatterAdd", "sub": "ScatterSub", "update": "ScatterUpdate"}


def run(op: str, inputs: list, attrs: dict | None = None, device: str = "CPU") -> list:
    return lookup_kernel(op, device)(KernelContext("k", op, attrs or {}, device), inputs)


def host(value: Any) -> np.ndarray:
    return value.copy_to_host() if hasattr(value, "copy_to_host") else np.asarray(value)


def f32(*bits: int) -> np.ndarray:
    return np.array(bits, np.uint32).view(np.float32)


def bits(a: Any) -> list[int]:
    a = host(a)
    return a.view(f"u{a.dtype.itemsize}").ravel().tolist()


def scatter(kind: str, params: np.ndarray, indices: Any, updates: Any, resource: bool = False,
            device: str = "CPU") -> np.ndarray:
    """The variable's value after one scatter op (a fresh copy of ``params`` in it)."""
    indices, updates = np.asarray(indices), np.asarray(updates)
    if resource:
        handle = ResourceHandle("r", np.array(params))
        run("Resource" + OPS[kind], [handle, indices, updates], {"dtype": dtypes.as_dtype(params.dtype)},
            device)
        return host(handle.value)
    ref = Ref("v", np.array(params))
    out = run(OPS[kind], [ref, indices, updates], {"T": dtypes.as_dtype(params.dtype)}, device)
    assert out == [ref]
    return host(ref.value)


def unique(x: np.ndarray, out_idx: Any = dtypes.int32, device: str = "CPU") -> tuple:
    y, idx = run("Unique", [x], {"out_idx": out_idx}, device)
    return host(y), host(idx)


# -- deterministic inputs, the same on every platform (integer hashing only) -------------------

def pattern(dtype: Any, n: int, salt: int = 0) -> np.ndarray:
    """Full mantissas and exponents over 2**-5 .. 2**4 (floats), or wide integers, so that
    sums of them round (and wrap) differently in different orders."""
    dtype = np.dtype(dtype)
    k = np.arange(n, dtype=np.uint64)
    h = k * np.uint64(0x9E3779B97F4A7C15) + np.uint64(0x632BE59BD9B4E019 + salt)  # wraps, as meant
    if dtype.kind in "iu":
        return ((h >> np.uint64(33)).astype(np.int64) - (1 << 30)).astype(dtype)
    width = {2: 11, 4: 24, 8: 53}[dtype.itemsize]
    fraction = (h >> np.uint64(64 - width)).astype(np.float64) / 2.0**width - 0.5
    exponent = ((h >> np.uint64(3)) % np.uint64(9)).astype(np.float64) - 4
    return (fraction * 2.0**exponent).astype(dtype)


def pattern_indices(n: int, rows: int, salt: int = 0) -> np.ndarray:
    k = np.arange(n, dtype=np.uint64)
    h = k * np.uint64(0xD1B54A32D192ED03) + np.uint64(0x8CB92BA72F3D8DD7 + salt)
    return ((h >> np.uint64(40)) % np.uint64(rows)).astype(np.int32)


def scatter_cases(dt: str) -> Iterator[tuple[str, np.ndarray, np.ndarray, Any, bool]]:
    """(kind, params, indices, updates, resource), in the order the digests were taken."""
    rows, cols, n = 7, 3, 700
    real = "float32" if dt == "complex64" else dt
    p = pattern(real, rows * cols, 5).reshape(rows, cols)
    u = pattern(real, n * cols, 9).reshape(n, cols)
    if dt == "complex64":
        p = p + 1j * pattern("float32", rows * cols, 6).reshape(rows, cols)
        u = u + 1j * pattern("float32", n * cols, 10).reshape(n, cols)
    p, u = p.astype(dt), u.astype(dt)
    idx = pattern_indices(n, rows)
    for kind in ("add", "sub", "update"):
        for resource in (False, True):
            yield kind, p, idx, u, resource
            yield kind, p, idx, u[0, 0], resource


# sha256 of the variables after each of scatter_cases' updates, as TF 2.21 left them (first 16
# hex digits)
SCATTER_DIGESTS = {
    "float32": "ad9cb5b7ee9b4895", "float64": "c29bb69a5196f2b4", "float16": "d08566e5bad7ced7",
    "int32": "c233c81909ca55c4", "int64": "5f5aff0d4cc38886", "complex64": "a3bdc4b471e9c1fa",
    "uint8": "38232bd6f47e0101",
}


def scatter_digest(dt: str, device: str = "CPU") -> str:
    h = hashlib.sha256()
    for kind, p, idx, u, resource in scatter_cases(dt):
        h.update(np.ascontiguousarray(scatter(kind, p, idx, u, resource, device)).tobytes())
    return h.hexdigest()[:16]


def unique_values(dt: str, n: int) -> np.ndarray:
    """Values from 37 classes with many repeats; floats with NaNs and zeros of both signs."""
    dtype = np.dtype(dt)
    base = pattern_indices(n, 37, 3)
    if dtype.kind == "f":
        x = (base.astype(np.float64) - 18) / 4
        x[base % 11 == 0] = np.nan
        x[base == 18] = 0.0
        x[(base == 18) & (np.arange(n) % 2 == 1)] = -0.0
        return x.astype(dtype)
    if dtype.kind == "b":
        return base % 3 == 0
    return (base - 18).astype(dtype) if dtype.kind == "i" else base.astype(dtype)


# sha256 of y and idx for n in (0, 1, 5, 300, 2000), idx int32 then int64, as TF 2.21 gave them
UNIQUE_DIGESTS = {
    "float32": "a8bf6b9602b09541", "float64": "590fc003e7d06d8f", "float16": "4388972b58ff46ad",
    "int32": "76aac02cc3068f40", "int64": "5b2690b0de17c40b", "uint8": "321fa41e2ff6a2d8",
    "int8": "a19531406695de1f", "uint16": "830ecb18708e3017", "bool": "1bbb06e0fb97ad58",
}


def unique_digest(dt: str, device: str = "CPU") -> str:
    h = hashlib.sha256()
    for n in (0, 1, 5, 300, 2000):
        x = unique_values(dt, n)
        for out_idx in (dtypes.int32, dtypes.int64):
            y, idx = unique(x, out_idx, device)
            assert y.dtype == x.dtype and idx.dtype == out_idx.as_numpy_dtype
            h.update(np.ascontiguousarray(y).tobytes())
            h.update(idx.tobytes())
    return h.hexdigest()[:16]


# -- Unique on the CPU ---------------------------------------------------------------------------

@pytest.mark.parametrize("dt", sorted(UNIQUE_DIGESTS))
def test_unique_matches_tensorflow_bit_for_bit(dt: str) -> None:
    assert unique_digest(dt) == UNIQUE_DIGESTS[dt]


def test_unique_first_occurrence_order_and_index_types() -> None:
    y, idx = unique(np.array([1, 1, 2, 4, 4, 4, 7, 8, 8], np.int32))
    assert y.tolist() == [1, 2, 4, 7, 8] and idx.tolist() == [0, 0, 1, 2, 2, 2, 3, 4, 4]
    assert idx.dtype == np.int32
    y, idx = unique(np.array([3.0, 1.0, 3.0]), dtypes.int64)
    assert y.tolist() == [3.0, 1.0] and idx.tolist() == [0, 1, 0] and idx.dtype == np.int64
    y, idx = unique(np.array([b"b", b"a", b"b", b"c"], dtype=object))
    assert y.tolist() == [b"b", b"a", b"c"] and idx.tolist() == [0, 1, 0, 2]


def test_unique_float32_zeros_are_one_value_each_nan_its_own() -> None:
    # -0.0 first: kept with its sign; both NaNs (same bits) are two values (TF 2.21's output)
    x = f32(0x80000000, 0, 0x7FC00001, 0x7FC00001, 0x40400000, 0x80000000)
    y, idx = unique(x)
    assert bits(y) == [0x80000000, 0x7FC00001, 0x7FC00001, 0x40400000]
    assert idx.tolist() == [0, 0, 1, 2, 3, 0]


def test_unique_float16_zeros_are_two_values_on_the_cpu() -> None:
    x = np.array([0.0, -0.0, 1.0, -0.0, np.nan, np.nan, 0.0], np.float16)
    y, idx = unique(x)
    assert bits(y) == [0, 0x8000, 0x3C00, 0x7E00, 0x7E00]
    assert idx.tolist() == [0, 1, 2, 1, 3, 4, 0]


@pytest.mark.parametrize("x", [np.zeros((2, 2)), np.float32(1), np.zeros((0, 3), np.int32)], ids=str)
def test_unique_wants_a_vector(x: np.ndarray) -> None:
    with pytest.raises(errors.InvalidArgumentError) as caught:
        unique(x)
    assert caught.value.message == "unique expects a 1D vector."


def test_unique_has_no_kernel_for_complex_numbers() -> None:
    from reference_impl.kernels.registry import supports

    assert not supports("Unique", "CPU", {"T": dtypes.complex64})
    assert supports("Unique", "CPU", {"T": dtypes.string})


# -- Scatter* on the CPU -------------------------------------------------------------------------

@pytest.mark.parametrize("dt", sorted(SCATTER_DIGESTS))
def test_scatter_matches_tensorflow_bit_for_bit(dt: str) -> None:
    assert scatter_digest(dt) == SCATTER_DIGESTS[dt]


def test_duplicates_add_in_index_order() -> None:
    # ((0 + 1e8) + 1) - 1e8 is 0 in float32; any other order gives 1 or 2
    p = np.zeros(2, np.float32)
    out = scatter("add", p, [0, 1, 0, 1, 0], np.array([1e8, 3, 1, 5, -1e8], np.float32))
    assert out.tolist() == [0.0, 8.0]
    assert scatter("sub", p, [1, 1, 1], np.array([-1e8, -1, 1e8], np.float32), resource=True).tolist() == [0, 0]
    assert scatter("update", np.zeros((2, 2), np.int32), [1, 0, 1], np.array([[1, 2], [3, 4], [5, 6]], np.int32)).tolist() == [[3, 4], [5, 6]]
    wrapped = scatter("add", np.array([2147483600, 0], np.int32), [0, 0, 1], np.array([40, 40, -7], np.int32))
    assert wrapped.tolist() == [-2147483616, -7]
    halves = scatter("add", np.ones(1, np.float16), [0] * 4, np.full(4, 0.0004, np.float16))
    assert halves.tolist() == [1.0]  # each 1 + 0.0004 rounds back to 1


@pytest.mark.parametrize("kind, expected", [
    ("add", [0, 0, 0x82AB1E, 0x40A00000, 0xD9C7DD]),
    ("sub", [0, 0x80000000, 0xFA72A6, 0x40A00000, 0x1545612]),
    ("update", [0, 0, 0x82AB1E, 0x116C2, 0xD9C7DD]),
])
def test_ftz_and_daz_on_each_update_of_the_rows_named(kind: str, expected: list[int]) -> None:
    # 2e-38 - 1.5e-38 is denormal: flushed before 1.2e-38 is added (1.2e-38, not 1.7e-38);
    # 1e-40 reads as a zero; ScatterUpdate copies the denormal 1e-40
    p = np.array([1e-40, -1e-40, 2e-38, 5.0, 3e-38], np.float32).reshape(5, 1)
    u = np.array([0.0, 0.0, -1.5e-38, 1e-40, -2.9e-38, 1.2e-38, 2e-38], np.float32).reshape(7, 1)
    assert bits(scatter(kind, p, [0, 1, 2, 3, 4, 2, 4], u)) == expected


@pytest.mark.parametrize("kind, expected", [
    ("add", [0x80A355E6, 0x800116C2, 0xD9C7DD, 0x40A00000, 0]),
    ("sub", [0xA355E6, 0x800116C2, 0xD9C7DD, 0x40A00000, 0x1A355E6]),
    ("update", [0x80A355E6, 0x800116C2, 0xD9C7DD, 0x40A00000, 0x80A355E6]),
])
def test_ftz_with_a_scalar_update(kind: str, expected: list[int]) -> None:
    p = np.array([1e-40, -1e-40, 2e-38, 5.0, 3e-38], np.float32)
    assert bits(scatter(kind, p, [0, 4, 4], np.float32(-1.5e-38))) == expected
    assert bits(scatter(kind, p, [0, 4, 4], np.float32(-1.5e-38), resource=True)) == expected


def test_ftz_float64() -> None:
    out = scatter("add", np.array([1e-310, 3e-308, 1.0]), [0, 1, 1], np.array([0.0, -2.9e-308, 2.5e-308]))
    assert bits(out) == [0, 0x11FA182C40C60D, 0x3FF0000000000000]


def test_nans_keep_the_first_operands_payload_and_a_scalar_is_subtracted_negated() -> None:
    p = f32(0x7FC00001, 0x3F800000, 0x7FC00003)
    u = f32(0xFFC00002, 0x7FC00005, 0x3F800000)
    for kind in ("add", "sub"):
        assert bits(scatter(kind, p, [0, 1, 2], u)) == [0x7FC00001, 0x7FC00005, 0x7FC00003]
    assert bits(scatter("add", p, [1, 1], f32(0x7FC00007)[0])) == [0x7FC00001, 0x7FC00007, 0x7FC00003]
    # TF subtracts a scalar as p + (-u): the NaN's sign flips
    assert bits(scatter("sub", p, [1, 1], f32(0x7FC00007)[0])) == [0x7FC00001, 0xFFC00007, 0x7FC00003]


def test_ref_kernel_updates_the_variable_in_place() -> None:
    value = np.zeros((3, 2), np.float32)
    ref = Ref("v", value)
    run("ScatterAdd", [ref, np.array([2]), np.ones((1, 2), np.float32)])
    assert ref.value is value and value.tolist() == [[0, 0], [0, 0], [1, 1]]


def test_resource_kernel_stores_a_copy() -> None:
    value = np.zeros((3, 2), np.float32)
    handle = ResourceHandle("r", value)
    run("ResourceScatterUpdate", [handle, np.array([0]), np.float32(5)])
    assert not value.any() and host(handle.value).tolist() == [[5, 5], [0, 0], [0, 0]]


@pytest.mark.parametrize("resource", [False, True])
def test_an_index_out_of_range_stops_after_the_updates_before_it(resource: bool) -> None:
    p = np.zeros((3, 2), np.float32)
    holder: Any = ResourceHandle("r", p.copy()) if resource else Ref("v", p.copy())
    op = ("Resource" if resource else "") + "ScatterAdd"
    with pytest.raises(errors.InvalidArgumentError) as caught:
        run(op, [holder, np.array([[0, 1], [1, 3]], np.int32), np.float32(1)])
    assert caught.value.message == "indices[1,1] = 3 is not in [0, 3)"
    assert host(holder.value).tolist() == [[1, 1], [2, 2], [0, 0]]


# (op, params shape, indices, updates shape, TF's message)
ERRORS = [
    ("ScatterAdd", (3, 2), [0, 3], (2, 2), "indices[1] = 3 is not in [0, 3)"),
    ("ScatterSub", (3, 2), [2, -1, 5], (), "indices[1] = -1 is not in [0, 3)"),
    ("ScatterUpdate", (3, 2), 3, (2,), "indices = 3 is not in [0, 3)"),
    ("ScatterAdd", (3, 2), np.array([1, 2**40]), (), "indices[1] = 1099511627776 is not in [0, 3)"),
    ("ScatterAdd", (3, 2), [0, 1], (2, 3), "Must have updates.shape = indices.shape + params.shape[1:] or "
     "updates.shape = [], got updates.shape [2,3], indices.shape [2], params.shape [3,2]"),
    ("ScatterAdd", (3, 2), [0, 1], (2,), "Must have updates.shape = indices.shape + params.shape[1:] or "
     "updates.shape = [], got updates.shape [2], indices.shape [2], params.shape [3,2]"),
    # the ref ops check the shapes even with no index
    ("ScatterUpdate", (3, 2), np.zeros(0, np.int32), (1, 2), "Must have updates.shape = indices.shape + "
     "params.shape[1:] or updates.shape = [], got updates.shape [1,2], indices.shape [0], params.shape [3,2]"),
    ("ScatterAdd", (), [0], (1,), "params must be at least 1-D, got shape []"),
    ("ResourceScatterAdd", (3, 2), [0, 4], (2, 2), "indices[1] = 4 is not in [0, 3)"),
    ("ResourceScatterAdd", (3, 2), [0, 1], (2,), "Must have updates.shape = indices.shape + params.shape[1:] "
     "or updates.shape = [], got updates.shape [2], indices.shape [2], params.shape [3,2]"),
    ("ResourceScatterSub", (3, 2), [0, 1], (1, 2), "The shape of indices ([2]) must be a prefix of the shape of "
     "updates ([1,2])"),
    # TF's functor reads past the update rows here (undefined behaviour): the reference refuses
    ("ResourceScatterAdd", (3, 2), [0, 1], (2, 3), "Must have updates.shape = indices.shape + params.shape[1:] "
     "or updates.shape = [], got updates.shape [2,3], indices.shape [2], params.shape [3,2]"),
]


@pytest.mark.parametrize("case", ERRORS, ids=[f"{c[0]}-{c[-1][:30]}" for c in ERRORS])
def test_errors_as_tensorflow(case: tuple) -> None:
    op, shape, indices, updates_shape, message = case
    holder: Any = (ResourceHandle("r", np.zeros(shape, np.float32)) if op.startswith("Resource")
                   else Ref("v", np.zeros(shape, np.float32)))
    with pytest.raises(errors.InvalidArgumentError) as caught:
        run(op, [holder, np.asarray(indices), np.ones(updates_shape, np.float32)], {"dtype": dtypes.float32})
    assert caught.value.message == message


def test_resource_kernels_skip_the_shape_checks_without_an_index() -> None:
    out = scatter("add", np.ones((3, 2), np.float32), np.zeros(0, np.int32), np.ones((1, 2), np.float32), resource=True)
    assert out.tolist() == [[1, 1]] * 3


def test_uninitialized_variables() -> None:
    with pytest.raises(errors.FailedPreconditionError, match="Attempting to use uninitialized value v"):
        run("ScatterAdd", [Ref("v"), np.array([0]), np.float32(1)])
    ctx = KernelContext("k", "ResourceScatterAdd", {}, "CPU", {})
    with pytest.raises(errors.NotFoundError) as caught:
        lookup_kernel("ResourceScatterAdd", "CPU")(ctx, [ResourceHandle("r"), np.array([0]), np.float32(1)])
    assert caught.value.message == "Container localhost does not exist. (Could not find resource: localhost/r)"
    # a reference variable's op that ran made the container (TF's VariableV2 creates it)
    ctx.resources[("var", "v")] = Ref("v")
    with pytest.raises(errors.NotFoundError) as caught:
        lookup_kernel("ResourceScatterAdd", "CPU")(ctx, [ResourceHandle("r"), np.array([0]), np.float32(1)])
    assert caught.value.message == "Resource localhost/r/N10tensorflow3VarE does not exist."


def test_scatter_update_of_strings_and_bools() -> None:
    strings = scatter("update", np.array([b"a", b"b"], dtype=object), [1, 1], np.array([b"x", b"y"], dtype=object))
    assert strings.tolist() == [b"a", b"y"]
    assert scatter("update", np.array([True, False]), [0], np.bool_(False), resource=True).tolist() == [False, False]


# -- the CUDA kernels (numba's simulator where there is no GPU) ---------------------------------

@pytest.fixture
def gpu() -> Iterator[None]:
    """The CUDA kernels loaded, the simulator accepted as a GPU for the test's duration."""
    from reference_impl.kernels import cuda

    if not cuda.numba_installed():
        pytest.skip("numba-cuda is not installed")
    from reference_impl.kernels.cuda import runtime

    cuda.load(allow_simulator=True)
    try:
        yield
    finally:
        runtime.accept_simulator(False)


@pytest.mark.usefixtures("gpu")
@pytest.mark.parametrize("dt", sorted(SCATTER_DIGESTS))
def test_gpu_scatter_gives_the_cpus_serial_order(dt: str) -> None:
    # TF's GPU atomics add a row's updates in no fixed order; the reference's GPU kernels are
    # deterministic, with the CPU's order, so they give TF's CPU bits
    assert scatter_digest(dt, "GPU") == SCATTER_DIGESTS[dt]


@pytest.mark.usefixtures("gpu")
@pytest.mark.parametrize("dt", sorted(set(UNIQUE_DIGESTS) - {"float16"}))
def test_gpu_unique_matches_tensorflow(dt: str) -> None:
    assert unique_digest(dt, "GPU") == UNIQUE_DIGESTS[dt]


@pytest.mark.usefixtures("gpu")
def test_gpu_unique_merges_float16_zeros() -> None:
    # TF's GPU kernel sorts (CUB: -0.0 and 0.0 one key) and compares with !=: one value, the
    # first met; NaNs stay apart
    x = np.array([0.0, -0.0, 1.0, -0.0, np.nan, np.nan, 0.0], np.float16)
    y, idx = unique(x, device="GPU")
    assert bits(y) == [0, 0x3C00, 0x7E00, 0x7E00] and idx.tolist() == [0, 0, 1, 0, 2, 3, 0]
    y, idx = unique(np.array([-0.0, 2.0, 0.0], np.float16), device="GPU")
    assert bits(y) == [0x8000, 0x4000] and idx.tolist() == [0, 1, 0]


@pytest.mark.usefixtures("gpu")
def test_gpu_unique_of_strings_and_errors_as_the_cpu() -> None:
    y, idx = unique(np.array([b"b", b"a", b"b"], dtype=object), device="GPU")
    assert y.tolist() == [b"b", b"a"] and idx.tolist() == [0, 1, 0]
    with pytest.raises(errors.InvalidArgumentError, match="unique expects a 1D vector."):
        unique(np.zeros((2, 2), np.float32), device="GPU")


@pytest.mark.usefixtures("gpu")
def test_gpu_scatter_skips_indices_out_of_range() -> None:
    # TF's GPU functor checks no index: the others' updates are all applied
    p = np.zeros((3, 2), np.float32)
    out = scatter("add", p, [[0, 1], [1, 3]], np.float32(1), device="GPU")
    assert out.tolist() == [[1, 1], [2, 2], [0, 0]]
    out = scatter("update", p, [5, -1, 2, 2], np.arange(8, dtype=np.float32).reshape(4, 2), True, "GPU")
    assert out.tolist() == [[0, 0], [0, 0], [6, 7]]
    out = scatter("sub", p, [-4], np.ones((1, 2), np.float32), device="GPU")
    assert not out.any()


@pytest.mark.usefixtures("gpu")
@pytest.mark.parametrize("kind", ["add", "sub", "update"])
def test_gpu_ftz_nans_and_shape_errors_as_the_cpu(kind: str) -> None:
    p = np.array([1e-40, -1e-40, 2e-38, 5.0, 3e-38], np.float32).reshape(5, 1)
    u = np.array([0.0, 0.0, -1.5e-38, 1e-40, -2.9e-38, 1.2e-38, 2e-38], np.float32).reshape(7, 1)
    for resource in (False, True):
        assert bits(scatter(kind, p, [0, 1, 2, 3, 4, 2, 4], u, resource, "GPU")) == \
            bits(scatter(kind, p, [0, 1, 2, 3, 4, 2, 4], u, resource))
        assert bits(scatter(kind, p.ravel(), [0, 4, 4], np.float32(-1.5e-38), resource, "GPU")) == \
            bits(scatter(kind, p.ravel(), [0, 4, 4], np.float32(-1.5e-38), resource))
    n = f32(0x7FC00001, 0x3F800000)
    assert bits(scatter(kind, n, [1, 1], f32(0x7FC00007)[0], device="GPU")) == \
        bits(scatter(kind, n, [1, 1], f32(0x7FC00007)[0]))
    for op, shape, indices, updates_shape, message in ERRORS:
        if op.endswith(OPS[kind]) and "indices[" not in message and "indices =" not in message:
            holder: Any = (ResourceHandle("r", np.zeros(shape, np.float32)) if op.startswith("Resource")
                           else Ref("v", np.zeros(shape, np.float32)))
            with pytest.raises(errors.InvalidArgumentError) as caught:
                run(op, [holder, np.asarray(indices), np.ones(updates_shape, np.float32)], {}, "GPU")
            assert caught.value.message == message


@pytest.mark.usefixtures("gpu")
def test_gpu_kernels_cover_every_element_with_several_blocks_and_threads() -> None:
    from reference_impl.kernels.cuda import runtime

    p = pattern("float32", 7 * 3, 5).reshape(7, 3)
    u = pattern("float32", 40 * 3, 9).reshape(40, 3)
    idx = pattern_indices(40, 7)
    with runtime.launch_shape(2, 3):
        for kind in ("add", "sub", "update"):
            assert bits(scatter(kind, p, idx, u, device="GPU")) == bits(scatter(kind, p, idx, u))
        x = unique_values("int32", 50)
        assert [a.tolist() for a in unique(x, device="GPU")] == [a.tolist() for a in unique(x)]


@pytest.mark.usefixtures("gpu")
def test_gpu_ref_kernel_updates_the_device_value_in_place() -> None:
    from reference_impl.kernels.cuda import runtime

    value = runtime.to_device(np.zeros((2, 2), np.float32))
    ref = Ref("v", value)
    run("ScatterAdd", [ref, np.array([1]), np.float32(2)], {}, "GPU")
    assert ref.value is value and host(value).tolist() == [[0, 0], [2, 2]]
