"""Data types: `DType` objects such as ``tf.float32`` and their ``_ref`` twins.

A reference variable's tensor has the ``_ref`` twin of its value type (``float32_ref``); reading
it yields the base type. ``repr`` is ``tf.float32``; ``str`` is ``<dtype: 'float32'>`` as in TF.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np


class DType:
    """A tensor element type."""

    def __init__(self, name: str, np_type: Any, proto_name: str, is_ref: bool = False) -> None:
        self._name = name
        self._np_type = np_type
        # TF's DataType enum name (DT_FLOAT → "float"), which its kernel messages use.
        self._proto_name = proto_name
        self._is_ref = is_ref

    @property
    def name(self) -> str:
        return self._name + ("_ref" if self._is_ref else "")

    @property
    def as_numpy_dtype(self) -> Any:
        return self._np_type

    @property
    def base_dtype(self) -> "DType":
        return _BY_NAME[self._name] if self._is_ref else self

    @property
    def real_dtype(self) -> "DType":
        base = self.base_dtype
        return {"complex64": float32, "complex128": float64}.get(base.name, base)

    @property
    def is_ref_dtype(self) -> bool:
        return self._is_ref

    @property
    def _as_ref(self) -> "DType":
        return self if self._is_ref else _REF_BY_NAME[self._name]

    @property
    def is_floating(self) -> bool:
        return self._name in ("float16", "float32", "float64", "bfloat16")

    @property
    def is_integer(self) -> bool:
        return self._name.startswith(("int", "uint"))

    @property
    def is_unsigned(self) -> bool:
        return self._name.startswith("uint") or self._name == "bool"

    @property
    def is_bool(self) -> bool:
        return self._name == "bool"

    @property
    def is_complex(self) -> bool:
        return self._name.startswith("complex")

    @property
    def is_numpy_compatible(self) -> bool:
        return self._np_type is not None

    @property
    def min(self) -> Any:
        base = self.base_dtype
        if base.is_floating:
            return np.finfo(base._np_type).min
        if base.is_integer:
            return np.iinfo(base._np_type).min
        raise TypeError(f"Cannot find minimum value of {self}.")

    @property
    def max(self) -> Any:
        base = self.base_dtype
        if base.is_floating:
            return np.finfo(base._np_type).max
        if base.is_integer:
            return np.iinfo(base._np_type).max
        raise TypeError(f"Cannot find maximum value of {self}.")

    @property
    def size(self) -> int:
        return np.dtype(self._np_type).itemsize if self._np_type is not None else 1

    def is_compatible_with(self, other: Any) -> bool:
        """True when a value of ``other`` may be used where this type is expected (refs ignored)."""
        other = as_dtype(other)
        return self._name == other._name

    def __eq__(self, other: object) -> bool:
        if other is None:
            return False
        if not isinstance(other, DType):
            try:
                other = as_dtype(other)
            except TypeError:
                return False
        return self.name == other.name

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"tf.{self.name}"

    def __str__(self) -> str:
        return f"<dtype: '{self.name}'>"

    def __reduce__(self) -> Any:
        return as_dtype, (self.name,)


_SPECS = [
    ("float16", np.float16, "half"),
    ("float32", np.float32, "float"),
    ("float64", np.float64, "double"),
    ("bfloat16", None, "bfloat16"),
    ("int8", np.int8, "int8"),
    ("int16", np.int16, "int16"),
    ("int32", np.int32, "int32"),
    ("int64", np.int64, "int64"),
    ("uint8", np.uint8, "uint8"),
    ("uint16", np.uint16, "uint16"),
    ("uint32", np.uint32, "uint32"),
    ("uint64", np.uint64, "uint64"),
    ("bool", np.bool_, "bool"),
    ("string", np.object_, "string"),
    ("complex64", np.complex64, "complex64"),
    ("complex128", np.complex128, "complex128"),
    ("resource", np.object_, "resource"),  # a resource variable's handle
]
_BY_NAME: dict[str, DType] = {n: DType(n, t, p) for n, t, p in _SPECS}
_REF_BY_NAME: dict[str, DType] = {n: DType(n, t, p, is_ref=True) for n, t, p in _SPECS}

float16 = half = _BY_NAME["float16"]
float32 = _BY_NAME["float32"]
float64 = double = _BY_NAME["float64"]
bfloat16 = _BY_NAME["bfloat16"]
int8 = _BY_NAME["int8"]
int16 = _BY_NAME["int16"]
int32 = _BY_NAME["int32"]
int64 = _BY_NAME["int64"]
uint8 = _BY_NAME["uint8"]
uint16 = _BY_NAME["uint16"]
uint32 = _BY_NAME["uint32"]
uint64 = _BY_NAME["uint64"]
bool = _BY_NAME["bool"]  # noqa: A001 - TF's public name
string = _BY_NAME["string"]
complex64 = _BY_NAME["complex64"]
complex128 = _BY_NAME["complex128"]
resource = _BY_NAME["resource"]

_PY_TYPES = {float: float32, int: int32, complex: complex128, str: string, bytes: string}


def as_dtype(type_value: Any) -> DType:
    """Convert a DType, a name such as ``"float32"`` / ``"float32_ref"``, or a numpy type."""
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, str):
        if type_value.endswith("_ref") and type_value[:-4] in _REF_BY_NAME:
            return _REF_BY_NAME[type_value[:-4]]
        if type_value in _BY_NAME:
            return _BY_NAME[type_value]
        aliases = {"float": float32, "double": float64, "half": float16}
        if type_value in aliases:
            return aliases[type_value]
    if type_value is builtins.bool:
        return _BY_NAME["bool"]
    if type_value in _PY_TYPES:
        return _PY_TYPES[type_value]
    try:
        # np.dtype(None) is float64; TF refuses None.
        np_dtype = np.dtype(type_value) if type_value is not None else None
    except TypeError:
        np_dtype = None
    if np_dtype is not None:
        if np_dtype.kind in ("U", "S", "O"):
            return string
        for dt in _BY_NAME.values():
            if dt._np_type is not None and np.dtype(dt._np_type) == np_dtype and dt._name != "string":
                return dt
    raise TypeError(f"Cannot convert the argument `type_value`: {type_value!r} to a TensorFlow DType.")


def from_numpy(np_dtype: Any) -> DType:
    """The DType of a numpy dtype."""
    return as_dtype(np.dtype(np_dtype))
