"""``tf.math`` of TF1: the math ops under their ``tf.math`` names."""

# ruff: noqa: F401
from ...math_ops import (abs, add, add_n, cast, cos, divide, divide_no_nan, equal, exp,
                         floordiv, floormod, greater, greater_equal, less, less_equal, log,
                         logical_and, logical_not, logical_or, maximum, minimum, multiply,
                         negative, not_equal, pow,
                         realdiv, sigmoid, sin, sqrt, square, subtract, tanh, truediv, xdivy)
from ...nn_ops import log_softmax, softmax  # noqa: E402 - tf.math.softmax is tf.nn.softmax
from ...transpose_ops import invert_permutation  # noqa: E402 - also tf.math's
from ...scan_ops import cumprod, cumsum  # noqa: E402
from ...math_ops import ceil, floor, reciprocal, sign  # noqa: E402
from ...segment_ops import unsorted_segment_sum  # noqa: E402
from ...math_ops import rsqrt  # noqa: E402
