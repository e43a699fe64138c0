"""python -m strip_mlp_nb.experiments: the ablation grid (strip_mlp_nb.experiments.ablations)."""
from .ablations import main

raise SystemExit(main())
