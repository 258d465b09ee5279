"""The ``tensorflow`` adapter: real TensorFlow, ``tf.compat.v1`` with TF1 behaviour — the oracle."""

from __future__ import annotations

import importlib.util
import os
from typing import Any

from .base import AdapterDescription
from .python_api import PythonApiAdapter


class TensorFlowAdapter(PythonApiAdapter):
    """Real TensorFlow with ``disable_v2_behavior()``; each scenario in a fresh default graph."""

    name = "tensorflow"

    @staticmethod
    def available() -> str | None:
        if importlib.util.find_spec("tensorflow") is None:
            return "tensorflow is not installed (pip install 'tfconf[tf]')"
        return None

    def load_api(self) -> Any:
        tf = _import_tf()
        tf.disable_v2_behavior()
        return tf

    def describe(self) -> AdapterDescription:
        tf = self.api
        onednn = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default")
        return AdapterDescription(
            name=self.name, implementation="TensorFlow (tf.compat.v1, disable_v2_behavior)",
            version=tf.__version__ if hasattr(tf, "__version__") else _tf_version(), device="cpu",
            capabilities=("graph", "session", "reference-variables"),
            settings={"TF_ENABLE_ONEDNN_OPTS": onednn})

    def warm_up(self, api: Any) -> None:
        # The first session fixes the process's thread pools: make them sleep when idle instead
        # of spinning, which would take the CPU from tfconf's other processes.
        config = api.ConfigProto(experimental=api.ConfigProto.Experimental(disable_thread_spinning=True))
        with api.Graph().as_default(), api.Session(config=config) as session:
            session.run(api.constant(0.0))
        super().warm_up(api)

    def fresh_start(self, api: Any) -> None:
        session = api.get_default_session()
        if session is not None and hasattr(session, "close"):
            session.close()
        api.reset_default_graph()


def _import_tf() -> Any:
    """``tensorflow.compat.v1``, quiet: its C++ and Python logging would drown the worker's stderr."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow.compat.v1 as tf

    tf.logging.set_verbosity(tf.logging.ERROR)
    return tf


def _tf_version() -> str:
    import tensorflow

    return tensorflow.__version__


class TensorFlowResourceAdapter(TensorFlowAdapter):
    """Real TensorFlow with only eager execution disabled: graph mode, but TF2's resource
    variables (``dtype=float32``, ``VarHandleOp``) instead of TF1's reference variables.

    Not registered as a built-in (it is not the conformance target); run it beside the
    ``tensorflow`` adapter as an out-of-process adapter to see where the two modes differ::

        tfconf run --adapter tensorflow --adapters-config examples/adapters/two-tensorflows.yaml
    """

    name = "tensorflow-resource"

    def load_api(self) -> Any:
        tf = _import_tf()
        tf.disable_eager_execution()
        return tf

    def describe(self) -> AdapterDescription:
        base = super().describe()
        return AdapterDescription(self.name, "TensorFlow (tf.compat.v1, disable_eager_execution only)",
                                  base.version, base.device, ("graph", "session", "resource-variables"),
                                  base.settings)
