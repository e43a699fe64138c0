"""Execute notebooks in place, saving their outputs (so GitHub shows the pictures), then nbdev_clean them.

Cells flagged with settings.ini `tst_flags` (notest slow gpu timm) are skipped and keep their stored outputs,
unless forced with --flags. Cells run without stdin: one that asks for input fails at once. Every notebook named is
checked first (a file under nbs/ that reads as a notebook). Stops with the failing cell's traceback and a non-zero exit
if a cell raises.
Usage: .venv/bin/python scripts/execute_nbs.py [--flags 'slow gpu'] [nbs/layers/02_strip_layer.ipynb ...]   (default: every notebook under nbs/)"""
import os, sys
from pathlib import Path

from execnb.nbio import read_nb, write_nb
from nbdev.clean import nbdev_clean
from nbdev.process import extract_directives
from nbtools import ROOT, NBS, run_cells, skip_flags
from script_checks import OneLineParser, quoted


def execute(path, flags):
    nb = read_nb(path)
    for c in nb.cells: c.directives_ = extract_directives(c, remove=False)
    run_cells(nb, path, flags)
    write_nb(nb, path)
    nbdev_clean.__wrapped__(fname=str(path))


def notebook_problem(path:Path)->str|None:
    "Why `path` is not a notebook of this repository that can run here (None: it is one); nothing is executed."
    if not path.exists(): return f"{quoted(path)} does not exist"
    if not path.is_file(): return f"{quoted(path)} is not a file"
    try: path.resolve().relative_to(NBS.resolve())
    except ValueError: return f"{quoted(path)} is not a notebook of this repository (its notebooks are under {NBS})"
    if path.suffix != '.ipynb': return f"{quoted(path)} is not a notebook (.ipynb)"
    if path.stat().st_size > MAX_NOTEBOOK_BYTES: return f"{quoted(path)} is {path.stat().st_size:,} bytes, more than a notebook here holds ({MAX_NOTEBOOK_BYTES:,})"
    try: nb = read_nb(path)
    except Exception as e: return f"{quoted(path)} is not a readable notebook ({type(e).__name__}: {' '.join(str(e).split())[:200]})"
    if not isinstance(nb.get('cells'), list): return f"{quoted(path)} is not a notebook: it has no list of cells"
    return None


MAX_NOTEBOOK_BYTES = 64 << 20   # the largest notebook here (pictures in its outputs) holds a few MB


if __name__ == '__main__':
    p = OneLineParser(prog='execute_nbs.py', description=__doc__.splitlines()[0])
    p.add_argument('nbs', nargs='*', type=Path, help='notebooks under nbs/ (default: every notebook under nbs/)')
    p.add_argument('--flags', default='', help='space-separated flags of cells to run anyway, e.g. "slow gpu"')
    args = p.parse_args()
    for n in args.nbs:                                   # every one checked before any runs
        if why := notebook_problem(n): p.error(why)
    paths = [n.resolve() for n in args.nbs] or sorted(n for n in NBS.rglob('*.ipynb') if not n.name.startswith('_') and '.ipynb_checkpoints' not in n.parts)
    if unknown := sorted(set(args.flags.split()) - set(skip_flags())):
        p.error(f"--flags {' '.join(unknown)}: not a flag of settings.ini tst_flags ({' '.join(sorted(skip_flags())) or 'none'}), so it would force nothing")
    flags = skip_flags(args.flags.split())
    os.chdir(ROOT)   # nbdev_clean reads settings.ini from the working directory
    for path in paths:
        print(f'executing {path.relative_to(ROOT)} (skipping cells flagged {" ".join(sorted(flags)) or "-"}) ...', flush=True)
        try: execute(path, flags)
        except RuntimeError as e: sys.exit(f'\n{e}\nFAILED: {path.relative_to(ROOT)} (left unchanged)')
        except (OSError, ValueError) as e: sys.exit(f'FAILED: {path.relative_to(ROOT)}: {" ".join(str(e).split())[:600]}')
    print('done')
