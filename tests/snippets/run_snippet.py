"""Run one snippet program with ``tf`` bound to the given module; used by test_snippets.

Usage: python run_snippet.py MODULE PROGRAM.py  (MODULE: tensorflow.compat.v1 or
reference_impl.compat.v1). Output goes to stdout.
"""

from __future__ import annotations

import importlib
import os
import sys


def main() -> None:
    module, program = sys.argv[1], sys.argv[2]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = importlib.import_module(module)
    if module.startswith("tensorflow"):
        tf.disable_v2_behavior()
        import logging
        logging.getLogger("tensorflow").setLevel(logging.ERROR)
    with open(program, encoding="utf-8") as f:
        code = compile(f.read(), program, "exec")
    exec(code, {"tf": tf, "__name__": "__main__"})


if __name__ == "__main__":
    main()
