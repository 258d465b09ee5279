"""The sparse training kernels (``SparseApply*``, ``ResourceSparseApply*``) and their builder
against TensorFlow 2.21: the bits of three updates per case (stored by
make_sparse_training_fixture.py), and every check, message and partial update below as TF 2.21's
CPU kernels gave them (graph mode, inputs fed through placeholders). The tests run without
TensorFlow."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

from reference_impl import dtypes, errors, graph, training_ops
from reference_impl.compat import v1 as tf
from reference_impl.kernels.cpu import eigen_rsqrt
from reference_impl.kernels.cpu.resource import ResourceHandle
from reference_impl.kernels.registry import KernelContext, Ref, lookup_kernel

sys.path.insert(0, os.path.dirname(__file__))
from make_sparse_training_fixture import (CASES, OPS, RSQRT_OPS, arguments, case_key,  # noqa: E402
                                          rsqrt_probe, start)

_STORED = np.load(os.path.join(os.path.dirname(__file__), "data", "sparse_training_tf.npz"))


def _bits(a: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(a), np.array(np.nan, a.dtype), a).view(f"u{a.itemsize}")


def _estimate_is_the_fixture_machines() -> bool:
    """Whether this machine's float32 rsqrt packets give the fixture machine's bits (the last
    bits come from the processor's rsqrtps estimate: Intel's and AMD's differ)."""
    x = _STORED["rsqrt_x"]
    return (eigen_rsqrt.hardware_estimate_available()
            and np.array_equal(_bits(eigen_rsqrt.rsqrt_packets(x)), _bits(_STORED["rsqrt_tf"])))


def _run(op: str, dtype: str, attrs: dict, inputs: list) -> list:
    kernel = lookup_kernel(op, "CPU")  # (as a session runs it: the registry's entry)
    return kernel(KernelContext(op, op, {"T": dtypes.as_dtype(np.dtype(dtype)), **attrs}), inputs)


def _skip_machine_dependent(i: int) -> None:
    k, inner, dtype = CASES[i]
    if (OPS[k][0] in RSQRT_OPS and inner >= 8 and dtype == "float32"
            and not _estimate_is_the_fixture_machines()):
        pytest.skip("float32 rsqrt packets: this processor's rsqrtps estimate is not the fixture's")


@pytest.mark.parametrize("i", range(len(CASES)), ids=[case_key(i) for i in range(len(CASES))])
def test_three_updates_match_tensorflow_bits(i: int) -> None:
    _skip_machine_dependent(i)
    k, _, dtype = CASES[i]
    op, _, _, attrs = OPS[k]
    variables, grad = start(i)
    refs = [Ref(f"v{j}", v.copy()) for j, v in enumerate(variables)]
    for _step in range(3):
        assert _run(op, dtype, attrs, refs + arguments(i, grad)) == [refs[0]]
    for j, ref in enumerate(refs):
        want = _STORED[f"{case_key(i)}_var{j}"]
        differ = np.flatnonzero(_bits(ref.value) != _bits(want))
        assert differ.size == 0, (j, differ[:5], ref.value.ravel()[differ[:5]], want.ravel()[differ[:5]])


@pytest.mark.parametrize("i", [i for i in range(len(CASES)) if CASES[i][1] == 3],
                         ids=[case_key(i) for i in range(len(CASES)) if CASES[i][1] == 3])
def test_resource_forms_give_the_same_bits_and_leave_earlier_reads(i: int) -> None:
    k, _, dtype = CASES[i]
    op, _, _, attrs = OPS[k]
    variables, grad = start(i)
    handles = [ResourceHandle(f"v{j}", v.copy()) for j, v in enumerate(variables)]
    before = handles[0].value
    for _step in range(3):
        assert _run("Resource" + op, dtype, attrs, handles + arguments(i, grad)) == []
    assert np.array_equal(before, variables[0])  # a copy was updated
    for j, handle in enumerate(handles):
        assert np.array_equal(_bits(handle.value), _bits(_STORED[f"{case_key(i)}_var{j}"]))


def test_rsqrt_packets_are_eigens_on_the_fixture_machine() -> None:
    if not _estimate_is_the_fixture_machines():
        pytest.skip("this processor's rsqrtps estimate is not the fixture machine's")
    assert np.array_equal(rsqrt_probe(), _STORED["rsqrt_x"])


# -- checks, messages and partial updates (TF 2.21) ------------------------------------------

F = np.float32
V = np.arange(8, dtype=F).reshape(4, 2)
ONES = np.ones((4, 2), F)

# op -> (variables, arguments after them with grad and indices as None, attrs)
SIMPLE = {
    "SparseApplyMomentum": (2, [F(0.1), None, None, F(0.9)], {"use_nesterov": False}),
    "SparseApplyAdagrad": (2, [F(0.1), None, None], {"update_slots": True}),
    "SparseApplyAdagradDA": (3, [None, None, F(0.1), F(0), F(0), np.int64(2)], {}),
    "SparseApplyRMSProp": (3, [F(0.1), F(0.9), F(0), F(1e-7), None, None], {}),
    "SparseApplyCenteredRMSProp": (4, [F(0.1), F(0.9), F(0), F(1e-7), None, None], {}),
    "SparseApplyFtrl": (3, [None, None, F(0.1), F(0), F(0), F(-0.5)], {"multiply_linear_by_lr": False}),
    "SparseApplyFtrlV2": (3, [None, None, F(0.1), F(0), F(0), F(0), F(-0.5)], {"multiply_linear_by_lr": False}),
}


def _inputs(op: str, grad: object, indices: object, var: np.ndarray = V,
            slot: np.ndarray | None = None, change: dict | None = None) -> tuple[list, list]:
    count, args, _ = SIMPLE[op]
    refs = [Ref("v", np.array(var))] + [Ref(f"s{j}", np.ones_like(var) if slot is None else slot.copy())
                                        for j in range(count - 1)]
    values = list(args)
    at = [j for j, a in enumerate(args) if a is None]
    values[at[0]], values[at[1]] = np.asarray(grad, F), np.asarray(indices, np.int32)
    for j, v in (change or {}).items():
        values[j] = v
    return refs, values


def _fails(op: str, refs: list, values: list, attrs: dict | None = None) -> str:
    with pytest.raises(errors.InvalidArgumentError) as raised:
        _run(op, "float32", {**SIMPLE[op][2], **(attrs or {})}, refs + values)
    return raised.value.message


ROW = np.ones((1, 2), F)
CHECKS = [  # (op, grad, indices, keywords of _inputs, message)
    *[(op, ROW, [0], {"slot": np.ones((4, 3), F)}, f"var and {slot} do not have the same shape[4,2] [4,3]")
      for op, slot in [("SparseApplyMomentum", "accum"), ("SparseApplyAdagrad", "accum"),
                       ("SparseApplyAdagradDA", "accum"), ("SparseApplyRMSProp", "ms"),
                       ("SparseApplyCenteredRMSProp", "mg"), ("SparseApplyFtrl", "accum")]],
    *[(op, np.ones(1, F), [0], {"var": F(3), "slot": np.ones((), F)}, "var must be at least 1 dimensional")
      for op in SIMPLE],
    *[(op, ROW, [[0]], {}, "indices must be one-dimensional") for op in SIMPLE],
    *[(op, np.ones((1, 3), F), [0], {}, "var and grad must match in dimension 1") for op in SIMPLE],
    *[(op, ROW, [0, 1], {}, "grad must be the same size as indices in the first dimension.")
      for op in SIMPLE],
    *[(op, np.ones((0, 3), F), [], {}, "var and grad must match in dimension 1") for op in SIMPLE],
    *[(op, np.ones((1, 0), F), [0], {"var": np.ones((4, 0), F)}, "Inner dimension should be greater than zero.")
      for op in ("SparseApplyAdagrad", "SparseApplyAdagradDA", "SparseApplyFtrl", "SparseApplyFtrlV2")],
    ("SparseApplyMomentum", ROW, [0], {"change": {0: np.ones(2, F)}}, "lr is not a scalar : [2]"),
    ("SparseApplyMomentum", ROW, [0], {"change": {3: np.ones(2, F)}}, "momentum is not a scalar: [2]"),
    ("SparseApplyAdagrad", ROW, [0], {"change": {0: np.ones(2, F)}}, "lr is not a scalar: [2]"),
    ("SparseApplyAdagradDA", ROW, [0], {"change": {2: np.ones(2, F)}}, "lr is not a scalar: [2]"),
    ("SparseApplyAdagradDA", ROW, [0], {"change": {3: np.ones(2, F)}},
     "l1 regularization strength is not a scalar: [2]"),
    ("SparseApplyAdagradDA", ROW, [0], {"change": {4: np.ones(2, F)}},
     "l2 regularization strength is not a scalar: [2]"),
    ("SparseApplyAdagradDA", ROW, [0], {"change": {5: np.ones(2, np.int64)}}, "global_step is not a scalar: [2]"),
    *[(op, ROW, [0], {"change": {j: np.ones(2, F)}}, f"{name} is not a scalar: [2]")
      for op in ("SparseApplyRMSProp", "SparseApplyCenteredRMSProp")
      for j, name in enumerate(["lr", "rho", "momentum", "epsilon"])],
    *[(op, ROW, [0], {"change": {2: np.ones(2, F)}},
       "lr is not a positive scalar (or zero if multiply_linear_by_lr is set): [2]")
      for op in ("SparseApplyFtrl", "SparseApplyFtrlV2")],
    ("SparseApplyFtrl", ROW, [0], {"change": {2: F(0)}},
     "lr is not a positive scalar (or zero if multiply_linear_by_lr is set): []"),
    ("SparseApplyFtrl", ROW, [0], {"change": {3: F(-1)}},
     "l1 regularization strength is not a non-negative scalar: []"),
    ("SparseApplyFtrl", ROW, [0], {"change": {4: F(-1)}},
     "l2 regularization strength is not a non-negative scalar: []"),
    ("SparseApplyFtrl", ROW, [0], {"change": {5: F(0.5)}}, "lr_power is not a non-positive scalar: []"),
    ("SparseApplyFtrlV2", ROW, [0], {"change": {5: F(-1)}},
     "l2 shrinkage regularization strength is not a non-negative scalar: []"),
    ("SparseApplyFtrlV2", ROW, [0], {"change": {5: F(-1), 6: F(1)}}, "lr_power is not a non-positive scalar: []"),
]


@pytest.mark.parametrize("op, grad, indices, keywords, message", CHECKS,
                         ids=[f"{c[0]}-{c[4][:30]}" for c in CHECKS])
def test_tensorflows_checks_in_its_order(op: str, grad: np.ndarray, indices: list, keywords: dict,
                                         message: str) -> None:
    refs, values = _inputs(op, grad, indices, **keywords)
    before = [r.value.copy() for r in refs]
    assert _fails(op, refs, values) == message
    assert all(np.array_equal(r.value, b) for r, b in zip(refs, before))


@pytest.mark.parametrize("op", ["SparseApplyMomentum", "SparseApplyRMSProp", "SparseApplyCenteredRMSProp"])
def test_rows_of_no_elements_are_no_update_where_tf_does_not_check_them(op: str) -> None:
    refs, values = _inputs(op, np.ones((1, 0), F), [0], var=np.ones((4, 0), F))
    assert _run(op, "float32", SIMPLE[op][2], refs + values) == [refs[0]]


OUT_OF_RANGE = [  # (op, var shape, the values of the variable and slots after the failure)
    # the rows before the bad index are updated (TF's loop checks each index as it comes) ...
    ("SparseApplyMomentum", (4, 2), [[[-0.19, 0.81], [2, 3], [4, 5], [6, 7]], [[1.9, 1.9], [1, 1], [1, 1], [1, 1]]]),
    ("SparseApplyAdagradDA", (4, 2), [[[-0.1414213627576828] * 2, [2, 3], [4, 5], [6, 7]],
                                      [[2, 2], [1, 1], [1, 1], [1, 1]], [[2, 2], [1, 1], [1, 1], [1, 1]]]),
    ("SparseApplyAdagradDA", (4,), [[-0.1414213627576828, 1, 2, 3], [2, 1, 1, 1], [2, 1, 1, 1]]),
    ("SparseApplyFtrl", (4, 2), [[[-0.1414213627576828, 0.1514718234539032], [2, 3], [4, 5], [6, 7]],
                                 [[2, 2], [1, 1], [1, 1], [1, 1]], [[2, -2.1421351432800293], [1, 1], [1, 1], [1, 1]]]),
    ("SparseApplyFtrl", (4,), [[-0.1414213627576828, 1, 2, 3], [2, 1, 1, 1], [2, 1, 1, 1]]),
    # ... where Adagrad and the RMSProps check every index first
    ("SparseApplyAdagrad", (4, 2), [V.tolist(), ONES.tolist()]),
    ("SparseApplyAdagrad", (4,), [[0, 1, 2, 3], [1, 1, 1, 1]]),
    ("SparseApplyRMSProp", (4, 2), [V.tolist(), ONES.tolist(), ONES.tolist()]),
]


@pytest.mark.parametrize("op, shape, after", OUT_OF_RANGE, ids=[f"{c[0]}-{len(c[1])}d" for c in OUT_OF_RANGE])
def test_an_index_out_of_range(op: str, shape: tuple, after: list) -> None:
    var = np.arange(int(np.prod(shape)), dtype=F).reshape(shape)
    grad = np.ones((3,) + shape[1:], F)
    refs, values = _inputs(op, grad, [0, 5, 1], var=var)
    assert _fails(op, refs, values) == "Index 5 at offset 1 in indices is out of range"
    for ref, want in zip(refs, after):
        assert np.array_equal(ref.value, np.array(want, F)), (ref.name, ref.value)


def test_a_negative_index_stops_momentum_after_the_rows_before_it() -> None:
    refs, values = _inputs("SparseApplyMomentum", np.ones((2, 2), F), [1, -1])
    assert _fails("SparseApplyMomentum", refs, values) == "Index -1 at offset 1 in indices is out of range"
    assert refs[0].value.tolist() == [[0, 1], [F(1.81), F(2.81)], [4, 5], [6, 7]]


def test_the_first_uninitialised_variable_fails_and_a_resource_one_is_an_invalid_reference() -> None:
    refs, values = _inputs("SparseApplyAdagrad", ROW, [0])
    refs[1].value = None
    refs[1].name = "a"
    with pytest.raises(errors.FailedPreconditionError) as raised:
        _run("SparseApplyAdagrad", "float32", {}, refs + values)
    assert raised.value.message == "Attempting to use uninitialized value a"
    handles = [ResourceHandle("v", V.copy()), ResourceHandle("a", None)]
    with pytest.raises(errors.InternalError) as internal:
        _run("ResourceSparseApplyMomentum", "float32", {}, handles + [F(0.1), ROW, np.array([0], np.int32), F(0.9)])
    assert internal.value.message == "Invalid variable reference."


def test_denormals_of_rows_not_named_are_kept() -> None:
    tiny = np.float32(1e-40)
    refs, values = _inputs("SparseApplyMomentum", ROW, [0], var=np.full((4, 2), tiny))
    _run("SparseApplyMomentum", "float32", {}, refs + values)
    assert refs[0].value[1:].tolist() == [[tiny, tiny]] * 3  # untouched
    assert refs[0].value[0].tolist() == [F(-0.19)] * 2  # read as zero (DAZ)


# -- the builder: TF's op, attrs and shape function ------------------------------------------

@pytest.fixture
def fresh_graph():  # type: ignore[no-untyped-def]
    graph.reset_default_graph()
    yield
    graph.reset_default_graph()


NODE = ("SparseApplyMomentum[T=DT_FLOAT, Tindices=DT_INT32, use_locking=false, use_nesterov=false]"
        "(v, a, {0}/lr, {0}/grad, {0}/indices, {0}/momentum)")


@pytest.mark.usefixtures("fresh_graph")
def test_the_op_its_inputs_and_attrs() -> None:
    v = tf.Variable(V, name="v")
    a = tf.Variable(ONES, name="a")
    out = training_ops.apply("SparseApplyMomentum", [v, a], [0.1, np.ones((2, 2), F), [0, 1], 0.9],
                             use_locking=False, use_nesterov=False)
    assert out.name == "SparseApplyMomentum:0" and out.dtype == tf.float32._as_ref
    assert [t.name for t in out.op.inputs] == [
        "v:0", "a:0", "SparseApplyMomentum/lr:0", "SparseApplyMomentum/grad:0",
        "SparseApplyMomentum/indices:0", "SparseApplyMomentum/momentum:0"]
    assert out.op.get_attr("Tindices") == tf.int32 and out.op.get_attr("use_nesterov") is False
    rv = tf.Variable(V, name="rv", use_resource=True)
    ra = tf.Variable(ONES, name="ra", use_resource=True)
    op = training_ops.apply("SparseApplyMomentum", [rv, ra], [0.1, np.ones((2, 2), F), [0, 1], 0.9],
                            use_nesterov=False)
    assert op.name == "ResourceSparseApplyMomentum" and op.outputs == []


@pytest.mark.usefixtures("fresh_graph")
@pytest.mark.parametrize("grad, indices, lr, message, shapes", [
    (np.ones((2, 2), F), [[0, 1]], 0.1, "Shape must be rank 1 but is rank 2", "[4,2], [4,2], [], [2,2], [1,2], []"),
    (np.ones((2, 2), F), [0, 1, 2], 0.1, "Dimensions must be equal, but are 3 and 2",
     "[4,2], [4,2], [], [2,2], [3], []"),
    (np.ones((2, 3), F), [0, 1], 0.1,
     "Dimension 1 in both shapes must be equal, but are 2 and 3. Shapes are [4,2] and [?,3].",
     "[4,2], [4,2], [], [2,3], [2], []"),
    (np.ones(2, F), [0, 1], 0.1, "Shapes must be equal rank, but are 2 and 1", "[4,2], [4,2], [], [2], [2], []"),
    (F(1), [0, 1], 0.1, "Argument grad must not be a scalar. Got grad with rank 0", "[4,2], [4,2], [], [], [2], []"),
    (np.ones((2, 2), F), [0, 1], [F(0.1)], "Shape must be rank 0 but is rank 1", "[4,2], [4,2], [1], [2,2], [2], []"),
])
def test_tensorflows_shape_function(grad: object, indices: list, lr: object, message: str, shapes: str) -> None:
    v = tf.Variable(V, name="v")
    a = tf.Variable(ONES, name="a")
    with pytest.raises(ValueError) as raised:
        training_ops.apply("SparseApplyMomentum", [v, a], [lr, grad, indices, 0.9], use_nesterov=False)
    node = NODE.format("SparseApplyMomentum")
    assert str(raised.value) == (f"{message} for '{{{{node SparseApplyMomentum}}}} = {node}' with input "
                                 f"shapes: {shapes}.")


@pytest.mark.usefixtures("fresh_graph")
def test_a_resource_ops_shape_function_knows_the_variables_not_grad() -> None:
    v = tf.Variable(V, name="v", use_resource=True)
    a = tf.Variable(np.ones((4, 3), F), name="a", use_resource=True)
    with pytest.raises(ValueError) as raised:
        training_ops.apply("SparseApplyMomentum", [v, a], [0.1, np.ones((2, 2), F), [0, 1], 0.9],
                           use_nesterov=False)
    assert str(raised.value).startswith("Dimension 1 in both shapes must be equal, but are 2 and 3. "
                                        "Shapes are [4,2] and [4,3]. for '{{node ResourceSparseApplyMomentum}}")
    assert str(raised.value).endswith("with input shapes: [], [], [], [2,2], [2], [].")
    b = tf.Variable(ONES, name="b", use_resource=True)
    # grad's rows are checked only when run (TF: "grad must be the same size as indices ...")
    training_ops.apply("SparseApplyMomentum", [v, b], [0.1, np.ones((2, 2), F), [0, 1, 2], 0.9],
                       use_nesterov=False)


def test_dense_adagrad_takes_eigens_rsqrt_packets() -> None:
    # ApplyAdagrad's var -= grad * lr * accum.rsqrt() is the same Eigen packet expression as TF's
    # Rsqrt op: with accum kept (update_slots false), grad and lr 1 and var 0, the new var is
    # minus TF's Rsqrt of accum, bit for bit.
    if not _estimate_is_the_fixture_machines():
        pytest.skip("this processor's rsqrtps estimate is not the fixture machine's")
    x = _STORED["rsqrt_x"]
    var = Ref("var", np.zeros_like(x))
    _run("ApplyAdagrad", "float32", {"update_slots": False},
         [var, Ref("accum", x.copy()), np.float32(1), np.ones_like(x)])
    assert np.array_equal(_bits(var.value), _bits(-_STORED["rsqrt_tf"]))
