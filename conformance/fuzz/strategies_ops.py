"""Strategies for the ops area: ``pad``, ``concat``, the ``reduce_*`` family, slicing
(``t[...]``, ``tf.slice``), ``transpose``, element-wise math (``exp``, ``log``, ``sin``, ...),
``softmax`` / ``log_softmax``, ``gather``, ``broadcast_to``, ``dynamic_stitch``, ``cumsum`` /
``cumprod``, ``tile``, ``split``, ``unstack``, and lists holding tensors (packed), over random
shapes (some known only when run), paddings, axes, modes, indices and dtypes —
invalid ones included, because the error an implementation raises (class, message, build or run
phase) is compared as closely as a value.

Each program builds one to three ops on constant inputs, binds them (name, dtype, static
shape are recorded) and then evaluates each in a session. An exception ends the program and
is itself the observation.
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import strategies as st

from .program import Names, Raw, run, scenario, session

DTYPES = ("float32", "float32", "int32", "float64", "int64")
MODES = ("CONSTANT", "CONSTANT", "REFLECT", "SYMMETRIC", "constant", "reflect", "WRAP")
REDUCERS = ("reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod")
BOOL_REDUCERS = ("reduce_any", "reduce_all")
MATH = ("exp", "log", "sin", "cos", "tanh", "sigmoid", "sqrt", "square", "abs", "nn.relu")
# Where the float functions change course (clamps, denormals, huge arguments of sin and cos).
MATH_VALUES = (0.0, -0.0, 1e-40, -1e-40, 88.72, -88.0, -104.5, 30000.0, 20000.0, 1e30, 0.7071, 2.5)


def _shape(draw: Any, min_rank: int = 0) -> list[int]:
    return draw(st.lists(st.integers(0, 3), min_size=min_rank, max_size=3))


def _nested(draw: Any, shape: list[int], dtype: str) -> Any:
    if not shape:
        if dtype == "bool":
            return draw(st.booleans())
        if dtype.startswith("int"):
            return draw(st.integers(-9, 9))
        return draw(st.one_of(st.sampled_from([0.0, -0.0, 0.5, 1e30, -3.25]),
                              st.floats(-1e3, 1e3, allow_nan=False, width=32)))
    return [_nested(draw, shape[1:], dtype) for _ in range(shape[0])]


def _input(draw: Any, names: Names, program: list[dict[str, Any]], shape: list[int], dtype: str,
           partial: bool = False) -> str:
    """Bind a constant input of ``shape`` and ``dtype``; returns its binding name. With
    ``partial``, sometimes seen through a ``placeholder_with_default`` whose static shape leaves
    some dimensions (or the rank) unknown, so that ops and their gradients take the paths TF
    takes for shapes known only when run."""
    bind = names.fresh("x")
    if 0 in shape:  # a nested list cannot spell an empty tensor's full shape
        step = {"call": "zeros", "args": [shape], "kwargs": {"dtype": {"tf": dtype}}, "as": bind}
    else:
        step = {"call": "constant", "args": [{"ndarray": _nested(draw, shape, dtype), "dtype": dtype}], "as": bind}
    program.append(step)
    if not partial or draw(st.integers(0, 2)):
        return bind
    seen = names.fresh("u")
    static: Any = None if draw(st.integers(0, 3)) == 0 else [d if draw(st.booleans()) else None for d in shape]
    program.append({"call": "placeholder_with_default", "args": [f"${bind}", static], "as": seen})
    return seen


def _pad(draw: Any, names: Names, program: list[dict[str, Any]]) -> str:
    dtype = draw(st.sampled_from(DTYPES))
    shape = _shape(draw)
    x = _input(draw, names, program, shape, dtype)
    rank = len(shape)
    rows = draw(st.sampled_from([rank, rank, rank, rank + 1, max(rank - 1, 0)]))
    low = draw(st.sampled_from([0, 0, 0, -1]))
    paddings: Any = [[draw(st.integers(low, 3)), draw(st.integers(low, 3))] for _ in range(rows)]
    if draw(st.integers(0, 9)) == 0:
        paddings = [row[:1] for row in paddings]  # not an n×2 matrix
    kwargs: dict[str, Any] = {}
    mode = draw(st.sampled_from(MODES))
    if mode != "CONSTANT" or draw(st.booleans()):
        kwargs["mode"] = mode
    if draw(st.integers(0, 3)) == 0:
        kwargs["constant_values"] = draw(st.sampled_from([0, 1, 7, 0.5, -2]))
    bind = names.fresh("y")
    step: dict[str, Any] = {"call": "pad", "args": [f"${x}", paddings]}
    if kwargs:
        step["kwargs"] = kwargs
    step["as"] = bind
    program.append(step)
    return bind


def _concat(draw: Any, names: Names, program: list[dict[str, Any]]) -> str:
    dtype = draw(st.sampled_from(DTYPES))
    base = _shape(draw)
    rank = len(base)
    axis = draw(st.integers(-rank - 1, rank)) if rank else draw(st.sampled_from([0, -1, 1]))
    pieces = []
    for _ in range(draw(st.integers(1, 3))):
        shape = list(base)
        if rank and -rank <= axis < rank:
            shape[axis] = draw(st.integers(0, 3))  # pieces differ along the axis only...
        if rank and draw(st.integers(0, 7)) == 0:
            shape[draw(st.integers(0, rank - 1))] += 1  # ...unless this one is invalid
        piece_dtype = dtype if draw(st.integers(0, 9)) else draw(st.sampled_from(DTYPES))
        pieces.append(f"${_input(draw, names, program, shape, piece_dtype, partial=True)}")
    bind = names.fresh("y")
    step: dict[str, Any] = {"call": "concat", "args": [pieces, axis], "as": bind}
    if draw(st.booleans()):
        step["kwargs"] = {"name": draw(st.sampled_from(["concat", "joined"]))}
    program.append(step)
    return bind


def _axis(draw: Any, rank: int) -> Any:
    single = st.integers(-rank - 1, rank) if rank else st.sampled_from([0, -1])
    return draw(st.one_of(st.none(), single, st.lists(single, max_size=3)))


def _reduce(draw: Any, names: Names, program: list[dict[str, Any]]) -> str:
    if draw(st.integers(0, 5)) == 0:
        reducer, dtype = draw(st.sampled_from(BOOL_REDUCERS)), "bool"
    else:
        reducer, dtype = draw(st.sampled_from(REDUCERS)), draw(st.sampled_from(DTYPES))
    shape = _shape(draw)
    x = _input(draw, names, program, shape, dtype, partial=True)
    kwargs: dict[str, Any] = {}
    axis = _axis(draw, len(shape))
    if axis is not None or draw(st.booleans()):
        kwargs["axis"] = axis
    keepdims = draw(st.sampled_from([None, True, False]))
    if keepdims is not None:
        kwargs["keepdims"] = keepdims
    bind = names.fresh("y")
    step: dict[str, Any] = {"call": reducer, "args": [f"${x}"]}
    if kwargs:
        step["kwargs"] = kwargs
    step["as"] = bind
    program.append(step)
    return bind


def _math(draw: Any, names: Names, program: list[dict[str, Any]]) -> str:
    """An element-wise function of a float tensor of up to 64 elements: TF computes all but the
    last n % 8 float32s (n % 4 float64s) a packet at a time, those last ones one by one, and
    the two paths of a transcendental round differently."""
    dtype = draw(st.sampled_from(("float32", "float32", "float64", "float16")))
    shape = draw(st.lists(st.integers(1, 4), min_size=0, max_size=3))
    x = names.fresh("x")
    values = st.one_of(st.sampled_from(MATH_VALUES), st.floats(-30, 30, allow_nan=False, width=32),
                       st.floats(-1e4, 1e4, allow_nan=False, width=32))

    def nested(dims: list[int]) -> Any:
        return draw(values) if not dims else [nested(dims[1:]) for _ in range(dims[0])]
    program.append({"call": "constant", "args": [{"ndarray": nested(shape), "dtype": dtype}], "as": x})
    bind = names.fresh("y")
    function = draw(st.sampled_from((*MATH, "pow")))
    if function != "pow":
        program.append({"call": function, "args": [f"${x}"], "as": bind})
        return bind
    exponents = st.one_of(st.sampled_from((0.5, 2.0, 3.0, -1.0, 1.0, 0.0)), st.floats(-4, 4, allow_nan=False, width=32))
    if draw(st.booleans()):  # a Python scalar (Grappler rewrites 2, 3, 1, 0.5, 0, -0.5, -1)
        exponent: Any = draw(exponents)
    else:
        exponent = names.fresh("x")
        program.append({"call": "constant", "args": [{"ndarray": nested(shape), "dtype": dtype}], "as": exponent})
        exponent = f"${exponent}"
    program.append({"call": "pow", "args": [f"${x}", exponent], "as": bind})
    return bind


def _transpose(draw: Any, names: Names, program: list[dict[str, Any]]) -> str:
    """``transpose`` by no permutation, a permutation (negative entries too), or a broken one
    (an axis twice, out of range, one entry too many or too few)."""
    shape = _shape(draw)
    x = _input(draw, names, program, shape, draw(st.sampled_from(DTYPES)))
    rank = len(shape)
    perm: Any = draw(st.permutations(list(range(rank))))
    kind = draw(st.sampled_from(["none", "perm", "perm", "negative", "repeated", "range", "length"]))
    if kind == "negative" and rank:
        perm = [p - rank if draw(st.booleans()) else p for p in perm]
    elif kind == "repeated" and rank > 1:
        perm[0] = perm[1]
    elif kind == "range" and rank:
        perm[draw(st.integers(0, rank - 1))] = draw(st.sampled_from([rank, rank + 1, -rank - 1]))
    elif kind == "length":
        perm = perm + [rank] if draw(st.booleans()) or not rank else perm[:-1]
    bind = names.fresh("y")
    program.append({"call": "transpose", "args": [f"${x}"] + ([] if kind == "none" else [perm]), "as": bind})
    return bind


def _softmax(draw: Any, names: Names, program: list[dict[str, Any]]) -> str:
    """``softmax`` / ``log_softmax`` over an axis in or out of range, as an int or a constant
    tensor (which never counts as the last axis), of float or (refused) integer logits."""
    op = draw(st.sampled_from(["nn.softmax", "nn.log_softmax"]))
    shape = _shape(draw)
    dtype = draw(st.sampled_from(["float32", "float32", "float64", "int32"]))
    kind = draw(st.sampled_from(["default", "int", "int", "tensor"]))
    axis = -1 if kind == "default" else draw(st.integers(-len(shape) - 1, len(shape)))
    rows = math.prod(shape) // max(shape[axis], 1) if -len(shape) <= axis < len(shape) else 0
    if op == "nn.softmax" and dtype == "float32" and rows >= 8:
        dtype = "float64"  # TF's float32 reciprocal of 8+ rows is the processor's estimate
    x = _input(draw, names, program, shape, dtype)
    kwargs: dict[str, Any] = {}
    if kind == "int":
        kwargs["axis"] = axis
    elif kind == "tensor":
        kwargs["axis"] = {"call": "constant", "args": [axis]}
    bind = names.fresh("y")
    program.append({"call": op, "args": [f"${x}"], "kwargs": kwargs, "as": bind})
    return bind


PACKED_VALUES = (0, 1, -2, 0.5, -0.0, 2.5, True, "a")


def _packed_list(draw: Any, names: Names, program: list[dict[str, Any]], depth: int) -> list[Any]:
    """A list of scalar tensors (of one or, rarely, two dtypes), Python values and (down to
    ``depth``) nested lists, most of the same length."""
    dtype = draw(st.sampled_from(["float32", "float32", "int32", "float64"]))
    length = draw(st.integers(1, 3))
    items: list[Any] = []
    for _ in range(length):
        kind = draw(st.sampled_from(["tensor", "tensor", "value", "value"] + (["list"] if depth else [])))
        if kind == "tensor":
            bind = names.fresh("t")
            tensor_dtype = dtype if draw(st.integers(0, 7)) else draw(st.sampled_from(DTYPES))
            value = draw(st.sampled_from([1, -3, 0])) if tensor_dtype.startswith("int") else draw(st.sampled_from([1.5, -0.0, 3.0]))
            program.append({"call": "constant", "args": [value], "kwargs": {"dtype": {"tf": tensor_dtype}}, "as": bind})
            items.append(f"${bind}")
        elif kind == "value":
            items.append(draw(st.sampled_from(PACKED_VALUES[:6] if draw(st.integers(0, 9)) else PACKED_VALUES)))
        else:
            items.append(_packed_list(draw, names, program, depth - 1))
    return items


def _packed(draw: Any, names: Names, program: list[dict[str, Any]]) -> str:
    """A (nested) list holding tensors where a tensor is expected: converted (with a dtype, a
    preferred dtype or a name, or none), stacked, added to a tensor or used as a shape."""
    values = _packed_list(draw, names, program, draw(st.integers(0, 2)))
    bind = names.fresh("y")
    use = draw(st.sampled_from(["convert", "convert", "stack", "add", "zeros"]))
    if use == "convert":
        kwargs: dict[str, Any] = draw(st.sampled_from([
            {}, {"name": "packed"}, {"name": "p"}, {"dtype": {"tf": "float32"}}, {"dtype": {"tf": "int32"}},
            {"preferred_dtype": {"tf": "float32"}}]))
        step: dict[str, Any] = {"call": "convert_to_tensor", "args": [values], "kwargs": kwargs, "as": bind}
    elif use == "stack":
        step = {"call": "stack", "args": [values], "kwargs": {"axis": draw(st.sampled_from([0, 0, -1, 1]))}, "as": bind}
    elif use == "add":
        x = _input(draw, names, program, [], draw(st.sampled_from(["float32", "int32"])))
        step = {"call": "add", "args": [f"${x}", values], "as": bind}
    else:
        step = {"call": "zeros", "args": [values], "as": bind}
    program.append(step)
    return bind


def _index(draw: Any, names: Names, program: list[dict[str, Any]]) -> Any:
    """One index of ``t[...]``: an int, a slice, an ellipsis, a new axis or a tensor."""
    part = st.one_of(st.none(), st.integers(-4, 4))
    kind = draw(st.sampled_from(["int", "slice", "slice", "slice", "ellipsis", "newaxis", "tensor"]))
    if kind == "int":
        return draw(st.integers(-4, 4))
    if kind == "slice":
        step = draw(st.sampled_from([None, None, 1, 2, -1, -2, 0]))
        return {"slice": [draw(part), draw(part), step]}
    if kind == "ellipsis":
        return {"ellipsis": True}
    if kind == "newaxis":
        return None
    bind = names.fresh("i")
    dtype = draw(st.sampled_from(["int32", "int64"]))
    program.append({"call": "constant", "args": [draw(st.integers(-3, 3))],
                    "kwargs": {"dtype": {"tf": dtype}}, "as": bind})
    index = f"${bind}"
    return index if draw(st.booleans()) else {"slice": [index, None]}


def _slice(draw: Any, names: Names, program: list[dict[str, Any]]) -> str:
    shape = _shape(draw)
    x = _input(draw, names, program, shape, draw(st.sampled_from(DTYPES)))
    spec = [_index(draw, names, program) for _ in range(draw(st.integers(0, len(shape) + 1)))]
    bind = names.fresh("y")
    program.append({"let": {"op": "getitem", "args": [f"${x}", {"tuple": spec}]}, "as": bind})
    return bind


def _slice_op(draw: Any, names: Names, program: list[dict[str, Any]]) -> str:
    """``tf.slice`` with begins in and out of range, sizes of -1, too large or below -1, and
    sometimes one entry too few."""
    shape = _shape(draw)
    x = _input(draw, names, program, shape, draw(st.sampled_from(DTYPES)))
    rank = draw(st.sampled_from([len(shape)] * 4 + [max(len(shape) - 1, 0)]))
    begin = [draw(st.integers(-1, 4)) for _ in range(rank)]
    size = [draw(st.integers(-2, 3)) for _ in range(rank)]
    bind = names.fresh("y")
    program.append({"call": "slice", "args": [f"${x}", begin, size], "as": bind})
    return bind


def _gather(draw: Any, names: Names, program: list[dict[str, Any]]) -> str:
    """``gather`` along an axis in or out of range, by indices of rank 0-2 in and (rarely) out of
    range, of int32 or int64."""
    shape = _shape(draw)
    x = _input(draw, names, program, shape, draw(st.sampled_from(DTYPES)), partial=True)
    rank = len(shape)
    axis = draw(st.integers(-rank - 1, rank)) if rank else 0
    size = shape[axis] if -rank <= axis < rank else 2
    low, high = (-1, size) if draw(st.integers(0, 7)) == 0 else (0, max(size - 1, 0))
    index_shape = draw(st.lists(st.integers(0, 2), max_size=2))
    indices: Any = _nested_ints(draw, index_shape, low, high)
    if draw(st.booleans()):
        indices = {"call": "constant", "args": [indices, {"tf": draw(st.sampled_from(["int32", "int64"]))}]}
    kwargs: dict[str, Any] = {} if axis == 0 and draw(st.booleans()) else {"axis": axis}
    bind = names.fresh("y")
    program.append({"call": "gather", "args": [f"${x}", indices], "kwargs": kwargs, "as": bind})
    return bind


def _nested_ints(draw: Any, shape: list[int], low: int, high: int) -> Any:
    if not shape:
        return draw(st.integers(low, high))
    return [_nested_ints(draw, shape[1:], low, high) for _ in range(shape[0])]


def _broadcast_to(draw: Any, names: Names, program: list[dict[str, Any]]) -> str:
    """``broadcast_to`` a shape that fits (dimensions added in front, 1s stretched) or, rarely,
    one that does not."""
    shape = draw(st.lists(st.sampled_from([1, 1, 2, 3]), max_size=3))
    x = _input(draw, names, program, shape, draw(st.sampled_from(DTYPES)), partial=True)
    target = [draw(st.integers(1, 3)) for _ in range(draw(st.integers(0, 2)))]
    target += [draw(st.integers(0, 3)) if d == 1 else d for d in shape]
    if draw(st.integers(0, 7)) == 0 and target:
        target[draw(st.integers(0, len(target) - 1))] = draw(st.integers(0, 4))
    bind = names.fresh("y")
    program.append({"call": "broadcast_to", "args": [f"${x}", target], "as": bind})
    return bind


def _tile(draw: Any, names: Names, program: list[dict[str, Any]]) -> str:
    """``tile`` by multiples of 0-3 (rarely negative, one too many or too few, or fed as a
    tensor whose values are known only when run)."""
    shape = _shape(draw)
    x = _input(draw, names, program, shape, draw(st.sampled_from(DTYPES)), partial=True)
    multiples: Any = [draw(st.integers(0, 3)) for _ in shape]
    kind = draw(st.sampled_from(["plain"] * 6 + ["negative", "length", "hidden"]))
    if kind == "negative" and multiples:
        multiples[draw(st.integers(0, len(multiples) - 1))] = -1
    elif kind == "length":
        multiples = multiples[:-1] if multiples and draw(st.booleans()) else multiples + [2]
    elif kind == "hidden":
        multiples = {"call": "placeholder_with_default", "args": [multiples, [None]]}
    bind = names.fresh("y")
    program.append({"call": "tile", "args": [f"${x}", multiples], "as": bind})
    return bind


def _split(draw: Any, names: Names, program: list[dict[str, Any]]) -> str:
    """``split`` into a number of pieces (Split) or by sizes (SplitV: a list that fits, with a -1
    sometimes, or fed as a tensor with ``num``), along an axis in or out of range (sometimes known
    only when run); rarely a number that does not divide, sizes that do not sum, two -1s or a
    negative size. (Never sizes of rank 2 or int8 sizes known while building: TF 2.21's shape
    function aborts the process on them.)"""
    shape = _shape(draw, min_rank=draw(st.sampled_from([0, 1, 1, 1])))
    x = _input(draw, names, program, shape, draw(st.sampled_from(DTYPES)), partial=True)
    rank = len(shape)
    axis: Any = draw(st.integers(-rank - 1, rank)) if rank else draw(st.sampled_from([0, -1]))
    dim = shape[axis] if -rank <= axis < rank else 3
    kind = draw(st.sampled_from(["num"] * 4 + ["sizes"] * 3 + ["minus_one"] * 2
                                + ["bad_sum", "two_minus", "negative", "hidden"]))
    kwargs: dict[str, Any] = {}
    if kind == "num":
        fits = [k for k in (1, 2, 3) if dim % k == 0]
        pieces: Any = draw(st.sampled_from(fits)) if draw(st.integers(0, 5)) else draw(st.integers(1, 4))
    else:
        n = draw(st.integers(1, 3))
        cuts = sorted(draw(st.integers(0, dim)) for _ in range(n - 1))
        sizes = [b - a for a, b in zip([0] + cuts, cuts + [dim])]
        at = draw(st.integers(0, n - 1))
        if kind == "minus_one":
            sizes[at] = -1
        elif kind == "bad_sum":
            sizes[at] += 1 if sizes[at] == 0 or draw(st.booleans()) else -1
        elif kind == "two_minus" and n > 1:
            sizes[at], sizes[at - 1] = -1, -1
        elif kind == "negative":
            sizes[at] = -2
        pieces = sizes
        if kind == "hidden":
            pieces = {"call": "placeholder_with_default", "args": [sizes, [None]]}
            kwargs["num"] = n
    if draw(st.integers(0, 5)) == 0:
        axis = {"call": "placeholder_with_default", "args": [axis, []]}
    if axis != 0 or draw(st.booleans()):
        kwargs["axis"] = axis
    bind = names.fresh("y")
    step: dict[str, Any] = {"call": "split", "args": [f"${x}", pieces]}
    if kwargs:
        step["kwargs"] = kwargs
    step["as"] = bind
    program.append(step)
    return bind


def _unstack(draw: Any, names: Names, program: list[dict[str, Any]]) -> str:
    """``unstack`` along an axis in or out of range, with ``num`` read from the static shape or
    given (rarely wrong), of inputs sometimes of shapes known only when run."""
    shape = _shape(draw, min_rank=draw(st.sampled_from([0, 1, 1, 1])))
    x = _input(draw, names, program, shape, draw(st.sampled_from(DTYPES)), partial=True)
    rank = len(shape)
    axis = draw(st.integers(-rank - 1, rank)) if rank else draw(st.sampled_from([0, -1]))
    kwargs: dict[str, Any] = {"axis": axis} if axis != 0 or draw(st.booleans()) else {}
    if draw(st.booleans()):
        dim = shape[axis] if -rank <= axis < rank else 2
        kwargs["num"] = dim if draw(st.integers(0, 7)) else draw(st.integers(1, 3))
    bind = names.fresh("y")
    program.append({"call": "unstack", "args": [f"${x}"], "kwargs": kwargs, "as": bind})
    return bind


def _split_pieces(step: dict[str, Any]) -> int | None:
    """How many tensors a ``split`` or ``unstack`` step gives (None when not one, or when an
    unstack reads it from the static shape)."""
    if step.get("call") == "unstack":
        return step.get("kwargs", {}).get("num")
    if step.get("call") != "split":
        return None
    pieces = step["args"][1]
    return pieces if isinstance(pieces, int) else len(pieces) if isinstance(pieces, list) else step["kwargs"]["num"]


def _stitch(draw: Any, names: Names, program: list[dict[str, Any]]) -> str:
    """``dynamic_stitch`` of one to three pieces whose indices cover 0..n-1 (a permutation, so
    no row is left unwritten: TF leaves those uninitialised), some repeated, rows of one shape."""
    dtype = draw(st.sampled_from(DTYPES))
    row = draw(st.lists(st.integers(1, 3), max_size=2))
    sizes = draw(st.lists(st.integers(0, 3), min_size=1, max_size=3))
    order = draw(st.permutations(list(range(sum(sizes)))))
    indices, data, at = [], [], 0
    for n in sizes:
        piece = list(order[at:at + n])
        at += n
        if piece and draw(st.integers(0, 5)) == 0:
            piece[-1] = piece[0]  # a repeated index: the later row wins
        indices.append(piece)
        data.append(f"${_input(draw, names, program, [n] + row, dtype)}")
    bind = names.fresh("y")
    program.append({"call": "dynamic_stitch", "args": [indices, data], "as": bind})
    return bind


def _cumulative(draw: Any, names: Names, program: list[dict[str, Any]]) -> str:
    """``cumsum`` / ``cumprod`` along an axis in or out of range, exclusive or not, reversed or
    not."""
    shape = _shape(draw)
    dtype = draw(st.sampled_from(("float32", "float32", "float64", "int32", "int64")))
    x = _input(draw, names, program, shape, dtype, partial=True)
    rank = len(shape)
    kwargs = {"axis": draw(st.integers(-rank - 1, rank)) if rank else draw(st.sampled_from([0, -1]))}
    for flag in ("exclusive", "reverse"):
        if draw(st.booleans()):
            kwargs[flag] = draw(st.booleans())
    bind = names.fresh("y")
    program.append({"call": draw(st.sampled_from(["cumsum", "cumprod"])), "args": [f"${x}"],
                    "kwargs": kwargs, "as": bind})
    return bind


FLOAT_DTYPES = ("float16", "float32", "float64")


def _gradient(draw: Any, names: Names, program: list[dict[str, Any]]) -> str:
    """The gradients of one op (pad, concat, a reduction, slicing, transpose, element-wise math,
    softmax, split, gather: an IndexedSlices along axis 0) with respect to its float inputs, of
    the op's output summed or weighted by a constant (of some of a split's pieces): TF's
    gradient graphs (their names too) and their values."""
    make = draw(st.sampled_from([_pad, _concat, _reduce, _slice, _slice_op, _math, _transpose, _softmax,
                                 _broadcast_to, _stitch, _cumulative, _tile, _split, _unstack, _gather]))
    start = len(program)
    y = make(draw, names, program)
    n = _split_pieces(program[-1])
    inputs = [step["as"] for step in program[start:] if step.get("as", "").startswith("x") and (
        step.get("kwargs", {}).get("dtype", {}).get("tf") in FLOAT_DTYPES
        or (step["args"] and isinstance(step["args"][0], dict) and step["args"][0].get("dtype") in FLOAT_DTYPES))]
    if not inputs:
        return y
    bind = names.fresh("g")
    ys: Any = f"${y}"
    if n is not None:  # some of the pieces (the others' gradients are zeros), or one squared
        chosen = sorted(draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True)))
        ys = [f"${y}[{i}]" for i in chosen]
        if len(ys) == 1 and draw(st.booleans()):
            ys = {"call": "reduce_sum", "args": [{"op": "*", "args": [ys[0], ys[0]]}]}
    elif draw(st.booleans()):
        ys = {"call": "reduce_sum", "args": [{"op": "*", "args": [ys, ys]}]}
    program.append({"call": "gradients", "args": [ys, [f"${x}" for x in inputs]], "as": bind})
    return bind


@st.composite
def programs(draw: Any) -> Raw:
    """One to three pad / concat / reduce / slicing / transpose / element-wise math / softmax ops
    on constant inputs, or lists holding tensors where a tensor is expected, then each
    evaluated."""
    names = Names()
    program: list[dict[str, Any]] = []
    outputs = []
    for _ in range(draw(st.integers(1, 3))):
        make = draw(st.sampled_from([_pad, _concat, _reduce, _slice, _slice_op, _math, _transpose,
                                     _softmax, _packed, _gather, _broadcast_to, _stitch,
                                     _cumulative, _tile, _split, _unstack, _gradient]))
        outputs.append(make(draw, names, program))
    program.append(session([run(f"${y}", f"value_{y}") for y in outputs]))
    return scenario("ops", program, "generated pad / concat / reduce / slicing / transpose / math / softmax ops")
