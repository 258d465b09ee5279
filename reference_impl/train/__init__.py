"""``tf.train``: the global-step helpers. (Optimizers, EMA and Saver are added by other modules.)"""

from __future__ import annotations

from typing import Any

from .. import dtypes
from ..graph import Graph, GraphKeys, get_default_graph
from ..initializers import Zeros
from ..variable_scope import get_variable

__all__ = ["get_global_step", "create_global_step", "get_or_create_global_step",
           "global_step"]


def get_global_step(graph: Graph | None = None) -> Any:
    """The global step variable of ``graph``, or None."""
    g = graph or get_default_graph()
    steps = g.get_collection(GraphKeys.GLOBAL_STEP)
    if len(steps) == 1:
        return steps[0]
    if len(steps) > 1:
        raise RuntimeError("Multiple tensors in global_step collection.")
    try:
        t = g.get_tensor_by_name("global_step:0")
    except KeyError:
        return None
    if not t.dtype.base_dtype.is_integer:
        raise TypeError(f"Existing \"global_step\" does not have integer type: {t.dtype}")
    return t


def create_global_step(graph: Graph | None = None) -> Any:
    """Create the int64 ``global_step`` variable (an error when one exists)."""
    g = graph or get_default_graph()
    if get_global_step(g) is not None:
        raise ValueError("\"global_step\" already exists.")
    with g.as_default(), g.name_scope(None):
        return get_variable(GraphKeys.GLOBAL_STEP, shape=[], dtype=dtypes.int64,
                            initializer=Zeros(), trainable=False,
                            collections=[GraphKeys.GLOBAL_VARIABLES, GraphKeys.GLOBAL_STEP])


def get_or_create_global_step(graph: Graph | None = None) -> Any:
    """The global step, created if missing."""
    g = graph or get_default_graph()
    step = get_global_step(g)
    return step if step is not None else create_global_step(g)


def global_step(sess: Any, global_step_tensor: Any) -> int:
    """The current value of the global step as a Python int."""
    return int(sess.run(global_step_tensor))



# Saver and the checkpoint utilities (reference_impl/train/saver.py), loaded on first use so
# that importing the tf namespace does not pay for the checkpoint formats.
_SAVER_NAMES = ("Saver", "SaverDef", "CheckpointReader", "checkpoint_exists",
                "export_meta_graph", "get_checkpoint_mtimes", "get_checkpoint_state",
                "import_meta_graph", "latest_checkpoint", "list_variables", "load_checkpoint",
                "load_variable", "remove_checkpoint")
__all__ += list(_SAVER_NAMES)


# Moving averages, learning-rate schedules, optimizers and the replica device setter
# (reference_impl/train/moving_averages.py, learning_rate_decay.py, optimizers/, device_setter.py),
# also loaded on first use.
_LAZY = {name: module for module, names in (
    ("learning_rate_decay", ("cosine_decay", "exponential_decay", "inverse_time_decay",
                             "natural_exp_decay", "piecewise_constant", "polynomial_decay")),
    ("moving_averages", ("ExponentialMovingAverage",)),
    ("device_setter", ("replica_device_setter",)),
    ("optimizers", ("AdagradDAOptimizer", "AdagradOptimizer", "AdamOptimizer", "FtrlOptimizer",
                    "GradientDescentOptimizer", "MomentumOptimizer", "Optimizer",
                    "RMSPropOptimizer")),
) for name in names}
__all__ += list(_LAZY) + ["write_graph"]


def __getattr__(name: str) -> Any:
    if name in _SAVER_NAMES:
        from . import saver
        return getattr(saver, name)
    if name == "write_graph":
        from ..graph_io import write_graph
        return write_graph
    if name in _LAZY:
        import importlib
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'tensorflow.compat.v1.train' has no attribute '{name}'")
