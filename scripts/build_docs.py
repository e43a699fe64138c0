"""Build HTML docs into _docs/ from freshly executed copies of the notebooks (no quarto; nbs/ is not modified).

Each notebook is read into memory and run by nbdev's rules (cells flagged notest/slow/gpu are skipped and keep
their stored outputs, unless forced with --flags), with nbdev's doc processors around the run (show_doc for
exported names, hidden/exported cells removed), then rendered by nbconvert's HTMLExporter with a page list.
The pages work offline, from the file system (scripts/docs_offline.py): MathJax beside them, no request to another
host, previous/next links along the learning path, a search box, and the exercises answered in the browser.
The output folder (_docs/, or --out) keeps a manifest of the files a build wrote (`.strip_mlp_docs`): the next build
replaces those and nothing else, and a folder holding any other file is refused, naming them, before anything is read.
A build writes into a staging folder inside it first, then moves its files into place.
Usage: .venv/bin/python scripts/build_docs.py [--flags 'slow gpu'] [--stored] [--only index 02_strip_layer ...] [--out DIR]"""
import html, os, re, shutil, sys, time
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
from script_checks import OneLineParser, guarded, quoted, shown
import docs_offline as offline
import docs_explorers as explorers

DOCS_DEFAULT = CFG.doc_path
MARKER = '.strip_mlp_docs'       # the manifest: the files a build wrote into the folder, one relative path a line
STAGING = '.strip_mlp_docs.new'  # inside the folder: where a build writes before its files move into place
MANIFEST_HEAD = '# written by scripts/build_docs.py: the files below are its own; the next build replaces them and nothing else\n'
MAX_MANIFEST = 8 << 20           # bytes: a build writes about a thousand files (MathJax's fonts most of them)


class DocsFolderError(ValueError):
    "The output folder cannot take the docs: it holds other files, or is not a folder."


def _legacy_own(rel:str, page_names:set)->bool:
    "Whether `rel` is a name an older build (whose marker listed no files) wrote: derived exactly from what a build writes."
    parts = rel.split('/')
    if len(parts) == 1:
        return rel in page_names or rel in {'index.html', 'search_index.js', 'explorer_data.js'} or (offline.ASSETS/rel).is_file()
    if parts[0] == 'mathjax': return (offline.mathjax_root().joinpath(*parts[1:])).is_file()
    return parts[:2] == ['explorers', 'attribution'] and len(parts) == 3 and bool(re.fullmatch(r'\d+-\w+-\d+-\d+\.png', parts[2]))


def read_manifest(docs:Path)->tuple[set, bool]:
    "(the files the folder's manifest lists, whether it is an older build's marker that lists none); no marker: (set(), False)."
    path = docs/MARKER
    if not os.path.lexists(path): return set(), False
    if path.is_symlink() or not path.is_file(): raise DocsFolderError(f"{quoted(path)} is not a regular file: this folder was not written by this script; choose another --out")
    if path.stat().st_size > MAX_MANIFEST: raise DocsFolderError(f"{quoted(path)} is {path.stat().st_size:,} bytes, more than a manifest of built pages: remove it, or choose another --out")
    lines = path.read_text(encoding='utf-8', errors='replace').splitlines()
    if lines and lines[0].startswith('written by scripts/build_docs.py'): return set(), True      # an older build's marker
    names = {l for l in lines if l and not l.startswith('#')}
    if bad := [n for n in names if n.startswith('/') or '\\' in n or any(q in ('', '.', '..') for q in n.rstrip('/').split('/'))]:
        raise DocsFolderError(f"{quoted(path)} lists {bad[0]!r}, not a file of {quoted(docs)}: remove the manifest, or choose another --out")
    return names, False


def _entries(docs:Path)->list[str]:
    "Every file, link or other non-folder under `docs`, as a relative path with '/' (links to folders are not followed)."
    found = []
    for top, dirs, files in os.walk(docs):
        rel_top = Path(top).relative_to(docs).as_posix()
        for d in list(dirs):
            if os.path.islink(os.path.join(top, d)): dirs.remove(d); files.append(d)
        found += [f if rel_top == '.' else f'{rel_top}/{f}' for f in files]
    return found


def docs_owned(docs:Path)->set:
    """The files of `docs` that an earlier build wrote (its manifest); a DocsFolderError naming the others, if any, or if
    `docs` is not a folder. Nothing is changed."""
    if docs.is_symlink() and not docs.exists(): raise DocsFolderError(f"{quoted(docs)} is a link to nothing: choose another --out")
    if docs.exists() and not docs.is_dir():
        kind = 'a FIFO' if docs.is_fifo() else 'a file' if docs.is_file() else 'a device or socket'
        raise DocsFolderError(f"{quoted(docs)} is {kind}, not a folder: choose a folder for the docs (--out)")
    if not docs.exists():
        parent = docs.parent
        while not parent.exists() and parent != parent.parent: parent = parent.parent
        if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK): raise DocsFolderError(f"{quoted(docs)} cannot be created: {quoted(parent)} is not a writable folder")
        return set()
    own, legacy = read_manifest(docs)
    if legacy: pages = {_nbpath2html(q).name for _, q in sidebar()}
    is_own = (lambda rel: _legacy_own(rel, pages)) if legacy else (lambda rel: rel in own)
    staging = f'{STAGING}/' in own
    foreign = [rel for rel in _entries(docs) if rel not in (MARKER, f'{MARKER}.tmp') and not is_own(rel) and not (staging and rel.startswith(f'{STAGING}/'))]
    if foreign:
        owned_tops = {rel.split('/')[0] for rel in own} if not legacy else {'mathjax', 'explorers'}
        names = list(dict.fromkeys(rel.split('/')[0] + '/' if '/' in rel and rel.split('/')[0] not in owned_tops else rel for rel in sorted(foreign)))
        raise DocsFolderError(f"{quoted(docs)} holds files that this script did not write ({shown(names)}): move them away, or choose "
                              "an empty or new folder for the docs (--out), so that nothing of yours is replaced")
    if not os.access(docs, os.W_OK | os.X_OK): raise DocsFolderError(f"{quoted(docs)} is not writable: choose another folder for the docs (--out)")
    return {rel for rel in _entries(docs) if rel not in (MARKER, f'{MARKER}.tmp') and is_own(rel) and not rel.startswith(f'{STAGING}/')}


def write_manifest(docs:Path, names):
    "The folder's manifest, written whole (a temporary file renamed over it)."
    tmp = docs/f'{MARKER}.tmp'
    tmp.write_text(MANIFEST_HEAD + ''.join(f'{n}\n' for n in sorted(set(names))), encoding='utf-8')
    os.replace(tmp, docs/MARKER)


def install(docs:Path, own:set, build)->set:
    """Run `build(folder)` into a staging folder inside `docs`, then replace the files of `own` (an earlier build's) by
    what it wrote; the manifest lists, at every moment, every file of the build's in `docs`. Returns the files written."""
    docs.mkdir(parents=True, exist_ok=True)
    stage = docs/STAGING
    write_manifest(docs, [*own, f'{STAGING}/'])          # claimed before it exists: a killed build leaves nothing unlisted
    if stage.is_symlink() or stage.is_file(): stage.unlink()
    elif stage.exists(): shutil.rmtree(stage)
    stage.mkdir()
    build(stage)
    new = set(_entries(stage))
    write_manifest(docs, [*own, *new, f'{STAGING}/'])
    for rel in sorted(own - new):                       # the earlier build's files this one does not write again
        (docs/rel).unlink(missing_ok=True)
        for parent in (docs/rel).parents:
            if parent == docs or any(parent.iterdir()): break
            parent.rmdir()
    for rel in sorted(new):
        dest = docs/rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.is_dir() and not dest.is_symlink(): dest.rmdir()   # an empty folder in the way (a non-empty one was refused)
        os.replace(stage/rel, dest)
    shutil.rmtree(stage)
    write_manifest(docs, new)
    return new


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
    docs_owned(DOCS)                                   # never replace a file we did not write: refused before any work
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
    install(DOCS, docs_owned(DOCS), lambda stage: write_pages(stage, paths, parts, pages, with_explorers, quick))
    size = sum(f.stat().st_size for f in DOCS.rglob('*') if f.is_file())
    print(f'docs: {DOCS/"index.html"} (pages: {len(pages)}, {size / 2**20:.1f} MiB, {time.time() - t0:.0f} s)', flush=True)
    if failed: sys.exit(f'FAILED: {", ".join(failed)}')


def write_pages(DOCS, paths, parts, pages, with_explorers, quick):
    "The pages, their assets, the search index and the explorers' data, written into the (new, empty) folder `DOCS`."
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


def page_names()->list[str]:
    "The notebook names (file names without .ipynb) of the pages nbs/sidebar.yml lists, in its order."
    return [path.stem for _, path in sidebar()]


if __name__ == '__main__':
    p = OneLineParser(prog='build_docs.py', description=__doc__.splitlines()[0])
    p.add_argument('--flags', default='', help='space-separated flags of cells to run anyway, e.g. "slow gpu"')
    p.add_argument('--stored', action='store_true', help="keep the notebooks' saved outputs instead of running them (fast)")
    p.add_argument('--only', nargs='+', metavar='NAME', help='build only these notebooks (file names without .ipynb, as nbs/sidebar.yml lists them)')
    p.add_argument('--out', metavar='DIR', help=f'the folder for the pages (default: {DOCS_DEFAULT}); it must be empty, new, or hold only an earlier build')
    p.add_argument('--quick-explorers', action='store_true', help='the explorers\' page versions on smaller grids (for tests)')
    p.add_argument('--debug', action='store_true', help='on an error, the whole traceback instead of one line')
    a = p.parse_args()
    if unknown := sorted(set(a.flags.split()) - set(skip_flags())):
        p.error(f"--flags {' '.join(unknown)}: not a flag of settings.ini tst_flags ({' '.join(sorted(skip_flags()))}), so it would force nothing")
    if a.only:
        known, only = page_names(), {n.removesuffix('.ipynb').rsplit('/', 1)[-1] for n in a.only}
        if missing := sorted(only - set(known)):
            import difflib
            near = [m for n in missing for m in difflib.get_close_matches(n, known, 2)]
            p.error(f"--only: no page named {shown(missing, len(missing))} in nbs/sidebar.yml" + (f" (did you mean {', '.join(near)}?)" if near else '')
                    + f"; the {len(known)} pages: {shown(known, 8)}")
    try: docs_owned(Path(a.out) if a.out else DOCS_DEFAULT)
    except DocsFolderError as e: p.error(str(e))
    sys.exit(guarded('build_docs.py', lambda: main(skip_flags(a.flags.split()), a.stored, only if a.only else None, a.out, a.quick_explorers), a.debug))
