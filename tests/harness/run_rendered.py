"""Run many rendered scenario scripts in one TensorFlow process (import once), each as if it
were ``__main__`` of its own run, and print {scenario id: what its Recorder dumped} as JSON.

Reads ``[{"id": ..., "source": ...}, ...]`` on stdin. Used by test_render.py."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def main() -> None:
    # TensorFlow's C++ logging (log_device_placement) writes to fd 1: keep fd 1 for our JSON only
    result_stream = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()
    scripts = json.load(sys.stdin)
    out = {}
    for script in scripts:
        session = tf.get_default_session()
        if session is not None:
            session.close()
        tf.reset_default_graph()
        buffer = io.StringIO()
        code = compile(script["source"], f"<rendered {script['id']}>", "exec")
        try:
            with contextlib.redirect_stdout(buffer):
                exec(code, {"__name__": "__main__"})  # noqa: S102 - our own rendered script, under test
            out[script["id"]] = json.loads(buffer.getvalue().strip().splitlines()[-1])
        except Exception as error:  # noqa: BLE001 - a script that breaks is a finding
            out[script["id"]] = {"script-error": repr(error)}
    json.dump(out, result_stream)
    result_stream.close()


if __name__ == "__main__":
    main()
