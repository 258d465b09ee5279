"""Exact and toleranced comparison of numbers, with errors in ULPs and relative terms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

_INT = {2: np.int16, 4: np.int32, 8: np.int64}


@dataclass(frozen=True)
class NumericError:
    """How far an observed array is from another: worst ULP distance and relative error."""

    ulp: int
    rel: float

    def to_json(self) -> dict[str, Any]:
        return {"ulp": self.ulp, "rel": self.rel}


def from_json_values(values: Any) -> Any:
    """Undo `observe.float_json`: 'nan' / 'inf' / '-inf' strings back to floats."""
    if isinstance(values, list):
        return [from_json_values(v) for v in values]
    if values in ("nan", "inf", "-inf"):
        return float(values)
    return values


def _ordered(array: np.ndarray) -> np.ndarray:
    """Map floats to integers whose order and spacing follow the floats' (one ULP = 1).

    Floats are sign-magnitude; flipping negative ones to ``INT_MIN - bits`` makes them two's
    complement, so -0.0 and +0.0 meet at 0 and neighbours differ by one."""
    itype = _INT[array.dtype.itemsize]
    bits = np.ascontiguousarray(array).view(itype)
    return np.where(bits < 0, np.iinfo(itype).min - bits, bits)


_FAR = 2**62  # "unboundedly far": NaN against a number, or more ULPs apart than that


def ulp_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise distance in units of the last place (same float dtype), at most 2**62; NaN vs
    NaN is 0."""
    both_nan = np.isnan(a) & np.isnan(b)
    one_nan = np.isnan(a) ^ np.isnan(b)
    oa, ob = _ordered(a).astype(np.int64), _ordered(b).astype(np.int64)
    # In integers: through float64 the ordered values of float64 (up to 2**63) lose their low
    # bits, and neighbours came out 0 apart. hi - lo < 2**64 is exact modulo 2**64 in uint64.
    dist = np.maximum(oa, ob).astype(np.uint64) - np.minimum(oa, ob).astype(np.uint64)
    dist = np.minimum(dist, np.uint64(_FAR)).astype(np.int64)
    return np.where(both_nan, 0, np.where(one_nan, _FAR, dist))


def numeric_error(observed: np.ndarray, expected: np.ndarray) -> NumericError | None:
    """Worst ULP and relative error of ``observed`` against ``expected`` (floats only)."""
    if observed.dtype.kind != "f" or observed.shape != expected.shape:
        return None
    if observed.size == 0:
        return NumericError(0, 0.0)
    expected = expected.astype(observed.dtype)
    ulp = int(ulp_distance(observed, expected).max())
    with np.errstate(all="ignore"):
        diff = np.abs(observed.astype(np.float64) - expected.astype(np.float64))
        scale = np.abs(expected.astype(np.float64))
        rel = np.where(diff == 0, 0.0, diff / np.where(scale == 0, np.inf, scale))
        rel = np.where(np.isnan(rel), np.inf, rel)
    return NumericError(ulp, float(rel.max()))


def arrays_equal(observed: np.ndarray, expected: np.ndarray, tolerance: dict | None) -> bool:
    """Bit-exact equality (NaN equals NaN) unless a tolerance is given."""
    if observed.shape != expected.shape:
        return False
    if observed.dtype.kind == "f":
        expected = expected.astype(observed.dtype)
        if not tolerance:
            # 0 ULP apart is float equality with NaN equal to NaN (+0.0 and -0.0 are 0 apart):
            # one numpy call instead of the dozen of ulp_distance
            return bool(np.array_equal(observed, expected, equal_nan=True))
        return _within(observed, expected, tolerance)
    return bool(np.array_equal(observed, expected))


def _within(observed: np.ndarray, expected: np.ndarray, tolerance: dict) -> bool:
    ok = ulp_distance(observed, expected) <= tolerance.get("ulp", 0)
    if "abs" in tolerance or "rel" in tolerance:
        o, e = observed.astype(np.float64), expected.astype(np.float64)
        close = np.abs(o - e) <= tolerance.get("abs", 0.0) + tolerance.get("rel", 0.0) * np.abs(e)
        ok |= close | (np.isnan(o) & np.isnan(e))
    return bool(np.all(ok))


def array_of(description: dict) -> np.ndarray:
    """A numpy array back from an ``array`` observation."""
    dtype = description["dtype"]
    values = from_json_values(description["values"])
    if dtype == "string":
        return np.array(values, dtype=object).reshape(description["shape"])
    return np.array(values, dtype=dtype).reshape(description["shape"])
