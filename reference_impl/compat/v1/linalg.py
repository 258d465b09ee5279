"""``tf.linalg`` of TF1: the names of it the reference implements (``tf.linalg.global_norm``
is ``tf.global_norm``)."""

# ruff: noqa: F401
from ...clip_ops import global_norm
