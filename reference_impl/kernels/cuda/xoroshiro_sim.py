"""numba's xoroshiro128+ device functions for the CUDA simulator, on Python ints.

Under the simulator the random kernels call numba's own generator functions (``numba/cuda/
random.py``) as Python code, and those cast every intermediate through numba's type objects
(``uint64(x)``: a ``Type.__call__``, an isinstance check, a ``getattr(np, name)``) to numpy
scalars, and read and write each state field through a structured-array element: about 30 µs a
normal draw, 10 s for a 784x200 tensor. The functions here compute the same states and the same
values bit for bit (tests/cuda checks them against numba's) with Python ints masked to 64 bits,
a state read and written once a draw through a uint64 view of the state array, and float32
rounding only where numba's arithmetic rounds to float32.

What numba computes, step by step (numpy >= 2 promotion rules, NEP 50):

* ``xoroshiro128p_next``: ``s0 + s1`` in uint64 (wrapping), then the xoroshiro128+ update with
  rotations 55 and 36 and shift 14; returns a ``np.uint64``.
* ``uint64_to_unit_float64``: ``(x >> 11) * (1.0 / 2**53)``: a 53-bit integer converted exactly
  and scaled by a power of two, so exact; ``np.float64``.
* ``uint64_to_unit_float32``: that float64 rounded once to float32 (it can round up to 1.0).
* ``xoroshiro128p_normal_float32``: two float32 uniforms ``u1, u2``;
  ``-float32(2.0) * math.log(u1)`` is float32 arithmetic (the Python float ``log(u1)`` is
  rounded to float32, then doubled exactly); ``TWO_PI_FLOAT32 * u2`` is a float32 product
  (exact in float64, then rounded once); ``math.sqrt`` and ``math.cos`` of those, and their
  product, are Python floats (float64): the function returns a Python float.
* ``xoroshiro128p_normal_float64``: the same float32 uniforms, everything after in float64
  (``np.float64`` arithmetic is Python float arithmetic); returns a Python float.

States that are not a plain host array (the simulator's own threads, ``TFCONF_CUDASIM_THREADS=1``,
hand kernels wrapped arrays) go through numba's functions as plain Python (`_PLAIN`).
"""

from __future__ import annotations

import math
import struct
import types
from typing import Any

import numpy as np
from numba.cuda import random as numba_random

_MASK64 = (1 << 64) - 1
# float64(1) / (uint64(1) << 53): exactly 2**-53.
_UNIT = 1.0 / (1 << 53)
_TWO_PI_FLOAT32 = float(numba_random.TWO_PI_FLOAT32)
_TWO_PI_FLOAT64 = float(numba_random.TWO_PI_FLOAT64)
# xoroshiro128+'s jump polynomial (2**64 steps), as numba's xoroshiro128p_jump spells it.
_JUMP = (0xBEAC0467EBA5FACB, 0xD86B048B86AA9922)

# Rounding Python floats to float32 through struct: packing a double as "f" is C's
# (float)double cast, round-to-nearest-even as numpy's float32 conversion; two at once because
# each draw rounds its values in pairs. (No shared scratch buffer: ops may run on several
# threads.) The values rounded here are far from float32's range limits.
_PAIR = struct.Struct("ff")
_pack_pair, _unpack_pair = _PAIR.pack, _PAIR.unpack


def plain_python_generator() -> dict[str, Any]:
    """numba's xoroshiro128+ functions as plain Python functions calling each other.

    Under the simulator numba compiles each of them in object mode on its first call (seconds
    per process) and dispatches every later call through that compiled object-mode code, which
    runs the same Python operations on the same numpy scalars. Their own Python functions,
    rebound to call one another, give the same states and draws without compiling."""
    names = {k for k, v in vars(numba_random).items() if hasattr(v, "py_func")}
    space = dict(vars(numba_random))
    for name in names:
        fn = space[name].py_func
        space[name] = types.FunctionType(fn.__code__, space, fn.__name__, fn.__defaults__,
                                         fn.__closure__)
    return space


_PLAIN = plain_python_generator()

# The last state array seen and its uint64 view, as one tuple so that a thread reads a
# consistent pair. A kernel draws from one state array many times in a row; the view
# (memoryview indexing gives and takes Python ints) costs a microsecond to build. The cache
# keeps that array alive, so its identity cannot be reused by another array meanwhile.
_last: tuple[Any, memoryview | None] = (None, None)


def _words(states: Any) -> memoryview | None:
    """``states`` as 64-bit words (thread i's ``s0`` at ``2 * i``, ``s1`` at ``2 * i + 1``), or
    None where it is not a contiguous host array of numba's state dtype."""
    global _last
    if (type(states) is not np.ndarray or states.dtype != numba_random.xoroshiro128p_dtype
            or states.ndim != 1 or not states.flags.c_contiguous):
        return None
    words = memoryview(states.view(np.uint64))
    _last = (states, words)
    return words


def _step(s0: int, s1: int) -> tuple[int, int]:
    """The state after one xoroshiro128+ step (numba's rotl(s0, 55), rotl(s1, 36), s1 << 14)."""
    s1 ^= s0
    return (((s0 << 55) | (s0 >> 9)) ^ s1 ^ (s1 << 14)) & _MASK64, \
        ((s1 << 36) | (s1 >> 28)) & _MASK64


def _state_words(states: Any) -> memoryview | None:
    last = _last
    return last[1] if last[0] is states else _words(states)


def _next_output(states: Any, index: int) -> int | None:
    """Thread ``index``'s next 64-bit output, its state advanced one step; None where
    ``states`` is not a plain host array (the caller then uses numba's own function)."""
    words = _state_words(states)
    if words is None:
        return None
    i = 2 * index
    s0, s1 = words[i], words[i + 1]
    words[i], words[i + 1] = _step(s0, s1)
    return (s0 + s1) & _MASK64


def xoroshiro128p_next(states: Any, index: int) -> np.uint64:
    x = _next_output(states, index)
    return _PLAIN["xoroshiro128p_next"](states, index) if x is None else np.uint64(x)


def xoroshiro128p_uniform_float64(states: Any, index: int) -> np.float64:
    x = _next_output(states, index)
    if x is None:
        return _PLAIN["xoroshiro128p_uniform_float64"](states, index)
    return np.float64((x >> 11) * _UNIT)


def xoroshiro128p_uniform_float32(states: Any, index: int) -> np.float32:
    x = _next_output(states, index)
    if x is None:
        return _PLAIN["xoroshiro128p_uniform_float32"](states, index)
    # np.float32 of the exact float64 value: numba's single rounding.
    return np.float32((x >> 11) * _UNIT)


def _two_uniforms(words: memoryview, index: int) -> tuple[float, float]:
    """Two float32 uniforms (as Python floats) from thread ``index``'s stream, advancing it by
    two steps with one read and one write of its state. Inlined steps: this is the hot path."""
    i = 2 * index
    s0, s1 = words[i], words[i + 1]
    x1 = (s0 + s1) & _MASK64
    s1 ^= s0
    s0 = (((s0 << 55) | (s0 >> 9)) ^ s1 ^ (s1 << 14)) & _MASK64
    s1 = ((s1 << 36) | (s1 >> 28)) & _MASK64
    x2 = (s0 + s1) & _MASK64
    s1 ^= s0
    words[i] = (((s0 << 55) | (s0 >> 9)) ^ s1 ^ (s1 << 14)) & _MASK64
    words[i + 1] = ((s1 << 36) | (s1 >> 28)) & _MASK64
    return _unpack_pair(_pack_pair((x1 >> 11) * _UNIT, (x2 >> 11) * _UNIT))


def xoroshiro128p_normal_float32(states: Any, index: int) -> float:
    words = _state_words(states)
    if words is None:
        return _PLAIN["xoroshiro128p_normal_float32"](states, index)
    u1, u2 = _two_uniforms(words, index)
    # float32(log(u1)) (doubled exactly below) and the float32 product 2pi * u2, both rounded
    # as numba's float32 arithmetic rounds them.
    log_u1, angle = _unpack_pair(_pack_pair(math.log(u1), _TWO_PI_FLOAT32 * u2))
    return math.sqrt(-2.0 * log_u1) * math.cos(angle)


def xoroshiro128p_normal_float64(states: Any, index: int) -> float:
    words = _state_words(states)
    if words is None:
        return _PLAIN["xoroshiro128p_normal_float64"](states, index)
    # numba draws float32 uniforms here too; the rest is float64.
    u1, u2 = _two_uniforms(words, index)
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(_TWO_PI_FLOAT64 * u2)


def init_xoroshiro128p_states(states: np.ndarray, seed: int) -> None:
    """numba's ``init_xoroshiro128p_states_cpu(states, seed, 0)``: SplitMix64 of the seed for
    the first state, each next one 2**64 steps (a jump) after the previous."""
    n = states.shape[0]
    if n == 0:
        return
    z = (int(np.uint64(seed)) + 0x9E3779B97F4A7C15) & _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    z ^= z >> 31
    s0 = s1 = z
    flat: list[int] = [s0, s1]
    for _ in range(1, n):
        j0 = j1 = 0
        for word in _JUMP:
            for b in range(64):
                if word >> b & 1:
                    j0 ^= s0
                    j1 ^= s1
                s0, s1 = _step(s0, s1)
        s0, s1 = j0, j1
        flat += (s0, s1)
    states.view(np.uint64)[:] = flat

