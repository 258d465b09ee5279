"""reference_impl: a from-scratch executable specification of TensorFlow 1.x's graph API.

Use it as ``import reference_impl.compat.v1 as tf``. It never imports tensorflow.
"""
