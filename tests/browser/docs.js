// Opens built docs pages from the file system in Debian's headless Chromium, with every request that is not a
// local file blocked and recorded, for tests/test_docs.py (playwright-core, no download).
// Usage: node docs.js '{"docs", "pages", "outdir", "chromium", "timeoutMs", "search", "exercise"}'
// For each page: waits for MathJax to typeset, counts typeset formulas and raw '$' left in the text; on the first
// page also types `search` into the search box and answers `exercise` ({id, right, wrong}) right and wrong.
// Prints one JSON line: {pages: {name: {formulas, rawDollars, pager, errors}}, blocked: [...], search: [...],
// exercise: {right, wrong}, screenshots: [...]}. Progress goes to stderr.
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
  await browser.close();
  process.stdout.write(JSON.stringify(out) + '\n');
})().catch((e) => { process.stderr.write(String(e.stack || e) + '\n'); process.exit(1); });
