"""Build README.md from nbs/index.ipynb with nbdev's processors and nbconvert: no quarto, no execution.

Hidden and exported cells go, `#|` lines go, the title cell becomes `# title` + `> summary`; text outputs are kept,
and each PNG output becomes a file `nbs/images/readme_<cell id>.png` that README.md shows. Relative links get `nbs/`.
Usage: python scripts/build_readme.py [--stdout]: --stdout prints the README and writes no file, and exits 1 when a
picture file is missing or differs from the notebook's output."""
import base64, re, sys

import nbformat
from execnb.nbio import mk_cell, nb2str
from nbconvert import MarkdownExporter
from nbconvert.preprocessors import TagRemovePreprocessor
from nbdev.frontmatter import FrontmatterProc
from nbdev.process import NBProcessor
from nbdev.processors import (populate_language, strip_ansi, hide_line, filter_stream_, rm_header_dash,
                              rm_export, clean_magics, hide_)
from nbtools import ROOT, NBS, quarto_opts, title_md

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


if __name__ == '__main__':
    text = readme()
    if '--stdout' in sys.argv:
        sys.stdout.write(text)
        stale = [p for p, png in IMAGES.items() if not (ROOT/p).is_file() or (ROOT/p).read_bytes() != png]
        if stale: sys.exit(f"picture files out of date: {', '.join(stale)}")
    else:
        for old in (NBS/'images').glob('readme_*.png'): old.unlink()
        for p, png in IMAGES.items(): (ROOT/p).write_bytes(png)
        (ROOT/'README.md').write_text(text, encoding='utf-8'); print(f'wrote README.md and {len(IMAGES)} pictures')
