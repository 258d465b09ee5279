"""Resource variables and ``Variable(variable_def=...)`` in reference_impl, against what TF 2.21
(TF1 behaviour) builds and prints (literal values observed on TF)."""

from __future__ import annotations

import numpy as np
import pytest

import reference_impl.compat.v1 as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield


def _ops():
    return [(op.name, op.type) for op in tf.get_default_graph().get_operations()]


def test_get_variable_under_use_resource_builds_tf_s_ops():
    with tf.variable_scope("ur", use_resource=True):
        r = tf.get_variable("r", [1])
    p = tf.get_variable("plain", [1])
    assert r.name == "ur/r:0" and r.dtype == tf.float32 and r.dtype.name == "float32"
    assert p.dtype.name == "float32_ref"
    assert repr(r) == "<tf.Variable 'ur/r:0' shape=(1,) dtype=float32>"
    assert _ops()[7:11] == [
        ("ur/r", "VarHandleOp"), ("ur/r/IsInitialized/VarIsInitializedOp", "VarIsInitializedOp"),
        ("ur/r/Assign", "AssignVariableOp"), ("ur/r/Read/ReadVariableOp", "ReadVariableOp")]
    assert _ops()[0] == ("ur/r/Initializer/random_uniform/shape", "Const")
    assert r.op.name == "ur/r" and r.initializer.name == "ur/r/Assign"
    assert str(r.handle) == 'Tensor("ur/r:0", shape=(), dtype=resource)'
    assert r.initial_value.name == "ur/r/Initializer/random_uniform:0"
    assert r._as_graph_element().name == "ur/r/Read/ReadVariableOp:0"
    assert not isinstance(r, tf.Variable)  # tf.compat.v1.Variable is VariableV1 in TF
    assert tf.trainable_variables() == [r, p]


def test_variable_use_resource_names_reads_and_assignments():
    v = tf.Variable(3.0, name="rv", use_resource=True)
    assert [n for n, _ in _ops()] == ["rv/Initializer/initial_value", "rv",
                                      "rv/IsInitialized/VarIsInitializedOp", "rv/Assign",
                                      "rv/Read/ReadVariableOp"]
    n0 = len(_ops())
    assert str(v.read_value()) == 'Tensor("Identity:0", shape=(), dtype=float32)'
    assert v.value().name == "ReadVariableOp:0"
    with tf.name_scope("s"):
        assert v.value().name == "s/ReadVariableOp:0"
    c = v + 1
    a = v.assign_add(1.0)
    a2 = v.assign(7.0, read_value=False)
    d = tf.assign(v, 5.0)
    got = [(op.name, op.type, [t.name for t in op.inputs], [x.name for x in op.control_inputs])
           for op in tf.get_default_graph().get_operations()[n0:]]
    assert got == [
        ("Read/ReadVariableOp", "ReadVariableOp", ["rv:0"], []),
        ("Identity", "Identity", ["Read/ReadVariableOp:0"], []),
        ("ReadVariableOp", "ReadVariableOp", ["rv:0"], []),
        ("s/ReadVariableOp", "ReadVariableOp", ["rv:0"], []),
        ("ReadVariableOp_1", "ReadVariableOp", ["rv:0"], []),
        ("add/y", "Const", [], []),
        ("add", "AddV2", ["ReadVariableOp_1:0", "add/y:0"], []),
        ("Const", "Const", [], []),
        ("AssignAddVariableOp", "AssignAddVariableOp", ["rv:0", "Const:0"], []),
        ("ReadVariableOp_2", "ReadVariableOp", ["rv:0"], ["AssignAddVariableOp"]),
        ("Const_1", "Const", [], []),
        ("AssignVariableOp", "AssignVariableOp", ["rv:0", "Const_1:0"], []),
        ("Const_2", "Const", [], []),
        ("AssignVariableOp_1", "AssignVariableOp", ["rv:0", "Const_2:0"], []),
        ("ReadVariableOp_3", "ReadVariableOp", ["rv:0"], ["AssignVariableOp_1"]),
    ]
    assert repr(a) == "<tf.Variable 'AssignAddVariableOp' shape=() dtype=float32>"
    assert a.name == "AssignAddVariableOp" and a.op.type == "AssignAddVariableOp"
    assert a2.type == "AssignVariableOp"
    assert repr(d) == "<tf.Variable 'AssignVariableOp_1' shape=() dtype=float32>"
    with pytest.raises(ValueError) as e:
        v.assign([1.0, 2.0])
    assert str(e.value) == ("Cannot assign value to variable ' rv:0': Shape mismatch.The "
                            "variable shape (), and the assigned value shape (2,) are "
                            "incompatible.")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError) as e:
            sess.run(v)
        assert ("Could not find variable rv. This could mean that the variable has been "
                "deleted. In TF1, it can also mean the variable is uninitialized. Debug info: "
                "container=localhost, status error message=Container localhost does not exist. "
                "(Could not find resource: localhost/rv)") in e.value.message
        assert list(sess.run(tf.report_uninitialized_variables())) == [b"rv"]
        sess.run(tf.global_variables_initializer())
        assert sess.run([v, c, a]) == [3.0, 4.0, 4.0]
        assert sess.run(v) == 4.0 and sess.run(d) == 5.0
        assert sess.run(a2) is None and sess.run(v) == 7.0


def test_variables_ignore_outer_control_dependencies():
    c = tf.constant(1.0, name="c")
    with tf.control_dependencies([c]):
        tf.Variable(1.0, name="w")
        tf.get_variable("x", [1])
        tf.Variable(1.0, name="z", use_resource=True)
    assert all(not op.control_inputs for op in tf.get_default_graph().get_operations())


def test_tf_variable_inside_a_use_resource_scope_is_a_resource_variable():
    with tf.variable_scope("s", use_resource=True):
        v = tf.Variable(1.0, name="v")
        w = tf.Variable(1.0, name="w", use_resource=False)
    assert v.name == "s/v:0" and v.dtype.name == "float32" and v.op.type == "VarHandleOp"
    assert w.dtype.name == "float32_ref"


def test_variable_def_round_trip():
    v = tf.Variable([1.0, 2.0], name="v")
    vd = v.to_proto()
    assert (vd.variable_name, vd.initializer_name, vd.snapshot_name, vd.initial_value_name,
            vd.trainable) == ("v:0", "v/Assign", "v/read:0", "v/initial_value:0", True)
    w = tf.Variable(variable_def=vd)
    assert w is not v and isinstance(w, tf.Variable)
    assert w.name == "v:0" and w.op is v.op and w.initializer is v.initializer
    assert w.value() is v.value() and w.initial_value is v.initial_value
    assert tf.Variable.from_proto(vd).name == "v:0"
    with pytest.raises(ValueError) as e:
        tf.Variable(1.0, variable_def=vd)
    assert str(e.value) == "variable_def and initial_value are mutually exclusive."
    with tf.Session() as sess:
        sess.run(w.initializer)
        np.testing.assert_array_equal(sess.run(w), [1.0, 2.0])
    with tf.name_scope("outer"):
        inner = tf.Variable(0, name="u")
    proto = inner.to_proto(export_scope="outer")
    assert proto.variable_name == "u:0" and proto.snapshot_name == "u/read:0"
    assert inner.to_proto(export_scope="elsewhere") is None
    r = tf.Variable(1.0, name="r", use_resource=True)
    rd = r.to_proto()
    assert rd.is_resource and rd.snapshot_name == "r/Read/ReadVariableOp:0"
    assert rd.initial_value_name == "r/Initializer/initial_value:0"
