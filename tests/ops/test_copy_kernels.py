"""The in-place Pad / MirrorPad / ConcatV2 kernels against numpy's definitions of the same results,
for every padding of small shapes, and with the copies cut among threads."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from reference_impl.kernels.cpu import concat as concat_k
from reference_impl.kernels.cpu import pad as pad_k
from reference_impl.kernels.cpu import parallel
from reference_impl.kernels.registry import KernelContext


@pytest.mark.parametrize("mode,offset", [("REFLECT", 1), ("SYMMETRIC", 0)])
@pytest.mark.parametrize("shape", [(), (1,), (3,), (2, 3), (3, 1, 4), (2, 3, 2)])
def test_mirror_pad_every_valid_padding(shape: tuple[int, ...], mode: str, offset: int) -> None:
    x = np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape)
    ctx = KernelContext("m", "MirrorPad", {"mode": mode})
    sides = [list(itertools.product(range(d - offset + 1), repeat=2)) for d in shape]
    for pads in itertools.product(*sides):
        p = np.array(pads, np.int32).reshape(len(shape), 2)
        got = pad_k.mirror_pad(ctx, [x, p])[0]
        want = np.pad(x, p, mode=mode.lower()) if shape else x  # np.pad refuses a scalar
        assert got.shape == want.shape and np.array_equal(got, want), p.tolist()


@pytest.mark.parametrize("threaded", [False, True])
def test_copies_cut_among_threads_give_the_same_result(threaded: bool,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0 if threaded else 1 << 62)
    monkeypatch.setattr(parallel, "cpus", lambda: 3)  # uneven chunks
    rng = np.random.default_rng(7)
    x = rng.standard_normal((37, 11, 5)).astype(np.float32)
    y = rng.standard_normal((37, 4, 5)).astype(np.float32)
    p = np.array([[2, 1], [0, 3], [4, 4]], np.int32)
    padded = pad_k.pad_v2(KernelContext("p", "PadV2"), [x, p, np.float32(-1.5)])[0]
    assert np.array_equal(padded, np.pad(x, p, constant_values=np.float32(-1.5)))
    mirrored = pad_k.mirror_pad(KernelContext("m", "MirrorPad", {"mode": "REFLECT"}), [x, p])[0]
    assert np.array_equal(mirrored, np.pad(x, p, mode="reflect"))
    for axis, parts in [(1, [x, y, x]), (0, [x, x]), (-1, [x, x[..., :2]])]:
        got = concat_k.concat_v2(KernelContext("c", "ConcatV2"), parts + [np.int32(axis)])[0]
        assert np.array_equal(got, np.concatenate(parts, axis))
