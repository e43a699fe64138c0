"""Build HTML docs into _docs/ from freshly executed copies of the notebooks (no quarto; nbs/ is not modified).

Each notebook is read into memory and run by nbdev's rules (cells flagged notest/slow/gpu are skipped and keep
their stored outputs, unless forced with --flags), with nbdev's doc processors around the run (show_doc for
exported names, hidden/exported cells removed), then rendered by nbconvert's HTMLExporter with a page list.
The pages work offline, from the file system (scripts/docs_offline.py): MathJax beside them, no request to another
host, previous/next links along the learning path, a search box, and the exercises answered in the browser.
Usage: .venv/bin/python scripts/build_docs.py [--flags 'slow gpu'] [--stored] [--only index 02_strip_layer ...]"""
import argparse, html, re, shutil, sys, time
from pathlib import Path

import nbformat
from execnb.nbio import mk_cell, nb2str
from ipywidgets import Widget
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor
from nbdev.doclinks import _nbpath2html
from nbdev.frontmatter import FrontmatterProc
from nbdev.process import NBProcessor, Processor
from nbdev.processors import (populate_language, add_show_docs, exec_show_docs, strip_ansi, hide_line, filter_stream_,
                              rm_header_dash, clean_show_doc, rm_export, clean_magics, hide_, mv_exports,
                              strip_hidden_metadata)
from nbtools import ROOT, NBS, CFG, run_cells, skip_flags, quarto_opts, title_md, sidebar
import docs_offline as offline
import docs_explorers as explorers

DOCS_DEFAULT = CFG.doc_path
MARKER = '.strip_mlp_docs'   # marks a folder of built pages, which the next build may replace


def quarto_links(cell):
    "Drop the quarto-only `{target=...}` after show_doc's `[source](url)` link"
    for o in cell.get('outputs', []):
        md = o.get('data', {}).get('text/markdown')
        if md: o.data['text/markdown'] = re.sub(r'(\]\([^)\s]*\))\{[^}]*\}', r'\1', ''.join(md))


class skip_docs_of_skipped(Processor):
    "`show_doc` cells of an export cell that does not run (e.g. flagged `timm` where timm is missing) do not run either"
    def begin(self): _skip_docs_of_skipped(self.nb)

def _skip_docs_of_skipped(nb):
    "Flag each `show_doc` cell with the skipped flag of the export cell it documents."
    skipped = None
    for cell in nb.cells:
        if cell.cell_type != 'code': continue
        if cell.source.startswith('show_doc('):
            if skipped: cell.directives_ = {**(getattr(cell, 'directives_', None) or {}), skipped: []}
            continue
        skipped = next((f for f in exec_all.flags if f in (getattr(cell, 'directives_', None) or {})), None)


class exec_all(Processor):
    "Run the whole notebook like nbdev's test_nb, after add_show_docs made its `show_doc` cells"
    flags = skip_flags()
    def begin(self):
        Widget.close_all()
        run_cells(self.nb, self.nb.path_, self.flags, setup='from nbdev.showdoc import show_doc')
    end = exec_show_docs.end   # nbdev's: store the widgets' state so they render in the page


class exec_stored_docs(exec_show_docs):
    "nbdev's: run the export and import cells that `show_doc` needs, but not those flagged to skip here (e.g. `timm`)"
    def __call__(self, cell):
        if any(f in (getattr(cell, 'directives_', None) or {}) for f in exec_all.flags): return
        super().__call__(cell)


# nbdev_docs' FilterDefaults procs, less the quarto-only ones (insert_warning, add_links, add_fold, ai_magics),
# with our full execution in place of exec_show_docs, and the quarto-only syntax made plain at the end
PROCS = [FrontmatterProc, populate_language, add_show_docs, skip_docs_of_skipped, exec_all, strip_ansi, hide_line, filter_stream_,
         rm_header_dash, clean_show_doc, rm_export, clean_magics, hide_, mv_exports, strip_hidden_metadata, quarto_opts,
         quarto_links]


def processed(path, stored=False):
    "The notebook at `path`, executed (or, `stored`, with its saved outputs) and processed for the docs, with its title"
    procs = [exec_stored_docs if p is exec_all else p for p in PROCS] if stored else PROCS
    nb = NBProcessor(path, procs=procs, process=True).nb
    fm = nb.frontmatter_
    nb.cells = [c for c in nb.cells if c.cell_type != 'raw']   # the frontmatter cell: shown as a title cell instead
    if 'title' in fm: nb.cells.insert(0, mk_cell(title_md(fm), 'markdown'))
    return nbformat.reads(nb2str(nb), as_version=4), fm.get('title', path.stem)


def to_html(nb, title, nav, pager=''):
    "One page: the notebook rendered offline, the page list on the left, previous/next at the end."
    exp = HTMLExporter(embed_images=True, exclude_input_prompt=True, exclude_output_prompt=True, require_js_url='',
                       mathjax_url=f'mathjax/MathJax.js?config={offline.MATHJAX_CONFIG}')
    exp.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={'remove_cell'}, remove_input_tags={'remove_input'},
                                                    remove_all_outputs_tags={'remove_output'}), enabled=True)
    body, _ = exp.from_notebook_node(nb, resources={'metadata': {'name': title, 'path': str(NBS)}})
    body = re.sub(r'(<body[^>]*>)', lambda m: m.group(1) + nav, body, count=1)
    body = body.replace('</main>', pager + '</main>', 1) if '</main>' in body else body.replace('</body>', pager + '</body>', 1)
    body = re.sub(r'href="([^":/]+)\.ipynb', lambda m: f'href="{_nbpath2html(NBS/(m.group(1)+".ipynb")).name}', body)
    if 'smlp-page-explorer' in body:   # the explorers' page versions: their data and their script
        body = body.replace('</body>', '<script src="explorer_data.js"></script><script src="explorers.js"></script></body>', 1)
    return offline.finish_page(body)


STYLE = ('<style>nav.pages{position:fixed;top:0;left:0;bottom:0;width:13rem;overflow:auto;padding:1rem;'
         'font:14px sans-serif;background:#f7f7f7;border-right:1px solid #ddd}nav.pages a{display:block;margin:.3rem 0}'
         'nav.pages p.part{margin:1rem 0 .2rem;font-weight:bold;color:#555;text-transform:uppercase;font-size:12px}'
         'body{margin-left:15rem!important}</style>')
def exercise_specs()->dict:
    "Every exercise's question, answer kind and accepted answers, computed by the package (`strip_mlp_nb.exercises`)."
    from strip_mlp_nb.exercises import EXERCISES, exercise_spec
    return {i: exercise_spec(i) for i in EXERCISES}


def main(flags, stored=False, only=None, out=None, quick=False):
    "Execute (or, `stored`, keep the outputs of) and render the pages nbs/sidebar.yml lists, in its order, into `out`."
    DOCS = Path(out) if out else DOCS_DEFAULT
    if out and DOCS.exists() and any(DOCS.iterdir()) and not (DOCS/MARKER).exists():   # never replace a folder we did not write
        sys.exit(f"{DOCS} holds files that this script did not write: choose an empty or new folder for the docs")
    t0, paths = time.time(), sidebar()
    exec_all.flags = flags
    pages, parts, failed, specs, with_explorers = {}, {}, [], exercise_specs(), set()
    for part, path in paths:
        name = _nbpath2html(path).name
        parts[name] = part
        if only and path.stem not in only: continue
        print(f'{"reading" if stored else "executing"} {path.relative_to(ROOT)} ...', flush=True)
        try:
            nb, title = processed(path, stored)
            nb = offline.exercise_forms(offline.plain_outputs(nb), specs)
            with_explorers |= explorers.explorer_placeholders(nb)
            pages[name] = (nb, title)
        except Exception as e: failed.append(str(path.relative_to(NBS))); print(e, file=sys.stderr)
    shutil.rmtree(DOCS, ignore_errors=True)
    DOCS.mkdir(parents=True)
    (DOCS/MARKER).write_text('written by scripts/build_docs.py: rebuilt (deleted and written again) on every run\n')
    offline.copy_assets(DOCS)
    if with_explorers:
        print('computing the explorers\' settings for their page versions ...', flush=True)
        explorers.write_explorer_data(DOCS, with_explorers, quick)
    titles = {_nbpath2html(p).name: (pages[_nbpath2html(p).name][1] if _nbpath2html(p).name in pages else p.stem) for _, p in paths}
    links = ''
    for part in dict.fromkeys(p for p in parts.values() if p):    # the learning path, then each reference section
        links += f'<p class="part">{html.escape(part)}</p>' + ''.join(
            f'<a href="{f}">{html.escape(t)}</a>' for f, t in titles.items() if parts.get(f) == part)
    nav = f'{STYLE}<nav class="pages"><a href="index.html"><b>{html.escape(CFG.title)}</b></a><hr>{links}</nav>'
    order = [(f, t) for f, t in titles.items()]
    path_pages = {f for f, p in parts.items() if p == 'The learning path'} | {'index.html'}
    for fname, (nb, title) in pages.items():
        (DOCS/fname).write_text(to_html(nb, title, nav, offline.pager(order, path_pages, fname)), encoding='utf-8')
    offline.write_search_index(DOCS, [dict(file=f, title=t, text=offline.page_text(nb)) for f, (nb, t) in pages.items()])
    if 'index.html' not in pages: (DOCS/'index.html').write_text(offline.finish_page(f'<!DOCTYPE html><html><head></head><body>{nav}</body></html>'))
    size = sum(f.stat().st_size for f in DOCS.rglob('*') if f.is_file())
    print(f'docs: {DOCS/"index.html"} (pages: {len(pages)}, {size / 2**20:.1f} MiB, {time.time() - t0:.0f} s)', flush=True)
    if failed: sys.exit(f'FAILED: {", ".join(failed)}')


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--flags', default='', help='space-separated flags of cells to run anyway, e.g. "slow gpu"')
    p.add_argument('--stored', action='store_true', help="keep the notebooks' saved outputs instead of running them (fast)")
    p.add_argument('--only', nargs='+', metavar='NAME', help='build only these notebooks (file names without .ipynb)')
    p.add_argument('--out', metavar='DIR', help=f'the folder for the pages (default: {DOCS_DEFAULT})')
    p.add_argument('--quick-explorers', action='store_true', help='the explorers\' page versions on smaller grids (for tests)')
    a = p.parse_args()
    main(skip_flags(a.flags.split()), a.stored, set(a.only) if a.only else None, a.out, a.quick_explorers)
