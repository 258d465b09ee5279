"""Strategies for the numerics area: ``train.ExponentialMovingAverage`` update sequences,
learning-rate decay schedules and optimizer steps (every ``tf.train`` optimizer of the
reference, on reference and resource variables), with random decays, hyper-parameters, steps
and values.

Values are compared bit-exactly between adapters, so the strategies favour float32 values
whose rounding is delicate (decays near 1, values of very different magnitudes) over "nice"
ones.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from .program import Names, Raw, init, run, scenario, session

DECAYS = (0.0, 0.5, 0.9, 0.99, 0.999, 0.9999, 1.0)
DTYPES = ("float32", "float32", "float64")


def _floats() -> st.SearchStrategy[float]:
    """float32-representable values: a few landmarks, else anything moderate."""
    return st.one_of(st.sampled_from([0.0, 1.0, -1.0, 0.1, 1e-7, 3.0e5]),
                     st.floats(-1e4, 1e4, allow_nan=False, width=32))


def _decay() -> st.SearchStrategy[float]:
    return st.one_of(st.sampled_from(DECAYS), st.floats(0.0, 1.0, width=32))


def _value(draw: Any, shape: list[int]) -> Any:
    if not shape:
        return draw(_floats())
    return [draw(_floats()) for _ in range(shape[0])]


def _ema(draw: Any) -> list[dict[str, Any]]:
    names = Names()
    program: list[dict[str, Any]] = []
    variables = []
    for _ in range(draw(st.integers(1, 2))):  # apply() costs TF ~60 ms per variable
        shape = draw(st.sampled_from([[], [2], [3]]))
        bind = names.fresh("v")
        variables.append((bind, shape))
        kwargs: dict[str, Any] = {"name": draw(st.sampled_from(["v", "w", "v"]))}
        dtype = draw(st.sampled_from(DTYPES))
        if dtype != "float32":
            kwargs["dtype"] = {"tf": dtype}
        program.append({"call": "Variable", "args": [_value(draw, shape)], "kwargs": kwargs, "as": bind})
    ema_kwargs: dict[str, Any] = {}
    if draw(st.booleans()):
        ema_kwargs["num_updates"] = draw(st.integers(0, 1000))
    if draw(st.integers(0, 3)) == 0:
        ema_kwargs["zero_debias"] = True
    ema_step: dict[str, Any] = {"call": "train.ExponentialMovingAverage", "args": [draw(_decay())]}
    if ema_kwargs:
        ema_step["kwargs"] = ema_kwargs
    ema_step["as"] = "ema"
    program.append(ema_step)
    applied = draw(st.lists(st.sampled_from([b for b, _ in variables]), min_size=1, max_size=len(variables),
                            unique=True))
    program.append({"call": "$ema.apply", "args": [[f"${b}" for b in applied]], "as": "update"})
    for b in applied:
        program.append({"call": "$ema.average", "args": [f"${b}"], "as": f"shadow_{b}"})
        program.append({"call": "$ema.average_name", "args": [f"${b}"], "as": f"name_{b}"})
    program.append({"call": "moving_average_variables", "as": "averaged"})
    body = [init()]
    shadows = [f"$shadow_{b}" for b in applied]
    for _ in range(draw(st.integers(1, 3))):
        for bind, shape in variables:
            if draw(st.booleans()):
                body.append(run({"call": f"${bind}.assign", "args": [_value(draw, shape)]}))
        body.append(run("$update"))
        body.append(run(shadows, names.fresh("shadows")))
    program.append(session(body))
    return program


def _decay_schedule(draw: Any) -> list[dict[str, Any]]:
    kind = draw(st.sampled_from(["exponential_decay", "natural_exp_decay", "inverse_time_decay",
                                 "polynomial_decay", "cosine_decay", "piecewise_constant"]))
    step_dtype = draw(st.sampled_from(["int32", "int64"]))
    program: list[dict[str, Any]] = [
        {"call": "placeholder", "args": [{"tf": step_dtype}], "kwargs": {"shape": []}, "as": "step"}]
    lr = draw(st.one_of(st.sampled_from([0.1, 0.001, 1.0]), st.floats(2.0 ** -20, 10.0, width=32)))
    decay_steps = draw(st.one_of(st.sampled_from([1, 100, 1000, 3000]), st.integers(0, 10000)))
    kwargs: dict[str, Any] = {}
    if kind in ("exponential_decay", "natural_exp_decay", "inverse_time_decay"):
        rate = draw(st.one_of(st.sampled_from([0.1, 0.5, 0.96, 0.99]), st.floats(0.0, 2.0, width=32)))
        args: list[Any] = [lr, "$step", decay_steps, rate]
        if draw(st.booleans()):
            kwargs["staircase"] = True
    elif kind == "polynomial_decay":
        args = [lr, "$step", decay_steps]
        kwargs = {"end_learning_rate": draw(st.sampled_from([0.0001, 0.0, 0.01])),
                  "power": draw(st.sampled_from([1.0, 0.5, 2.0])), "cycle": draw(st.booleans())}
    elif kind == "cosine_decay":
        args = [lr, "$step", decay_steps]
        kwargs = {"alpha": draw(st.sampled_from([0.0, 0.1, 0.5]))}
    else:
        boundaries = sorted(draw(st.lists(st.integers(0, 5000), min_size=1, max_size=3, unique=True)))
        values = [draw(st.floats(2.0 ** -13, 1.0, width=32)) for _ in range(len(boundaries) + 1)]
        args = ["$step", boundaries, values]
    step: dict[str, Any] = {"call": f"train.{kind}", "args": args}
    if kwargs:
        step["kwargs"] = kwargs
    step["as"] = "lr"
    program.append(step)
    steps = draw(st.lists(st.one_of(st.sampled_from([0, 1, 99, 100, 101, 3000]), st.integers(0, 20000)),
                          min_size=1, max_size=5))
    program.append(session([run("$lr", f"at{i}", feed_dict={"$step": s}) for i, s in enumerate(steps)]))
    return program


def _rate(draw: Any) -> float:
    return draw(st.one_of(st.sampled_from([0.1, 0.01, 1.0]), st.floats(2.0 ** -10, 2.0, width=32)))


def _optimizer(draw: Any) -> dict[str, Any]:
    """One optimizer step's constructor call, hyper-parameters drawn where TF accepts them."""
    kind = draw(st.sampled_from(["GradientDescent", "Momentum", "Adagrad", "AdagradDA", "Adam",
                                 "RMSProp", "Ftrl"]))
    args: list[Any] = [_rate(draw)]
    kwargs: dict[str, Any] = {}
    if kind == "Momentum":
        args.append(draw(st.sampled_from([0.0, 0.5, 0.9, 0.99])))
        kwargs["use_nesterov"] = draw(st.booleans())
    elif kind == "AdagradDA":
        args.append("$global_step")
        kwargs["l1_regularization_strength"] = draw(st.sampled_from([0.0, 0.01, 0.5]))
        kwargs["l2_regularization_strength"] = draw(st.sampled_from([0.0, 0.01]))
    elif kind == "Adam":
        kwargs["beta1"] = draw(st.sampled_from([0.9, 0.5, 0.0]))
        kwargs["epsilon"] = draw(st.sampled_from([1e-8, 1e-3, 1.0]))
    elif kind == "RMSProp":
        kwargs["momentum"] = draw(st.sampled_from([0.0, 0.5]))
        kwargs["centered"] = draw(st.booleans())
    elif kind == "Ftrl":
        kwargs["l1_regularization_strength"] = draw(st.sampled_from([0.0, 0.01, 1.0]))
        kwargs["l2_shrinkage_regularization_strength"] = draw(st.sampled_from([0.0, 0.0, 0.1]))
        kwargs["beta"] = draw(st.sampled_from([0.0, 0.5]))
    return {"call": f"train.{kind}Optimizer", "args": args, "kwargs": kwargs, "as": "opt"}


def _training(draw: Any) -> list[dict[str, Any]]:
    """Variables (reference or resource), a loss mixing squares and products of them, an
    optimizer's minimize with a global step, a few steps; the variables after each."""
    names = Names()
    program: list[dict[str, Any]] = [
        {"call": "train.get_or_create_global_step", "as": "global_step"}]
    variables = []
    for _ in range(draw(st.integers(1, 3))):
        shape = draw(st.sampled_from([[], [2], [3]]))
        bind = names.fresh("v")
        kwargs: dict[str, Any] = {"name": draw(st.sampled_from(["w", "b", "w"]))}
        if draw(st.booleans()):
            kwargs["use_resource"] = True
        variables.append(bind)
        program.append({"call": "Variable", "args": [_value(draw, shape)], "kwargs": kwargs, "as": bind})
    terms = [{"call": "reduce_sum", "args": [{"call": "square", "args": [f"${b}"]}]} for b in variables]
    if len(variables) > 1 and draw(st.booleans()):  # a product: gradients meet in an AddN
        terms.append({"call": "reduce_sum", "args": [{"op": "*", "args": [f"${variables[0]}", 3.0]}]})
    program.append({"call": "add_n", "args": [terms], "as": "loss"})
    program.append(_optimizer(draw))
    program.append({"call": "$opt.minimize", "args": ["$loss"], "kwargs": {"global_step": "$global_step"},
                    "as": "train_op"})
    body = [init()]
    for _ in range(draw(st.integers(1, 3))):
        body.append(run("$train_op"))
        body.append(run([f"${b}" for b in variables], names.fresh("values")))
    program.append(session(body))
    return program


@st.composite
def programs(draw: Any) -> Raw:
    """An EMA update sequence, a decay schedule evaluated at several steps, or optimizer steps."""
    kind = draw(st.integers(0, 2))
    if kind == 0:
        return scenario("numerics", _ema(draw), "generated ExponentialMovingAverage update sequence")
    if kind == 1:
        return scenario("numerics", _decay_schedule(draw), "generated learning-rate decay schedule")
    return scenario("numerics", _training(draw), "generated optimizer steps")
