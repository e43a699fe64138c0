"""Execute notebooks in place, saving their outputs (so GitHub shows the pictures), then nbdev_clean them.

Cells flagged with settings.ini `tst_flags` (notest slow gpu timm) are skipped and keep their stored outputs,
unless forced with --flags. Stops with the failing cell's traceback and a non-zero exit if a cell raises.
Usage: .venv/bin/python scripts/execute_nbs.py [--flags 'slow gpu'] [nbs/layers/02_strip_layer.ipynb ...]   (default: every notebook under nbs/)"""
import argparse, os, sys
from pathlib import Path

from execnb.nbio import read_nb, write_nb
from nbdev.clean import nbdev_clean
from nbdev.process import extract_directives
from nbtools import ROOT, NBS, run_cells, skip_flags


def execute(path, flags):
    nb = read_nb(path)
    for c in nb.cells: c.directives_ = extract_directives(c, remove=False)
    run_cells(nb, path, flags)
    write_nb(nb, path)
    nbdev_clean.__wrapped__(fname=str(path))


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('nbs', nargs='*', type=Path, help='notebooks (default: every notebook under nbs/)')
    p.add_argument('--flags', default='', help='space-separated flags of cells to run anyway, e.g. "slow gpu"')
    args = p.parse_args()
    paths = [n.resolve() for n in args.nbs] or sorted(n for n in NBS.rglob('*.ipynb') if not n.name.startswith('_') and '.ipynb_checkpoints' not in n.parts)
    flags = skip_flags(args.flags.split())
    os.chdir(ROOT)   # nbdev_clean reads settings.ini from the working directory
    for path in paths:
        print(f'executing {path.relative_to(ROOT)} (skipping cells flagged {" ".join(sorted(flags)) or "-"}) ...', flush=True)
        try: execute(path, flags)
        except RuntimeError as e: sys.exit(f'\n{e}\nFAILED: {path.relative_to(ROOT)} (left unchanged)')
    print('done')
