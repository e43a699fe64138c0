"""Run each notebook in nbs/ the way `nbdev_test` does: one pytest test per notebook.

The model and analysis notebooks run a second time in a process whose CPU dispatch is capped to AVX2 (PyTorch's
kernels, oneDNN's and MKL's): an AVX-512 machine then computes what an AVX2-only one (many laptops, CI runners and
older servers) would, so an assertion that holds only for one CPU's rounding fails here, not on a user's machine.
"""
import contextlib, io, os, re, subprocess, sys
from pathlib import Path

os.environ['MPLBACKEND'] = 'Agg'   # no windows from matplotlib, in any notebook
import pytest
from nbdev.config import get_config
from nbdev.test import test_nb as run_notebook

ROOT = Path(__file__).resolve().parents[1]
NBS = sorted((p for p in (ROOT/'nbs').rglob('*.ipynb') if not p.name.startswith('_') and '.ipynb_checkpoints' not in p.parts),
             key=lambda p: p.name)   # every folder of nbs/, in the order of their numbers
RUN_FLAGS = os.environ.get('RUN_FLAGS', '').split()      # flagged cells to run anyway, e.g. RUN_FLAGS=timm
SKIP_FLAGS = [f for f in get_config(path=ROOT).tst_flags.split() if f not in RUN_FLAGS]   # notest slow gpu timm

# PyTorch's own kernels (ATen), oneDNN's convolutions and MKL's matrix products, each capped to AVX2
AVX2_CAP = {'ATEN_CPU_CAPABILITY': 'avx2', 'ONEDNN_MAX_CPU_ISA': 'AVX2', 'MKL_ENABLE_INSTRUCTIONS': 'AVX2'}
# the model's pieces, its checks and fast paths, and the notebooks that compute results from trained models
# (35_model_api is left out: it is the longest notebook and compares traced models with eager ones on one CPU)
CAPPED = re.compile(r'^(0[0-6]|09|1[0-2]|29|32|37)_')
CAPPED_NBS = [p for p in NBS if CAPPED.match(p.name)]

_CAPPED_RUN = """
import sys, torch
from pathlib import Path
from nbdev.test import test_nb
cap = torch.backends.cpu.get_cpu_capability()
if cap not in ('AVX2', 'DEFAULT'): sys.exit(f'PyTorch dispatches to {cap} although ATEN_CPU_CAPABILITY=avx2')
ok, _ = test_nb(Path(sys.argv[1]), skip_flags=sys.argv[2].split(), basepath=Path(sys.argv[3]))
sys.exit(0 if ok else 1)
"""


@pytest.mark.parametrize('nb', NBS, ids=[p.name for p in NBS])
def test_notebook(nb):
    err = io.StringIO()
    with contextlib.redirect_stderr(err):   # test_nb writes the failing cell's traceback to stderr
        ok, secs = run_notebook(nb, skip_flags=SKIP_FLAGS, basepath=ROOT)
    if not ok: pytest.fail(f'{nb.name} failed:\n{err.getvalue()}', pytrace=False)


@pytest.mark.parametrize('nb', CAPPED_NBS, ids=[f'avx2-{p.name}' for p in CAPPED_NBS])
def test_notebook_on_avx2(nb):
    "The notebook in a fresh process with PyTorch's, oneDNN's and MKL's CPU dispatch capped to AVX2."
    env = {**{k: v for k, v in os.environ.items() if k != 'IN_TEST'}, **AVX2_CAP}
    r = subprocess.run([sys.executable, '-c', _CAPPED_RUN, str(nb), ' '.join(SKIP_FLAGS), str(ROOT)], env=env,
                       cwd=ROOT, capture_output=True, text=True, timeout=1200)
    if r.returncode: pytest.fail(f'{nb.name} failed with the CPU dispatch capped to AVX2:\n{r.stderr[-4000:]}', pytrace=False)


def test_avx2_cap_takes_effect():
    "Under the cap PyTorch and oneDNN report AVX2 or less: the capped runs above are not the uncapped ones again."
    code = """import torch
print(torch.backends.cpu.get_cpu_capability())
x = torch.randn(2, 16, 8, 8).to(memory_format=torch.channels_last)
with torch.backends.mkldnn.verbose(torch.backends.mkldnn.VERBOSE_ON): torch.nn.functional.conv2d(x, torch.randn(16, 16, 3, 3))
"""
    r = subprocess.run([sys.executable, '-c', code], env={**os.environ, **AVX2_CAP}, capture_output=True, text=True)
    lines = r.stdout.splitlines()
    assert r.returncode == 0 and lines[0] in ('AVX2', 'DEFAULT'), r.stdout + r.stderr
    isa = [l for l in lines if ',isa:' in l]                       # oneDNN's "onednn_verbose,...,cpu,isa:Intel AVX2"
    assert isa and 'AVX-512' not in isa[0] and 'AMX' not in isa[0], isa
    assert len(CAPPED_NBS) >= 12 and any(p.name.startswith('02_') for p in CAPPED_NBS)
