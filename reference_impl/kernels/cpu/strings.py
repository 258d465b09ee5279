"""CPU kernels: the string ops a sharded Saver's graph runs (StringJoin, StaticRegexFullMatch)."""

from __future__ import annotations

import functools
import re

import numpy as np

from ... import errors
from ..registry import KernelContext, register_kernel
from ..shape_text import debug_string


def _text(x: object) -> bytes:
    return x if isinstance(x, bytes) else str(x).encode("utf-8")


@register_kernel("StringJoin")
def string_join(ctx: KernelContext, inputs: list) -> list:
    """Element-wise concatenation with ``separator``; scalars stand for every element."""
    arrays = [np.asarray(x, dtype=object) for x in inputs]
    shape: tuple[int, ...] = ()
    for a in arrays:
        if a.ndim and not shape:
            shape = a.shape
        elif a.ndim and a.shape != shape:
            _invalid(f"Input shapes do not match: {debug_string(shape)} vs. {debug_string(a.shape)}")
    sep = _text(ctx.attrs["separator"])
    parts = [np.broadcast_to(a, shape).reshape(-1) for a in arrays]
    out = np.empty(int(np.prod(shape, dtype=np.int64)), dtype=object)
    for i in range(out.size):
        out[i] = sep.join(_text(p[i]) for p in parts)
    return [out.reshape(shape)]


@functools.lru_cache(maxsize=64)
def _compiled(pattern: bytes) -> re.Pattern[bytes]:
    # RE2's syntax for the patterns TF's own Python passes ("^s3://.*") is also Python's.
    try:
        return re.compile(pattern)
    except re.error as e:
        _invalid(f"Invalid pattern: {pattern.decode('utf-8', 'replace')}, error: {e}")
        raise


@register_kernel("StaticRegexFullMatch")
def static_regex_full_match(ctx: KernelContext, inputs: list) -> list:
    """Whether each string matches the ``pattern`` attr as a whole."""
    regex = _compiled(_text(ctx.attrs["pattern"]))
    x = np.asarray(inputs[0], dtype=object)
    out = np.array([regex.fullmatch(_text(s)) is not None for s in x.reshape(-1)], dtype=bool)
    return [out.reshape(x.shape)]


def _invalid(message: str) -> None:
    raise errors.InvalidArgumentError(None, None, message)

