"""What a model computes and why: token footprints, weight analysis, effective receptive fields, attribution."""
