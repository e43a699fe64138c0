"""Check the CUDA paths on a machine with a GPU, within a time budget, and write one JSON of what happened.

    bash scripts/gpu_check.sh [--official PATH_TO_OFFICIAL_CHECKOUT] [--json outputs/gpu_check.json] [--budget 480]

Steps, quickest first (each a subprocess given the time that is left, so a slow step can only cut the ones after
it, and compiling, the slowest, comes last): one epoch of mixed-precision training of the demo recipe on the embedded
data; DDP with NCCL over every GPU when there are several; the benchmark on CUDA in fp32 eager and with bf16
autocast, against the official code when given its path; the notebook cells flagged `gpu`; the benchmark with
torch.compile. Each step runs in its own process group, and the whole group (torchrun's workers, compile workers,
anything a step left in the background) is killed when the step ends or runs out of time. Without CUDA it prints
"no CUDA device: nothing to check" and exits 0. Exit status 1 if a step failed, timed out or was skipped for lack of
time (a budget too small for the steps is not a passed check); 2 for a bad argument."""
import json, os, signal, subprocess, sys, tempfile, time
from pathlib import Path

from script_checks import OneLineParser, destination_problem, quoted

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
MIN_STEP = 10          # seconds: a step with less time left is skipped
RESERVE = 15           # seconds kept for the summary
MIN_BUDGET = 60        # the least --budget: the first step (one epoch) alone takes longer than this on any GPU we know


def run_group(cmd:list, timeout:float, env=None)->tuple:
    """(exit status or None if it ran out of time, its stdout and stderr): `cmd` in its own session and process group,
    output to a file (a background child holding a pipe open cannot make it wait), and the whole group killed at the end."""
    with tempfile.TemporaryFile('w+b') as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)
        try: rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired: rc = None
        finally: kill_group(proc)                    # its children too, also those left behind by a step that ended
        out.seek(0)
        return rc, out.read().decode(errors='replace')


def kill_group(proc:subprocess.Popen, grace:float=5.0):
    "SIGTERM to every process of `proc`'s group (it leads it), then SIGKILL to those still there after `grace` seconds."
    def signal_group(sig):
        try: os.killpg(proc.pid, sig); return True
        except (ProcessLookupError, PermissionError): return False
    if signal_group(signal.SIGTERM):
        end = time.monotonic() + grace
        while time.monotonic() < end:
            proc.poll()                                  # reaped, the leader no longer counts as a member
            if not signal_group(0): break
            time.sleep(0.1)
        else: signal_group(signal.SIGKILL)
    proc.wait()


def step(name:str, cmd:list, deadline:float, results:list, env=None):
    "Run `cmd` with the time left before `deadline`; record its outcome."
    left = deadline - time.monotonic()
    if left < MIN_STEP:
        results.append(dict(step=name, status='skipped', reason='out of time'))
        print(f"{name:<34} {'skipped: out of time':<18}", flush=True); return None
    t0 = time.monotonic()
    rc, out = run_group(cmd, left, env)
    status = 'timed out' if rc is None else 'ok' if rc == 0 else f'failed (exit {rc})'
    results.append(dict(step=name, status=status, seconds=round(time.monotonic() - t0, 1), tail=out[-3000:]))
    print(f"{name:<34} {status:<18} {results[-1]['seconds']:>6.1f} s", flush=True)
    return out


def main(argv=None)->int:
    p = OneLineParser(prog='gpu_check.py', description=__doc__.splitlines()[0])
    p.add_argument('--official', metavar='PATH', help='local checkout of Med-Process/Strip_MLP, for the benchmark')
    p.add_argument('--json', type=Path, help='where the results go (default: outputs/gpu_check.json)')
    p.add_argument('--budget', type=float, default=480, help=f'seconds for everything, at least {MIN_BUDGET} (default: 480, 8 minutes)')
    a = p.parse_args(argv)
    if not MIN_BUDGET <= a.budget < float('inf'):
        p.error(f'--budget must be at least {MIN_BUDGET} seconds ({RESERVE} for the summary, the rest for the steps), got {a.budget:g}')
    if a.official and not (Path(a.official).is_file() or (Path(a.official) / 'models' / 'strip_mlp.py').is_file()):
        p.error(f'--official: no models/strip_mlp.py under {quoted(a.official)}')
    default_json = a.json is None
    a.json = ROOT / 'outputs' / 'gpu_check.json' if default_json else a.json
    if why := destination_problem(a.json, create_folders=default_json): p.error(f'--json: {why}')
    import torch
    if not torch.cuda.is_available():
        print("no CUDA device: nothing to check"); return 0
    deadline, results = time.monotonic() + a.budget - RESERVE, []   # RESERVE seconds kept for the summary
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
    late = [r['step'] for r in results if r.get('reason') == 'out of time']
    ok = sum(r['status'] == 'ok' for r in results)
    print(f"\n{ok} of {len(results)} steps ok" + (f"; failed: {', '.join(failed)}" if failed else '')
          + (f"; not run for lack of time (raise --budget): {', '.join(late)}" if late else '')
          + (f"; skipped: {', '.join(r['step'] for r in results if r['status'] == 'skipped' and r not in late)}"
             if any(r['status'] == 'skipped' and r.get('reason') != 'out of time' for r in results) else '')
          + f"; results in {a.json}")
    return 1 if failed or late else 0


if __name__ == '__main__':
    sys.exit(main())
