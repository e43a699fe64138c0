"""The explorers of the path as pages that move without a kernel: every discrete setting they offer computed once
when the docs are built (with the very functions the widgets call, `widgets.explorers`), written to
`explorer_data.js`, and drawn in the browser by `docs_assets/explorers.js` with the widgets' colour maps.

The strip-mixing explorer: every random mixer of `explain.analysis.MIXERS` at every depth and resolution listed, with
cross-strip taps on and off where a mixer has them and LSMM's path weights held or not where it has LSMM, every output
token; every stage of the shipped model on the first test images (drawn over them on request). Not on the page: the
widget's choice of weight groups and of one channel group. The ERF explorer: the shipped model trained and at its
seed-0 random weights, every stage and token, averaged over the first test images or on each of the first few alone.
The attribution explorer: the widget's pictures for the first test images, every method and view, Grad-CAM on the
layers listed."""
import json
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.colors import to_hex

FULL = dict(sizes=(5, 7, 9), depths=(1, 2, 3), erf_images=50, erf_single=4, attribution_images=6, trained_images=3,
            layers=('stage1', 'stage1.block0.strip', 'stage1.block0.local', 'stage2', 'stage3'))   # the docs
QUICK = dict(sizes=(4, 5), depths=(1, 2), erf_images=5, erf_single=1, attribution_images=2, trained_images=1,
             layers=('stage1.block0.strip', 'stage2'), mixers=('axial', 'CGSMM', 'Strip Mixing Block'))   # the test's build: every control, fewer settings


def _round(values)->list: return [float(f'{v:.4g}') for v in values]


def lut(name:str)->list[str]:
    "A matplotlib colour map as 256 hex colours."
    cmap = plt.get_cmap(name)
    return [to_hex(cmap(i / 255)) for i in range(256)]


def _raw_images(n:int)->list:
    "The first `n` test images in [0, 1], each as H*W*3 numbers (row by row, RGB), for drawing under a map."
    from strip_mlp_nb.widgets.explorers import explorer_images
    return [[float(f'{v:.3f}') for v in img.permute(1, 2, 0).flatten().tolist()] for img in explorer_images()[1][:n]]


def footprint_grid(sizes:tuple, depths:tuple, images:int, mixers:tuple|None=None)->dict:
    """Footprint of every output token: every random mixer at every depth and size (taps on and off, LSMM held or not,
    where they apply), and every stage of the shipped model on each of the first `images` test images."""
    from strip_mlp_nb.explain.analysis import MIXERS, default_groups, build_mixer
    from strip_mlp_nb.layers.lsmm import LocalStripMixing
    from strip_mlp_nb.widgets.explorers import explore_footprint, stage_sizes, TRAINED
    kinds = [k for k in MIXERS if mixers is None or k in mixers]                # None: every mixer the widget offers
    tapped = [k for k in kinds if default_groups(k, 16) is not None]            # the widget offers taps for these
    held = [k for k in kinds if any(isinstance(m, LocalStripMixing) for m in build_mixer(k, (4, 4)).modules())]
    fp = lambda kind, token, hw, **kw: _round(explore_footprint(kind, token, hw, **kw)['footprint'].flatten().tolist())
    maps = {f'{kind}|{taps}|{int(hold)}|{depth}|{n}': [fp(kind, (r, c), (n, n), taps=taps, hold_weights=hold, depth=depth)
                                                       for r in range(n) for c in range(n)]
            for kind in kinds for taps in ((3, 1) if kind in tapped else (3,)) for hold in ((True, False) if kind in held else (True,))
            for depth in depths for n in sizes}
    sides = [h for h, _ in stage_sizes()]
    trained = {f'{k}|{i}': [fp(TRAINED, (r, c), (side, side), stage=k, image=i) for r in range(side) for c in range(side)]
               for k, side in enumerate(sides) for i in range(images)}
    return dict(sizes=list(sizes), size=9 if 9 in sizes else max(sizes), depths=list(depths), mixers=kinds, tapped=tapped,
                held=held, maps=maps, cmap=lut('magma'), trained=trained, trained_label=TRAINED, sides=sides, images=images,
                raw=_raw_images(images))


def erf_grid(images:int, single:int)->dict:
    """The shipped model's ERF for every stage and token, trained and random: averaged over the first `images` test
    images ('avg'), and on each of the first `single` images alone."""
    from strip_mlp_nb.widgets.explorers import explore_erf, stage_sizes
    sides = [h for h, _ in stage_sizes()]
    which = {'avg': (0, images), **{str(i): (i, 1) for i in range(single)}}
    maps = {f'{m}|{k}|{w}': [_round(explore_erf(m, k, (r, c), first, count)['erf'].flatten().tolist())
                             for r in range(side) for c in range(side)]
            for m in ('trained', 'random') for k, side in enumerate(sides) for w, (first, count) in which.items()}
    return dict(sides=sides, images=images, single=single, pixels=32, maps=maps, cmap=lut('YlGn'), raw=_raw_images(max(single, 1)))


def attribution_grid(docs:Path, images:int, layers:tuple)->dict:
    "The attribution explorer's picture for each of the first test images, method, view and (Grad-CAM) layer, as PNG files."
    from strip_mlp_nb.training.shipped import shipped_model
    from strip_mlp_nb.explain.attribution import embedded_examples
    from strip_mlp_nb.explain.attribution_methods import METHODS
    from strip_mlp_nb.explain.attribution_plots import VIEWS, layer_sizes, explorer_check, explorer_figure
    from strip_mlp_nb.utils import figure_png
    model, ex = shipped_model(normalize=False), embedded_examples(16)
    sizes, cache, folder = layer_sizes(model), {}, docs/'explorers'/'attribution'   # one forward pass, not one per picture
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for i in range(images):
        for m in METHODS:
            for v, view in enumerate(VIEWS):
                for li, layer in enumerate(layers if m == 'gradcam' else layers[:1]):        # only Grad-CAM reads the layer
                    if explorer_check(m, layer, sizes, view): continue
                    name = f'{i}-{m}-{v}-{li}.png'
                    (folder/name).write_bytes(figure_png(explorer_figure(model, ex, i, m, layer, view, cache), 90, bbox_inches='tight'))
                    files[f'{i}|{m}|{v}|{li if m == "gradcam" else 0}'] = f'explorers/attribution/{name}'
    return dict(images=[f"image {i}: {ex['classes'][ex['labels'][i]]}" for i in range(images)], methods=list(METHODS),
                views=list(VIEWS), layers=list(layers), files=files)


def write_explorer_data(docs:Path, kinds:set, quick:bool=False):
    "explorer_data.js: the precomputed settings of the explorers the pages show, for pages opened from the file system."
    cfg, data = QUICK if quick else FULL, {}
    if 'footprint' in kinds: data['footprint'] = footprint_grid(cfg['sizes'], cfg['depths'], cfg['trained_images'], cfg.get('mixers'))
    if 'erf' in kinds: data['erf'] = erf_grid(cfg['erf_images'], cfg['erf_single'])
    if 'attribution' in kinds: data['attribution'] = attribution_grid(docs, cfg['attribution_images'], cfg['layers'])
    (docs/'explorer_data.js').write_text('window.SMLP_EXPLORERS = ' + json.dumps(data, separators=(',', ':')) + ';\n')


PAGE_LIMITS = {'footprint': '; the weight groups and a single channel group are the notebook widget\'s only',
               'erf': '; the page averages the first test images or shows one of the first few alone',
               'attribution': '; the first test images, Grad-CAM on a few layers'}

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
                f'In this page, without a kernel (every setting computed when the docs were built{PAGE_LIMITS[kind]}):\n\n'
                f'<div class="smlp-page-explorer" data-explorer="{kind}"></div>'))
    nb.cells = out
    return found
