"""Interactive explorers (ipywidgets) of strip mixing, footprints and effective receptive fields."""
