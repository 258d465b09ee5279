"""``tf.nn``: ``conv2d`` (TF1 signature), with Conv2D's attributes, static output shape and the
shape-function errors TF raises while building; ``relu``, ``l2_loss``, ``sigmoid``, ``softmax``
and ``log_softmax``."""

from __future__ import annotations

from typing import Any

from .graph import Tensor
from .op_def import convert_to_tensor, graph_of, make_op
from .op_errors import shape_error
from .shape_inference import dt_enum
from .tensor_shape import TensorShape

_PADDINGS = ("SAME", "VALID", "EXPLICIT")


def _window(size: int | None, k: int | None, stride: int, dilation: int,
            padding: str) -> int | None:
    if size is None or (padding == "VALID" and k is None):
        return None
    if padding == "SAME":
        return -(-size // stride)
    return max(0, -(-(size - (k - 1) * dilation) // stride))


def conv2d(input: Any, filter: Any = None, strides: Any = None,  # noqa: A002 - TF's names
           padding: Any = None, use_cudnn_on_gpu: bool = True, data_format: str = "NHWC",
           dilations: Any = (1, 1, 1, 1), name: str | None = None,
           filters: Any = None) -> Tensor:
    """2-D convolution of an NHWC (or NCHW) ``input`` with an HWIO ``filter``."""
    if filter is None:
        filter = filters
    g = graph_of([input, filter])
    # As TF's op builder: inputs converted inside the op's name scope, the op named after it.
    with g.as_default(), g.name_scope(name or "Conv2D") as scope:
        x = convert_to_tensor(input, name="input")
        w = convert_to_tensor(filter, name="filter")
        if padding not in _PADDINGS:
            raise ValueError(f"Attr 'padding' of 'Conv2D' Op passed string '{padding}' not in: "
                             '"SAME", "VALID", "EXPLICIT".')
        strides = [int(s) for s in strides]
        dilations = [int(d) for d in dilations]
        dt = x.dtype.base_dtype
        attrs = {"T": dt, "strides": strides, "padding": padding,
                 "use_cudnn_on_gpu": bool(use_cudnn_on_gpu), "data_format": data_format,
                 "dilations": dilations, "explicit_paddings": []}
        node = scope[:-1]
        attr_text = (f'T={dt_enum(dt)}, data_format="{data_format}", dilations='
                     f'[{", ".join(map(str, dilations))}], explicit_paddings=[], padding='
                     f'"{padding}", strides=[{", ".join(map(str, strides))}], use_cudnn_on_gpu='
                     f'{"true" if use_cudnn_on_gpu else "false"}')
        shape = _output_shape(x.shape, w.shape, strides, dilations, padding, data_format,
                              lambda message: shape_error(message, node, "Conv2D", attr_text,
                                                          [x, w]))
        return make_op("Conv2D", [x, w], [(dt, shape)], scope, attrs).outputs[0]


def _output_shape(xs: TensorShape, ws: TensorShape, strides: list[int], dilations: list[int],
                  padding: str, data_format: str, fail: Any) -> TensorShape:
    if xs.ndims is None or ws.ndims is None:
        return TensorShape([None] * 4)
    x, w = xs.as_list(), ws.as_list()
    if data_format == "NCHW":
        n, c, h, wd = x
        sh, sw, dh, dw = strides[2], strides[3], dilations[2], dilations[3]
    else:
        n, h, wd, c = x
        sh, sw, dh, dw = strides[1], strides[2], dilations[1], dilations[2]
    kh, kw, kin, kout = w
    if c is not None and kin is not None and c % kin:
        raise fail(f"Depth of input ({c}) is not a multiple of input depth of filter ({kin})")
    oh = _window(h, kh, sh, dh, padding)
    ow = _window(wd, kw, sw, dw, padding)
    if data_format == "NCHW":
        return TensorShape([n, kout, oh, ow])
    return TensorShape([n, oh, ow, kout])


from .math_ops import sigmoid  # noqa: E402 - tf.nn.sigmoid is tf.sigmoid

from .embedding_ops import embedding_lookup  # noqa: E402 - its own module, tf.nn's name

__all__ = ["conv2d", "embedding_lookup", "l2_loss", "log_softmax", "relu", "sigmoid", "softmax"]

_SOFTMAX_TYPES = ("float16", "bfloat16", "float32", "float64")


def _softmax_op(op_type: str, logits: Any, axis: Any, name: str | None, dim: Any) -> Tensor:
    """TF1's ``_wrap_2d_function``: the logits converted outside any scope; over the last axis
    one ``Softmax`` / ``LogSoftmax`` op, over another that axis swapped with the last before the
    op and back after it."""
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'dim' and 'axis'.")
        axis = dim
    axis = -1 if axis is None else axis
    x = convert_to_tensor(logits)
    ndims = x.shape.ndims
    # TF asks `axis == ndims - 1` even of an unknown rank (a TypeError), and a Tensor axis is
    # never "the last" (a graph tensor equals only itself), so it always takes the swaps.
    if not isinstance(axis, Tensor) and axis == -1:
        return _softmax_last(op_type, x, name)
    if ndims is None:
        raise TypeError("unsupported operand type(s) for -: 'NoneType' and 'int'")
    if not isinstance(axis, Tensor) and axis == ndims - 1:
        return _softmax_last(op_type, x, name)
    return _softmax_other_axis(op_type, x, axis, name)


def _softmax_last(op_type: str, x: Tensor, name: str | None) -> Tensor:
    g = x.graph
    with g.as_default(), g.name_scope(name or op_type) as scope:
        dt = x.dtype.base_dtype
        if dt.name not in _SOFTMAX_TYPES:  # (op_def_library's message)
            raise TypeError(f"Value passed to parameter 'logits' has DataType {dt.name} not in list "
                            f"of allowed values: {', '.join(_SOFTMAX_TYPES)}")
        ndims = x.shape.ndims
        if ndims is not None and ndims < 1:
            raise shape_error(f"Shape must be at least rank 1 but is rank {ndims}", scope[:-1], op_type,
                              f"T={dt_enum(dt)}", [x])
        return make_op(op_type, [x], [(dt, x.shape)], scope, {"T": dt}).outputs[0]


def _softmax_other_axis(op_type: str, x: Tensor, axis: Any, name: str | None) -> Tensor:
    """TF's graph for a softmax over ``axis``: ``Rank`` constants, the axis made non-negative
    (``add`` for a negative int, ``Less`` / ``add`` / ``Select`` for a Tensor) and taken modulo
    the rank (``mod``, a Tensor's only), then `_swap_axis` around the op; the result gets the
    input's static shape."""
    from . import errors
    from .array_ops import rank, where
    from .constant_folding import constant_value
    from .math_ops import less, subtract

    shape = x.shape
    ndims = shape.ndims
    known = constant_value(axis) if isinstance(axis, Tensor) else axis
    if known is not None and not -ndims <= known < ndims:
        raise errors.InvalidArgumentError(
            None, None, f"`dim` must be in the range [{-ndims}, {ndims}) where {ndims} is the number "
            f"of dimensions in the input. Received: dim={known}")
    ndims_t = rank(x)
    if isinstance(axis, Tensor):
        axis = where(less(axis, 0), axis + ndims_t, axis)
    elif axis < 0:
        axis = axis + ndims_t
    input_rank = rank(x)
    axis = axis % ndims
    swapped = _swap_axis(x, axis, subtract(input_rank, 1))
    out = _swap_axis(_softmax_last(op_type, swapped, None), axis, subtract(input_rank, 1), name)
    out.set_shape(shape)
    return out


def _swap_axis(x: Tensor, axis: Any, last: Tensor, name: str | None = None) -> Tensor:
    """``x`` with ``axis`` and the last axis swapped, by a permutation computed in the graph:
    ``concat([range(axis), [last], range(axis + 1, last), [axis]], 0)`` (its lists autopacked)."""
    from .concat_ops import concat
    from .sequence_ops import range_
    from .transpose_ops import transpose

    perm = concat([range_(axis), [last], range_(axis + 1, last), [axis]], 0)
    return transpose(x, perm, name=name)


def softmax(logits: Any, axis: Any = None, name: str | None = None, dim: Any = None) -> Tensor:
    """``exp(logits) / reduce_sum(exp(logits), axis)`` (``Softmax``; the last axis)."""
    return _softmax_op("Softmax", logits, axis, name, dim)


def log_softmax(logits: Any, axis: Any = None, name: str | None = None, dim: Any = None) -> Tensor:
    """``logits - log(reduce_sum(exp(logits), axis))`` (``LogSoftmax``; the last axis)."""
    return _softmax_op("LogSoftmax", logits, axis, name, dim)


def relu(features: Any, name: str | None = None) -> Tensor:
    """``max(features, 0)`` (``Relu``; NaN stays NaN, -0 becomes +0)."""
    g = graph_of([features])
    with g.as_default(), g.name_scope(name or "Relu") as scope:
        x = convert_to_tensor(features, name="features")
        return make_op("Relu", [x], [(x.dtype.base_dtype, x.shape)], scope,
                       {"T": x.dtype.base_dtype}).outputs[0]


_L2_LOSS_TYPES = ("float16", "bfloat16", "float32", "float64")


def l2_loss(t: Any, name: str | None = None) -> Tensor:
    """``sum(t ** 2) / 2`` (``L2Loss``, summed in Eigen's order as a Sum is)."""
    g = graph_of([t])
    with g.as_default(), g.name_scope(name or "L2Loss") as scope:
        x = convert_to_tensor(t, name="t")
        if x.dtype.base_dtype.name not in _L2_LOSS_TYPES:  # (op_def_library's message)
            raise TypeError(f"Value passed to parameter 't' has DataType {x.dtype.base_dtype.name} "
                            f"not in list of allowed values: {', '.join(_L2_LOSS_TYPES)}")
        return make_op("L2Loss", [x], [(x.dtype.base_dtype, TensorShape([]))], scope,
                       {"T": x.dtype.base_dtype}).outputs[0]
