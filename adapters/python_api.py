"""`PythonApiAdapter`: the base of every adapter whose implementation is an importable Python
module with TF1's API. A subclass says how to import the module and how to start a scenario
afresh; the shared interpreter does the rest."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from .base import AdapterDescription, Outcome, Unsupported


class PythonApiAdapter:
    """Runs scenarios in-process on a ``tf``-like module."""

    name = "python-api"

    def __init__(self) -> None:
        self._api: Any = None

    # -- what subclasses provide ---------------------------------------------------------------
    def load_api(self) -> Any:
        """Import and return the ``tf`` module (called once, lazily)."""
        raise NotImplementedError

    def describe(self) -> AdapterDescription:
        raise NotImplementedError

    def fresh_start(self, api: Any) -> None:
        """Make the next scenario start from nothing: a new default graph, no default session."""
        api.reset_default_graph()

    # -- the adapter interface -----------------------------------------------------------------
    @property
    def api(self) -> Any:
        if self._api is None:
            self._api = self.load_api()
        return self._api

    def run(self, scenario: Mapping[str, Any], workdir: str, stages: Sequence[str] | None = None) -> Outcome:
        from conformance.interpreter import Interpreter
        from conformance.observe import Recorder
        from conformance.scenario import parse_stages

        api = self.api
        recorder = Recorder(workdir)
        for stage in parse_stages(scenario):
            if stages is not None and stage.name not in stages:
                continue
            try:
                self.fresh_start(api)  # each stage starts as a new process would
            except AttributeError as missing:
                raise Unsupported(f"cannot start a fresh graph: {missing}") from None
            Interpreter(api, workdir, recorder).run_stage(stage)
        return Outcome("completed", recorder.observations, tuple(recorder.checks))
