"""The built docs work offline: a small build (three pages, from the notebooks' saved outputs) is checked as files,
then opened from the file system in Debian's headless Chromium with every request that is not a local file blocked.

The full build (every page, every notebook executed) is `bash scripts/docs.sh`; this test builds index, the strip
layer (many formulas, exercises), the explorers and the attribution plots (the three explorers' page versions, on
smaller grids: `--quick-explorers`) from the saved outputs (`--stored`) in under a minute. The browser part needs
what tests/test_browser.py needs (`bash scripts/setup_browser.sh`) and skips, saying why, without it.
"""
import io, json, os, subprocess, sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT/'scripts'))
import docs_offline as offline                                              # noqa: E402
from test_browser import CHROMIUM, missing_tools                            # noqa: E402
from strip_mlp_nb.utils import figure_png                                   # noqa: E402
from strip_mlp_nb.training.shipped import shipped_model                     # noqa: E402
from strip_mlp_nb.explain.attribution import embedded_examples              # noqa: E402
from strip_mlp_nb.explain.attribution_plots import explorer_figure, layer_sizes   # noqa: E402

PAGES = ['index', '02_strip_layer', '13_explorers', '30_attribution_plots']
pytestmark = pytest.mark.xdist_group('docs')   # one worker builds the pages once (scripts/test.sh: --dist loadgroup)


@pytest.fixture(scope='module')
def docs(tmp_path_factory):
    "A small build of the docs in a temporary folder."
    out = tmp_path_factory.mktemp('docs')/'site'
    r = subprocess.run([sys.executable, str(ROOT/'scripts'/'build_docs.py'), '--stored', '--only', *PAGES, '--out', str(out),
                        '--quick-explorers'], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    return out


def test_pages_are_offline(docs):
    "Every page fetches nothing from another host; MathJax, the search index and the pages' script are beside them."
    pages = {p.name: p.read_text(encoding='utf-8') for p in docs.glob('*.html')}
    assert set(pages) == {'index.html', 'strip_layer.html', 'explorers.html', 'attribution_plots.html'}, sorted(pages)
    for name, page in pages.items():
        assert offline.outside_requests(page) == [], name
        assert 'src="mathjax/MathJax.js?config=' in page and 'smlp.js' in page and 'search_index.js' in page, name
    assert (docs/'mathjax'/'MathJax.js').is_file() and (docs/'mathjax'/'jax'/'output'/'HTML-CSS').is_dir()
    assert 'widget-view' not in pages['explorers.html'] and 'StripExplorer(children' not in pages['explorers.html']
    assert pages['explorers.html'].count('class="smlp-page-explorer"') == 2 and (docs/'explorer_data.js').is_file()
    index = json.loads((docs/'search_index.js').read_text().removeprefix('window.SMLP_SEARCH = ').rstrip(';\n'))
    assert {e['file'] for e in index} == set(pages) and all(e['text'] for e in index)


def test_outside_requests_are_found():
    "The check that guards every page catches scripts, styles, images and CSS from other hosts, not plain links."
    page = ('<a href="https://arxiv.org/abs/2307.11458">paper</a><script src="https://cdn.example/x.js"></script>'
            '<link rel="stylesheet" href="//fonts.example/css"><style>@import "https://a.example/b.css"; '
            'p{background:url(http://c.example/d.png)}</style><img src="data:image/png;base64,AA">')
    assert offline.outside_requests(page) == ['//fonts.example/css', 'http://c.example/d.png', 'https://a.example/b.css',
                                              'https://cdn.example/x.js']
    with pytest.raises(ValueError, match='must work offline'): offline.finish_page(f'<html><head></head><body>{page}</body></html>')


def test_exercises_and_pager_in_the_page(docs):
    "The strip layer's page has a form for each of its exercises, and previous/next links along the path."
    page = (docs/'strip_layer.html').read_text(encoding='utf-8')
    assert all(f'data-id="02.{k}"' in page for k in (1, 2, 3))
    assert '<nav class="pager"><a class="prev" href="interaction.html">' in page and 'href="cgsmm.html"' in page


def test_build_refuses_a_folder_it_did_not_write(tmp_path):
    "--out on a folder holding someone's files is refused before anything is read or deleted."
    (tmp_path/'mine.txt').write_text('keep me')
    r = subprocess.run([sys.executable, str(ROOT/'scripts'/'build_docs.py'), '--stored', '--only', 'index', '--out', str(tmp_path)],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode != 0 and 'did not write' in r.stderr and (tmp_path/'mine.txt').read_text() == 'keep me'


def test_docs_in_a_browser_offline(docs):
    "Formulas typeset, nothing requested from another host, search finds pages, an exercise answers right and wrong."
    if why := missing_tools(): pytest.skip(why)
    outdir = ROOT/'outputs'/'browser'; outdir.mkdir(parents=True, exist_ok=True)
    args = dict(docs=str(docs), pages=['strip_layer.html', 'index.html', 'explorers.html'], outdir=str(outdir),
                chromium=CHROMIUM, timeoutMs=60000, search='cascade groups', exercise=dict(id='02.1', right=24, wrong=8),
                explorers='explorers.html', attribution='attribution_plots.html')
    r = subprocess.run(['node', str(ROOT/'tests'/'browser'/'docs.js'), json.dumps(args)], capture_output=True, text=True,
                       cwd=ROOT/'tests'/'browser', timeout=180)
    assert r.returncode == 0, r.stderr[-3000:]
    got = json.loads(r.stdout.strip().splitlines()[-1])
    assert got['blocked'] == [], got['blocked']                                   # no request left the file system
    assert got['pages']['strip_layer.html']['formulas'] > 20 and all(p['rawDollars'] == 0 for p in got['pages'].values())
    assert all(p['errors'] == [] for p in got['pages'].values()), got['pages']
    assert got['pages']['strip_layer.html']['pager'] == ['interaction.html', 'cgsmm.html']
    assert 'strip_layer.html' in got['search']
    assert got['exercise']['right'] == 'right' and got['exercise']['wrong'].startswith('not yet: the answer is larger')
    ex = got['explorers']                                                          # both explorers moved without a kernel
    assert ex['errors'] == [] and ex['changed'] == {'footprint': True, 'erf': True}, ex
    from strip_mlp_nb.widgets.explorers import explore_footprint, explore_erf
    fp, erf, tr = ex['middle']['footprint'], ex['after']['erf'], ex['after']['footprint']
    assert (fp['kind'], fp['token'], ex['after']['erf']['model'], erf['stage']) == ('axial', [1, 2], 'random', 1)
    want_fp = explore_footprint('axial', tuple(fp['token']), (5, 5))['footprint'].flatten().tolist()   # what the widget shows
    assert (tr['stage'], tr['image'], tr['token']) == (1, 0, [2, 2])                                 # stage 2 of the trained model
    want_tr = explore_footprint('trained', (2, 2), (4, 4), stage=1, image=0)['footprint'].flatten().tolist()
    assert max(abs(a - b) / max(abs(b), 1e-3) for a, b in zip(tr['values'], want_tr)) < 1e-3
    want_erf = explore_erf('random', 1, tuple(erf['token']), 0, 5)['erf'].flatten().tolist()
    assert max(abs(a - b) / max(abs(b), 1e-3) for a, b in zip(fp['values'], want_fp)) < 1e-3 and fp['heard'] == 9
    assert max(abs(a - b) for a, b in zip(erf['values'], want_erf)) < 1e-3
    deep = ex['deeper']['footprint']                                                # depth, resolution, LSMM's weights exact
    assert (deep['kind'], deep['depth'], deep['size'], deep['hold'], deep['token'][0]) == ('Strip Mixing Block', 2, 4, False, 0), deep
    want_deep = explore_footprint('Strip Mixing Block', tuple(deep['token']), (4, 4), depth=2, hold_weights=False)['footprint'].flatten().tolist()
    assert max(abs(a - b) / max(abs(b), 1e-3) for a, b in zip(deep['values'], want_deep)) < 1e-3
    assert ex['overlaid'] and ex['single']['erf']['images'] == '0'                   # drawn over its image; one image alone
    want_one = explore_erf('random', 1, tuple(ex['single']['erf']['token']), 0, 1)['erf'].flatten().tolist()
    assert max(abs(a - b) for a, b in zip(ex['single']['erf']['values'], want_one)) < 1e-3
    att = ex['attribution']                                                       # the attribution explorer's pictures
    assert (att['before']['method'], att['after']['method'], att['after']['view']) == ('ig', 'saliency', 'heat map')
    assert att['shown'][0] != att['shown'][1] and all(att['shown']), att
    shown = Image.open(docs/att['after']['file']).convert('RGB')
    model, examples = shipped_model(normalize=False), embedded_examples(16)
    layer = next(iter(layer_sizes(model)))
    want = Image.open(io.BytesIO(figure_png(explorer_figure(model, examples, 0, 'saliency', layer, 'heat map'), 90, bbox_inches='tight'))).convert('RGB')
    assert shown.size == want.size and np.abs(np.asarray(shown, float) - np.asarray(want, float)).mean() < 2   # the widget's picture
    assert att['layered']['layer'] == 'stage2' and att['shown'][2] not in att['shown'][:2], att   # Grad-CAM's layer menu
    cam = Image.open(docs/att['layered']['file']).convert('RGB')
    want = Image.open(io.BytesIO(figure_png(explorer_figure(model, examples, 0, 'gradcam', 'stage2', 'heat map'), 90, bbox_inches='tight'))).convert('RGB')
    assert cam.size == want.size and np.abs(np.asarray(cam, float) - np.asarray(want, float)).mean() < 2
