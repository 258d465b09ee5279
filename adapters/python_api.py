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

    def warm_up(self, api: Any, devices: bool = True) -> None:
        """Run a tiny TF1 program once, so that first-use costs (lazy imports, compiled or
        cached kernels, the first session) are paid while the worker starts — in parallel
        across lanes — rather than by whichever scenario happens to run first. ``devices``:
        also place an op on a GPU, which makes an implementation look for one."""
        graph = api.Graph()
        with graph.as_default():
            x = api.constant([[1.0, 2.0], [3.0, 4.0]])
            v = api.Variable(x, name="warm_up")
            fetches = [api.reduce_sum(api.matmul(v, x) + 1.0, axis=0)]
            if devices:
                with api.device("/gpu:0"):
                    fetches.append(api.identity(x))
            config = api.ConfigProto(allow_soft_placement=True)
            with api.Session(config=config) as sess:
                sess.run(api.global_variables_initializer())
                sess.run(fetches)

    # -- the adapter interface -----------------------------------------------------------------
    def preload(self) -> None:
        """Import the implementation and do nothing else (no session, no thread): a fork server
        calls this once and forks the workers of every parallel lane from it."""
        self.api  # noqa: B018 - the property imports

    def prepare(self) -> None:
        """Load the implementation and warm it up (the worker calls this as it starts)."""
        api = self.api
        try:
            self.warm_up(api)
        except Exception:  # noqa: BLE001 - an API the warm-up needs may be missing: scenarios will say
            pass

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
