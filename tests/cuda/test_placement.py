"""Placement: unpinned ops on the default device type, pins honoured, soft placement, the
device log, device strings untouched, and numba kept out of ``import reference_impl``."""

from __future__ import annotations

import subprocess
import sys
from typing import Iterator

import numpy as np
import pytest

import reference_impl.compat.v1 as tf
from reference_impl import device as device_lib
from reference_impl import errors


@pytest.fixture
def on_gpu(gpu: None) -> Iterator[None]:
    """Unpinned ops default to the GPU (what the reference-cuda adapter sets)."""
    previous = device_lib.set_default_device_type("GPU")
    tf.reset_default_graph()
    try:
        yield
    finally:
        device_lib.set_default_device_type(previous)


def _program() -> list:
    x = tf.placeholder(tf.float32, [None, 3])
    w = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2) / 7)
    with tf.device("/cpu:0"):
        b = tf.constant([0.5, -0.25])
    y = tf.matmul(x, w) + b
    s = tf.reduce_sum(tf.pad(y, [[1, 0], [0, 1]], "SYMMETRIC"), axis=0, keepdims=True)
    update = tf.assign_add(w, tf.ones_like(w) * 0.125)
    return [x, y, s, update]


def _run(fetch_update: bool) -> list:
    x, y, s, update = _program()
    feed = {x: np.array([[1.0, 2.0, 3.0], [0.1, 0.2, 0.3]], np.float32)}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run([y, s], feed)
        if fetch_update:
            out.append(sess.run(update))
        out.append(sess.run(y, feed))
    return out


def test_gpu_run_equals_cpu_run_bit_for_bit(on_gpu: None) -> None:
    gpu = _run(True)
    device_lib.set_default_device_type("CPU")
    tf.reset_default_graph()
    cpu = _run(True)
    for c, g in zip(cpu, gpu):
        assert c.dtype == g.dtype and c.shape == g.shape and c.tobytes() == g.tobytes()


def test_device_strings_stay_as_the_program_set_them(on_gpu: None) -> None:
    c = tf.constant(1.0, name="plain")
    with tf.device("/device:GPU:0"):
        g = tf.constant(1.0)
    with tf.device("/cpu:0"):
        with tf.device(None):
            cleared = tf.constant(1.0)
        with tf.device("/gpu:0"):
            nested = tf.constant(1.0)
    assert c.device == "" and c.op.device == ""
    assert g.device == "/device:GPU:0" and nested.op.device == "/device:GPU:0"
    assert cleared.op.device == ""


def test_values_stay_on_the_device_between_ops(on_gpu: None) -> None:
    from reference_impl.kernels.cuda import runtime
    from reference_impl.session import BaseSession

    a = tf.constant([1.0, 2.0]) * 3.0
    b = a + 1.0
    sess = tf.Session()
    seen = []
    original = BaseSession._kernel

    def spy(self, op):  # type: ignore[no-untyped-def]
        kernel, ctx = original(self, op)

        def wrapped(ctx, inputs):  # type: ignore[no-untyped-def]
            outs = kernel(ctx, inputs)
            seen.append((op.type, [runtime.is_device(o) for o in outs]))
            return outs
        return wrapped, ctx

    BaseSession._kernel = spy
    try:
        assert sess.run(b).tolist() == [4.0, 7.0]
    finally:
        BaseSession._kernel = original
    assert all(all(flags) for _t, flags in seen), seen


def test_log_device_placement_names_the_gpu(on_gpu: None, capfd: pytest.CaptureFixture) -> None:
    with tf.device("/cpu:0"):
        c = tf.constant(2.0, name="c")
    y = tf.add(c, 1.0, name="y")
    with tf.Session(config=tf.ConfigProto(log_device_placement=True)) as sess:
        assert sess.run(y) == 3.0
    err = capfd.readouterr().err
    assert "y: (AddV2): /job:localhost/replica:0/task:0/device:GPU:0" in err
    assert "c: (Const): /job:localhost/replica:0/task:0/device:CPU:0" in err


def test_second_gpu_does_not_exist(on_gpu: None) -> None:
    with tf.device("/gpu:1"):
        y = tf.constant(1.0) + 1.0
    with tf.Session() as sess:
        with pytest.raises(errors.InvalidArgumentError, match="was explicitly assigned to "
                           "/device:GPU:1 but available devices are .*device:GPU:0 ]"):
            sess.run(y)
    with tf.Session(config=tf.ConfigProto(allow_soft_placement=True)) as sess:
        assert sess.run(y) == 2.0


def test_without_a_gpu_a_pin_fails_and_soft_placement_falls_back() -> None:
    # No `gpu` fixture: the simulator is not accepted, so this machine has no GPU.
    tf.reset_default_graph()
    with tf.device("/gpu:0"):
        y = tf.constant(1.0) + 1.0
    with tf.Session() as sess:
        with pytest.raises(errors.InvalidArgumentError, match="Cannot assign a device for "
                           "operation add: .* available devices are \\[ "
                           "/job:localhost/replica:0/task:0/device:CPU:0 \\]"):
            sess.run(y)
    with tf.Session(config=tf.ConfigProto(allow_soft_placement=True)) as sess:
        assert sess.run(y) == 2.0


def test_importing_the_api_does_not_import_numba() -> None:
    code = "import sys, reference_impl.compat.v1; print('numba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
