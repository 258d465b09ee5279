"""Expressions: the data forms parse to a tree and render to the Python they stand for."""

from __future__ import annotations

import pytest

from conformance.expressions import ExpressionError, parse, parse_call, references, render


@pytest.mark.parametrize("value, python", [
    ("$v", "v"),
    ("$v.op.name", "v.op.name"),
    ("$x.get_shape().as_list()", "x.get_shape().as_list()"),
    ("$outs[0]", "outs[0]"),
    ("$d['k']", "d['k']"),
    ("plain", "'plain'"),
    (1.5, "1.5"),
    ([1, [2, 3]], "[1, [2, 3]]"),
    ({"tf": "GraphKeys.GLOBAL_VARIABLES"}, "tf.GraphKeys.GLOBAL_VARIABLES"),
    ({"call": "get_variable", "args": ["v", [1]], "kwargs": {"dtype": {"tf": "float32"}}},
     "tf.get_variable('v', [1], dtype=tf.float32)"),
    ({"call": "$v.assign", "args": [2.0]}, "v.assign(2.0)"),
    ({"op": "+", "args": ["$a", "$b"]}, "(a + b)"),
    ({"op": "neg", "args": ["$a"]}, "(-a)"),
    ({"op": "getitem", "args": ["$a", 1]}, "a[1]"),
    ({"tuple": [1]}, "(1,)"),
    ({"op": "getitem", "args": ["$t", {"tuple": [{"slice": [1, None]}, {"ellipsis": True}, None,
                                                  {"slice": [None, None, "$k"]}]}]},
     "t[(slice(1, None), Ellipsis, None, slice(None, None, k))]"),
    ({"ndarray": [[1, 2]], "dtype": "float32"}, "np.array([[1, 2]], dtype='float32')"),
    ({"path": "ckpt/model"}, "os.path.join(WORKDIR, 'ckpt/model')"),
    ({"literal": "$x"}, "'$x'"),
    (float("nan"), "float('nan')"),
    ({"ndarray": [1.0, float("-inf")], "dtype": "float32"}, "np.array([1.0, float('-inf')], dtype='float32')"),
    ({"$x": [1.0]}, "{x: [1.0]}"),
    ({"lambda": ["getter", "*args", "**kwargs"],
      "body": {"call": "$getter", "args": [{"splat": "$args"}], "kwargs": {"**": "$kwargs"}}},
     "(lambda getter, *args, **kwargs: getter(*args, **kwargs))"),
])
def test_render(value, python):
    assert render(parse(value)) == python


@pytest.mark.parametrize("value, words", [
    ("$", "not a reference"),
    ("$v..x", "cannot read"),
    ("$v.x(1)", "cannot read"),
    ({"op": "^", "args": [1, 2]}, "unknown operator"),
    ({"op": "+", "args": [1]}, "takes 2 argument"),
    ({"path": "/etc/passwd"}, "must stay inside"),
    ({"path": "a/../../b"}, "must stay inside"),
    ({"call": "os.system; rm", "args": []}, "not an API path"),
    ({"tuple": [1], "extra": 2}, "takes only"),
    ({"slice": []}, "1 to 3 values"),
    ({"slice": [1, 2, 3, 4]}, "1 to 3 values"),
    ({"slice": 1}, "1 to 3 values"),
    ({"ellipsis": "yes"}, "written {ellipsis: true}"),
])
def test_invalid_expressions(value, words):
    with pytest.raises(ExpressionError, match=words):
        parse(value)


def test_slices_evaluate_to_python_slices():
    from conformance.interpreter import Interpreter

    expr = parse({"tuple": [{"slice": ["$a", None, -1]}, {"ellipsis": True}]})
    assert list(references(expr)) == ["a"]
    interpreter = Interpreter(api=None, workdir="/nonexistent")
    interpreter.env["a"] = 3
    assert interpreter.eval(expr) == (slice(3, None, -1), Ellipsis)


def test_references_skip_lambda_parameters():
    expr = parse({"lambda": ["g"], "body": {"call": "$g", "args": ["$outer"]}})
    assert list(references(expr)) == ["outer"]


def test_call_rejects_non_identifier_keywords():
    with pytest.raises(ExpressionError, match="not an identifier"):
        parse_call("constant", [], {"bad key": 1})
