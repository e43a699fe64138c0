"""What makes the built pages work from the file system with no network: MathJax copied beside them, widget views
replaced by their saved pictures, no script or stylesheet from another host, previous/next links along the learning
path, a search box over all pages, and the notebooks' "Check yourself" exercises answered in the browser.

Used by scripts/build_docs.py; tests/test_docs.py checks each piece on a small build."""
import html, json, re, shutil
from pathlib import Path

import nbformat

MATHJAX_CONFIG = 'TeX-AMS-MML_HTMLorMML-full,Safe'   # the combined config jupyter_server_mathjax ships (HTML-CSS output)
# what MathJax 2.7 reads for that config: its loader, configs, extensions, TeX input, HTML-CSS output, STIX-Web fonts
MATHJAX_PARTS = ('MathJax.js', 'LICENSE', 'config', 'extensions', 'jax/input/TeX', 'jax/element', 'jax/output/HTML-CSS',
                 'fonts', 'localization/en')
ASSETS = Path(__file__).with_name('docs_assets')   # the pages' own script and style (search, exercises, prev/next)
# a request the page would make by itself: scripts, stylesheets, images, frames, fonts or imports from elsewhere
_OUTSIDE = re.compile(r'<(?:script|link|img|iframe|source|audio|video)\b[^>]*?\b(?:src|href)\s*=\s*["\']?((?:https?:)?//[^"\' >]+)'
                      r'|url\(\s*["\']?((?:https?:)?//[^)"\']+)|@import\s+["\']((?:https?:)?//[^"\']+)', re.I)


def mathjax_root()->Path:
    "The MathJax 2.7 files of the `jupyter_server_mathjax` package (a dev requirement), or an error saying what to install."
    try: import jupyter_server_mathjax
    except ImportError: raise SystemExit("the offline docs need MathJax from the jupyter-server-mathjax package: "
                                         "pip install -e '.[dev]' (it is a dev requirement)") from None
    return Path(jupyter_server_mathjax.__file__).parent/'static'


def copy_assets(docs:Path):
    "MathJax's files and the pages' own script and style, copied into the docs folder."
    src = mathjax_root()
    for part in MATHJAX_PARTS:
        s, d = src/part, docs/'mathjax'/part
        if s.is_dir(): shutil.copytree(s, d, dirs_exist_ok=True)
        elif s.exists(): d.parent.mkdir(parents=True, exist_ok=True); shutil.copy2(s, d)
    for f in ASSETS.iterdir():
        if f.is_file() and not f.name.startswith('.'): shutil.copy2(f, docs/f.name)   # not an editor's backup folder or lock


def plain_outputs(nb):
    "Widget views replaced by the picture saved with them (or a line saying a kernel is needed); no widget state."
    nb.metadata.pop('widgets', None)
    for cell in nb.cells:
        for out in cell.get('outputs', []):
            data = out.get('data', {})
            if 'application/vnd.jupyter.widget-view+json' not in data: continue
            del data['application/vnd.jupyter.widget-view+json']
            if 'image/png' not in data: data['text/plain'] = 'an interactive widget: run the notebook to use it'
    return nb


def outside_requests(page:str)->list[str]:
    "Addresses on other hosts that a page would fetch by itself (links the reader follows are not requests)."
    return sorted({a for m in _OUTSIDE.finditer(page) for a in m.groups() if a})


def finish_page(page:str, head_extra:str='')->str:
    "A rendered page made offline: the empty require.js tag removed, our style and script added, checked for requests."
    page = re.sub(r'<script src=""></script>\s*', '', page)
    page = page.replace('</head>', f'<link rel="stylesheet" href="smlp.css">{head_extra}</head>', 1)
    page = page.replace('</body>', '<script src="search_index.js"></script><script src="smlp.js"></script></body>', 1)
    if bad := outside_requests(page): raise ValueError(f"the page would fetch {', '.join(bad)}: the docs must work offline")
    return page


def pager(pages:list[tuple[str, str]], path_names:set, name:str)->str:
    "Previous/next links along the learning path for page `name` (`pages`: (file, title) in reading order)."
    path = [(f, t) for f, t in pages if f in path_names]
    files = [f for f, _ in path]
    if name not in files: return ''
    i = files.index(name)
    prev = f'<a class="prev" href="{path[i - 1][0]}">&larr; {html.escape(path[i - 1][1])}</a>' if i > 0 else '<span></span>'
    nxt = f'<a class="next" href="{path[i + 1][0]}">{html.escape(path[i + 1][1])} &rarr;</a>' if i + 1 < len(path) else '<span></span>'
    return f'<nav class="pager">{prev}{nxt}</nav>'


def page_text(nb)->str:
    "The words of a notebook's markdown cells, for the search index (formulas and markup left out)."
    text = ' '.join(c.source for c in nb.cells if c.cell_type == 'markdown')
    text = re.sub(r'\$\$?[^$]*\$\$?|<[^>]+>|[`*#>|\[\]()_]', ' ', text)
    return re.sub(r'\s+', ' ', text).strip()


def write_search_index(docs:Path, entries:list[dict]):
    "search_index.js: the pages' titles and text as a script (a file:// page may not fetch JSON, but loads scripts)."
    (docs/'search_index.js').write_text('window.SMLP_SEARCH = ' + json.dumps(entries, ensure_ascii=False) + ';\n',
                                        encoding='utf-8')


def exercise_forms(nb, specs:dict):
    "The markdown of each 'Check yourself' cell gets, after it, a form per exercise that answers in the browser."
    out = []
    for cell in nb.cells:
        out.append(cell)
        if cell.cell_type != 'markdown' or not cell.source.startswith('## Check yourself'): continue
        ids = re.findall(r'\((\d+[a-z]?\.\d+)\)', cell.source)
        forms = ''.join(_form(specs[i]) for i in ids if i in specs)
        if forms: out.append(nbformat.v4.new_markdown_cell(f'<div class="exercises">{forms}</div>'))
    nb.cells = out
    return nb


def _form(spec:dict)->str:
    "One exercise as an HTML form: a number box or a choice list, a button, and a line for the reply."
    data = html.escape(json.dumps(dict(kind=spec['kind'], tol=spec['tol'], accepted=spec['accepted'], hint=spec['hint'])))
    if spec['kind'] == 'choice':
        field = '<select><option value="">choose</option>' + ''.join(
            f'<option>{html.escape(c)}</option>' for c in spec['choices']) + '</select>'
    else: field = '<input type="text" inputmode="decimal" placeholder="your answer">'
    return (f'<form class="exercise" data-id="{spec["id"]}" data-spec="{data}"><b>{spec["id"]}</b> {field}'
            f'<button type="submit">check</button> <span class="reply" aria-live="polite"></span></form>')
