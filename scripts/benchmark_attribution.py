"""Time per image of each attribution method of strip_mlp_nb.attribute on the shipped model, written as JSON.

For each method and batch size it times `attribute(model, images, method=..., internal_batch_size=...)` on the first
images of the embedded test split (32x32) and reports seconds per image: the median, min and max of `--repeats` timed
calls, after `--warmup` untimed ones. Integrated Gradients (50 steps) is also timed with several internal batch sizes,
to show what batching buys. The machine's load average is recorded before and after: timings on a shared machine
are noisy, and the spread between repeats is part of the record. Progress goes to stderr, the table to stdout.

Examples:
    python scripts/benchmark_attribution.py                            # the stored run: strip_mlp_nb/assets/results/attribution_benchmark.json
    python scripts/benchmark_attribution.py --batches 4 --repeats 1 --json /tmp/bench.json
    python scripts/benchmark_attribution.py --device cuda --threads 8
"""
import argparse, datetime, os, platform, statistics, sys, time
from pathlib import Path

import torch

from strip_mlp_nb.explain.attribution import attribute, embedded_examples, save_json, method_spec
from strip_mlp_nb.training.shipped import shipped_model
from strip_mlp_nb.utils import asset_path

METHODS = ('ig', 'smoothgrad', 'saliency', 'occlusion', 'gradshap', 'gradcam:stage1')


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0], epilog=__doc__.split('\n\n', 1)[1],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--methods', default=','.join(METHODS), help='comma-separated method labels (default: %(default)s)')
    p.add_argument('--batches', default='1,16', help='comma-separated images per call (default: %(default)s)')
    p.add_argument('--internal', default='64', help='comma-separated internal_batch_size values for every method (default: %(default)s)')
    p.add_argument('--ig-internal', default='16,64,256', help='extra internal_batch_size values for IG at the largest batch (default: %(default)s)')
    p.add_argument('--repeats', type=int, default=3, help='timed calls per measurement (default: %(default)s)')
    p.add_argument('--warmup', type=int, default=1, help='untimed calls before them (default: %(default)s)')
    p.add_argument('--threads', type=int, help='torch.set_num_threads (default: torch default)')
    p.add_argument('--device', default='cpu', help="'cpu' (default) or 'cuda'")
    p.add_argument('--json', type=Path, default=asset_path('results', 'attribution_benchmark.json'), help='output (default: %(default)s)')
    a = p.parse_args(argv)
    ints = lambda s: [int(v) for v in s.split(',') if v]
    a.methods, a.batches, a.internal, a.ig_internal = a.methods.split(','), ints(a.batches), ints(a.internal), ints(a.ig_internal)
    if a.repeats < 1 or a.warmup < 0: p.error('--repeats must be >= 1 and --warmup >= 0')
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
    print(f'{machine}\nwritten to {a.json}', file=sys.stderr)


if __name__ == '__main__':
    main()
