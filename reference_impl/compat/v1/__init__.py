"""The public ``tf`` namespace of TF1 (``tensorflow.compat.v1`` with TF1 behaviour).

Only names are assembled here; each lives in the module of its concept.
"""

# ruff: noqa: F401
from ... import errors, losses, raw_ops, train
from ... import nn_ops as nn
from ...array_ops import (constant, expand_dims, fill, where, identity, ones, ones_like,
                          placeholder, shape_n, placeholder_with_default, rank, reshape, shape,
                          size, stack, unstack, zeros, zeros_like)
from ...control_flow_ops import Assert, case, cond, group, no_op
from ...dtypes import (DType, as_dtype, bfloat16, bool, complex64, complex128, double, float16,
                       float32, float64, half, int8, int16, int32, int64, string, uint8, uint16,
                       uint32, uint64)
from ...graph import (Graph, GraphKeys, Operation, Tensor, add_to_collection,
                      add_to_collections, colocate_with, control_dependencies, device, get_collection,
                      get_collection_ref, get_default_graph, get_name_scope, name_scope,
                      reset_default_graph)
from ...initializers import (constant_initializer, glorot_normal_initializer,
                             glorot_uniform_initializer, ones_initializer,
                             random_normal_initializer, random_uniform_initializer,
                             truncated_normal_initializer, variance_scaling_initializer,
                             zeros_initializer)
from ...math_ops import (abs, add, add_n, cast, cos, div, div_no_nan, divide, equal, exp,
                         floordiv, floormod, greater, greater_equal, less, less_equal, log,
                         logical_and, logical_not, logical_or, matmul, maximum, minimum,
                         multiply, negative, not_equal, pow,
                         realdiv, sigmoid, sin, sqrt, square, subtract, tanh, to_double, to_float, to_int32, to_int64,
                         truediv)
from ...op_def import convert_to_tensor
from . import io, math
from ...graph_io import read_file
from ...gradients import gradients
from ...broadcast_ops import broadcast_to
from ...concat_ops import concat
from ...data_flow_ops import dynamic_stitch
from ...gather_ops import gather
from ...scan_ops import cumprod, cumsum
from ...set_ops import setdiff1d
from ...tile_ops import tile
from ...split_ops import split
from ...pad_ops import pad
from ...reduction_ops import (argmax, argmin, reduce_all, reduce_any, reduce_max, reduce_mean,
                             reduce_min, reduce_prod, reduce_sum)
from ...slicing_ops import newaxis, slice_ as slice, strided_slice  # noqa: A004 - TF shadows the builtin
from ...squeeze_ops import squeeze
from ...transpose_ops import invert_permutation, transpose
from ...sequence_ops import range_ as range  # noqa: A004 - TF shadows the builtin too
from ...random_ops import (random_normal, random_shuffle, random_uniform, set_random_seed,
                           truncated_normal)
from ...session import (ConfigProto, GPUOptions, InteractiveSession, RunMetadata, RunOptions,
                        Session, get_default_session)
from ...state_ops import assign, assign_add, assign_sub
from ...tensor_shape import Dimension, TensorShape
from ...variable_scope import (AUTO_REUSE, VariableScope, get_local_variable, get_variable,
                               get_variable_scope, no_regularizer, variable_op_scope,
                               variable_scope)
from ...variables import (Variable, all_variables, global_variables,
                          global_variables_initializer, initialize_all_variables,
                          initialize_local_variables, initialize_variables,
                          is_variable_initialized, local_variables,
                          local_variables_initializer, model_variables, moving_average_variables,
                          report_uninitialized_variables, trainable_variables,
                          variables_initializer)

mod = floormod


def op_scope(values, name, default_name=None):  # type: ignore[no-untyped-def]
    """Deprecated: ``name_scope(name, default_name, values)``."""
    return name_scope(name, default_name, values)


def disable_v2_behavior() -> None:
    """Accepted for source compatibility: this implementation always behaves as TF1."""


def disable_eager_execution() -> None:
    """Accepted for source compatibility: this implementation is always in graph mode."""


def executing_eagerly() -> "builtins.bool":
    return False


import builtins  # noqa: E402 - only for the annotation above

_PROTOS = ("GraphDef", "MetaGraphDef", "NodeDef")


def __getattr__(name: str) -> object:
    # The protocol-buffer classes and their conversions, loaded on first use (the checkpoint
    # package is not cheap).
    if name in _PROTOS:
        from ...checkpoint import messages
        return getattr(messages, name)
    if name in ("make_tensor_proto", "make_ndarray"):
        from ...checkpoint import tensor_protos
        return getattr(tensor_protos, name)
    raise AttributeError(f"module 'tensorflow.compat.v1' has no attribute '{name}'")
from ...math_ops import ceil, floor, reciprocal, sign  # noqa: E402
from ...indexed_slices import IndexedSlices, convert_to_tensor_or_indexed_slices  # noqa: E402
from ...segment_ops import unsorted_segment_sum  # noqa: E402
from ...scatter_ops import scatter_add, scatter_sub, scatter_update  # noqa: E402
from ...unique_ops import unique  # noqa: E402
from ...clip_ops import (clip_by_average_norm, clip_by_global_norm, clip_by_norm,  # noqa: E402
                         clip_by_value, global_norm)
from ...math_ops import rsqrt  # noqa: E402
from . import linalg  # noqa: E402
from ...data_flow_ops import dynamic_partition  # noqa: E402
