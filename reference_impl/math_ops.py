"""Element-wise arithmetic, comparisons, casts, matmul and add_n, plus Tensor's operators.

Op names follow TF: functions open a scope named after the op type (``tf.add`` → ``Add``, its
Python operand ``Add/y``); operators use lower-case names (``a + b`` → ``add``, ``a * 2`` →
``mul`` with ``mul/y``). Integer ``/`` casts both sides to float64 first, as TF does.
"""

from __future__ import annotations

from typing import Any, Sequence

from . import dtypes
from .graph import Tensor
from .indexed_slices import IndexedSlices
from .op_def import convert_to_tensor, graph_of, make_op
from .shape_inference import broadcast, dt_enum, node_text, shape_text
from .tensor_shape import TensorShape

_BOOL_RESULT = {"Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual",
                "LogicalAnd", "LogicalOr"}


def _convert_operand(value: Any, dtype: dtypes.DType, arg: str, op_type: str) -> Tensor:
    """Convert the second operand of a function-style op to the first one's type."""
    if isinstance(value, Tensor) or hasattr(value, "_as_graph_element"):
        return convert_to_tensor(value)
    try:
        return convert_to_tensor(value, dtype=dtype, name=arg)
    except ValueError as err:  # (op_def_library's words for a value that is no tensor)
        raise ValueError(f"Tried to convert '{arg}' to a tensor and failed. Error: {err}") from None
    except TypeError as e:
        bad = value
        raise TypeError(f"Expected {dtype.name} passed to parameter '{arg}' of op '{op_type}', "
                        f"got {bad!r} of type '{type(bad).__name__}' instead. Error: {e}") from None


def _check_same(op_type: str, x: Tensor, y: Tensor) -> None:
    if x.dtype.base_dtype != y.dtype.base_dtype:
        raise TypeError(f"Input 'y' of '{op_type}' Op has type {y.dtype.base_dtype.name} that "
                        f"does not match type {x.dtype.base_dtype.name} of argument 'x'.")


def _binary_op(op_type: str, x: Tensor, y: Tensor, scope: str) -> Tensor:
    _check_same(op_type, x, y)
    dt = x.dtype.base_dtype
    # LogicalAnd / LogicalOr are bool-only: TF's ops have no T attr.
    attrs: dict[str, Any] = {} if op_type in ("LogicalAnd", "LogicalOr") else {"T": dt}
    attr_text = None
    if op_type in ("Equal", "NotEqual"):
        # TF's Equal/NotEqual carry this attr (its error text names it); False would give
        # False instead of an error for shapes that do not broadcast, which tf.equal never asks.
        attrs["incompatible_shape_error"] = True
        attr_text = f"T={dt_enum(dt)}, incompatible_shape_error=true"
    shape = broadcast(x.shape, y.shape, scope[:-1], op_type, [x, y], dt, attr_text)
    out_dt = dtypes.bool if op_type in _BOOL_RESULT else dt
    return make_op(op_type, [x, y], [(out_dt, shape)], scope, attrs).outputs[0]


def binary(op_type: str, x: Any, y: Any, name: str | None) -> Tensor:
    """A function-style binary op (``tf.add``): scope named after the op type."""
    g = graph_of([x, y])
    with g.as_default(), g.name_scope(name or op_type) as scope:
        try:
            x = convert_to_tensor(x, name="x")
        except ValueError as err:  # (op_def_library's words for a value that is no tensor)
            raise ValueError(f"Tried to convert 'x' to a tensor and failed. Error: {err}") from None
        y = _convert_operand(y, x.dtype.base_dtype, "y", op_type)
        return _binary_op(op_type, x, y, scope)


def operator(op_type: str, scope_name: str, x: Any, y: Any, reverse: bool = False,
             same_dtype: bool = False) -> Tensor:
    """An operator (``a + b``): lower-case scope; the Python operand takes the tensor's type.
    ``same_dtype``: refuse operands of two types first, as TF's true division does."""
    g = graph_of([x, y])
    with g.as_default(), g.name_scope(scope_name) as scope:
        if reverse:
            y = convert_to_tensor(y, name="y")
            x = convert_to_tensor(x, name="x", preferred_dtype=y.dtype.base_dtype)
        else:
            x = convert_to_tensor(x, name="x")
            y = convert_to_tensor(y, name="y", preferred_dtype=x.dtype.base_dtype)
        if same_dtype and x.dtype.base_dtype != y.dtype.base_dtype:
            # (TF's _truediv_python3 refuses before the op builder would)
            raise TypeError(f"`x` and `y` must have the same dtype, got {x.dtype.base_dtype!r} != "
                            f"{y.dtype.base_dtype!r}.")
        if op_type == "RealDiv" and x.dtype.base_dtype == y.dtype.base_dtype and (
                x.dtype.is_integer):
            # Integer true division happens in float64 (float32 for 8/16-bit ints).
            target = dtypes.float32 if x.dtype.base_dtype.size <= 2 else dtypes.float64
            x = cast(x, target)
            y = cast(y, target)
        return _binary_op(op_type, x, y, scope)


def unary(op_type: str, x: Any, name: str | None, out_dtype: dtypes.DType | None = None) -> Tensor:
    g = graph_of([x])
    with g.as_default(), g.name_scope(name or op_type) as scope:
        x = convert_to_tensor(x, name="x")
        dt = x.dtype.base_dtype
        return make_op(op_type, [x], [(out_dtype or dt, x.shape)], scope, {"T": dt}).outputs[0]


# The types of Ceil / Floor's and of Sign / Reciprocal's T, in the order TF lists them.
_FLOAT_TYPES = (dtypes.bfloat16, dtypes.float16, dtypes.float32, dtypes.float64)
_SIGNED_NUMBER_TYPES = _FLOAT_TYPES + (dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64,
                                       dtypes.complex64, dtypes.complex128)


def _checked_unary(op_type: str, x: Any, name: str | None, allowed: tuple) -> Tensor:
    """A generated wrapper's unary op: ``x`` converted in the op's scope, its type checked."""
    g = graph_of([x])
    with g.as_default(), g.name_scope(name or op_type) as scope:
        t = convert_to_tensor(x, name="x")
        dt = t.dtype.base_dtype
        if dt not in allowed:
            raise TypeError(f"Value passed to parameter 'x' has DataType {dt.name} not in list of "
                            "allowed values: " + ", ".join(d.name for d in allowed))
        return make_op(op_type, [t], [(dt, t.shape)], scope, {"T": dt}).outputs[0]


def sign(x: Any, name: str | None = None) -> Tensor:
    """-1, 0 or 1 by the sign of each element (``x`` converted first, outside the op's scope)."""
    t = convert_to_tensor(x)
    if t.dtype.base_dtype.is_complex:
        raise NotImplementedError("tf.sign of a complex tensor (x / |x|)")
    return _checked_unary("Sign", t, name, _SIGNED_NUMBER_TYPES)


def reciprocal(x: Any, name: str | None = None) -> Tensor:
    """``1 / x`` element-wise."""
    return _checked_unary("Reciprocal", x, name, _SIGNED_NUMBER_TYPES)


def ceil(x: Any, name: str | None = None) -> Tensor:
    """The smallest integer value not less than each element (floats only)."""
    return _checked_unary("Ceil", x, name, _FLOAT_TYPES)


def floor(x: Any, name: str | None = None) -> Tensor:
    """The largest integer value not greater than each element (floats only)."""
    return _checked_unary("Floor", x, name, _FLOAT_TYPES)


def add(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``x + y`` (op type ``AddV2``, named ``Add``)."""
    g = graph_of([x, y])
    with g.as_default(), g.name_scope(name or "Add") as scope:
        x = convert_to_tensor(x, name="x")
        # TF's tf.add converts y itself, preferring x's type (not requiring it, as other ops)
        y = convert_to_tensor(y, name="y", preferred_dtype=x.dtype.base_dtype)
        return _binary_op("AddV2", x, y, scope)


def multiply(x: Any, y: Any, name: str | None = None) -> Tensor:
    return binary("Mul", x, y, name)


def subtract(x: Any, y: Any, name: str | None = None) -> Tensor:
    return binary("Sub", x, y, name)


def truediv(x: Any, y: Any, name: str | None = None) -> Tensor:
    return operator("RealDiv", name or "truediv", x, y, same_dtype=True)


def divide(x: Any, y: Any, name: str | None = None) -> Tensor:
    return operator("RealDiv", name or "truediv", x, y, same_dtype=True)


def realdiv(x: Any, y: Any, name: str | None = None) -> Tensor:
    return binary("RealDiv", x, y, name)


def div(x: Any, y: Any, name: str | None = None) -> Tensor:
    """Python 2 division: floor for integers, real for floats."""
    xt = convert_to_tensor(x)
    return operator("FloorDiv" if xt.dtype.is_integer else "RealDiv", name or "div", xt, y)


def floordiv(x: Any, y: Any, name: str | None = None) -> Tensor:
    return operator("FloorDiv", name or "floordiv", x, y)


def floormod(x: Any, y: Any, name: str | None = None) -> Tensor:
    return binary("FloorMod", x, y, name)


def pow(x: Any, y: Any, name: str | None = None) -> Tensor:  # noqa: A001 - TF's name
    return binary("Pow", x, y, name)


def maximum(x: Any, y: Any, name: str | None = None) -> Tensor:
    return binary("Maximum", x, y, name)


def minimum(x: Any, y: Any, name: str | None = None) -> Tensor:
    return binary("Minimum", x, y, name)


def equal(x: Any, y: Any, name: str | None = None) -> Tensor:
    return binary("Equal", x, y, name)


def not_equal(x: Any, y: Any, name: str | None = None) -> Tensor:
    return binary("NotEqual", x, y, name)


def less(x: Any, y: Any, name: str | None = None) -> Tensor:
    return binary("Less", x, y, name)


def less_equal(x: Any, y: Any, name: str | None = None) -> Tensor:
    return binary("LessEqual", x, y, name)


def greater(x: Any, y: Any, name: str | None = None) -> Tensor:
    return binary("Greater", x, y, name)


def greater_equal(x: Any, y: Any, name: str | None = None) -> Tensor:
    return binary("GreaterEqual", x, y, name)


def logical_and(x: Any, y: Any, name: str | None = None) -> Tensor:
    return binary("LogicalAnd", x, y, name)


def logical_or(x: Any, y: Any, name: str | None = None) -> Tensor:
    return binary("LogicalOr", x, y, name)


def logical_not(x: Any, name: str | None = None) -> Tensor:
    return unary("LogicalNot", x, name)


def negative(x: Any, name: str | None = None) -> Tensor:
    return unary("Neg", x, name)


def square(x: Any, name: str | None = None) -> Tensor:
    return unary("Square", x, name)


# Sqrt's and Rsqrt's T: floating and complex types (math_ops.cc), in TF's order.
_ROOT_TYPES = _FLOAT_TYPES + (dtypes.complex64, dtypes.complex128)


def sqrt(x: Any, name: str | None = None) -> Tensor:
    """The square root of each element (floating and complex types only)."""
    return _checked_unary("Sqrt", x, name, _ROOT_TYPES)


def rsqrt(x: Any, name: str | None = None) -> Tensor:
    """``1 / sqrt(x)`` element-wise (``Rsqrt``; floating and complex types only)."""
    return _checked_unary("Rsqrt", x, name, _ROOT_TYPES)


def exp(x: Any, name: str | None = None) -> Tensor:
    return unary("Exp", x, name)


def log(x: Any, name: str | None = None) -> Tensor:
    return unary("Log", x, name)


def tanh(x: Any, name: str | None = None) -> Tensor:
    return unary("Tanh", x, name)


def cos(x: Any, name: str | None = None) -> Tensor:
    return unary("Cos", x, name)


def sin(x: Any, name: str | None = None) -> Tensor:
    return unary("Sin", x, name)


def sigmoid(x: Any, name: str | None = None) -> Tensor:
    """``1 / (1 + exp(-x))`` (``Sigmoid``, in a ``Sigmoid`` name scope as TF's)."""
    return unary("Sigmoid", x, name)


def abs(x: Any, name: str | None = None) -> Tensor:  # noqa: A001 - TF's name
    return unary("Abs", x, name)


def add_n(inputs: Sequence[Any], name: str | None = None) -> Tensor:
    """Sum of same-shaped tensors; a single input is returned as it is."""
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError("inputs must be an iterable of at least one Tensor/IndexedSlices with "
                         "the same dtype and shape")
    # IndexedSlices stay as they are until the AddN's scope, where each becomes dense as its
    # input inputs_<i> (TF's convert_n_to_tensor_or_indexed_slices, then the op's conversion)
    items = [t if isinstance(t, IndexedSlices) else convert_to_tensor(t) for t in inputs]
    if len(items) == 1:
        one = convert_to_tensor(items[0])
        return one if name is None else identity_named(one, name)
    g = graph_of(items)
    with g.as_default(), g.name_scope(name or "AddN") as scope:
        tensors = [convert_to_tensor(t, name=f"inputs_{i}") for i, t in enumerate(items)]
        dt = tensors[0].dtype.base_dtype
        shape = tensors[0].shape
        for t in tensors[1:]:
            shape = shape.merge_with(t.shape)
        return make_op("AddN", tensors, [(dt, shape)], scope, {"N": len(tensors), "T": dt}).outputs[0]


def identity_named(x: Tensor, name: str) -> Tensor:
    return make_op("Identity", [x], [(x.dtype.base_dtype, x.shape)], name,
                   {"T": x.dtype.base_dtype}).outputs[0]


def cast(x: Any, dtype: Any, name: str | None = None) -> Tensor:
    """Convert ``x`` to ``dtype``; a tensor already of that type is returned unchanged."""
    base = dtypes.as_dtype(dtype).base_dtype
    if ((isinstance(x, Tensor) or getattr(x, "_is_resource_variable", False))
            and x.dtype.base_dtype == base):
        return x  # (a resource variable too, unread: its consumer reads it in its own scope)
    g = graph_of([x])
    with g.as_default(), g.name_scope(name or "Cast") as scope:
        t = convert_to_tensor(x, name="x")
        if t.dtype.base_dtype == base:
            return t
        src = t.dtype.base_dtype
        return make_op("Cast", [t], [(base, t.shape)], scope,
                       {"SrcT": src, "DstT": base, "Truncate": False}).outputs[0]


def to_float(x: Any, name: str = "ToFloat") -> Tensor:
    return cast(x, dtypes.float32, name=name)


def to_double(x: Any, name: str = "ToDouble") -> Tensor:
    return cast(x, dtypes.float64, name=name)


def to_int32(x: Any, name: str = "ToInt32") -> Tensor:
    return cast(x, dtypes.int32, name=name)


def to_int64(x: Any, name: str = "ToInt64") -> Tensor:
    return cast(x, dtypes.int64, name=name)


def matmul(a: Any, b: Any, transpose_a: bool = False, transpose_b: bool = False,
           adjoint_a: bool = False, adjoint_b: bool = False, a_is_sparse: bool = False,
           b_is_sparse: bool = False, output_type: Any = None, name: str | None = None) -> Tensor:
    """Matrix product of two rank-2 tensors."""
    transpose_a = transpose_a or adjoint_a
    transpose_b = transpose_b or adjoint_b
    g = graph_of([a, b])
    with g.as_default(), g.name_scope(name or "MatMul") as scope:
        a = convert_to_tensor(a, name="a")
        b = _convert_operand(b, a.dtype.base_dtype, "b", "MatMul")
        if a.dtype.base_dtype != b.dtype.base_dtype:
            raise TypeError(f"Input 'b' of 'MatMul' Op has type {b.dtype.base_dtype.name} that "
                            f"does not match type {a.dtype.base_dtype.name} of argument 'a'.")
        dt = a.dtype.base_dtype
        attrs = {"T": dt, "transpose_a": transpose_a, "transpose_b": transpose_b}
        sa = a.shape.with_rank(2).as_list() if a.shape.ndims in (None, 2) else None
        sb = b.shape.with_rank(2).as_list() if b.shape.ndims in (None, 2) else None
        attr_text = (f"T={dt_enum(dt)}, grad_a=false, grad_b=false, "
                     f"transpose_a={str(transpose_a).lower()}, "
                     f"transpose_b={str(transpose_b).lower()}")
        if sa is None or sb is None:
            bad = a if sa is None else b
            raise ValueError(f"Shape must be rank 2 but is rank {bad.shape.ndims} for "
                             f"{node_text(scope[:-1], 'MatMul', attr_text, [a, b])} with input "
                             f"shapes: {shape_text(a.shape)}, {shape_text(b.shape)}.")
        m, ka = (sa[1], sa[0]) if transpose_a else (sa[0], sa[1])
        kb, n = (sb[1], sb[0]) if transpose_b else (sb[0], sb[1])
        if ka is not None and kb is not None and ka != kb:
            raise ValueError(f"Dimensions must be equal, but are {ka} and {kb} for "
                             f"{node_text(scope[:-1], 'MatMul', attr_text, [a, b])} with input "
                             f"shapes: {shape_text(a.shape)}, {shape_text(b.shape)}.")
        return make_op("MatMul", [a, b], [(dt, TensorShape([m, n]))], scope, attrs).outputs[0]


def _install_operators() -> None:
    """Give `Tensor` Python's arithmetic and comparison operators, with TF's op names."""
    def op2(op_type: str, scope: str, reverse: bool = False) -> Any:
        same = scope == "truediv"  # (only true division refuses mixed types itself)
        if reverse:
            return lambda self, other: operator(op_type, scope, other, self, reverse=True,
                                                same_dtype=same)
        return lambda self, other: operator(op_type, scope, self, other, same_dtype=same)

    table = {
        "add": ("AddV2", "add"), "sub": ("Sub", "sub"), "mul": ("Mul", "mul"),
        "truediv": ("RealDiv", "truediv"), "floordiv": ("FloorDiv", "floordiv"),
        "mod": ("FloorMod", "mod"), "pow": ("Pow", "pow"),
        "and": ("LogicalAnd", "and"), "or": ("LogicalOr", "or"),
    }
    for py, (op_type, scope) in table.items():
        setattr(Tensor, f"__{py}__", op2(op_type, scope))
        setattr(Tensor, f"__r{py}__", op2(op_type, scope, reverse=True))
    for py, op_type in (("lt", "Less"), ("le", "LessEqual"), ("gt", "Greater"),
                        ("ge", "GreaterEqual")):
        setattr(Tensor, f"__{py}__", lambda self, other, t=op_type: binary(t, self, other, None))
    Tensor.__neg__ = lambda self: negative(self)  # type: ignore[method-assign]
    Tensor.__abs__ = lambda self: abs(self)  # type: ignore[method-assign]
    Tensor.__invert__ = lambda self: logical_not(self)  # type: ignore[method-assign]
    Tensor.__matmul__ = lambda self, other: matmul(self, other, name="matmul")  # type: ignore
    Tensor.__rmatmul__ = lambda self, other: matmul(other, self, name="matmul")  # type: ignore


_install_operators()


# Xdivy's T: floating and complex types only (math_ops.cc REGISTER_OP("Xdivy")).
_XDIVY_TYPES = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64,
                dtypes.complex64, dtypes.complex128)


def xdivy(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``0`` where ``x == 0`` (whatever ``y``), else ``x / y``: an ``Xdivy`` op under a scope
    ``xdivy`` (``xdivy/Xdivy``; a Python ``y`` becomes ``xdivy/Xdivy/y``)."""
    g = graph_of([x, y])
    with g.as_default(), g.name_scope(name or "xdivy"):
        return raw_xdivy(x, y)


def raw_xdivy(x: Any, y: Any, name: str | None = None) -> Tensor:
    """The ``Xdivy`` op itself (``tf.raw_ops.Xdivy``), named ``Xdivy``."""
    g = graph_of([x, y])
    with g.as_default(), g.name_scope(name or "Xdivy") as scope:
        x = convert_to_tensor(x, name="x")
        if x.dtype.base_dtype not in _XDIVY_TYPES:
            raise TypeError(f"Value passed to parameter 'x' has DataType {x.dtype.base_dtype.name}"
                            " not in list of allowed values: "
                            + ", ".join(d.name for d in _XDIVY_TYPES))
        y = _convert_operand(y, x.dtype.base_dtype, "y", "Xdivy")
        return _binary_op("Xdivy", x, y, scope)


def raw_div(x: Any, y: Any, name: str | None = None) -> Tensor:
    """The ``Div`` op itself (``tf.raw_ops.Div``): truncating for integers, real for floats."""
    return binary("Div", x, y, name)


# tf.math.divide_no_nan's table (TF's _TRUEDIV_TABLE): integers are divided in float32 (8- and
# 16-bit ones) or float64 (the wider ones); None keeps the type. Others are refused.
_DIV_NO_NAN_TYPES: dict[dtypes.DType, dtypes.DType | None] = {
    dtypes.uint8: dtypes.float32, dtypes.int8: dtypes.float32, dtypes.uint16: dtypes.float32,
    dtypes.int16: dtypes.float32, dtypes.uint32: dtypes.float64, dtypes.int32: dtypes.float64,
    dtypes.uint64: dtypes.float64, dtypes.int64: dtypes.float64, dtypes.bfloat16: None,
    dtypes.float16: None, dtypes.float32: None, dtypes.float64: None, dtypes.complex64: None,
    dtypes.complex128: None,
}


def div_no_nan(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``x / y``, but 0 wherever ``y == 0`` (even for an infinite or NaN ``x``): a ``DivNoNan``
    op named after its scope ``div_no_nan``. A Python ``x`` takes a tensor ``y``'s type
    (``div_no_nan/x``); otherwise ``y`` prefers ``x``'s (``div_no_nan/y``) and the two types
    must then agree. Integers are cast (``div_no_nan/Cast``, ``Cast_1``) as `truediv` casts
    them; bool and string are refused."""
    g = graph_of([x, y])
    with g.as_default(), g.name_scope(name or "div_no_nan") as scope:
        if not _is_tensor_like(x) and _is_tensor_like(y):
            y = convert_to_tensor(y, name="y")
            x = convert_to_tensor(x, dtype=y.dtype.base_dtype, name="x")
        else:
            x = convert_to_tensor(x, name="x")
            y = convert_to_tensor(y, name="y", preferred_dtype=x.dtype.base_dtype)
        x_dt, y_dt = x.dtype.base_dtype, y.dtype.base_dtype
        if x_dt != y_dt:
            raise TypeError(f"`x` and `y` must have the same dtype, got {x_dt!r} != {y_dt!r}.")
        if x_dt not in _DIV_NO_NAN_TYPES:
            allowed = ", ".join(repr(d) for d in _DIV_NO_NAN_TYPES)
            raise TypeError(f"Invalid dtype {x_dt!r} in tf.math.divide_no_nan. Expected one of "
                            f"{{{allowed}}}.")
        target = _DIV_NO_NAN_TYPES[x_dt]
        if target is not None:
            x = cast(x, target)
            y = cast(y, target)
        return _binary_op("DivNoNan", x, y, scope)


def _is_tensor_like(value: Any) -> bool:
    """TF's ``tensor_util.is_tf_type``: a Tensor or a variable (not a Python or numpy value)."""
    return isinstance(value, Tensor) or hasattr(value, "_as_graph_element")


divide_no_nan = div_no_nan
