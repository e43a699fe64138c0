#!/usr/bin/env bash
# The main job: set up .venv, then train a small Strip-MLP on the embedded dataset (or load the shipped one with
# --pretrained), evaluate it and write a report with pictures. Extra arguments go to `strip-mlp demo`
# (see `.venv/bin/strip-mlp demo --help`).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup_env.sh
export MPLBACKEND=Agg
exec .venv/bin/strip-mlp demo "$@"
