"""Time per image of each attribution method of strip_mlp_nb.attribute on the shipped model, written as JSON.

For each method and batch size it times `attribute(model, images, method=..., internal_batch_size=...)` on the first
images of the embedded test split (32x32) and reports seconds per image: the median, min and max of `--repeats` timed
calls, after `--warmup` untimed ones. Integrated Gradients (50 steps) is also timed with several internal batch sizes,
to show what batching buys. The machine's load average is recorded before and after: timings on a shared machine
are noisy, and the spread between repeats is part of the record. Progress goes to stderr, the table to stdout.

What it writes: the results as JSON to --json PATH. Without --json, only the full run (every measurement option at its
default, on the CPU; --threads may differ) writes, and it writes the stored benchmark the docs read,
strip_mlp_nb/assets/results/attribution_benchmark.json; a partial run without --json is refused, so a quick check
never replaces the stored file. Every argument is checked before anything is timed (one line and exit status 2).

Examples:
    python scripts/benchmark_attribution.py --threads 1                # the stored run: strip_mlp_nb/assets/results/attribution_benchmark.json
    python scripts/benchmark_attribution.py --batches 4 --repeats 1 --json /tmp/bench.json
    python scripts/benchmark_attribution.py --device cuda --threads 8 --json /tmp/gpu_bench.json
"""
import argparse, datetime, os, platform, statistics, sys, time
from pathlib import Path

import torch

from strip_mlp_nb.explain.attribution import embedded_examples
from strip_mlp_nb.explain.attribution_methods import (METHODS as KNOWN_METHODS, attribute, layer_names, method_spec, resolve_layer,
                                                      save_json)
from strip_mlp_nb.data.embedded import embedded_dataset
from strip_mlp_nb.training.shipped import shipped_model
from strip_mlp_nb.utils import asset_path
from script_checks import MAX_THREADS, OneLineParser, destination_problem, guarded, int_list, threads, shown

METHODS = ('ig', 'smoothgrad', 'saliency', 'occlusion', 'gradshap', 'gradcam:stage1')
STORED = asset_path('results', 'attribution_benchmark.json')
MAX_INTERNAL = 1024   # images in one forward pass: the 32x32 shipped model needs a few MB each; more is a typo


def parse_args(argv=None):
    p = OneLineParser(prog='benchmark_attribution.py', description=__doc__.split('\n\n')[0], epilog=__doc__.split('\n\n', 1)[1],
                      formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--methods', default=','.join(METHODS), help=f'comma-separated method labels, of {", ".join(KNOWN_METHODS)}; '
                   "Grad-CAM as gradcam:LAYER (default: %(default)s)")
    p.add_argument('--batches', default='1,16', help='comma-separated images per call (default: %(default)s)')
    p.add_argument('--internal', default='64', help=f'comma-separated internal_batch_size values for every method, 1 to {MAX_INTERNAL} (default: %(default)s)')
    p.add_argument('--ig-internal', default='16,64,256', help='extra internal_batch_size values for IG at the largest batch; '
                   'empty for none (default: %(default)s)')
    p.add_argument('--repeats', type=int, default=3, help='timed calls per measurement (default: %(default)s)')
    p.add_argument('--warmup', type=int, default=1, help='untimed calls before them (default: %(default)s)')
    p.add_argument('--threads', type=threads, help=f'torch.set_num_threads, 1 to {MAX_THREADS} (default: torch default)')
    p.add_argument('--device', default='cpu', help="'cpu' (default), 'cuda' or 'cuda:N'")
    p.add_argument('--json', type=Path, help=f'where the results go; without it, only the full default run writes, to the stored {STORED}')
    p.add_argument('--debug', action='store_true', help='on an error, the whole traceback instead of one line')
    a = p.parse_args(argv)
    n_test = len(embedded_dataset('test'))
    try:
        a.batches = int_list(a.batches, '--batches', 1, n_test)
        a.internal = int_list(a.internal, '--internal', 1, MAX_INTERNAL)
        a.ig_internal = int_list(a.ig_internal, '--ig-internal', 1, MAX_INTERNAL, allow_empty=True)
    except ValueError as e: p.error(f'{e} (the embedded test split has {n_test:,} images)' if 'batches' in str(e) else str(e))
    if a.repeats < 1 or a.warmup < 0: p.error('--repeats must be >= 1 and --warmup >= 0')
    try: device = torch.device(a.device)
    except RuntimeError: device = None
    if device is None or device.type not in ('cpu', 'cuda'): p.error(f"--device must be 'cpu', 'cuda' or 'cuda:N', got {a.device!r}")
    if device.type == 'cuda' and not torch.cuda.is_available(): p.error('--device cuda: CUDA is not available here (no GPU, or a CPU build of torch)')
    if device.type == 'cuda' and device.index is not None and device.index >= torch.cuda.device_count():
        p.error(f'--device {a.device}: there are {torch.cuda.device_count()} CUDA device(s), numbered from 0')
    a.methods = [m.strip() for m in a.methods.split(',') if m.strip()]
    if not a.methods: p.error(f'--methods names no method: give some of {", ".join(METHODS)}')
    names = layer_names(shipped_model(normalize=False))
    for label in a.methods:
        spec = method_spec(label)
        if spec['method'] not in KNOWN_METHODS: p.error(f'--methods: unknown method {spec["method"]!r}; known: {", ".join(KNOWN_METHODS)}')
        if spec['method'] == 'gradcam' and not spec['layer']: p.error(f'--methods: gradcam needs a layer, e.g. gradcam:stage1 (layers: {shown(names, 6)})')
        if spec['method'] != 'gradcam' and spec['layer']: p.error(f'--methods {label}: only gradcam takes a layer')
        if spec['layer'] and spec['layer'] not in names:
            try: resolve_layer(shipped_model(normalize=False), spec['layer'])
            except (ValueError, TypeError): p.error(f'--methods {label}: the shipped model has no layer {spec["layer"]!r}; '
                                                    f'e.g. {shown(names, 6)} (or a name from model.named_modules())')
    full = dict(methods=list(METHODS), batches=[1, 16], internal=[64], ig_internal=[16, 64, 256], repeats=3, warmup=1, device='cpu')
    if a.json is None and (changed := [f'--{k.replace("_", "-")}' for k, v in full.items() if getattr(a, k) != v]):
        p.error(f'{", ".join(changed)} make a partial run: give --json PATH for its results (without --json only the full default '
                f'run writes, to the stored {STORED})')
    a.stored = a.json is None
    a.json = a.json or STORED
    if why := destination_problem(a.json): p.error(f'--json: {why}')
    return a


def time_call(fn, repeats, warmup, sync):
    "Seconds of `repeats` calls of fn() after `warmup` untimed ones."
    for _ in range(warmup): fn(); sync()
    times = []
    for _ in range(repeats):
        start = time.perf_counter(); fn(); sync()
        times.append(time.perf_counter() - start)
    return times


def main(argv=None):
    a = parse_args(argv)
    return guarded('benchmark_attribution.py', lambda: run(a, argv), a.debug)


def run(a, argv=None):
    "The timing the checked arguments `a` ask for; writes the JSON."
    if a.threads: torch.set_num_threads(a.threads)
    model = shipped_model(normalize=False).to(a.device)      # the images below are normalised
    sync = torch.cuda.synchronize if a.device.startswith('cuda') else (lambda: None)
    images = embedded_examples(max(a.batches))['images'].to(a.device)
    plan = [(m, b, i) for m in a.methods for b in a.batches for i in a.internal]
    plan += [('ig', max(a.batches), i) for i in a.ig_internal if ('ig', max(a.batches), i) not in plan]
    load_before = os.getloadavg()
    results = []
    for method, batch, internal in plan:
        print(f'{method} batch {batch} internal {internal} ...', file=sys.stderr, flush=True)
        call = lambda: attribute(model, images[:batch], internal_batch_size=internal, **method_spec(method))
        per_image = [t / batch for t in time_call(call, a.repeats, a.warmup, sync)]
        results.append(dict(method=method, batch=batch, internal_batch_size=internal, median=statistics.median(per_image),
                            min=min(per_image), max=max(per_image), repeats=a.repeats))
    load_after = os.getloadavg()
    device = torch.cuda.get_device_name() if a.device.startswith('cuda') else platform.processor() or platform.machine()
    machine = (f"{device}, {os.cpu_count()} cores, torch {torch.__version__} with {torch.get_num_threads()} threads; "
               f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after (shared machine: timings are noisy)")
    command = 'python scripts/benchmark_attribution.py ' + ' '.join(argv if argv is not None else sys.argv[1:])
    out = dict(command=command.strip(), machine=machine, date=datetime.datetime.now().isoformat(timespec='seconds'),
               device=a.device, threads=torch.get_num_threads(), load_before=load_before, load_after=load_after, results=results)
    save_json(out, a.json)
    print(f"{'method':16s} {'batch':>5s} {'internal':>8s} {'ms/img median':>14s} {'min':>8s} {'max':>8s}")
    for r in results:
        print(f"{r['method']:16s} {r['batch']:5d} {r['internal_batch_size']:8d} {1000 * r['median']:14.1f} "
              f"{1000 * r['min']:8.1f} {1000 * r['max']:8.1f}")
    print(f'{machine}\nwritten to {a.json}' + (' (the stored benchmark the docs read)' if a.stored else ''), file=sys.stderr)


if __name__ == '__main__':
    sys.exit(main())
