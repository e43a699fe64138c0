"""Training: the loop (`training.loop`), optimiser and schedule, runtime (devices, DDP), recipes, the shipped model.

`strip_mlp_nb.training` was the module now at `strip_mlp_nb.training.loop`: its names are still found here."""
import importlib as _importlib


def __getattr__(name:str):
    "A name of `training.loop` (the module this package's path used to be), or an AttributeError."
    if name.startswith('__'): raise AttributeError(name)
    module = _importlib.import_module('.loop', __name__)
    try: return getattr(module, name)
    except AttributeError: raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
