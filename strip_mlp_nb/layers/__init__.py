"""Strip-MLP's pieces and the token mixers it is compared with: the strip layer, CGSMM, LSMM, the blocks, their fast paths."""
