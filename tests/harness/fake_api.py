"""A tiny stand-in for a TF1 API module, for testing the harness without TensorFlow."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import time
from typing import Any, Iterator

from adapters.base import AdapterDescription
from adapters.python_api import PythonApiAdapter


class _DType:
    name = "float32"


class _Shape:
    dims = ()

    def as_list(self) -> list:
        return []


class Tensor:
    """Looks like a TF tensor to `conformance.observe` (op, value_index, dtype, get_shape)."""

    dtype = _DType()
    value_index = 0

    def __init__(self, name: str, value: Any) -> None:
        self.name, self.value = name, value
        self.op = self

    def get_shape(self) -> _Shape:
        return _Shape()


class FakeApi:
    """``tf``-like namespace: a few functions with observable behaviour."""

    float32 = "float32"

    def __init__(self) -> None:
        self.names: list[str] = []

    def reset_default_graph(self) -> None:
        self.names = []

    def constant(self, value: Any, name: str = "Const") -> Tensor:
        unique = name if name not in self.names else f"{name}_{self.names.count(name)}"
        self.names.append(name)
        return Tensor(unique + ":0", value)

    def fail(self, message: str) -> None:
        raise ValueError(message)

    def add(self, a: Any, b: Any) -> Any:
        return a + b

    def touch(self, path: str) -> str:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write("x")
        return path

    @contextlib.contextmanager
    def scope(self, name: str) -> Iterator[str]:
        yield name + "/"

    def apply(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)


class FakeAdapter(PythonApiAdapter):
    name = "fake"

    def load_api(self) -> Any:
        return FakeApi()

    def describe(self) -> AdapterDescription:
        return AdapterDescription(self.name, "fake", "1")


class CrashingAdapter(FakeAdapter):
    """Kills its own process on a scenario whose id contains 'crash'."""

    name = "crashing"

    def run(self, scenario: Any, workdir: str) -> Any:
        if "crash" in scenario["id"]:
            os._exit(3)
        return super().run(scenario, workdir)


class HangingAdapter(FakeAdapter):
    name = "hanging"

    def run(self, scenario: Any, workdir: str) -> Any:
        if "hang" in scenario["id"]:
            time.sleep(60)
        return super().run(scenario, workdir)


class GarbageAdapter(FakeAdapter):
    """Writes garbage straight onto the protocol's file descriptor."""

    name = "garbage"

    def run(self, scenario: Any, workdir: str) -> Any:
        if "garbage" in scenario["id"]:
            sys.stdout.flush()
            from conformance import worker

            assert worker.PROTOCOL_FD is not None
            os.write(worker.PROTOCOL_FD, self.garbage)
            print("printed text goes to stderr, harmlessly")
        return super().run(scenario, workdir)

    garbage = b"this is not json\n"


class DeepGarbageAdapter(GarbageAdapter):
    """Writes JSON nested deeper than a parser's recursion can follow."""

    garbage = b"[" * 200_000 + b"]" * 200_000 + b"\n"


class WrongAdapter(FakeAdapter):
    """Answers wrongly: every constant named 'wrong'."""

    name = "wrong"

    def load_api(self) -> Any:
        api = FakeApi()
        api.constant = lambda value, name="Const": Tensor("wrong:0", value)  # type: ignore[method-assign]
        return api



class PreloadCountingAdapter(FakeAdapter):
    """Leaves ``preload-PID`` in $TFCONF_TEST_TRACE when preloaded, ``run-PID-PARENT`` per run."""

    def preload(self) -> None:
        super().preload()
        open(os.path.join(os.environ["TFCONF_TEST_TRACE"], f"preload-{os.getpid()}"), "w").close()

    def run(self, scenario: Any, workdir: str, stages: Any = None) -> Any:
        open(os.path.join(os.environ["TFCONF_TEST_TRACE"], f"run-{os.getpid()}-{os.getppid()}"), "w").close()
        return super().run(scenario, workdir, stages)


class SlowPreloadAdapter(FakeAdapter):
    """Takes 3 s to preload (as TensorFlow's import takes seconds); leaves ``process-PID`` in
    $TFCONF_TEST_TRACE in every process that loads it."""

    def __init__(self) -> None:
        super().__init__()
        open(os.path.join(os.environ["TFCONF_TEST_TRACE"], f"process-{os.getpid()}"), "w").close()

    def preload(self) -> None:
        time.sleep(3)
        super().preload()


class SlowStartAdapter(FakeAdapter):
    """Takes 1.5 s to warm up; leaves ``NAME-TIME`` in $TFCONF_TEST_TRACE per run."""

    def prepare(self) -> None:
        time.sleep(1.5)
        super().prepare()

    def run(self, scenario: Any, workdir: str, stages: Any = None) -> Any:
        open(os.path.join(os.environ["TFCONF_TEST_TRACE"], f"slow-{time.time():.6f}"), "w").close()
        return super().run(scenario, workdir, stages)


class QuickStartAdapter(FakeAdapter):
    """Each run takes 50 ms and leaves ``quick-START-END`` in $TFCONF_TEST_TRACE."""

    def run(self, scenario: Any, workdir: str, stages: Any = None) -> Any:
        start = time.time()
        time.sleep(0.05)
        outcome = super().run(scenario, workdir, stages)
        open(os.path.join(os.environ["TFCONF_TEST_TRACE"], f"quick-{start:.6f}-{time.time():.6f}"), "w").close()
        return outcome


class UnforkableAdapter(FakeAdapter):
    """Refuses to be preloaded for forking (as reference-cuda does on a GPU)."""

    def preload(self) -> None:
        raise RuntimeError("cannot be forked")


class ThreadingPreloadAdapter(FakeAdapter):
    """Starts a thread in preload(): its fork server must refuse to fork."""

    def preload(self) -> None:
        import threading

        super().preload()
        threading.Thread(target=time.sleep, args=(30,), daemon=True).start()


class CollectorWatchingAdapter(FakeAdapter):
    """Leaves ``gc-STEP-ENABLED-FROZEN`` in $TFCONF_TEST_TRACE at each step of its life (load,
    preload, prepare, run): whether the cyclic collector was on, and whether anything was frozen."""

    def __init__(self) -> None:
        super().__init__()
        self._trace("load")

    def _trace(self, step: str) -> None:
        name = f"gc-{step}-{gc.isenabled()}-{gc.get_freeze_count() > 0}"
        open(os.path.join(os.environ["TFCONF_TEST_TRACE"], name), "w").close()

    def preload(self) -> None:
        self._trace("preload")
        super().preload()

    def prepare(self) -> None:
        self._trace("prepare")
        super().prepare()

    def run(self, scenario: Any, workdir: str, stages: Any = None) -> Any:
        self._trace("run")
        return super().run(scenario, workdir, stages)
