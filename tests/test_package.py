"""Package-level checks that no notebook can make: what `import strip_mlp_nb` pulls in, and the public API."""
import json, subprocess, sys


def imported_modules(code):
    "Top-level module names imported after running `code` in a fresh interpreter."
    probe = f"{code}\nimport sys, json; print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run([sys.executable, '-c', probe], capture_output=True, text=True, check=True).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_runtime_imports_no_dev_tools():
    mods = imported_modules('import strip_mlp_nb, strip_mlp_nb.model, strip_mlp_nb.checkpoint')
    assert not mods & {'nbdev', 'fastcore', 'execnb', 'ghapi', 'yacs', 'timm', 'torchvision'}, mods


def test_public_api():
    import strip_mlp_nb as smlp
    assert smlp.list_models() == ['strip_mlp_tiny_light', 'strip_mlp_tiny', 'strip_mlp_small', 'strip_mlp_base']
    for name in ('create_model', 'from_official_config', 'load_checkpoint', 'token_footprint', 'save_checkpoint',
                 'embedded_dataset', 'shipped_model', 'train', 'run_ablations', 'effective_receptive_field', 'attribute'):
        assert callable(getattr(smlp, name)), name
    model = smlp.create_model('strip_mlp_tiny_light', num_classes=3, img_size=32)
    assert set(model.default_cfg) >= {'input_size', 'mean', 'std', 'classifier', 'first_conv'}
    assert model.default_cfg['input_size'] == (3, 32, 32)
