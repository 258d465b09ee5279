"""``import reference_impl.compat.v1`` stays cheap: what only sessions, savers or training need
is loaded on first use (issue 3: the import takes under 0.3 s)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport json, sys\n"
                          "print(json.dumps(sorted(sys.modules)))"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_the_tf_namespace_loads_no_kernels_savers_or_optimizers():
    loaded = _modules_after("import reference_impl.compat.v1")
    for lazy in ("reference_impl.kernels.cpu", "reference_impl.train.saver",
                 "reference_impl.train.optimizers", "reference_impl.train.moving_averages",
                 "reference_impl.checkpoint", "tensorflow"):
        assert lazy not in loaded, lazy


def test_lazy_parts_arrive_when_used():
    loaded = _modules_after(
        "import reference_impl.compat.v1 as tf\n"
        "assert tf.train.AdamOptimizer.__name__ == 'AdamOptimizer'\n"
        "assert tf.train.Saver.__name__ == 'Saver'\n"
        "with tf.Session() as s: assert s.run(tf.constant(2) + 1) == 3")
    assert {"reference_impl.kernels.cpu", "reference_impl.train.optimizers",
            "reference_impl.train.saver"} <= loaded


_MID_SIZED_PROGRAM = (
    "import os; os.environ.pop('TFCONF_NO_NUMBA', None)\n"
    "import numpy as np\n"
    "import reference_impl.compat.v1 as tf\n"
    "v = tf.Variable(tf.random_normal([784, 200], seed=1))\n"  # the spec's largest inputs
    "total = tf.reduce_sum(tf.ones([100003]))\n"
    "ema = tf.train.ExponentialMovingAverage(0.9)\n"
    "update = ema.apply([v])\n"
    "with tf.Session() as s:\n"
    "    s.run(tf.global_variables_initializer())\n"
    "    for _ in range(3): s.run(update)\n"
    "    assert s.run(total) == np.float32(100003)\n")


def test_programs_of_the_specs_sizes_never_import_numba():
    """numba (about half a second with its cached kernels) loads only once it pays: see
    reference_impl/kernels/cpu/optional_jit.py."""
    assert "numba" not in _modules_after(_MID_SIZED_PROGRAM)


def test_a_large_input_brings_the_compiled_kernels():
    try:
        import numba  # noqa: F401
    except ImportError:
        import pytest

        pytest.skip("numba is not installed")
    loaded = _modules_after(_MID_SIZED_PROGRAM + "with tf.Session() as s: s.run(tf.reduce_sum(tf.ones([1 << 20])))")
    assert "reference_impl.kernels.cpu.reduce_jit" in loaded
