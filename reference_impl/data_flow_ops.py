"""Routing rows by index: ``tf.dynamic_stitch`` (``DynamicStitch``), its twin
``ParallelDynamicStitch`` and ``tf.dynamic_partition`` (``DynamicPartition``), as TF's
``data_flow_ops`` holds them together.

Stitch: ``merged[indices[m][i...]] = data[m][i...]``, a later (m, i) winning a repeated index.
Built as TF's generated wrapper builds it: two lists of the same length, the indices converted to
int32 as ``indices_<i>`` and the data to one type as ``data_<i>``. The static shape is TF's: each
``data[m]``'s shape must begin with ``indices[m]``'s and end with the same trailing dimensions;
the first dimension is the largest index plus one when every index is known while building.
``ParallelDynamicStitch`` is the same op to the graph (the same shape function, the same
gradient); only its CPU kernel may copy the inputs concurrently. TF 2.21's ``tf.compat.v1`` has
no public name for it: TF1 code reaches it as ``tf.raw_ops.ParallelDynamicStitch`` or through
``data_flow_ops.parallel_dynamic_stitch`` (``tf.nn.embedding_lookup`` of several tables).

Partition: ``outputs[p]`` holds, in order, the slices ``data[i...]`` whose ``partitions[i...]``
is ``p``; ``num_partitions`` outputs, each of static shape ``[?] + data.shape[rank(partitions):]``
(unknown when the rank of ``partitions`` or of ``data`` is).
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from . import dtypes
from .array_ops import _merge_problem
from .constant_folding import evaluate
from .graph import Tensor
from .op_def import convert_list_input, convert_to_tensor, graph_of, list_types, make_op
from .op_errors import shape_error
from .shape_inference import dt_enum
from .split_ops import _int32_input  # (op_def_library's conversion of a fixed-int32 input)
from .tensor_shape import TensorShape

__all__ = ["dynamic_partition", "dynamic_stitch", "parallel_dynamic_stitch"]


def _check_lists(indices: Any, data: Any, python_name: str) -> None:
    # (the generated wrapper's checks, named after itself, before any name scope is taken)
    for arg, value in (("indices", indices), ("data", data)):
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"Expected list for '{arg}' argument to '{python_name}' Op, not "
                            f"{value!r}.")
    if len(data) != len(indices):
        raise ValueError(f"List argument 'data' to '{python_name}' Op with length {len(data)} "
                         f"must match length {len(indices)} of argument 'indices'.")


def _int32_list(values: Sequence[Any], op_type: str) -> list[Tensor]:
    """The indices: each converted to int32 (``indices_<i>``), TF's TypeError otherwise."""
    try:
        xs = [convert_to_tensor(v, dtype=dtypes.int32, name=f"indices_{i}") for i, v in enumerate(values)]
        if all(x.dtype.base_dtype == dtypes.int32 for x in xs):
            return xs
    except (TypeError, ValueError):
        pass
    raise TypeError(f"Tensors in list passed to 'indices' of '{op_type}' Op have types "
                    f"[{list_types(values)}] that do not match expected type int32.")


def stitch_shape(indices: list[Tensor], data: list[Tensor], fail: Any) -> TensorShape:
    """DynamicStitch's shape function; ``fail(message)`` builds its error."""
    extra = TensorShape(None)
    largest, all_known = -1, True
    for i, d in zip(indices, data):
        value = evaluate(i)
        all_known = all_known and value is not None
        if i.shape.ndims is None:
            continue
        prefix = i.shape.as_list()
        if d.shape.ndims is not None:
            if d.shape.ndims < len(prefix):
                raise fail(f"Shape must be at least rank {len(prefix)} but is rank {d.shape.ndims}")
            for a, b in zip(d.shape.as_list(), prefix):
                if a is not None and b is not None and a != b:
                    raise fail(f"Dimensions must be equal, but are {a} and {b}")
        rest = TensorShape(None if d.shape.ndims is None else d.shape.as_list()[len(prefix):])
        problem = _merge_problem(extra, rest)
        if problem:
            raise fail(problem)
        extra = extra.merge_with(rest)
        if value is not None and value.size:
            largest = max(largest, int(np.max(value)))
    first = TensorShape([largest + 1 if all_known else None])
    return TensorShape(None) if extra.ndims is None else first.concatenate(extra)


def _stitch(op_type: str, python_name: str, indices: Sequence[Any], data: Sequence[Any],
            name: str | None) -> Tensor:
    """A DynamicStitch or ParallelDynamicStitch op, built as TF's generated wrappers build them."""
    _check_lists(indices, data, python_name)
    g = graph_of(list(indices) + list(data))
    with g.as_default(), g.name_scope(name or op_type) as scope:
        if not indices:  # (op_def_library's check, inside the op's scope: the name is taken)
            raise ValueError(f"List argument 'indices' to '{op_type}' Op with length 0 shorter "
                             "than minimum length 1.")
        ix = _int32_list(indices, op_type)
        xs = convert_list_input(data, op_type, "data")
        dt = xs[0].dtype.base_dtype
        inputs = ix + xs
        attrs = f"N={len(ix)}, T={dt_enum(dt)}"
        shape = stitch_shape(ix, xs, lambda message: shape_error(
            message, scope[:-1], op_type, attrs, inputs))
        return make_op(op_type, inputs, [(dt, shape)], scope, {"N": len(ix), "T": dt}).outputs[0]


def dynamic_stitch(indices: Sequence[Any], data: Sequence[Any], name: str | None = None) -> Tensor:
    """One tensor whose rows ``indices[m][i...]`` are ``data[m][i...]`` (later ones win)."""
    return _stitch("DynamicStitch", "dynamic_stitch", indices, data, name)


def parallel_dynamic_stitch(indices: Sequence[Any], data: Sequence[Any],
                            name: str | None = None) -> Tensor:
    """``dynamic_stitch`` as the ``ParallelDynamicStitch`` op (TF's
    ``data_flow_ops.parallel_dynamic_stitch``; not exported as ``tf.parallel_dynamic_stitch``)."""
    return _stitch("ParallelDynamicStitch", "parallel_dynamic_stitch", indices, data, name)


# -- DynamicPartition ---------------------------------------------------------------------------

def _num_partitions(value: Any) -> int:
    """TF's ``make_int`` of the ``num_partitions`` attr: a string is refused, anything ``int()``
    takes is truncated (2.5 builds 2 partitions)."""
    if not isinstance(value, str):
        try:
            return int(value)
        except (TypeError, ValueError):
            pass
    raise TypeError(f"Expected int for argument 'num_partitions' not {value!r}.")


def partition_shape(data: TensorShape, partitions: TensorShape, fail: Any) -> TensorShape:
    """DynamicPartition's shape function (the shape of every output); ``fail(message)`` builds
    its error. ``data``'s shape must begin with ``partitions``' (TF's MergePrefix: the rank first,
    then each dimension, data's named first)."""
    if partitions.ndims is None:
        return TensorShape(None)
    prefix = partitions.as_list()
    if data.ndims is None:
        return TensorShape(None)
    dims = data.as_list()
    if len(dims) < len(prefix):
        raise fail(f"Shape must be at least rank {len(prefix)} but is rank {len(dims)}")
    for a, b in zip(dims, prefix):
        if a is not None and b is not None and a != b:
            raise fail(f"Dimensions must be equal, but are {a} and {b}")
    return TensorShape([None] + dims[len(prefix):])


def dynamic_partition(data: Any, partitions: Any, num_partitions: Any,
                      name: str | None = None) -> list[Tensor]:
    """``num_partitions`` tensors: ``outputs[p]`` gathers, in order, the slices of ``data`` whose
    entry in ``partitions`` (int32, a prefix of data's shape) is ``p``."""
    n = _num_partitions(num_partitions)  # (the wrapper's make_int: before any scope is taken)
    g = graph_of([data, partitions])
    with g.as_default(), g.name_scope(name or "DynamicPartition") as scope:
        x = convert_to_tensor(data, name="data")
        p = _int32_input(partitions, "partitions", "DynamicPartition")
        if n < 1:  # (checked once the inputs are converted: their Consts stay in the graph)
            raise ValueError(f"Attr 'num_partitions' of 'DynamicPartition' Op passed {n} less "
                             "than minimum 1.")
        dt = x.dtype.base_dtype
        attrs = f"T={dt_enum(dt)}, num_partitions={n}"
        shape = partition_shape(x.shape, p.shape, lambda message: shape_error(
            message, scope[:-1], "DynamicPartition", attrs, [x, p]))
        # (a shape of its own for each output: set_shape on one must not touch the others)
        dims = None if shape.ndims is None else shape.as_list()
        op = make_op("DynamicPartition", [x, p], [(dt, TensorShape(dims)) for _ in range(n)], scope,
                     {"T": dt, "num_partitions": n})
        return list(op.outputs)
