"""Argument checks the helper scripts share: one-line errors a user can act on, given before any work starts.

No torch or nbdev import here: the scripts that import this stay quick to refuse a bad argument."""
import argparse, os, sys, tempfile, traceback
from pathlib import Path

MAX_THREADS = 1024   # more crash PyTorch's thread pool (as `strip-mlp --threads` says)


class OneLineParser(argparse.ArgumentParser):
    "argparse whose errors are one line (exit status 2): the usage is one `--help` away."
    def error(self, message:str):
        message = ' '.join(message.splitlines())   # a name with a newline that slipped through still gives one line
        self.exit(2, f"{self.prog}: error: {message} ({self.prog} --help shows the usage)\n")


def threads(text:str)->int:
    "An argparse type: a number of CPU threads, 1 to MAX_THREADS."
    try: n = int(text)
    except ValueError: raise argparse.ArgumentTypeError(f"expected a whole number of threads, got {text!r}") from None
    if not 1 <= n <= MAX_THREADS: raise argparse.ArgumentTypeError(f"expected 1 to {MAX_THREADS} threads, got {n}")
    return n


def int_list(text:str, name:str, lo:int=1, hi:int|None=None, allow_empty:bool=False)->list[int]:
    "Comma-separated whole numbers in [lo, hi], or a ValueError naming the option."
    try: values = [int(v) for v in text.split(',') if v.strip()]
    except ValueError: raise ValueError(f"{name} must be comma-separated whole numbers, got {text!r}") from None
    if not values and not allow_empty: raise ValueError(f"{name} names no value: give at least one, e.g. {name} 1")
    if bad := [v for v in values if v < lo or (hi is not None and v > hi)]:
        raise ValueError(f"{name} must be whole numbers from {lo}{f' to {hi:,}' if hi is not None else ' up'}, got {bad[0]}")
    return values


def quoted(name)->str:
    "`name` as it is, or quoted (repr) when it holds a newline or another character that does not print: a message stays one line."
    text = str(name)
    return text if text.isprintable() else repr(text)


def shown(names, n:int=5)->str:
    "At most `n` names (odd ones quoted), then how many more."
    names = list(names)
    return ', '.join(quoted(q) for q in names[:n]) + (f' and {len(names) - n} more' if len(names) > n else '')


def replace_file(path, data:bytes):
    """`data` written as the file `path` by replacing the name (a temporary file beside it, then os.replace): whatever was
    there (a link included) is replaced, never written through, and an interrupted write leaves the old file whole."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f'.{path.name}.', suffix='.tmp')
    try:
        with os.fdopen(fd, 'wb') as f: f.write(data)
        os.chmod(tmp, 0o666 & ~_umask())      # mkstemp makes it 0600: give it the mode a plain write would
        os.replace(tmp, path)
    except BaseException:
        try: os.unlink(tmp)
        except OSError: pass
        raise


def _umask()->int:
    mask = os.umask(0); os.umask(mask)
    return mask


def _kind(path:Path)->str:
    return 'a directory' if path.is_dir() else 'a FIFO' if path.is_fifo() else 'a device or socket'


def _on_kernel_fs(path:Path)->bool:
    "Whether the existing `path` lies on /proc or /sys, where files cannot be created (and reads may block)."
    try: dev = path.stat().st_dev
    except OSError: return False
    return any(os.path.isdir(r) and os.stat(r).st_dev == dev for r in ('/proc', '/sys'))


def destination_problem(path, create_folders:bool=False)->str|None:
    """Why a result file cannot be written at `path` (None: it can), found before any work is done: a directory, FIFO or
    device there, a missing or unwritable folder. `create_folders`: a missing folder is fine if it can be created."""
    path = Path(path)
    if not path.name or path.name in ('.', '..'): return f"{quoted(path)} names no file: give a file name, e.g. {quoted(path)}/results.json"
    if os.path.lexists(path) and not (path.is_symlink() or path.is_file()):
        return f"{quoted(path)} is {_kind(path)}, not a file: it is not replaced; choose a file name"
    folder = path.parent
    while not folder.exists() and create_folders and folder != folder.parent: folder = folder.parent
    if not folder.exists(): return f"the folder {quoted(path.parent)} does not exist: create it, or choose another path for {quoted(path.name)}"
    if not folder.is_dir(): return f"{quoted(folder)} is a file, not a folder: {quoted(path)} cannot be written"
    if _on_kernel_fs(folder): return f"{quoted(folder)} is a kernel file system (/proc or /sys): {quoted(path)} cannot be written there"
    try: fd, probe = tempfile.mkstemp(dir=folder, prefix=f'.{path.name}.', suffix='.probe')
    except OSError as e: return f"{quoted(path)} cannot be written: {e.strerror or e} in {quoted(folder)}"
    os.close(fd); os.unlink(probe)
    return None


def guarded(prog:str, body, debug:bool=False)->int:
    "Run `body()`: an exception becomes one line on stderr (the traceback with --debug), Ctrl-C one line and 130."
    try: return body() or 0
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr); return 130
    except SystemExit: raise
    except Exception as e:
        if debug: traceback.print_exc()
        lines = [l.strip() for l in str(e).splitlines() if l.strip()]
        text = '; '.join(lines)[:600] or type(e).__name__
        kind = '' if isinstance(e, (ValueError, OSError)) else f'{type(e).__name__}: '
        print(f"{prog}: error: {kind}{text}" + ('' if debug else ' (--debug shows the traceback)'), file=sys.stderr)
        return 1
