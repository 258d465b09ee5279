"""`Operation.traceback`: ops record their creators' frames as code and bytecode offset and look
the lines up when asked; the lines must be those the frames were at (what ``f_lineno`` said)."""

from __future__ import annotations

import sys

import pytest

import reference_impl.compat.v1 as tf


def _make_in_a_loop() -> tuple[list, list[int]]:
    ops, lines = [], []
    for _ in range(2):
        lines.append(sys._getframe().f_lineno + 1)
        ops.append(tf.constant(1.0).op)
    lines.append(sys._getframe().f_lineno + 1)
    ops.append(tf.add(ops[0].outputs[0], 2.0).op)  # Const "y" and Add: the same user frame
    return ops, lines


def test_traceback_lines_are_the_creating_lines() -> None:
    with tf.Graph().as_default() as g:
        ops, lines = _make_in_a_loop()
        for op, line in zip(ops, lines):
            innermost_user = [f for f in reversed(op.traceback) if "reference_impl" not in f[0]][0]
            assert innermost_user == (__file__, line, "_make_in_a_loop")
        # Every op made by tf.add, its Const input included, was made from the same line.
        for op in g.get_operations()[2:]:
            assert op._user_traceback(1)[0][1] == lines[2]


def test_user_traceback_is_the_filtered_traceback() -> None:
    with tf.Graph().as_default():
        op = tf.constant(1.0).op
        user = [f for f in reversed(op.traceback) if "reference_impl" not in f[0]]
        assert op._user_traceback(5) == user[:5]
        assert op.traceback[-1][2] == "_create_op"  # the innermost frame: the graph adding it


def test_duplicate_variable_message_lists_the_first_definition() -> None:
    with tf.Graph().as_default():
        line = sys._getframe().f_lineno + 1
        tf.get_variable("v", [1])
        with pytest.raises(ValueError) as e:
            tf.get_variable("v", [1])
        where = e.value.args[0].split("Originally defined at:\n\n")[1]
        assert where.splitlines()[0] == (f'  File "{__file__}", line {line}, in '
                                         "test_duplicate_variable_message_lists_the_first_definition")
