"""CPU kernels: ``Split`` and ``SplitV`` (``tf.split``; SplitV also in concat's gradient of more
than 16 tensors), with TF's run-time checks and messages (split_op.cc, split_v_op.cc).

`split_plan` and `split_v_plan` check the inputs and give the axis and the pieces' sizes; the
GPU twins use them too. (With ``num_split`` 1 Grappler makes either op an Identity of its input
before it runs, so their checks do not run then: reference_impl/grappler.py.)
"""

from __future__ import annotations

import numpy as np

from ... import errors
from ..registry import KernelContext, register_kernel


def _invalid(message: str) -> errors.InvalidArgumentError:
    return errors.InvalidArgumentError(None, None, message)


def _axis(orig: int, rank: int) -> int:
    axis = orig + rank if orig < 0 else orig
    if not 0 <= axis < rank:
        raise _invalid(f"-input rank(-{rank}) <= split_dim < input rank ({rank}), but got {orig}")
    return axis


def _int32(value: int) -> int:
    """``value`` as an int32 holds it (the kernels read split_dim as int32)."""
    return int(np.array(value).astype(np.int64).astype(np.int32))


def split_plan(shape: tuple, split_dim: np.ndarray, num_split: int) -> tuple[int, list[int]]:
    """Split's checks: (the axis, the pieces' sizes along it)."""
    if split_dim.ndim != 0:
        raise _invalid(f"split_dim must be a scalar but has rank {split_dim.ndim}")
    orig = _int32(split_dim.item())
    axis = _axis(orig, len(shape))
    if num_split <= 0:
        raise _invalid(f"Number of ways to split should be > 0, but got {num_split}")
    if shape[axis] % num_split:
        raise _invalid(f"Number of ways to split should evenly divide the split dimension, but got "
                       f"split_dim {axis} (size = {shape[axis]}) and num_split {num_split}")
    return axis, [shape[axis] // num_split] * num_split


def _wrap(value: int, dtype: np.dtype) -> int:
    """``value`` wrapped to the integer type ``dtype`` (TF adds the sizes in Tlen)."""
    info = np.iinfo(dtype)
    span = int(info.max) - int(info.min) + 1
    return (value - int(info.min)) % span + int(info.min)


def split_v_plan(shape: tuple, size_splits: np.ndarray, split_dim: np.ndarray,
                 num_split: int) -> tuple[int, list[int]]:
    """SplitV's checks, in TF's order: (the axis, the pieces' sizes along it, a -1 resolved)."""
    if split_dim.size != 1:
        raise _invalid("split_dim_tensor must have exactly one element.")
    orig = _int32(split_dim.reshape(-1)[0].item())
    if size_splits.ndim != 1 or size_splits.size != num_split:
        raise _invalid(f"size of the split_tensor must be 1-D and have the same elements as outputs "
                       f"got {size_splits.ndim} -D and {size_splits.size} elements")
    sizes = [int(v) for v in size_splits]
    if num_split <= 0:
        raise _invalid(f"Number of ways to split should be > 0, but got {num_split}")
    axis = _axis(orig, len(shape))
    dim = shape[axis]
    if num_split == 1:
        if sizes[0] != dim:
            raise _invalid(f"If there is only one output, it must have the same size as the input. "
                           f"Input size: {dim} output size: {sizes[0]}")
        return axis, [dim]
    neg_one, determined = -1, 0
    for d, size in enumerate(sizes):
        if size == -1:
            if neg_one != -1:
                raise _invalid("There can only be one -1 in the input.")
            neg_one = d
        else:
            determined = _wrap(determined + size, size_splits.dtype)
    if not ((neg_one == -1 and determined == dim) or (neg_one >= 0 and determined <= dim)):
        raise _invalid("Determined shape must either match input shape along split_dim exactly if "
                       "fully specified, or be less than the size of the input along split_dim if "
                       f"not fully specified.  Got: {determined}")
    if neg_one >= 0:
        sizes[neg_one] = dim - determined
    for i, size in enumerate(sizes):
        if size < 0:
            raise _invalid(f"Split size at index {i} must be >= 0. Got: {size}")
    return axis, sizes


def pieces(x: np.ndarray, axis: int, sizes: list[int]) -> list[np.ndarray]:
    """``x`` cut along ``axis`` into pieces of ``sizes`` (each its own contiguous array)."""
    out, at = [], 0
    lead = (slice(None),) * axis
    for size in sizes:
        out.append(np.ascontiguousarray(x[lead + (slice(at, at + size),)]))
        at += size
    return out


@register_kernel("Split")
def split(ctx: KernelContext, inputs: list) -> list:
    split_dim, x = np.asarray(inputs[0]), np.asarray(inputs[1])
    axis, sizes = split_plan(x.shape, split_dim, int(ctx.attrs["num_split"]))
    if len(sizes) == 1:
        return [x]
    return pieces(x, axis, sizes)


@register_kernel("SplitV")
def split_v(ctx: KernelContext, inputs: list) -> list:
    x, size_splits, split_dim = (np.asarray(v) for v in inputs)
    axis, sizes = split_v_plan(x.shape, size_splits, split_dim, int(ctx.attrs["num_split"]))
    if len(sizes) == 1:
        return [x]
    return pieces(x, axis, sizes)
