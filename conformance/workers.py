"""Parent side of the worker protocol: start an adapter's worker process and talk to it, with
timeouts, and with crashes and garbage turned into errors instead of a lost run."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import tempfile
import time
from typing import Any, Sequence

from .forkserver import ForkedWorker, ForkServer, ForkServerError


class WorkerError(Exception):
    """The worker crashed, hung or answered something that is not the protocol."""


class WorkerClient:
    """One worker process for one adapter. Restarts itself on the next request after a failure."""

    def __init__(self, adapter: str, command: Sequence[str] | None = None, env: dict[str, str] | None = None) -> None:
        self.adapter = adapter
        self.command = list(command) if command else [sys.executable, "-m", "conformance.worker", adapter]
        self.env = env
        # Where new processes come from when not started afresh: a fork server that has
        # imported the implementation already (the runner sets one for parallel lanes).
        self.forkserver: ForkServer | None = None
        self._process: subprocess.Popen | ForkedWorker | None = None
        self._pending = bytearray()  # read from the worker, not yet a whole line
        self._stderr = None
        self._closed = False  # `close`d: no process is started any more

    def forkable_spec(self) -> str | None:
        """The adapter a fork server would host for this client (it runs the standard worker,
        ``python -m conformance.worker SPEC``), or None."""
        if len(self.command) == 4 and self.command[:3] == [sys.executable, "-m", "conformance.worker"]:
            return self.command[3]
        return None

    def _start(self) -> None:
        self._stderr = tempfile.TemporaryFile(mode="w+b")
        self._process = None
        if self.forkserver is not None:
            try:
                self._process = self.forkserver.spawn(self._stderr)
            except ForkServerError:
                self.forkserver = None  # start processes afresh from now on
        if self._process is None and not self._closed:
            env = dict(os.environ, **(self.env or {}))
            env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
            try:
                self._process = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                                 stderr=self._stderr, env=env, text=True, encoding="utf-8", bufsize=1)
            except OSError as error:  # no such program, not executable: this adapter's error
                self._stderr.close()
                self._stderr = None
                raise WorkerError(f"the {self.adapter} worker could not be started "
                                  f"({' '.join(self.command)}): {error}") from None
        if self._closed:  # (checked after the process is set: `close` may run in another thread)
            self.stop(patience=0)
            raise WorkerError(f"the {self.adapter} worker was closed")
        self._pending = bytearray()

    def _read_line(self, timeout: float) -> bytes | None:
        """The worker's next line, or None once it has closed its stdout (exited); raises
        TimeoutError. Read here, in the calling thread, straight from the pipe: a reader thread
        per worker cost two thread switches per reply."""
        assert self._process is not None and self._process.stdout is not None
        fd = self._process.stdout.fileno()
        deadline = time.monotonic() + timeout
        searched = 0
        while (end := self._pending.find(b"\n", searched)) < 0:
            searched = len(self._pending)
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return None
            self._pending += chunk
        line = bytes(self._pending[:end + 1])
        del self._pending[:end + 1]
        return line

    def request(self, message: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one request; its reply, or `WorkerError` (the worker is then stopped)."""
        try:
            line = json.dumps(message) + "\n"
        except (TypeError, ValueError) as error:  # (a scenario built in Python, not loaded from YAML)
            raise WorkerError(f"the request cannot be sent to the {self.adapter} worker as JSON: {error}") from None
        if self._process is None or self._process.poll() is not None:
            self._start()
        assert self._process is not None and self._process.stdin is not None
        try:
            self._process.stdin.write(line)
            self._process.stdin.flush()
        except (BrokenPipeError, OSError):
            self._fail(f"the {self.adapter} worker exited before the request")
        try:
            line = self._read_line(timeout)
        except TimeoutError:
            self._fail(f"timed out after {timeout:g} s (the {self.adapter} worker was stopped)")
        if line is None:
            self._fail(f"the {self.adapter} worker exited with code {self._process.wait()}")
        text = line.decode("utf-8", "replace")
        try:
            reply = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            self._fail(f"the {self.adapter} worker wrote something that is not the protocol: {text[:200]!r}")
        if not isinstance(reply, dict) or "ok" not in reply:
            self._fail(f"the {self.adapter} worker answered without 'ok': {text[:200]!r}")
        return reply

    def _fail(self, reason: str) -> None:
        tail = self.stop()
        raise WorkerError(reason + (f"\n--- worker stderr (last lines) ---\n{tail}" if tail else ""))

    def request_stop(self) -> None:
        """Ask the worker to exit without waiting for it (`stop` then waits): a run stops all
        its workers at once instead of one after another."""
        process = self._process
        if process is not None and process.poll() is None and process.stdin:
            try:
                process.stdin.write(json.dumps({"op": "stop"}) + "\n")
                process.stdin.flush()
            except (OSError, ValueError):
                pass

    def close(self, patience: float = 2.0) -> None:
        """Stop the worker for good: a request after this (or one starting the worker in another
        thread meanwhile) raises `WorkerError` instead of starting a new process."""
        self._closed = True
        self.stop(patience)

    def stop(self, patience: float = 2.0) -> str:
        """Stop the process, killing it if it has not exited within ``patience`` seconds;
        returns the tail of what it wrote on stderr."""
        self.request_stop()
        process, self._process = self._process, None
        if process is not None:
            try:
                process.wait(timeout=patience)
            except subprocess.TimeoutExpired:
                pass
            if process.poll() is None:
                process.kill()
                process.wait()
            _close_pipes(process)
        tail = self._stderr_tail()
        if self._stderr is not None:  # (each start makes a new one: long runs restart workers often)
            self._stderr.close()
            self._stderr = None
        return tail

    def _stderr_tail(self, lines: int = 15) -> str:
        if self._stderr is None:
            return ""
        try:
            self._stderr.seek(0)
            text = self._stderr.read().decode("utf-8", "replace")
        except (OSError, ValueError):
            return ""
        return "\n".join(text.strip().splitlines()[-lines:])


def _close_pipes(process: subprocess.Popen | ForkedWorker) -> None:
    """Close our ends of an ended worker's stdin and stdout now, not whenever they are collected."""
    for pipe in (process.stdin, process.stdout):
        if pipe is not None:
            try:
                pipe.close()
            except OSError:  # (a stdin whose last flush finds the worker gone)
                pass
