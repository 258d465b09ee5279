"""The adapter interface: how tfconf runs a scenario on one implementation.

An adapter is anything with a ``name``, a ``describe()`` and a ``run(scenario, workdir)``
(`Adapter`). tfconf finds adapters through the ``tfconf.adapters`` entry-point group; the
built-in ones are registered exactly as a third party's would be. Adapters never judge: they
report what happened (`Outcome`), and tfconf compares that with the spec and with each other.

Most Python implementations of the TF1 API need only subclass `PythonApiAdapter` and say how to
import their ``tf`` module (see ``adapters/reference.py``, about 30 lines).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Mapping, Protocol, Sequence, runtime_checkable


class Unsupported(Exception):
    """The implementation lacks an API the scenario uses: a skip with this reason, never a pass."""


class MissingApi(Unsupported):
    """``tf.<path>`` does not exist. Unsupported, unless the step expects an AttributeError."""

    def __init__(self, path: str) -> None:
        super().__init__(f"tf.{path} is not provided")
        self.path = path

    def as_attribute_error(self) -> AttributeError:
        owner, _, name = ("tf." + self.path).rpartition(".")
        return AttributeError(f"module {owner!r} has no attribute {name!r}")


@dataclass(frozen=True)
class AdapterDescription:
    """What an adapter says about itself; it heads every results file."""

    name: str
    implementation: str
    version: str
    device: str = "cpu"
    capabilities: tuple[str, ...] = ()
    settings: Mapping[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["capabilities"] = list(self.capabilities)
        data["settings"] = dict(self.settings)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "AdapterDescription":
        return cls(data["name"], data["implementation"], data["version"], data.get("device", "cpu"),
                   tuple(data.get("capabilities", ())), dict(data.get("settings", {})))


@dataclass(frozen=True)
class Outcome:
    """What one scenario did on one implementation.

    ``status`` is ``"completed"`` (the program ran; observations are what it observed, including
    exceptions the API raised) or ``"unsupported"`` (``reason`` says which API is missing).
    ``checks`` links each expectation reached to the observation keys it reads:
    ``{"at": "expect[0]", "key": "v.name", "other": "v"|None}``.
    """

    status: str
    observations: Mapping[str, Any] = field(default_factory=dict)
    checks: tuple[Mapping[str, Any], ...] = ()
    reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "observations": dict(self.observations),
                "checks": [dict(c) for c in self.checks], "reason": self.reason}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Outcome":
        return cls(data["status"], data.get("observations", {}), tuple(data.get("checks", ())), data.get("reason"))


@runtime_checkable
class Adapter(Protocol):
    """One implementation of the TF1 API, as tfconf drives it."""

    name: str

    def describe(self) -> AdapterDescription:
        """Implementation, version, device and capabilities."""
        ...

    def run(self, scenario: Mapping[str, Any], workdir: str, stages: Sequence[str] | None = None) -> Outcome:
        """Run one scenario (its raw, schema-valid data) in isolation, in a fresh graph, with
        ``workdir`` as its private temporary directory. ``stages`` (``"main"``, ``"reader"``)
        limits which stages run — each in a fresh graph — for writer × reader matrix runs;
        None runs all. Raise `Unsupported` for a missing API; any other exception is an
        adapter error."""
        ...


def unavailable_reason(adapter_cls: type) -> str | None:
    """Why an adapter class cannot run here (None when it can): its optional ``available()``."""
    check = getattr(adapter_cls, "available", None)
    if check is None:
        return None
    try:
        return check()
    except Exception as error:  # noqa: BLE001 - a broken check means unavailable, with the reason
        return f"availability check failed: {error!r}"
