"""strip_mlp_nb: Strip-MLP (Cao et al., ICCV 2023) built step by step in notebooks.

Each module is built, explained and tested in a notebook of the project (strip_mlp_nb/model.py in
nbs/06_model.ipynb, ...); this file lists the public API, by module, in `_API`. Every name loads its module on first
use (PEP 562), so `import strip_mlp_nb` is cheap and pulls in neither PyTorch, matplotlib, Captum nor ipywidgets
until a name that needs them is used.

    import strip_mlp_nb as smlp
    model = smlp.create_model('strip_mlp_tiny_light', num_classes=10, img_size=32)
    trained = smlp.shipped_model()                       # takes images in [0, 1]
    smlp.evaluate(trained, smlp.embedded_dataset('test'))
"""
__version__ = "0.1.0"

import importlib as _importlib

_API = {   # module -> the public names it gives the top level, in the order of the learning path, then the reference
    'token_mixers': ['GlobalTokenMixer', 'AxialMixer', 'ConvTokenMixer', 'mixer_cost', 'mixer_costs'],
    'interaction': ['token_footprint', 'show_footprint', 'show_footprints'],
    'strip_layer': ['StripMLPLayer', 'RelativePositionTable'],
    'cgsmm': ['CascadeGroupStripMixing', 'strip_groups'],
    'lsmm': ['LocalStripMixing'],
    'blocks': ['StripMixingBlock', 'TokenMixing', 'ChannelMixing', 'GRN', 'StripMLPBlock'],
    'model': ['StripMLPConfig', 'StripMLPNet', 'create_model', 'list_models', 'from_official_config',
              'model_from_checkpoint', 'count_params', 'count_macs'],
    'embedded': ['embedded_dataset', 'show_samples', 'EMBEDDED_CLASSES', 'EMBEDDED_MEAN', 'EMBEDDED_STD'],
    'training': ['TrainConfig', 'train', 'evaluate'],
    'shipped': ['shipped_model'],
    'experiments': ['ABLATION_VARIANTS', 'COLOUR_VARIANTS', 'run_ablations', 'ablation_table', 'format_ablation_table', 'plot_ablations',
                    'shipped_ablations', 'stored_experiments', 'paired_effects',
                    'format_paired_effects', 'erf_comparison'],
    'analysis': ['MIXERS', 'build_mixer', 'mixer_footprint', 'reach_table', 'format_reach', 'show_reach',
                 'strip_weight_tiles', 'show_strip_weights', 'show_position_tables', 'tap_norms', 'lsmm_path_usage',
                 'show_path_usage', 'hold_path_weights', 'strip_weight_stats', 'outside_share'],
    'explorers': ['StripExplorer', 'ERFExplorer', 'explore_footprint', 'explore_erf'],
    'erf': ['effective_receptive_field', 'erf_area_ratios', 'show_erfs', 'load_erf_comparison', 'format_area_ratios'],
    'attribution': ['attribute', 'METHODS', 'method_options', 'embedded_examples', 'layer_names', 'strip_importance',
                    'branch_flow'],
    'faithfulness': ['faithfulness', 'faithfulness_table', 'format_faithfulness', 'mask_share', 'deletion_insertion',
                     'cascading_randomisation'],
    'attribution_plots': ['show_attribution', 'show_methods', 'show_layers', 'show_strip_importance', 'show_branch_flow',
                          'show_faithfulness', 'show_randomisation', 'AttributionExplorer'],
    'model_api': ['TimmModelAPI', 'FeatureMaps', 'FeatureInfo'],
    'checkpoint': ['load_checkpoint', 'save_checkpoint', 'read_checkpoint', 'CheckpointError'],
    'summary': ['model_summary', 'format_summary', 'show_architecture', 'show_strip_mixing_block', 'show_cgsmm', 'show_lsmm',
                'show_strip_rearrange'],
    'transforms': ['train_transform', 'eval_transform', 'IMAGENET_MEAN', 'IMAGENET_STD'],
    'datasets': ['digits_dataset', 'fashion_mnist_dataset', 'read_idx', 'cifar_dataset', 'caltech101_dataset',
                 'image_folder_dataset', 'build_datasets', 'data_loaders'],
    'recipes': ['load_train_config', 'list_configs', 'run_training'],
    'real_data': ['REAL_VARIANTS', 'real_config', 'variant_costs', 'run_real_grid', 'real_table', 'real_effects',
                  'merge_results'],
    'report': ['demo', 'plot_history'],
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
