"""Expressions: how a scenario writes values, as data.

A scenario never contains code. Values are YAML scalars, lists and mappings, plus a few forms:

=========================================  ==========================================
YAML                                       Python it stands for
=========================================  ==========================================
``"$v"``                                   the value bound to ``v``
``"$v.op.name"``, ``"$x.get_shape().as_list()"``, ``"$outs[0]"``
                                           attribute access, argument-less method calls,
                                           indexing, on a bound value
``{tf: float32}``                          ``tf.float32`` (any attribute path of the API)
``{call: get_variable, args: [v, [1]]}``   ``tf.get_variable("v", [1])``
``{call: $v.assign, args: [1.0]}``         ``v.assign(1.0)``
``{op: "+", args: [$a, $b]}``              ``a + b`` (also ``- * / // % ** @ == !=
                                           < <= > >= neg not and or getitem``)
``{tuple: [1, 2]}``                        ``(1, 2)``
``{slice: [1, null, 2]}``, ``{ellipsis: true}``
                                           ``slice(1, None, 2)``, ``...`` (``t[1::2, ...]``)
``{ndarray: [[1, 2]], dtype: float32}``    ``numpy.array([[1, 2]], dtype="float32")``
``{path: ckpt/model}``                     a path inside the scenario's temporary dir
``{literal: "$not-a-ref"}``                the value, taken as it is
``{lambda: [getter, "*args", "**kwargs"], body: …}``
                                           ``lambda getter, *args, **kwargs: …``
``{splat: $args}`` (in args),              ``*args`` / ``**kwargs`` in a call
``{"**": $kwargs}`` (in kwargs)
=========================================  ==========================================

Mapping keys that start with ``$`` are references too (``feed_dict: {$x: [1.0]}``).
This module parses that data into a small tree (`Expr`) and renders it back as Python source.
Parsing is by a tiny grammar; nothing is evaluated here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ACCESSOR_RE = re.compile(
    r"""\.(?P<attr>[A-Za-z_][A-Za-z0-9_]*)(?P<call>\(\))?|\[(?P<index>-?[0-9]+|'[^']*'|"[^"]*")\]"""
)

BINARY_OPS = {
    "+": "+", "-": "-", "*": "*", "/": "/", "//": "//", "%": "%", "**": "**", "@": "@",
    "==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=",
    "and": "and", "or": "or",
}
UNARY_OPS = {"neg": "-", "not": "not ", "pos": "+", "invert": "~"}
OPERATORS = set(BINARY_OPS) | set(UNARY_OPS) | {"getitem"}


class ExpressionError(ValueError):
    """A value in a scenario that is not a valid expression; ``line`` once known."""

    line: int = 0


@dataclass(frozen=True)
class Expr:
    """Base of the expression tree."""


@dataclass(frozen=True)
class Const(Expr):
    value: Any  # None, bool, int, float or str


@dataclass(frozen=True)
class Accessor:
    kind: str  # "attr", "call" (argument-less method call) or "index"
    key: Any


@dataclass(frozen=True)
class Ref(Expr):
    name: str
    accessors: tuple[Accessor, ...] = ()


@dataclass(frozen=True)
class Api(Expr):
    path: str  # "float32", "GraphKeys.GLOBAL_VARIABLES", "train.Saver"


@dataclass(frozen=True)
class Splat(Expr):
    value: Expr
    double: bool = False


@dataclass(frozen=True)
class Call(Expr):
    target: Expr
    args: tuple[Expr, ...] = ()
    kwargs: tuple[tuple[str, Expr], ...] = ()


@dataclass(frozen=True)
class Operator(Expr):
    op: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class ListExpr(Expr):
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class TupleExpr(Expr):
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class SliceExpr(Expr):
    """``slice(start, stop, step)``: one index of ``t[...]`` (with ``getitem``)."""

    items: tuple[Expr, ...]


@dataclass(frozen=True)
class DictExpr(Expr):
    items: tuple[tuple[Expr, Expr], ...]


@dataclass(frozen=True)
class NdArray(Expr):
    values: Any
    dtype: str | None


@dataclass(frozen=True)
class TempPath(Expr):
    relative: str


@dataclass(frozen=True)
class Lambda(Expr):
    params: tuple[str, ...]
    body: Expr


_FORMS = {
    "tf": {"tf"}, "call": {"call", "args", "kwargs"}, "op": {"op", "args"},
    "tuple": {"tuple"}, "ndarray": {"ndarray", "dtype"}, "path": {"path"},
    "literal": {"literal"}, "lambda": {"lambda", "body"}, "splat": {"splat"},
    "slice": {"slice"}, "ellipsis": {"ellipsis"},
}


def parse_ref(text: str) -> Ref:
    """Parse ``$name.attr.method()[0]`` into a `Ref`."""
    match = NAME_RE.match(text, 1)
    if not text.startswith("$") or not match:
        raise ExpressionError(f"{text!r} is not a reference: expected '$name' followed by .attr, .method() or [index]")
    pos, accessors = match.end(), []
    while pos < len(text):
        m = _ACCESSOR_RE.match(text, pos)
        if not m:
            raise ExpressionError(f"cannot read {text[pos:]!r} in reference {text!r}")
        if m.group("attr"):
            accessors.append(Accessor("attr", m.group("attr")))
            if m.group("call"):
                accessors.append(Accessor("call", None))
        else:
            raw = m.group("index")
            accessors.append(Accessor("index", raw[1:-1] if raw[0] in "'\"" else int(raw)))
        pos = m.end()
    return Ref(match.group(0), tuple(accessors))


def parse_target(text: str) -> Expr:
    """A call target: ``$obj.method`` or an API path ``train.Saver``."""
    if text.startswith("$"):
        return parse_ref(text)
    if not all(NAME_RE.fullmatch(part) for part in text.split(".")):
        raise ExpressionError(f"{text!r} is not an API path such as 'variable_scope' or 'train.Saver'")
    return Api(text)


def parse_call(target: str, args: list | None, kwargs: dict | None) -> Call:
    """Parse a call's target, positional and keyword arguments."""
    if args is not None and not isinstance(args, list):
        raise ExpressionError("'args' must be a list")
    if kwargs is not None and not isinstance(kwargs, dict):
        raise ExpressionError("'kwargs' must be a mapping")
    parsed_kwargs: list[tuple[str, Expr]] = []
    for key, value in (kwargs or {}).items():
        if key == "**":
            parsed_kwargs.append(("**", Splat(parse(value), double=True)))
        elif not isinstance(key, str) or not NAME_RE.fullmatch(key):
            raise ExpressionError(f"keyword argument name {key!r} is not an identifier")
        else:
            parsed_kwargs.append((key, parse(value)))
    return Call(parse_target(target), tuple(parse(a) for a in args or ()), tuple(parsed_kwargs))


def parse(value: Any) -> Expr:
    """Parse one scenario value into an `Expr`."""
    if isinstance(value, str):
        return parse_ref(value) if value.startswith("$") else Const(value)
    if value is None or isinstance(value, (bool, int, float)):
        return Const(value)
    if isinstance(value, list):
        return ListExpr(tuple(parse(v) for v in value))
    if isinstance(value, dict):
        return _parse_mapping(value)
    raise ExpressionError(f"unsupported value of type {type(value).__name__}: {value!r}")


def _parse_mapping(value: dict) -> Expr:
    keys = set(value)
    for form, allowed in _FORMS.items():
        if form in keys:
            extra = keys - allowed
            if extra:
                raise ExpressionError(f"the {form!r} form takes only {sorted(allowed)}, not {sorted(map(str, extra))}")
            return _parse_form(form, value)
    items = []
    for key, item in value.items():
        parsed_key = parse_ref(key) if isinstance(key, str) and key.startswith("$") else Const(key)
        items.append((parsed_key, parse(item)))
    return DictExpr(tuple(items))


def _parse_form(form: str, value: dict) -> Expr:
    if form == "tf":
        target = parse_target(str(value["tf"]))
        if not isinstance(target, Api):
            raise ExpressionError("'tf' names an API attribute, not a reference")
        return target
    if form == "call":
        if not isinstance(value["call"], str):
            raise ExpressionError("'call' must be a string naming what is called")
        return parse_call(value["call"], value.get("args"), value.get("kwargs"))
    if form == "op":
        op, args = value["op"], value.get("args") or []
        if op not in OPERATORS:
            raise ExpressionError(f"unknown operator {op!r}; known: {', '.join(sorted(OPERATORS))}")
        arity = 1 if op in UNARY_OPS else 2
        if len(args) != arity:
            raise ExpressionError(f"operator {op!r} takes {arity} argument(s), got {len(args)}")
        return Operator(op, tuple(parse(a) for a in args))
    if form == "tuple":
        if not isinstance(value["tuple"], list):
            raise ExpressionError("'tuple' takes a list")
        return TupleExpr(tuple(parse(v) for v in value["tuple"]))
    if form == "slice":
        if not isinstance(value["slice"], list) or not 1 <= len(value["slice"]) <= 3:
            raise ExpressionError("'slice' takes a list of 1 to 3 values: [stop], [start, stop] "
                                  "or [start, stop, step] (null for one left out)")
        return SliceExpr(tuple(parse(v) for v in value["slice"]))
    if form == "ellipsis":
        if value["ellipsis"] is not True:
            raise ExpressionError("'ellipsis' is written {ellipsis: true}")
        return Const(Ellipsis)
    if form == "ndarray":
        dtype = value.get("dtype")
        if dtype is not None and not (isinstance(dtype, str) and NAME_RE.fullmatch(dtype)):
            raise ExpressionError(f"ndarray dtype must be a numpy dtype name, got {dtype!r}")
        return NdArray(value["ndarray"], dtype)
    if form == "path":
        return TempPath(check_relative_path(value["path"]))
    if form == "literal":
        return Const(value["literal"])
    if form == "splat":
        return Splat(parse(value["splat"]))
    params = value["lambda"]
    if not isinstance(params, list) or not all(
        isinstance(p, str) and NAME_RE.fullmatch(p.lstrip("*")) for p in params
    ):
        raise ExpressionError("'lambda' takes a list of parameter names ('*args' and '**kwargs' allowed)")
    if "body" not in value:
        raise ExpressionError("'lambda' needs a 'body'")
    return Lambda(tuple(params), parse(value["body"]))


def check_relative_path(path: Any) -> str:
    """A path a scenario names must stay inside its temporary directory."""
    if not isinstance(path, str) or not path:
        raise ExpressionError("'path' must be a non-empty string")
    parts = path.replace("\\", "/").split("/")
    if path.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", path) or ".." in parts or "~" in path:
        raise ExpressionError(f"path {path!r} must stay inside the scenario's temporary directory")
    return path


def references(expr: Expr) -> Iterator[str]:
    """Every bound name an expression reads (parameters of lambdas excluded)."""
    if isinstance(expr, Ref):
        yield expr.name
    elif isinstance(expr, Call):
        yield from references(expr.target)
        for arg in expr.args:
            yield from references(arg)
        for _, arg in expr.kwargs:
            yield from references(arg)
    elif isinstance(expr, (Operator, ListExpr, TupleExpr, SliceExpr)):
        for item in (expr.args if isinstance(expr, Operator) else expr.items):
            yield from references(item)
    elif isinstance(expr, DictExpr):
        for key, item in expr.items:
            yield from references(key)
            yield from references(item)
    elif isinstance(expr, Splat):
        yield from references(expr.value)
    elif isinstance(expr, Lambda):
        params = {p.lstrip("*") for p in expr.params}
        yield from (name for name in references(expr.body) if name not in params)


# ---------------------------------------------------------------------------------------------
# Rendering to Python source


def render(expr: Expr, tf: str = "tf") -> str:
    """Python source for an expression; the API module is called ``tf``."""
    if isinstance(expr, Const):
        return python_literal(expr.value)
    if isinstance(expr, Ref):
        return expr.name + "".join(_render_accessor(a) for a in expr.accessors)
    if isinstance(expr, Api):
        return f"{tf}.{expr.path}"
    if isinstance(expr, Call):
        return f"{render(expr.target, tf)}({render_arguments(expr, tf)})"
    if isinstance(expr, Operator):
        return _render_operator(expr, tf)
    if isinstance(expr, ListExpr):
        return "[" + ", ".join(render(i, tf) for i in expr.items) + "]"
    if isinstance(expr, TupleExpr):
        inner = ", ".join(render(i, tf) for i in expr.items)
        return f"({inner},)" if len(expr.items) == 1 else f"({inner})"
    if isinstance(expr, SliceExpr):
        return "slice(" + ", ".join(render(i, tf) for i in expr.items) + ")"
    if isinstance(expr, DictExpr):
        return "{" + ", ".join(f"{render(k, tf)}: {render(v, tf)}" for k, v in expr.items) + "}"
    if isinstance(expr, NdArray):
        dtype = f", dtype={expr.dtype!r}" if expr.dtype else ""
        return f"np.array({python_literal(expr.values)}{dtype})"
    if isinstance(expr, TempPath):
        return f"os.path.join(WORKDIR, {expr.relative!r})"
    if isinstance(expr, Splat):
        return ("**" if expr.double else "*") + render(expr.value, tf)
    if isinstance(expr, Lambda):
        return f"(lambda {', '.join(expr.params)}: {render(expr.body, tf)})"
    raise TypeError(f"cannot render {expr!r}")


def python_literal(value: Any) -> str:
    """``repr`` that stays valid Python for NaN and the infinities (``float('nan')``)."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return f"float({str(value)!r})"
    if isinstance(value, list):
        return "[" + ", ".join(python_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{python_literal(k)}: {python_literal(v)}" for k, v in value.items()) + "}"
    return repr(value)


def render_arguments(call: Call, tf: str = "tf") -> str:
    """The argument list of a call, as Python source."""
    parts = [render(a, tf) for a in call.args]
    parts += [render(v, tf) if k == "**" else f"{k}={render(v, tf)}" for k, v in call.kwargs]
    return ", ".join(parts)


def _render_accessor(accessor: Accessor) -> str:
    if accessor.kind == "attr":
        return f".{accessor.key}"
    if accessor.kind == "call":
        return "()"
    return f"[{accessor.key!r}]"


def _render_operator(expr: Operator, tf: str) -> str:
    args = [render(a, tf) for a in expr.args]
    if expr.op == "getitem":
        return f"{args[0]}[{args[1]}]"
    if expr.op in UNARY_OPS:
        return f"({UNARY_OPS[expr.op]}{args[0]})"
    return f"({args[0]} {BINARY_OPS[expr.op]} {args[1]})"
