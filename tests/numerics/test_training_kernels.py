"""The fast paths of the training kernels give the specification's bits: the ApplyAdam kernel
(compiled loop when numba is there, numpy into scratch arrays otherwise) against TF's Eigen
expression written out in numpy, and the session's buffer reuse against fresh outputs."""

from __future__ import annotations

import numpy as np
import pytest

import reference_impl.compat.v1 as tf
from reference_impl.kernels.cpu import optional_jit, state, training
from reference_impl.kernels.registry import KernelContext, Ref

N = optional_jit.MIN_SIZE + 3  # large enough for the compiled loop, not a multiple of a packet


def _eigen_adam(var, m, v, grad, scalars, nesterov):  # type: ignore[no-untyped-def]
    """training_ops.cc's ApplyAdam, one numpy operation per Eigen operation."""
    dt = var.dtype.type
    b1p, b2p, lr, beta1, beta2, eps = (dt(s) for s in scalars)
    one = dt(1)
    alpha = lr * np.sqrt(one - b2p) / (one - b1p)
    m += (grad - m) * (one - beta1)
    v += (np.square(grad) - v) * (one - beta2)
    if nesterov:
        var -= ((grad * (one - beta1) + beta1 * m) * alpha) / (np.sqrt(v) + eps)
    else:
        var -= (m * alpha) / (np.sqrt(v) + eps)


@pytest.mark.parametrize("compiled", [True, False])
@pytest.mark.parametrize("nesterov", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_apply_adam_paths_are_bit_identical(monkeypatch, compiled, nesterov, dtype):
    if compiled and optional_jit.load("training_jit") is None:
        pytest.skip("numba is not installed")
    if not compiled:
        monkeypatch.setitem(optional_jit._loaded, "training_jit", None)
    rng = np.random.default_rng(7)
    start = [rng.standard_normal(N).astype(dtype) for _ in range(2)]
    start.append(np.abs(rng.standard_normal(N)).astype(dtype))
    want = [a.copy() for a in start]
    refs = [Ref(name, a.copy()) for name, a in zip(("var", "m", "v"), start)]
    ctx = KernelContext("adam", "ApplyAdam", {"use_nesterov": nesterov})
    for step in range(1, 4):
        grad = (rng.standard_normal(N) * step).astype(dtype)
        scalars = (0.9 ** step, 0.999 ** step, 0.001, 0.9, 0.999, 1e-8)
        training.apply_adam(ctx, refs + [dtype(s) for s in scalars] + [grad])
        _eigen_adam(*want, grad, scalars, nesterov)
    for ref, expected in zip(refs, want):
        assert ref.value.tobytes() == expected.tobytes()


def _with_denormals(rng, dtype, scale=1.0):  # type: ignore[no-untyped-def]
    """Normals, with a sixth of the elements denormal (either sign), zeros of either sign, or
    just above the smallest normal, where an update can land below it."""
    tiny = np.finfo(dtype).tiny
    a = (rng.standard_normal(N) * scale).astype(dtype)
    at = rng.choice(N, N // 6, replace=False)
    specials = np.array([tiny / 3, -tiny / 5, 0.0, -0.0, tiny * 1.05, -tiny * 1.01, tiny], dtype)
    a[at] = specials[np.arange(at.size) % specials.size]
    return a


@pytest.mark.parametrize("nesterov", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_adam_flushing_in_its_compiled_pass_gives_the_scans_bits(monkeypatch, nesterov, dtype):
    """The compiled ApplyAdam flushes as it goes (one pass); the numpy kernel is flushed by the
    generic FTZ wrapper (scans of every input and output). Same bits, signed zeros included."""
    if optional_jit.load("training_jit") is None:
        pytest.skip("numba is not installed")
    rng = np.random.default_rng(11)
    start = [_with_denormals(rng, dtype) for _ in range(2)]
    start.append(np.abs(_with_denormals(rng, dtype)))
    ctx = KernelContext("adam", "ApplyAdam", {"use_nesterov": nesterov})
    tiny = np.finfo(dtype).tiny
    results = []
    for compiled in (True, False):
        if not compiled:
            monkeypatch.setitem(optional_jit._loaded, "training_jit", None)
        refs = [Ref(name, a.copy()) for name, a in zip(("var", "m", "v"), start)]
        for step in range(1, 4):
            grad = _with_denormals(np.random.default_rng(step), dtype, scale=1e-30 if dtype == np.float32 else 1e-300)
            scalars = (0.9 ** step, 0.999 ** step, 0.001, 0.9, 0.999, tiny / 2)  # eps: denormal
            with np.errstate(all="ignore"):  # eps flushed: 0 / 0 where v is zero, on both paths
                training.apply_adam(ctx, refs + [dtype(s) for s in scalars] + [grad])
        results.append([ref.value.tobytes() for ref in refs])
        for ref in refs:
            flushed = ref.value[(ref.value != 0) & np.isfinite(ref.value)]
            assert not (np.abs(flushed) < tiny).any()
    assert results[0] == results[1]


@pytest.mark.parametrize("op, attrs", [("ApplyGradientDescent", {}), ("ApplyMomentum", {"use_nesterov": False}),
                                       ("ApplyMomentum", {"use_nesterov": True})])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gradient_descent_and_momentum_flushing_in_their_compiled_pass_give_the_scans_bits(
        monkeypatch, op, attrs, dtype):
    if optional_jit.load("training_jit") is None:
        pytest.skip("numba is not installed")
    kernel = training.apply_gradient_descent if op == "ApplyGradientDescent" else training.apply_momentum
    rng = np.random.default_rng(13)
    tiny = np.finfo(dtype).tiny
    scale = 1e-37 if dtype == np.float32 else 1e-307
    var0, accum0 = (_with_denormals(rng, dtype, scale) for _ in range(2))
    results = []
    for compiled in (True, False):
        if not compiled:
            monkeypatch.setitem(optional_jit._loaded, "training_jit", None)
        refs = [Ref("var", var0.copy())] + ([Ref("accum", accum0.copy())] if op == "ApplyMomentum" else [])
        ctx = KernelContext("u", op, attrs)
        for step in range(1, 4):
            grad = _with_denormals(np.random.default_rng(step), dtype, scale)
            lr = dtype(0.5 / step)
            inputs = [refs[0], lr, grad] if op == "ApplyGradientDescent" else [*refs, lr, grad, dtype(tiny * 3)]
            with np.errstate(all="ignore"):
                assert kernel(ctx, inputs) == [refs[0]]
        results.append([ref.value.tobytes() for ref in refs])
        for ref in refs:
            nonzero = ref.value[ref.value != 0]
            assert not (np.abs(nonzero) < tiny).any()
    assert results[0] == results[1]


@pytest.mark.parametrize("alias", [False, True])
@pytest.mark.parametrize("op", ["AssignAdd", "AssignSub"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_assign_add_sub_flushing_in_one_compiled_pass_gives_the_scans_bits(monkeypatch, alias, op, dtype):
    """AssignAdd / AssignSub compiled (flushing as they go) against numpy flushed by the generic
    FTZ wrapper; ``alias``: the value is the variable's own storage (a read of it)."""
    if optional_jit.load("training_jit") is None:
        pytest.skip("numba is not installed")
    kernel = state.assign_add if op == "AssignAdd" else state.assign_sub
    rng = np.random.default_rng(5)
    start = _with_denormals(rng, dtype, scale=1e-37 if dtype == np.float32 else 1e-307)
    delta = _with_denormals(rng, dtype, scale=1e-37 if dtype == np.float32 else 1e-307)
    tiny = np.finfo(dtype).tiny
    results = []
    for compiled in (True, False):
        if not compiled:
            monkeypatch.setitem(optional_jit._loaded, "training_jit", None)
        ref = Ref("var", start.copy())
        for _ in range(2):
            value = ref.value if alias else delta
            assert kernel(KernelContext("u", op, {}), [ref, value]) == [ref]
        results.append(ref.value.tobytes())
        nonzero = ref.value[ref.value != 0]
        assert not (np.abs(nonzero) < tiny).any()
    assert results[0] == results[1]


def test_reused_buffers_never_alias_variables_feeds_or_fetches():
    tf.reset_default_graph()
    a = np.arange(1 << 15, dtype=np.float32)
    v = tf.Variable(a)
    p = tf.placeholder(tf.float32, [1 << 15])
    shared = v + 0.0
    chained = (v - 1.0) * 2.0  # the product may reuse the difference's buffer
    outs = [chained, v * 1.0, p * 3.0, shared, shared * 2.0]
    with tf.Session() as sess:
        sess.run(v.initializer)
        fed = a.copy()
        got = sess.run(outs, {p: fed})
        assert np.array_equal(fed, a)
        assert np.array_equal(sess.run(v), a)
    for out, want in zip(got, [(a - 1) * 2, a, a * 3, a, a * 2]):
        assert out.tobytes() == want.astype(np.float32).tobytes()
