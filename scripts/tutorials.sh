#!/usr/bin/env bash
# Open the notebooks (the tutorials, and the source of the package) in JupyterLab.
# Extra arguments go to jupyter lab (e.g. `--port 8899`).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup_env.sh
root=(); if [[ $EUID == 0 ]]; then root=(--allow-root); fi   # containers often run as root
exec .venv/bin/jupyter lab nbs/ --ip 127.0.0.1 --no-browser "${root[@]}" "$@"
