"""The reference's CUDA kernels against its CPU kernels and against TensorFlow on the CPU.

Each case runs one op kernel on large float32 inputs: the GPU kernel timed with CUDA events
(inputs already in device memory, after a warm-up launch that also compiles it), the CPU kernel
and TensorFlow (``Session.run`` of the op on a constant-free feed, CPU only) timed with the
wall clock. Medians of ``--repeats`` runs, ratios printed as a table and written as JSON.

    .venv/bin/python benchmarks/gpu_kernels.py            # on a machine with a GPU
    .venv/bin/python benchmarks/gpu_kernels.py --small    # anywhere: tiny sizes, simulator OK

Under numba's CUDA simulator (no GPU) the large sizes would take hours — every simulated thread
is Python — so they are refused with a message; ``--small`` runs the same cases at sizes the
simulator finishes, which checks the script, not the speed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from typing import Any, Callable

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from reference_impl.kernels import cuda as cuda_backend  # noqa: E402

MODE = cuda_backend.prepare_environment()

from reference_impl import dtypes  # noqa: E402
from reference_impl.kernels.registry import KernelContext, Ref, lookup_kernel  # noqa: E402


def _cases(n: int, vec: int) -> list[tuple[str, str, Callable[[], list], dict, Any]]:
    """(name, op type, inputs maker, attrs, TensorFlow graph builder) per benchmark."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n)).astype(np.float32)
    b = rng.standard_normal((n, n)).astype(np.float32)
    row = rng.standard_normal((n,)).astype(np.float32)
    v = rng.standard_normal(vec).astype(np.float32)
    f = np.float32
    return [
        ("add (broadcast row)", "AddV2", lambda: [a, row], {"T": dtypes.float32},
         lambda tf, x, y: tf.add(x, y)),
        ("cast f32->i32", "Cast", lambda: [a], {"DstT": dtypes.int32},
         lambda tf, x, y: tf.cast(x, tf.int32)),
        ("matmul", "MatMul", lambda: [a[: n // 4, : n // 4], b[: n // 4, : n // 4]], {},
         lambda tf, x, y: tf.matmul(x, y)),
        ("reduce_sum axis 1", "Sum", lambda: [a, np.array([1], np.int32)], {},
         lambda tf, x, y: tf.reduce_sum(x, axis=1)),
        ("reduce_sum all", "Sum", lambda: [a, np.array([0, 1], np.int32)], {},
         lambda tf, x, y: tf.reduce_sum(x)),
        ("pad REFLECT", "MirrorPad", lambda: [a, np.array([[3, 3], [3, 3]], np.int32)],
         {"mode": "REFLECT"}, lambda tf, x, y: tf.pad(x, [[3, 3], [3, 3]], "REFLECT")),
        ("concat axis 1", "ConcatV2", lambda: [a, b, np.int32(1)], {},
         lambda tf, x, y: tf.concat([x, y], 1)),
        ("adam step", "ApplyAdam",
         lambda: [Ref("v", v.copy()), Ref("m", v * 0), Ref("s", v * 0 + 1), f(0.9), f(0.999),
                  f(0.001), f(0.9), f(0.999), f(1e-7), v], {}, None),
    ]


def _median(times: list[float]) -> float:
    return statistics.median(times) * 1e3


def _time_cpu(op: str, inputs: list, attrs: dict, repeats: int) -> float:
    kernel = lookup_kernel(op, "CPU")
    ctx = KernelContext("bench", op, attrs, "CPU", {})
    kernel(ctx, inputs)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        kernel(ctx, inputs)
        times.append(time.perf_counter() - start)
    return _median(times)


def _time_gpu(op: str, inputs: list, attrs: dict, repeats: int) -> float:
    from numba import cuda

    from reference_impl.kernels.cuda import runtime

    kernel = lookup_kernel(op, "GPU")
    ctx = KernelContext("bench", op, attrs, "GPU", {})
    dev = []
    for x in inputs:  # inputs in device memory first: the transfer is not the kernel's time
        if isinstance(x, Ref):
            dev.append(Ref(x.name, runtime.to_device(x.value)))
        elif isinstance(x, np.ndarray) and x.size > 16:
            dev.append(runtime.to_device(x))
        else:
            dev.append(x)
    kernel(ctx, dev)  # warm-up: compiles the kernel
    cuda.synchronize()
    times = []
    for _ in range(repeats):
        if runtime.SIMULATOR:  # the simulator's events do not time anything
            begin = time.perf_counter()
            kernel(ctx, dev)
            times.append(time.perf_counter() - begin)
            continue
        start, stop = cuda.event(), cuda.event()
        start.record()
        kernel(ctx, dev)
        stop.record()
        stop.synchronize()
        times.append(start.elapsed_time(stop) / 1e3)  # CUDA events give milliseconds
    return _median(times)


def _time_tf(build: Any, inputs: list, repeats: int) -> float | None:
    if build is None:
        return None
    try:
        os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")  # TensorFlow on the CPU
        import tensorflow.compat.v1 as tf
    except ImportError:
        return None
    tf.disable_v2_behavior()
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, inputs[0].shape)
        y = tf.placeholder(tf.float32, inputs[1].shape) if (
            len(inputs) > 1 and isinstance(inputs[1], np.ndarray) and inputs[1].dtype ==
            np.float32) else None
        out = build(tf, x, y)
    feed = {x: inputs[0]}
    if y is not None:
        feed[y] = inputs[1]
    with tf.Session(graph=graph) as sess:
        sess.run(out, feed)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            sess.run(out, feed)
            times.append(time.perf_counter() - start)
    return _median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=4096, help="matrix side (default 4096)")
    parser.add_argument("--vector", type=int, default=1_000_000, help="Adam variable size")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--small", action="store_true", help="tiny sizes (simulator-friendly)")
    parser.add_argument("--json", default="out/gpu_kernels.json")
    args = parser.parse_args(argv)
    if args.small:
        args.size, args.vector, args.repeats = 16, 64, 2
    if MODE == "cuda-simulator" and args.size * args.size > 64 * 64:
        print(f"refusing --size {args.size}: no GPU here, and numba's CUDA simulator runs every "
              "thread in Python (hours at these sizes). Run on a machine with a GPU, or pass "
              "--small to check the script under the simulator.", file=sys.stderr)
        return 2
    from reference_impl.kernels.cuda import runtime

    cuda_backend.load(allow_simulator=True)
    import reference_impl.compat.v1  # noqa: F401  (every CPU kernel registered)

    try:
        import reference_impl.train  # noqa: F401
    except ImportError:
        pass
    rows = []
    for name, op, make, attrs, build in _cases(args.size, args.vector):
        if lookup_kernel(op, "CPU") is None or lookup_kernel(op, "GPU") is None:
            continue
        gpu = _time_gpu(op, make(), attrs, args.repeats)
        cpu = _time_cpu(op, make(), attrs, args.repeats)
        tf_ms = _time_tf(build, make(), args.repeats)
        rows.append({"case": name, "op": op, "gpu_ms": gpu, "cpu_ms": cpu, "tf_cpu_ms": tf_ms,
                     "cpu_over_gpu": cpu / gpu if gpu else None,
                     "tf_over_gpu": tf_ms / gpu if gpu and tf_ms else None})
    device = runtime.device_name()
    print(f"device: {device} ({MODE}); size {args.size}x{args.size}, Adam {args.vector}; "
          f"median of {args.repeats}")
    print(f"{'case':24} {'GPU ms':>10} {'CPU ms':>10} {'TF CPU ms':>10} {'CPU/GPU':>8} "
          f"{'TF/GPU':>8}")
    for r in rows:
        tf_ms = f"{r['tf_cpu_ms']:10.3f}" if r["tf_cpu_ms"] is not None else f"{'-':>10}"
        tf_ratio = f"{r['tf_over_gpu']:8.2f}" if r["tf_over_gpu"] else f"{'-':>8}"
        print(f"{r['case']:24} {r['gpu_ms']:10.3f} {r['cpu_ms']:10.3f} {tf_ms} "
              f"{r['cpu_over_gpu']:8.2f} {tf_ratio}")
    with open(args.json, "w") as out:
        json.dump({"device": device, "mode": MODE, "size": args.size, "rows": rows}, out,
                  indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
