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


# Where ops that name no device type run: TF puts them on the best device that has a kernel
# (a GPU when there is one). The reference-cuda adapter sets "GPU"; an op's device string stays
# as the program set it either way, as TF's does.
_default_type = CPU


def set_default_device_type(kind: str) -> str:
    """Run unpinned ops on ``kind`` (``"CPU"`` or ``"GPU"``); returns the previous setting."""
    global _default_type
    if kind not in (CPU, GPU):
        raise ValueError(f"unknown device type {kind!r}")
    previous, _default_type = _default_type, kind
    return previous


def is_pinned(device: str | None) -> bool:
    """Whether the device string names a device type (an explicit placement TF must honour)."""
    return "type" in parse(device)


def device_type(device: str | None) -> str:
    """The kernel registry's device type (``"CPU"`` / ``"GPU"``) for an op's device string;
    the default device type when it names none."""
    kind = parse(device).get("type")
    if kind is None:
        return _default_type
    return GPU if kind == "GPU" else CPU
