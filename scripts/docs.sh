#!/usr/bin/env bash
# The docs command: set up .venv, then execute every notebook afresh (in memory) and write HTML pages to _docs/.
# Extra arguments go to scripts/build_docs.py (e.g. `--flags slow` to run slow cells too).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup_env.sh
.venv/bin/python scripts/build_docs.py "$@"
