"The helper scripts behave as their usage says, on this machine."
import json, os, shutil, subprocess, sys, time
from pathlib import Path
import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'scripts'))   # benchmark.py and gpu_check.py import as modules


@pytest.mark.skipif(torch.cuda.is_available(), reason='with CUDA the check runs for minutes: run scripts/gpu_check.sh by hand')
def test_gpu_check_without_cuda():
    r = subprocess.run(['bash', str(ROOT / 'scripts' / 'gpu_check.sh')], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip().splitlines()[-1] == 'no CUDA device: nothing to check', r.stdout


def test_benchmark_before_after_time_table_and_quiet_log(tmp_path):
    """A tiny run (one benchmark process: each takes minutes on 2 cores). --before times another copy of the package with
    our weights (here: this checkout, so equal logits); the time table has every category and a total for both; every
    table names the CPU and PyTorch's CPU capability, also under dispatch caps; no progress when stderr is a file."""
    env = {**os.environ, 'ATEN_CPU_CAPABILITY': 'avx2'}
    r = subprocess.run([sys.executable, str(ROOT / 'scripts' / 'benchmark.py'), '--settings', '32:2', '--modes', 'eager',
                        '--repeats', '1', '--warmup', '1', '--profile', '--profile-rounds', '1', '--profile-steps', '1', '--before', str(ROOT),
                        '--json', str(tmp_path / 'b.json')], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    from benchmark import CATEGORIES
    lines = r.stdout.splitlines()
    assert '# before 32:2: max |logits ours - before| = 0' in lines, r.stdout[:2000]
    assert [l.split()[2] for l in lines if l.startswith('32:2     eager')] == ['before', 'ours'], r.stdout[-1500:]
    start = next(i for i, l in enumerate(lines) if l.startswith('# where the time of one train step goes, 32:2'))
    assert lines[start + 2].startswith('category') and 'before ms' in lines[start + 2] and 'ours ms' in lines[start + 2]
    table = lines[start + 3:start + 4 + len(CATEGORIES)]
    assert [l[:36].strip() for l in table] == [*CATEGORIES, 'total'], table
    assert all(float(v) > 0 for v in table[-1].split()[1:])
    cap = torch.backends.cpu.get_cpu_capability() if torch.backends.cpu.get_cpu_capability() == 'DEFAULT' else 'AVX2'
    machine = [l for l in lines if l.startswith('# measured on: ')]
    assert len(machine) == 2 and all(f'PyTorch CPU capability {cap}, capped by ATEN_CPU_CAPABILITY=avx2' in l for l in machine), machine
    info = json.loads((tmp_path / 'b.json').read_text())['info']
    assert info['cpu_capability'] == cap and info['isa_caps'] == 'ATEN_CPU_CAPABILITY=avx2', info
    assert '\r' not in r.stderr and '[1/' not in r.stderr, r.stderr[-500:]


def test_official_drop_path_stand_in(tmp_path):
    "Without timm the official code gets a DropPath that runs timm's operations: one pass over x, its values ours."
    (tmp_path / 'strip_mlp.py').write_text('from timm.models.layers import DropPath\n')
    from benchmark import load_official
    from strip_mlp_nb.layers.blocks import DropPath as OurDropPath
    official = load_official(tmp_path / 'strip_mlp.py').DropPath(0.3).train()
    x = torch.randn(64, 3, 4, 4, requires_grad=True)
    torch.manual_seed(0); y = official(x)
    torch.manual_seed(0); expected = OurDropPath(0.3).train()(x)
    torch.testing.assert_close(y, expected, rtol=0, atol=0)
    assert 0 < (y == 0).all(dim=(1, 2, 3)).sum() < 64                     # some images dropped, not all
    assert y.grad_fn.name() == 'MulBackward0'                              # x * mask: no second full-size op
    assert [type(f).__name__ if f else None for f, _ in y.grad_fn.next_functions] == ['AccumulateGrad', None]
    assert official.eval()(x) is x


def test_ratio_interval():
    "The bootstrap interval of a speed ratio: exact for constant times, around the point ratio, wider with noisier runs."
    from benchmark import ratio_interval
    assert ratio_interval([2.0] * 10, [1.0] * 10) == (2.0, 2.0)
    g = torch.Generator().manual_seed(0)
    ours = (1.0 + 0.05 * torch.randn(10, generator=g)).tolist()
    official = (1.5 + 0.05 * torch.randn(10, generator=g)).tolist()
    lo, hi = ratio_interval(official, ours)
    point = sorted(official)[4:6], sorted(ours)[4:6]
    assert lo < (sum(point[0]) / 2) / (sum(point[1]) / 2) < hi and 1.3 < lo < hi < 1.7, (lo, hi)
    noisy = (1.5 + 0.3 * torch.randn(10, generator=g)).tolist()
    lo2, hi2 = ratio_interval(noisy, ours)
    assert hi2 - lo2 > hi - lo, ((lo, hi), (lo2, hi2))


def fake_cuda(monkeypatch, gpus=2):
    "torch.cuda made to say it has `gpus` GPUs of 80 GiB, all free (nothing runs on them: the tests only parse and plan)."
    for name, value in dict(is_available=lambda: True, device_count=lambda: gpus, get_device_name=lambda i=0: 'fake GPU',
                            is_bf16_supported=lambda: True, mem_get_info=lambda i=0: (80 << 30, 80 << 30)).items():
        monkeypatch.setattr(torch.cuda, name, value)


def test_gpu_check_steps_with_fake_cuda(tmp_path, monkeypatch):
    "The CUDA branch's wiring, without a GPU: every step's command parses with the real parsers, quickest steps first."
    import gpu_check, benchmark
    from strip_mlp_nb.cli import build_parser, config_from_args
    fake_cuda(monkeypatch)
    official = tmp_path / 'Strip_MLP' / 'models' / 'strip_mlp.py'
    official.parent.mkdir(parents=True); official.write_text('class StripMLPNet: pass\n')
    seen = []
    def fake_run(cmd, timeout, env=None):
        seen.append(cmd)
        assert timeout > 0
        if cmd[1] == 'scripts/benchmark.py':
            a = benchmark.parse_args(cmd[2:])
            assert a.device == torch.device('cuda') and a.official == tmp_path / 'Strip_MLP' and a.progress is False
            a.json.write_text('{"results": []}')
        elif cmd[1] == 'scripts/execute_nbs.py':
            assert cmd[2:4] == ['--flags', 'gpu'] and cmd[4:] and all((ROOT / n).is_file() for n in cmd[4:])
        else:
            args = cmd[cmd.index('strip_mlp_nb.cli') + 1:]
            parsed = build_parser().parse_args(args)
            assert parsed.command == 'train' and config_from_args(parsed)[2].amp == 'auto'   # the recipe and --set resolve
            assert cmd[0].endswith('torchrun') == ('--nproc_per_node' in cmd)
        return 0, 'ok'
    monkeypatch.setattr(gpu_check, 'run_group', fake_run)
    assert gpu_check.main(['--official', str(tmp_path / 'Strip_MLP'), '--json', str(tmp_path / 'g.json')]) == 0
    steps = [r['step'] for r in json.loads((tmp_path / 'g.json').read_text())['results']]
    assert steps == ['1 epoch, AMP, embedded data', 'DDP over 2 GPUs (NCCL)', 'benchmark fp32, eager',
                     'benchmark bf16 autocast, eager', 'notebook cells flagged gpu', 'benchmark fp32, compiled'], steps
    assert [c for c in seen if '--amp' in c] and [c for c in seen if 'eager,compile' in c][0] is seen[-1]


def parse_error(parse, argv, capsys)->str:
    "The one-line error `parse(argv)` exits with (status 2), as the user sees it."
    with pytest.raises(SystemExit) as e: parse(argv)
    err = capsys.readouterr().err.strip()
    assert e.value.code == 2 and len(err.splitlines()) == 1 and 'Traceback' not in err, err
    return err


# Class 1: deletes or replaces files that are not its own

def test_build_docs_replaces_only_the_files_its_manifest_lists(tmp_path):
    "A build's manifest lists what it wrote: the next build replaces exactly those; any other file is refused, named."
    import build_docs as b
    site = tmp_path / 'site'
    def build(files):
        def write(stage):
            for rel, text in files.items(): (stage / rel).parent.mkdir(parents=True, exist_ok=True); (stage / rel).write_text(text)
        return b.install(site, b.docs_owned(site), write)
    assert build({'index.html': '1', 'explorers/attribution/0-ig-0-0.png': 'p'}) == {'index.html', 'explorers/attribution/0-ig-0-0.png'}
    listed = [l for l in (site / b.MARKER).read_text().splitlines() if not l.startswith('#')]
    assert listed == ['explorers/attribution/0-ig-0-0.png', 'index.html'] and not (site / b.STAGING).exists()
    build({'index.html': '2', 'page.html': 'p'})                      # the old picture goes, and its emptied folders
    assert sorted(p.name for p in site.iterdir()) == [b.MARKER, 'index.html', 'page.html'] and (site / 'index.html').read_text() == '2'
    (site / 'photos').mkdir(); (site / 'photos' / 'a.jpg').write_text('x'); (site / 'report.pdf').write_text('keep')
    with pytest.raises(b.DocsFolderError, match=r'did not write \(photos/, report\.pdf\)'): b.docs_owned(site)
    assert (site / 'report.pdf').read_text() == 'keep' and (site / 'photos' / 'a.jpg').exists()
    (site / b.MARKER).write_text('written by scripts/build_docs.py: rebuilt (deleted and written again) on every run\n')   # an older build
    (site / 'photos' / 'a.jpg').unlink(); (site / 'photos').rmdir(); (site / 'report.pdf').unlink()
    with pytest.raises(b.DocsFolderError, match=r'\(page\.html\)'): b.docs_owned(site)   # no page of nbs/sidebar.yml has that name
    (site / 'page.html').unlink()
    assert b.docs_owned(site) == {'index.html'} and build({'index.html': '3'}) == {'index.html'}


def test_build_docs_default_folder_is_guarded_too(tmp_path, monkeypatch, capsys):
    "The default _docs/ gets the --out checks: a user's file stops the build before anything is read; a file or FIFO as --out is one line."
    import build_docs as b
    (tmp_path / 'my_notes.txt').write_text('my notes')
    monkeypatch.setattr(b, 'DOCS_DEFAULT', tmp_path)
    monkeypatch.setattr(b, 'sidebar', lambda: pytest.fail('read the notebooks before checking the folder'))
    with pytest.raises(b.DocsFolderError, match=r'did not write \(my_notes\.txt\)'): b.main(set(), stored=True, only={'index'})
    assert (tmp_path / 'my_notes.txt').read_text() == 'my notes'
    os.mkfifo(tmp_path / 'fifo')
    with pytest.raises(b.DocsFolderError, match='is a FIFO, not a folder'): b.docs_owned(tmp_path / 'fifo')
    with pytest.raises(b.DocsFolderError, match='is a file, not a folder'): b.docs_owned(tmp_path / 'my_notes.txt')


def test_build_readme_deletes_only_the_pictures_it_wrote(tmp_path):
    "Pictures the previous README showed and the new one does not are deleted; a user's readme_*.png and a README not ours are kept."
    import build_readme as br
    images = tmp_path / 'nbs' / 'images'; images.mkdir(parents=True)
    (images / 'readme_old_0.png').write_bytes(b'old'); (images / 'readme_my_diagram.png').write_bytes(b'mine')
    (tmp_path / 'README.md').write_text(br.HEADER + '![figure](nbs/images/readme_old_0.png)\n')
    written, deleted = br.write_readme(br.HEADER + 'new\n', {'nbs/images/readme_new_0.png': b'new'}, root=tmp_path)
    assert deleted == ['nbs/images/readme_old_0.png'] and sorted(p.name for p in images.iterdir()) == ['readme_my_diagram.png', 'readme_new_0.png']
    (tmp_path / 'README.md').write_text('# my own readme\n')
    with pytest.raises(ValueError, match='did not write it'): br.write_readme(br.HEADER, {}, root=tmp_path)
    (tmp_path / 'README.md').write_text(br.HEADER)
    with pytest.raises(ValueError, match='readme_my_diagram.png'): br.write_readme(br.HEADER, {'nbs/images/readme_my_diagram.png': b'x'}, root=tmp_path)
    assert (tmp_path / 'README.md').read_text() == br.HEADER and (images / 'readme_my_diagram.png').read_bytes() == b'mine'


def test_build_readme_replaces_a_link_at_its_picture_never_writes_through(tmp_path):
    "A link at a picture's name (one the previous README showed) is replaced by the picture: the file it points to, outside, is unchanged."
    import build_readme as br
    outside = tmp_path / 'outside'; outside.mkdir(); (outside / 'mine.png').write_bytes(b'MY OWN FILE')
    (outside / 'same.png').write_bytes(b'png')
    root = tmp_path / 'repo'; images = root / 'nbs' / 'images'; images.mkdir(parents=True)
    (root / 'README.md').write_text(br.HEADER + '![figure](nbs/images/readme_abc_0.png)\n![figure](nbs/images/readme_abc_1.png)\n')
    (images / 'readme_abc_0.png').symlink_to(outside / 'mine.png')
    (images / 'readme_abc_1.png').symlink_to(outside / 'same.png')    # already the right bytes, but through a link
    pics = {'nbs/images/readme_abc_0.png': b'png', 'nbs/images/readme_abc_1.png': b'png'}
    assert br.write_readme(br.HEADER + 'new\n', pics, root=root) == (list(pics), [])
    assert (outside / 'mine.png').read_bytes() == b'MY OWN FILE' and (outside / 'same.png').read_bytes() == b'png'
    for p in pics: assert not (root / p).is_symlink() and (root / p).read_bytes() == b'png'
    assert (root / 'README.md').read_text() == br.HEADER + 'new\n' and not list(images.glob('.*.tmp'))
    (images / 'readme_new_0.png').symlink_to(outside / 'created.png')  # a dangling link the old README did not show: refused
    with pytest.raises(ValueError, match='readme_new_0.png exist'): br.write_readme(br.HEADER, {'nbs/images/readme_new_0.png': b'png'}, root=root)
    assert not (outside / 'created.png').exists() and (images / 'readme_new_0.png').is_symlink()
    (root / 'README.md').unlink(); (root / 'README.md').symlink_to(outside / 'mine.png')
    with pytest.raises(ValueError, match='not a regular file'): br.write_readme(br.HEADER, {}, root=root)
    assert (outside / 'mine.png').read_bytes() == b'MY OWN FILE'


def test_build_readme_help_and_unknown_options_write_nothing():
    "--help prints the usage and an unknown option is refused in one line; neither touches README.md or nbs/images."
    before = {p: p.stat().st_mtime_ns for p in [ROOT / 'README.md', *(ROOT / 'nbs' / 'images').glob('readme_*.png')]}
    for args, rc in ((['--help'], 0), (['--stdot'], 2)):
        r = subprocess.run([sys.executable, str(ROOT / 'scripts' / 'build_readme.py'), *args], capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert r.returncode == rc, r.stderr[-1000:]
        assert ('usage:' in r.stdout) if rc == 0 else (r.stderr.count('\n') == 1 and 'unrecognized arguments: --stdot' in r.stderr), r
    assert before == {p: p.stat().st_mtime_ns for p in [ROOT / 'README.md', *(ROOT / 'nbs' / 'images').glob('readme_*.png')]}


def test_benchmark_attribution_leaves_the_stored_file_to_the_full_run(tmp_path, capsys):
    "A partial run without --json is refused (the stored benchmark is not replaced); the full default run still writes it."
    import benchmark_attribution as ba
    stored = ba.STORED.read_bytes()
    err = parse_error(ba.parse_args, ['--batches', '1', '--repeats', '1'], capsys)
    assert '--batches, --repeats make a partial run: give --json PATH' in err, err
    assert ba.STORED.read_bytes() == stored
    a = ba.parse_args(['--threads', '1'])                             # the documented command that regenerates it
    assert a.json == ba.STORED and a.stored
    assert ba.parse_args(['--batches', '1', '--json', str(tmp_path / 'b.json')]).json == tmp_path / 'b.json'


# Class 2: memory balloons from small inputs

def test_benchmark_settings_checked_before_anything_is_allocated(capsys):
    "Settings over the config's limits or over the memory bound are refused at parse time, from the meta device's shapes."
    import benchmark
    base = ['--modes', 'eager', '--num-classes', '10', '--settings']
    assert 'needs about' in parse_error(benchmark.parse_args, [*base, '32:100000000'], capsys)
    err = parse_error(benchmark.parse_args, [*base, '4096:2'], capsys)
    assert err.startswith('benchmark.py: error: --settings 4096:2: needs about') and 'parameters' in err, err
    assert 'too small for patch_size' in parse_error(benchmark.parse_args, [*base, '8:2'], capsys)
    assert "LIMITS['tokens_per_side']" in parse_error(benchmark.parse_args, [*base, '20000:2'], capsys)
    assert 'more than --max-memory 0.001 GiB' in parse_error(benchmark.parse_args, [*base, '32:2', '--max-memory', '0.001'], capsys)
    assert benchmark.parse_args([*base, '32:2']).settings == [(32, 2)]


def test_benchmark_memory_refusal_names_the_option_that_matters(capsys):
    "When the parameters (a huge head) are over --max-memory, the refusal names --num-classes, not the image size or batch; no Python advice."
    import benchmark
    base = ['--modes', 'eager', '--max-memory', '3', '--settings', '32:2']
    err = parse_error(benchmark.parse_args, [*base, '--num-classes', '1048576'], capsys)
    assert 'parameters alone' in err and 'a smaller --num-classes' in err and 'smaller image size' not in err, err
    err = parse_error(benchmark.parse_args, ['--modes', 'eager', '--num-classes', '10', '--settings', '32:100000000'], capsys)
    assert 'choose a smaller image size or batch' in err and '--num-classes' not in err, err
    err = parse_error(benchmark.parse_args, ['--modes', 'eager', '--num-classes', '10', '--settings', '32:1'], capsys)
    assert 'a train step needs a batch of 2 or more' in err and 'e.g. --settings 32:2' in err and 'model.eval' not in err, err


# Class 3: something waits forever

def test_gpu_check_step_kills_its_whole_process_group(tmp_path):
    "A step that runs out of time takes its children with it; a child left in the background neither holds the step nor survives."
    import gpu_check
    pids = tmp_path / 'pids'
    start = time.monotonic()
    rc, _ = gpu_check.run_group(['bash', '-c', f'sleep 300 & echo $! >> {pids}; sleep 301'], timeout=1)
    rc2, out = gpu_check.run_group(['bash', '-c', f'(sleep 302 & echo $! >> {pids}); echo done'], timeout=60)
    assert rc is None and (rc2, out) == (0, 'done\n') and time.monotonic() - start < 30
    time.sleep(0.5)
    for pid in map(int, pids.read_text().split()):
        assert not Path(f'/proc/{pid}').exists() or 'Z' in Path(f'/proc/{pid}/stat').read_text().split(')')[1].split()[0], pid


def write_notebook(path, *sources):
    "A notebook of one code cell per source string, written to `path`."
    cells = [{"cell_type": "code", "execution_count": None, "id": f"a{i}", "metadata": {}, "outputs": [], "source": src}
             for i, src in enumerate(sources, 1)]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))


def test_notebook_cells_get_no_stdin(tmp_path):
    "A cell calling input() fails at once, as in a kernel with allow_stdin=False, even while the parent's stdin is an open pipe."
    write_notebook(tmp_path / 'ask.ipynb', "import subprocess\nprint(repr(subprocess.run(['cat'], capture_output=True, timeout=30).stdout))",
                   "x = input('name? ')")
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from execnb.nbio import read_nb; from nbtools import run_cells\n"
            "nb = read_nb(sys.argv[2])\nfor c in nb.cells: c.directives_ = {}\n"
            "try: run_cells(nb, sys.argv[2], set())\nexcept RuntimeError as e: print('FAILED', str(e)[-300:])\n"
            "print('first cell:', nb.cells[0].outputs[0]['text'])")
    proc = subprocess.Popen([sys.executable, '-c', code, str(ROOT / 'scripts'), str(tmp_path / 'ask.ipynb')], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try: out, err = proc.communicate(timeout=120)      # stdin stays open: the cells must not wait on it
    finally: proc.kill()
    assert 'FAILED' in out and 'StdinNotImplementedError' in out and 'allow_stdin=False' in out, out + err[-2000:]
    assert "b''" in out.split('first cell:')[1], out                    # a subprocess of a cell reads an empty stdin


def test_a_cell_that_never_ends_is_stopped(tmp_path):
    "A cell past its time limit fails with TimeoutError (here a limit of 1 s and a cell that sleeps 60 s); the cells before it ran."
    write_notebook(tmp_path / 'slow.ipynb', "print('before')", "import time\ntime.sleep(60)")
    code = ("import sys, time; sys.path.insert(0, sys.argv[1]); from execnb.nbio import read_nb; from nbtools import run_cells\n"
            "nb = read_nb(sys.argv[2])\nfor c in nb.cells: c.directives_ = {}\nt = time.monotonic()\n"
            "try: run_cells(nb, sys.argv[2], set(), cell_timeout=1)\nexcept RuntimeError as e: print('FAILED', str(e)[-300:])\n"
            "print('elapsed=%d' % round(time.monotonic() - t)); print('first cell:', nb.cells[0].outputs[0]['text'])")
    out = subprocess.run([sys.executable, '-c', code, str(ROOT / 'scripts'), str(tmp_path / 'slow.ipynb')], capture_output=True,
                         text=True, timeout=120).stdout
    assert 'FAILED' in out and 'ran for more than 1 s and was stopped' in out and 'before' in out.split('first cell:')[1], out
    assert int(out.split('elapsed=')[1].split()[0]) < 30, out


def test_benchmark_json_destination_checked_before_timing(tmp_path, capsys):
    "A --json that cannot be written (a folder, a missing folder, a FIFO, /proc) is refused before anything is timed."
    import benchmark
    os.mkfifo(tmp_path / 'fifo')
    base = ['--settings', '32:2', '--modes', 'eager', '--json']
    assert 'is a directory, not a file' in parse_error(benchmark.parse_args, [*base, str(tmp_path)], capsys)
    assert 'does not exist: create it' in parse_error(benchmark.parse_args, [*base, str(tmp_path / 'nope' / 'x.json')], capsys)
    assert 'is a FIFO, not a file' in parse_error(benchmark.parse_args, [*base, str(tmp_path / 'fifo')], capsys)
    assert '/proc/x.json cannot be written' in parse_error(benchmark.parse_args, [*base, '/proc/x.json'], capsys)


# Class 4: a wrong number, or a success, in silence

def test_benchmark_refuses_options_that_do_nothing(tmp_path, capsys, monkeypatch):
    "Options that would be ignored are refused: they would make a table that does not measure what was asked."
    import benchmark
    A = ['--settings', '32:2']
    cases = {('--modes', 'eager', '--official-modes', 'channels_last', '--before', str(ROOT)): 'is not in --modes eager',
             ('--modes', 'eager', '--official-modes', 'eager'): 'does nothing without --official or --before',
             ('--modes', 'compile', '--before', str(ROOT)): '--modes lacks eager',
             ('--modes', ','): '--modes names no mode',
             ('--modes', 'eager', '--threads', '0'): 'expected 1 to 1024 threads, got 0',
             ('--modes', 'eager', '--profile-steps', '1'): '--profile-steps does nothing without --profile',
             ('--modes', 'eager', '--compile-backend', 'inductor'): '--compile-backend does nothing without a compile mode',
             ('--modes', 'compile', '--compile-backend', 'bogus'): "'bogus' is not a torch.compile backend",
             ('--modes', 'eager', '--warmup', '0'): '--warmup must be >= 1'}
    for args, message in cases.items(): assert message in parse_error(benchmark.parse_args, [*A, *args], capsys), args
    assert 'a train step needs a batch of 2 or more' in parse_error(benchmark.parse_args, ['--settings', '32:1', '--modes', 'eager'], capsys)
    fake_cuda(monkeypatch, gpus=1)
    assert '--profile measures CPU time only' in parse_error(benchmark.parse_args, [*A, '--device', 'cuda', '--profile'], capsys)
    assert 'there are 1 CUDA device(s)' in parse_error(benchmark.parse_args, [*A, '--device', 'cuda:3'], capsys)


def test_benchmark_exits_nonzero_when_nothing_was_measured(monkeypatch, capsys):
    "A mode that cannot be set up (e.g. torch.compile failing) is reported as failed and the run goes on; if nothing was measured, exit 1."
    import benchmark
    def broken(base, mode, backend): raise RuntimeError(f'{mode} cannot be set up here')
    monkeypatch.setattr(benchmark, 'prepare', broken)
    assert benchmark.main(['--settings', '32:2', '--modes', 'eager', '--repeats', '1', '--warmup', '1', '--num-classes', '10']) == 1
    out, err = capsys.readouterr()
    assert [l.split() for l in out.splitlines() if l.startswith('32:2 ')] == [['32:2', 'eager', 'ours', 'fails', 'fails', '-', '-', '-', '-']], out
    assert '# 32:2 eager ours train failed: RuntimeError: eager cannot be set up here' in out and 'nothing was measured' in err, err


def test_build_docs_refuses_unknown_page_names(tmp_path):
    "--only with a name that is no page of nbs/sidebar.yml is refused in one line (with the likely name), nothing written."
    r = subprocess.run([sys.executable, str(ROOT / 'scripts' / 'build_docs.py'), '--stored', '--only', 'index', '02_strip_layr', '--out',
                        str(tmp_path / 'site')], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 2 and r.stderr.count('\n') == 1 and 'no page named 02_strip_layr' in r.stderr, r.stderr[-2000:]
    assert 'did you mean 02_strip_layer?' in r.stderr and not (tmp_path / 'site').exists()


def test_gpu_check_budget_too_small_is_not_a_pass(tmp_path, monkeypatch, capsys):
    "A --budget too small for any step is refused; a step skipped for lack of time makes the check fail."
    import gpu_check
    assert '--budget must be at least 60 seconds' in parse_error(gpu_check.main, ['--budget', '-5'], capsys)
    assert '--budget must be at least 60 seconds' in parse_error(gpu_check.main, ['--budget', '20'], capsys)
    assert '--json: ' in parse_error(gpu_check.main, ['--json', str(tmp_path)], capsys)
    fake_cuda(monkeypatch, gpus=1)
    monkeypatch.setattr(gpu_check, 'MIN_STEP', 10**9)                  # no step has time left
    monkeypatch.setattr(gpu_check, 'run_group', lambda *a, **k: pytest.fail('a step ran'))
    assert gpu_check.main(['--json', str(tmp_path / 'g.json')]) == 1
    assert 'not run for lack of time (raise --budget)' in capsys.readouterr().out


@pytest.mark.skipif(not shutil.which('node'), reason='node is not installed: the pages\' exercise checker is not run')
def test_exercise_checker_never_reads_a_comma_as_nothing():
    "The docs' answer box: '2,4' is not 24 (nor 18,24 a wrong 1824), no hex or binary literals; plain decimals still answer."
    cases = [('int', 24, '2,4'), ('number', 18.24, '18,24'), ('int', 1, '0x1'), ('int', 10, '0b1010'), ('number', 0.81, 'Infinity'),
             ('int', 24, ' 24 '), ('number', 18.24, '18.24'), ('number', 0.81, '.81'), ('int', 24, '8')]
    js = ("global.window = {}; global.document = {querySelector: () => null, querySelectorAll: () => []};"
          f"require({json.dumps(str(ROOT / 'scripts' / 'docs_assets' / 'smlp.js'))});"
          f"console.log(JSON.stringify({json.dumps(cases)}.map(([k, a, v]) => window.SMLP.reply({{kind: k, tol: 0.01, accepted: [a], hint: 'H'}}, v))));")
    r = subprocess.run(['node', '-e', js], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert all('without commas' in g for g in got[:2]) and all(g.startswith('answer with a') for g in got[2:5]), got
    assert got[5:8] == [True, True, True] and got[8].startswith('not yet: the answer is larger'), got


# Class 5: an error that is not one line a user can act on

def test_benchmark_bad_arguments_are_one_line(tmp_path):
    "A bad device, an --official file that does not import, a --before copy without the model: one line each, exit 2, before any work."
    (tmp_path / 'bad.py').write_text('syntax error(\n')
    (tmp_path / 'fakepkg' / 'strip_mlp_nb').mkdir(parents=True); (tmp_path / 'fakepkg' / 'strip_mlp_nb' / '__init__.py').write_text('')
    cases = {('--device', 'foo'): "expected 'cpu', 'cuda' or 'cuda:N', got 'foo'",
             ('--official', str(tmp_path / 'bad.py')): 'bad.py does not import: SyntaxError',
             ('--before', str(tmp_path / 'fakepkg')): 'has neither models/strip_mlp.py nor model.py'}
    for args, message in cases.items():
        r = subprocess.run([sys.executable, str(ROOT / 'scripts' / 'benchmark.py'), '--settings', '32:2', '--modes', 'eager', *args],
                           capture_output=True, text=True, cwd=tmp_path, timeout=120)
        assert r.returncode == 2 and r.stdout == '' and r.stderr.count('\n') == 1 and message in r.stderr, (args, r.stderr[-2000:])


def test_benchmark_attribution_checks_every_argument_first(tmp_path, capsys):
    "Every bad argument is one line before anything is timed, naming the user's path (not a temporary file)."
    import benchmark_attribution as ba
    J = ['--json', str(tmp_path / 'b.json')]
    cases = {('--batches', 'abc'): '--batches must be comma-separated whole numbers', ('--batches', '0'): 'from 1 to 1,000, got 0',
             ('--batches', '5000'): 'got 5000', ('--methods', 'bogus'): "unknown method 'bogus'", ('--internal', '0'): '--internal must be',
             ('--methods', 'gradcam:stage9'): "no layer 'stage9'; e.g. stage1", ('--methods', 'gradcam'): 'gradcam needs a layer',
             ('--methods', 'saliency:stage1'): 'only gradcam takes a layer', ('--device', 'foo'): "--device must be 'cpu'",
             ('--threads', '0'): 'expected 1 to 1024 threads'}
    for args, message in cases.items(): assert message in parse_error(ba.parse_args, [*args, *J], capsys), args
    assert '/proc/r7.json cannot be written' in parse_error(ba.parse_args, ['--batches', '1', '--json', '/proc/r7.json'], capsys)
    if not torch.cuda.is_available():
        assert 'CUDA is not available' in parse_error(ba.parse_args, ['--device', 'cuda', *J], capsys)


def test_execute_nbs_refuses_what_is_not_a_notebook_here(tmp_path):
    "A notebook outside nbs/, a missing file, a file that is not a notebook, an unknown flag: one line each, nothing run."
    (tmp_path / 'tiny.ipynb').write_text('{}')
    for args, message in ((str(tmp_path / 'tiny.ipynb'), 'is not a notebook of this repository'), ('nbs/no_such.ipynb', 'does not exist'),
                          ('README.md', 'is not a notebook of this repository'), ('nbs/sidebar.yml', 'is not a notebook (.ipynb)')):
        r = subprocess.run([sys.executable, str(ROOT / 'scripts' / 'execute_nbs.py'), args], capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert r.returncode == 2 and r.stdout == '' and r.stderr.count('\n') == 1 and message in r.stderr, (args, r.stderr[-2000:])



def test_refusals_that_name_files_stay_one_line(tmp_path, capsys):
    "A name holding a newline is quoted (repr) in a refusal, so the message is one line: build_docs' foreign file, its --out, a --json path."
    import build_docs as b, benchmark
    docs = tmp_path / 'docs1'; docs.mkdir(); (docs / 'my\nnotes.txt').write_text('x')
    r = subprocess.run([sys.executable, str(ROOT / 'scripts' / 'build_docs.py'), '--out', str(docs), '--stored'],
                       capture_output=True, text=True, cwd=ROOT, timeout=120, env={**os.environ, 'OMP_NUM_THREADS': '1'})
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "'my\\nnotes.txt'" in r.stderr, r.stderr
    assert (docs / 'my\nnotes.txt').read_text() == 'x'
    odd = tmp_path / 'a\nfile'; odd.write_text('x')
    with pytest.raises(b.DocsFolderError) as e: b.docs_owned(odd)
    assert len(str(e.value).splitlines()) == 1 and repr(str(odd)) in str(e.value)
    err = parse_error(benchmark.parse_args, ['--modes', 'eager', '--settings', '32:2', '--json', str(tmp_path / 'no\nsuch' / 'x.json')], capsys)
    assert repr(str(tmp_path / 'no\nsuch')) in err, err
