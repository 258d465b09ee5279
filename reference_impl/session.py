"""`Session`: runs the part of a graph that its fetches need, with per-session variable storage.

`Session.run` maps a nested fetch structure to graph elements, validates the feeds as TF does,
orders the needed ops topologically (data and control inputs), and runs each op's kernel, looked
up in the kernel registry by op type and device type. Values flow between ops as the kernels
return them; `fetch_to_numpy` converts the fetched ones at the end.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any, Callable, Iterator

import numpy as np

from . import device as device_lib
from . import errors
from . import grappler
from .graph import Graph, Operation, Tensor, get_default_graph
from .indexed_slices import IndexedSlices, IndexedSlicesValue
from .kernels.registry import CPU, DEAD, GPU, KernelContext, KernelFn, Ref, lookup_kernel, supports


def _probe_gpu_backend() -> bool:
    """Load the CUDA backend the first time a GPU-placed op needs it (numba stays optional and
    out of ``import reference_impl``); the backend then replaces `gpu_available`. Where the
    driver sees no device the backend is not loaded at all: importing numba's CUDA package
    would take longer than a worker's start-up otherwise does, to learn the same."""
    global gpu_available
    from .kernels import cuda

    if not cuda.numba_installed() or not cuda.driver_has_gpu():
        gpu_available = lambda: False  # noqa: E731
        return False
    return cuda.load()


# Whether a GPU exists: the CUDA backend's answer once loaded (the simulator only counts where
# the reference-cuda adapter or the CUDA tests accepted it).
gpu_available: Callable[[], bool] = _probe_gpu_backend

_CPU_DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"
_GPU_DEVICE = "/job:localhost/replica:0/task:0/device:GPU:0"


def _available_devices(cpus: int) -> str:
    names = [_CPU_DEVICE[:-1] + str(i) for i in range(cpus)]
    return ", ".join(names + [_GPU_DEVICE] if gpu_available() else names)


def _on_host(value: Any) -> Any:
    """An input for a CPU kernel: device arrays (a GPU op's outputs) copied to the host; a
    variable's device buffer moves to the host (CPU kernels update numpy arrays in place), a
    resource variable's too (its class is named, not imported: that would load the CPU kernels)."""
    if type(value) is np.ndarray:  # the common case, first: the tests below cost more
        return value
    if isinstance(value, Ref) or type(value).__name__ == "ResourceHandle":
        if hasattr(value.value, "copy_to_host"):
            value.value = value.value.copy_to_host()
        return value
    return value.copy_to_host() if hasattr(value, "copy_to_host") else value


def _unregistered(op: Operation) -> str:
    """TF's message for an op whose kernels do not take its type on the device it runs on."""
    from .shape_inference import dt_enum

    t = op._attrs["T"]
    return (f"No OpKernel was registered to support Op '{op.type}' used by {{{{node {op.name}}}}} "
            f"with these attrs: [T={dt_enum(t)}]\nRegistered devices: "
            f"[{'CPU, GPU' if gpu_available() else 'CPU'}]")


class GPUOptions:
    """``tf.GPUOptions``: accepted and recorded."""

    def __init__(self, allow_growth: bool = False, per_process_gpu_memory_fraction: float = 0.0,
                 visible_device_list: str = "", **kwargs: Any) -> None:
        self.allow_growth = allow_growth
        self.per_process_gpu_memory_fraction = per_process_gpu_memory_fraction
        self.visible_device_list = visible_device_list
        self.__dict__.update(kwargs)


class ConfigProto:
    """``tf.ConfigProto``: the session options this implementation honours or accepts."""

    def __init__(self, allow_soft_placement: bool = False, log_device_placement: bool = False,
                 gpu_options: GPUOptions | None = None, device_count: Any = None,
                 inter_op_parallelism_threads: int = 0, intra_op_parallelism_threads: int = 0,
                 **kwargs: Any) -> None:
        self.allow_soft_placement = allow_soft_placement
        self.log_device_placement = log_device_placement
        self.gpu_options = gpu_options if gpu_options is not None else GPUOptions()
        self.device_count = dict(device_count or {})
        self.inter_op_parallelism_threads = inter_op_parallelism_threads
        self.intra_op_parallelism_threads = intra_op_parallelism_threads
        self.__dict__.update(kwargs)


class RunOptions:
    """``tf.RunOptions``: accepted and ignored."""

    def __init__(self, **kwargs: Any) -> None:
        self.__dict__.update(kwargs)


class RunMetadata:
    """``tf.RunMetadata``: accepted and left empty."""


def fetch_to_numpy(value: Any) -> Any:
    """The hook turning a kernel's output into what ``run`` returns (numpy, scalars unwrapped)."""
    if hasattr(value, "copy_to_host"):
        value = value.copy_to_host()
    # A copy: the value may alias a variable's buffer, which later runs update in place.
    arr = np.array(value)
    return arr[()] if arr.ndim == 0 else arr


def _feed_array(value: Any, np_dtype: Any) -> np.ndarray:
    """A fed value as the array TF makes of it (TF's int range check, numpy 2 conversion)."""
    if np_dtype is np.object_:
        np_dtype = object  # TF's string type is Python's object
    if isinstance(value, int):
        converted = (np_dtype(np.array(value).astype(np_dtype)) if np_dtype is not object
                     else str(value))
        if converted != value:
            raise TypeError(f"Type of feed value {value} with type {type(value)} is not "
                            f"compatible with Tensor type {np_dtype}. Try explicitly setting "
                            "the type of the feed tensor to a larger type (e.g. int64).")
    if np.issubdtype(np_dtype, np.number):
        return np.asarray(value).astype(np_dtype, copy=None)
    return np.asarray(value, dtype=np_dtype)


def _expanded_feeds(feed_dict: Any) -> list[tuple[Any, Any]]:
    """The (key, value) pairs of a feed_dict, an IndexedSlices key fed part by part from its
    value's (an IndexedSlicesValue or any sequence: values, indices[, dense_shape]), as TF's
    feed expansion does."""
    pairs = []
    for key, value in feed_dict.items():
        if isinstance(key, IndexedSlices):
            parts = [key.values, key.indices] + ([key.dense_shape] if key.dense_shape is not None else [])
            pairs += list(zip(parts, value))
        else:
            pairs.append((key, value))
    return pairs


_session_stack: list["BaseSession"] = []


def get_default_session() -> "BaseSession | None":
    """The innermost session made default by ``as_default`` / ``with`` / InteractiveSession."""
    return _session_stack[-1] if _session_stack else None


class _FetchMapper:
    """Flattens a nested fetch structure into graph elements and rebuilds the results."""

    def __init__(self, graph: Graph, fetches: Any) -> None:
        self.graph = graph
        self.elements: list[Tensor | Operation] = []
        self.structure = self._flatten(fetches)

    def _flatten(self, fetch: Any) -> Any:
        if isinstance(fetch, (list, tuple)):
            kids = [self._flatten(f) for f in fetch]
            if hasattr(fetch, "_fields"):
                return ("namedtuple", type(fetch), kids)
            return (type(fetch).__name__ if type(fetch) in (list, tuple) else "seq",
                    type(fetch), kids)
        if isinstance(fetch, dict):
            return ("dict", type(fetch), [(k, self._flatten(v)) for k, v in fetch.items()])
        if isinstance(fetch, IndexedSlices):  # fetched as an IndexedSlicesValue, as TF's expansion
            parts = [fetch.values, fetch.indices] + ([fetch.dense_shape] if fetch.dense_shape is not None else [])
            return ("indexed_slices", IndexedSlicesValue, [self._flatten(p) for p in parts])
        if fetch is None:
            raise TypeError(f"Argument `fetch` = {fetch} has invalid type "
                            f"\"{type(fetch).__name__}\". Cannot be None")
        try:
            elem = self.graph.as_graph_element(fetch, allow_tensor=True, allow_operation=True)
        except TypeError as e:
            raise TypeError(f"Argument `fetch` = {fetch} has invalid type "
                            f"\"{type(fetch).__name__}\" must be a string or Tensor. ({e})") \
                from None
        except (ValueError, KeyError) as e:
            raise ValueError(f"Argument `fetch` = {fetch} cannot be interpreted as a Tensor. "
                             f"({e})") from None
        self.elements.append(elem)
        return ("leaf", len(self.elements) - 1)

    def build(self, results: list[Any], node: Any = None) -> Any:
        node = self.structure if node is None else node
        kind = node[0]
        if kind == "leaf":
            return results[node[1]]
        if kind == "dict":
            out = node[1]()
            for k, v in node[2]:
                out[k] = self.build(results, v)
            return out
        values = [self.build(results, k) for k in node[2]]
        if kind == "namedtuple":
            return node[1](*values)
        if kind == "indexed_slices":
            return IndexedSlicesValue(*values, *([None] * (3 - len(values))))
        if kind == "list":
            return values
        if kind == "tuple":
            return tuple(values)
        return node[1](values)


class BaseSession:
    """The shared machinery of `Session` and `InteractiveSession`."""

    def __init__(self, target: str = "", graph: Graph | None = None,
                 config: ConfigProto | None = None) -> None:
        self._graph = graph if graph is not None else get_default_graph()
        self._config = config if config is not None else ConfigProto()
        self._closed = False
        # Variables' Refs and random generators live here: a new session starts fresh.
        self._resources: dict = {}
        self._contexts: dict[int, KernelContext] = {}
        self._kernels: dict[int, KernelFn] = {}
        self._plans: dict[tuple, list[Operation]] = {}
        self._release_plans: dict[tuple, list[tuple[tuple[Tensor, ...], ...]]] = {}
        self._rewrite_plans: dict[tuple, dict[int, KernelFn]] = {}
        self._logged: set[int] = set()
        self._default_stack: list[Any] = []

    graph = property(lambda self: self._graph)
    graph_def = property(lambda self: self._graph.as_graph_def(),
                         doc="The session's graph as a GraphDef (``Graph.as_graph_def()``).")
    sess_str = property(lambda self: "")

    # -- lifecycle -----------------------------------------------------------------------------
    def close(self) -> None:
        """Release the session; later ``run`` calls fail."""
        self._closed = True
        self._resources = {}

    @contextlib.contextmanager
    def as_default(self) -> Iterator["BaseSession"]:
        """Make this the default session (for ``Tensor.eval`` / ``Operation.run``)."""
        _session_stack.append(self)
        try:
            yield self
        finally:
            _session_stack.remove(self)

    def __enter__(self) -> "BaseSession":
        graph_cm = self._graph.as_default()
        session_cm = self.as_default()
        graph_cm.__enter__()
        session_cm.__enter__()
        self._default_stack.append((graph_cm, session_cm))
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        graph_cm, session_cm = self._default_stack.pop()
        session_cm.__exit__(exc_type, exc, tb)
        graph_cm.__exit__(exc_type, exc, tb)
        self.close()

    # -- running ---------------------------------------------------------------------------------
    def run(self, fetches: Any, feed_dict: Any = None, options: Any = None,
            run_metadata: Any = None) -> Any:
        """Evaluate ``fetches`` (a graph element, a name, or a nested structure of them)."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        if not self._graph._ops:  # (get_operations copies the graph's ops: run needs no copy)
            raise RuntimeError("The Session graph is empty. Add operations to the graph before "
                               "calling run().")
        self._place_graph()
        mapper = _FetchMapper(self._graph, fetches)
        feeds = self._feeds(feed_dict)
        results = self._execute(mapper.elements, feeds)
        return mapper.build(results)

    def _feeds(self, feed_dict: Any) -> dict[Tensor, Any]:
        feeds: dict[Tensor, Any] = {}
        for key, value in _expanded_feeds(feed_dict or {}):
            try:
                t = self._graph.as_graph_element(key, allow_tensor=True, allow_operation=False)
            except (KeyError, ValueError) as e:
                raise TypeError(f"Cannot interpret feed_dict key as Tensor: "
                                f"{e.args[0]}") from None
            except TypeError:
                raise TypeError(f"Cannot interpret feed_dict key as Tensor: Can not convert a "
                                f"{type(key).__name__} into a Tensor.") from None
            if isinstance(value, (Tensor, Operation)):
                raise TypeError("The value of a feed cannot be a tf.Tensor object. Acceptable "
                                "feed values include Python scalars, strings, lists, numpy "
                                "ndarrays, or TensorHandles. For reference, the tensor object "
                                f"was {value} which was passed to the argument `feed_dict` with "
                                f"key {key}.")
            arr = _feed_array(value, t.dtype.base_dtype.as_numpy_dtype)
            if not t.shape.is_compatible_with(arr.shape):
                raise ValueError(f"Cannot feed value of shape {arr.shape} for Tensor {t.name}, "
                                 f"which has shape {t.shape}")
            feeds[t] = arr
        return feeds

    def _cpus(self) -> int:
        """How many CPU devices the session has: ConfigProto's device_count, at least one."""
        return max(1, int(self._config.device_count.get("CPU", 1)))

    def _cpu_of(self, op: Operation) -> str:
        """The CPU device an op placed on a CPU runs on: the one it names, else CPU:0."""
        index = device_lib.parse(op.device).get("index", "0")
        if not index.isdigit() or int(index) >= self._cpus():
            index = "0"
        return _CPU_DEVICE[:-1] + index

    def _place_graph(self) -> None:
        """Check every op's device and that a kernel takes its type, as TF places the whole
        graph (not only what a run needs).

        TF's placer visits ops in creation order but leaves "generators" (no inputs, one
        non-ref output, such as Const) for a second pass, so their consumer is reported first.
        """
        ops = self._graph.get_operations()
        cpus = self._cpus()
        new = ops[getattr(self, "_placed", 0):]
        generators, others = [], []
        for op in new:
            generator = (not op._inputs and len(op._outputs) == 1
                         and not op._outputs[0].dtype.is_ref_dtype)
            (generators if generator else others).append(op)
        for op in others + generators:
            if not (supports(op.type, CPU, op._attrs)
                    or gpu_available() and supports(op.type, GPU, op._attrs)):
                raise errors.InvalidArgumentError(None, op, _unregistered(op))
            if not op._device:
                continue  # (an op that names no device goes to the local CPU, which exists)
            fields = device_lib.parse(op.device)
            local = (fields.get("job", "localhost") == "localhost"
                     and fields.get("replica", "0") == "0" and fields.get("task", "0") == "0")
            kind = fields.get("type", CPU)
            # CPU:0 … CPU:<cpus - 1>, and GPU:0 where the CUDA backend has a GPU.
            index = fields.get("index", "0")
            exists = (kind == CPU and (index == "*" or index.isdigit() and int(index) < cpus)
                      or kind == GPU and index in ("0", "*") and gpu_available())
            if not (local and exists) and not self._config.allow_soft_placement:
                hint = (" The requested device appears to be a GPU, but CUDA is not enabled."
                        if kind == GPU and not gpu_available() else "")
                raise errors.InvalidArgumentError(
                    None, op, f"Cannot assign a device for operation {op.name}: {{{{node "
                    f"{op.name}}}}} was explicitly assigned to {op.device} but available "
                    f"devices are [ {_available_devices(cpus)} ]. Make sure the device "
                    f"specification refers to a valid device.{hint}")
        self._placed = len(ops)

    def _plan(self, elements: list[Any], feeds: dict[Tensor, Any]) -> list[Operation]:
        """The ops to run, in an order where every op follows its data and control inputs."""
        key = (tuple(id(e) for e in elements), tuple(id(t) for t in feeds))
        if key in self._plans:
            return self._plans[key]
        order: list[Operation] = []
        state: dict[int, int] = {}  # 1 = visiting, 2 = done
        roots = [e.op if isinstance(e, Tensor) else e for e in elements if e not in feeds]
        stack: list[tuple[Operation, bool]] = [(op, False) for op in reversed(roots)]
        while stack:
            op, expanded = stack.pop()
            if expanded:
                if state.get(op._id) != 2:
                    state[op._id] = 2
                    order.append(op)
                continue
            if state.get(op._id):
                continue
            state[op._id] = 1
            stack.append((op, True))
            deps = [t.op for t in op._inputs if t not in feeds] + op._control_inputs
            for dep in reversed(deps):
                if not state.get(dep._id):
                    stack.append((dep, False))
        self._plans[key] = order
        return order

    def _rewrites(self, order: list[Operation], elements: list[Any],
                  feeds: dict[Tensor, Any]
                  ) -> dict[int, tuple[KernelFn, list[Tensor] | None]]:
        """Kernels replacing those of ops that TF's Grappler rewrites before running this
        signature (see `grappler`), with the tensors they read where not the op's inputs,
        decided once per signature like TF's executors."""
        key = (tuple(id(e) for e in elements), tuple(id(t) for t in feeds))
        cached = self._rewrite_plans.get(key)
        if cached is None:
            size = len(self._graph._ops)
            divisions = grappler.division_rewrites(order, size, feeds)
            divisions.update(grappler.shape_slice_rewrites(order, size, feeds))
            divisions.update(grappler.pow_rewrites(order, size, feeds))
            divisions.update(grappler.identity_rewrites(order, size, feeds))
            divisions.update(grappler.partial_concat_rewrites(order, size, feeds))
            cached = {i: (k, None) for i, k in divisions.items()}
            cached.update(grappler.push_down_rewrites(order, size, feeds))
            cached.update(grappler.add_n_order_rewrites(order, size))
            self._rewrite_plans[key] = cached
        return cached

    def _releases(self, order: list[Operation], elements: list[Any],
                  feeds: dict[Tensor, Any]) -> list[tuple[tuple[Tensor, ...], ...]]:
        """For each op of ``order``, the tensors that no later op reads, to drop once it ran.

        TF frees a tensor when its last consumer is done; holding every intermediate until the
        run returns would instead make each large kernel output land in fresh (page-faulting)
        memory, which costs more than the arithmetic. Fetched and fed tensors are kept.
        """
        key = (tuple(id(e) for e in elements), tuple(id(t) for t in feeds))
        cached = self._release_plans.get(key)
        if cached is not None:
            return cached
        keep = {e for e in elements if isinstance(e, Tensor)} | set(feeds)
        rewrites = self._rewrites(order, elements, feeds)
        last: dict[Tensor, int] = {}
        for i, op in enumerate(order):
            for t in (rewrites[op._id][1] or op._inputs) if op._id in rewrites else op._inputs:
                last[t] = i
            for t in op._outputs:  # an output nothing reads goes at once
                last.setdefault(t, i)
        # Per op: inputs to drop before its kernel runs, its own unread outputs after.
        per_op: list[tuple[list[Tensor], list[Tensor]]] = [([], []) for _ in order]
        for t, i in last.items():
            if t not in keep:
                per_op[i][t.op is order[i]].append(t)
        releases = [(tuple(before), tuple(after)) for before, after in per_op]
        self._release_plans[key] = releases
        return releases

    def _kernel(self, op: Operation) -> tuple[KernelFn, KernelContext]:
        kernel = self._kernels.get(op._id)
        if kernel is None:
            dtype = device_lib.device_type(op.device)
            # Only an explicit pin is binding; an unpinned op goes to the default device type
            # when that device and a kernel for it exist, else to the CPU (TF's placer).
            binding = device_lib.is_pinned(op.device) and not self._config.allow_soft_placement
            if dtype == GPU and not gpu_available():
                if binding:
                    raise errors.InvalidArgumentError(
                        None, op, f"Cannot assign a device for operation {op.name}: {{{{node "
                        f"{op.name}}}}} was explicitly assigned to {op.device} but available "
                        f"devices are [ {_CPU_DEVICE} ]. Make sure the device specification "
                        f"refers to a valid device.")
                dtype = CPU
            kernel = lookup_kernel(op.type, dtype)
            if kernel is not None and not supports(op.type, dtype, op._attrs):
                if dtype == CPU or binding:
                    raise errors.InvalidArgumentError(None, op, _unregistered(op))
                kernel = None  # (the placer picks the CPU's, when it has one for the type)
            if kernel is None and dtype == GPU:
                if binding:
                    raise errors.InvalidArgumentError(
                        None, op, f"Cannot assign a device for operation {op.name}: Could not "
                        f"satisfy explicit device specification '{op.device}' because no "
                        f"supported kernel for GPU devices is available.")
                dtype, kernel = CPU, lookup_kernel(op.type, CPU)
                if kernel is not None and not supports(op.type, CPU, op._attrs):
                    raise errors.InvalidArgumentError(None, op, _unregistered(op))
            if kernel is None:
                raise errors.NotFoundError(
                    None, op, f"No registered '{op.type}' OpKernel for '{dtype}' devices "
                              f"compatible with node {{{{node {op.name}}}}}")
            self._kernels[op._id] = kernel
            self._contexts[op._id] = KernelContext(op.name, op.type, op._attrs, dtype,
                                                   self._resources)
            if self._config.log_device_placement and op._id not in self._logged:
                self._logged.add(op._id)
                where = self._cpu_of(op) if dtype == CPU else _GPU_DEVICE
                print(f"{op.name}: ({op.type}): {where}", file=sys.stderr)
        return kernel, self._contexts[op._id]

    def _execute(self, elements: list[Any], feeds: dict[Tensor, Any]) -> list[Any]:
        values: dict[Tensor, Any] = dict(feeds)
        dead_ops: set[int] = set()
        order = self._plan(elements, feeds)
        releases = self._releases(order, elements, feeds)
        rewrites = self._rewrites(order, elements, feeds)
        for op, (release, unread) in zip(order, releases):
            inputs = []
            dead = bool(dead_ops) and any(c._id in dead_ops for c in op._control_inputs)
            rewrite = rewrites.get(op._id)
            reads = rewrite[1] if rewrite is not None and rewrite[1] is not None else op._inputs
            for i, t in enumerate(reads):
                v = values[t]
                if v is DEAD:
                    dead = True
                elif isinstance(v, Ref) and i not in op._ref_inputs:
                    if v.value is None:
                        raise _wrap(_uninitialized(v), op)
                    v = v.value
                inputs.append(v)
            if dead and op.type != "Merge":
                dead_ops.add(op._id)
                for t in op._outputs:
                    values[t] = DEAD
                for t in release + unread:
                    values.pop(t, None)
                continue
            kernel, ctx = self._kernel(op)
            if rewrite is not None:
                kernel = rewrite[0]
            if ctx.device_type == CPU:
                inputs = [_on_host(v) for v in inputs]
            # Inputs read for the last time leave `values` before the kernel runs: an array then
            # held by `inputs` alone may be reused for the output (kernels/cpu/math.forwardable).
            for t in release:
                values.pop(t, None)
            try:
                outputs = kernel(ctx, inputs)
            except errors.OpError as e:
                raise _wrap(e, op) from None
            for t, v in zip(op._outputs, outputs):
                values[t] = v
            inputs = outputs = None  # type: ignore[assignment]  # let released arrays go now
            for t in unread:
                values.pop(t, None)
        results = []
        for n, e in enumerate(elements):
            if isinstance(e, Operation):
                results.append(None)
                continue
            v = values[e]
            if e in feeds:
                results.append(v)  # TF hands a fed value back as the array it made of it
                continue
            if isinstance(v, Ref):
                if v.value is None:
                    raise _wrap(_uninitialized(v), e.op, f"_retval_{e.op.name}_{e.value_index}_{n}")
                v = v.value
            results.append(fetch_to_numpy(v))
        return results

    def make_callable(self, fetches: Any, feed_list: Any = None,
                      accept_options: bool = False) -> Callable[..., Any]:
        """A function running ``fetches`` with positional feeds for ``feed_list``."""
        feed_list = list(feed_list or [])

        def call(*args: Any, **kwargs: Any) -> Any:
            return self.run(fetches, dict(zip(feed_list, args)))
        return call


def _uninitialized(ref: Ref) -> errors.OpError:
    from .kernels.cpu.state import uninitialized  # the CPU kernels load with the first run
    return uninitialized(ref)


def _wrap(e: errors.OpError, op: Operation, node: str | None = None) -> errors.OpError:
    """TF's text around a kernel's message: the graph error header and the failing node."""
    message = f"Graph execution error:\n\n{e.message}\n\t [[{{{{node {node or op.name}}}}}]]"
    return type(e)(None, op, message)


class Session(BaseSession):
    """``tf.Session``: use it as a context manager to close it at the end."""


class InteractiveSession(BaseSession):
    """A session that makes itself the default session when created."""

    def __init__(self, target: str = "", graph: Graph | None = None,
                 config: ConfigProto | None = None) -> None:
        super().__init__(target, graph, config)
        self._default_cm = self.as_default()
        self._default_cm.__enter__()
        self._graph_cm = self._graph.as_default()
        self._graph_cm.__enter__()

    def close(self) -> None:
        if not self._closed:
            with contextlib.suppress(ValueError, IndexError):
                self._graph_cm.__exit__(None, None, None)
            with contextlib.suppress(ValueError):
                self._default_cm.__exit__(None, None, None)
        super().close()


def _eval_using_default_session(tensor: Tensor, feed_dict: Any, graph: Graph,
                                session: BaseSession | None) -> Any:
    if session is None:
        session = get_default_session()
        if session is None:
            raise ValueError("Cannot evaluate tensor using `eval()`: No default session is "
                             "registered. Use `with sess.as_default()` or pass an explicit "
                             "session to `eval(session=sess)`")
        if session.graph is not graph:
            raise ValueError("Cannot use the default session to evaluate tensor: the tensor's "
                             "graph is different from the session's graph. Pass an explicit "
                             "session to `eval(session=sess)`.")
    elif session.graph is not graph:
        raise ValueError("Cannot use the given session to evaluate tensor: the tensor's graph is "
                         "different from the session's graph.")
    return session.run(tensor, feed_dict)


def _run_using_default_session(op: Operation, feed_dict: Any, graph: Graph,
                               session: BaseSession | None) -> None:
    if session is None:
        session = get_default_session()
        if session is None:
            raise ValueError("Cannot execute operation using `run()`: No default session is "
                             "registered. Use `with sess.as_default():` or pass an explicit "
                             "session to `run(session=sess)`")
        if session.graph is not graph:
            raise ValueError("Cannot use the default session to execute operation: the "
                             "operation's graph is different from the session's graph. Pass an "
                             "explicit session to run(session=sess).")
    elif session.graph is not graph:
        raise ValueError("Cannot use the given session to execute operation: the operation's "
                         "graph is different from the session's graph.")
    session.run(op, feed_dict)


__all__ = ["Session", "InteractiveSession", "ConfigProto", "GPUOptions", "RunOptions",
           "RunMetadata", "get_default_session", "fetch_to_numpy"]
