"""The CPU kernels of the sharded Saver's string ops and Select, against TF 2.21's observed
results and messages (probed with tf.raw_ops in TF1 graph mode)."""

from __future__ import annotations

import numpy as np
import pytest

from reference_impl import dtypes, errors
from reference_impl.kernels import cpu  # noqa: F401  (registers the kernels)
from reference_impl.kernels.registry import KernelContext, lookup_kernel


def _run(op: str, inputs: list, attrs: dict) -> list:
    return lookup_kernel(op, "CPU")(KernelContext(op, op, attrs), inputs)


def _refusal(op: str, inputs: list, attrs: dict) -> str:
    with pytest.raises(errors.InvalidArgumentError) as caught:
        _run(op, inputs, attrs)
    return caught.value.message


def test_string_join_broadcasts_scalars_and_refuses_other_shapes() -> None:
    (out,) = _run("StringJoin", [np.array(b"a", object), np.array([b"b", b"c"], object),
                                 np.array(b"d", object)], {"separator": "-", "N": 3})
    assert out.tolist() == [b"a-b-d", b"a-c-d"]
    assert _refusal("StringJoin", [np.array([b"a", b"b"], object), np.array([b"c"] * 3, object),
                                   np.array(b"x", object)], {"separator": "", "N": 3}) == \
        "Input shapes do not match: [2] vs. [3]"


def test_static_regex_full_match_matches_whole_strings() -> None:
    (out,) = _run("StaticRegexFullMatch", [np.array([b"s3://b/x", b"/tmp/s3://", b"s3:/"], object)],
                  {"pattern": "^s3://.*"})
    assert out.tolist() == [True, False, False]


@pytest.mark.parametrize("cond, x, y, message", [
    ([True], 1.0, 2.0, "'then' must be at least a vector, but saw shape: []"),
    ([True, False, True], [1.0, 2.0], [3.0, 4.0],
     "Inputs to operation sel of type Select must have the same size and shape.  Input 0: [3] != input 1: [2]"),
    ([[True]], [1.0, 2.0], [3.0, 4.0],
     "Inputs to operation sel of type Select must have the same size and shape.  Input 0: [1,1] != input 1: [2]"),
    (True, [1.0], [1.0, 2.0], "'then' and 'else' must have the same size.  but received: [1] vs. [2]"),
])
def test_select_refuses_as_tf(cond, x, y, message) -> None:  # type: ignore[no-untyped-def]
    inputs = [np.array(cond), np.array(x, np.float32), np.array(y, np.float32)]
    with pytest.raises(errors.InvalidArgumentError) as caught:
        lookup_kernel("Select", "CPU")(KernelContext("sel", "Select", {"T": dtypes.float32}), inputs)
    assert caught.value.message == message


def test_select_picks_operands_rows_and_elements() -> None:
    x, y = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32), np.array([[5.0, 6.0], [7.0, 8.0]], np.float32)
    attrs = {"T": dtypes.float32}
    assert _run("Select", [np.array(False), x, y], attrs)[0].tolist() == y.tolist()
    assert _run("Select", [np.array([True, False]), x, y], attrs)[0].tolist() == [[1.0, 2.0], [7.0, 8.0]]
    assert _run("Select", [np.array([[True, False], [False, True]]), x, y], attrs)[0].tolist() == \
        [[1.0, 6.0], [7.0, 4.0]]
    (suffix,) = _run("Select", [np.array(False), np.array(b".part", object),
                                np.array(b"_temp/part", object)], {"T": dtypes.string})
    assert suffix.item() == b"_temp/part"
