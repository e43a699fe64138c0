// Screenshots of the three page explorers for the README, each in a chosen setting, from a built docs folder.
// Usage (from tests/browser): node shots.js '{"docs", "chromium", "outdir"}'; writes page_explorer_{footprint,erf,attribution}.png
'use strict';
const path = require('path');
const { chromium } = require('playwright-core');
const args = JSON.parse(process.argv[2]);
(async () => {
  const browser = await chromium.launch({ executablePath: args.chromium, args: ['--headless', '--no-sandbox', '--disable-gpu', '--allow-file-access-from-files'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const set = (kind, nth, value) => page.$eval(`div.smlp-page-explorer[data-explorer="${kind}"]`, (root, [nth, value]) => {
    const w = root.querySelectorAll('select, input')[nth];
    if (w.type === 'checkbox') w.checked = value; else w.value = value;
    w.dispatchEvent(new Event('input', { bubbles: true })); w.dispatchEvent(new Event('change', { bubbles: true }));
  }, [nth, value]);
  const shot = (kind, name) => page.locator(`div.smlp-page-explorer[data-explorer="${kind}"]`).screenshot({ path: path.join(args.outdir, name) });
  await page.goto('file://' + path.join(args.docs, 'explorers.html'));
  await page.waitForFunction(() => window.SMLP_EXPLORER_STATE && SMLP_EXPLORER_STATE.footprint && SMLP_EXPLORER_STATE.erf);
  await set('footprint', 0, 'Strip Mixing Block'); await set('footprint', 6, '2'); await set('footprint', 7, '9x9'); await set('footprint', 4, 3);
  await shot('footprint', 'page_explorer_footprint.png');
  await set('erf', 1, 'stage 1 (8x8)'); await set('erf', 2, 1); await set('erf', 3, 4); await set('erf', 5, true);
  await shot('erf', 'page_explorer_erf.png');
  await page.goto('file://' + path.join(args.docs, 'attribution_plots.html'));
  await page.waitForFunction(() => window.SMLP_EXPLORER_STATE && SMLP_EXPLORER_STATE.attribution);
  await set('attribution', 1, 'gradcam'); await set('attribution', 3, 'stage2'); await page.waitForTimeout(500);
  await shot('attribution', 'page_explorer_attribution.png');
  await browser.close();
})().catch((e) => { process.stderr.write(String(e.stack || e) + '\n'); process.exit(1); });
