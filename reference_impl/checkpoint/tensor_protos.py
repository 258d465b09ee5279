"""``tf.make_tensor_proto`` and ``tf.make_ndarray``: arrays to and from TensorProto messages,
laid out as TensorFlow's ``tensor_util`` lays them out (`meta_graph.tensor_to_proto`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes
from . import datatypes
from .messages import TensorProto
from .meta_graph import tensor_from_proto, tensor_to_proto


def make_tensor_proto(values: Any, dtype: Any = None, shape: Any = None,
                      verify_shape: bool = False, allow_broadcast: bool = False) -> TensorProto:
    """A TensorProto of ``values`` (of ``dtype``; a scalar or short list given a larger
    ``shape`` is kept as given, as TF keeps it, and fills the shape when read)."""
    np_dtype = dtypes.as_dtype(dtype).as_numpy_dtype if dtype is not None else None
    given = np.asarray(values, dtype=np_dtype)
    if np_dtype is None and given.dtype == np.float64 and not isinstance(values, np.ndarray):
        given = given.astype(np.float32)  # (TF's default for Python floats)
    if np_dtype is None and given.dtype == np.int64 and not isinstance(values, np.ndarray) \
            and np.array_equal(given.astype(np.int32), given):
        given = given.astype(np.int32)
    if shape is None:
        return tensor_to_proto(given, datatypes.from_numpy(given.dtype))
    shape = tuple(int(d) for d in shape)
    if verify_shape and given.shape != shape:
        raise TypeError(f"Expected Tensor's shape: {shape}, but got {given.shape}.")
    size = int(np.prod(shape, dtype=np.int64))
    if given.size == size:
        return tensor_to_proto(given.reshape(shape), datatypes.from_numpy(given.dtype))
    if given.size > size:
        raise ValueError(f"Too many elements provided. Takes at most {size:d}, but got "
                         f"{given.size:d}.")
    filled = np.empty(shape, given.dtype)
    flat = given.reshape(-1)
    filled.reshape(-1)[:] = flat[-1] if flat.size else 0
    filled.reshape(-1)[:flat.size] = flat
    return tensor_to_proto(filled, datatypes.from_numpy(given.dtype), given=flat)


def make_ndarray(tensor: TensorProto) -> np.ndarray:
    """The array a TensorProto holds."""
    return tensor_from_proto(tensor)
