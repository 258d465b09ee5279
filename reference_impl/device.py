"""Device strings: parsing, TF's canonical spelling, merging of nested scopes, device types.

``tf.device("/gpu:0")`` gives ops the device ``/device:GPU:0``; nested scopes merge field by
field, the inner one winning. `device_type` is the hook a `Session` uses to pick kernels.
"""

from __future__ import annotations

from .kernels.registry import CPU, GPU

_FIELDS = ("job", "replica", "task", "type", "index")


def parse(spec: str | None) -> dict[str, str]:
    """Split a device string into its fields (absent fields are left out)."""
    out: dict[str, str] = {}
    if not spec:
        return out
    for part in spec.split("/"):
        if not part:
            continue
        bits = part.split(":")
        key = bits[0].lower()
        if key in ("job", "replica", "task") and len(bits) == 2:
            out[key] = bits[1]
        elif key == "device" and len(bits) in (2, 3):
            out["type"] = bits[1].upper()
            out["index"] = bits[2] if len(bits) == 3 else "*"
        elif key in ("cpu", "gpu", "tpu") and len(bits) in (1, 2):
            out["type"] = key.upper()
            out["index"] = bits[1] if len(bits) == 2 else "*"
        else:
            raise ValueError(f"Unknown attribute: '{part}' in '{spec}'")
    return out


def to_string(fields: dict[str, str]) -> str:
    """TF's canonical spelling of parsed fields."""
    s = ""
    for key in ("job", "replica", "task"):
        if key in fields:
            s += f"/{key}:{fields[key]}"
    if "type" in fields:
        s += f"/device:{fields['type']}:{fields.get('index', '*')}"
    return s


def canonical(spec: str | None) -> str:
    return to_string(parse(spec))


def merge(outer: str, inner: str) -> str:
    """The device of an op inside ``inner`` nested in ``outer``."""
    fields = parse(outer)
    fields.update(parse(inner))
    return to_string(fields)


def device_type(device: str | None) -> str:
    """The kernel registry's device type (``"CPU"`` / ``"GPU"``) for an op's device string."""
    kind = parse(device).get("type", CPU)
    return GPU if kind == "GPU" else CPU
