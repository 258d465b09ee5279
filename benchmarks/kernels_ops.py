"""pad, concat and reduce_sum of 4096×4096 float32: reference CPU kernels vs TensorFlow.

One run measures both sides (median of N repetitions each), prints a table of the median times
and their ratio (reference / TensorFlow; below 1 means the reference is faster) and writes it as
JSON (``--json``, default benchmarks/kernels_ops.json). TensorFlow is timed through
``Session.run`` of a graph whose input is a Variable (already in TF's memory); the reference
kernels are timed as the session calls them (inputs already in memory). The repetitions of the
two sides alternate, so that a change in the machine's load during the run affects both alike.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from typing import Callable

import numpy as np

from reference_impl.kernels.cpu import concat as concat_k
from reference_impl.kernels.cpu import pad as pad_k
from reference_impl.kernels.cpu import reduce as reduce_k
from reference_impl.kernels.registry import KernelContext

N = 4096


def _medians(fns: list[Callable[[], object]], repeat: int) -> list[float]:
    """The median time of each function, their repetitions interleaved (after one warm-up)."""
    times: list[list[float]] = [[] for _ in fns]
    for fn in fns:
        fn()
    for _ in range(repeat):
        for fn, record in zip(fns, times):
            t = time.perf_counter()
            fn()
            record.append(time.perf_counter() - t)
    return [statistics.median(record) for record in times]


def _compiled_reducer_used() -> bool:
    """Whether the reductions above went through numba (older checkouts, timed against this
    one, decided it elsewhere or had no compiled reducer)."""
    from reference_impl.kernels.cpu import optional_jit

    if hasattr(optional_jit, "loaded"):
        return optional_jit.loaded("reduce_jit")
    return getattr(reduce_k, "_jit_module", lambda: None)() is not None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json", default=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "out", "kernels_ops.json"))
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()
    x = np.random.default_rng(0).standard_normal((N, N)).astype(np.float32)
    y = np.random.default_rng(1).standard_normal((N, N)).astype(np.float32)
    paddings = np.array([[3, 5], [7, 2]], np.int32)
    axis = np.array([0, 1], np.int32)

    ref = {
        "pad": lambda: pad_k.pad(KernelContext("p", "Pad"), [x, paddings]),
        "pad_reflect": lambda: pad_k.mirror_pad(
            KernelContext("m", "MirrorPad", {"mode": "REFLECT"}), [x, paddings]),
        "concat": lambda: concat_k.concat_v2(KernelContext("c", "ConcatV2"), [x, y, np.int32(1)]),
        "reduce_sum": lambda: reduce_k._reduction("Sum")(
            KernelContext("s", "Sum", {"keep_dims": False}), [x, axis]),
    }
    g = tf.Graph()
    with g.as_default():
        vx = tf.Variable(x)
        vy = tf.Variable(y)
        ops = {"pad": tf.pad(vx, paddings), "pad_reflect": tf.pad(vx, paddings, "REFLECT"),
               "concat": tf.concat([vx, vy], 1),
               "reduce_sum": tf.reduce_sum(vx)}
        sess = tf.Session(graph=g)
        sess.run(tf.global_variables_initializer())
    # Session.run hands the result back as numpy: fetch the op's output through a cheap
    # reduction-free path is impossible, so TF's time includes one copy out, as a user sees it.
    tf_fn = {k: (lambda op=op: sess.run(op)) for k, op in ops.items()}
    rows = []
    for name in ("pad", "pad_reflect", "concat", "reduce_sum"):
        r, t = _medians([ref[name], tf_fn[name]], args.repeat)
        rows.append({"kernel": name, "reference_s": r, "tensorflow_s": t, "ratio": r / t})
    compiled = _compiled_reducer_used()
    print(f"cpus {os.cpu_count()}, load average {os.getloadavg()[0]:.1f} at the end, "
          f"compiled reducer: {compiled}")
    print(f"{'kernel':<12}{'reference ms':>14}{'tensorflow ms':>15}{'ratio':>8}")
    for row in rows:
        print(f"{row['kernel']:<12}{row['reference_s'] * 1e3:>14.2f}{row['tensorflow_s'] * 1e3:>15.2f}"
              f"{row['ratio']:>8.2f}")
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w") as f:
        json.dump({"shape": [N, N], "dtype": "float32", "repeat": args.repeat,
                   "cpus": os.cpu_count(), "loadavg_end": os.getloadavg()[0],
                   "compiled_reducer": compiled,
                   "tensorflow": tf.__version__ if hasattr(tf, "__version__") else "",
                   "onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default"), "rows": rows},
                  f, indent=2)


if __name__ == "__main__":
    main()
