"""strip_mlp_nb: Strip-MLP (Cao et al., ICCV 2023) built step by step in notebooks.

The modules are exported from the notebooks in `nbs/`; this file only gathers the public names.
"""
__version__ = "0.1.0"

from .interaction import token_footprint, show_footprint, show_footprints, GlobalTokenMixer, AxialMixer
from .strip_layer import StripMLPLayer, RelativePositionTable
from .cgsmm import CascadeGroupStripMixing
from .lsmm import LocalStripMixing
from .blocks import StripMixingBlock, TokenMixing, ChannelMixing, GRN, StripMLPBlock
from .checkpoint import load_checkpoint, save_checkpoint, read_checkpoint
from .model import (StripMLPConfig, StripMLPNet, create_model, list_models, from_official_config,
                    count_params, count_macs, model_summary, format_summary)
from .data import (embedded_dataset, digits_dataset, cifar_dataset, caltech101_dataset, image_folder_dataset,
                   train_transform, eval_transform)
from .training import TrainConfig, train, evaluate, plot_history, load_train_config
from .cli import shipped_model
from .experiments import ABLATION_VARIANTS, run_ablations, ablation_table, format_ablation_table, plot_ablations, shipped_ablations
from .attribution import (attribute, METHODS, layer_names, strip_importance, branch_flow, faithfulness, faithfulness_table,
                          mask_share, deletion_insertion, cascading_randomisation, show_attribution, show_methods,
                          show_layers, show_strip_importance, show_branch_flow, show_faithfulness, AttributionExplorer)
from .analysis import (MIXERS, build_mixer, mixer_footprint, reach_table, format_reach, show_reach, strip_weight_tiles,
                       show_strip_weights, show_position_tables, lsmm_path_usage, show_path_usage,
                       effective_receptive_field, erf_area_ratios, show_erfs)
from .explorers import StripExplorer, ERFExplorer, explore_footprint, explore_erf
