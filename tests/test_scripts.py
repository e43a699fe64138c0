"The helper scripts behave as their usage says, on this machine."
import json, os, subprocess, sys
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


def test_gpu_check_steps_with_fake_cuda(tmp_path, monkeypatch):
    "The CUDA branch's wiring, without a GPU: every step's command parses with the real parsers, quickest steps first."
    import gpu_check, benchmark
    from strip_mlp_nb.cli import build_parser, config_from_args
    for name, value in dict(is_available=lambda: True, device_count=lambda: 2, get_device_name=lambda i=0: 'fake GPU',
                            is_bf16_supported=lambda: True).items():
        monkeypatch.setattr(torch.cuda, name, value)
    seen = []
    def fake_run(cmd, **kw):
        seen.append(cmd)
        if cmd[1] == 'scripts/benchmark.py':
            a = benchmark.parse_args(cmd[2:])
            assert a.device == 'cuda' and a.official == Path('/x/Strip_MLP') and a.progress is False
            a.json.write_text('{"results": []}')
        elif cmd[1] == 'scripts/execute_nbs.py':
            assert cmd[2:4] == ['--flags', 'gpu'] and cmd[4:] and all((ROOT / n).is_file() for n in cmd[4:])
        else:
            args = cmd[cmd.index('strip_mlp_nb.cli') + 1:]
            parsed = build_parser().parse_args(args)
            assert parsed.command == 'train' and config_from_args(parsed)[2].amp == 'auto'   # the recipe and --set resolve
            assert cmd[0].endswith('torchrun') == ('--nproc_per_node' in cmd)
        return subprocess.CompletedProcess(cmd, 0, 'ok', '')
    monkeypatch.setattr(gpu_check.subprocess, 'run', fake_run)
    assert gpu_check.main(['--official', '/x/Strip_MLP', '--json', str(tmp_path / 'g.json')]) == 0
    steps = [r['step'] for r in json.loads((tmp_path / 'g.json').read_text())['results']]
    assert steps == ['1 epoch, AMP, embedded data', 'DDP over 2 GPUs (NCCL)', 'benchmark fp32, eager',
                     'benchmark bf16 autocast, eager', 'notebook cells flagged gpu', 'benchmark fp32, compiled'], steps
    assert [c for c in seen if '--amp' in c] and [c for c in seen if 'eager,compile' in c][0] is seen[-1]
