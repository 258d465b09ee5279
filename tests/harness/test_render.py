"""The renderer and the interpreter cannot drift apart: every scenario's rendered TF1 script,
run with real TensorFlow, observes exactly what the ``tensorflow`` adapter observes."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.loader import load_spec
from conformance.render import render_python
from conformance.runner import Runner

HERE = Path(__file__).parent
ROOT = HERE.parent.parent

needs_tf = pytest.mark.skipif(importlib.util.find_spec("tensorflow") is None,
                              reason="tensorflow is not installed (pip install 'tfconf[tf]')")


def test_rendered_script_reads_like_tf1_code():
    scenario = next(s for s in load_spec().scenarios if s.id == "scopes/reuse-true-returns-same-variable")
    source = render_python(scenario)
    assert "import tensorflow.compat.v1 as tf" in source
    assert "with tf.variable_scope('foo', reuse=True):" in source
    assert "v1 = tf.get_variable('v', [1])" in source
    compile(source, "<rendered>", "exec")


def test_every_scenario_renders_to_valid_python():
    for scenario in load_spec().scenarios:
        compile(render_python(scenario), scenario.id, "exec")


@needs_tf
def test_rendered_scripts_observe_what_the_tensorflow_adapter_observes():
    scenarios = [s for s in load_spec().scenarios if not (s.skip and s.skip.applies_to("tensorflow"))]
    scripts = [{"id": s.id, "source": render_python(s)} for s in scenarios]
    proc = subprocess.run([sys.executable, str(HERE / "run_rendered.py")], input=json.dumps(scripts),
                          capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rendered = json.loads(proc.stdout)
    report = Runner(["tensorflow"]).run(scenarios)
    drift = []
    for result in report.results:
        if result.status not in ("pass", "fail"):
            continue
        script = rendered[result.scenario]
        adapter = dict(result.observations)
        if script.get("observations") != adapter:
            drift.append(f"{result.scenario}: script {script} != adapter {adapter}")
    assert not drift, "\n".join(drift[:5])


@needs_tf
def test_a_rendered_script_runs_standalone(tmp_path):
    scenario = next(s for s in load_spec().scenarios if s.id == "scopes/get-variable-creates-in-scope")
    script = tmp_path / "scenario.py"
    script.write_text(render_python(scenario))
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300,
                          cwd=tmp_path, env={"PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2",
                                             "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    observed = json.loads(proc.stdout.strip().splitlines()[-1])
    assert observed["observations"]["v.name"]["value"] == "foo/v:0"

