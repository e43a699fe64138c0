#!/usr/bin/env bash
# Set up the dev environment in .venv: torch==2.13.0 first (so pip never pulls a CUDA build),
# then this package in editable mode with its dev extra. Skipped when settings.ini and setup.py are unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
stamp=$venv/.setup-stamp
want=$(cat settings.ini setup.py | sha256sum | cut -d' ' -f1)

if [[ -x $venv/bin/python && -f $stamp && $(cat "$stamp") == "$want" ]]; then exit 0; fi

echo "setup_env: installing into $venv (torch first, then -e .[dev]) ..."
[[ -x $venv/bin/python ]] || python3 -m venv "$venv"
# pip -q, minus the harmless "Location 'file:...' is ignored" warnings some pip configs cause; errors still show
pip() { "$venv/bin/python" -m pip -q --disable-pip-version-check --no-input "$@" 2>&1 | { grep -v "^WARNING: Location 'file:" || true; }; }
pip install torch==2.13.0
pip install -e ".[dev]"
echo "$want" > "$stamp"
echo "setup_env: done"
