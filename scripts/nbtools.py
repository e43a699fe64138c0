"""Shared helpers for the notebook scripts: nbdev's skip rules, in-memory execution (with no stdin and a time limit per cell), quarto cell options."""
import contextlib, getpass, io, os, re, signal, sys, threading
from pathlib import Path

os.environ.setdefault('MPLBACKEND', 'Agg')   # never open plot windows
from execnb.shell import CaptureShell
from fastcore.xtras import working_directory
from nbdev.config import get_config

ROOT = Path(__file__).resolve().parents[1]
CFG = get_config(path=ROOT)
NBS = CFG.nbs_path


def sidebar(path=None)->list[tuple]:
    "nbs/sidebar.yml as (section, notebook path) pairs in its order; section None for a page outside any section."
    import yaml
    items = yaml.safe_load(Path(path or NBS/'sidebar.yml').read_text(encoding='utf-8'))['website']['sidebar']['contents']
    return [pair for i in items for pair in ([(None, NBS/i)] if isinstance(i, str) else
                                             [(i['section'], NBS/f) for f in i['contents']])]


def skip_flags(force=()):
    "settings.ini `tst_flags` (notest slow gpu timm), minus the flags forced to run"
    return set(CFG.tst_flags.split()) - set(force)


def no_eval(cell, flags):
    "True if nbdev's test_nb would not run `cell` (same rules); needs `cell.directives_`"
    if cell.cell_type != 'code': return True
    if 'nbdev_export'+'(' in cell.source: return True
    direc = getattr(cell, 'directives_', {}) or {}
    if direc.get('eval:', [''])[0].lower() == 'false': return True
    return bool(flags & direc.keys())


NO_STDIN = ("a notebook cell asked for input (input(), getpass or sys.stdin), but cells run here without stdin, as in a "
            "Jupyter kernel with allow_stdin=False: give the value in the cell instead")


class _NoStdin(io.TextIOBase):
    "A stdin whose every read fails at once with IPython's StdinNotImplementedError (never waits)."
    def _refuse(self, *args, **kwargs):
        from IPython.core.error import StdinNotImplementedError
        raise StdinNotImplementedError(NO_STDIN)
    read = readline = readlines = _refuse
    def readable(self): return True
    def fileno(self): raise io.UnsupportedOperation('no stdin here')


@contextlib.contextmanager
def no_stdin():
    "Inside the block Python's stdin refuses every read and file descriptor 0 is /dev/null (subprocesses read nothing)."
    saved_fd, null = os.dup(0), os.open(os.devnull, os.O_RDONLY)
    saved = sys.stdin, getpass.getpass
    def no_getpass(*args, **kwargs): _NoStdin()._refuse()
    try:
        os.dup2(null, 0)
        sys.stdin, getpass.getpass = _NoStdin(), no_getpass
        yield
    finally:
        sys.stdin, getpass.getpass = saved
        os.dup2(saved_fd, 0); os.close(saved_fd); os.close(null)


CELL_TIMEOUT = 1800   # seconds one cell may run: the slowest cells of nbs/ take a few minutes; a loop that never ends is stopped


@contextlib.contextmanager
def cell_alarm(seconds):
    "Inside the block, `arm()` starts a `seconds` countdown whose end raises TimeoutError in the running cell (main thread, POSIX)."
    if not hasattr(signal, 'SIGALRM') or threading.current_thread() is not threading.main_thread():
        yield lambda: None; return                                   # no alarms there: cells run without a limit
    def expired(signum, frame): raise TimeoutError(f"a cell ran for more than {seconds} s and was stopped (scripts/nbtools.py CELL_TIMEOUT)")
    before = signal.signal(signal.SIGALRM, expired)
    try: yield lambda: signal.setitimer(signal.ITIMER_REAL, seconds)
    finally: signal.setitimer(signal.ITIMER_REAL, 0); signal.signal(signal.SIGALRM, before)


def run_cells(nb, path, flags, setup=None, cell_timeout=CELL_TIMEOUT):
    "Run `nb`'s code cells in place (cwd = the notebook's folder), with no stdin and `cell_timeout` s per cell; skipped cells keep their stored outputs"
    k = CaptureShell(path, mpl_format='png')
    k.set_path(ROOT)     # like test_nb's basepath: this checkout's package comes first
    if setup: k.run_cell(setup)
    with working_directory(Path(path).parent), no_stdin(), cell_alarm(cell_timeout) as arm:
        def skip(cell):
            if no_eval(cell, flags): return True
            cell.outputs = []    # cells that run get fresh outputs
            arm()                # this cell's countdown
        try: k.run_all(nb, exc_stop=True, preproc=skip)
        except Exception: raise RuntimeError(k.prettytb(fname=path)) from None


_re_opt = re.compile(r'^\s*#\|\s*([\w-]+)\s*:\s*(.*?)\s*$')

def quarto_opts(cell):
    "Apply quarto cell options nbconvert ignores (echo/output/include: false) as tags, and drop `#|` lines"
    if cell.cell_type != 'code' or not cell.source: return
    lines = cell.source.splitlines()
    opts = dict(m.groups() for m in map(_re_opt.match, lines) if m)
    cell.source = '\n'.join(l for l in lines if not _re_opt.match(l)).strip()
    tags = {'echo': 'remove_input', 'output': 'remove_output', 'include': 'remove_cell'}
    cell.metadata['tags'] = cell.metadata.get('tags', []) + [t for o, t in tags.items() if opts.get(o, '').lower() == 'false']
    if not cell.source and not cell.get('outputs'): cell.metadata['tags'].append('remove_cell')


def title_md(fm):
    "nbdev frontmatter (title, description) as the markdown of a title cell"
    return '\n\n'.join([f"# {fm['title']}"] + ([f"> {fm['description']}"] if fm.get('description') else []))
