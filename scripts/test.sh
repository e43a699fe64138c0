#!/usr/bin/env bash
# The test command: set up .venv, then run every notebook (tests/test_notebooks.py) and the sync checks
# (tests/test_sync.py) with pytest, one xdist worker per core (at most 4), each with its own share of torch threads.
# Extra arguments go to pytest (e.g. `bash scripts/test.sh -k 01_`, or `-n 0` to run in one process).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup_env.sh
# GNU nproc counts OMP_NUM_THREADS as the CPUs available: ask it without, or OMP_NUM_THREADS=1 gives one worker
cores=$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc); workers=$(( cores > 4 ? 4 : cores ))
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(( cores / workers ))}   # 2 workers x 2 threads on 2 cores: ~2x slower
rc=0
# --disable-warnings: the notebooks' own warnings are counted, not listed (Jupyter shows them); --dist loadgroup:
# tests marked with one xdist_group (the wheel's) run on one worker
.venv/bin/python -m pytest tests/ -p no:cacheprovider -ra --disable-warnings -n "$workers" --dist loadgroup "$@" || rc=$?
if [[ $rc == 5 ]]; then echo "test.sh: pytest collected no tests: failing" >&2; rc=1; fi
exit $rc
