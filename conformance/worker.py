"""The adapter worker: one process that hosts one adapter and speaks tfconf's JSON-lines protocol.

``python -m conformance.worker ADAPTER`` reads one request per line on stdin and answers one line
on stdout (``conformance/schemas/protocol.schema.json``):

- ``{"op": "describe"}`` → ``{"ok": true, "description": {...}}``
- ``{"op": "run", "scenario": {...}, "stages"?: ["main"], "workdir"?: "/tmp/…"}`` →
  ``{"ok": true, "outcome": {...}}`` or ``{"ok": false, "error": "traceback"}``
- ``{"op": "stop"}`` → the process exits at once (after the adapter's optional ``close()``;
  atexit handlers do not run).

Every scenario runs in an empty temporary directory of its own (one left empty is reused), unless the request names
a ``workdir`` (a writer × reader run, where the parent owns the directory). Whatever the
implementation prints goes to stderr: the protocol owns stdout.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import sys
import tempfile
import traceback
from typing import Any, TextIO

from adapters.base import Outcome, Unsupported

PROTOCOL_VERSION = 1
PROTOCOL_FD: int | None = None  # where replies go, once serving (tests write garbage to it)


def _protocol_stream() -> TextIO:
    """Keep the real stdout for the protocol; send fd 1 (and sys.stdout) to stderr."""
    global PROTOCOL_FD
    protocol_fd = PROTOCOL_FD = os.dup(1)
    if __name__ == "__main__":  # run with -m: the importable module is a second copy
        import conformance.worker as importable

        importable.PROTOCOL_FD = protocol_fd
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return os.fdopen(protocol_fd, "w", buffering=1, encoding="utf-8")


def handle(adapter: Any, request: dict[str, Any]) -> dict[str, Any]:
    """Answer one protocol request."""
    op = request.get("op")
    try:
        if op == "describe":
            return {"ok": True, "protocol": PROTOCOL_VERSION, "description": adapter.describe().to_json()}
        if op == "run":
            outcome = run_scenario(adapter, request["scenario"], request.get("stages"), request.get("workdir"))
            return {"ok": True, "outcome": outcome.to_json()}
        return {"ok": False, "error": f"unknown op {op!r}"}
    except Exception:  # noqa: BLE001 - the adapter's failure is reported, the worker lives on
        return {"ok": False, "error": traceback.format_exc()}


class _Scratch:
    """The private directory of the next scenario. Most scenarios write no file, and removing a
    directory costs milliseconds on some filesystems, so an empty one is kept for the next."""

    def __init__(self) -> None:
        self._path: str | None = None

    def take(self) -> str:
        if self._path is None or not os.path.isdir(self._path):
            self._path = tempfile.mkdtemp(prefix="tfconf-")
        return self._path

    def release(self) -> None:
        if self._path is not None and os.listdir(self._path):
            shutil.rmtree(self._path, ignore_errors=True)
            self._path = None

    def close(self) -> None:
        if self._path is not None:
            shutil.rmtree(self._path, ignore_errors=True)
            self._path = None


_SCRATCH = _Scratch()


def run_scenario(adapter: Any, scenario: dict[str, Any], stages: list[str] | None = None,
                 workdir: str | None = None) -> Outcome:
    own = workdir is None
    workdir = _SCRATCH.take() if own else workdir
    try:
        if stages is None:
            return adapter.run(scenario, workdir)
        return adapter.run(scenario, workdir, stages=stages)
    except Unsupported as why:
        return Outcome("unsupported", reason=str(why))
    finally:
        if own:
            _SCRATCH.release()


def serve(adapter: Any, requests: TextIO, replies: TextIO) -> None:
    for line in requests:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
        except json.JSONDecodeError as error:
            reply = {"ok": False, "error": f"request is not JSON: {error}"}
        else:
            if request.get("op") == "stop":
                return
            reply = handle(adapter, request)
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


def _close(adapter: Any) -> None:
    """The adapter's optional ``close()``: its one chance to release what it holds."""
    close = getattr(adapter, "close", None)
    if close is None:
        return
    try:
        close()
    except Exception:  # noqa: BLE001 - the worker is ending either way
        traceback.print_exc()


def run_worker(adapter: Any, requests: TextIO, replies: TextIO | None = None) -> None:
    """Be the worker: warm the adapter up, answer ``requests`` until told to stop, then end the
    process (workers forked by `conformance.forkserver` start here too). ``replies``: the
    protocol stream, if already taken from stdout."""
    replies = replies or _protocol_stream()
    # The implementation's modules live as long as the worker: frozen, the collector stops
    # scanning them (TensorFlow's 430,000 objects took 0.16-0.19 s per full collection). They
    # were imported with the collector off (`main`, or the fork server); frozen before it is
    # turned back on, they are never scanned at all.
    gc.freeze()
    gc.enable()
    prepare = getattr(adapter, "prepare", None)
    if prepare is not None:
        try:
            prepare()
        except Exception:  # noqa: BLE001 - the first request reports what is wrong
            traceback.print_exc()
    gc.freeze()  # and what the warm-up made: sessions, thread pools, kernel caches
    try:
        serve(adapter, requests, replies)
    finally:
        _SCRATCH.close()
        _close(adapter)
    # Skip the interpreter's shutdown: tearing TensorFlow's modules and thread pools down takes
    # most of a second per worker and serves no one, as the process ends here.
    sys.stderr.flush()
    replies.flush()
    os._exit(0)


def main(argv: list[str] | None = None) -> int:
    from .registry import load_adapter

    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m conformance.worker ADAPTER", file=sys.stderr)
        return 2
    replies = _protocol_stream()  # before the import, which may print
    # Collections during an import scan everything imported so far, again and again, to free
    # almost nothing (0.3 % of TensorFlow's objects): off, TensorFlow imports 14 % faster.
    # `run_worker` freezes what was imported and turns the collector back on.
    gc.disable()
    run_worker(load_adapter(argv[0]), sys.stdin, replies)
    return 0  # not reached: run_worker ends the process


if __name__ == "__main__":
    sys.exit(main())
