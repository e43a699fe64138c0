"""strip_mlp_nb: Strip-MLP (Cao et al., ICCV 2023) built step by step in notebooks."""
__version__ = "0.1.0"
