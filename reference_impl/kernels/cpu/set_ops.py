"""CPU kernel: ``ListDiff`` (``tf.setdiff1d``). TensorFlow registers it for the CPU only, so it
has no GPU twin (an op placed on a GPU runs it on the host, as TF's placer does)."""

from __future__ import annotations

import numpy as np

from ... import errors
from ..registry import KernelContext, register_kernel


@register_kernel("ListDiff")
def list_diff(ctx: KernelContext, inputs: list) -> list:
    """``(out, idx)``: the values of ``x`` not in ``y``, in ``x``'s order and with repeats, and
    their positions in ``x`` (of type ``out_idx``). Values compare as C++'s ``==`` and hash
    compare them in TF's ``std::unordered_set``: -0.0 and 0.0 are the same value, and a NaN is
    never in ``y`` (so every NaN of ``x`` is kept)."""
    x, y = np.asarray(inputs[0]), np.asarray(inputs[1])
    if x.ndim != 1:
        raise errors.InvalidArgumentError(None, None, "x should be a 1D vector.")
    if y.ndim != 1:
        raise errors.InvalidArgumentError(None, None, "y should be a 1D vector.")
    keep = ~np.isin(x, y)
    if x.dtype.kind in "fc":
        keep |= np.isnan(x)  # (np.isin already finds no NaN; this says so)
    out_idx = ctx.attrs.get("out_idx")
    idx_dtype = out_idx.as_numpy_dtype if out_idx is not None else np.int32
    return [x[keep], np.flatnonzero(keep).astype(idx_dtype)]
