"""``tf.losses`` (TF1): the loss collections — ``add_loss``, ``get_losses``,
``get_regularization_losses`` and ``get_regularization_loss``."""

from __future__ import annotations

from typing import Any

from .graph import GraphKeys, add_to_collection, get_collection, get_default_graph


def add_loss(loss: Any, loss_collection: str = GraphKeys.LOSSES) -> None:
    """Add ``loss`` to ``loss_collection`` (nothing when the collection is None)."""
    if loss_collection:
        add_to_collection(loss_collection, loss)


def get_losses(scope: str | None = None, loss_collection: str = GraphKeys.LOSSES) -> list[Any]:
    return get_collection(loss_collection, scope)


def get_regularization_losses(scope: str | None = None) -> list[Any]:
    """The REGULARIZATION_LOSSES collection (filtered by ``scope``, a regex on names)."""
    return get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_regularization_loss(scope: str | None = None,
                            name: str = "total_regularization_loss") -> Any:
    """The sum of the regularization losses, or a 0.0 constant when there are none."""
    from .math_ops import add_n
    from .op_def import constant
    losses = get_regularization_losses(scope)
    if losses:
        return add_n(losses, name=name)
    with get_default_graph().as_default():
        return constant(0.0)


__all__ = ["add_loss", "get_losses", "get_regularization_losses", "get_regularization_loss"]
