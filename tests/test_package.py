"""Package-level checks that no notebook can make: import weights, the layout rules, the public API, and the wheel.

The wheel test builds the package as `pip wheel .` does, installs it into a scratch folder and uses it from another
working directory, so files read at run time must ship inside the package (not next to the checkout).
"""
import ast, json, os, subprocess, sys, zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT/'strip_mlp_nb'
MODULES = sorted(p for p in PKG.rglob('*.py') if p.name not in ('__init__.py', '__main__.py', '_modidx.py')
                 and '__pycache__' not in p.parts)
HEAVY = {'matplotlib', 'captum', 'ipywidgets', 'IPython', 'sklearn', 'scipy'}
# the areas of the package in the direction of its imports: a module imports from its own area and the areas before
# it, never after; areas on the same level (training, explain) do not import each other. `utils` is shared by all.
LAYERS = [['utils'], ['layers'], ['models'], ['data'], ['training', 'explain'], ['experiments'], ['widgets'], ['cli', 'exercises'],
          ['launch']]   # the installed command's entry point: it starts the CLI
MODEL_AREAS = {'utils', 'layers', 'models'}      # what the model itself may import: torch, einops and these


def dotted(path):
    "The module name of a file of the package: strip_mlp_nb/models/strip_mlp.py -> 'models.strip_mlp'."
    return '.'.join(path.relative_to(PKG).with_suffix('').parts)


def area(module): return module.split('.')[0]


def level(module): return next(i for i, names in enumerate(LAYERS) if area(module) in names)


# the public names before the layout change (strip_mlp_nb/__init__.py at commit cdc9ca7): they must keep working
EARLIER_NAMES = ('token_footprint', 'show_footprint', 'show_footprints', 'GlobalTokenMixer', 'AxialMixer',
                 'StripMLPLayer', 'RelativePositionTable', 'CascadeGroupStripMixing', 'LocalStripMixing',
                 'StripMixingBlock', 'TokenMixing', 'ChannelMixing', 'GRN', 'StripMLPBlock', 'load_checkpoint',
                 'save_checkpoint', 'read_checkpoint', 'StripMLPConfig', 'StripMLPNet', 'create_model',
                 'list_models', 'from_official_config', 'count_params', 'count_macs', 'model_summary',
                 'format_summary', 'embedded_dataset', 'digits_dataset', 'cifar_dataset', 'caltech101_dataset',
                 'image_folder_dataset', 'train_transform', 'eval_transform', 'TrainConfig', 'train', 'evaluate',
                 'plot_history', 'load_train_config', 'shipped_model', 'ABLATION_VARIANTS', 'run_ablations',
                 'ablation_table', 'format_ablation_table', 'plot_ablations', 'shipped_ablations', 'attribute',
                 'METHODS', 'layer_names', 'strip_importance', 'branch_flow', 'faithfulness', 'faithfulness_table',
                 'mask_share', 'deletion_insertion', 'cascading_randomisation', 'show_attribution', 'show_methods',
                 'show_layers', 'show_strip_importance', 'show_branch_flow', 'show_faithfulness',
                 'AttributionExplorer', 'MIXERS', 'build_mixer', 'mixer_footprint', 'reach_table', 'format_reach',
                 'show_reach', 'strip_weight_tiles', 'show_strip_weights', 'show_position_tables', 'lsmm_path_usage',
                 'show_path_usage', 'effective_receptive_field', 'erf_area_ratios', 'show_erfs', 'StripExplorer',
                 'ERFExplorer', 'explore_footprint', 'explore_erf')


def imported_modules(code, cwd=None, env=None):
    "Top-level module names imported after running `code` in a fresh interpreter."
    probe = f"{code}\nimport sys, json; print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run([sys.executable, '-c', probe], capture_output=True, text=True, check=True, cwd=cwd, env=env).stdout
    return set(json.loads(out.splitlines()[-1]))


def package_imports(path, module=None):
    "The package's own modules (dotted, e.g. 'models.checkpoint') that the module at `path` (named `module`, default: its place in the package) imports, anywhere in it."
    here = (module or dotted(path)).split('.')[:-1]           # the package the module is in, e.g. ['models']
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
        if isinstance(node, ast.ImportFrom):
            if node.level: base = here[:len(here) - (node.level - 1)] + (node.module.split('.') if node.module else [])
            elif (node.module or '').startswith('strip_mlp_nb'): base = node.module.split('.')[1:]
            else: continue
            # `from .. import name` at the top: a subpackage or module, or one of __init__'s helpers (allowed to all)
            found |= {'.'.join(base)} if base else {a.name for a in node.names if (PKG/a.name).is_dir() or (PKG/f'{a.name}.py').exists()}
        elif isinstance(node, ast.Import):
            found |= {a.name.partition('.')[2] for a in node.names if a.name.startswith('strip_mlp_nb.')}
    return found


def test_runtime_imports_no_dev_tools():
    mods = imported_modules('import strip_mlp_nb, strip_mlp_nb.models.strip_mlp, strip_mlp_nb.models.checkpoint')
    assert not mods & {'nbdev', 'fastcore', 'execnb', 'ghapi', 'yacs', 'timm', 'torchvision'}, mods


@pytest.mark.parametrize('code', ['import strip_mlp_nb', 'import strip_mlp_nb.models.strip_mlp',
                                  'import strip_mlp_nb as s; s.create_model; s.load_checkpoint; s.StripMLPNet'])
def test_core_imports_are_light(code):
    heavy = imported_modules(code) & HEAVY
    assert not heavy, f'`{code}` loads {sorted(heavy)}'


def test_heavy_names_load_on_first_use():
    assert 'captum' in imported_modules('import strip_mlp_nb as s; s.attribute')
    assert 'matplotlib' in imported_modules('import strip_mlp_nb as s; s.show_footprint')


def test_no_module_imports_the_cli():
    offenders = {dotted(p) for p in MODULES if dotted(p) not in ('cli', 'launch') and 'cli' in package_imports(p)}
    assert not offenders, f'these modules import strip_mlp_nb.cli: {sorted(offenders)}'


def test_every_module_has_an_area():
    unknown = {dotted(p) for p in MODULES if not any(area(dotted(p)) in names for names in LAYERS)}
    assert not unknown, f'modules outside the areas of LAYERS: {sorted(unknown)}'


def test_model_imports_only_model():
    "layers/ and models/ import nothing from the other areas: the model is usable with torch alone."
    for p in MODULES:
        if area(dotted(p)) in MODEL_AREAS - {'utils'}:
            outside = {m for m in package_imports(p) if area(m) not in MODEL_AREAS}
            assert not outside, f'{dotted(p)} imports {sorted(outside)}'


def test_imports_follow_the_layers():
    "A module imports from its own area or an area before it in LAYERS, never from one after it or beside it."
    bad = [f'{dotted(p)} imports {m}' for p in MODULES for m in package_imports(p)
           if area(m) != area(dotted(p)) and level(m) >= level(dotted(p)) and area(m) != 'utils']
    assert not bad, bad


def test_layer_rule_catches_a_wrong_import(tmp_path):
    "The rule above fails on a model module that imports the training area (so it can fail)."
    fake = tmp_path/'probe.py'                                  # read as if it were strip_mlp_nb/layers/probe.py
    fake.write_text('from ..training.loop import train\nfrom .. import moved_names\n')
    assert package_imports(fake, 'layers.probe') == {'training.loop'}
    assert level('training.loop') >= level('layers.probe')


def test_earlier_module_paths_still_import():
    "The flat paths of before the subpackages import as the modules they moved to, also under python -m."
    code = """import strip_mlp_nb.model as old, strip_mlp_nb.models.strip_mlp as new
assert old is new and new.__spec__.name == 'strip_mlp_nb.models.strip_mlp', new.__spec__
from strip_mlp_nb.checkpoint import load_checkpoint
from strip_mlp_nb.training import train, TrainConfig, evaluate
from strip_mlp_nb.experiments import run_ablations
from strip_mlp_nb.recipes import load_train_config
print('ok')"""
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, cwd=ROOT.parent)
    assert r.stdout.strip() == 'ok', r.stderr[-2000:]
    r = subprocess.run([sys.executable, '-m', 'strip_mlp_nb.real_data', '--help'], capture_output=True, text=True)
    assert r.returncode == 0 and 'usage:' in r.stdout, r.stderr[-2000:]
    r = subprocess.run([sys.executable, '-c', 'from strip_mlp_nb.training import no_such_name'], capture_output=True, text=True)
    assert r.returncode and 'no_such_name' in r.stderr


def test_module_sizes():
    big = {dotted(p): n for p in MODULES if (n := len(p.read_text(encoding='utf-8').splitlines())) > 450}
    assert not big, f'modules over 450 lines: {big}'


def test_imports_flow_one_way():
    "No import cycles between the package's modules."
    graph = {dotted(p): package_imports(p) & {dotted(q) for q in MODULES} for p in MODULES}
    done, active = set(), []
    def visit(m):
        if m in active: raise AssertionError(f"import cycle: {' -> '.join(active[active.index(m):] + [m])}")
        if m in done: return
        active.append(m)
        for n in sorted(graph[m]): visit(n)
        active.pop(); done.add(m)
    for m in graph: visit(m)


def test_no_module_imports_private_names():
    "A module uses another module's public names only: a helper two modules share is public where it lives."
    found = []
    for p in MODULES:
        for node in ast.walk(ast.parse(p.read_text(encoding='utf-8'))):
            own = isinstance(node, ast.ImportFrom) and (node.level or (node.module or '').startswith('strip_mlp_nb'))
            if own: found += [f'{dotted(p)}: {node.module}.{a.name}' for a in node.names if a.name.startswith('_')]
    assert not found, found


def test_public_api():
    import strip_mlp_nb as smlp
    assert smlp.list_models() == ['strip_mlp_tiny_light', 'strip_mlp_tiny', 'strip_mlp_small', 'strip_mlp_base']
    for name in smlp.__all__: assert getattr(smlp, name) is not None, name
    for name in ('create_model', 'list_models', 'from_official_config', 'load_checkpoint', 'save_checkpoint',
                 'token_footprint', 'embedded_dataset', 'shipped_model', 'attribute',
                 'effective_receptive_field', 'train', 'TrainConfig', 'evaluate', 'run_ablations', 'StripExplorer',
                 'ERFExplorer', 'AttributionExplorer', 'explore_footprint', 'explore_erf'):
        assert name in smlp.__all__ and callable(getattr(smlp, name)), name
    assert 30 <= len(smlp.__all__) <= 50, f'the top level offers {len(smlp.__all__)} names: a few dozen, the rest in the subpackages'
    with pytest.warns(DeprecationWarning, match='moved to strip_mlp_nb.experiments.grid.grid_table'):
        missing = [n for n in EARLIER_NAMES if getattr(smlp, n, None) is None]   # ablation_table moved: found, with a warning
    assert not missing, f'earlier public names gone from strip_mlp_nb: {missing}'
    with pytest.raises(AttributeError, match='no attribute'): smlp.no_such_name
    model = smlp.create_model('strip_mlp_tiny_light', num_classes=3, img_size=32)
    assert set(model.default_cfg) >= {'input_size', 'mean', 'std', 'classifier', 'first_conv'}
    assert model.default_cfg['input_size'] == (3, 32, 32)


@pytest.fixture(scope='module')
def wheel(tmp_path_factory):
    "The package built as a wheel (as `pip wheel .` builds it)."
    out = tmp_path_factory.mktemp('wheel')
    subprocess.run([sys.executable, '-m', 'pip', 'wheel', '-q', '--no-deps', '--no-build-isolation', str(ROOT), '-w', str(out)],
                   check=True, capture_output=True, cwd=out)
    wheels = list(out.glob('strip_mlp_nb-*.whl'))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.mark.xdist_group('wheel')   # one worker builds the wheel once: two builds in one tree collide
def test_wheel_contents(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for p in MODULES + list(PKG.rglob('__init__.py')):
        assert str(p.relative_to(ROOT)) in names, p
    assets = {str(p.relative_to(ROOT)) for p in (PKG/'assets').rglob('*') if p.is_file()}
    assert assets and assets <= names, sorted(assets - names)
    for needed in ('strip_mlp_nb/assets/shipped_model.pt', 'strip_mlp_nb/assets/configs/cpu/embedded.yaml',
                   'strip_mlp_nb/assets/results/ablations.json', 'strip_mlp_nb/assets/results/analysis_erf.npz'):
        assert needed in names, needed
    assert not any(n.startswith(('nbs/', 'tests/', 'data/', 'scripts/')) for n in names)
    entry = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith('entry_points.txt'))).decode()
    assert 'strip-mlp = strip_mlp_nb.launch:main' in entry


USE_INSTALLED = r'''
import sys, json, torch, strip_mlp_nb as smlp
from pathlib import Path
here = Path(smlp.__file__).resolve().parent
assert str(here).startswith(sys.argv[1]), (here, sys.argv[1])       # the installed copy, not the checkout
torch.set_num_threads(1)
model = smlp.shipped_model()
test = smlp.embedded_dataset('test')
acc = smlp.evaluate(model, test)['acc']
first = torch.stack([test[i][0] for i in range(64)])
with torch.no_grad(): manual = (model(first).argmax(1) == torch.tensor([test[i][1] for i in range(64)])).float().mean().item()
print(json.dumps(dict(acc=acc, manual=manual, ablations=len(smlp.stored_experiments()),
                      erf=sorted(__import__('strip_mlp_nb.explain.erf', fromlist=['x']).load_erf_comparison())[:1],
                      configs=__import__('strip_mlp_nb.training.recipes', fromlist=['x']).list_configs())))
'''


@pytest.mark.xdist_group('wheel')
def test_installed_wheel_works_elsewhere(wheel, tmp_path):
    "Installed outside the checkout and used from another folder: the shipped model, stored results and recipes."
    site, work = tmp_path/'site', tmp_path/'elsewhere'
    work.mkdir()
    subprocess.run([sys.executable, '-m', 'pip', 'install', '-q', '--no-deps', '--no-compile', '--target', str(site), str(wheel)],
                   check=True, capture_output=True)
    env = {**os.environ, 'PYTHONPATH': str(site), 'MPLBACKEND': 'Agg', 'OMP_NUM_THREADS': '1'}
    r = subprocess.run([sys.executable, '-c', USE_INSTALLED, str(site)], capture_output=True, text=True, cwd=work, env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    got = json.loads(r.stdout.splitlines()[-1])
    assert got['acc'] >= 0.9 and got['manual'] >= 0.8, got     # the natural path: images as the dataset gives them
    assert got['ablations'] > 0 and got['erf'] and 'cpu/embedded' in got['configs'], got
    cli = [sys.executable, '-m', 'strip_mlp_nb.cli']
    r = subprocess.run(cli + ['configs'], capture_output=True, text=True, cwd=work, env=env)
    assert r.returncode == 0 and 'cpu/embedded' in r.stdout, r.stderr[-2000:]
    r = subprocess.run(cli + ['summary', '--config', 'cpu/embedded'], capture_output=True, text=True, cwd=work, env=env)
    assert r.returncode == 0, r.stderr[-2000:]                  # a packaged recipe by its name
    r = subprocess.run(cli + ['demo', '--pretrained', '--out', 'demo', '--no-progress', '--threads', '1'],
                       capture_output=True, text=True, cwd=work, env=env, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert (work/'demo'/'report.html').exists() and not list((work/'demo').glob('*.pt')), 'demo --pretrained must not train'
    r = subprocess.run(cli + ['demo', '--pretrained', 'missing.pt', '--out', 'demo2'], capture_output=True, text=True,
                       cwd=work, env=env, timeout=120)
    assert r.returncode == 2 and 'missing.pt' in r.stderr and not (work/'demo2'/'last.pt').exists(), (r.returncode, r.stderr[-2000:])
