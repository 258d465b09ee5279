"""`PythonApiAdapter`: the base of every adapter whose implementation is an importable Python
module with TF1's API. A subclass says how to import the module and how to start a scenario
afresh; the shared interpreter does the rest."""

from __future__ import annotations

from typing import Any, Mapping

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

    def run(self, scenario: Mapping[str, Any], workdir: str) -> Outcome:
        from conformance.interpreter import Interpreter

        api = self.api
        try:
            self.fresh_start(api)
        except AttributeError as missing:
            raise Unsupported(f"cannot start a fresh graph: {missing}") from None
        return Interpreter(api, workdir).run(scenario)
