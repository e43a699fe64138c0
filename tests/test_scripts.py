"The helper scripts behave as their usage says, on this machine."
import subprocess, sys
from pathlib import Path
import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(torch.cuda.is_available(), reason='with CUDA the check runs for minutes: run scripts/gpu_check.sh by hand')
def test_gpu_check_without_cuda():
    r = subprocess.run(['bash', str(ROOT / 'scripts' / 'gpu_check.sh')], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip().splitlines()[-1] == 'no CUDA device: nothing to check', r.stdout
