"""Experiments: the ablation grid on the embedded dataset (`experiments.ablations`), the real-data grid, the demo's report.

`strip_mlp_nb.experiments` was the module now at `strip_mlp_nb.experiments.ablations`: its names are still found here."""
import importlib as _importlib


def __getattr__(name:str):
    "A name of `experiments.ablations` (the module this package's path used to be), or an AttributeError."
    if name.startswith('__'): raise AttributeError(name)
    module = _importlib.import_module('.ablations', __name__)
    try: return getattr(module, name)
    except AttributeError: raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
