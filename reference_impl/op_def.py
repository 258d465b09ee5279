"""Creating ops: converting Python values to tensors and adding an op with its static shape.

Every op builder computes its outputs' dtypes and static shapes (shape inference lives beside
each op family, in plain Python) and then calls `make_op`; no numerics happen while building.
"""

from __future__ import annotations

import functools
import math
import numbers
from typing import Any, Sequence

import numpy as np

from . import dtypes
from .autopacking import autopack, nested_dtype
from .graph import Graph, Operation, Tensor, get_default_graph
from .indexed_slices import IndexedSlices, to_dense
from .should_use import unwrap
from .tensor_shape import TensorShape


def graph_of(values: Sequence[Any]) -> Graph:
    """The graph of the first graph element in ``values`` (all must share it), else the
    default graph: TF's ``_get_graph_from_inputs``."""
    graph = original = None
    for v in values:
        if isinstance(v, (Tensor, Operation)):
            element = v
        elif hasattr(v, "_as_graph_element"):
            element = v._as_graph_element()
        elif isinstance(getattr(v, "graph", None), Graph):
            element = v
        else:
            continue
        if graph is None:
            original, graph = element, element.graph
        elif element.graph is not graph:
            raise ValueError(f"{element} must be from the same graph as {original} (graphs are "
                             f"{element.graph} and {graph}).")
    return graph if graph is not None else get_default_graph()


def make_op(op_type: str, inputs: Sequence[Tensor],
            outputs: Sequence[tuple[dtypes.DType, TensorShape]], name: str,
            attrs: dict[str, Any] | None = None, ref_inputs: tuple[int, ...] = (),
            graph: Graph | None = None) -> Operation:
    """Add an op to the graph of its inputs (or the default graph)."""
    g = graph or graph_of(inputs)
    return g._create_op(op_type, inputs, outputs, name, attrs, ref_inputs)


@functools.cache
def _int_bounds(np_type: Any) -> tuple[int, int]:
    info = np.iinfo(np_type)
    return int(info.min), int(info.max)


def _out_of_range(arr: np.ndarray, np_type: Any) -> bool:
    """Whether the non-empty integer (or bool) array ``arr`` holds a value outside the range of
    the integer type ``np_type``."""
    low, high = _int_bounds(np_type)
    if arr.ndim == 0:  # a Python scalar's array, the usual constant: no reductions needed
        value = arr[()]  # a numpy scalar, compared as the reductions' results would be
        return value > high or value < low
    return arr.max() > high or arr.min() < low


def _infer_dtype(value: Any) -> dtypes.DType:
    """The dtype TF gives a Python or numpy value when none is requested."""
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        return dtypes.as_dtype(value.dtype)
    arr = np.asarray(value)
    if arr.dtype.kind == "O" and not all(isinstance(v, (str, bytes)) for v in arr.ravel()):
        # numpy found no common type for the elements (None, or numbers mixed with strings):
        # TF's make_tensor_proto gives up with this TypeError.
        raise TypeError(f"Failed to convert elements of {value} to Tensor. Consider casting "
                        f"elements to a supported type. See "
                        f"https://www.tensorflow.org/api_docs/python/tf/dtypes for supported "
                        f"TF dtypes.")
    if arr.dtype.kind in ("U", "S", "O"):
        return dtypes.string
    if arr.dtype.kind == "b":
        return dtypes.bool
    if arr.dtype.kind == "f":
        return dtypes.float32
    if arr.dtype.kind in ("i", "u"):
        if arr.size and _out_of_range(arr, np.int32):
            return dtypes.int64
        return dtypes.int32
    if arr.dtype.kind == "c":
        return dtypes.complex128
    raise TypeError(f"Failed to convert object of type {type(value)} to Tensor. Contents: "
                    f"{value}. Consider casting elements to a supported type.")


_NONE = object()


def _fits(v: Any, dtype: dtypes.DType) -> bool:
    """Whether TF's conversion takes the Python value ``v`` for ``dtype`` (its ``_Filter*``)."""
    if dtype == dtypes.string:
        return isinstance(v, (str, bytes))
    if dtype.is_bool:
        return isinstance(v, (bool, np.bool_))
    if dtype.is_integer:
        return isinstance(v, (numbers.Integral, np.integer))
    if dtype.is_floating:
        return isinstance(v, (numbers.Real, np.integer, np.floating))
    return True


def _first_mismatch(value: Any, dtype: dtypes.DType) -> Any:
    """The first value (depth first, as written) that ``dtype`` does not take; ``_NONE`` if none."""
    if isinstance(value, (list, tuple)):
        for v in value:
            bad = _first_mismatch(v, dtype)
            if bad is not _NONE:
                return bad
        return _NONE
    return _NONE if _fits(value, dtype) else value


def to_numpy(value: Any, dtype: dtypes.DType | None) -> np.ndarray:
    """``value`` as a numpy array of ``dtype`` (inferred when None), with TF's type checks."""
    if value is None:
        raise ValueError("None values not supported.")
    inferred = dtype is None
    if dtype is None:
        dtype = _infer_dtype(value)
    dtype = dtype.base_dtype
    if dtype == dtypes.string:
        if not isinstance(value, (np.ndarray, np.generic)):
            bad = _first_mismatch(value, dtype)
            if bad is not _NONE and not inferred:
                raise TypeError(f"Expected string, but got {bad} of type '{type(bad).__name__}'.")
            if bad is not _NONE:  # (numpy found no common type: TF cannot make them bytes)
                raise TypeError(f"Failed to convert elements of {value} to Tensor. Consider casting "
                                "elements to a supported type. See "
                                "https://www.tensorflow.org/api_docs/python/tf/dtypes for supported TF dtypes.")
        arr = np.asarray(value, dtype=object)
        return np.vectorize(lambda s: s.encode() if isinstance(s, str) else s,
                            otypes=[object])(arr) if arr.size else arr
    try:
        arr = np.asarray(value)
    except ValueError:  # (ragged: TF checks the values' types before numpy sees the shape)
        bad = _first_mismatch(value, dtype) if not inferred else _NONE
        if bad is not _NONE:
            raise TypeError(f"Expected {dtype.name}, but got {bad} of type '{type(bad).__name__}'.") from None
        raise
    if isinstance(value, (np.ndarray, np.generic)):
        return arr.astype(dtype.as_numpy_dtype)
    # Python values must fit the requested type without losing information. An empty list
    # (numpy makes it float64) holds no value to lose: TF accepts [] for every dtype.
    if arr.size and ((dtype.is_integer and arr.dtype.kind in "fc") or (
            dtype.is_bool and arr.dtype.kind != "b") or (dtype.is_floating and arr.dtype.kind == "c") or (
            (dtype.is_integer or dtype.is_floating) and arr.dtype.kind in "USO")):
        bad = _first_mismatch(value, dtype)
        if bad is _NONE:  # (numpy's view of the values disagrees: name its first)
            bad = next(iter(np.ravel(arr)), value) if arr.ndim else value
            bad = bad.item() if isinstance(bad, np.generic) else bad
        raise TypeError(f"Expected {dtype.name}, but got {bad} of type "
                        f"'{type(bad).__name__}'.")
    if dtype.is_integer:
        if arr.size and _out_of_range(arr, dtype.as_numpy_dtype):
            raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype.name}")
    return arr.astype(dtype.as_numpy_dtype)


# Exact types only: a subclass (an IntEnum, numpy's float64) goes the general way.
_PLAIN_SCALARS = {float: (np.float32, dtypes.float32), bool: (np.bool_, dtypes.bool),
                  int: (np.int32, dtypes.int32)}
_INT32_LIMIT = 1 << 31  # an int outside int32 becomes int64, as `_infer_dtype` decides


def _shape_dims(shape: Any) -> list[Any]:
    return shape.as_list() if isinstance(shape, TensorShape) else shape


def _empty_constant(dims: Any, dt: dtypes.DType | None, name: str) -> Tensor:
    """TF's constant of a zero-sized ``shape`` given Python values: ``np.empty(shape)``, the
    values never read (a float dimension fails here: numpy's TypeError), float64 made float32."""
    arr = np.empty(dims, dt.base_dtype.as_numpy_dtype if dt is not None else None)
    out_dtype = dt.base_dtype if dt is not None else dtypes.float32
    arr = arr.astype(out_dtype.as_numpy_dtype)
    return make_op("Const", [], [(out_dtype, TensorShape(arr.shape))], name,
                   {"value": arr, "dtype": out_dtype}).outputs[0]


def constant(value: Any, dtype: Any = None, shape: Any = None, name: str = "Const",
             verify_shape: bool = False) -> Tensor:
    """``tf.constant``: a Const op holding ``value`` (broadcast or padded to ``shape``)."""
    scalar = _PLAIN_SCALARS.get(type(value)) if dtype is None and shape is None else None
    if scalar is not None and (scalar[1] is not dtypes.int32 or -_INT32_LIMIT <= value < _INT32_LIMIT):
        # The commonest constant, a plain Python scalar: the array and dtype `to_numpy` makes,
        # without the checks (none can fail) that cost a third of the op.
        np_type, out_dtype = scalar
        arr = np.asarray(value).astype(np_type)
        op = make_op("Const", [], [(out_dtype, TensorShape(()))], name, {"value": arr, "dtype": out_dtype})
        return op.outputs[0]
    dt = dtypes.as_dtype(dtype) if dtype is not None else None
    if shape is not None and not isinstance(value, (np.ndarray, np.generic)) and \
            np.prod(_shape_dims(shape), dtype=np.int64) == 0:
        return _empty_constant(_shape_dims(shape), dt, name)
    arr = to_numpy(value, dt)
    out_dtype = dt.base_dtype if dt is not None else dtypes.as_dtype(arr.dtype) \
        if arr.dtype != object else dtypes.string
    given = None
    if shape is not None:
        shape = [int(d) for d in _shape_dims(shape)]  # (TF's make_tensor_proto: 2.7 is 2)
        n = math.prod(shape)
        given = np.ravel(arr) if arr.size != n else None
        if verify_shape and list(arr.shape) != shape:
            raise TypeError(f"Expected Tensor's shape: {tuple(shape)}, got {arr.shape}.")
        if arr.size > n:
            raise ValueError(f"Too many elements provided. Takes at most {n:d}, but got "
                             f"{arr.size:d}.")
        if arr.size == 1:
            arr = np.full(shape, arr.reshape(()), dtype=arr.dtype)
        else:
            # TF pads a short value with its last element.
            flat = np.ravel(arr)
            if flat.size < n:
                flat = np.concatenate([flat, np.repeat(flat[-1:], n - flat.size)])
            arr = flat.reshape(shape)
    op = make_op("Const", [], [(out_dtype, TensorShape(arr.shape))], name,
                 {"value": arr, "dtype": out_dtype})
    if given is not None and n:
        op._given_values = given  # what TF's GraphDef keeps of a broadcast or padded value
    return op.outputs[0]


def convert_to_tensor(value: Any, dtype: Any = None, name: str | None = None,
                      preferred_dtype: Any = None, as_ref: bool = False) -> Tensor:
    """A Tensor for ``value``: tensors pass through, variables are read, others become Const."""
    dt = dtypes.as_dtype(dtype) if dtype is not None else None
    value = unwrap(value)
    if isinstance(value, IndexedSlices):
        return to_dense(value, dt, name)
    if hasattr(value, "_as_graph_element") and not isinstance(value, (Tensor, Operation)):
        value = value._ref() if as_ref else value.value()
    if isinstance(value, Tensor):
        if dt is not None and not dt.base_dtype.is_compatible_with(value.dtype.base_dtype):
            raise ValueError(f"Tensor conversion requested dtype {dt.base_dtype.name} for Tensor "
                             f"with dtype {value.dtype.base_dtype.name}: {value!r}")
        return value
    if isinstance(value, Operation):
        raise TypeError(f"Can't convert Operation '{value.name}' to Tensor (target dtype="
                        f"{dt}, name={name!r}, as_ref={as_ref})")
    if isinstance(value, (list, tuple)) and not as_ref:
        found = nested_dtype(value)
        if found is not None:  # TF packs such a list (its conversion function comes first)
            return _autopack(value, dt, found, name, preferred_dtype)
    if dt is None and preferred_dtype is not None:
        try:
            return constant(value, dtypes.as_dtype(preferred_dtype), name=name or "Const")
        except (TypeError, ValueError):
            pass
    return constant(value, dt, name=name or "Const")



def _autopack(value: list | tuple, dt: dtypes.DType | None, found: dtypes.DType,
              name: str | None, preferred_dtype: Any) -> Tensor:
    """A list holding tensors packed, preferring ``preferred_dtype`` (its tensors cast) as TF's
    conversion does: tried first, and on failure packed again in the list's own type."""
    if dt is None and preferred_dtype is not None:
        try:
            return autopack(value, dtypes.as_dtype(preferred_dtype), found, name or "packed")
        except (TypeError, ValueError):
            pass
    return autopack(value, dt, found, name or "packed")


def convert_list_input(values: Sequence[Any], op_type: str, arg: str = "values") -> list[Tensor]:
    """A list input sharing one type attr (``values`` of ConcatV2, Pack), converted as
    op_def_library converts it: each element as ``<arg>_<i>``, in the type of the list's first
    Tensor when it has one. Types that differ, or an element that will not convert, are refused
    with the types TF sees converting each element again on its own."""
    dt0 = next((v.dtype.base_dtype for v in values if isinstance(v, Tensor)), None)
    try:
        xs = [convert_to_tensor(v, dtype=dt0, name=f"{arg}_{i}") for i, v in enumerate(values)]
        if len({x.dtype.base_dtype for x in xs}) <= 1:
            return xs
        # Every element converted, to types that differ: TF lists the converted tensors' types
        # (no element is converted a second time, so no second Const is left in the graph).
        values = xs
    except (TypeError, ValueError):
        pass
    raise TypeError(f"Tensors in list passed to '{arg}' of '{op_type}' Op have types "
                    f"[{list_types(values)}] that don't all match.")


def list_types(values: Sequence[Any]) -> str:
    """The types of a list input's elements, each converted on its own, as op_def_library lists
    them when refusing the list."""
    types = []
    for v in values:
        try:
            types.append(convert_to_tensor(v).dtype.base_dtype.name)
        except (TypeError, ValueError):
            types.append("<NOT CONVERTIBLE TO TENSOR>")
    return ", ".join(types)


def convert_type_attr_input(value: Any, name: str, allowed: Sequence[dtypes.DType],
                            default: dtypes.DType | None) -> Tensor:
    """``value`` converted as TF's op_def_library converts an input whose type attr is still
    open (``Tpaddings``, ``Tidx``, ``Tshape``): first with the value's own type, kept when
    allowed; otherwise converted again preferring the attr's default (a second Const, named
    ``<name>_1``: an empty list first becomes float32, then int32); an attr without a default
    (``default=None``) keeps the first conversion. A type still not allowed is refused with TF's
    TypeError."""
    if isinstance(value, Tensor) or hasattr(value, "_as_graph_element"):
        t = convert_to_tensor(value, name=name)
    else:
        inferred = None
        try:
            inferred = convert_to_tensor(value, name=name)
        except TypeError:
            pass
        except ValueError as err:  # (op_def_library's words for a value that is no tensor)
            raise ValueError(f"Tried to convert '{name}' to a tensor and failed. Error: {err}") from None
        if inferred is not None and (inferred.dtype.base_dtype in allowed or default is None):
            t = inferred
        elif default is None:  # no default to prefer: the value's own conversion failing is final
            t = convert_to_tensor(value, name=name)
        else:
            t = convert_to_tensor(value, name=name, preferred_dtype=default)
    if t.dtype.base_dtype not in allowed:
        raise TypeError(f"Value passed to parameter '{name}' has DataType "
                        f"{t.dtype.base_dtype.name} not in list of allowed values: "
                        + ", ".join(d.name for d in allowed))
    return t
