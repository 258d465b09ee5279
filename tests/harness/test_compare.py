"""Judging observations: bit-exact floats in the observed dtype, tolerances, names, shapes, identity,
and differences between adapters."""

from __future__ import annotations

import numpy as np
import pytest

from adapters.base import Outcome
from conformance.compare import differences, equals
from conformance.numeric import ulp_distance
from conformance.observe import Recorder, describe_array


def arr(values, dtype):
    return describe_array(np.array(values, dtype=dtype))


def test_float32_compares_bit_exactly_in_float32():
    ok, _, error = equals(arr([0.1], "float32"), [0.1], None)
    assert ok and error.ulp == 0
    next_up = np.nextafter(np.float32(0.1), np.float32(1))
    ok, message, error = equals(arr([next_up], "float32"), [0.1], None)
    assert not ok and error.ulp == 1 and "1 ULP" in message


def test_tolerance_admits_the_stated_error_only():
    next_up = np.nextafter(np.float32(0.1), np.float32(1))
    assert equals(arr([next_up], "float32"), [0.1], {"ulp": 1})[0]
    assert not equals(arr([0.2], "float32"), [0.1], {"ulp": 1})[0]
    assert equals(arr([0.10005], "float32"), [0.1], {"rel": 1e-3})[0]


def test_nan_and_infinities():
    assert equals(arr([np.nan, np.inf, -np.inf], "float64"), ["nan", "inf", "-inf"], None)[0]
    assert not equals(arr([np.nan], "float64"), [1.0], None)[0]


def test_shape_and_dtype_must_match():
    assert not equals(arr([[1, 2]], "int32"), [1, 2], None)[0]
    assert not equals(arr([True], "bool"), [1], None)[0]
    assert equals(arr([True, False], "bool"), [True, False], None)[0]


def test_scalars_keep_their_type():
    rec = Recorder()
    assert equals(rec.describe(True), True, None)[0]
    assert not equals(rec.describe(1), True, None)[0]
    assert equals(rec.describe(None), None, None)[0]
    assert equals(rec.describe([np.float32(1.5), b"x"]), [1.5, "x"], None)[0]


def test_ulp_distance_across_zero():
    a = np.array([-0.0, np.float32(1e-45)], dtype=np.float32)
    b = np.array([0.0, -np.float32(1e-45)], dtype=np.float32)
    assert list(ulp_distance(a, b)) == [0, 2]


def test_differences_report_only_disagreements_with_numeric_error():
    one = Outcome("completed", {"a": arr([1.0], "float32"), "n": {"kind": "scalar", "type": "str", "value": "x"}})
    two = Outcome("completed", {"a": arr([np.nextafter(np.float32(1), np.float32(2))], "float32"),
                                "n": {"kind": "scalar", "type": "str", "value": "x"}})
    (diff,) = differences({"tensorflow": one, "reference": two})
    assert diff.key == "a"
    assert diff.errors["reference"]["ulp"] == 1


@pytest.mark.parametrize("observed", [{"kind": "tensor", "id": "obj1", "name": "a:0", "dtype": "float32", "shape": []}])
def test_objects_are_not_compared_by_value(observed):
    ok, message, _ = equals(observed, 1.0, None)
    assert not ok and "cannot be compared by value" in message


def test_numpy_scalars_are_zero_d_arrays_with_their_dtype():
    rec = Recorder()
    assert rec.describe(np.float64(1.5)) == {"kind": "array", "dtype": "float64", "shape": [], "values": 1.5}
    assert rec.describe(np.float32(0.1))["dtype"] == "float32"
    assert rec.describe(True) == {"kind": "scalar", "type": "bool", "value": True}


def test_the_run_reports_how_many_float_observations_are_bit_identical():
    from conformance.results import Result
    from conformance.summary import float_agreement

    one_ulp = np.nextafter(np.float32(1), np.float32(2))
    results = [Result("s", "tensorflow", "pass", observations={"a": arr([1.0], "float32"), "b": arr([1.0], "float32")}),
               Result("s", "reference", "pass", observations={"a": arr([1.0], "float32"), "b": arr([one_ulp], "float32")})]
    assert float_agreement(results) == [
        "float observations of reference against tensorflow: 1/2 bit-identical (50.0%), worst 1 ULP"]


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_neighbouring_floats_are_one_ulp_apart_and_not_equal(dtype):
    from conformance.numeric import arrays_equal, ulp_distance

    one = np.array([1.0, -0.0, 1e-30, -np.inf], dtype)
    up = np.nextafter(one, np.array(np.inf, dtype))
    assert list(ulp_distance(one, up)) == [1, 1, 1, 1]
    assert not arrays_equal(one, up, None)
    assert arrays_equal(one, np.array([1.0, 0.0, 1e-30, -np.inf], dtype), None)  # +0 and -0 are 0 apart
    assert ulp_distance(np.array([np.nan], dtype), np.array([np.nan], dtype))[0] == 0


def test_float_arrays_are_described_exactly_with_non_finite_values_spelled():
    values = [0.1, -0.0, 1e-45, 3.4e38]
    described = arr(values, "float32")
    assert described["values"] == [float(v) for v in np.array(values, np.float32)]
    assert str(described["values"][1]) == "-0.0"
    assert arr([[1.5, np.nan], [np.inf, -np.inf]], "float64")["values"] == [[1.5, "nan"], ["inf", "-inf"]]
    assert arr(np.float32(np.nan), "float32")["values"] == "nan" and arr(2.5, "float16")["values"] == 2.5
    for size in (64, 65, 1000):  # small arrays are checked by Python, larger ones by numpy
        values = np.linspace(-1.0, 1.0, size, dtype=np.float32)
        assert arr(values, "float32")["values"] == values.tolist()
        values[size // 2] = np.inf
        assert arr(values, "float32")["values"][size // 2] == "inf"


def test_python_scalars_and_their_subclasses_are_described_by_their_base_type():
    import enum

    class Level(enum.IntEnum):
        LOW = 1

    recorder = Recorder()
    assert recorder.describe(True) == {"kind": "scalar", "type": "bool", "value": True}
    assert recorder.describe(Level.LOW) == {"kind": "scalar", "type": "int", "value": Level.LOW}
    assert recorder.describe(float("-inf")) == {"kind": "scalar", "type": "float", "value": "-inf"}
    assert recorder.describe(None) == {"kind": "scalar", "type": "none", "value": None}
    assert recorder.describe(np.float64(0.5))["kind"] == "array"  # a float subclass, but numpy's


def test_a_class_whose_instances_carry_the_deciding_attributes_is_judged_per_instance():
    from conformance.observe import api_kind

    class Holder:
        pass

    plain, tensor_like = Holder(), Holder()
    tensor_like.op, tensor_like.value_index, tensor_like.dtype = None, 0, None
    assert api_kind(tensor_like) == "tensor" and api_kind(plain) == "object"
    assert api_kind(tensor_like) == "tensor"

    class Shape:
        dims = None

        def as_list(self):
            return []

    assert api_kind(Shape()) == api_kind(Shape()) == "shape"


def test_error_message_keeps_the_first_root_error_of_a_multi_device_run() -> None:
    from conformance.observe import error_message

    class Raised(Exception):
        message = (
            "Graph execution error:\n\nDetected at node 'save/RestoreV2_1' defined at (most recent call last):\n"
            "    File \"x.py\", line 14, in <module>\nNode: 'save/RestoreV2_1'\n"
            "Detected at node 'save/RestoreV2_1' defined at (most recent call last):\n"
            "    File \"x.py\", line 14, in <module>\nNode: 'save/RestoreV2_1'\n"
            "2 root error(s) found.\n  (0) DATA_LOSS: Unable to read file (m.index): block checksum mismatch\n"
            "\t [[{{node save/RestoreV2_1}}]]\n\t [[save/RestoreV2_1/_5]]\n"
            "  (1) DATA_LOSS: Unable to read file (m.index): block checksum mismatch\n"
            "\t [[{{node save/RestoreV2_1}}]]\n0 successful operations.\n0 derived errors ignored.")

    assert error_message(Raised()) == "Unable to read file (m.index): block checksum mismatch"

    class Unusual(Exception):
        message = "Detected at node 'x' without its node line"

    assert error_message(Unusual()) == "Detected at node 'x' without its node line"
