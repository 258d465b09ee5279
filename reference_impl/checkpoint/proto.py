"""Declarative protobuf messages on top of `wire`: a message class lists its fields, once.

Each message class carries ``FIELDS``, a tuple of `Field` rows that mirror the ``.proto``
declaration (number, name, type, repeated, map, message type). From that table alone the
generic `Message.encode` and `Message.decode` follow proto3's rules, as TensorFlow's C++ code
serializes them, so that our bytes equal TensorFlow's:

- fields are written in field-number order;
- a singular scalar is written only when it differs from its zero value, except a member of a
  ``oneof`` (``presence=True``), which is written whenever it is set (not None), zero or not;
- a singular message field is written whenever it is set (not None), even when empty;
- repeated numeric fields are written packed; the decoder accepts packed and unpacked;
- a ``map<K, V>`` is a repeated entry message ``{1: key, 2: value}``, entries in the order TF's
  Python writes them to files (deterministic serialization: `_upb_key_order`);
- unknown fields are skipped on decode.

Sub-messages we only carry and never look into (a FunctionDefLibrary, an OpList …) have kind
``"bytes"``: on the wire a message is just length-delimited bytes.
"""

from __future__ import annotations

import functools
import struct
from dataclasses import dataclass
from typing import Any, ClassVar

from . import wire

# kind → (wire type, zero value); "message" and "map" are handled separately.
_SCALARS: dict[str, tuple[int, Any]] = {
    "int32": (wire.VARINT, 0),
    "int64": (wire.VARINT, 0),
    "uint32": (wire.VARINT, 0),
    "uint64": (wire.VARINT, 0),
    "enum": (wire.VARINT, 0),
    "bool": (wire.VARINT, False),
    "fixed32": (wire.I32, 0),
    "fixed64": (wire.I64, 0),
    "float": (wire.I32, 0.0),
    "double": (wire.I64, 0.0),
    "string": (wire.LEN, ""),
    "bytes": (wire.LEN, b""),
}
_SIGNED = {"int32", "int64", "enum"}
_PACKABLE = {k for k, (wt, _) in _SCALARS.items() if wt != wire.LEN}


def _wire_type(f: "Field") -> int:
    return wire.LEN if f.kind in ("message", "map") else _SCALARS[f.kind][0]


@dataclass(frozen=True)
class Field:
    """One row of a message's schema.

    ``message`` names the sub-message class (a string, resolved in the defining module, so
    definitions may refer forward); for a map it names the value class, or is None when the
    value is a scalar of kind ``map_value``.
    """

    number: int
    name: str
    kind: str  # a key of _SCALARS, "message" or "map"
    repeated: bool = False
    message: str | None = None
    presence: bool = False  # oneof member / explicit presence: written when not None
    map_value: str = "message"
    enum: str | None = None  # the enum type of an "enum" field (`text_format.ENUMS`)
    opaque: str | None = None  # a message carried as its bytes: its class, or "" if we have none


def _encode_scalar(kind: str, value: Any) -> bytes:
    """Payload bytes of one scalar (no key)."""
    if kind in ("int32", "int64", "uint32", "uint64", "enum"):
        return wire.encode_varint(int(value))
    if kind == "bool":
        return b"\x01" if value else b"\x00"
    if kind == "fixed32":
        return struct.pack("<I", value & 0xFFFFFFFF)
    if kind == "fixed64":
        return struct.pack("<Q", value & ((1 << 64) - 1))
    if kind == "float":
        return struct.pack("<f", value)
    if kind == "double":
        return struct.pack("<d", value)
    if kind == "string":
        data = value.encode("utf-8")
        return wire.encode_varint(len(data)) + data
    if kind == "bytes":
        data = bytes(value)
        return wire.encode_varint(len(data)) + data
    raise TypeError(f"unknown scalar kind {kind}")


def _decode_scalar(kind: str, wire_type: int, raw: int | bytes) -> Any:
    """A scalar value from what `wire.iter_fields` yielded."""
    if kind in _SIGNED:
        v = wire.to_signed64(raw)
        if kind == "int32" or kind == "enum":
            v = (v + (1 << 31)) % (1 << 32) - (1 << 31)  # int32 truncation, as protobuf does
        return v
    if kind == "uint32":
        return raw & 0xFFFFFFFF
    if kind in ("uint64", "fixed32", "fixed64"):
        return raw
    if kind == "bool":
        return bool(raw)
    if kind == "float":
        return struct.unpack("<f", raw.to_bytes(4, "little"))[0]
    if kind == "double":
        return struct.unpack("<d", raw.to_bytes(8, "little"))[0]
    if kind == "string":
        return raw.decode("utf-8")
    if kind == "bytes":
        return raw
    raise TypeError(f"unknown scalar kind {kind}")


def _decode_packed(kind: str, payload: bytes) -> list:
    """All values of one packed run."""
    wt = _SCALARS[kind][0]
    if wt == wire.VARINT:
        return [_decode_scalar(kind, wt, v) for v in wire.decode_packed_varints(payload)]
    size = 4 if wt == wire.I32 else 8
    if len(payload) % size:
        raise wire.DecodeError("packed fixed-width field of odd length")
    return [
        _decode_scalar(kind, wt, int.from_bytes(payload[i:i + size], "little"))
        for i in range(0, len(payload), size)
    ]


class Message:
    """Base class: subclasses set ``FIELDS``; instances have one attribute per field.

    Unset values: ``[]`` for repeated fields, ``{}`` for maps, None for message fields and
    presence scalars, the proto3 zero value otherwise.
    """

    FIELDS: ClassVar[tuple[Field, ...]] = ()
    _REGISTRY: ClassVar[dict[str, type["Message"]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        Message._REGISTRY[cls.__name__] = cls

    def __init__(self, **values: Any) -> None:
        for f in self.FIELDS:
            setattr(self, f.name, self._default(f))
        for name, v in values.items():
            if name not in self._by_name():
                raise TypeError(f"{type(self).__name__} has no field {name!r}")
            setattr(self, name, v)

    @staticmethod
    def _default(f: Field) -> Any:
        if f.kind == "map":
            return {}
        if f.repeated:
            return []
        if f.kind == "message" or f.presence:
            return None
        return _SCALARS[f.kind][1]

    @classmethod
    def _by_name(cls) -> dict[str, Field]:
        if "_BY_NAME" not in cls.__dict__:
            cls._BY_NAME = {f.name: f for f in cls.FIELDS}
        return cls._BY_NAME

    @classmethod
    def _by_number(cls) -> dict[int, Field]:
        if "_BY_NUMBER" not in cls.__dict__:
            cls._BY_NUMBER = {f.number: f for f in cls.FIELDS}
        return cls._BY_NUMBER

    @staticmethod
    def _cls(name: str) -> type["Message"]:
        return Message._REGISTRY[name]

    # -- encoding ------------------------------------------------------------------------
    def encode(self) -> bytes:
        """The serialized message, byte-identical to protobuf's C++ serializer for proto3."""
        out = bytearray()
        for f in sorted(self.FIELDS, key=lambda f: f.number):
            v = getattr(self, f.name)
            if f.kind == "map":
                for k in sorted(v, key=_upb_key_order):
                    entry = _map_entry_bytes(f, k, v[k])
                    out += wire.field_bytes(f.number, entry)
            elif f.kind == "message":
                items = v if f.repeated else ([] if v is None else [v])
                for m in items:
                    out += wire.field_bytes(f.number, m.encode())
            elif f.repeated:
                if not v:
                    continue
                if f.kind in _PACKABLE:
                    payload = b"".join(_encode_scalar(f.kind, x) for x in v)
                    out += wire.field_bytes(f.number, payload)
                else:
                    for x in v:
                        out += wire.key(f.number, _SCALARS[f.kind][0]) + _encode_scalar(f.kind, x)
            else:
                if v is None or (not f.presence and v == _SCALARS[f.kind][1]):
                    continue
                out += wire.key(f.number, _SCALARS[f.kind][0]) + _encode_scalar(f.kind, v)
        return bytes(out)

    # -- decoding ------------------------------------------------------------------------
    @classmethod
    def decode(cls, data: bytes) -> "Message":
        """Parse serialized bytes; later singular values win, as in protobuf."""
        msg = cls()
        fields = cls._by_number()
        for number, wt, raw in wire.iter_fields(data):
            f = fields.get(number)
            if f is None or wt != _wire_type(f) and not (wt == wire.LEN and f.repeated and f.kind in _PACKABLE):
                continue  # an unknown field, or a known one of another wire type: skipped, as protobuf does
            if f.kind == "map":
                k, val = _decode_map_entry(f, raw)
                getattr(msg, f.name)[k] = val
            elif f.kind == "message":
                sub = cls._cls(f.message).decode(raw)
                if f.repeated:
                    getattr(msg, f.name).append(sub)
                else:
                    setattr(msg, f.name, sub)
            elif f.repeated:
                if wt == wire.LEN and f.kind in _PACKABLE:
                    getattr(msg, f.name).extend(_decode_packed(f.kind, raw))
                else:
                    getattr(msg, f.name).append(_decode_scalar(f.kind, wt, raw))
            else:
                setattr(msg, f.name, _decode_scalar(f.kind, wt, raw))
        return msg

    # -- conveniences --------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(
            getattr(self, f.name) == getattr(other, f.name) for f in self.FIELDS
        )

    def __repr__(self) -> str:
        parts = []
        for f in self.FIELDS:
            v = getattr(self, f.name)
            if v != self._default(f):
                parts.append(f"{f.name}={v!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def has(self, name: str) -> bool:
        """Whether a message or presence field is set (protobuf's ``HasField``)."""
        return getattr(self, name) is not None

    # -- protobuf's Python API, as TF1 programs use it on a GraphDef or MetaGraphDef ---------
    def SerializeToString(self, deterministic: bool = False) -> bytes:  # noqa: N802 - protobuf's name
        """The serialized message (`encode`)."""
        return self.encode()

    def ParseFromString(self, data: bytes) -> int:  # noqa: N802 - protobuf's name
        """Replace this message's fields with those ``data`` encodes; returns its length."""
        parsed = type(self).decode(bytes(data))
        for f in self.FIELDS:
            setattr(self, f.name, getattr(parsed, f.name))
        return len(data)

    def __str__(self) -> str:
        from .text_format import message_to_string
        return message_to_string(self)


def _compare_keys(a: str, b: str) -> int:
    x, y = a.encode("utf-8"), b.encode("utf-8")
    n = min(len(x), len(y))
    if x[:n] != y[:n]:
        return -1 if x[:n] < y[:n] else 1
    return len(y) - len(x)  # a key that extends another comes first


# The order of a map's entries in TF Python's files (``SerializeToString(deterministic=True)``,
# upb's map sorter): bytewise on the common prefix, then the longer key first ("Tidx", "T").
_upb_key_order = functools.cmp_to_key(_compare_keys)


def _map_entry_bytes(f: Field, k: Any, v: Any) -> bytes:
    # Map keys in TensorFlow's protos are always strings.
    entry = wire.key(1, wire.LEN) + _encode_scalar("string", k)
    if f.map_value == "message":
        entry += wire.field_bytes(2, v.encode())
    else:
        entry += wire.key(2, _SCALARS[f.map_value][0]) + _encode_scalar(f.map_value, v)
    return entry


def _decode_map_entry(f: Field, raw: bytes) -> tuple[str, Any]:
    k: str = ""
    if f.map_value == "message":
        val: Any = Message._cls(f.message)()
    else:
        val = _SCALARS[f.map_value][1]
    for number, wt, x in wire.iter_fields(raw):
        if number == 1:
            k = x.decode("utf-8")
        elif number == 2:
            if f.map_value == "message":
                val = Message._cls(f.message).decode(x)
            else:
                val = _decode_scalar(f.map_value, wt, x)
    return k, val
