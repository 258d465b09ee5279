"""Builders of TF's fused training ops (``ApplyGradientDescent``, ``ApplyAdam`` …) and of their
sparse forms (``SparseApplyMomentum`` …).

Each op takes the variable and its slots as *ref inputs* (their kernels update the storage in
place, in reference_impl/kernels/cpu/training.py and sparse_training.py) and the
hyper-parameters as scalar tensors of the variable's dtype; its one output is the updated
variable ref, as in TF. For resource variables the op is ``Resource<op>`` on their handles, with
no output. A sparse op also takes ``indices`` (int32 or int64: its ``Tindices`` attr) right after
``grad``, whose rows update the variable's rows ``indices``; it is built in a scope named after
it (where a Python value becomes ``<op>/<input name>``) and its shape function is TF's
(`_check_sparse_shapes`).
"""

from __future__ import annotations

from typing import Any

from . import dtypes
from .array_ops import _merge_problem
from .graph import Operation, Tensor
from .math_ops import _convert_operand
from .op_def import convert_to_tensor, convert_type_attr_input, make_op
from .op_errors import shape_error
from .shape_inference import dt_enum
from .state_ops import _as_ref
from .tensor_shape import TensorShape

# op type -> (names of ref inputs, names of value inputs), in TF's input order
_SIGNATURES = {
    "ApplyGradientDescent": (("var",), ("alpha", "delta")),
    "ApplyMomentum": (("var", "accum"), ("lr", "grad", "momentum")),
    "ApplyAdagrad": (("var", "accum"), ("lr", "grad")),
    "ApplyAdagradDA": (("var", "gradient_accumulator", "gradient_squared_accumulator"),
                       ("grad", "lr", "l1", "l2", "global_step")),
    "ApplyAdam": (("var", "m", "v"), ("beta1_power", "beta2_power", "lr", "beta1", "beta2",
                                      "epsilon", "grad")),
    "ApplyRMSProp": (("var", "ms", "mom"), ("lr", "rho", "momentum", "epsilon", "grad")),
    "ApplyCenteredRMSProp": (("var", "mg", "ms", "mom"), ("lr", "rho", "momentum", "epsilon",
                                                         "grad")),
    "ApplyFtrl": (("var", "accum", "linear"), ("grad", "lr", "l1", "l2", "lr_power")),
    "ApplyFtrlV2": (("var", "accum", "linear"), ("grad", "lr", "l1", "l2", "l2_shrinkage",
                                                 "lr_power")),
    "SparseApplyMomentum": (("var", "accum"), ("lr", "grad", "indices", "momentum")),
    "SparseApplyAdagrad": (("var", "accum"), ("lr", "grad", "indices")),
    "SparseApplyAdagradDA": (("var", "gradient_accumulator", "gradient_squared_accumulator"),
                             ("grad", "indices", "lr", "l1", "l2", "global_step")),
    "SparseApplyRMSProp": (("var", "ms", "mom"), ("lr", "rho", "momentum", "epsilon", "grad",
                                                  "indices")),
    "SparseApplyCenteredRMSProp": (("var", "mg", "ms", "mom"), ("lr", "rho", "momentum",
                                                                "epsilon", "grad", "indices")),
    "SparseApplyFtrl": (("var", "accum", "linear"), ("grad", "indices", "lr", "l1", "l2",
                                                     "lr_power")),
    "SparseApplyFtrlV2": (("var", "accum", "linear"), ("grad", "indices", "lr", "l1", "l2",
                                                       "l2_shrinkage", "lr_power")),
}

_INDEX_TYPES = (dtypes.int32, dtypes.int64)


def value_inputs(op_type: str) -> tuple[str, ...]:
    """The names of ``op_type``'s inputs after its variables, in TF's order (``Resource`` forms
    take the same)."""
    return _SIGNATURES[op_type.removeprefix("Resource")][1]


def apply(op_type: str, refs: list[Any], values: list[Any], name: str | None = None,
          **attrs: Any) -> Tensor:
    """Add an ``op_type`` training op updating ``refs`` from ``values``; returns the var ref."""
    ref_names, value_names = _SIGNATURES[op_type]
    assert len(refs) == len(ref_names) and len(values) == len(value_names)
    if "indices" in value_names:
        return _apply_sparse(op_type, refs, values, name, attrs)
    if getattr(refs[0], "_is_resource_variable", False):
        return _apply_resource(op_type, refs, values, name, attrs)
    ref_tensors = [_as_ref(r, op_type) for r in refs]
    var = ref_tensors[0]
    dt = var.dtype.base_dtype
    value_tensors = [convert_to_tensor(v) for v in values]
    for n, t in zip(value_names, value_tensors):
        if n != "global_step" and t.dtype.base_dtype != dt:
            raise TypeError(f"Input '{n}' of '{op_type}' Op has type {t.dtype.base_dtype.name} "
                            f"that does not match type {dt.name} of argument 'var'.")
    all_attrs = {"T": dt, "use_locking": bool(attrs.pop("use_locking", False))}
    all_attrs.update(attrs)
    return make_op(op_type, ref_tensors + value_tensors, [(var.dtype, var.shape)],
                   name or op_type, all_attrs,
                   ref_inputs=tuple(range(len(ref_tensors))), graph=var.graph).outputs[0]


def _apply_resource(op_type: str, variables: list[Any], values: list[Any], name: str | None,
                    attrs: dict[str, Any]) -> Operation:
    """The ``Resource`` form of ``op_type`` on resource variables' handles: no output; values
    that are variables are read inside the op's name scope (``<op>/ReadVariableOp``), as TF's
    generated wrapper converts its inputs there."""
    _, value_names = _SIGNATURES[op_type]
    handles = [v.handle for v in variables]
    dt = variables[0].dtype.base_dtype
    g = handles[0].graph
    resource_type = "Resource" + op_type
    with g.as_default(), g.name_scope(name or resource_type) as scope:
        value_tensors = [convert_to_tensor(v) for v in values]
        for n, t in zip(value_names, value_tensors):
            if n != "global_step" and t.dtype.base_dtype != dt:
                raise TypeError(f"Input '{n}' of '{resource_type}' Op has type "
                                f"{t.dtype.base_dtype.name} that does not match type {dt.name} "
                                f"of argument 'var'.")
        all_attrs = {"T": dt, "use_locking": bool(attrs.pop("use_locking", False))}
        all_attrs.update(attrs)
        return make_op(resource_type, handles + value_tensors, [], scope, all_attrs, graph=g)


def _apply_sparse(op_type: str, refs: list[Any], values: list[Any], name: str | None,
                  attrs: dict[str, Any]) -> Any:
    """A ``SparseApply*`` op on reference variables (its output: the variable's ref), or its
    ``ResourceSparseApply*`` form on resource variables' handles (the op, no output). Inputs
    are converted in the op's scope and in TF's order: hyper-parameters and ``grad`` to the
    variable's type, ``indices`` to int32 or int64, ``global_step`` to int64."""
    _, value_names = _SIGNATURES[op_type]
    resource = bool(getattr(refs[0], "_is_resource_variable", False))
    op_name = "Resource" + op_type if resource else op_type
    inputs = [v.handle for v in refs] if resource else [_as_ref(r, op_type) for r in refs]
    dt = refs[0].dtype.base_dtype
    g = inputs[0].graph
    with g.as_default(), g.name_scope(name or op_name) as scope:
        converted = []
        for n, v in zip(value_names, values):
            if n == "indices":
                t = convert_type_attr_input(v, "indices", _INDEX_TYPES, None)
            else:
                want = dtypes.int64 if n == "global_step" else dt
                t = _convert_operand(v, want, n, op_name)
                if t.dtype.base_dtype != want:
                    raise TypeError(f"Input '{n}' of '{op_name}' Op has type "
                                    f"{t.dtype.base_dtype.name} that does not match "
                                    + (f"expected type of {want.name}." if n == "global_step"
                                       else f"type {dt.name} of argument 'var'."))
            converted.append(t)
        all_attrs = {"T": dt, "Tindices": converted[value_names.index("indices")].dtype.base_dtype,
                     "use_locking": bool(attrs.pop("use_locking", False))}
        all_attrs.update(attrs)
        shape = _check_sparse_shapes(op_name, scope[:-1], inputs, refs, converted, value_names,
                                     all_attrs, resource)
        if resource:
            return make_op(op_name, inputs + converted, [], scope, all_attrs, graph=g)
        return make_op(op_name, inputs + converted, [(inputs[0].dtype, shape)], scope, all_attrs,
                       ref_inputs=tuple(range(len(inputs))), graph=g).outputs[0]


def _attrs_text(attrs: dict[str, Any]) -> str:
    """The node's attrs as TF's error messages print them (sorted by name)."""
    parts = []
    for key in sorted(attrs):
        value = attrs[key]
        parts.append(f"{key}={dt_enum(value) if isinstance(value, dtypes.DType) else str(value).lower()}")
    return ", ".join(parts)


def _check_sparse_shapes(op_type: str, node: str, inputs: list[Tensor], refs: list[Any],
                         values: list[Tensor], value_names: tuple[str, ...],
                         attrs: dict[str, Any], resource: bool) -> TensorShape:
    """TF's shape function of the sparse training ops (``HandleGradAndIndicesInputs``): the
    variable's and slots' shapes merge; each hyper-parameter is a scalar; ``indices`` is a
    vector as long as ``grad``'s first dimension, and ``grad`` beyond it merges with the
    variable's shape. A resource op reads the variables' shapes from their handles, and knows
    nothing of ``grad``'s (TF's ``ShapeOrHandleShape`` of a plain input there: unknown), so it
    checks only the rank of ``indices`` and of the scalars. Returns the merged shape."""
    def fail(message: str) -> ValueError:
        return shape_error(message, node, op_type, _attrs_text(attrs), inputs + values)

    s = TensorShape(refs[0].get_shape() if resource else inputs[0].shape)
    for r, t in zip(refs[1:], inputs[1:]):
        other = r.get_shape() if resource else t.shape
        problem = _merge_problem(s, other)
        if problem is not None:
            raise fail(problem)
        s = s.merge_with(other)
    for n, t in zip(value_names, values):
        if n == "indices":
            continue
        if n != "grad":
            if t.shape.ndims is not None and t.shape.ndims != 0:
                raise fail(f"Shape must be rank 0 but is rank {t.shape.ndims}")
            continue
        indices = values[value_names.index("indices")].shape
        if indices.ndims is not None and indices.ndims != 1:
            raise fail(f"Shape must be rank 1 but is rank {indices.ndims}")
        grad = TensorShape(None) if resource else t.shape
        if grad.ndims is None:
            continue
        if grad.ndims == 0:
            raise fail("Argument grad must not be a scalar. Got grad with rank 0")
        first = indices.as_list()[0] if indices.ndims is not None else None
        if first is not None and grad.as_list()[0] is not None and first != grad.as_list()[0]:
            raise fail(f"Dimensions must be equal, but are {first} and {grad.as_list()[0]}")
        rows = TensorShape([None] + grad.as_list()[1:])
        problem = _merge_problem(s, rows)
        if problem is not None:
            raise fail(problem)
        s = s.merge_with(rows)
    return s
