"""Training: the loop (`training.loop`), optimiser and schedule, runtime (devices, DDP), recipes, the shipped model.

`strip_mlp_nb.training` was the module now at `strip_mlp_nb.training.loop`: its names are still found here."""
from .. import forward_names

__getattr__ = forward_names(__name__, 'loop')
