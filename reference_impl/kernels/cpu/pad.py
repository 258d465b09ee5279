"""Pad, PadV2 and MirrorPad kernels, with TF's run-time checks and messages.

The output is allocated once and written in place: the input into the interior (cut among the
CPUs when large), then only the borders; mirrored borders are reversed slice copies of what is
already written, one axis after the other. np.pad would build the result through a generic
path with extra passes over the output.
"""

from __future__ import annotations

import numpy as np

from ... import errors
from ..registry import KernelContext, register_kernel
from ..shape_text import debug_string
from . import parallel


def _paddings(x: np.ndarray, paddings: np.ndarray, mirror: bool = False) -> np.ndarray:
    """The paddings as int64, checked as TF's PadOp (or MirrorPadOp, whose message has a
    comma between the shapes) checks them."""
    p = np.asarray(paddings)
    if p.ndim != 2 or p.shape[1] != 2:
        raise errors.InvalidArgumentError(
            None, None, f"paddings must be a matrix with 2 columns: {debug_string(p.shape)}")
    if p.shape[0] != x.ndim:
        raise errors.InvalidArgumentError(
            None, None, "The first dimension of paddings must be the rank of inputs"
            f"{debug_string(p.shape)}{', ' if mirror else ' '}{debug_string(x.shape)}")
    return p.astype(np.int64)


def _constant(x: np.ndarray, p: np.ndarray, value: object) -> np.ndarray:
    for before, after in p:
        if before < 0 or after < 0:
            raise errors.InvalidArgumentError(None, None,
                                              f"Paddings must be non-negative: {before} {after}")
    out, inner = _with_interior(x, p)
    for axis, (before, after) in enumerate(p):  # fill only the borders
        lead = inner[:axis]
        if before:
            out[lead + (slice(0, int(before)),)] = value
        if after:
            out[lead + (slice(out.shape[axis] - int(after), None),)] = value
    return out


def _with_interior(x: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, tuple[slice, ...]]:
    """A new padded-size array with ``x`` copied into its interior, and the interior's slices."""
    out = parallel.empty(tuple(int(d + a + b) for d, (a, b) in zip(x.shape, p)), x.dtype)
    inner = tuple(slice(int(a), int(a) + d) for d, (a, _b) in zip(x.shape, p))
    parallel.assign(out[inner] if inner else out, x)  # a scalar's out[()] would be a copy
    return out, inner


def _mirror(x: np.ndarray, p: np.ndarray, offset: int) -> np.ndarray:
    """REFLECT (``offset`` 1: the edge is not repeated) or SYMMETRIC (0) padding.

    Axis by axis, each border is the reversed slice next to it, taken over the full (already
    padded) extent of the earlier axes and the interior of the later ones, so the corners come
    out as TF's per-axis index mapping gives them.
    """
    out, inner = _with_interior(x, p)
    for axis, (before, after) in enumerate(p):
        before, after = int(before), int(after)
        lead = (slice(None),) * axis
        rest = inner[axis + 1:]
        end = before + x.shape[axis]  # one past the interior along this axis
        if before:
            src = slice(2 * before - 1 + offset, before - 1 + offset, -1)
            out[lead + (slice(0, before),) + rest] = out[lead + (src,) + rest]
        if after:
            stop = end - 1 - offset - after
            src = slice(end - 1 - offset, stop if stop >= 0 else None, -1)
            out[lead + (slice(end, end + after),) + rest] = out[lead + (src,) + rest]
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
    p = _paddings(x, inputs[1], mirror=True)
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
    return [_mirror(x, p, offset)]
