"""The ``damage`` step: cut short, corrupt or remove a file the program wrote, so that a scenario
can say how an implementation fails on a damaged checkpoint. The interpreter and the rendered
Python scripts call the same function, so both damage a file identically."""

from __future__ import annotations

import os

ACTIONS = ("truncate", "flip", "remove")


def damage_file(directory: str, path: str, *, truncate: int | None = None, flip: int | None = None,
                remove: bool = False) -> None:
    """Damage the file at ``path`` (relative to the scenario's ``directory``) in exactly one
    way: keep only its first ``truncate`` bytes; invert every bit of the byte at offset ``flip``
    (negative: counted from the end, as Python indexes); or ``remove`` it. A damage that would
    change nothing (truncating to the file's size or more, an offset past its end) raises
    `ValueError`: the file is not what the scenario expected. So does a file that resolves to a
    place outside ``directory`` (a link an implementation wrote): nothing outside is touched."""
    chosen = [name for name, value in (("truncate", truncate), ("flip", flip), ("remove", remove or None))
              if value is not None]
    if len(chosen) != 1:
        raise ValueError(f"damage takes exactly one of {', '.join(ACTIONS)}, got {chosen or 'none'}")
    full = os.path.join(directory, path)
    if remove:
        os.remove(full)  # (a link is removed itself, not what it points to)
        return
    inside = os.path.realpath(directory)
    if os.path.commonpath([inside, os.path.realpath(full)]) != inside:
        raise ValueError(f"cannot damage {full}: it resolves to a place outside the scenario's directory")
    size = os.path.getsize(full)
    if truncate is not None:
        if not 0 <= truncate < size:
            raise ValueError(f"cannot truncate {full} ({size} bytes) to {truncate} bytes: it must get shorter")
        os.truncate(full, truncate)
        return
    assert flip is not None
    offset = flip + size if flip < 0 else flip
    if not 0 <= offset < size:
        raise ValueError(f"cannot flip byte {flip} of {full}: it has {size} bytes")
    with open(full, "r+b") as file:
        file.seek(offset)
        byte = file.read(1)[0]
        file.seek(offset)
        file.write(bytes([byte ^ 0xFF]))
