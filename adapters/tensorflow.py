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
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        import tensorflow.compat.v1 as tf

        tf.disable_v2_behavior()
        tf.logging.set_verbosity(tf.logging.ERROR)
        return tf

    def describe(self) -> AdapterDescription:
        tf = self.api
        onednn = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default")
        return AdapterDescription(
            name=self.name, implementation="TensorFlow (tf.compat.v1, disable_v2_behavior)",
            version=tf.__version__ if hasattr(tf, "__version__") else _tf_version(), device="cpu",
            capabilities=("graph", "session", "reference-variables"),
            settings={"TF_ENABLE_ONEDNN_OPTS": onednn})

    def fresh_start(self, api: Any) -> None:
        session = api.get_default_session()
        if session is not None and hasattr(session, "close"):
            session.close()
        api.reset_default_graph()


def _tf_version() -> str:
    import tensorflow

    return tensorflow.__version__
