"""Protobuf's text format for the messages of `messages`, as TensorFlow's Python writes it
(``text_format.MessageToString``: ``tf.io.write_graph``, ``export_meta_graph(as_text=True)``,
``str(graph_def)``) and reads it (``text_format.Merge``).

Printing follows the Python printer's defaults: fields in field-number order, a map's entries
sorted by key (``attr { key: "T" value { ... } }``), nested messages indented by two spaces
with no colon after their name, strings C-escaped byte by byte (octal for anything outside
printable ASCII), enums by name, floats as the shortest decimal that reads back as the same
float32, doubles and integers as Python's ``str``. A message we carry as its bytes is printed
(and read) through its schema where `messages` has one (an op list, a node's full type); one we
have no schema for (a function library) makes printing or reading it raise.
"""

from __future__ import annotations

import math
import re
import struct
from typing import Any

from .proto import Field, Message

# Enum number -> name, per enum type a `Field` names (unknown numbers print as numbers).
_DATA_TYPES = ["DT_INVALID", "DT_FLOAT", "DT_DOUBLE", "DT_INT32", "DT_UINT8", "DT_INT16", "DT_INT8",
               "DT_STRING", "DT_COMPLEX64", "DT_INT64", "DT_BOOL", "DT_QINT8", "DT_QUINT8",
               "DT_QINT32", "DT_BFLOAT16", "DT_QINT16", "DT_QUINT16", "DT_UINT16", "DT_COMPLEX128",
               "DT_HALF", "DT_RESOURCE", "DT_VARIANT", "DT_UINT32", "DT_UINT64", "DT_FLOAT8_E5M2",
               "DT_FLOAT8_E4M3FN", "DT_FLOAT8_E4M3FNUZ", "DT_FLOAT8_E4M3B11FNUZ",
               "DT_FLOAT8_E5M2FNUZ", "DT_INT4", "DT_UINT4", "DT_INT2", "DT_UINT2",
               "DT_FLOAT4_E2M1FN"]
ENUMS: dict[str, dict[int, str]] = {
    "DataType": {**dict(enumerate(_DATA_TYPES)),
                 **{i + 100: f"{n}_REF" for i, n in enumerate(_DATA_TYPES) if i}},
    "CheckpointFormatVersion": {0: "LEGACY", 1: "V1", 2: "V2"},
    "Endianness": {0: "LITTLE", 1: "BIG"},
    "VariableSynchronization": {i: f"VARIABLE_SYNCHRONIZATION_{n}" for i, n in
                                enumerate(["AUTO", "NONE", "ON_WRITE", "ON_READ"])},
    "VariableAggregation": {i: f"VARIABLE_AGGREGATION_{n}" for i, n in
                            enumerate(["NONE", "SUM", "MEAN", "ONLY_FIRST_REPLICA"])},
    "FullTypeId": {0: "TFT_UNSET", 1: "TFT_VAR", 2: "TFT_ANY", 3: "TFT_PRODUCT", 4: "TFT_NAMED",
                   20: "TFT_FOR_EACH", 100: "TFT_CALLABLE", 1000: "TFT_TENSOR", 1001: "TFT_ARRAY",
                   1002: "TFT_OPTIONAL", 1003: "TFT_LITERAL", 1004: "TFT_ENCODED",
                   1005: "TFT_SHAPE_TENSOR", 200: "TFT_BOOL", 201: "TFT_UINT8", 202: "TFT_UINT16",
                   203: "TFT_UINT32", 204: "TFT_UINT64", 205: "TFT_INT8", 206: "TFT_INT16",
                   207: "TFT_INT32", 208: "TFT_INT64", 209: "TFT_HALF", 210: "TFT_FLOAT",
                   211: "TFT_DOUBLE", 215: "TFT_BFLOAT16", 212: "TFT_COMPLEX64",
                   213: "TFT_COMPLEX128", 214: "TFT_STRING", 10102: "TFT_DATASET",
                   10103: "TFT_RAGGED", 10104: "TFT_ITERATOR", 10202: "TFT_MUTEX_LOCK",
                   10203: "TFT_LEGACY_VARIANT"},
}


class ParseError(ValueError):
    """The text is not the text format of the message asked for (``line:column : what``)."""


# --- strings --------------------------------------------------------------------------------
_ESCAPES = {ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t", ord('"'): '\\"',
            ord("'"): "\\'", ord("\\"): "\\\\"}
_UNESCAPES = {"n": b"\n", "r": b"\r", "t": b"\t", '"': b'"', "'": b"'", "\\": b"\\",
              "a": b"\a", "b": b"\b", "f": b"\f", "v": b"\v", "?": b"?"}


def c_escape(data: bytes | str) -> str:
    """protobuf's text-format escaping: C escapes, octal for bytes outside printable ASCII."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    out = []
    for b in raw:
        if b in _ESCAPES:
            out.append(_ESCAPES[b])
        elif b < 0x20 or b >= 0x7F:
            out.append(f"\\{b:03o}")
        else:
            out.append(chr(b))
    return "".join(out)


def c_unescape(body: str) -> bytes:
    """The bytes a quoted string's body stands for (octal, hex and C escapes)."""
    raw = body.encode("utf-8")
    out = bytearray()
    i = 0
    while i < len(raw):
        c = raw[i:i + 1]
        if c != b"\\":
            out += c
            i += 1
            continue
        if i + 1 >= len(raw):
            raise ValueError("Invalid escape sequence: a string ends with '\\'")
        nxt = chr(raw[i + 1])
        if nxt in "01234567":
            m = re.match(rb"[0-7]{1,3}", raw[i + 1:i + 4])
            assert m is not None
            out.append(int(m.group(0), 8) & 0xFF)
            i += 1 + len(m.group(0))
        elif nxt == "x":
            m = re.match(rb"[0-9a-fA-F]{1,2}", raw[i + 2:i + 4])
            if m is None:
                raise ValueError("Invalid escape sequence: \\x without hex digits")
            out.append(int(m.group(0), 16))
            i += 2 + len(m.group(0))
        elif nxt in _UNESCAPES:
            out += _UNESCAPES[nxt]
            i += 2
        else:
            raise ValueError(f"Invalid escape sequence: \\{nxt}")
    return bytes(out)


# --- printing -------------------------------------------------------------------------------
def shortest_float(x: float) -> str:
    """A float32 field's text: the fewest significant digits (6 or more) that read back as the
    same float32, printed by Python's ``str`` (``0.1``, ``2.0``, ``1e+20``, ``inf``)."""
    x = _float32(x)  # (a float field holds a float32, whatever Python float was assigned)
    if math.isnan(x) or math.isinf(x):
        return str(x)
    precision = 6
    while True:
        rounded = float(f"{x:.{precision}g}")
        if _float32(rounded) == x:
            return str(rounded)
        precision += 1


def _float32(x: float) -> float:
    """``x`` rounded to float32 (beyond its range: an infinity, as protobuf stores it)."""
    try:
        return struct.unpack("<f", struct.pack("<f", x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


def _scalar_text(f: Field, value: Any) -> str:
    if f.kind in ("string", "bytes"):
        return f'"{c_escape(value)}"'
    if f.kind == "bool":
        return "true" if value else "false"
    if f.kind == "enum":
        return ENUMS.get(f.enum or "", {}).get(int(value), str(int(value)))
    if f.kind == "float":
        return shortest_float(float(value))
    if f.kind == "double":
        return str(float(value))
    return str(int(value))


def message_to_string(message: Message) -> str:
    """``message`` in text format, as Python protobuf's ``MessageToString`` prints it."""
    out: list[str] = []
    _print_message(message, "", out)
    return "".join(out)


def _print_message(message: Message, indent: str, out: list[str]) -> None:
    for f in sorted(message.FIELDS, key=lambda f: f.number):
        value = getattr(message, f.name)
        if f.opaque is not None:
            if value in (None, [], {}):
                continue
            if not f.opaque or f.repeated or f.kind == "map":
                raise NotImplementedError(
                    f"{type(message).__name__}.{f.name} is carried as bytes; its text format "
                    "cannot be written")
            f, value = _carried(f), Message._cls(f.opaque).decode(value)
        if f.kind == "map":
            for key in sorted(value):
                out.append(f"{indent}{f.name} {{\n{indent}  key: \"{c_escape(key)}\"\n")
                if f.map_value == "message":
                    out.append(f"{indent}  value {{\n")
                    _print_message(value[key], indent + "    ", out)
                    out.append(f"{indent}  }}\n")
                else:
                    value_field = Field(2, "value", f.map_value)
                    out.append(f"{indent}  value: {_scalar_text(value_field, value[key])}\n")
                out.append(f"{indent}}}\n")
        elif f.kind == "message":
            for sub in value if f.repeated else ([] if value is None else [value]):
                out.append(f"{indent}{f.name} {{\n")
                _print_message(sub, indent + "  ", out)
                out.append(f"{indent}}}\n")
        elif f.repeated:
            out.extend(f"{indent}{f.name}: {_scalar_text(f, x)}\n" for x in value)
        elif value is not None and (f.presence or value != Message._default(f)):
            out.append(f"{indent}{f.name}: {_scalar_text(f, value)}\n")


def _carried(f: Field) -> Field:
    """The message field an opaque bytes field stands for."""
    return Field(f.number, f.name, "message", message=f.opaque)


# --- parsing --------------------------------------------------------------------------------
_TOKEN = re.compile(r"""
    (?P<space>\s+|\#[^\n]*)
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<number>[-+]?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?[fF]?))
  | (?P<word>-?[A-Za-z_][A-Za-z0-9_.]*)
  | (?P<symbol>[{}<>:\[\],;])
""", re.VERBOSE)


_INTEGER = re.compile(r"[-+]?(?:0[xX][0-9a-fA-F]+|[0-9]+)")


class _Tokens:
    """The text as tokens, each with its line and column (1-based), for error messages."""

    def __init__(self, text: str) -> None:
        self.items: list[tuple[str, str, int, int]] = []
        line, start = 1, 0
        pos = 0
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if m is None:
                raise ParseError(f"{line}:{pos - start + 1} : Unexpected character "
                                 f"{text[pos]!r}.")
            kind = m.lastgroup or ""
            if kind != "space":
                self.items.append((kind, m.group(), line, pos - start + 1))
            for i in range(pos, m.end()):
                if text[i] == "\n":
                    line, start = line + 1, i + 1
            pos = m.end()
        self.i = 0
        self.end = (line, len(text) - start + 1)

    def peek(self) -> tuple[str, str]:
        return self.items[self.i][:2] if self.i < len(self.items) else ("end", "")

    def where(self) -> str:
        line, col = self.items[self.i][2:] if self.i < len(self.items) else self.end
        return f"{line}:{col}"

    def take(self, symbol: str | None = None) -> str:
        kind, text = self.peek()
        if kind == "end" or (symbol is not None and text != symbol):
            raise ParseError(f"{self.where()} : Expected \"{symbol}\".")
        self.i += 1
        return text

    def accept(self, symbol: str) -> bool:
        if self.peek() == ("symbol", symbol):
            self.i += 1
            return True
        return False


def parse(text: str, cls: type[Message]) -> Message:
    """A ``cls`` read from its text format (``text_format.Merge``): repeated fields gather
    every value, a singular field set twice keeps the last, unknown names fail."""
    tokens = _Tokens(text)
    message = cls()
    _parse_fields(tokens, message, None)
    return message


def _parse_fields(tokens: _Tokens, message: Message, closing: str | None) -> None:
    fields = type(message)._by_name()
    while True:
        kind, word = tokens.peek()
        if kind == "end":
            if closing is not None:
                raise ParseError(f"{tokens.where()} : Expected \"{closing}\".")
            return
        if closing is not None and tokens.accept(closing):
            return
        if kind != "word" or word not in fields:
            raise ParseError(f"{tokens.where()} : Message type \"tensorflow."
                             f"{type(message).__name__}\" has no field named \"{word}\".")
        tokens.take()
        _parse_field(tokens, message, fields[word])
        tokens.accept(",") or tokens.accept(";")


def _parse_field(tokens: _Tokens, message: Message, f: Field) -> None:
    if f.opaque is not None:
        if not f.opaque or f.repeated or f.kind == "map":
            raise ParseError(f"{tokens.where()} : {type(message).__name__}.{f.name} is carried "
                             "as bytes; its text format cannot be read")
        tokens.accept(":")
        setattr(message, f.name, _message_values(tokens, _carried(f))[-1].encode())
        return
    if f.kind in ("message", "map"):
        tokens.accept(":")
        for sub in _message_values(tokens, f):
            if f.kind == "map":
                key, value = sub
                getattr(message, f.name)[key] = value
            elif f.repeated:
                getattr(message, f.name).append(sub)
            else:
                setattr(message, f.name, sub)
        return
    tokens.take(":")
    values = _list_or_one(tokens, lambda: _scalar(tokens, f))
    if f.repeated:
        getattr(message, f.name).extend(values)
    else:
        setattr(message, f.name, values[-1])


def _list_or_one(tokens: _Tokens, one: Any) -> list:
    if not tokens.accept("["):
        return [one()]
    values: list = []
    while not tokens.accept("]"):
        values.append(one())
        tokens.accept(",")
    return values


def _message_values(tokens: _Tokens, f: Field) -> list:
    def one() -> Any:
        opening = tokens.take()
        if opening not in ("{", "<"):
            raise ParseError(f"{tokens.where()} : Expected \"{{\".")
        closing = "}" if opening == "{" else ">"
        if f.kind == "map":
            return _map_entry(tokens, f, closing)
        sub = Message._cls(f.message or "")()
        _parse_fields(tokens, sub, closing)
        return sub
    return _list_or_one(tokens, one)


def _map_entry(tokens: _Tokens, f: Field, closing: str) -> tuple[str, Any]:
    key: Any = ""
    value: Any = Message._cls(f.message)() if f.map_value == "message" and f.message else None
    while not tokens.accept(closing):
        name = tokens.take()
        if name == "key":
            tokens.take(":")
            key = _scalar(tokens, Field(1, "key", "string"))
        elif name == "value" and f.map_value == "message":
            tokens.accept(":")
            opening = tokens.take()
            value = Message._cls(f.message or "")()
            _parse_fields(tokens, value, "}" if opening == "{" else ">")
        elif name == "value":
            tokens.take(":")
            value = _scalar(tokens, Field(2, "value", f.map_value))
        else:
            raise ParseError(f"{tokens.where()} : a map entry has no field named \"{name}\".")
        tokens.accept(",") or tokens.accept(";")
    if value is None:
        value = Message._default(Field(2, "value", f.map_value))
    return key, value


def _scalar(tokens: _Tokens, f: Field) -> Any:
    where = tokens.where()
    kind, text = tokens.peek()
    tokens.take()
    try:
        if f.kind in ("string", "bytes"):
            if kind != "string":
                raise ValueError("Expected string.")
            raw = c_unescape(text[1:-1])
            while tokens.peek()[0] == "string":  # adjacent strings concatenate
                raw += c_unescape(tokens.take()[1:-1])
            return raw if f.kind == "bytes" else raw.decode("utf-8")
        if f.kind == "bool":
            if text in ("true", "t", "True", "1"):
                return True
            if text in ("false", "f", "False", "0"):
                return False
            raise ValueError(f"Expected \"true\" or \"false\", found \"{text}\".")
        if f.kind == "enum":
            if kind == "number":
                return int(text, 0)
            names = {n: i for i, n in ENUMS.get(f.enum or "", {}).items()}
            if text not in names:
                raise ValueError(f"Enum type has no value named {text}.")
            return names[text]
        if f.kind in ("float", "double"):
            lowered = text.lower().lstrip("-+")
            if lowered in ("inf", "infinity", "nan"):
                value = float(text.lower().replace("infinity", "inf"))
            else:
                value = float(text.rstrip("fF"))
            return _float32(value) if f.kind == "float" else value
        if not _INTEGER.fullmatch(text):
            raise ValueError(f"Expected integer, got: {text}")
        digits = text.lstrip("-+")
        if digits[:2] in ("0x", "0X"):
            return int(text, 16)
        return int(text, 8) if digits.startswith("0") and digits != "0" else int(text, 10)
    except ValueError as e:
        raise ParseError(f"{where} : {e}") from None
