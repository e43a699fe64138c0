"""The network (`models.strip_mlp`), its checkpoints and the official weights, timm's model API and registry."""
