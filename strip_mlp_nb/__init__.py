"""strip_mlp_nb: Strip-MLP (Cao et al., ICCV 2023) built step by step in notebooks.

The package is laid out by job, one subpackage per area, each module built in a notebook of the same folder of nbs/:

    layers/       the token mixers and Strip-MLP's pieces (strip layer, CGSMM, LSMM, blocks) and their fast paths
    models/       the network (models.strip_mlp), its checkpoints and official weights, timm's model API
    data/         the embedded dataset, transforms, Fashion-MNIST, CIFAR, Caltech-101 and image folders
    training/     the training loop, optimiser and schedule, runtime (devices, DDP), recipes, the shipped model
    explain/      token footprints, weight analysis, effective receptive fields, attribution and its checks
    experiments/  the ablation and real-data grids, the demo's report
    widgets/      the interactive explorers
    cli, utils    the `strip-mlp` command; small helpers every area shares

`layers` and `models` import nothing from the other areas (torch, einops and `utils` only); the order above is the
direction of every import (tests/test_package.py). The names in `_API` are the public API at the top level (the rest
lives in the subpackages; names the top level offered earlier still resolve, `_EARLIER`). Every name
loads its module on first use (PEP 562), so `import strip_mlp_nb` is cheap and pulls in neither PyTorch, matplotlib,
Captum nor ipywidgets until a name that needs them is used. The modules' earlier flat paths (`strip_mlp_nb.model`,
`strip_mlp_nb.training`, ...) still import, as the modules they moved to (`_MOVED`).

    import strip_mlp_nb as smlp
    model = smlp.create_model('strip_mlp_tiny_light', num_classes=10, img_size=32)
    trained = smlp.shipped_model()                       # takes images in [0, 1]
    smlp.evaluate(trained, smlp.embedded_dataset('test'))
"""
__version__ = "0.1.0"

import importlib as _importlib
import importlib.abc as _abc
import importlib.util as _util
import sys as _sys

_API = {   # module -> the names the top level offers (those the README and the path use), in the path's order
    'layers.token_mixers': ['GlobalTokenMixer', 'AxialMixer', 'ConvTokenMixer'],
    'explain.interaction': ['token_footprint', 'show_footprint'],
    'layers.strip_layer': ['StripMLPLayer'],
    'layers.cgsmm': ['CascadeGroupStripMixing'],
    'layers.lsmm': ['LocalStripMixing'],
    'layers.blocks': ['StripMixingBlock'],
    'models.strip_mlp': ['StripMLPConfig', 'StripMLPNet', 'create_model', 'list_models', 'from_official_config',
        'count_params', 'count_macs'],
    'models.checkpoint': ['load_checkpoint', 'save_checkpoint'],
    'models.from_checkpoint': ['model_from_checkpoint'],
    'data.embedded': ['embedded_dataset', 'EMBEDDED_CLASSES'],
    'data.image_folders': ['image_folder_dataset'],
    'data.datasets': ['fashion_mnist_dataset'],
    'training.loop': ['TrainConfig', 'train', 'evaluate'],
    'training.recipes': ['load_train_config', 'run_training'],
    'training.shipped': ['shipped_model'],
    'explain.summary': ['model_summary', 'format_summary'],
    'explain.attribution_methods': ['attribute'],
    'explain.attribution': ['embedded_examples'],
    'explain.erf': ['effective_receptive_field'],
    'experiments.ablations': ['ABLATION_VARIANTS', 'stored_experiments'],
    'experiments.ablation_runs': ['run_ablations'],
    'experiments.grid': ['grid_table', 'format_grid_table', 'paired_effects', 'format_paired_effects'],
    'experiments.real_data': ['run_real_grid'],
    'experiments.report': ['demo', 'plot_history'],
    'widgets.explorers': ['explore_footprint', 'explore_erf'],
    'widgets.explorer_widgets': ['StripExplorer', 'ERFExplorer'],
    'explain.attribution_plots': ['AttributionExplorer'],
}
_EARLIER = {   # names the top level offered before it was trimmed: still found (not listed), each in its module
    'layers.token_mixers': ['mixer_cost', 'mixer_costs'],
    'explain.interaction': ['show_footprints'],
    'layers.strip_layer': ['RelativePositionTable'],
    'layers.cgsmm': ['strip_groups'],
    'layers.blocks': ['TokenMixing', 'ChannelMixing', 'GRN', 'StripMLPBlock'],
    'data.embedded': ['show_samples', 'EMBEDDED_MEAN', 'EMBEDDED_STD'],
    'experiments.ablations': ['COLOUR_VARIANTS', 'ablation_table', 'format_ablation_table', 'plot_ablations',
        'shipped_ablations'],
    'experiments.erf_runs': ['erf_comparison'],
    'explain.analysis': ['MIXERS', 'build_mixer', 'mixer_footprint', 'reach_table', 'format_reach', 'show_reach',
        'strip_weight_tiles', 'hold_path_weights', 'outside_share'],
    'explain.weights': ['show_strip_weights', 'show_position_tables', 'tap_norms', 'lsmm_path_usage', 'show_path_usage',
        'strip_weight_stats'],
    'explain.erf': ['erf_area_ratios', 'show_erfs', 'load_erf_comparison', 'format_area_ratios'],
    'explain.attribution': ['strip_importance', 'branch_flow'],
    'explain.attribution_methods': ['METHODS', 'method_options', 'layer_names'],
    'explain.faithfulness': ['faithfulness', 'faithfulness_table', 'format_faithfulness', 'mask_share',
        'deletion_insertion', 'cascading_randomisation'],
    'explain.attribution_plots': ['show_attribution', 'show_methods', 'show_layers', 'show_strip_importance',
        'show_branch_flow', 'show_faithfulness', 'show_randomisation'],
    'models.model_api': ['TimmModelAPI', 'FeatureMaps', 'FeatureInfo'],
    'models.checkpoint': ['read_checkpoint', 'CheckpointError'],
    'explain.summary': ['show_architecture', 'show_strip_mixing_block', 'show_cgsmm', 'show_lsmm',
        'show_strip_rearrange'],
    'data.transforms': ['train_transform', 'eval_transform', 'IMAGENET_MEAN', 'IMAGENET_STD'],
    'data.datasets': ['digits_dataset', 'read_idx', 'cifar_dataset', 'build_datasets', 'data_loaders'],
    'data.image_folders': ['caltech101_dataset'],
    'training.recipes': ['list_configs'],
    'experiments.real_data': ['REAL_VARIANTS', 'real_config', 'variant_costs', 'real_table', 'real_effects',
        'merge_results'],
}
_WHERE = {name: module for table in (_EARLIER, _API) for module, names in table.items() for name in names}
__all__ = [name for names in _API.values() for name in names]


def __getattr__(name:str):
    "Import the module that defines `name` on first use, and cache the name here."
    if name not in _WHERE: raise AttributeError(f"module 'strip_mlp_nb' has no attribute {name!r}")
    value = getattr(_importlib.import_module(f'.{_WHERE[name]}', __name__), name)
    globals()[name] = value
    return value


def __dir__()->list: return sorted(set(globals()) | set(__all__))


_MOVED = {   # the flat module paths before the package had subpackages -> where each module lives now
    'token_mixers': 'layers.token_mixers', 'strip_layer': 'layers.strip_layer', 'cgsmm': 'layers.cgsmm',
    'lsmm': 'layers.lsmm', 'blocks': 'layers.blocks', 'fast_paths': 'layers.fast_paths',
    'model': 'models.strip_mlp', 'checkpoint': 'models.checkpoint', 'model_api': 'models.model_api',
    'timm_models': 'models.timm_models', 'embedded': 'data.embedded', 'transforms': 'data.transforms',
    'datasets': 'data.datasets', 'optim': 'training.optim', 'runtime': 'training.runtime',
    'recipes': 'training.recipes', 'shipped': 'training.shipped', 'interaction': 'explain.interaction',
    'analysis': 'explain.analysis', 'erf': 'explain.erf', 'attribution': 'explain.attribution',
    'faithfulness': 'explain.faithfulness', 'attribution_plots': 'explain.attribution_plots',
    'summary': 'explain.summary', 'real_data': 'experiments.real_data', 'report': 'experiments.report',
    'explorers': 'widgets.explorers',
}   # `training` and `experiments` are packages now: their __init__ forwards the names of training.loop, experiments.ablations


class _MovedModule(_abc.MetaPathFinder, _abc.Loader):
    "Imports `strip_mlp_nb.<old>` as the module it moved to (the same module object), and runs it under `python -m`."
    def __init__(self): self._specs = {}             # alias name -> the real module's spec, between create and exec
    def find_spec(self, fullname, path=None, target=None):
        old = fullname.partition(__name__ + '.')[2]
        return _util.spec_from_loader(fullname, self) if old in _MOVED else None
    def create_module(self, spec):
        module = _importlib.import_module(self._new(spec.name))
        self._specs[spec.name] = module.__spec__     # the import system sets __spec__ to the alias's: kept to put back
        return module
    def exec_module(self, module): module.__spec__ = self._specs.pop(module.__spec__.name, module.__spec__)
    def get_code(self, fullname):   # python -m strip_mlp_nb.<old>: run the new module as __main__
        return compile(f"import runpy; runpy.run_module({self._new(fullname)!r}, run_name='__main__', alter_sys=True)",
                       f'<{fullname}, moved to {self._new(fullname)}>', 'exec')
    def _new(self, fullname): return f"{__name__}.{_MOVED[fullname.partition(__name__ + '.')[2]]}"


if not any(isinstance(f, _MovedModule) for f in _sys.meta_path): _sys.meta_path.append(_MovedModule())


def _under_python_m():
    "Under `python -m strip_mlp_nb...`, a Ctrl-C before the command's own handling (PyTorch loading) ends in one line."
    from .launch import main_module, interrupt_in_one_line     # sys only: no PyTorch
    if module := main_module(): interrupt_in_one_line(module)


_under_python_m()


def moved_names(module:str, moved:dict):
    "A module `__getattr__` for `module` that finds names which moved elsewhere ({old: 'area.module.new'}), with a DeprecationWarning."
    def __getattr__(name:str):
        if name not in moved: raise AttributeError(f"module {module!r} has no attribute {name!r}")
        where, _, new = moved[name].rpartition('.')
        import warnings
        warnings.warn(f"{module}.{name} moved to {__name__}.{where}.{new}", DeprecationWarning, stacklevel=2)
        return getattr(_importlib.import_module(f'.{where}', __name__), new)
    return __getattr__


def forward_names(package:str, module:str):
    "A module `__getattr__` for `package` that finds the names of its submodule `module` (the module its path once was)."
    def __getattr__(name:str):
        if name.startswith('__'): raise AttributeError(name)
        try: return getattr(_importlib.import_module(f'.{module}', package), name)
        except AttributeError: raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
    return __getattr__
