"""CPU kernels of the sparse training ops (``SparseApplyMomentum``, ``SparseApplyAdagrad``,
``SparseApplyAdagradDA``, ``SparseApplyRMSProp``, ``SparseApplyCenteredRMSProp``,
``SparseApplyFtrl``, ``SparseApplyFtrlV2``) and their ``ResourceSparseApply*`` forms, as
TensorFlow 2.21's training_ops.cc computes them.

Each sees the variable and its slots as matrices (``flat_outer_dims``: the first dimension by
the product of the others) and ``grad`` as one row per index. TF's kernel goes through the
indices in order, updating the rows named in place, so a row named twice is updated twice, the
second time from the first's result; the reference computes the same in rounds (the first
occurrence of every index, then the second …: rows within a round are distinct, so each round is
one numpy pass: scatter.occurrence_rounds). Each op's checks come in TF's order with TF's messages; an index out of range
stops Momentum, AdagradDA and Ftrl where it is met (the rows before it updated, as TF's loop
leaves them), while Adagrad and the RMSProps check every index before updating any row.

The arithmetic is TF's per-row Eigen expressions (``chip<0>``), which differ from the dense
kernels' (kernels/cpu/training.py): RMSProp's ``ms * rho + g^2 * (1 - rho)``, Momentum's
nesterov ``lr * g + (lr * momentum) * a``, and rsqrt where the dense ones divide. Where the
variable has one element per row TF takes scalar paths that compute differently again: Adagrad
divides by ``sqrt(a)``, AdagradDA computes in double, Ftrl takes C's ``powf`` even for the
power -0.5 and clamps linear with ``min`` / ``max``. ``rsqrt`` of a row is Eigen's packet
function on its first ``inner - inner % 8`` float32s (`eigen_rsqrt`), ``pow`` is Eigen's
``generic_pow`` there and C's ``powf`` on the rest (`eigen_math.pow_`).

FTZ / DAZ as TF's CPU threads compute: the rows read are flushed, and so is the result of every
operation (a scalar's, such as ``1 - rho``, too); rows not named keep their denormals, which is
why these ops are not among `ftz.FLUSHING_OPS` (that wrapper flushes whole variables).
A resource variable's value is copied before the update (`resource_updates.resource_form`).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ... import errors
from ..ftz import computes_ftz, flush
from ..registry import CPU, KernelContext, register_kernel
from ..resource_updates import register_resource_forms
from ..shape_text import debug_string
from . import eigen_math
from .scatter import occurrence_rounds
from .eigen_rsqrt import rsqrt_rows
from .state import uninitialized

# op type -> how many of its first inputs are variables (the variable, then its slots)
VARIABLE_INPUTS = {
    "SparseApplyMomentum": 2, "SparseApplyAdagrad": 2, "SparseApplyAdagradDA": 3,
    "SparseApplyRMSProp": 3, "SparseApplyCenteredRMSProp": 4, "SparseApplyFtrl": 3,
    "SparseApplyFtrlV2": 3,
}

# The float types computed here (TF also registers bfloat16 and complex for some).
FLOAT_TYPES = ("float16", "float32", "float64")

F = flush  # every operation's result, as an FTZ core flushes each instruction's


def invalid(message: str) -> errors.InvalidArgumentError:
    return errors.InvalidArgumentError(None, None, message)


# -- what every kernel checks ----------------------------------------------------------------

def stored_values(refs: list) -> list[np.ndarray]:
    """The variables' arrays; the first uninitialised one fails as TF's executor fails it."""
    out = []
    for ref in refs:
        if ref.value is None:
            raise uninitialized(ref)
        if type(ref.value) is not np.ndarray or not ref.value.flags.writeable:
            ref.value = np.array(ref.value)
        out.append(ref.value)
    return out


def check_same_shapes(values: list[np.ndarray], names: list[str]) -> None:
    """``var and <slot> do not have the same shape[..] [..]`` for the first slot that differs."""
    for value, name in zip(values[1:], names):
        if value.shape != values[0].shape:
            raise invalid(f"var and {name} do not have the same shape"
                          f"{debug_string(values[0].shape)} {debug_string(value.shape)}")


def check_scalar(value: Any, message: str) -> None:
    """``<message>: [shape]`` unless ``value`` is a scalar."""
    if np.ndim(value) != 0:
        raise invalid(f"{message}{debug_string(np.shape(value))}")


def check_rows(var: np.ndarray, grad: Any, indices: Any) -> None:
    """``var`` at least 1-D, ``indices`` a vector, ``grad``'s rows shaped as ``var``'s and one
    per index, in TF's order."""
    if var.ndim < 1:
        raise invalid("var must be at least 1 dimensional")
    check_indices(var, grad, indices)


def check_indices(var: np.ndarray, grad: Any, indices: Any) -> None:
    """The checks after the scalars': ``indices`` a vector, ``grad`` matching ``var`` past its
    first dimension (TF reads a missing dimension of a lower-rank ``grad`` out of bounds and
    aborts; the reference names it) and having one row per index."""
    if np.ndim(indices) != 1:
        raise invalid("indices must be one-dimensional")
    g = np.shape(grad)
    for d in range(1, var.ndim):
        if d >= len(g) or var.shape[d] != g[d]:
            raise invalid(f"var and grad must match in dimension {d}")
    if not g or g[0] != np.shape(indices)[0]:
        raise invalid("grad must be the same size as indices in the first dimension.")


def check_inner(var: np.ndarray) -> None:
    if int(np.prod(var.shape[1:], dtype=np.int64)) <= 0:
        raise invalid("Inner dimension should be greater than zero.")


def index_limit(indices: np.ndarray, rows: int, all_first: bool) -> tuple[int, errors.InvalidArgumentError | None]:
    """How many indices to apply, and the error to raise after them: TF's loop stops at the
    first index out of range (``all_first``: no row is updated then)."""
    bad = np.flatnonzero((indices < 0) | (indices >= rows))
    if bad.size == 0:
        return indices.size, None
    i = int(bad[0])
    error = invalid(f"Index {int(indices[i])} at offset {i} in indices is out of range")
    return (0 if all_first else i), error




# A step: (rows of the variable and slots, flushed; grad rows, flushed; inner size) -> the new
# rows of each (None: that one is not written).
Step = Callable[[list[np.ndarray], np.ndarray, int], list[Any]]


def apply_rows(variables: list[np.ndarray], grad: Any, indices: Any, count: int,
               step: Step) -> None:
    """Run ``step`` on the rows named by the first ``count`` indices, wave by wave, writing the
    new rows back in place."""
    rows = variables[0].shape[0]
    inner = int(np.prod(variables[0].shape[1:], dtype=np.int64))
    if inner == 0:
        return
    mats = [v.reshape(rows, inner) for v in variables]  # (views: contiguous arrays)
    idx = np.asarray(indices).reshape(-1)[:count].astype(np.int64)
    g = np.asarray(grad, dtype=variables[0].dtype).reshape(-1, inner)
    with np.errstate(all="ignore"):
        for positions in occurrence_rounds(idx):
            at = idx[positions]
            new = step([F(m[at]) for m in mats], F(g[positions]), inner)
            for m, rows_new in zip(mats, new):
                if rows_new is not None:
                    m[at] = rows_new


def sgn(x: np.ndarray) -> np.ndarray:
    """TF's ``sgn`` / Eigen's ``sign`` of reals: -1, 1, and +0 for either zero (np.sign keeps
    a zero's sign)."""
    one = x.dtype.type(1)
    return np.where(x > 0, one, np.where(x < 0, -one, x.dtype.type(0)))


def scalars(dtype: np.dtype, values: list) -> list:
    """Scalar inputs as numpy scalars of the variable's type, flushed (DAZ)."""
    return [F(dtype.type(np.asarray(v).reshape(()))) for v in values]


def finish(inputs: list, error: errors.InvalidArgumentError | None) -> list:
    """The op's output (the variable's ref), or the error an index out of range left."""
    if error is not None:
        raise error
    return [inputs[0]]


# -- Momentum --------------------------------------------------------------------------------

def check_momentum(values: list, inputs: list, attrs: dict) -> None:
    """SparseApplyMomentum's checks, in TF's order (``values``: the variable's and slot's)."""
    var = values[0]
    lr, grad, indices, momentum = inputs[2:6]
    check_same_shapes(values, ["accum"])
    if var.ndim < 1:
        raise invalid("var must be at least 1 dimensional")
    check_scalar(lr, "lr is not a scalar : ")
    check_indices(var, grad, indices)
    check_scalar(momentum, "momentum is not a scalar: ")


@register_kernel("SparseApplyMomentum", types=FLOAT_TYPES)
@computes_ftz
def sparse_apply_momentum(ctx: KernelContext, inputs: list) -> list:
    """``a = a * momentum + g``, then ``v -= lr * a`` (nesterov: ``v -= lr * g + (lr * momentum)
    * a``) on each row named; indices checked as they come."""
    var, accum = stored_values(inputs[:2])
    check_momentum([var, accum], inputs, ctx.attrs)
    lr, grad, indices, momentum = inputs[2:6]
    lr, m = scalars(var.dtype, [lr, momentum])
    nesterov = bool(ctx.attrs.get("use_nesterov"))
    lr_m = F(lr * m)

    def step(rows: list, g: np.ndarray, inner: int) -> list:
        v, a = rows
        a = F(F(a * m) + g)
        if nesterov:
            return [F(v - F(F(lr * g) + F(lr_m * a))), a]
        return [F(v - F(lr * a)), a]

    count, error = index_limit(np.asarray(indices).reshape(-1), var.shape[0], all_first=False)
    apply_rows([var, accum], grad, indices, count, step)
    return finish(inputs, error)


# -- Adagrad ---------------------------------------------------------------------------------

def check_adagrad(values: list, inputs: list, attrs: dict) -> None:
    """SparseApplyAdagrad's checks, in TF's order."""
    var = values[0]
    lr, grad, indices = inputs[2:5]
    check_same_shapes(values, ["accum"])
    if var.ndim < 1:
        raise invalid("var must be at least 1 dimensional")
    check_scalar(lr, "lr is not a scalar: ")
    check_indices(var, grad, indices)
    check_inner(var)


@register_kernel("SparseApplyAdagrad", types=FLOAT_TYPES)
@computes_ftz
def sparse_apply_adagrad(ctx: KernelContext, inputs: list) -> list:
    """``a += g * g`` (``update_slots``), then ``v -= (lr * g) * rsqrt(a)``, or with one element
    per row ``v -= lr * g / sqrt(a)``; every index checked before any row is updated."""
    var, accum = stored_values(inputs[:2])
    check_adagrad([var, accum], inputs, ctx.attrs)
    lr, grad, indices = inputs[2:5]
    (lr,) = scalars(var.dtype, [lr])
    update_slots = bool(ctx.attrs.get("update_slots", True))

    def step(rows: list, g: np.ndarray, inner: int) -> list:
        v, a = rows
        if update_slots:
            a = F(a + F(g * g))
        if inner > 1:
            v = F(v - F(F(lr * g) * rsqrt_rows(a)))
        else:
            v = F(v - F(F(lr * g) / F(np.sqrt(a))))
        return [v, a if update_slots else None]

    count, error = index_limit(np.asarray(indices).reshape(-1), var.shape[0], all_first=True)
    apply_rows([var, accum], grad, indices, count, step)
    return finish(inputs, error)


# -- AdagradDA -------------------------------------------------------------------------------

def check_adagrad_da(values: list, inputs: list, attrs: dict) -> None:
    """SparseApplyAdagradDA's checks, in TF's order (both slots' messages say "accum")."""
    var = values[0]
    grad, indices, lr, l1, l2, global_step = inputs[3:9]
    check_same_shapes(values, ["accum", "accum"])
    if var.ndim < 1:
        raise invalid("var must be at least 1 dimensional")
    if np.ndim(indices) != 1:
        raise invalid("indices must be one-dimensional")
    check_scalar(lr, "lr is not a scalar: ")
    check_scalar(l1, "l1 regularization strength is not a scalar: ")
    check_scalar(l2, "l2 regularization strength is not a scalar: ")
    check_scalar(global_step, "global_step is not a scalar: ")
    check_indices(var, grad, indices)
    check_inner(var)


@register_kernel("SparseApplyAdagradDA", types=("float32", "float64"))
@computes_ftz
def sparse_apply_adagrad_da(ctx: KernelContext, inputs: list) -> list:
    """``ga += g``, ``da += g * g``, then ``v = -sign(ga) * max(|ga| / step - l1, 0) / (l2 +
    sqrt(da) / (step * lr))`` (``-(ga / step) / …`` without l1) in the variable's type; with one
    element per row TF computes in double: ``v = sign(-ga) * lr * max(|ga| - step * l1, 0) /
    (step * l2 * lr + sqrt(da))``. Indices checked as they come."""
    var, ga_acc, da_acc = stored_values(inputs[:3])
    check_adagrad_da([var, ga_acc, da_acc], inputs, ctx.attrs)
    grad, indices, lr, l1, l2, global_step = inputs[3:9]
    t = var.dtype.type
    lr, l1, l2 = scalars(var.dtype, [lr, l1, l2])
    step_count = int(np.asarray(global_step).reshape(()))
    gs = F(t(step_count))  # (int64 to T, as TF converts it)
    gs_lr = F(gs * lr)
    minus_one = t(-1)
    d = np.float64
    # the scalar path's double constants: (double) step * l1, then step * l2 * lr
    gs_l1 = F(d(step_count) * d(l1))
    gs_l2_lr = F(F(d(step_count) * d(l2)) * d(lr))

    def step(rows: list, g: np.ndarray, inner: int) -> list:
        v, ga, da = rows
        if inner > 1:
            ga = F(ga + g)
            da = F(da + F(g * g))
            denom = F(l2 + F(F(np.sqrt(da)) / gs_lr))
            if l1 > 0:
                shrunk = np.maximum(F(F(np.abs(ga) / gs) - l1), t(0))
                v = F(F(F(minus_one * sgn(ga)) * shrunk) / denom)
            else:
                v = F(F(minus_one * F(ga / gs)) / denom)
            return [v, ga, da]
        gd = g.astype(d)
        ga = F(F(ga.astype(d) + gd).astype(var.dtype))  # (T += double: the sum in double)
        da = F(F(da.astype(d) + F(gd * gd)).astype(var.dtype))
        root = F(np.sqrt(da)).astype(d)  # (std::sqrt of the T value: in T)
        if l1 > 0:
            top = F(F(sgn(-ga).astype(d) * d(lr)) * np.maximum(F(np.abs(ga).astype(d) - gs_l1), d(0)))
        else:
            top = F((-ga).astype(d) * d(lr))
        v = F(F(top / F(gs_l2_lr + root)).astype(var.dtype))
        return [v, ga, da]

    count, error = index_limit(np.asarray(indices).reshape(-1), var.shape[0], all_first=False)
    apply_rows([var, ga_acc, da_acc], grad, indices, count, step)
    return finish(inputs, error)


# -- RMSProp, centered RMSProp ---------------------------------------------------------------

def check_rms_prop(values: list, inputs: list, attrs: dict) -> None:
    """The (centered) RMSProp kernels' checks in TF's order: the four scalars, the slots'
    shapes, the rows."""
    first = len(values)
    names = ["mg", "ms", "mom"] if first == 4 else ["ms", "mom"]
    lr, rho, momentum, eps, grad, indices = inputs[first:first + 6]
    check_scalar(lr, "lr is not a scalar: ")
    check_scalar(rho, "rho is not a scalar: ")
    check_scalar(momentum, "momentum is not a scalar: ")
    check_scalar(eps, "epsilon is not a scalar: ")
    check_same_shapes(values, names)
    check_rows(values[0], grad, indices)


@register_kernel("SparseApplyRMSProp", types=FLOAT_TYPES)
@computes_ftz
def sparse_apply_rms_prop(ctx: KernelContext, inputs: list) -> list:
    """``ms = ms * rho + g * g * (1 - rho)``, ``mom = mom * momentum + (rsqrt(ms + eps) * lr) *
    g``, ``v -= mom``; every index checked before any row is updated."""
    var, ms, mom = stored_values(inputs[:3])
    check_rms_prop([var, ms, mom], inputs, ctx.attrs)
    lr, rho, momentum, eps = scalars(var.dtype, inputs[3:7])
    one_minus_rho = F(var.dtype.type(1) - rho)

    def step(rows: list, g: np.ndarray, inner: int) -> list:
        v, s, m = rows
        s = F(F(s * rho) + F(F(g * g) * one_minus_rho))
        m = F(F(m * momentum) + F(F(rsqrt_rows(F(s + eps)) * lr) * g))
        return [F(v - m), s, m]

    grad, indices = inputs[7:9]
    count, error = index_limit(np.asarray(indices).reshape(-1), var.shape[0], all_first=True)
    apply_rows([var, ms, mom], grad, indices, count, step)
    return finish(inputs, error)


@register_kernel("SparseApplyCenteredRMSProp", types=FLOAT_TYPES)
@computes_ftz
def sparse_apply_centered_rms_prop(ctx: KernelContext, inputs: list) -> list:
    """RMSProp with ``mg = mg * rho + g * (1 - rho)`` and ``rsqrt((ms + eps) - mg * mg)``."""
    var, mg, ms, mom = stored_values(inputs[:4])
    check_rms_prop([var, mg, ms, mom], inputs, ctx.attrs)
    lr, rho, momentum, eps = scalars(var.dtype, inputs[4:8])
    one_minus_rho = F(var.dtype.type(1) - rho)

    def step(rows: list, g: np.ndarray, inner: int) -> list:
        v, c, s, m = rows
        s = F(F(s * rho) + F(F(g * g) * one_minus_rho))
        c = F(F(c * rho) + F(g * one_minus_rho))
        denom = F(F(s + eps) - F(c * c))
        m = F(F(m * momentum) + F(F(rsqrt_rows(denom) * lr) * g))
        return [F(v - m), c, s, m]

    grad, indices = inputs[8:10]
    count, error = index_limit(np.asarray(indices).reshape(-1), var.shape[0], all_first=True)
    apply_rows([var, mg, ms, mom], grad, indices, count, step)
    return finish(inputs, error)


# -- Ftrl, FtrlV2 ----------------------------------------------------------------------------

def _pow_rows(x: np.ndarray, y: Any) -> np.ndarray:
    """``x.pow(y)`` of each row as Eigen evaluates a row: ``generic_pow`` on the packets, C's
    pow on the last ``inner % P`` elements."""
    inner = x.shape[-1]
    size = eigen_math.PACKET.get(x.dtype, 1)
    cut = inner - inner % size
    out = np.empty_like(x)
    ys = np.full(x.shape, y, x.dtype)
    if cut:
        out[:, :cut] = eigen_math.pow_(np.ascontiguousarray(x[:, :cut]), ys[:, :cut])
    for j in range(cut, inner):  # (each call shorter than a packet: C's pow)
        out[:, j] = [eigen_math.pow_(np.array([a]), np.array([y], x.dtype))[0] for a in x[:, j]]
    return F(out)


def check_ftrl(values: list, inputs: list, attrs: dict) -> None:
    """SparseApplyFtrl(V2)'s checks, in TF's order (the shrinkage last, after the rows)."""
    var = values[0]
    shrinkage = len(inputs) == 10
    grad, indices, lr, l1, l2 = inputs[3:8]
    l2_shrinkage = inputs[8] if shrinkage else None
    lr_power = inputs[9] if shrinkage else inputs[8]
    by_lr = bool(attrs.get("multiply_linear_by_lr"))
    t = var.dtype.type
    check_same_shapes(values, ["accum", "linear"])
    if var.ndim < 1:
        raise invalid("var must be at least 1 dimensional")
    if np.ndim(indices) != 1:
        raise invalid("indices must be one-dimensional")
    lr_ok = np.ndim(lr) == 0 and (t(lr) > 0 or (by_lr and t(lr) >= 0))
    if not lr_ok:
        raise invalid("lr is not a positive scalar (or zero if multiply_linear_by_lr is set): "
                      + debug_string(np.shape(lr)))
    for value, what, ok in ((l1, "l1 regularization strength is not a non-negative scalar: ", "ge"),
                            (l2, "l2 regularization strength is not a non-negative scalar: ", "ge"),
                            (lr_power, "lr_power is not a non-positive scalar: ", "le")):
        if np.ndim(value) != 0 or not (t(value) >= 0 if ok == "ge" else t(value) <= 0):
            raise invalid(what + debug_string(np.shape(value)))
    check_indices(var, grad, indices)
    check_inner(var)
    if shrinkage and (np.ndim(l2_shrinkage) != 0 or not t(l2_shrinkage) >= 0):
        raise invalid("l2 shrinkage regularization strength is not a non-negative scalar: "
                      + debug_string(np.shape(l2_shrinkage)))


def _ftrl(ctx: KernelContext, inputs: list, shrinkage: bool) -> list:
    var, accum, linear = stored_values(inputs[:3])
    check_ftrl([var, accum, linear], inputs, ctx.attrs)
    grad, indices, lr, l1, l2 = inputs[3:8]
    l2_shrinkage = inputs[8] if shrinkage else None
    lr_power = inputs[9] if shrinkage else inputs[8]
    by_lr = bool(ctx.attrs.get("multiply_linear_by_lr"))
    t = var.dtype.type
    lr, l1, l2, power = scalars(var.dtype, [lr, l1, l2, lr_power])
    two_shrinkage = F(t(2) * scalars(var.dtype, [l2_shrinkage])[0]) if shrinkage else None
    neg_power = -power
    half = power == t(-0.5)
    two_l2 = F(t(2) * l2)
    two_l2_lr = F(two_l2 * lr)
    l1_lr = F(l1 * lr)
    minus_l1_lr = F(-l1 * lr)

    def powered(x: np.ndarray) -> np.ndarray:
        return F(np.sqrt(x)) if half else _pow_rows(x, neg_power)

    def step(rows: list, g: np.ndarray, inner: int) -> list:
        v, a, lin = rows
        g_shr = F(g + F(two_shrinkage * v)) if shrinkage else g
        new_a = F(a + F(g * g))
        if inner > 1:
            change = F(powered(new_a) - powered(a))
            if by_lr:
                lin = F(lin + F(F(g_shr * lr) - F(change * v)))
                adjust = np.maximum(np.minimum(lin, l1_lr), minus_l1_lr)
                y = F(powered(new_a) + two_l2_lr)
            else:
                lin = F(lin + F(g_shr - F(F(change / lr) * v)))
                adjust = np.maximum(np.minimum(lin, l1), -l1)
                y = F(F(powered(new_a) / lr) + two_l2)
            return [F(F(adjust - lin) / y), new_a, lin]
        # one element per row: TF's scalar loop (C's pow, whatever the power)
        pw_new, pw_old = _pow_rows(new_a, neg_power), _pow_rows(a, neg_power)
        sigma = F(pw_new - pw_old)
        if by_lr:
            lin = F(F(lin + F(g_shr * lr)) - F(sigma * v))
            quadratic = F((F(np.sqrt(new_a)) if half else pw_new) + two_l2_lr)
            adjust = np.maximum(np.minimum(lin, l1_lr), minus_l1_lr)
        else:
            sigma = F(sigma / lr)
            lin = F(F(lin + g_shr) - F(sigma * v))
            quadratic = F(F((F(np.sqrt(new_a)) if half else pw_new) / lr) + two_l2)
            adjust = np.maximum(np.minimum(lin, l1), -l1)
        return [F(F(adjust - lin) / quadratic), new_a, lin]

    count, error = index_limit(np.asarray(indices).reshape(-1), var.shape[0], all_first=False)
    apply_rows([var, accum, linear], grad, indices, count, step)
    return finish(inputs, error)


@register_kernel("SparseApplyFtrl", types=FLOAT_TYPES)
@computes_ftz
def sparse_apply_ftrl(ctx: KernelContext, inputs: list) -> list:
    """FTRL-proximal on each row named: ``linear += g - (new_accum^-p - accum^-p) / lr * v``,
    ``v = (clip(linear, -l1, l1) - linear) / (new_accum^-p / lr + 2 * l2)``, ``accum =
    new_accum``; indices checked as they come."""
    return _ftrl(ctx, inputs, shrinkage=False)


@register_kernel("SparseApplyFtrlV2", types=FLOAT_TYPES)
@computes_ftz
def sparse_apply_ftrl_v2(ctx: KernelContext, inputs: list) -> list:
    """FTRL with l2 shrinkage: ``linear`` takes ``g + 2 * l2_shrinkage * v`` for ``g``."""
    return _ftrl(ctx, inputs, shrinkage=True)


# op type -> (its checks, whether every index is checked before any row is updated)
CHECKS: dict[str, tuple[Callable[[list, list, dict], None], bool]] = {
    "SparseApplyMomentum": (check_momentum, False),
    "SparseApplyAdagrad": (check_adagrad, True),
    "SparseApplyAdagradDA": (check_adagrad_da, False),
    "SparseApplyRMSProp": (check_rms_prop, True),
    "SparseApplyCenteredRMSProp": (check_rms_prop, True),
    "SparseApplyFtrl": (check_ftrl, False),
    "SparseApplyFtrlV2": (check_ftrl, False),
}

# (after every kernel above is registered)
register_resource_forms(CPU, np.array, VARIABLE_INPUTS)
