"""Check the CUDA paths on a machine with a GPU, within a time budget, and write one JSON of what happened.

    bash scripts/gpu_check.sh [--official PATH_TO_OFFICIAL_CHECKOUT] [--json outputs/gpu_check.json] [--budget 480]

Steps, quickest first (each a subprocess given the time that is left, so a slow step can only cut the ones after
it, and compiling, the slowest, comes last): one epoch of mixed-precision training of the demo recipe on the embedded
data; DDP with NCCL over every GPU when there are several; the benchmark on CUDA in fp32 eager and with bf16
autocast, against the official code when given its path; the notebook cells flagged `gpu`; the benchmark with
torch.compile. Without CUDA it prints "no CUDA device: nothing to check" and exits 0."""
import argparse, json, os, re, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def step(name:str, cmd:list, deadline:float, results:list, env=None):
    "Run `cmd` with the time left before `deadline`; record its outcome."
    left = deadline - time.monotonic()
    if left < 10:
        results.append(dict(step=name, status='skipped', reason='out of time')); return None
    t0 = time.monotonic()
    try:
        r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=left, env=env)
        status, out = ('ok' if r.returncode == 0 else f'failed (exit {r.returncode})'), r.stdout + r.stderr
    except subprocess.TimeoutExpired as e:
        status, out = 'timed out', (e.stdout or b'').decode(errors='replace') if isinstance(e.stdout, bytes) else (e.stdout or '')
    results.append(dict(step=name, status=status, seconds=round(time.monotonic() - t0, 1), tail=out[-3000:]))
    print(f"{name:<34} {status:<18} {results[-1]['seconds']:>6.1f} s", flush=True)
    return out


def main(argv=None)->int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--official', metavar='PATH', help='local checkout of Med-Process/Strip_MLP, for the benchmark')
    p.add_argument('--json', type=Path, default=ROOT / 'outputs' / 'gpu_check.json', help='where the results go')
    p.add_argument('--budget', type=float, default=480, help='seconds for everything (default: 480, 8 minutes)')
    a = p.parse_args(argv)
    import torch
    if not torch.cuda.is_available():
        print("no CUDA device: nothing to check"); return 0
    deadline, results = time.monotonic() + a.budget - 15, []       # 15 s kept for the summary
    gpus = torch.cuda.device_count()
    info = dict(device=torch.cuda.get_device_name(0), gpus=gpus, torch=torch.__version__, cuda=torch.version.cuda,
                bf16=torch.cuda.is_bf16_supported())
    print(f"{info['device']} x{gpus}, torch {info['torch']}, CUDA {info['cuda']}, bf16: {info['bf16']}", flush=True)
    notebooks = sorted(str(q.relative_to(ROOT)) for q in (ROOT / 'nbs').rglob('*.ipynb') if '#| gpu' in q.read_text())
    official = ['--official', a.official] if a.official else []
    with tempfile.TemporaryDirectory() as tmp:
        train = ['train', '--config', 'cpu/embedded', '--epochs', '1', '--set', 'train.amp=auto', '--no-progress']
        step('1 epoch, AMP, embedded data', [PY, '-m', 'strip_mlp_nb.cli', *train, '--out', f'{tmp}/amp'], deadline, results)
        if gpus > 1:
            torchrun = str(Path(PY).parent / 'torchrun')
            step(f'DDP over {gpus} GPUs (NCCL)', [torchrun, '--standalone', '--nproc_per_node', str(gpus), '-m',
                 'strip_mlp_nb.cli', *train, '--out', f'{tmp}/ddp'], deadline, results)
        else: results.append(dict(step='DDP (NCCL)', status='skipped', reason='one GPU'))

        def benchmark(name, extra):
            out = Path(tmp) / f'benchmark_{len(results)}.json'
            step(name, [PY, 'scripts/benchmark.py', '--device', 'cuda', '--repeats', '5', '--no-progress', *extra,
                        *official, '--json', str(out)], deadline, results)
            if out.exists(): results[-1]['benchmark'] = json.loads(out.read_text())
        benchmark('benchmark fp32, eager', ['--modes', 'eager'])
        benchmark('benchmark bf16 autocast, eager', ['--modes', 'eager', '--amp'])
        step('notebook cells flagged gpu', [PY, 'scripts/execute_nbs.py', '--flags', 'gpu', *notebooks], deadline, results)
        benchmark('benchmark fp32, compiled', ['--modes', 'eager,compile'])   # eager again: the ratios' reference
    a.json.parent.mkdir(parents=True, exist_ok=True)
    a.json.write_text(json.dumps(dict(info=info, results=results), indent=1))
    failed = [r['step'] for r in results if r['status'] not in ('ok', 'skipped')]
    print(f"\n{len(results) - len(failed)} of {len(results)} steps ok or skipped" + (f"; failed: {', '.join(failed)}" if failed else '')
          + f"; results in {a.json}")
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
