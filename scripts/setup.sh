#!/usr/bin/env bash
# Sets up everything tfconf needs, from nothing, on a Debian machine with Python 3.11:
# Debian's chromium (for the report's browser test; only when run as root with apt-get),
# a virtual environment in .venv, and tfconf with every extra (TensorFlow, numba-cuda, test tools).
# Safe to run again: it only adds what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian's chromium (for the HTML report's browser test)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  else
    echo "setup: chromium is not installed and cannot be installed here; the browser test will be skipped" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
echo "setup: installing tfconf with all extras (TensorFlow, numba-cuda, test tools)"
.venv/bin/python -m pip install -q -e '.[all]'
# tfconf's own bytecode, compiled once: where PYTHONDONTWRITEBYTECODE is set, every process
# would otherwise compile each module it imports at every start (editable installs ship none).
.venv/bin/python -m compileall -q conformance adapters reference_impl reports >/dev/null
