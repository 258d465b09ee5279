"""reference_impl against TensorFlow 2.21's observed TF1 behaviour (literal values and texts)."""

from __future__ import annotations

import collections
import os
import subprocess
import sys

import numpy as np
import pytest

import reference_impl.compat.v1 as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield


def test_shapes_and_dtypes_print_as_tf():
    a = tf.constant([[1.0, 2.0]])
    p = tf.placeholder(tf.float32, [None, 3])
    assert repr(a) == "<tf.Tensor 'Const:0' shape=(1, 2) dtype=float32>"
    assert str(a) == 'Tensor("Const:0", shape=(1, 2), dtype=float32)'
    assert repr(p.shape) == "TensorShape([Dimension(None), Dimension(3)])"
    assert str(p.shape) == "(?, 3)" and repr(p.shape[0]) == "Dimension(None)"
    assert p.shape.as_list() == [None, 3]
    assert repr(tf.placeholder(tf.float32)) == \
        "<tf.Tensor 'Placeholder_1:0' shape=<unknown> dtype=float32>"
    assert repr(tf.TensorShape(None)) == "TensorShape(None)"
    assert repr(tf.float32) == "tf.float32" and str(tf.float32) == "<dtype: 'float32'>"
    assert tf.as_dtype("float32_ref").base_dtype == tf.float32
    assert tf.as_dtype(np.float64) == tf.float64


def test_op_names():
    a = tf.constant([1.0, 2.0])
    i = tf.constant([1, 2])
    assert (a * 2).name == "mul:0" and [t.name for t in (a * 2).op.inputs] == ["Const:0",
                                                                            "mul_1/y:0"]
    assert tf.add(a, 2).name == "Add:0" and tf.add(a, 2).op.type == "AddV2"
    # "add" collides case-insensitively with the two "Add" ops above
    assert (a + a).name == "add_2:0" and (2 - a).name == "sub:0"
    assert (i / 2).dtype == tf.float64 and (i // 2).op.type == "FloorDiv"
    assert (a < a).name == "Less:0" and (-a).name == "Neg:0"
    assert tf.cast(a, tf.float32) is a and tf.to_double(a).name == "ToDouble:0"
    z = tf.zeros([2])
    assert z.op.type == "Const" and z.name == "zeros:0"
    assert tf.shape(a).op.type == "Const"
    assert tf.shape(tf.placeholder(tf.float32, [None])).op.type == "Shape"
    # TF 2.21: the Python ints 0 and 1 as bounds skip min/max and the arithmetic
    r = tf.random_uniform([2])
    assert r.name == "random_uniform/RandomUniform:0"
    assert tf.random_uniform([2], 0, 3).name == "random_uniform_1/Mul:0"
    r = tf.random_uniform([2], 0.0, 1.0)
    assert [o.name for o in tf.get_default_graph().get_operations()][-6:] == [
        "random_uniform_2/shape", "random_uniform_2/min", "random_uniform_2/max",
        "random_uniform_2/RandomUniform", "random_uniform_2/sub", "random_uniform_2/mul"][1:] + [
        "random_uniform_2"]
    assert r.op.type == "AddV2"


def test_unique_name_rules():
    g = tf.get_default_graph()
    assert [g.unique_name("foo"), g.unique_name("foo"), g.unique_name("FOO")] == \
        ["foo", "foo_1", "FOO_2"]
    assert g.unique_name("foo", mark_as_used=False) == "foo_3"
    tf.constant(1, name="bar_1")
    names = [tf.constant(1, name=n).name for n in ("bar", "bar", "bar", "Bar")]
    assert names == ["bar:0", "bar_2:0", "bar_3:0", "Bar_4:0"]


def test_name_scope_reentry_and_root():
    with tf.name_scope("x") as s:
        assert s == "x/"
    with tf.name_scope("x") as s:
        assert s == "x_1/"
    with tf.name_scope("x/") as s:
        assert tf.constant(1).name == "x/Const:0"
    with tf.name_scope("a"):
        with tf.name_scope(None) as s:
            assert s == "" and tf.constant(1).name == "Const:0"
    with pytest.raises(ValueError, match="is not a valid root scope name"):
        tf.name_scope("bad name!").__enter__()


def test_variable_basics():
    v = tf.Variable(1.0, name="v")
    assert repr(v) == "<tf.Variable 'v:0' shape=() dtype=float32_ref>"
    assert v.op.type == "VariableV2" and v.initializer.name == "v/Assign"
    assert v.value().name == "v/read:0" and v.initial_value.name == "v/initial_value:0"
    assert v.initialized_value().name == "cond/Merge:0"
    a1 = tf.Variable(tf.constant(1.0, shape=[1]), name="a")
    a2 = tf.Variable(tf.constant(1.0, shape=[1]), name="a")
    assert a2.name == "a_1:0" and (a1 == a2) is False


def test_get_variable_errors_and_defaults():
    w = tf.get_variable("w", [2, 3])
    ops = [o.name for o in tf.get_default_graph().get_operations()]
    assert ops[:3] == ["w/Initializer/random_uniform/shape", "w/Initializer/random_uniform/min",
                       "w/Initializer/random_uniform/max"]
    with pytest.raises(ValueError, match=r"^Variable w already exists, disallowed\. Did you mean "
                       r"to set reuse=True or reuse=tf\.AUTO_REUSE in VarScope\? Originally"):
        tf.get_variable("w", [2, 3])
    with tf.variable_scope("s", reuse=True):
        with pytest.raises(ValueError) as e:
            tf.get_variable("w", [2, 3])
    assert str(e.value) == ("Variable s/w does not exist, or was not created with "
                            "tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in "
                            "VarScope?")
    with tf.variable_scope("", reuse=True):
        with pytest.raises(ValueError) as e:
            tf.get_variable("w", [2, 4])
        assert str(e.value) == ("Trying to share variable w, but specified shape (2, 4) and "
                                "found shape (2, 3).")
        with pytest.raises(ValueError) as e:
            tf.get_variable("w", [2, 3], dtype=tf.int32)
        assert str(e.value) == ("Trying to share variable w, but specified dtype int32 and "
                                "found dtype float32_ref.")
        assert tf.get_variable("w") is w
    with pytest.raises(ValueError) as e:
        tf.get_variable("q")
    assert str(e.value) == ("Variable q did not get an initializer, so its `shape` argument "
                            "must be specified.")
    with pytest.raises(ValueError, match="If initializer is a constant, do not specify shape."):
        tf.get_variable("q2", [2], initializer=tf.constant([1.0, 2.0]))
    z = tf.get_variable("z", [2], dtype=tf.int32)
    assert z.initializer.inputs[1].name == "z/Initializer/zeros:0"
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        assert s.run(z).tolist() == [0, 0]
        assert np.all(np.abs(s.run(w)) <= np.sqrt(6 / 5))


def test_variable_scope_arguments():
    with tf.variable_scope("vs") as sc:
        assert sc.original_name_scope == "vs/" and sc.reuse is False
        with tf.variable_scope(None, default_name="d") as d:
            assert (d.name, d.original_name_scope) == ("vs/d", "vs/d/")
        with tf.variable_scope(None, default_name="d") as d:
            assert (d.name, d.original_name_scope) == ("vs/d_1", "vs/d_1/")
        with tf.variable_scope("in", auxiliary_name_scope=False) as d:
            assert d.original_name_scope == "vs/" and tf.constant(1).name == "vs/Const:0"
        sc.reuse_variables()
        assert tf.get_variable_scope().reuse is True
        with tf.variable_scope("ar", reuse=tf.AUTO_REUSE) as d:
            assert d.reuse is tf.AUTO_REUSE  # the inner mode wins when it is truthy
    with tf.variable_scope(sc) as s2:
        assert (s2.original_name_scope, s2.reuse) == ("vs/", True)
        assert tf.constant(1).name == "vs_1/Const:0"
    with tf.variable_scope("vs") as s3:
        assert (s3.original_name_scope, s3.reuse) == ("vs_2/", False)
    with pytest.raises(TypeError, match="If default_name is None then name_or_scope is required"):
        tf.variable_scope(None)
    with pytest.raises(ValueError, match="reuse=True cannot be used without a name_or_scope"):
        tf.variable_scope(None, default_name="d", reuse=True).__enter__()


def test_scope_defaults_regularizer_custom_getter():
    seen = []

    def getter(getter, name, *args, **kwargs):
        seen.append(name)
        return getter(name, *args, **kwargs)

    with tf.variable_scope("r", initializer=tf.ones_initializer(), dtype=tf.float64,
                           regularizer=lambda x: tf.identity(x), custom_getter=getter):
        v = tf.get_variable("v", [2])
    assert v.dtype == tf.float64._as_ref and seen == ["r/v"]
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert [t.name for t in losses] == ["r/v/Regularizer/Identity:0"]
    with tf.Session() as s:
        s.run(v.initializer)
        assert s.run(v).tolist() == [1.0, 1.0]


def test_session_fetches_and_feeds():
    a = tf.constant(1.0)
    v = tf.Variable(2.0, name="v")
    p = tf.placeholder(tf.float32, [None, 3])
    P = collections.namedtuple("P", "u w")
    with tf.Session() as s:
        with pytest.raises(tf.errors.FailedPreconditionError) as e:
            s.run(v)
        assert "Attempting to use uninitialized value v" in e.value.message
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            s.run(p)
        assert ("You must feed a value for placeholder tensor 'Placeholder' with dtype float "
                "and shape [?,3]") in e.value.message
        with pytest.raises(ValueError) as e:
            s.run(p, {p: [[1, 2]]})
        assert str(e.value) == ("Cannot feed value of shape (1, 2) for Tensor Placeholder:0, "
                                "which has shape (?, 3)")
        assert s.run(v.initializer) is None
        out = s.run([v, {"a": a}, (a,), P(a, [a])])
        assert out == [2.0, {"a": 1.0}, (1.0,), P(1.0, [1.0])]
        assert isinstance(out[0], np.float32)
        assert s.run("v:0") == 2.0 and s.run("v/Assign") is None
        fed = s.run(a, {a: 5.0})
        assert isinstance(fed, np.ndarray) and fed.shape == ()
        with pytest.raises(TypeError) as e:
            s.run(3)
        assert str(e.value) == ('Argument `fetch` = 3 has invalid type "int" must be a string '
                                'or Tensor. (Can not convert a int into a Tensor or Operation.)')
        with pytest.raises(ValueError) as e:
            s.run("nope:0")
        assert str(e.value) == ('Argument `fetch` = nope:0 cannot be interpreted as a Tensor. '
                                '("The name \'nope:0\' refers to a Tensor which does not exist. '
                                'The operation, \'nope\', does not exist in the graph.")')
        x = tf.placeholder(tf.int32, [2])
        assert s.run(x, {x: [1.5, 2]}).tolist() == [1, 2]  # TF truncates silently
    with pytest.raises(RuntimeError, match="^Attempted to use a closed Session.$"):
        s.run(a)


def test_graph_lookup_errors_and_finalize():
    tf.Variable(1.0, name="v")
    g = tf.get_default_graph()
    with pytest.raises(ValueError) as e:
        g.get_tensor_by_name("v")
    assert str(e.value) == ("The name 'v' refers to an Operation, not a Tensor. Tensor names "
                            'must be of the form "<op_name>:<output_index>".')
    with pytest.raises(KeyError) as e:
        g.get_tensor_by_name("v:5")
    assert e.value.args[0] == ("The name 'v:5' refers to a Tensor which does not exist. The "
                               "operation, 'v', exists but only has 1 outputs.")
    with pytest.raises(KeyError) as e:
        g.get_operation_by_name("zz")
    assert e.value.args[0] == "The name 'zz' refers to an Operation not in the graph."
    g2 = tf.Graph()
    g2.finalize()
    with g2.as_default():
        with pytest.raises(RuntimeError, match="^Graph is finalized and cannot be modified.$"):
            tf.constant(1)


def test_counter_control_deps_and_group():
    state = tf.Variable(0, name="counter")
    update = tf.assign(state, tf.add(state, 1))
    with tf.control_dependencies([update]):
        # counter/read was built before the block, yet it sees the update: a read of a
        # reference variable aliases its buffer, which Assign overwrites in place.
        after = tf.identity(state)
    with tf.Session() as s:
        s.run(tf.initialize_all_variables())
        assert [int(s.run(after)) for _ in range(3)] == [1, 2, 3]
        assert s.run(tf.group(update, update)) is None
        assert s.run(state) == 4


def test_group_makes_one_noop_per_device_as_tf():
    # TF 2.21: a group's inputs on several devices get a NoOp per device (sorted), under the
    # returned NoOp; inputs on one device give one NoOp on that device.
    x = tf.constant(1.0, name="x")
    with tf.device("/cpu:0"):
        y = tf.constant(2.0, name="y")
    with tf.device("/device:GPU:0"):
        z = tf.constant(3.0, name="z")
    g = tf.group(z, x, y, name="G")
    graph = tf.get_default_graph()
    parts = [graph.get_operation_by_name(n) for n in ("G/NoOp", "G/NoOp_1", "G/NoOp_2")]
    assert [(o.device, [c.name for c in o.control_inputs]) for o in parts] == [
        ("", ["x"]), ("/device:CPU:0", ["y"]), ("/device:GPU:0", ["z"])]
    assert g.device == "" and [c.name for c in g.control_inputs] == [
        "G/NoOp", "G/NoOp_1", "G/NoOp_2"]
    assert tf.group(y).device == "/device:CPU:0"
    empty = tf.group()
    assert empty.name == "group_deps_1" and list(empty.control_inputs) == []


def test_build_time_errors():
    with pytest.raises(TypeError) as e:
        tf.constant(1) + 1.5
    assert str(e.value) == ("Input 'y' of 'AddV2' Op has type float32 that does not match type "
                            "int32 of argument 'x'.")
    with pytest.raises(ValueError) as e:
        tf.matmul(tf.constant([[1.0, 2.0]]), tf.constant([[1.0, 2.0]]))
    assert str(e.value) == (
        "Dimensions must be equal, but are 2 and 1 for '{{node MatMul}} = MatMul[T=DT_FLOAT, "
        "grad_a=false, grad_b=false, transpose_a=false, transpose_b=false](Const_1, Const_2)' "
        "with input shapes: [1,2], [1,2].")
    with pytest.raises(TypeError, match=r"^Expected int32, but got 1.5 of type 'float'.$"):
        tf.constant(1.5, dtype=tf.int32)


def test_devices_and_soft_placement():
    with tf.device("/gpu:0"):
        c = tf.constant(1.0) + 1
    assert c.device == "/device:GPU:0"
    with tf.Session() as s:
        with pytest.raises(tf.errors.InvalidArgumentError, match="Cannot assign a device"):
            s.run(c)
    with tf.Session(config=tf.ConfigProto(allow_soft_placement=True)) as s:
        assert s.run(c) == 2.0


def test_looking_for_a_gpu_the_driver_does_not_have_loads_no_cuda_backend():
    # importing numba's CUDA package took longer than the rest of a worker's start-up
    from reference_impl.kernels import cuda

    if cuda.driver_has_gpu():
        pytest.skip("this machine has a GPU")
    program = ("import sys, reference_impl.compat.v1 as tf\n"
               "with tf.device('/gpu:0'):\n    c = tf.constant(1.0) + 1\n"
               "with tf.Session(config=tf.ConfigProto(allow_soft_placement=True)) as s:\n"
               "    assert s.run(c) == 2.0\n"
               "print('numba.cuda' in sys.modules)\n")
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_ENABLE_CUDASIM"}
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.strip() == "False"


def test_device_strings_and_whole_graph_placement():
    d = tf.constant(1.0)
    with tf.device("/job:w/task:1"):
        with tf.device("/cpu:0"):
            bad = tf.constant(1)
            assert bad.device == "/job:w/task:1/device:CPU:0"
        with tf.device(None):
            assert tf.constant(1).device == ""
    with tf.Session() as s:
        # TF places the whole graph: an unplaceable op fails runs that do not need it.
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            s.run(d)
        assert ("Cannot assign a device for operation Const_1: {{node Const_1}} was explicitly "
                "assigned to /job:w/task:1/device:CPU:0 but available devices are "
                "[ /job:localhost/replica:0/task:0/device:CPU:0 ]. Make sure the device "
                "specification refers to a valid device.") in e.value.message


def test_shape_ops_and_random():
    p = tf.placeholder(tf.float32, [None, 3])
    assert tf.reshape(p, [-1]).shape.as_list() == [None]
    assert tf.expand_dims(p, -1).shape.as_list() == [None, 3, 1]
    tf.set_random_seed(1)
    r = tf.truncated_normal([1000], stddev=2.0)
    u = tf.random_uniform([1000], minval=-1, maxval=1)
    sh = tf.random_shuffle(tf.range(10) if hasattr(tf, "range") else tf.constant(list(range(10))))
    with tf.Session() as s:
        a, b, c = s.run([r, u, sh])
        assert s.run(tf.shape(p), {p: np.zeros([2, 3])}).tolist() == [2, 3]
        assert s.run(tf.rank(p)) == 2 and s.run(tf.size(tf.zeros([2, 5]))) == 10
    assert np.abs(a).max() <= 4.0 and b.min() >= -1 and b.max() < 1
    assert sorted(c.tolist()) == list(range(10))
    with tf.Session() as s2:
        assert np.array_equal(s2.run(r), a)  # a seeded op repeats in a new session


def test_global_step_helpers():
    assert tf.train.get_global_step() is None
    step = tf.train.get_or_create_global_step()
    assert step.name == "global_step:0" and step.dtype == tf.int64._as_ref
    assert tf.train.get_or_create_global_step() is step
    assert step not in tf.trainable_variables() and step in tf.global_variables()


def test_a_partitioner_is_refused_rather_than_ignored():
    # TF makes a PartitionedVariable (s/v/part_0, ...): a whole s/v would be a silent divergence.
    tf.reset_default_graph()
    with tf.variable_scope("s", partitioner=lambda shape, dtype: [2, 1]):
        with pytest.raises(NotImplementedError, match="partitioner"):
            tf.get_variable("v", [4, 2])
    assert tf.get_variable("w", [2]).name == "w:0"
