"""Experiments: the ablation grid on the embedded dataset (`experiments.ablations`), the real-data grid, the demo's report.

`strip_mlp_nb.experiments` was the module now at `strip_mlp_nb.experiments.ablations`: its names are still found here."""
from .. import forward_names

__getattr__ = forward_names(__name__, 'ablations')
