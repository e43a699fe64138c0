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
direction of every import (tests/test_package.py). The names below are the public API at the top level. Every name
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

_API = {   # module -> the public names it gives the top level, in the order of the learning path, then the reference
    'layers.token_mixers': ['GlobalTokenMixer', 'AxialMixer', 'ConvTokenMixer', 'mixer_cost', 'mixer_costs'],
    'explain.interaction': ['token_footprint', 'show_footprint', 'show_footprints'],
    'layers.strip_layer': ['StripMLPLayer', 'RelativePositionTable'],
    'layers.cgsmm': ['CascadeGroupStripMixing', 'strip_groups'],
    'layers.lsmm': ['LocalStripMixing'],
    'layers.blocks': ['StripMixingBlock', 'TokenMixing', 'ChannelMixing', 'GRN', 'StripMLPBlock'],
    'models.strip_mlp': ['StripMLPConfig', 'StripMLPNet', 'create_model', 'list_models', 'from_official_config',
              'model_from_checkpoint', 'count_params', 'count_macs'],
    'data.embedded': ['embedded_dataset', 'show_samples', 'EMBEDDED_CLASSES', 'EMBEDDED_MEAN', 'EMBEDDED_STD'],
    'training.loop': ['TrainConfig', 'train', 'evaluate'],
    'training.shipped': ['shipped_model'],
    'experiments.ablations': ['ABLATION_VARIANTS', 'COLOUR_VARIANTS', 'run_ablations', 'ablation_table', 'format_ablation_table', 'plot_ablations',
                    'shipped_ablations', 'stored_experiments', 'paired_effects',
                    'format_paired_effects', 'erf_comparison'],
    'explain.analysis': ['MIXERS', 'build_mixer', 'mixer_footprint', 'reach_table', 'format_reach', 'show_reach',
                 'strip_weight_tiles', 'show_strip_weights', 'show_position_tables', 'tap_norms', 'lsmm_path_usage',
                 'show_path_usage', 'hold_path_weights', 'strip_weight_stats', 'outside_share'],
    'widgets.explorers': ['StripExplorer', 'ERFExplorer', 'explore_footprint', 'explore_erf'],
    'explain.erf': ['effective_receptive_field', 'erf_area_ratios', 'show_erfs', 'load_erf_comparison', 'format_area_ratios'],
    'explain.attribution': ['attribute', 'METHODS', 'method_options', 'embedded_examples', 'layer_names', 'strip_importance',
                    'branch_flow'],
    'explain.faithfulness': ['faithfulness', 'faithfulness_table', 'format_faithfulness', 'mask_share', 'deletion_insertion',
                     'cascading_randomisation'],
    'explain.attribution_plots': ['show_attribution', 'show_methods', 'show_layers', 'show_strip_importance', 'show_branch_flow',
                          'show_faithfulness', 'show_randomisation', 'AttributionExplorer'],
    'models.model_api': ['TimmModelAPI', 'FeatureMaps', 'FeatureInfo'],
    'models.checkpoint': ['load_checkpoint', 'save_checkpoint', 'read_checkpoint', 'CheckpointError'],
    'explain.summary': ['model_summary', 'format_summary', 'show_architecture', 'show_strip_mixing_block', 'show_cgsmm', 'show_lsmm',
                'show_strip_rearrange'],
    'data.transforms': ['train_transform', 'eval_transform', 'IMAGENET_MEAN', 'IMAGENET_STD'],
    'data.datasets': ['digits_dataset', 'fashion_mnist_dataset', 'read_idx', 'cifar_dataset', 'caltech101_dataset',
                 'image_folder_dataset', 'build_datasets', 'data_loaders'],
    'training.recipes': ['load_train_config', 'list_configs', 'run_training'],
    'experiments.real_data': ['REAL_VARIANTS', 'real_config', 'variant_costs', 'run_real_grid', 'real_table', 'real_effects',
                  'merge_results'],
    'experiments.report': ['demo', 'plot_history'],
}
_WHERE = {name: module for module, names in _API.items() for name in names}
__all__ = list(_WHERE)


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
    def find_spec(self, fullname, path=None, target=None):
        old = fullname.partition(__name__ + '.')[2]
        return _util.spec_from_loader(fullname, self) if old in _MOVED else None
    def create_module(self, spec):
        module = _importlib.import_module(self._new(spec.name))
        self.spec = module.__spec__                  # the import system sets __spec__ to the alias's: put it back
        return module
    def exec_module(self, module): module.__spec__ = self.spec
    def get_code(self, fullname):   # python -m strip_mlp_nb.<old>: run the new module as __main__
        return compile(f"import runpy; runpy.run_module({self._new(fullname)!r}, run_name='__main__', alter_sys=True)",
                       f'<{fullname}, moved to {self._new(fullname)}>', 'exec')
    def _new(self, fullname): return f"{__name__}.{_MOVED[fullname.partition(__name__ + '.')[2]]}"


if not any(isinstance(f, _MovedModule) for f in _sys.meta_path): _sys.meta_path.append(_MovedModule())


def forward_names(package:str, module:str):
    "A module `__getattr__` for `package` that finds the names of its submodule `module` (the module its path once was)."
    def __getattr__(name:str):
        if name.startswith('__'): raise AttributeError(name)
        try: return getattr(_importlib.import_module(f'.{module}', package), name)
        except AttributeError: raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
    return __getattr__
