"""Random tensors (normal, truncated normal, uniform, shuffle) and graph-level seeds.

Seeds follow TF's rule: a graph seed without an op seed gives the op the graph's op count as its
seed; an op seed without a graph seed uses the default graph seed 87654321. The numbers come from
numpy (TF's exact stream is not reproduced), with the right distribution, shape and dtype; a
seeded op repeats its sequence in each new session and moves on between runs of one session.
"""

from __future__ import annotations

from typing import Any

from . import dtypes
from .graph import Tensor, get_default_graph
from .math_ops import _binary_op
from .op_def import convert_to_tensor, make_op
from .array_ops import shape_from_tensor

DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2**31 - 1


def set_random_seed(seed: int | None) -> None:
    """Set the graph-level seed of the default graph."""
    get_default_graph().seed = seed


def get_seed(op_seed: int | None) -> tuple[int | None, int | None]:
    """The (graph seed, op seed) pair an op uses."""
    g = get_default_graph()
    graph_seed = g.seed
    if graph_seed is not None:
        seeds = (graph_seed, g._last_id if op_seed is None else op_seed)
    elif op_seed is not None:
        seeds = (DEFAULT_GRAPH_SEED, op_seed)
    else:
        seeds = (None, None)
    if seeds == (0, 0):
        seeds = (0, _MAXINT32)
    return seeds


def _seed_attrs(seed: int | None) -> dict[str, int]:
    s1, s2 = get_seed(seed)
    return {"seed": s1 or 0, "seed2": s2 or 0}


def _random(op_type: str, shape: Any, dt: dtypes.DType, seed: int | None,
            name: str = "") -> Tensor:
    s = convert_to_tensor(shape, dtype=dtypes.int32 if not isinstance(shape, Tensor) else None,
                          name="shape")
    attrs = {"dtype": dt, "T": s.dtype.base_dtype, **_seed_attrs(seed)}
    return make_op(op_type, [s], [(dt, shape_from_tensor(s))], name or op_type, attrs).outputs[0]


def _scaled(kind: str, op_type: str, shape: Any, mean: Any, stddev: Any, dtype: Any,
            seed: int | None, name: str | None) -> Tensor:
    dt = dtypes.as_dtype(dtype).base_dtype
    g = get_default_graph()
    with g.name_scope(name or kind) as scope:
        s = convert_to_tensor(shape, dtype=dtypes.int32 if not isinstance(shape, Tensor) else None,
                              name="shape")
        m = convert_to_tensor(mean, dtype=dt, name="mean")
        sd = convert_to_tensor(stddev, dtype=dt, name="stddev")
        rnd = _random(op_type, s, dt, seed)
        with g.name_scope("mul") as mul_scope:
            scaled = _binary_op("Mul", rnd, sd, mul_scope)
        return _binary_op("AddV2", scaled, m, scope)


def random_normal(shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = dtypes.float32,
                  seed: int | None = None, name: str | None = None) -> Tensor:
    """Normally distributed values."""
    return _scaled("random_normal", "RandomStandardNormal", shape, mean, stddev, dtype, seed,
                   name)


def truncated_normal(shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = dtypes.float32,
                     seed: int | None = None, name: str | None = None) -> Tensor:
    """Normal values, re-drawn when more than two standard deviations from the mean."""
    return _scaled("truncated_normal", "TruncatedNormal", shape, mean, stddev, dtype, seed, name)


def random_uniform(shape: Any, minval: Any = 0, maxval: Any = None, dtype: Any = dtypes.float32,
                   seed: int | None = None, name: str | None = None) -> Tensor:
    """Uniform values in ``[minval, maxval)``."""
    dt = dtypes.as_dtype(dtype).base_dtype
    if dt.is_integer and maxval is None:
        raise ValueError(f"Must specify maxval for integer dtype {dt!r}")
    if maxval is None:
        maxval = 1
    g = get_default_graph()
    with g.name_scope(name or "random_uniform") as scope:
        s = convert_to_tensor(shape, dtype=dtypes.int32 if not isinstance(shape, Tensor) else None,
                              name="shape")
        # TF skips the min/max tensors (and the arithmetic) for the Python ints 0 and 1.
        min_is_zero = isinstance(minval, int) and minval == 0
        max_is_one = isinstance(maxval, int) and maxval == 1
        if not min_is_zero or not max_is_one or dt.is_integer:
            lo = convert_to_tensor(minval, dtype=dt, name="min")
            hi = convert_to_tensor(maxval, dtype=dt, name="max")
        if dt.is_integer:
            attrs = {"Tout": dt, "T": s.dtype.base_dtype, **_seed_attrs(seed)}
            return make_op("RandomUniformInt", [s, lo, hi], [(dt, shape_from_tensor(s))],
                           scope, attrs).outputs[0]
        rnd = _random("RandomUniform", s, dt, seed)
        if min_is_zero:
            if max_is_one:
                return rnd
            with g.name_scope("Mul") as mul_scope:  # tf.multiply's name, not "mul"
                return _binary_op("Mul", rnd, hi, mul_scope)
        with g.name_scope("sub") as sub_scope:
            width = _binary_op("Sub", hi, lo, sub_scope)
        with g.name_scope("mul") as mul_scope:
            scaled = _binary_op("Mul", rnd, width, mul_scope)
        return _binary_op("AddV2", scaled, lo, scope)


def random_shuffle(value: Any, seed: int | None = None, name: str | None = None) -> Tensor:
    """``value`` with its first dimension shuffled."""
    g = get_default_graph()
    with g.name_scope(name or "RandomShuffle") as scope:
        x = convert_to_tensor(value, name="value")
        dt = x.dtype.base_dtype
        return make_op("RandomShuffle", [x], [(dt, x.shape)], scope,
                       {"T": dt, **_seed_attrs(seed)}).outputs[0]
