"""``-k EXPR``: choose scenarios the way pytest's ``-k`` chooses tests.

Words match, case-insensitively, as substrings of a scenario's id, title or tags; words combine
with ``and``, ``or``, ``not`` and parentheses. Parsed by a small recursive-descent parser.
"""

from __future__ import annotations

import re
from typing import Callable

from .scenario import Scenario

_TOKEN = re.compile(r"\s*(\(|\)|[^\s()]+)")


class SelectionError(ValueError):
    """A ``-k`` expression that cannot be parsed."""


MAX_NESTING = 50  # of `not` and parentheses


def compile_selection(expression: str) -> Callable[[str], bool]:
    """A predicate over the text a scenario is matched against."""
    tokens = _TOKEN.findall(expression)
    position = 0

    def peek() -> str | None:
        return tokens[position] if position < len(tokens) else None

    def take() -> str:
        nonlocal position
        position += 1
        return tokens[position - 1]

    def parse_or(depth: int) -> Callable[[str], bool]:
        terms = [parse_and(depth)]
        while peek() == "or":
            take()
            terms.append(parse_and(depth))
        # a flat list, not a chain of closures: a long expression must not recurse to evaluate
        return terms[0] if len(terms) == 1 else (lambda t: any(term(t) for term in terms))

    def parse_and(depth: int) -> Callable[[str], bool]:
        factors = [parse_not(depth)]
        while peek() == "and":
            take()
            factors.append(parse_not(depth))
        return factors[0] if len(factors) == 1 else (lambda t: all(factor(t) for factor in factors))

    def parse_not(depth: int) -> Callable[[str], bool]:
        if depth > MAX_NESTING:
            raise SelectionError(f"-k expression nested more than {MAX_NESTING} levels deep")
        if peek() == "not":
            take()
            inner = parse_not(depth + 1)
            return lambda t: not inner(t)
        if peek() == "(":
            take()
            inner = parse_or(depth + 1)
            if peek() != ")":
                raise SelectionError(f"missing ')' in -k expression {expression!r}")
            take()
            return inner
        token = peek()
        if token is None or token in ("and", "or", ")"):
            raise SelectionError(f"unexpected {'end' if token is None else repr(token)} in -k expression {expression!r}")
        word = take().lower()
        return lambda t: word in t

    if not tokens:
        return lambda t: True
    predicate = parse_or(0)
    if peek() is not None:
        raise SelectionError(f"unexpected {peek()!r} in -k expression {expression!r}")
    return predicate


def select(scenarios: list[Scenario], expression: str | None) -> list[Scenario]:
    """The scenarios ``expression`` selects (all of them when it is None or empty)."""
    if not expression:
        return scenarios
    predicate = compile_selection(expression)
    return [s for s in scenarios if predicate(" ".join([s.id, s.title, *s.tags]).lower())]


def parse_shard(text: str) -> tuple[int, int]:
    """``I/N`` (1-based) → (I, N)."""
    index, sep, count = text.partition("/")
    if not sep or not index.isdigit() or not count.isdigit() or not 1 <= int(index) <= int(count):
        raise SelectionError(f"--shard takes I/N with 1 <= I <= N, got {text!r}")
    return int(index), int(count)


def shard(scenarios: list[Scenario], index: int, count: int) -> list[Scenario]:
    """The I-th of N deterministic slices: every N-th scenario in id order, so each shard gets
    a share of every area and the union of all shards is the whole spec, once."""
    ordered = sorted(scenarios, key=lambda s: s.id)
    return [s for position, s in enumerate(ordered) if position % count == index - 1]
