// Opens built docs pages from the file system in Debian's headless Chromium, with every request that is not a
// local file blocked and recorded, for tests/test_docs.py (playwright-core, no download).
// Usage: node docs.js '{"docs", "pages", "outdir", "chromium", "timeoutMs", "search", "exercise"}'
// For each page: waits for MathJax to typeset, counts typeset formulas and raw '$' left in the text; on the first
// page also types `search` into the search box and answers `exercise` ({id, right, wrong}) right and wrong.
// Prints one JSON line: {pages: {name: {formulas, rawDollars, pager, errors}}, blocked: [...], search: [...],
// exercise: {right, wrong}, explorers: {...}, screenshots: [...]}. With `explorers` (a page name), moves each page
// explorer's controls there and records what it shows before and after (window.SMLP_EXPLORER_STATE).
// Progress goes to stderr.
'use strict';
const path = require('path');
const { chromium } = require('playwright-core');

const args = JSON.parse(process.argv[2]);
const t0 = Date.now();
const log = (msg) => process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${msg}\n`);
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--allow-file-access-from-files'];

(async () => {
  const browser = await chromium.launch({ executablePath: args.chromium, args: FLAGS, timeout: args.timeoutMs });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const blocked = [];
  await context.route('**/*', (route) => {        // only the file system: anything else is recorded and refused
    const url = route.request().url();
    if (url.startsWith('file://') || url.startsWith('data:')) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  const out = { pages: {}, blocked, search: [], exercise: {}, screenshots: [] };
  for (const name of args.pages) {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto('file://' + path.join(args.docs, name), { timeout: args.timeoutMs });
    // MathJax 2: its queue has run when MathJax.Hub exists and no typesetting is pending
    await page.waitForFunction(() => window.MathJax && MathJax.Hub && MathJax.Hub.queue && MathJax.Hub.queue.pending === 0
      && document.querySelectorAll('.MathJax_Processing').length === 0, null, { timeout: args.timeoutMs });
    await page.waitForTimeout(300);
    const info = await page.evaluate(() => {
      const text = [...document.querySelectorAll('.jp-MarkdownOutput')].map((e) => e.innerText).join('\n');
      return {
        formulas: document.querySelectorAll('.MathJax, .MathJax_Display').length,
        rawDollars: (text.match(/\$[^$\s][^$]*\$/g) || []).length,
        pager: [...document.querySelectorAll('nav.pager a')].map((a) => a.getAttribute('href')),
      };
    });
    out.pages[name] = { ...info, errors };
    log(`${name}: ${info.formulas} formulas, ${info.rawDollars} raw $...$, ${errors.length} errors`);
    if (name === args.pages[0]) {
      if (args.search) {
        await page.fill('nav.pages .search input', args.search);
        out.search = await page.$$eval('nav.pages .results a.hit', (as) => as.map((a) => a.getAttribute('href')));
      }
      if (args.exercise) {
        const form = page.locator(`form.exercise[data-id="${args.exercise.id}"]`);
        for (const which of ['wrong', 'right']) {
          const field = form.locator('input, select');
          if ((await field.evaluate((e) => e.tagName)) === 'SELECT') await field.selectOption(String(args.exercise[which]));
          else await field.fill(String(args.exercise[which]));
          await form.locator('button').click();
          out.exercise[which] = await form.locator('.reply').innerText();
        }
      }
      const shot = path.join(args.outdir, name.replace('.html', '.png'));
      await page.screenshot({ path: shot, fullPage: false });
      out.screenshots.push(shot);
    }
    await page.close();
  }
  if (args.explorers) {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto('file://' + path.join(args.docs, args.explorers), { timeout: args.timeoutMs });
    await page.waitForFunction(() => window.SMLP_EXPLORER_STATE && SMLP_EXPLORER_STATE.footprint && SMLP_EXPLORER_STATE.erf,
      null, { timeout: args.timeoutMs });
    const state = () => page.evaluate(() => JSON.parse(JSON.stringify(window.SMLP_EXPLORER_STATE)));
    const picture = (kind) => page.$eval(`div.smlp-page-explorer[data-explorer="${kind}"] canvas.map`, (c) => c.toDataURL());
    const set = (kind, nth, value) => page.$eval(`div.smlp-page-explorer[data-explorer="${kind}"]`, (root, [nth, value]) => {
      const w = root.querySelectorAll('select, input')[nth];
      if (w.type === 'checkbox') w.checked = value; else w.value = value;
      w.dispatchEvent(new Event('input', { bubbles: true })); w.dispatchEvent(new Event('change', { bubbles: true }));
    }, [nth, value]);
    const ex = { before: await state(), pictures: { footprint: [await picture('footprint')], erf: [await picture('erf')] } };
    await set('footprint', 0, 'axial'); await set('footprint', 4, 1);            // mixer, then the row slider
    ex.pictures.footprint.push(await picture('footprint'));
    ex.middle = await state();
    await set('footprint', 0, 'Strip Mixing Block'); await set('footprint', 6, '2'); await set('footprint', 7, '4x4');
    await set('footprint', 8, false); await set('footprint', 4, 0);             // depth, resolution, LSMM exact, row
    ex.deeper = await state();
    await set('footprint', 0, 'trained stage (shipped model)'); await set('footprint', 2, 'stage 2 (4x4)');   // a trained stage
    const plain = await picture('footprint');
    await set('footprint', 10, true);                                            // over its test image
    ex.overlaid = plain !== await picture('footprint');
    await set('erf', 0, 'random'); await set('erf', 1, 'stage 2 (4x4)');          // weights, then the stage
    ex.pictures.erf.push(await picture('erf'));
    ex.after = await state();
    await set('erf', 4, 'test image 0');                                         // one image instead of the average
    ex.single = await state();
    ex.changed = { footprint: ex.pictures.footprint[0] !== ex.pictures.footprint[1], erf: ex.pictures.erf[0] !== ex.pictures.erf[1] };
    delete ex.pictures;
    ex.errors = errors;
    for (const kind of ['footprint', 'erf']) {
      const shot = path.join(args.outdir, `explorer_${kind}.png`);
      await page.locator(`div.smlp-page-explorer[data-explorer="${kind}"]`).screenshot({ path: shot });
      out.screenshots.push(shot);
    }
    out.explorers = ex;
    if (args.attribution) {                                  // the attribution explorer's page: image, method, view
      await page.goto('file://' + path.join(args.docs, args.attribution), { timeout: args.timeoutMs });
      await page.waitForFunction(() => window.SMLP_EXPLORER_STATE && SMLP_EXPLORER_STATE.attribution, null, { timeout: args.timeoutMs });
      const before = await state();
      const pic = () => page.$eval('div.smlp-page-explorer[data-explorer="attribution"] img.picture', (i) => i.naturalWidth > 0 ? i.src : '');
      const shown = [await pic()];
      await set('attribution', 1, 'saliency'); await set('attribution', 2, 'heat map');
      await page.waitForTimeout(300);
      shown.push(await pic());
      const after = (await state()).attribution;
      await set('attribution', 1, 'gradcam'); await set('attribution', 3, 'stage2');   // Grad-CAM on another layer
      await page.waitForTimeout(300);
      shown.push(await pic());
      ex.attribution = { before: before.attribution, after, layered: (await state()).attribution, shown };
      const shot = path.join(args.outdir, 'explorer_attribution.png');
      await page.locator('div.smlp-page-explorer[data-explorer="attribution"]').screenshot({ path: shot });
      out.screenshots.push(shot);
    }
    log(`explorers: footprint ${ex.before.footprint.kind} -> ${ex.after.footprint.kind}, erf ${ex.before.erf.model} -> ${ex.after.erf.model}`);
    await page.close();
  }
  await browser.close();
  process.stdout.write(JSON.stringify(out) + '\n');
})().catch((e) => { process.stderr.write(String(e.stack || e) + '\n'); process.exit(1); });
