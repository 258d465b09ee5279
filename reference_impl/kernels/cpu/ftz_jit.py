"""Compiled (numba) scan for denormals, used by `reference_impl.kernels.ftz.flush`.

Every floating kernel's inputs and outputs are checked for denormals, nearly always to find
none. numpy's check (``abs``, a comparison, a count) makes two temporary arrays and three passes;
this is one pass without temporaries, which LLVM vectorises (an integer count, no early exit).
numba is optional: `optional_jit` loads this module once that pays, and ``flush`` falls back to numpy without it.
"""

from __future__ import annotations

from typing import Any

from numba import njit


@njit(cache=True, nogil=True)
def count_denormals(flat: Any, tiny: Any) -> int:
    """How many elements of the 1-D ``flat`` are denormal (0 < |x| < tiny; NaN is not)."""
    n = 0
    for i in range(flat.size):
        a = abs(flat[i])
        n += (a < tiny) & (a != 0)
    return n
