"""``ReadFile``: a file's bytes as a scalar string, with TF's errors for what cannot be read."""

from __future__ import annotations

import numpy as np

from ... import errors
from ..registry import KernelContext, register_kernel


@register_kernel("ReadFile")
def read_file(ctx: KernelContext, inputs: list) -> list:
    name = np.asarray(inputs[0], dtype=object).item()
    path = name.decode("utf-8") if isinstance(name, bytes) else str(name)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise errors.NotFoundError(None, None, f"{path}; No such file or directory") from None
    except IsADirectoryError:
        raise errors.FailedPreconditionError(None, None, f"{path}; Is a directory") from None
    return [np.array(data, dtype=object)]
