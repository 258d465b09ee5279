"""Builders of TF's fused training ops (``ApplyGradientDescent``, ``ApplyAdam`` …).

Each op takes the variable and its slots as *ref inputs* (their kernels update the storage in
place, in reference_impl/kernels/cpu/training.py) and the hyper-parameters as scalar tensors of
the variable's dtype; its one output is the updated variable ref, as in TF. For resource
variables the op is ``Resource<op>`` on their handles, with no output.
"""

from __future__ import annotations

from typing import Any

from .graph import Operation, Tensor
from .op_def import convert_to_tensor, make_op
from .state_ops import _as_ref

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
}


def apply(op_type: str, refs: list[Any], values: list[Any], name: str | None = None,
          **attrs: Any) -> Tensor:
    """Add an ``op_type`` training op updating ``refs`` from ``values``; returns the var ref."""
    ref_names, value_names = _SIGNATURES[op_type]
    assert len(refs) == len(ref_names) and len(values) == len(value_names)
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
