#!/usr/bin/env bash
# Check the CUDA paths on a GPU machine within 8 minutes (quickest first: one epoch of AMP training, DDP over several
# GPUs, the benchmark in fp32 and bf16, gpu-flagged notebook cells, the compiled benchmark last) and write
# outputs/gpu_check.json. Without CUDA: prints
# "no CUDA device: nothing to check" and exits 0. Arguments go to scripts/gpu_check.py (--official PATH, --json, --budget).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -x .venv/bin/python ]] || bash scripts/setup_env.sh
exec .venv/bin/python scripts/gpu_check.py "$@"
