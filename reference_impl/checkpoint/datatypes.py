"""TensorFlow's ``DataType`` enum (``framework/types.proto``) and its numpy counterparts.

Files store a dtype as this enum's number; the bytes of a tensor are its numpy buffer in
little-endian order, except strings (see `bundle`). ``*_REF`` types (variable references in a
graph) are the base number + 100.
"""

from __future__ import annotations

import numpy as np

DT_INVALID = 0
DT_FLOAT = 1
DT_DOUBLE = 2
DT_INT32 = 3
DT_UINT8 = 4
DT_INT16 = 5
DT_INT8 = 6
DT_STRING = 7
DT_COMPLEX64 = 8
DT_INT64 = 9
DT_BOOL = 10
DT_BFLOAT16 = 14
DT_UINT16 = 17
DT_COMPLEX128 = 18
DT_HALF = 19
DT_RESOURCE = 20
DT_VARIANT = 21
DT_UINT32 = 22
DT_UINT64 = 23
REF_OFFSET = 100

# Enum number → (TensorFlow's name, numpy dtype); DT_STRING holds Python bytes objects.
_TABLE: dict[int, tuple[str, np.dtype]] = {
    DT_FLOAT: ("float32", np.dtype("<f4")),
    DT_DOUBLE: ("float64", np.dtype("<f8")),
    DT_INT32: ("int32", np.dtype("<i4")),
    DT_UINT8: ("uint8", np.dtype("u1")),
    DT_INT16: ("int16", np.dtype("<i2")),
    DT_INT8: ("int8", np.dtype("i1")),
    DT_STRING: ("string", np.dtype(object)),
    DT_COMPLEX64: ("complex64", np.dtype("<c8")),
    DT_INT64: ("int64", np.dtype("<i8")),
    DT_BOOL: ("bool", np.dtype("?")),
    DT_UINT16: ("uint16", np.dtype("<u2")),
    DT_COMPLEX128: ("complex128", np.dtype("<c16")),
    DT_HALF: ("float16", np.dtype("<f2")),
    DT_UINT32: ("uint32", np.dtype("<u4")),
    DT_UINT64: ("uint64", np.dtype("<u8")),
}
_BY_NAME = {name: num for num, (name, _) in _TABLE.items()}

# TensorFlow's C++ ``DataTypeString``, which its kernels' error messages use.
_TYPE_STRING = {DT_FLOAT: "float", DT_DOUBLE: "double", DT_HALF: "half", DT_STRING: "string"}


def type_string(enum: int) -> str:
    """The C++ name of a type (``float`` for DT_FLOAT, ``int32`` …), as in kernel errors."""
    return _TYPE_STRING.get(base(enum), _TABLE[base(enum)][0]) + ("_ref" if enum > REF_OFFSET else "")


def base(enum: int) -> int:
    """The non-reference type of a (possibly ``_ref``) enum value."""
    return enum - REF_OFFSET if enum > REF_OFFSET else enum


def name_of(enum: int) -> str:
    """TensorFlow's dtype name (``"float32"``; ``"float32_ref"`` for reference types)."""
    suffix = "_ref" if enum > REF_OFFSET else ""
    return _TABLE[base(enum)][0] + suffix


def from_name(name: str) -> int:
    """The enum of a TensorFlow dtype name (``"float32"``, ``"int64_ref"`` …)."""
    if name.endswith("_ref"):
        return _BY_NAME[name[:-4]] + REF_OFFSET
    return _BY_NAME[name]


def to_numpy(enum: int) -> np.dtype:
    """The numpy dtype a tensor of this enum type is held in."""
    try:
        return _TABLE[base(enum)][1]
    except KeyError:
        raise TypeError(f"unsupported DataType {enum}") from None


def from_numpy(dtype: np.dtype | type) -> int:
    """The enum of a numpy dtype; bytes/str/object arrays are DT_STRING."""
    dtype = np.dtype(dtype)
    if dtype.kind in "OSU":
        return DT_STRING
    for num, (_, np_dtype) in _TABLE.items():
        if np_dtype == dtype.newbyteorder("<") or np_dtype == dtype:
            return num
    raise TypeError(f"no TensorFlow DataType for numpy dtype {dtype}")
