"""``tf.train.replica_device_setter``: a device function placing a replicated training graph.

Variables (and the other ``ps_ops``) go to the ``ps`` job's tasks in turn, everything else to
the worker device; either is merged under what the scopes inside have set (the inner scope's
fields win). A scope inside naming the ps job keeps its task, though the turn is still taken.
"""

from __future__ import annotations

from typing import Any, Callable

from .. import device as device_lib

STANDARD_PS_OPS = ("Variable", "VariableV2", "AutoReloadVariable", "MutableHashTable",
                   "MutableHashTableV2", "MutableHashTableOfTensors",
                   "MutableHashTableOfTensorsV2", "MutableDenseHashTable",
                   "MutableDenseHashTableV2", "VarHandleOp",
                   "BoostedTreesEnsembleResourceHandleOp",
                   "BoostedTreesQuantileStreamResourceHandleOp",
                   "ResourceConditionalAccumulator", "DecisionTreeResource")


class _RoundRobin:
    """The next ps task, in turn."""

    def __init__(self, num_tasks: int) -> None:
        self._num_tasks = num_tasks
        self._next = 0

    def __call__(self, op: Any) -> int:
        task, self._next = self._next, (self._next + 1) % self._num_tasks
        return task


def _merged(spec: dict[str, str], current: dict[str, str]) -> str:
    """``spec`` with the fields ``current`` sets taking precedence (DeviceSpec's merge)."""
    return device_lib.to_string({**spec, **current})


def _chooser(ps_device: str, worker_device: str, merge_devices: bool, ps_ops: list[str],
             ps_strategy: Callable[[Any], int]) -> Callable[[Any], str]:
    def device_function(op: Any) -> str:
        if not merge_devices and op.device:
            return op.device
        current = device_lib.parse(op.device)
        if ps_device and op.type in ps_ops:
            ps = device_lib.parse(ps_device)
            if ps.get("job") and (not current.get("job") or current.get("job") == ps["job"]):
                ps["task"] = str(ps_strategy(op))
            return _merged(ps, current)
        return _merged(device_lib.parse(worker_device), current)
    return device_function


def replica_device_setter(ps_tasks: int = 0, ps_device: str = "/job:ps",
                          worker_device: str = "/job:worker", merge_devices: bool = True,
                          cluster: Any = None, ps_ops: list[str] | None = None,
                          ps_strategy: Callable[[Any], int] | None = None
                          ) -> Callable[[Any], str] | None:
    """A device function for ``tf.device``: the ``ps_ops`` round-robin over ``ps_tasks`` tasks
    of ``ps_device`` (or as many as ``cluster``, a dict or ClusterSpec, lists for its job), the
    other ops on ``worker_device``. None when there is no ps task."""
    if cluster is not None:
        jobs = cluster.as_dict() if hasattr(cluster, "as_dict") else dict(cluster)
        ps_job = device_lib.parse(ps_device).get("job")
        if jobs.get(ps_job) is None:
            return None
        ps_tasks = len(jobs[ps_job])
    if ps_tasks == 0:
        return None
    if ps_strategy is None:
        ps_strategy = _RoundRobin(ps_tasks)
    if not callable(ps_strategy):
        raise TypeError("ps_strategy must be callable")
    return _chooser(ps_device, worker_device, merge_devices,
                    list(STANDARD_PS_OPS) if ps_ops is None else list(ps_ops), ps_strategy)


__all__ = ["replica_device_setter"]
