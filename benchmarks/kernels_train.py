"""EMA and Adam steps, the reference's CPU kernels against TensorFlow's, in one run.

An ExponentialMovingAverage step (``ema.apply`` over 100 float32 variables of 1M elements) and an
Adam step (``apply_gradients`` of constant gradients to the same variables), each built once in
its own graph per implementation and run ``--repeats`` times; the median wall time of a
``Session.run`` is compared. Prints a ratio table and writes JSON.

    .venv/bin/python benchmarks/kernels_train.py [--vars 100] [--size 1000000] [--repeats 7]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _load(impl: str):  # type: ignore[no-untyped-def]
    if impl == "tensorflow":
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        return tf
    import reference_impl.compat.v1 as tf
    return tf


def _time(sess, fetch, repeats: int) -> list[float]:  # type: ignore[no-untyped-def]
    sess.run(fetch)  # warm-up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        sess.run(fetch)
        times.append(time.perf_counter() - t0)
    return times


def bench(tf, case: str, n_vars: int, size: int, repeats: int) -> list[float]:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(0)
    init = rng.standard_normal(size).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        variables = [tf.Variable(init, name=f"v{i}") for i in range(n_vars)]
        if case == "ema":
            fetch = tf.train.ExponentialMovingAverage(0.99).apply(variables)
        else:
            grad = tf.constant(init * np.float32(0.5))
            fetch = tf.train.AdamOptimizer(0.001).apply_gradients([(grad, v) for v in variables])
        with tf.Session(graph=g) as sess:
            sess.run(tf.global_variables_initializer())
            return _time(sess, fetch, repeats)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vars", type=int, default=100)
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--json", default="out/bench_kernels_train.json")
    args = ap.parse_args()
    impls = {name: _load(name) for name in ("reference", "tensorflow")}
    rows = []
    for case in ("ema", "adam"):
        medians = {}
        for name, tf in impls.items():
            medians[name] = statistics.median(bench(tf, case, args.vars, args.size, args.repeats))
        rows.append({"case": f"{case} step, {args.vars} x {args.size} float32",
                     "reference_s": medians["reference"], "tensorflow_s": medians["tensorflow"],
                     "ratio": medians["reference"] / medians["tensorflow"]})
    print(f"{'case':<40} {'reference s':>12} {'tensorflow s':>13} {'ref/TF':>7}")
    for r in rows:
        print(f"{r['case']:<40} {r['reference_s']:>12.4f} {r['tensorflow_s']:>13.4f} "
              f"{r['ratio']:>7.2f}")
    out = {"machine": platform.platform(), "cpus": os.cpu_count(),
           "onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default"),
           "repeats": args.repeats, "rows": rows}
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(out, indent=2) + "\n")
    print(f"written {args.json}")


if __name__ == "__main__":
    main()
