"""Throughput benchmark of strip_mlp_nb's Strip-MLP, optionally side by side with the official implementation.

For each setting (image size:batch) and mode it times eval forward (under torch.inference_mode) and a train step
(model.train(), cross-entropy on random labels, backward, no optimizer step; grads set to None between runs), and
reports images/second = batch / median of `--repeats` timed runs after `--warmup` untimed ones.
Modes: eager (NCHW), channels_last (model and input), compile (torch.compile; its compile time is the first call's
time, reported apart and not in the img/s; a failure is reported and the benchmark goes on), compile_blocks (each
block compiled in place instead of the whole network: shorter compile time; not in the default modes). Every mode starts from
the same weights. With --official, the official model (Med-Process/Strip_MLP, imported from a local checkout, never
copied) gets our weights loaded strictly, its eval logits are compared with ours (PASS if max |diff| <= 1e-5), and it
is timed interleaved with ours (ours, official, ours, ...) so machine noise hits both alike. The ratio columns are
img/s over the official eager img/s of the same setting, each with a 95 % bootstrap interval (both sides' timed runs
resampled): single runs on a shared machine vary, the interval says by how much. With --before, another copy of
strip_mlp_nb (an earlier commit's worktree) is timed as 'before' with our weights, interleaved likewise: before and
after in one run (and, with --profile, their time tables side by side). Progress goes to stderr, the table to stdout.
Every table is headed by what it was measured on: the CPU's model, PyTorch's CPU capability (AVX512, AVX2, ...) and the
dispatch caps set in the environment, if any (ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2
MKL_ENABLE_INSTRUCTIONS=AVX2 makes an AVX-512 machine run the kernels an AVX2-only one would).
Every argument is checked before anything is timed (2 and one line if one is wrong, e.g. a setting that needs more memory
than --max-memory). Exit status 1 if an equality check fails or nothing could be measured. No network access, no downloads.

Examples:
    python scripts/benchmark.py                                      # T*, 32:64 and 224:8, all modes, CPU
    python scripts/benchmark.py --settings 32:8 --repeats 2 --warmup 1 --modes eager
    python scripts/benchmark.py --official /path/to/Strip_MLP --official-modes eager,channels_last --json bench.json
    python scripts/benchmark.py --official /path/to/Strip_MLP --modes eager --profile  # and where the time goes
    git worktree add /tmp/before HEAD~3 && python scripts/benchmark.py --before /tmp/before --modes eager --profile
    python scripts/benchmark.py --device cuda --amp --settings 224:128 --official /path/to/Strip_MLP
    ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 MKL_ENABLE_INSTRUCTIONS=AVX2 python scripts/benchmark.py --official PATH
"""
import argparse, copy, datetime, importlib.util, json, os, platform, random, statistics, sys, time, types
from contextlib import nullcontext
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from strip_mlp_nb.models.config import LIMITS
from strip_mlp_nb.models.strip_mlp import create_model, list_models
from strip_mlp_nb.utils import atomic_write
from script_checks import MAX_THREADS, OneLineParser, destination_problem, guarded, quoted, threads

try: from tqdm import tqdm
except ImportError: tqdm = None

MODES = ('eager', 'channels_last', 'compile', 'compile_blocks')
DEFAULT_MODES = 'eager,channels_last,compile'
TOL = 1e-5


def device_arg(text: str) -> torch.device:
    "An argparse type: 'cpu', 'cuda' or 'cuda:N'."
    try: d = torch.device(text)
    except RuntimeError: d = None
    if d is None or d.type not in ('cpu', 'cuda'): raise argparse.ArgumentTypeError(f"expected 'cpu', 'cuda' or 'cuda:N', got {text!r}")
    return d


def parse_args(argv=None):
    p = OneLineParser(prog='benchmark.py', description=__doc__.split('\n\n')[0], epilog=__doc__.split('\n\n', 1)[1],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--model', default='strip_mlp_tiny_light', choices=list_models(), help='variant (default: T*)')
    p.add_argument('--settings', default='32:64,224:8', help='comma-separated IMG:BATCH pairs (default: %(default)s); each is '
                   'checked against the model config\'s limits and --max-memory before anything is allocated')
    p.add_argument('--modes', default=DEFAULT_MODES, help=f"comma-separated, of {','.join(MODES)} (default: %(default)s)")
    p.add_argument('--num-classes', type=int, default=1000, help=f'head outputs, 0 to {LIMITS["num_classes"]:,} (default: %(default)s)')
    p.add_argument('--repeats', type=int, default=10, help='timed runs per measurement (default: %(default)s)')
    p.add_argument('--warmup', type=int, default=3, help='untimed runs before them, at least 1: the first run (compilation, '
                   'lazy initialisation) is never timed (default: %(default)s)')
    p.add_argument('--official', type=Path, metavar='PATH',
                   help='local checkout of Med-Process/Strip_MLP (with models/strip_mlp.py), or that file')
    p.add_argument('--before', type=Path, metavar='PATH',
                   help='another copy of strip_mlp_nb (a checkout, e.g. a git worktree of an earlier commit) to time as '
                        '"before", alongside ours and with our weights, in the --official-modes: a before/after comparison in one run')
    p.add_argument('--official-modes', help='of --modes, those to time the official model (and --before) in too; only with '
                   '--official or --before (default: eager; channels_last is reported as failing: the official code breaks on it)')
    p.add_argument('--threads', type=threads, help=f'torch.set_num_threads, 1 to {MAX_THREADS} (default: torch default)')
    p.add_argument('--device', type=device_arg, default=torch.device('cpu'), help="'cpu' (default), 'cuda' or 'cuda:N'")
    p.add_argument('--amp', action='store_true', help='autocast to bfloat16 while timing (equality check stays fp32)')
    p.add_argument('--compile-backend', help='torch.compile backend, only with a compile mode (default: inductor)')
    p.add_argument('--seed', type=int, default=0, help='seed for weights, inputs and labels (default: %(default)s)')
    p.add_argument('--json', type=Path, metavar='PATH', help='also write the results as JSON to PATH (its folder must exist; '
                   'checked before anything is timed)')
    p.add_argument('--max-memory', type=float, metavar='GIB', help='the most memory a setting may need, in GiB (default: 80%% of '
                   'the memory available when it starts, on the CPU or the GPU). A setting needs about 4 bytes x (3 x the '
                   'parameters of each implementation timed + 2 x the values a train step\'s forward makes): larger ones are refused')
    p.add_argument('--profile-rounds', type=int, metavar='N',
                   help='with --profile: rounds of profiled steps per implementation, taken in turn; the median is shown (default: 3)')
    p.add_argument('--profile-steps', type=int, metavar='N',
                   help='with --profile: train steps per profiled round (default: 2; 1 halves the profiler\'s own time)')
    p.add_argument('--profile', action='store_true',
                   help='also print where the time of a train step goes (torch.profiler, eager, CPU only), ours and official')
    p.add_argument('--progress', action=argparse.BooleanOptionalAction, default=None,
                   help='progress bars and lines on stderr (default: only when stderr is a terminal)')
    p.add_argument('--debug', action='store_true', help='on an error, the whole traceback instead of one line')
    a = p.parse_args(argv)
    try: a.settings = [tuple(int(v) for v in s.split(':')) for s in a.settings.split(',') if s.strip()]
    except ValueError: p.error(f'--settings must look like 32:64,224:8, got {a.settings!r}')
    if not a.settings: p.error('--settings names no setting: give IMG:BATCH pairs, e.g. 32:64')
    if any(len(s) != 2 or min(s) < 1 for s in a.settings): p.error('--settings must be IMG:BATCH pairs of positive ints')
    official_given = a.official_modes is not None
    for name in ('modes', 'official_modes'):
        modes = [m for m in (getattr(a, name) or '').split(',') if m]
        if bad := [m for m in modes if m not in MODES]: p.error(f'unknown mode(s) {bad}; known: {", ".join(MODES)}')
        setattr(a, name, list(dict.fromkeys(modes)))
    if not a.modes: p.error(f'--modes names no mode: give some of {", ".join(MODES)}')
    if official_given and not (a.official or a.before):
        p.error('--official-modes does nothing without --official or --before: add one, or drop it')
    if not official_given: a.official_modes = ['eager'] if 'eager' in a.modes else []
    if (a.official or a.before) and not a.official_modes:
        p.error('--official/--before are timed in --official-modes (default eager), and --modes lacks eager: add eager to '
                '--modes, or give --official-modes')
    if bad := [m for m in a.official_modes if m not in a.modes]:
        p.error(f'--official-modes {",".join(bad)} is not in --modes {",".join(a.modes)}: those are never timed; add it to --modes')
    if a.repeats < 1 or a.warmup < 1: p.error('--repeats and --warmup must be >= 1 (the first run is never timed)')
    if not 0 <= a.seed < 2**63: p.error(f'--seed must be a whole number from 0 to 2**63 - 1, got {a.seed}')
    if not 0 <= a.num_classes <= LIMITS['num_classes']:
        p.error(f'--num-classes must be 0 (no head) to {LIMITS["num_classes"]:,}, got {a.num_classes}')
    if a.device.type == 'cuda':
        if not torch.cuda.is_available(): p.error('--device cuda: CUDA is not available here (no GPU, or a CPU build of torch)')
        if a.device.index is not None and a.device.index >= torch.cuda.device_count():
            p.error(f'--device {a.device}: there are {torch.cuda.device_count()} CUDA device(s), numbered from 0')
    if a.profile and a.device.type != 'cpu': p.error('--profile measures CPU time only (torch.profiler\'s CPU tables): drop it with --device cuda')
    for name in ('profile_rounds', 'profile_steps'):
        v = getattr(a, name)
        if v is not None and not a.profile: p.error(f'--{name.replace("_", "-")} does nothing without --profile: add --profile, or drop it')
        if v is not None and v < 1: p.error(f'--{name.replace("_", "-")} must be >= 1, got {v}')
    a.profile_rounds, a.profile_steps = a.profile_rounds or 3, a.profile_steps or 2
    compiled = [m for m in a.modes if m.startswith('compile')]
    if a.compile_backend is not None and not compiled:
        p.error('--compile-backend does nothing without a compile mode in --modes: add compile (or compile_blocks), or drop it')
    if compiled:
        a.compile_backend = a.compile_backend or 'inductor'
        dynamo = importlib.import_module('torch._dynamo')
        if a.compile_backend not in (known := dynamo.list_backends(exclude_tags=())):
            p.error(f'--compile-backend {a.compile_backend!r} is not a torch.compile backend; known: {", ".join(known)}')
    try: a.loaded = dict(official=load_official(a.official) if a.official else None, before=load_before(a.before) if a.before else None)
    except ValueError as e: p.error(str(e))
    if a.json and (why := destination_problem(a.json)): p.error(f'--json: {why}')
    if a.max_memory is not None and not 0 < a.max_memory < float('inf'): p.error(f'--max-memory must be a number of GiB > 0, got {a.max_memory}')
    impls = 1 + bool(a.official) + bool(a.before)
    limit, where = (a.max_memory * 2**30, f'--max-memory {a.max_memory:g} GiB') if a.max_memory else memory_limit(a.device)
    for img, batch in a.settings:
        if why := setting_problem(a.model, img, batch, a.num_classes, impls, limit, where, a.profile):
            p.error(f'--settings {img}:{batch}: {why}')
    return a


def memory_limit(device: torch.device) -> tuple:
    "(bytes, what they are): 80% of the memory available now on `device` (and within this process's address-space limit)."
    if device.type == 'cuda':
        free = torch.cuda.mem_get_info(device)[0]
        return int(0.8 * free), f'80% of the {free / 2**30:.1f} GiB free on {torch.cuda.get_device_name(device)} (--max-memory sets another bound)'
    avail = None
    try:
        for line in Path('/proc/meminfo').read_text().splitlines():
            if line.startswith('MemAvailable:'): avail = int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError): pass
    if avail is None: avail = os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_AVPHYS_PAGES')
    what = f'80% of the {avail / 2**30:.1f} GiB of memory available now'
    try:
        import resource
        soft = resource.getrlimit(resource.RLIMIT_AS)[0]
        if soft != resource.RLIM_INFINITY and soft < avail: avail, what = soft, f'80% of this process\'s address-space limit (ulimit -v), {soft / 2**30:.1f} GiB'
    except (ImportError, ValueError, OSError): pass
    return int(0.8 * avail), what + ' (--max-memory sets another bound)'


def setting_problem(model: str, img: int, batch: int, num_classes: int, impls: int, limit: float, where: str, profile: bool = False):
    """Why the setting cannot be benchmarked (None: it can), found on the meta device (shapes, no memory): the config's own
    checks (image size, LIMITS), a train step's own refusal (a batch of one on a 1x1 map), and the memory it needs."""
    try:
        m = create_model(model, num_classes=num_classes, img_size=img, device='meta').train()
        params = sum(t.numel() for t in [*m.parameters(), *m.buffers()])
        made = [0]
        def count(module, args, out):
            if isinstance(out, torch.Tensor): made[0] += out.numel()
        hooks = [mod.register_forward_hook(count) for mod in m.modules() if not list(mod.children())]
        try: m(torch.empty(batch, 3, img, img, device='meta'))
        finally:
            for h in hooks: h.remove()
    except (ValueError, TypeError) as e:
        msg = ' '.join(str(e).split())
        if 'batch of one' in msg:      # the model's own text advises model.eval(): here the flags say what to change
            return (f'a train step needs a batch of 2 or more here: at image size {img} the last stage\'s map is 1x1, where '
                    f'BatchNorm would see one value per channel; give a batch of 2 or more, e.g. --settings {img}:2')
        return msg
    except Exception as e: return f'the model cannot be built for it ({first_line(e)})'
    copies = 3 * impls + (2 * impls if profile else 0)            # weights, a prepared copy, grads (and the profile's copies)
    weights = 4 * copies * params
    need = weights + 4 * (2 * made[0] + 2 * batch * 3 * img * img)
    if need > limit:
        head = sum(t.numel() for t in m.head.parameters()) if isinstance(getattr(m, 'head', None), nn.Module) else 0
        knob = (f'a smaller --num-classes (its {num_classes:,}-class head holds {head:,} of them)' if head * 2 > params
                else f'a smaller --model than {model}')
        if weights >= limit:           # no image size or batch can fit: the parameters alone are over the bound
            return (f'needs about {need / 2**30:,.1f} GiB, of which the parameters alone take {weights / 2**30:,.1f} GiB '
                    f'({params:,} parameters x {copies} copies), more than {where} at any image size or batch: choose {knob}')
        advice = 'choose a smaller image size or batch' + (f', or {knob}' if weights * 2 > need else '')
        return (f'needs about {need / 2**30:,.1f} GiB ({params:,} parameters x {copies} copies, {made[0]:,} values in a train '
                f'step\'s forward), more than {where}: {advice}')
    return None


def load_official(path: Path):
    "The official `models/strip_mlp.py` as a module, with an in-memory torch stand-in for timm if timm is missing."
    file = path if path.is_file() else path / 'models' / 'strip_mlp.py'
    if not file.is_file(): raise ValueError(f'--official: no models/strip_mlp.py under {quoted(path)}')
    added = {}
    try: import timm.models.layers  # noqa: F401
    except ImportError:
        class DropPath(nn.Module):
            "Stochastic depth per sample with timm's operations: the (N, 1, ...) mask scaled in place, one pass over x."
            def __init__(self, drop_prob=0., scale_by_keep=True):
                super().__init__(); self.drop_prob, self.scale_by_keep = drop_prob, scale_by_keep
            def forward(self, x):
                if self.drop_prob == 0. or not self.training: return x
                keep = 1 - self.drop_prob
                mask = x.new_empty((x.shape[0],) + (1,) * (x.ndim - 1)).bernoulli_(keep)   # timm 1.0 `drop_path`
                if keep > 0. and self.scale_by_keep: mask.div_(keep)
                return x * mask
        layers = types.ModuleType('timm.models.layers')
        layers.DropPath, layers.trunc_normal_ = DropPath, nn.init.trunc_normal_
        layers.to_2tuple = lambda x: tuple(x) if isinstance(x, (tuple, list)) else (x, x)
        added = {'timm': types.ModuleType('timm'), 'timm.models': types.ModuleType('timm.models'),
                 'timm.models.layers': layers}
        added['timm'].models, added['timm.models'].layers = added['timm.models'], layers
        sys.modules.update(added)
    try:
        spec = importlib.util.spec_from_file_location('official_strip_mlp', file)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    except Exception as e: raise ValueError(f'--official: {quoted(file)} does not import: {first_line(e)}') from e
    finally:
        for name in added: sys.modules.pop(name, None)   # the stand-in lives on only inside the official module
    return module


def load_before(path: Path):
    "The model module of another copy of strip_mlp_nb (a checkout or its package folder), imported under another name."
    pkg = path / 'strip_mlp_nb' if (path / 'strip_mlp_nb' / '__init__.py').is_file() else path
    if not (pkg / '__init__.py').is_file(): raise ValueError(f'--before: no strip_mlp_nb package under {quoted(path)}')
    spec = importlib.util.spec_from_file_location('strip_mlp_nb_before', pkg / '__init__.py',
                                                  submodule_search_locations=[str(pkg)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        for name in ('models.strip_mlp', 'model'):   # the layout with subpackages, then a copy from before it
            if (pkg / (name.replace('.', '/') + '.py')).is_file(): before = importlib.import_module(f'strip_mlp_nb_before.{name}'); break
        else: raise ValueError(f'--before: {quoted(pkg)} has neither models/strip_mlp.py nor model.py: not a copy of strip_mlp_nb')
    except ValueError: raise
    except Exception as e: raise ValueError(f'--before: the strip_mlp_nb under {quoted(path)} does not import: {first_line(e)}') from e
    if not callable(getattr(before, 'create_model', None)): raise ValueError(f'--before: {before.__file__} has no create_model')
    return before


def first_line(e: BaseException) -> str:
    lines = [l.strip() for l in str(e).splitlines() if l.strip()]
    return f'{type(e).__name__}: {lines[0] if lines else ""}'[:160]


def sync(device):
    if device.type == 'cuda': torch.cuda.synchronize(device)


def prepare(base: nn.Module, mode: str, backend: str) -> nn.Module:
    "A copy of `base` (same weights and buffers) set up for `mode`."
    m = copy.deepcopy(base)
    if mode.startswith('compile'):   # compile times as a first run has them, not read from inductor's on-disk cache
        import torch._inductor.config as inductor_config
        inductor_config.fx_graph_cache = False
    if mode == 'channels_last': m = m.to(memory_format=torch.channels_last)
    if mode == 'compile':
        torch._dynamo.reset()
        m = torch.compile(m, backend=backend)
    if mode == 'compile_blocks':   # each block compiled in place: blocks of one stage share the compiled code
        torch._dynamo.reset()
        torch._dynamo.config.recompile_limit = max(torch._dynamo.config.recompile_limit, 64)   # 4 stages x modes x phases
        for k in range(1, 5):
            for block in getattr(m, f'blocks{k}'): block.compile(backend=backend, dynamic=False)   # sizes fixed per stage
    return m


def make_step(model, x, y, phase, amp_ctx):
    "(reset, run): `reset` is untimed (zero grads), `run` is one eval forward or one train forward+backward."
    if phase == 'eval':
        def run():
            with torch.inference_mode(), amp_ctx(): model(x)
        return model.eval, run
    def reset(): model.train(); model.zero_grad(set_to_none=True)
    def run():
        with amp_ctx(): loss = F.cross_entropy(model(x).float(), y)
        loss.backward()
    return reset, run


def time_interleaved(cands, phase, args, device, desc):
    "Warm up and time every candidate {name: (model, x, y)} in turn; returns {name: dict(times, first_s, error)}."
    amp_ctx = (lambda: torch.autocast(device.type, dtype=torch.bfloat16)) if args.amp else nullcontext
    steps = {n: make_step(m, x, y, phase, amp_ctx) for n, (m, x, y) in cands.items()}
    res = {n: dict(times=[], first_s=None, error=None) for n in cands}
    warmup, total = args.warmup, (args.warmup + args.repeats) * len(cands)
    show = sys.stderr.isatty() if args.progress is None else args.progress   # no bars written into logs
    bar, done = (tqdm(total=total, desc=desc, file=sys.stderr, leave=False) if tqdm and show else None), 0
    for i in range(warmup + args.repeats):
        for n, (reset, run) in steps.items():
            if res[n]['error']: continue
            reset(); sync(device)
            t0 = time.perf_counter()
            try: run(); sync(device)
            except Exception as e:   # e.g. the official code on channels_last input, or a compile failure
                res[n]['error'] = first_line(e); print(f'{desc} {n}: fails: {res[n]["error"]}', file=sys.stderr)
                continue
            dt = time.perf_counter() - t0
            if i == 0: res[n]['first_s'] = dt
            if i >= warmup: res[n]['times'].append(dt)
            done += 1
            if bar: bar.update(); bar.set_postfix_str(f'{n} {dt:.3f}s')
            elif show: print(f'{desc} [{done}/{total}] {n} {dt:.3f}s', file=sys.stderr, flush=True)
    if bar: bar.close()
    return res


def check_equal(ours, official, x):
    "Max |logits difference| in eval mode, fp32, TF32 off."
    old = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    try:
        with torch.no_grad(): return (ours.eval()(x) - official.eval()(x)).abs().max().item()
    finally: torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = old


def ratio_interval(ref_times:list, times:list, level:float=0.95, resamples:int=2000, seed:int=0) -> tuple:
    "Bootstrap interval of median(ref_times) / median(times) (a speed ratio): each side's timed runs resampled."
    rng = random.Random(seed)
    ratios = sorted(statistics.median(rng.choices(ref_times, k=len(ref_times))) /
                    statistics.median(rng.choices(times, k=len(times))) for _ in range(resamples))
    tail = (1 - level) / 2
    return ratios[int(tail * resamples)], ratios[min(resamples - 1, int((1 - tail) * resamples))]


CATEGORIES = ('channel MLP GEMMs', 'strip MLPs (1x3 grouped convs)', 'depthwise convs', '1x1 convs and head', 'merging and shortcut convs',
              'norms (BatchNorm, LayerNorm)', 'GELU', 'layout copies and concatenations', 'elementwise and reductions', 'other')

def _channel_mlp(dims) -> bool:
    "Channel MLP weights are C x 3C (alpha = 3): two of the GEMM's dimensions in a ratio of exactly 3."
    dims = [d for d in dims if d]
    return any(a == 3 * b for a in dims for b in dims)


def categorise(name: str, shapes: list) -> str:
    "The category of one profiled op, from its name and (for convolutions and GEMMs) its operands' shapes."
    if 'conv' in name:
        w = shapes[2] if 'backward' in name and len(shapes) > 2 else shapes[1] if len(shapes) > 1 else []
        if len(w) != 4: return 'other'
        if tuple(w[2:]) == (1, 1): return 'channel MLP GEMMs' if _channel_mlp(w[:2]) else '1x1 convs and head'  # Linear as 1x1 conv
        if tuple(w[2:]) == (2, 2): return 'merging and shortcut convs'
        if w[2] == 1 and w[1] > 1: return 'strip MLPs (1x3 grouped convs)'
        return 'depthwise convs' if w[1] == 1 else 'other'
    if name in ('aten::mm', 'aten::addmm', 'aten::bmm', 'aten::baddbmm', 'aten::matmul'):   # Linears, 1x1 convs as F.linear
        return 'channel MLP GEMMs' if _channel_mlp([d for s in shapes if len(s) == 2 for d in s]) else '1x1 convs and head'
    if 'batch_norm' in name or 'layer_norm' in name: return 'norms (BatchNorm, LayerNorm)'
    if 'gelu' in name: return 'GELU'
    if name in ('aten::copy_', 'aten::clone', 'aten::contiguous', 'aten::cat', 'aten::_unsafe_view', 'aten::reshape'):
        return 'layout copies and concatenations'
    if name.startswith('aten::') and any(k in name for k in ('add', 'mul', 'div', 'sub', 'sum', 'mean', 'norm', 'where',
                                                              'masked', 'fill', 'bernoulli', 'softmax', 'index', 'pow', 'sqrt')):
        return 'elementwise and reductions'
    return 'other'


def time_tables(models: dict, x, y, rounds: int = 3, steps: int = 2) -> dict:
    "{name: {category: ms per train step}}: torch.profiler self CPU times, implementations taken in turn each round, median of rounds."
    from torch.profiler import profile, ProfilerActivity
    runs = {n: make_step(m, x, y, 'train', nullcontext) for n, m in models.items()}
    for reset, run in runs.values():
        for _ in range(2): reset(); run()
    per_round = {n: [] for n in models}
    for _ in range(rounds):   # interleaved, as the timing is: machine noise and memory state hit every implementation alike
        for n, (reset, run) in runs.items():
            with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
                for _ in range(steps): reset(); run()
            table = dict.fromkeys(CATEGORIES, 0.)
            for r in prof.key_averages(group_by_input_shape=True):
                if r.key.startswith(('aten::', 'mkldnn')): table[categorise(r.key, r.input_shapes)] += r.self_cpu_time_total / 1e3 / steps
            per_round[n].append(table)
    return {n: {c: statistics.median(t[c] for t in tables) for c in CATEGORIES} for n, tables in per_round.items()}


def print_time_table(setting: str, tables: dict, rounds: int = 3, info: dict | None = None):
    "Where a train step's time goes, per implementation, in ms and as a share."
    names = list(tables)
    print(f"\n# where the time of one train step goes, {setting} (torch.profiler, self CPU time, eager; median of {rounds} rounds)")
    if info: print(machine_line(info))
    print(f"{'category':<36}" + ''.join(f"{n + ' ms':>14}{'share':>7}" for n in names))
    for c in CATEGORIES:
        print(f"{c:<36}" + ''.join(f"{tables[n][c]:>14.1f}{tables[n][c] / sum(tables[n].values()):>7.1%}" for n in names))
    print(f"{'total':<36}" + ''.join(f"{sum(tables[n].values()):>14.1f}{'':>7}" for n in names))


ISA_CAP_VARS = ('ATEN_CPU_CAPABILITY', 'ONEDNN_MAX_CPU_ISA', 'MKL_ENABLE_INSTRUCTIONS')


def isa_caps():
    "The CPU dispatch caps set in the environment (e.g. ATEN_CPU_CAPABILITY=avx2), or None."
    caps = {k: os.environ[k] for k in ISA_CAP_VARS if os.environ.get(k)}
    return ' '.join(f'{k}={v}' for k, v in caps.items()) or None


def machine_line(info):
    "One line naming what a table was measured on: the CPU (or GPU), PyTorch's CPU capability and any dispatch caps."
    caps = f", capped by {info['isa_caps']}" if info.get('isa_caps') else ''
    gpu = f", GPU {info['gpu']}" if info.get('gpu') else ''
    return f"# measured on: {info['cpu']}, PyTorch CPU capability {info['cpu_capability']}{caps}{gpu}, {info['threads']} threads"


def header(args, device):
    cpu = next((l.split(':', 1)[1].strip() for l in Path('/proc/cpuinfo').read_text().splitlines()
                if l.startswith('model name')), platform.processor() or '?') if Path('/proc/cpuinfo').exists() else '?'
    info = dict(date=datetime.datetime.now().isoformat(timespec='seconds'), torch=torch.__version__,
                python=platform.python_version(), threads=torch.get_num_threads(), cpu=cpu,
                cpu_capability=torch.backends.cpu.get_cpu_capability(), isa_caps=isa_caps(), device=str(device),
                gpu=torch.cuda.get_device_name(device) if device.type == 'cuda' else None, model=args.model,
                num_classes=args.num_classes, amp='bf16' if args.amp else None, repeats=args.repeats, warmup=args.warmup)
    return info


def fmt(v, spec): return '-' if v is None else format(v, spec)


def main(argv=None):
    args = parse_args(argv)
    return guarded('benchmark.py', lambda: run(args), args.debug)


def run(args):
    "The benchmark the checked `args` ask for; its exit status."
    if args.threads: torch.set_num_threads(args.threads)
    device = args.device
    official, before = args.loaded['official'], args.loaded['before']
    info = header(args, device)
    print('\n'.join(f'# {k}: {v}' for k, v in info.items() if v is not None))
    rows, checks = [], []
    for img, batch in args.settings:
        setting = f'{img}:{batch}'
        torch.manual_seed(args.seed)
        ours = create_model(args.model, num_classes=args.num_classes, img_size=img).to(device)
        gen = torch.Generator().manual_seed(args.seed)
        x = torch.randn(batch, 3, img, img, generator=gen).to(device)
        y = torch.randint(0, max(args.num_classes, 1), (batch,), generator=gen).to(device)
        bases = {'ours': ours}
        if before:   # the same weights in the earlier copy; its logits should agree with ours to float rounding
            try:
                bases = {'before': before.create_model(args.model, num_classes=args.num_classes, img_size=img).to(device), **bases}
                bases['before'].load_state_dict(ours.state_dict())
            except Exception as e: raise ValueError(f'--before: its model {args.model} at {setting} does not take ours: {first_line(e)}') from e
            print(f"# before {setting}: max |logits ours - before| = {check_equal(ours, bases['before'], x):.3g}")
        if official:
            c = ours.config
            try:
                off = official.StripMLPNet(img_size=img, embed_dim=c.embed_dim, layers=list(c.depths),
                                           num_classes=args.num_classes).to(device)
                off.load_state_dict(ours.state_dict(), strict=True)   # the same keys: must load strictly
                diff, error = check_equal(ours, off, x), None
                bases['official'] = off
            except Exception as e: diff, error = None, first_line(e)
            checks.append(dict(setting=setting, max_abs_diff=diff, passed=diff is not None and diff <= TOL, error=error))
            print(f'# check {setting}: ' + (f'official fails: {error} -> FAIL' if error else
                  f'max |logits ours - official| = {diff:.3g} -> {"PASS" if diff <= TOL else "FAIL"}'))
        if args.profile and device.type == 'cpu':
            print_time_table(setting, time_tables({n: copy.deepcopy(m) for n, m in bases.items()}, x, y, args.profile_rounds, args.profile_steps),
                             args.profile_rounds, info)
        for mode in args.modes:
            names = [n for n in bases if n == 'ours' or mode in args.official_modes]
            xm = x.contiguous(memory_format=torch.channels_last) if mode == 'channels_last' else x
            cands, failed = {}, {}
            for n in names:   # a failure to set up (e.g. torch.compile's) is reported, and the benchmark goes on
                try: cands[n] = (prepare(bases[n], mode, args.compile_backend), xm, y)
                except Exception as e:
                    failed[n] = dict(times=[], first_s=None, error=first_line(e))
                    print(f'{setting} {mode} {n}: fails: {failed[n]["error"]}', file=sys.stderr)
            res = {ph: {**(time_interleaved(cands, ph, args, device, f'{setting} {mode} {ph}') if cands else {}), **failed}
                   for ph in ('eval', 'train')}
            for n in names:
                row = dict(setting=setting, img_size=img, batch=batch, mode=mode, impl=n)
                for ph in ('eval', 'train'):
                    r = res[ph][n]
                    row[f'{ph}_ips'] = batch / statistics.median(r['times']) if r['times'] else None
                    row.update({f'{ph}_times_s': r['times'], f'{ph}_error': r['error'],
                                f'{ph}_compile_s': r['first_s'] if mode.startswith('compile') else None})
                rows.append(row)
            del cands, res
    for row in rows:   # ratios over the official eager img/s of the same setting
        ref = next((r for r in rows if r['setting'] == row['setting'] and r['impl'] == 'official'
                    and r['mode'] == 'eager'), None)
        for ph in ('eval', 'train'):
            ok = ref and row[f'{ph}_ips'] and ref[f'{ph}_ips']
            row[f'{ph}_ratio'] = row[f'{ph}_ips'] / ref[f'{ph}_ips'] if ok else None
            row[f'{ph}_ratio_ci95'] = ratio_interval(ref[f'{ph}_times_s'], row[f'{ph}_times_s']) if ok and row is not ref else None
    cols = (f"{'setting':<9}{'mode':<15}{'impl':<10}{'eval img/s':>11}{'train img/s':>12}{'eval x':>8}{'train x':>8}"
            f"{'eval x 95%':>13}{'train x 95%':>13}")
    print('\n' + machine_line(info))
    print(f'{cols}  compile s (eval/train)\n' + '-' * (len(cols) + 24))
    ci = lambda v: '-' if v is None else f'{v[0]:.2f}-{v[1]:.2f}'
    for r in rows:
        comp = f"{fmt(r['eval_compile_s'], '.1f')}/{fmt(r['train_compile_s'], '.1f')}" if r['mode'].startswith('compile') else ''
        cells = [fmt(r['eval_ips'], '.1f') if not r['eval_error'] else 'fails',
                 fmt(r['train_ips'], '.1f') if not r['train_error'] else 'fails']
        print(f"{r['setting']:<9}{r['mode']:<15}{r['impl']:<10}{cells[0]:>11}{cells[1]:>12}"
              f"{fmt(r['eval_ratio'], '.2f'):>8}{fmt(r['train_ratio'], '.2f'):>8}"
              f"{ci(r['eval_ratio_ci95']):>13}{ci(r['train_ratio_ci95']):>13}  {comp}")
    if official: print('# eval x, train x: img/s over the official eager img/s of the same setting; 95%: bootstrap '
                       'interval of that ratio (both sides\' timed runs resampled 2000 times)')
    for r in rows:
        for ph in ('eval', 'train'):
            if r[f'{ph}_error']: print(f"# {r['setting']} {r['mode']} {r['impl']} {ph} failed: {r[f'{ph}_error']}")
    for c in checks: print(f"# check {c['setting']}: {'PASS' if c['passed'] else 'FAIL'} "
                           f"({c['error'] or format(c['max_abs_diff'], '.3g')}, tolerance {TOL})")
    if args.json:
        args_d = {k: (str(v) if isinstance(v, (Path, torch.device)) else v) for k, v in vars(args).items() if k != 'loaded'}
        with atomic_write(args.json) as f: f.write(json.dumps(dict(info=info, args=args_d, checks=checks, results=rows), indent=1))
        print(f'# wrote {args.json}', file=sys.stderr)
    if not any(r['eval_ips'] or r['train_ips'] for r in rows):
        print('benchmark.py: nothing was measured: every measurement failed (see the lines above)', file=sys.stderr); return 1
    return 1 if any(not c['passed'] for c in checks) else 0


if __name__ == '__main__':
    sys.exit(main())
