"""Strategies for the scopes area: nested ``name_scope`` and ``variable_scope`` (by string, by
object, with ``default_name``, reuse None / True / AUTO_REUSE, ``auxiliary_name_scope``),
``get_variable``, ``Variable`` and op creation, with duplicates and re-entries.

Names come from a tiny alphabet on purpose: collisions (``a`` twice, ``a`` then ``a_1``,
re-entering ``a/`` by its absolute name) are where naming rules are subtle. Every binding is
recorded by the interpreter (a variable's name, dtype, shape and identity; a scope's name and
``original_name_scope``), so the program needs no expectations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from .program import Names, Raw, scenario

NAMES = ("a", "b", "v", "a_1", "scope")
SHAPES = ([], [1], [2], [2, 1])
MAX_DEPTH = 3
MAX_STEPS = 14


@dataclass
class _Context:
    """What the program has bound so far (scopes can be re-entered by object or string later)."""

    names: Names = field(default_factory=Names)
    var_scopes: list[str] = field(default_factory=list)   # bound VariableScope objects
    name_scopes: list[str] = field(default_factory=list)  # bound name-scope strings ("a/")
    tensors: list[str] = field(default_factory=list)
    budget: int = MAX_STEPS


def _name(draw: Any) -> str:
    return draw(st.sampled_from(NAMES))


def _reuse(draw: Any) -> Any:
    return draw(st.sampled_from([None, True, False, {"tf": "AUTO_REUSE"}]))


def _variable_scope(draw: Any, ctx: _Context, depth: int, open_scopes: list[str]) -> dict[str, Any]:
    how = draw(st.sampled_from(["string", "string", "object", "default_name"] if ctx.var_scopes
                               else ["string", "string", "default_name"]))
    args: list[Any]
    kwargs: dict[str, Any] = {}
    if how == "string":
        args = [_name(draw)]
        if draw(st.booleans()):
            kwargs["default_name"] = _name(draw)  # ignored when a name is given
    elif how == "object":
        args = [f"${draw(st.sampled_from(ctx.var_scopes))}"]
    else:
        args = [None]
        kwargs["default_name"] = _name(draw)
    reuse = _reuse(draw)
    if reuse is not None:
        kwargs["reuse"] = reuse
    if draw(st.integers(0, 3)) == 0:
        kwargs["auxiliary_name_scope"] = False
    bind = ctx.names.fresh("vs")
    step: dict[str, Any] = {"with": "variable_scope", "args": args}
    if kwargs:
        step["kwargs"] = kwargs
    step["as"] = bind
    body = _steps(draw, ctx, depth + 1, [*open_scopes, bind])
    ctx.var_scopes.append(bind)  # re-entry by object only after the with (its body may use it via open_scopes)
    step["do"] = body
    return step


def _name_scope(draw: Any, ctx: _Context, depth: int, open_scopes: list[str]) -> dict[str, Any]:
    kinds = ["name", "name", "absolute", "default_name", "root"] + (["bound"] if ctx.name_scopes else [])
    how = draw(st.sampled_from(kinds))
    if how == "name":
        args: list[Any] = [_name(draw)]
    elif how == "absolute":  # "a/" re-enters an existing scope instead of making a_1
        args = [_name(draw) + "/"]
    elif how == "default_name":
        args = [None, _name(draw)]
    elif how == "root":
        args = [""]
    else:
        args = [f"${draw(st.sampled_from(ctx.name_scopes))}"]
    bind = ctx.names.fresh("ns")
    body = _steps(draw, ctx, depth + 1, open_scopes)
    ctx.name_scopes.append(bind)
    return {"with": "name_scope", "args": args, "as": bind, "do": body}


def _get_variable(draw: Any, ctx: _Context) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    shape = draw(st.sampled_from(SHAPES))
    if draw(st.booleans()):
        kwargs["initializer"] = {"call": "constant_initializer", "args": [draw(st.sampled_from([0.5, 1.0, -2.0]))]}
    if draw(st.integers(0, 4)) == 0:
        kwargs["dtype"] = {"tf": "float64"}
    reuse = draw(st.sampled_from([None, None, None, True, {"tf": "AUTO_REUSE"}]))
    if reuse is not None:
        kwargs["reuse"] = reuse
    step: dict[str, Any] = {"call": "get_variable", "args": [_name(draw), shape]}
    if kwargs:
        step["kwargs"] = kwargs
    step["as"] = ctx.names.fresh("gv")
    return step


def _variable(draw: Any, ctx: _Context) -> dict[str, Any]:
    step: dict[str, Any] = {"call": "Variable", "args": [draw(st.sampled_from([1.0, [1.0, 2.0], 3]))]}
    if draw(st.integers(0, 3)):
        step["kwargs"] = {"name": _name(draw)}
    step["as"] = ctx.names.fresh("var")
    return step


def _op(draw: Any, ctx: _Context) -> dict[str, Any]:
    bind = ctx.names.fresh("t")
    kind = draw(st.sampled_from(["constant", "identity", "add"] if ctx.tensors else ["constant"]))
    name = _name(draw) if draw(st.booleans()) else None
    kwargs = {"name": name} if name else {}
    if kind == "constant":
        step: dict[str, Any] = {"call": "constant", "args": [draw(st.sampled_from([1.0, 2.0]))]}
    elif kind == "identity":
        step = {"call": "identity", "args": [f"${draw(st.sampled_from(ctx.tensors))}"]}
    else:
        step = {"call": "add", "args": [f"${draw(st.sampled_from(ctx.tensors))}",
                                        f"${draw(st.sampled_from(ctx.tensors))}"]}
    if kwargs:
        step["kwargs"] = kwargs
    step["as"] = bind
    ctx.tensors.append(bind)
    return step


def _inspect(draw: Any, ctx: _Context, open_scopes: list[str]) -> dict[str, Any]:
    kinds = ["get_variable_scope", "get_name_scope", "unique_name"] + (["reuse_variables"] if open_scopes else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "reuse_variables":
        return {"call": f"${draw(st.sampled_from(open_scopes))}.reuse_variables"}
    if kind == "unique_name":
        return {"call": "$graph.unique_name", "args": [_name(draw)],
                "kwargs": {"mark_as_used": draw(st.booleans())}, "as": ctx.names.fresh("un")}
    if kind == "get_name_scope":  # TF 2.21's compat.v1 has no tf.get_name_scope; the graph's method
        return {"call": "$graph.get_name_scope", "as": ctx.names.fresh("cur")}
    return {"call": kind, "as": ctx.names.fresh("cur")}


def _steps(draw: Any, ctx: _Context, depth: int, open_scopes: list[str]) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = []
    count = draw(st.integers(1, 4))
    for _ in range(count):
        if ctx.budget <= 0:
            break
        ctx.budget -= 1
        kinds = ["get_variable", "get_variable", "variable", "op", "inspect"]
        if depth < MAX_DEPTH:
            kinds += ["variable_scope", "variable_scope", "name_scope"]
        kind = draw(st.sampled_from(kinds))
        if kind == "variable_scope":
            steps.append(_variable_scope(draw, ctx, depth, open_scopes))
        elif kind == "name_scope":
            steps.append(_name_scope(draw, ctx, depth, open_scopes))
        elif kind == "get_variable":
            steps.append(_get_variable(draw, ctx))
        elif kind == "variable":
            steps.append(_variable(draw, ctx))
        elif kind == "op":
            steps.append(_op(draw, ctx))
        else:
            steps.append(_inspect(draw, ctx, open_scopes))
    return steps


@st.composite
def programs(draw: Any) -> Raw:
    """A scopes program: nested scopes and creations, then the variable collections."""
    ctx = _Context()
    body = _steps(draw, ctx, 0, [])
    program = [{"call": "get_default_graph", "as": "graph"}, *body,
               {"call": "global_variables", "as": "all_variables"},
               {"call": "trainable_variables", "as": "trainable"}]
    return scenario("scopes", program, "generated nested scopes, variables and ops")
