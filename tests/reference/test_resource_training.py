"""Training resource variables in the reference: gradients reach a resource variable through
its reads, ResourceApply* kernels update copies (a value read before the update keeps its
snapshot), and an uninitialised slot fails as in TF (InternalError "Invalid variable
reference."). spec/numerics/optimizers.yaml holds the graphs and values against TF's."""

from __future__ import annotations

import numpy as np
import pytest

from reference_impl import graph
from reference_impl.compat import v1 as tf
from reference_impl.kernels.cpu.resource import ResourceHandle
from reference_impl.kernels.registry import KernelContext, lookup_kernel


@pytest.fixture(autouse=True)
def fresh_graph():  # type: ignore[no-untyped-def]
    graph.reset_default_graph()
    yield
    graph.reset_default_graph()


def test_gradients_reach_a_resource_variable_through_its_reads() -> None:
    b = tf.Variable(0.5, name="b", use_resource=True)
    loss = b * b + 3.0 * b
    (grad,) = tf.gradients(loss, [b])
    assert grad.name == "gradients/AddN:0"  # two reads: their gradients are summed
    with tf.Session() as sess:
        sess.run(b.initializer)
        assert sess.run(grad) == np.float32(4.0)


def test_an_update_leaves_an_earlier_read_alone() -> None:
    before = np.array([1.0, 2.0], np.float32)
    handle = ResourceHandle("w", before)
    kernel = lookup_kernel("ResourceApplyGradientDescent", "CPU")
    out = kernel(KernelContext("u", "ResourceApplyGradientDescent", {"T": tf.float32}),
                 [handle, np.float32(0.5), np.array([2.0, 2.0], np.float32)])
    assert out == []
    assert handle.value.tolist() == [0.0, 1.0] and before.tolist() == [1.0, 2.0]


def test_an_uninitialised_slot_is_an_invalid_reference() -> None:
    w = tf.Variable([1.0], name="w", use_resource=True)
    train = tf.train.MomentumOptimizer(0.1, 0.9).minimize(tf.reduce_sum(w))
    with tf.Session() as sess:
        sess.run(w.initializer)
        with pytest.raises(tf.errors.InternalError, match="\n\nInvalid variable reference.\n"):
            sess.run(train)


def test_a_refused_gradient_shape_is_checked_on_handles_too() -> None:
    handle = ResourceHandle("w", np.zeros((3, 2), np.float32))
    kernel = lookup_kernel("ResourceApplyGradientDescent", "CPU")
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"var and delta do not have the same shape\[3,2\] \[2\]"):
        kernel(KernelContext("u", "ResourceApplyGradientDescent", {"T": tf.float32}),
               [handle, np.float32(0.5), np.array([2.0, 2.0], np.float32)])
