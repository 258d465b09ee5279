"""A fork server: the lanes of a parallel run share one import of each implementation.

Starting a worker mostly means importing its implementation (TensorFlow: over two seconds of
CPU), and ``-j N`` needs N workers per adapter. Instead, one server process per adapter imports
it once (`preload`, which must start no threads) and forks a worker for each lane; a worker
then warms up (``prepare``) and serves tfconf's JSON-lines protocol exactly as a worker started
with ``python -m conformance.worker`` does. A worker that crashed is forked again in
milliseconds. An adapter that cannot be forked (one using CUDA, whose driver does not survive a
fork) raises in ``preload``: the server then exits, and its lanes start their workers afresh.

Parent and server talk over a Unix socket pair: a ``fork`` request carries the new worker's
stdin, stdout and stderr as file descriptors (SCM_RIGHTS) and is answered with its pid; a
``wait`` request, sent once the worker has exited, answers its exit status. The parent watches
a worker through a pidfd, which stays valid until the server has reaped it.

``python -m conformance.forkserver ADAPTER FD`` runs the server on the inherited socket FD.
"""

from __future__ import annotations

import gc
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import traceback
from typing import IO, Any, Sequence

_MAX_MESSAGE = 4096


def supported() -> bool:
    """Whether this platform has what the fork server needs (fork, fd passing, pidfds), and
    ``TFCONF_NO_FORKSERVER`` is unset (set it for an implementation that cannot be forked)."""
    if os.environ.get("TFCONF_NO_FORKSERVER"):
        return False
    return hasattr(os, "fork") and hasattr(os, "pidfd_open") and hasattr(socket, "send_fds")


# -- the server process ----------------------------------------------------------------------------
def serve(adapter: Any, sock: socket.socket) -> None:
    """Answer ``fork`` and ``wait`` requests until the parent closes the socket."""
    while True:
        message, fds, _, _ = socket.recv_fds(sock, _MAX_MESSAGE, 3)
        if not message:
            return
        request = json.loads(message)
        if request["op"] == "fork":
            reply = {"pid": _fork_worker(adapter, sock, fds)}
        elif request["op"] == "wait":
            _, status = os.waitpid(request["pid"], 0)
            reply = {"returncode": os.waitstatus_to_exitcode(status)}
        else:
            reply = {"error": f"unknown op {request['op']!r}"}
        sock.sendall(json.dumps(reply).encode() + b"\n")


def _fork_worker(adapter: Any, sock: socket.socket, fds: list[int]) -> int:
    sys.stdout.flush()
    sys.stderr.flush()  # or the worker would write the server's buffered output again
    pid = os.fork()
    if pid == 0:
        _become_worker(adapter, sock, fds)  # never returns
    for fd in fds:  # only the worker may hold its pipes, or the parent would never see them close
        os.close(fd)
    return pid


def _become_worker(adapter: Any, sock: socket.socket, fds: list[int]) -> None:
    code = 70  # run_worker ends the process itself; getting past it means it failed
    try:
        sock.close()
        for target, fd in zip((0, 1, 2), fds):
            os.dup2(fd, target)
            os.close(fd)
        from .worker import run_worker

        run_worker(adapter, open(0, encoding="utf-8", closefd=False))
    except SystemExit as end:
        code = end.code if isinstance(end.code, int) else 1
    except BaseException:  # noqa: BLE001 - whatever happens, never return into the server's loop
        traceback.print_exc()
    finally:
        os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    from .registry import load_adapter

    argv = sys.argv[1:] if argv is None else list(argv)
    if len(argv) != 2:
        print("usage: python -m conformance.forkserver ADAPTER FD", file=sys.stderr)
        return 2
    sock = socket.socket(fileno=int(argv[1]))
    gc.disable()  # during the import, as a worker does (`conformance.worker.main`); never back on here
    adapter = load_adapter(argv[0])
    preload = getattr(adapter, "preload", None)
    if preload is not None:
        threads = _os_threads()
        preload()
        if _os_threads() > threads:  # a fork keeps only this thread: what the others held is lost
            raise RuntimeError(f"{argv[0]}: preload() started threads; its workers cannot be forked")
    # What the preload imported outlives every worker: frozen, a worker's collections neither
    # scan it nor write to its pages (which would copy them, page by page, in every worker).
    gc.freeze()
    serve(adapter, sock)
    sys.stderr.flush()
    os._exit(0)  # as a worker does: TensorFlow's interpreter shutdown would take most of a second


def _os_threads() -> int:
    """The threads of this process, the interpreter's and native ones (Linux; 1 elsewhere).
    numpy is imported first: its BLAS starts its threads on import, and handles forks itself."""
    try:
        import numpy  # noqa: F401
    except ImportError:
        pass
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1


# -- the parent's side ------------------------------------------------------------------------------
class ForkServerError(Exception):
    """The server is gone or answered nonsense: its client falls back to starting processes."""


class ForkServer:
    """One server process for one adapter; `spawn` forks a worker from it."""

    def __init__(self, spec: str, env: dict[str, str] | None = None, timeout: float = 300.0) -> None:
        self.spec = spec
        self._timeout = timeout
        self._lock = threading.Lock()
        ours, theirs = socket.socketpair()
        self._sock = ours
        self._replies = ours.makefile("rb")
        self._stderr = tempfile.TemporaryFile()
        environment = dict(os.environ, **(env or {}))
        environment.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        self._process = subprocess.Popen(
            [sys.executable, "-m", "conformance.forkserver", spec, str(theirs.fileno())],
            pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=self._stderr, env=environment)
        theirs.close()

    def spawn(self, stderr: IO[bytes]) -> "ForkedWorker":
        """A new worker whose stderr is ``stderr``; raises `ForkServerError`."""
        child_in, to_child = os.pipe()
        from_child, child_out = os.pipe()
        try:
            reply = self._ask({"op": "fork"}, [child_in, child_out, stderr.fileno()])
            pid = int(reply["pid"])
            pidfd = os.pidfd_open(pid)  # the server has not reaped it yet, so it is this worker
        except (KeyError, TypeError, ValueError, OSError) as error:
            for fd in (to_child, from_child):
                os.close(fd)
            raise ForkServerError(f"the fork server for {self.spec} could not fork: {error!r}") from None
        finally:
            os.close(child_in)
            os.close(child_out)
        return ForkedWorker(self, pid, pidfd, os.fdopen(to_child, "w", encoding="utf-8", buffering=1),
                            os.fdopen(from_child, "r", encoding="utf-8"))

    def returncode(self, pid: int) -> int:
        """The exit status of a worker that has exited (negative: killed by that signal)."""
        return int(self._ask({"op": "wait", "pid": pid})["returncode"])

    def _ask(self, request: dict[str, Any], fds: Sequence[int] = ()) -> dict[str, Any]:
        with self._lock:
            try:
                self._sock.settimeout(self._timeout)
                socket.send_fds(self._sock, [json.dumps(request).encode()], list(fds))
                line = self._replies.readline()
            except OSError as error:
                raise self._gone(repr(error)) from None
        if not line:
            raise self._gone("it closed the connection")
        reply = json.loads(line)
        if "error" in reply:
            raise ForkServerError(reply["error"])
        return reply

    def _gone(self, how: str) -> ForkServerError:
        try:
            code: int | str = self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = "?"
        return ForkServerError(f"the fork server for {self.spec} is gone ({how}; exit code {code}):\n"
                               + self._stderr_tail())

    def _stderr_tail(self, lines: int = 15) -> str:
        try:
            self._stderr.seek(0)
            text = self._stderr.read().decode("utf-8", "replace")
        except (OSError, ValueError):  # closed: the server was stopped
            return ""
        return "\n".join(text.strip().splitlines()[-lines:])

    def request_stop(self) -> None:
        """Tell the server to end, without waiting for it (`stop` waits). A spawn waiting for
        its answer (the server is still importing) fails at once with `ForkServerError`."""
        try:
            self._sock.shutdown(socket.SHUT_RDWR)  # (closing the reader would wait for that spawn)
        except OSError:
            pass
        self._replies.close()
        self._sock.close()

    def stop(self, patience: float = 5.0) -> None:
        """End the server, killing it if it has not exited within ``patience`` seconds (it
        notices only once its preload is done); its workers live on until they are stopped."""
        self.request_stop()
        try:
            self._process.wait(timeout=patience)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._stderr.close()


class ForkedWorker:
    """A forked worker, with the part of `subprocess.Popen`'s interface `WorkerClient` uses."""

    def __init__(self, server: ForkServer, pid: int, pidfd: int, stdin: IO[str], stdout: IO[str]) -> None:
        self.pid = pid
        self.stdin = stdin
        self.stdout = stdout
        self.returncode: int | None = None
        self._server = server
        self._pidfd = pidfd

    def poll(self) -> int | None:
        if self.returncode is None and select.select([self._pidfd], [], [], 0)[0]:
            self._reap()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            if not select.select([self._pidfd], [], [], timeout)[0]:
                raise subprocess.TimeoutExpired(f"worker {self.pid}", timeout or 0)
            self._reap()
        assert self.returncode is not None
        return self.returncode

    def kill(self) -> None:
        if self.returncode is None:
            try:
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def _reap(self) -> None:
        try:
            self.returncode = self._server.returncode(self.pid)
        except ForkServerError:
            self.returncode = -1  # the server died first: the status is lost, not the worker's end
        os.close(self._pidfd)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception:  # noqa: BLE001 - the parent sees the socket close and falls back
        traceback.print_exc()
        sys.exit(1)
