"""python -m strip_mlp_nb.experiments: the ablation grid (strip_mlp_nb.experiments.ablation_runs)."""
from .ablation_runs import main

raise SystemExit(main())
