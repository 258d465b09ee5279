"""Observations and expected values as short, readable text, close to how TF1 Python prints them.

Every report format shows values through these functions, so the HTML, JUnit and Markdown say the
same thing. The text is plain: escaping is the job of each output format.
"""

from __future__ import annotations

from typing import Any

MAX_ITEMS = 64  # longer arrays and lists are cut, saying how many items were left out
NOT_OBSERVED = "(not observed)"


def _dims(dims: Any) -> str:
    if dims is None:
        return "<unknown>"
    return "(" + ", ".join("?" if d is None else str(d) for d in dims) + ("," if len(dims) == 1 else "") + ")"


def _items(values: list, render: Any) -> str:
    shown = [render(v) for v in values[:MAX_ITEMS]]
    if len(values) > MAX_ITEMS:
        shown.append(f"… {len(values) - MAX_ITEMS} more")
    return ", ".join(shown)


def _nested(values: Any) -> str:
    """Nested array values (floats may be the strings nan / inf / -inf)."""
    if isinstance(values, list):
        return "[" + _items(values, _nested) + "]"
    if isinstance(values, str) and values in ("nan", "inf", "-inf"):
        return values
    return value_text(values)


def observation_text(obs: Any) -> str:
    """One observation (a description from conformance/observe.py) as text."""
    if obs is None:
        return NOT_OBSERVED
    if not isinstance(obs, dict) or "kind" not in obs:
        return value_text(obs)
    kind = obs["kind"]
    ident = f" #{obs['id']}" if "id" in obs else ""
    if kind == "scalar":
        return value_text(obs.get("value")) if obs.get("type") != "float" else _nested(obs.get("value"))
    if kind == "bytes":
        return "b" + repr(obs.get("value", ""))
    if kind == "array":
        return f"{obs.get('dtype')}{list(obs.get('shape', []))} {_nested(obs.get('values'))}"
    if kind in ("tensor", "variable"):
        label = "tf.Variable" if kind == "variable" else "tf.Tensor"
        return f"<{label} {obs.get('name')!r} shape={_dims(obs.get('shape'))} dtype={obs.get('dtype')}>{ident}"
    if kind == "operation":
        return f"<tf.Operation {obs.get('name')!r} type={obs.get('type')}>{ident}"
    if kind == "indexed_slices":
        parts = ", ".join(f"{k}={observation_text(obs.get(k))}" for k in ("values", "indices", "dense_shape"))
        return f"<IndexedSlices {parts}>{ident}"
    if kind == "variable_scope":
        return f"<VariableScope {obs.get('name')!r} original_name_scope={obs.get('original_name_scope')!r}>{ident}"
    if kind == "shape":
        return f"TensorShape({_dims(obs.get('dims'))})"
    if kind == "dtype":
        return f"tf.{obs.get('name')}"
    if kind == "dimension":
        return f"Dimension({obs.get('value')})"
    if kind in ("list", "tuple"):
        inner = _items(obs.get("items", []), observation_text)
        return f"[{inner}]" if kind == "list" else f"({inner}{',' if len(obs.get('items', [])) == 1 else ''})"
    if kind == "dict":
        items = obs.get("items", {})
        return "{" + _items(list(items.items()), lambda kv: f"{kv[0]!r}: {observation_text(kv[1])}") + "}"
    if kind == "error":
        phase = "running the session" if obs.get("phase") == "run" else "building the graph"
        return f"{obs.get('type')} while {phase}: {obs.get('message')}"
    if kind == "no-error":
        return "no exception"
    if kind == "files":
        items = obs.get("items", [])
        return "files: " + (", ".join(items) if items else "(none)")
    return f"<{kind}>{ident}"


def value_text(value: Any) -> str:
    """A plain expected or observed value (JSON data) as Python-like text."""
    if isinstance(value, dict) and "kind" in value:
        return observation_text(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {value_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + _items(value, value_text) + "]"
    return repr(value)


def error_text(ulp: Any, rel: Any) -> str:
    """A numeric distance as '3 ULP, rel 1.2e-07' ('' when there is none)."""
    if ulp is None:
        return ""
    if isinstance(rel, (int, float)):
        return f"{ulp} ULP, rel {rel:.3g}"
    return f"{ulp} ULP, rel {rel}"


def last_line(text: str | None) -> str:
    """The last non-empty line of a traceback (the exception), for one-line summaries."""
    lines = [line for line in (text or "").strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def is_simulator(device: str) -> bool:
    """Whether an adapter's device is a simulator (numba's ``cuda-simulator``), not hardware."""
    return "simulator" in device.lower()


def device_text(device: str) -> str:
    """The device, marked when it is a simulator (results there say nothing about a GPU)."""
    return f"{device} (SIMULATOR, not a GPU)" if is_simulator(device) else device
