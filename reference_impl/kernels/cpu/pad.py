"""Pad, PadV2, MirrorPad and MirrorPadGrad kernels, with TF's run-time checks and messages.

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


def mirror_pad_grad_sizes(grad_shape: tuple[int, ...], paddings: np.ndarray, mode: str) -> list[int]:
    """The output dimensions of MirrorPadGrad, checked as TF's MirrorPadGradOp checks them."""
    p = np.asarray(paddings)
    if p.ndim != 2 or p.shape[1] != 2:
        raise errors.InvalidArgumentError(
            None, None, f"paddings must be a matrix with 2 columns: {debug_string(p.shape)}")
    if p.shape[0] != len(grad_shape):
        raise errors.InvalidArgumentError(
            None, None, "The first dimension of paddings must be the rank of inputs"
            f"{debug_string(p.shape)} {debug_string(grad_shape)}")
    sizes = []
    for in_size, (before, after) in zip(grad_shape, p.astype(np.int64).tolist()):
        if before < 0 or after < 0:
            raise errors.InvalidArgumentError(None, None, f"Paddings must be non-negative: {before}, {after}")
        total = before + after
        if not total < in_size:
            raise errors.InvalidArgumentError(
                None, None, f"Total paddings must be less than the input dimension size: {total} was not "
                            f"less than {in_size}")
        out = in_size - total
        if mode == "SYMMETRIC" and (before > out or after > out):
            raise errors.InvalidArgumentError(
                None, None, f"paddings must be no greater than the output dimension size: {before}, "
                            f"{after} greater than {out}")
        if mode == "REFLECT" and (before >= out or after >= out):
            raise errors.InvalidArgumentError(
                None, None, f"paddings must be less than the output dimension size: {before}, {after} "
                            f"not less than {out}")
        sizes.append(out)
    return sizes


def fold_steps(shape: tuple[int, ...], paddings: np.ndarray, offset: int) -> list[tuple]:
    """TF's MirrorPadGrad functor as a list of ``(axis, target_start, source_start, extents,
    lead)``: axis by axis, the gradient's border [0, before) is added reversed onto
    [before + offset, 2 before + offset) and [n - after, n) onto [n - 2 after - offset,
    n - after - offset), over the already folded interior of the earlier axes (``lead``: their
    interior starts) and the whole of the later ones."""
    steps = []
    lead: list[int] = []
    extents = list(shape)
    for axis, (before, after) in enumerate(np.asarray(paddings).astype(np.int64).tolist()):
        n = shape[axis]
        if before > 0:
            steps.append((axis, before + offset, 0, extents[:axis] + [before] + extents[axis + 1:], list(lead)))
        if after > 0:
            steps.append((axis, n - 2 * after - offset, n - after,
                          extents[:axis] + [after] + extents[axis + 1:], list(lead)))
        lead.append(before)
        extents[axis] = n - before - after
    return steps


@register_kernel("MirrorPadGrad")
def mirror_pad_grad(ctx: KernelContext, inputs: list) -> list:
    g = np.asarray(inputs[0])
    p = np.asarray(inputs[1])
    mode = ctx.attrs["mode"]
    sizes = mirror_pad_grad_sizes(g.shape, p, mode)
    if tuple(sizes) == g.shape:
        return [g]
    scratch = g.copy()
    for axis, target, source, extents, lead in fold_steps(g.shape, p, 0 if mode == "SYMMETRIC" else 1):
        region = [slice(a, a + e) for a, e in zip(lead, extents[:axis])]
        rest = [slice(0, e) for e in extents[axis + 1:]]
        width = extents[axis]
        src = scratch[tuple(region + [slice(source, source + width)] + rest)]
        scratch[tuple(region + [slice(target, target + width)] + rest)] += np.flip(src, axis)
    befores = np.asarray(p).astype(np.int64)[:, 0]
    return [np.ascontiguousarray(scratch[tuple(slice(int(b), int(b) + n) for b, n in zip(befores, sizes))])]
