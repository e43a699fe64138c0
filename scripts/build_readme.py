"""Build README.md from nbs/index.ipynb with nbdev's processors and nbconvert: no quarto, no execution.

Hidden and exported cells go, `#|` lines go, the title cell becomes `# title` + `> summary`; text outputs are kept,
and each PNG output becomes a file `nbs/images/readme_<cell id>.png` that README.md shows. Relative links get `nbs/`.
Usage: python scripts/build_readme.py [--stdout]: --stdout prints the README and writes no file, and exits 1 when a
picture file is missing or differs from the notebook's output.
Only its own files are replaced: README.md if it starts with the generated header, and the pictures the README it
replaces showed (`![figure](nbs/images/readme_<cell id>_<n>.png)`, names derived exactly from what it writes): those
it no longer writes are deleted, every other file in nbs/images/ is left alone. Anything else is refused in one line."""
import base64, os, re, sys
from pathlib import Path

import nbformat
from execnb.nbio import mk_cell, nb2str
from nbconvert import MarkdownExporter
from nbconvert.preprocessors import TagRemovePreprocessor
from nbdev.frontmatter import FrontmatterProc
from nbdev.process import NBProcessor
from nbdev.processors import (populate_language, strip_ansi, hide_line, filter_stream_, rm_header_dash,
                              rm_export, clean_magics, hide_)
from nbtools import ROOT, NBS, quarto_opts, title_md
from script_checks import OneLineParser, replace_file, shown

SRC = NBS/'index.ipynb'
HEADER = '<!-- generated from nbs/index.ipynb by scripts/build_readme.py: do not edit -->\n\n'
TEXT = ('text/markdown', 'text/plain')
IMAGES = {}   # path under the checkout -> PNG bytes of an output


def text_outputs(cell):
    "Keep stdout, text results and PNG pictures (as files); drop HTML, widgets, stderr and errors"
    if cell.cell_type != 'code': return
    outs = []
    for o in cell.get('outputs', []):
        if o.output_type == 'stream' and o.name == 'stdout': outs.append(o)
        elif o.output_type in ('execute_result', 'display_data') and 'image/png' in o.data:
            path = f"nbs/images/readme_{cell.get('id', 'cell')}_{len(IMAGES)}.png"
            IMAGES[path] = base64.b64decode(o.data['image/png'])
            outs.append({**o, 'output_type': 'display_data', 'data': {'text/markdown': f'![figure]({path})'}, 'metadata': {}})
        elif o.output_type in ('execute_result', 'display_data') and not any(k.startswith('image/') or 'widget' in k for k in o.data):
            data = {k: v for k, v in o.data.items() if k in TEXT}
            if data: outs.append({**o, 'data': data, 'metadata': {}})
    cell.outputs = outs


def nbs_links(cell):
    "Relative links and images in markdown point into nbs/, since README.md is not there"
    if cell.cell_type == 'markdown': cell.source = re.sub(r'\]\((?![\w+.-]+:|/|#)', '](nbs/', cell.source)


def readme():
    proc = NBProcessor(SRC, procs=[FrontmatterProc, populate_language, strip_ansi, hide_line, filter_stream_,
                                   rm_header_dash, rm_export, clean_magics, hide_, quarto_opts, text_outputs, nbs_links])
    proc.process()
    nb = proc.nb
    nb.cells = [c for c in nb.cells if c.cell_type != 'raw']   # the frontmatter cell
    nb.metadata['language_info'] = {'name': 'python'}          # so code blocks are fenced as python
    fm = nb.frontmatter_
    if 'title' in fm: nb.cells.insert(0, mk_cell(title_md(fm), 'markdown'))
    exp = MarkdownExporter()
    exp.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={'remove_cell'}, remove_input_tags={'remove_input'},
                                                    remove_all_outputs_tags={'remove_output'}), enabled=True)
    md, _ = exp.from_notebook_node(nbformat.reads(nb2str(nb), as_version=4))
    md = re.sub(r'[ \t]+\n', '\n', md)   # no trailing spaces
    return HEADER + re.sub(r'\n{3,}', '\n\n', md).strip() + '\n'


PICTURE = re.compile(r'!\[figure\]\((nbs/images/readme_[A-Za-z0-9_-]+_\d+\.png)\)')   # what `text_outputs` writes


def own_pictures(old:str, src_text:str)->set:
    """The pictures an earlier README (text `old`, written by this script) showed, as paths under the checkout: exactly
    the names `text_outputs` gives, less any that the notebook's own text names (a picture someone placed there)."""
    if not old.startswith(HEADER): return set()
    return {p for p in PICTURE.findall(old) if p.removeprefix('nbs/') not in src_text and p not in src_text}


def _same(path:Path, data:bytes)->bool:
    "Whether `path` is a regular file (not a link) holding exactly `data`."
    return not path.is_symlink() and path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data


def write_readme(text:str, images:dict, root:Path=ROOT)->tuple:
    "README.md and its pictures written under `root`; the earlier README's pictures it no longer shows deleted. (written, deleted)."
    readme = root/'README.md'
    if readme.is_symlink() or (readme.exists() and not readme.is_file()):
        raise ValueError(f"{readme} is not a regular file: it is not replaced")
    old = readme.read_text(encoding='utf-8', errors='replace') if readme.exists() else ''
    if old and not old.startswith(HEADER):
        raise ValueError(f"{readme} does not start with the generated header, so this script did not write it (edited by hand?): "
                         "move it away, or restore the header, to write it again")
    own = own_pictures(old, SRC.read_text(encoding='utf-8', errors='replace') if SRC.exists() else '')
    clash = [p for p, png in images.items() if os.path.lexists(root/p) and p not in own and not _same(root/p, png)]
    if clash: raise ValueError(f"{shown(clash)} exist(s) and the README this script wrote did not show them: not replaced; move them away")
    if odd := [p for p in images if os.path.lexists(root/p) and not (root/p).is_symlink() and not (root/p).is_file()]:
        raise ValueError(f"{shown(odd)} is a folder or other non-file: not replaced; move it away")
    stale = sorted(own - set(images))
    for p, png in images.items():       # each name replaced, never written through: a link there goes, its target stays
        if not _same(root/p, png): (root/p).parent.mkdir(parents=True, exist_ok=True); replace_file(root/p, png)
    replace_file(readme, text.encode('utf-8'))
    for p in stale: (root/p).unlink(missing_ok=True)
    return list(images), stale


if __name__ == '__main__':
    p = OneLineParser(prog='build_readme.py', description=__doc__.splitlines()[0], epilog='Without --stdout it writes README.md and nbs/images/readme_*.png '
                      '(only the pictures it wrote: see the module docstring).')
    p.add_argument('--stdout', action='store_true', help="print the README and write no file; exit 1 if a picture file is "
                   "missing or differs from the notebook's output")
    args = p.parse_args()
    text = readme()
    if args.stdout:
        sys.stdout.write(text)
        stale = [p for p, png in IMAGES.items() if not _same(ROOT/p, png)]
        if stale: sys.exit(f"picture files out of date: {shown(stale, len(stale))}")
    else:
        try: written, deleted = write_readme(text, IMAGES)
        except (ValueError, OSError) as e: sys.exit(f"build_readme.py: error: {e}")
        print(f'wrote README.md and {len(written)} pictures' + (f'; deleted the pictures it no longer shows: {", ".join(deleted)}' if deleted else ''))
