"""Pad, PadV2 and MirrorPad kernels, with TF's run-time checks and messages."""

from __future__ import annotations

import numpy as np

from ... import errors
from ..registry import KernelContext, register_kernel


def _paddings(x: np.ndarray, paddings: np.ndarray) -> np.ndarray:
    p = np.asarray(paddings)
    if p.ndim != 2 or p.shape[1] != 2 or p.shape[0] != x.ndim:
        raise errors.InvalidArgumentError(
            None, None, "The first dimension of paddings must be the rank of inputs"
            f"{list(p.shape)}, {list(x.shape)}")
    return p.astype(np.int64)


def _constant(x: np.ndarray, p: np.ndarray, value: object) -> np.ndarray:
    for before, after in p:
        if before < 0 or after < 0:
            raise errors.InvalidArgumentError(None, None,
                                              f"Paddings must be non-negative: {before} {after}")
    out = np.empty(tuple(int(d + a + b) for d, (a, b) in zip(x.shape, p)), x.dtype)
    inner = tuple(slice(int(a), int(a) + d) for d, (a, _b) in zip(x.shape, p))
    out[inner] = x
    for axis, (before, after) in enumerate(p):  # fill only the borders
        lead = inner[:axis]
        if before:
            out[lead + (slice(0, int(before)),)] = value
        if after:
            out[lead + (slice(out.shape[axis] - int(after), None),)] = value
    return out


@register_kernel("Pad")
def pad(ctx: KernelContext, inputs: list) -> list:
    x = np.asarray(inputs[0])
    return [_constant(x, _paddings(x, inputs[1]), 0)]


@register_kernel("PadV2")
def pad_v2(ctx: KernelContext, inputs: list) -> list:
    x = np.asarray(inputs[0])
    return [_constant(x, _paddings(x, inputs[1]), np.asarray(inputs[2]).item())]


@register_kernel("MirrorPad")
def mirror_pad(ctx: KernelContext, inputs: list) -> list:
    x = np.asarray(inputs[0])
    p = _paddings(x, inputs[1])
    mode = ctx.attrs["mode"]
    offset = 0 if mode == "SYMMETRIC" else 1
    for d, (before, after) in zip(x.shape, p):
        if before < 0 or after < 0:
            raise errors.InvalidArgumentError(None, None,
                                              f"Paddings must be non-negative: {before} {after}")
        if offset == 1 and (before >= d or after >= d):
            raise errors.InvalidArgumentError(
                None, None, f"paddings must be less than the dimension size: {before}, {after} "
                            f"not less than {d}")
        if offset == 0 and (before > d or after > d):
            raise errors.InvalidArgumentError(
                None, None, f"paddings must be no greater than the dimension size: {before}, "
                            f"{after} greater than {d}")
    return [np.pad(x, [(int(a), int(b)) for a, b in p],
                   mode="reflect" if offset else "symmetric")]
