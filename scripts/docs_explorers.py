"""The explorers of the path as pages that move without a kernel: every discrete setting they offer computed once
when the docs are built (with the very functions the widgets call, `widgets.explorers`), written to
`explorer_data.js`, and drawn in the browser by `docs_assets/explorers.js` with the widgets' colour maps.

The strip-mixing explorer: every random mixer of `explain.analysis.MIXERS`, cross-strip taps on and off where a mixer
has them, every output token of a square map. The ERF explorer: the shipped model trained and at its seed-0 random
weights, every stage and every token of it, averaged over the first test images."""
import json
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.colors import to_hex

FULL = dict(size=9, erf_images=50, attribution_images=6, trained_images=3)   # the docs: the widgets' default resolution, the ERF over 50 images
QUICK = dict(size=5, erf_images=5, attribution_images=2, trained_images=1)   # the test's build: every control, fewer tokens and images


def _round(values)->list: return [float(f'{v:.4g}') for v in values]


def lut(name:str)->list[str]:
    "A matplotlib colour map as 256 hex colours."
    cmap = plt.get_cmap(name)
    return [to_hex(cmap(i / 255)) for i in range(256)]


def footprint_grid(size:int, images:int)->dict:
    """Footprint of every output token: every random mixer on a size x size map (taps on and off where they apply), and
    every stage of the shipped model on each of the first `images` test images."""
    from strip_mlp_nb.explain.analysis import MIXERS, default_groups
    from strip_mlp_nb.widgets.explorers import explore_footprint, stage_sizes, TRAINED
    tapped = [k for k in MIXERS if default_groups(k, 16) is not None]           # the widget offers taps for these
    fp = lambda kind, token, hw, **kw: _round(explore_footprint(kind, token, hw, **kw)['footprint'].flatten().tolist())
    maps = {f'{kind}|{taps}': [fp(kind, (r, c), (size, size), taps=taps) for r in range(size) for c in range(size)]
            for kind in MIXERS for taps in ((3, 1) if kind in tapped else (3,))}
    sides = [h for h, _ in stage_sizes()]
    trained = {f'{k}|{i}': [fp(TRAINED, (r, c), (side, side), stage=k, image=i) for r in range(side) for c in range(side)]
               for k, side in enumerate(sides) for i in range(images)}
    return dict(size=size, mixers=list(MIXERS), tapped=tapped, maps=maps, cmap=lut('magma'), trained=trained,
                trained_label=TRAINED, sides=sides, images=images)


def erf_grid(images:int)->dict:
    "The shipped model's ERF for every stage and token, trained and random, averaged over the first `images` test images."
    from strip_mlp_nb.widgets.explorers import explore_erf, stage_sizes
    sides = [h for h, _ in stage_sizes()]
    maps = {f'{m}|{k}': [_round(explore_erf(m, k, (r, c), 0, images)['erf'].flatten().tolist())
                          for r in range(side) for c in range(side)]
            for m in ('trained', 'random') for k, side in enumerate(sides)}
    return dict(sides=sides, images=images, pixels=32, maps=maps, cmap=lut('YlGn'))


def attribution_grid(docs:Path, images:int)->dict:
    "The attribution explorer's picture for each of the first test images, method and view, as PNG files beside the pages."
    from strip_mlp_nb.training.shipped import shipped_model
    from strip_mlp_nb.explain.attribution import embedded_examples
    from strip_mlp_nb.explain.attribution_methods import METHODS
    from strip_mlp_nb.explain.attribution_plots import VIEWS, layer_sizes, explorer_check, explorer_figure
    from strip_mlp_nb.utils import figure_png
    model, ex = shipped_model(normalize=False), embedded_examples(16)
    sizes, cache, folder = layer_sizes(model), {}, docs/'explorers'/'attribution'   # one forward pass, not one per picture
    layer = next(iter(sizes))                                                         # the widget's first layer
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for i in range(images):
        for m in METHODS:
            for v, view in enumerate(VIEWS):
                if explorer_check(m, layer, sizes, view): continue
                name = f'{i}-{m}-{v}.png'
                (folder/name).write_bytes(figure_png(explorer_figure(model, ex, i, m, layer, view, cache), 90, bbox_inches='tight'))
                files[f'{i}|{m}|{v}'] = f'explorers/attribution/{name}'
    return dict(images=[f"image {i}: {ex['classes'][ex['labels'][i]]}" for i in range(images)], methods=list(METHODS),
                views=list(VIEWS), layer=layer, files=files)


def write_explorer_data(docs:Path, kinds:set, quick:bool=False):
    "explorer_data.js: the precomputed settings of the explorers the pages show, for pages opened from the file system."
    cfg, data = QUICK if quick else FULL, {}
    if 'footprint' in kinds: data['footprint'] = footprint_grid(cfg['size'], cfg['trained_images'])
    if 'erf' in kinds: data['erf'] = erf_grid(cfg['erf_images'])
    if 'attribution' in kinds: data['attribution'] = attribution_grid(docs, cfg['attribution_images'])
    (docs/'explorer_data.js').write_text('window.SMLP_EXPLORERS = ' + json.dumps(data, separators=(',', ':')) + ';\n')


PLACEHOLDERS = {'explorer = StripExplorer()': 'footprint', 'erf_explorer = ERFExplorer()': 'erf',
                'explorer = AttributionExplorer(model, ex)': 'attribution'}


def explorer_placeholders(nb)->set:
    "After the cell that shows a widget, a place for its page version; the kinds of explorer the notebook has."
    import nbformat
    out, found = [], set()
    for cell in nb.cells:
        out.append(cell)
        kind = next((k for s, k in PLACEHOLDERS.items() if cell.cell_type == 'code' and s in cell.source), None)
        if kind:
            found.add(kind)
            out.append(nbformat.v4.new_markdown_cell(
                f'In this page, without a kernel (every setting computed when the docs were built):\n\n'
                f'<div class="smlp-page-explorer" data-explorer="{kind}"></div>'))
    nb.cells = out
    return found
