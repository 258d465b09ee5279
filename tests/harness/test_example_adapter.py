"""The separately installable example adapter: installed into a fresh virtual environment, found
through its entry point, and run through tfconf."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLE = ROOT / "examples" / "tfconf-example-adapter"


def test_example_adapter_installs_and_runs_through_tfconf(tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    # the new environment sees tfconf and its dependencies from the running one (no network)
    site = Path(subprocess.check_output([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        text=True).strip())
    (site / "tfconf-host.pth").write_text(f"{sysconfig.get_paths()['purelib']}\n{ROOT}\n")
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                              "--no-build-isolation", str(EXAMPLE)], capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr

    adapters = subprocess.run([str(python), "-m", "conformance.cli", "adapters"], capture_output=True, text=True,
                              timeout=120, cwd=tmp_path)
    assert "example" in adapters.stdout

    out = tmp_path / "results.jsonl"
    run = subprocess.run([str(python), "-m", "conformance.cli", "run", "--adapter", "example", "--spec",
                          str(ROOT / "spec" / "scopes"), "-k", "reuse-true", "--json", str(out)],
                         capture_output=True, text=True, timeout=300, cwd=tmp_path)
    records = [json.loads(line) for line in out.read_text().splitlines()]
    results = [r for r in records if r["type"] == "result"]
    assert results and {r["adapter"] for r in results} == {"example"}
    assert any(r["status"] == "pass" for r in results), run.stdout
    assert records[0]["adapters"][0]["implementation"].startswith("example")

    saver = subprocess.run([str(python), "-m", "conformance.cli", "run", "--adapter", "example", "--spec",
                            str(ROOT / "spec" / "saver"), "-k", "files-after", "--json", str(out)],
                           capture_output=True, text=True, timeout=300, cwd=tmp_path)
    statuses = {json.loads(line).get("status") for line in out.read_text().splitlines()} - {None}
    assert statuses == {"skip"}, saver.stdout  # tf.train is hidden: unsupported, never a pass
