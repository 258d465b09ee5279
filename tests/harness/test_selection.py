"""`-k` expressions: words matched against a scenario's id, title and tags, with and / or / not
and parentheses; bad or outsized expressions are usage errors, never tracebacks."""

from __future__ import annotations

import pytest

from conformance.selection import MAX_NESTING, SelectionError, compile_selection

TEXT = "scopes/reuse-true-missing get_variable raises when reuse=true finds nothing"


@pytest.mark.parametrize("expression, selected", [
    ("", True),
    ("reuse", True),
    ("REUSE", True),  # case-insensitive
    ("saver", False),
    ("saver or reuse", True),
    ("saver and reuse", False),
    ("not saver", True),
    ("not saver and reuse", True),  # not binds tightest
    ("saver or reuse and missing", True),  # and binds tighter than or
    ("(saver or reuse) and not missing", False),
    ("not (saver or scopes)", False),
])
def test_words_and_operators(expression, selected):
    assert compile_selection(expression)(TEXT.lower()) is selected


def test_a_long_expression_evaluates_without_recursing():
    many = " or ".join(f"word{i}" for i in range(20_000))
    assert compile_selection(many + " or reuse")(TEXT)
    assert not compile_selection(many)(TEXT)
    assert compile_selection(" and ".join(["reuse"] * 20_000))(TEXT)


@pytest.mark.parametrize("expression", [
    "(" * (MAX_NESTING + 5) + "reuse" + ")" * (MAX_NESTING + 5),
    "not " * (MAX_NESTING + 5) + "reuse",
])
def test_deep_nesting_is_refused(expression):
    with pytest.raises(SelectionError, match="nested more than"):
        compile_selection(expression)


def test_nesting_within_the_limit_works():
    assert compile_selection("(" * MAX_NESTING + "reuse" + ")" * MAX_NESTING)(TEXT)
    assert compile_selection("not " * (MAX_NESTING // 2 * 2) + "reuse")(TEXT)


@pytest.mark.parametrize("expression, words", [
    ("and or", "unexpected 'and'"),
    ("reuse and", "unexpected end"),
    ("(reuse", "missing ')'"),
    ("reuse)", "unexpected ')'"),
])
def test_malformed_expressions_say_what_is_wrong(expression, words):
    with pytest.raises(SelectionError, match=words.replace("(", r"\(").replace(")", r"\)")):
        compile_selection(expression)
