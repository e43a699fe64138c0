"""The explorer notebook in a real browser: JupyterLab on 127.0.0.1 driven through Debian's headless Chromium.

Starts `jupyter lab` (this venv) on a free port with a random token and throw-away Jupyter dirs, opens the notebook
(nbs/widgets/13_explorers.ipynb, or $SMLP_BROWSER_NB), runs all cells from the Run menu, moves the strip explorer's 'row'
slider with the keyboard and checks that its picture and status text changed; screenshots go to outputs/browser/.
The server refuses every save and the kernel's `nbdev_export()` is a no-op, so a run never writes to the repository.
The browser side is tests/browser/explorer.js (playwright-core). Set up with `bash scripts/setup_browser.sh`;
without chromium, node or playwright-core the test skips and says which is missing.
"""
import json, os, re, secrets, shutil, signal, socket, subprocess, sys, time, urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DRIVER = ROOT/'tests'/'browser'/'explorer.js'
PLAYWRIGHT = ROOT/'tests'/'browser'/'node_modules'/'playwright-core'/'package.json'
CHROMIUM = os.environ.get('CHROMIUM', '/usr/bin/chromium')
NOTEBOOK = Path(os.environ.get('SMLP_BROWSER_NB', ROOT/'nbs'/'widgets'/'13_explorers.ipynb')).resolve()
OUT = ROOT/'outputs'/'browser'
BUDGET = float(os.environ.get('SMLP_BROWSER_TIMEOUT', 180))   # seconds for the whole test, server start included
# JupyterLab settings for the run: never write the notebook back, no news or update pop-ups, every cell in the DOM
LAB_SETTINGS = {
    '@jupyterlab/docmanager-extension/plugin': {'autosave': False},
    '@jupyterlab/apputils-extension/notification': {'fetchNews': 'false', 'checkForUpdates': False},
    '@jupyterlab/notebook-extension/tracker': {'windowingMode': 'none'},
}
# IPython start-up code for the kernel: Run All runs the notebook's last cell too, but, as under nbdev_test,
# `nbdev_export()` must not rewrite the package while other tests import it
NO_EXPORT = '''try:
    import nbdev, nbdev.doclinks
    def _no_export(*args, **kwargs): print('nbdev_export() skipped: tests/test_browser.py')
    nbdev.nbdev_export = nbdev.doclinks.nbdev_export = _no_export
except ImportError: pass
'''
# Server configuration: the served folder is read-only through Jupyter, whatever the page does (pre-save hook)
READ_ONLY = '''from tornado.web import HTTPError
def refuse(model, path, contents_manager, **kwargs):
    raise HTTPError(403, f'read-only: tests/test_browser.py does not save {path}')
c.ContentsManager.pre_save_hook = refuse
'''
TOKEN = re.compile(r'token \((\d+), (\d+)\)')   # the status names the token: 'token (r, c)'


def missing_tools():
    "What the browser test lacks, as a skip reason ('' when nothing)."
    why = []
    if not os.access(CHROMIUM, os.X_OK): why.append(f'no chromium at {CHROMIUM}')
    if not shutil.which('node'): why.append('no node on PATH')
    if not PLAYWRIGHT.exists(): why.append('no playwright-core in tests/browser/node_modules')
    if not why: return ''
    return '; '.join(why) + ' (run `bash scripts/setup_browser.sh`)'


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]


def stop(proc, grace=10):
    "End `proc` and its process group (kernels, chromium): SIGTERM, then SIGKILL after `grace` seconds."
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5)):
        try: os.killpg(proc.pid, sig)
        except ProcessLookupError: return
        try: proc.wait(wait); return
        except subprocess.TimeoutExpired: pass


@contextmanager
def jupyter_lab(root, tmp, deadline):
    "A JupyterLab server on 127.0.0.1 serving `root`: yields (url, token, log path); always shut down on exit."
    token, port = secrets.token_hex(24), free_port()
    env = {k: v for k, v in os.environ.items() if k != 'MPLBACKEND'}   # tests/test_notebooks.py sets Agg
    dirs = {k: tmp/k.lower() for k in ('JUPYTER_CONFIG_DIR', 'JUPYTER_DATA_DIR', 'JUPYTER_RUNTIME_DIR',
                                        'JUPYTERLAB_SETTINGS_DIR', 'JUPYTERLAB_WORKSPACES_DIR', 'IPYTHONDIR')}
    for k, d in dirs.items(): d.mkdir(parents=True); env[k] = str(d)
    for name, value in LAB_SETTINGS.items():
        f = dirs['JUPYTERLAB_SETTINGS_DIR']/f'{name}.jupyterlab-settings'
        f.parent.mkdir(parents=True, exist_ok=True); f.write_text(json.dumps(value))
    (dirs['JUPYTER_CONFIG_DIR']/'jupyter_server_config.py').write_text(READ_ONLY)
    startup = dirs['IPYTHONDIR']/'profile_default'/'startup'
    startup.mkdir(parents=True); (startup/'00-no-export.py').write_text(NO_EXPORT)
    cmd = [sys.executable, '-m', 'jupyterlab', '--no-browser', '--ip=127.0.0.1', f'--port={port}',
           '--ServerApp.port_retries=0', f'--IdentityProvider.token={token}', f'--ServerApp.root_dir={root}',
           '--LabApp.news_url=None', '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
           '--LabApp.extension_manager=readonly'] + (['--allow-root'] if os.geteuid() == 0 else [])
    log = OUT/'jupyterlab.log'
    with open(log, 'w') as logf:
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=logf, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    url = f'http://127.0.0.1:{port}'
    try:
        while True:   # up when the REST API answers
            if proc.poll() is not None: pytest.fail(f'jupyter lab exited ({proc.returncode}):\n{tail(log)}')
            if time.monotonic() > deadline: pytest.fail(f'jupyter lab did not start in time:\n{tail(log)}')
            try:
                with urllib.request.urlopen(f'{url}/api/status?token={token}', timeout=5): break
            except OSError: time.sleep(0.5)
        yield url, token, log
    finally:
        try:   # the polite way first: the server shuts its kernels down
            req = urllib.request.Request(f'{url}/api/shutdown', method='POST', headers={'Authorization': f'token {token}'})
            urllib.request.urlopen(req, timeout=5).close()
            proc.wait(15)
        except (OSError, subprocess.TimeoutExpired): pass
        stop(proc)


def tail(path, n=40):
    try: return '\n'.join(Path(path).read_text(errors='replace').splitlines()[-n:])
    except OSError: return ''


def test_explorer_in_browser(tmp_path):
    why = missing_tools()
    if why: pytest.skip(why)
    if not NOTEBOOK.exists(): pytest.skip(f'no notebook {NOTEBOOK} (set SMLP_BROWSER_NB to another)')
    deadline = time.monotonic() + BUDGET
    OUT.mkdir(parents=True, exist_ok=True)
    for f in OUT.glob('*.png'): f.unlink()
    with jupyter_lab(NOTEBOOK.parent, tmp_path, deadline) as (url, token, log):
        args = dict(url=url, token=token, notebook=NOTEBOOK.name, outdir=str(OUT), chromium=CHROMIUM,
                    userDataDir=str(tmp_path/'chromium-profile'),
                    timeoutMs=int(1000*(deadline - time.monotonic() - 20)))   # 20 s left to shut down
        node = subprocess.Popen(['node', str(DRIVER), json.dumps(args)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        try: out, err = node.communicate(timeout=max(args['timeoutMs']/1000 + 10, 10))
        except subprocess.TimeoutExpired:
            stop(node, grace=2); out, err = node.communicate()
            pytest.fail(f'browser driver timed out\n--- driver\n{err[-3000:]}\n--- jupyter\n{tail(log)}')
        (OUT/'driver.log').write_text(err)
        if node.returncode != 0:
            pytest.fail(f'browser driver failed ({node.returncode}):\n{err[-4000:]}\n--- jupyter\n{tail(log)}',
                        pytrace=False)
    r = json.loads(out.strip().splitlines()[-1])
    b, a = r['before'], r['after']
    assert not r['errors'], f'the notebook showed errors: {r["errors"]}'
    assert a['readout'] != b['readout'], f'the row slider did not move: {b["readout"]} -> {a["readout"]}'
    assert b['png'] and a['png'], 'the footprint is not a PNG image'
    assert a['src'] != b['src'] and a['sha256'] != b['sha256'], 'the footprint image did not change'
    assert a['status'] != b['status'], f'the status did not change: {a["status"]!r}'
    tb, ta = TOKEN.search(b['status']), TOKEN.search(a['status'])
    assert tb and ta, f'no "token (r, c)" in the status: {b["status"]!r} -> {a["status"]!r}'
    assert (int(tb[1]), int(ta[1])) == (int(b['readout']), int(a['readout'])) and tb[2] == ta[2], \
        f'the status does not follow the row slider ({b["readout"]} -> {a["readout"]}): {tb[0]} -> {ta[0]}'
    for f in r['screenshots']: assert Path(f).stat().st_size > 1000, f
