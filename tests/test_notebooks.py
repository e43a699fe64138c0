"""Run each notebook in nbs/ the way `nbdev_test` does: one pytest test per notebook."""
import contextlib, io, os
from pathlib import Path

os.environ['MPLBACKEND'] = 'Agg'   # no windows from matplotlib, in any notebook
import pytest
from nbdev.config import get_config
from nbdev.test import test_nb as run_notebook

ROOT = Path(__file__).resolve().parents[1]
NBS = sorted(p for p in (ROOT/'nbs').glob('*.ipynb') if not p.name.startswith('_'))
RUN_FLAGS = os.environ.get('RUN_FLAGS', '').split()      # flagged cells to run anyway, e.g. RUN_FLAGS=timm
SKIP_FLAGS = [f for f in get_config(path=ROOT).tst_flags.split() if f not in RUN_FLAGS]   # notest slow gpu timm


@pytest.mark.parametrize('nb', NBS, ids=[p.name for p in NBS])
def test_notebook(nb):
    err = io.StringIO()
    with contextlib.redirect_stderr(err):   # test_nb writes the failing cell's traceback to stderr
        ok, secs = run_notebook(nb, skip_flags=SKIP_FLAGS, basepath=ROOT)
    if not ok: pytest.fail(f'{nb.name} failed:\n{err.getvalue()}', pytrace=False)
