"""Reference divergences the fuzzer found and that were fixed, held by TF's literal behaviour.

- ``tf.constant([], dtype=tf.int32)`` (and any dtype): TF accepts an empty list for every
  dtype. The reference refused it ("Expected int32, but got [] of type 'list'") because numpy
  makes ``[]`` a float64 array. Found as ``get_variable("a", [], dtype=tf.float64)`` failing
  (the default initializer converts the shape ``[]`` to int32).
"""

from __future__ import annotations

import pytest

tf = pytest.importorskip("reference_impl.compat.v1")


@pytest.mark.parametrize("dtype", ["int32", "int64", "bool", "float32", "string"])
def test_an_empty_list_converts_to_every_dtype(dtype: str) -> None:
    tf.reset_default_graph()
    t = tf.constant([], dtype=getattr(tf, dtype))
    assert t.dtype == getattr(tf, dtype) and t.shape.as_list() == [0]


def test_get_variable_of_scalar_shape_with_the_default_initializer() -> None:
    tf.reset_default_graph()
    v = tf.get_variable("a", [], dtype=tf.float64)
    assert v.name == "a:0" and v.shape.as_list() == []


def test_a_non_empty_list_still_has_to_fit_the_dtype() -> None:
    tf.reset_default_graph()
    with pytest.raises(TypeError, match="Expected int32, but got 1.5 of type 'float'"):
        tf.constant([1.5], dtype=tf.int32)
