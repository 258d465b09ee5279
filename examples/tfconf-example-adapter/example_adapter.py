"""An example tfconf adapter, the pattern for plugging in your own TF1-API implementation.

It runs the spec on tfconf's reference implementation but hides ``tf.train``, to show how an API
an implementation lacks is reported: those scenarios are skipped as unsupported, never passed.
Replace ``load_api`` with an import of your own module.
"""

from types import SimpleNamespace

from adapters.base import AdapterDescription
from adapters.python_api import PythonApiAdapter


class ExampleAdapter(PythonApiAdapter):
    name = "example"  # the name it is registered under in pyproject.toml

    def load_api(self):
        import reference_impl.compat.v1 as tf  # your implementation's tf-like module

        public = {n: getattr(tf, n) for n in dir(tf) if not n.startswith("_") and n != "train"}
        return SimpleNamespace(**public)

    def describe(self) -> AdapterDescription:
        return AdapterDescription(name=self.name, implementation="example (reference_impl without tf.train)",
                                  version="0.1.0", device="cpu", capabilities=("graph", "session"))
