"""The source documents' TF1 snippets print the same on reference_impl as on TensorFlow.

``expected/<name>.txt`` was produced by running ``programs/<name>.py`` under
``tensorflow.compat.v1`` (TF 2.21, ``disable_v2_behavior()``).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
PROGRAMS = sorted((HERE / "programs").glob("*.py"))


def _run(module: str, program: Path) -> str:
    proc = subprocess.run([sys.executable, str(HERE / "run_snippet.py"), module, str(program)],
                          capture_output=True, text=True, timeout=300, cwd=HERE.parents[1])
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _expected(program: Path) -> str:
    return (HERE / "expected" / (program.stem + ".txt")).read_text(encoding="utf-8")


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.stem)
def test_reference_prints_what_tensorflow_prints(program: Path) -> None:
    assert _run("reference_impl.compat.v1", program) == _expected(program)


@pytest.mark.skipif(importlib.util.find_spec("tensorflow") is None,
                    reason="tensorflow is not installed")
@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.stem)
def test_tensorflow_prints_the_stored_output(program: Path) -> None:
    assert _run("tensorflow.compat.v1", program) == _expected(program)
