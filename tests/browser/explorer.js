// Drives Debian's headless Chromium through JupyterLab for tests/test_browser.py (playwright-core, no download).
// Usage: node explorer.js '{"url", "token", "notebook", "outdir", "chromium", "userDataDir", "timeoutMs"}'
// Opens the notebook, runs all cells from the Run menu, waits for the strip explorer (.smlp-strip-explorer),
// presses ArrowRight (or ArrowLeft at the end) on its 'row' slider handle, waits for the footprint image
// (.smlp-footprint) and the status (.smlp-status) to change, saves screenshots, and prints one JSON line:
// {before: {readout, src, sha256, png, status}, after: {...}, errors: [...], screenshots: [...], seconds: {...}}.
// Progress goes to stderr.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const args = JSON.parse(process.argv[2]);
const t0 = Date.now();
const deadline = t0 + args.timeoutMs;
const left = () => Math.max(deadline - Date.now(), 1000);
const log = (msg) => process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${msg}\n`);
const seconds = {};
const mark = (name) => { seconds[name] = +((Date.now() - t0) / 1000).toFixed(1); };

// headless, and no background traffic: the closed network here refuses (and stalls) such connections
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const NB = '.jp-NotebookPanel';
const EXPLORER = `${NB} .smlp-strip-explorer`;

async function kernelIdle(page, timeout) {
  // a kernel is attached and idle, no cell waits or runs ([*]), no dialog: twice in a row half a second apart.
  // A notebook without a kernelspec asks for a kernel first: take the proposed one (Python 3).
  let streak = 0;
  let state = {};
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    state = await page.evaluate((nb) => {
      const panel = document.querySelector(nb);
      const ind = panel && panel.querySelector('.jp-Notebook-ExecutionIndicator');
      const kernel = panel && panel.querySelector('.jp-KernelName');
      const dialog = document.querySelector('.jp-Dialog');
      return {
        status: ind ? ind.getAttribute('data-status') : null,
        kernel: kernel ? kernel.textContent.trim() : null,
        running: panel ? [...panel.querySelectorAll('.jp-InputPrompt')].filter((p) => p.textContent.includes('*')).length : -1,
        dialog: dialog ? dialog.innerText.trim().split('\n')[0] : null,
      };
    }, NB);
    if (state.dialog) {
      log(`dialog "${state.dialog}": accept`);
      await page.locator('.jp-Dialog .jp-Dialog-button.jp-mod-accept').click({ timeout: 10000 });
      streak = 0;
      continue;
    }
    const idle = state.status === 'idle' && state.kernel && !/no kernel/i.test(state.kernel) && state.running === 0;
    streak = idle ? streak + 1 : 0;
    if (streak >= 2) return state;
    await page.waitForTimeout(500);
  }
  throw new Error(`kernel not idle after ${timeout} ms: ${JSON.stringify(state)}`);
}

async function snapshot(page, slider) {
  // what the explorer shows now: slider readout, image src and bytes, status text
  const img = page.locator(`${EXPLORER} img.smlp-footprint`).first();
  await img.waitFor({ state: 'visible', timeout: left() });
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle(), { timeout: left() });
  const shot = await img.evaluate(async (el) => {
    const bytes = new Uint8Array(await (await fetch(el.src)).arrayBuffer());
    let bin = '';
    for (const b of bytes) bin += String.fromCharCode(b);
    return { src: el.src, b64: btoa(bin) };
  });
  const bytes = Buffer.from(shot.b64, 'base64');
  return {
    readout: (await slider.locator('.widget-readout').innerText()).trim(),
    src: shot.src,
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    png: bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
    bytes: bytes.length,
    status: (await page.locator(`${EXPLORER} .smlp-status`).first().innerText()).trim(),
  };
}

async function errorsShown(page) {
  // tracebacks (JupyterLab shows errors and warnings alike as stderr, only errors carry a traceback),
  // widgets that failed to render, and code cells that never ran (Run All stops at an error)
  return page.evaluate((nb) => {
    const panel = document.querySelector(nb);
    const errs = [];
    for (const e of panel.querySelectorAll('.jp-OutputArea-output')) {
      const text = e.innerText.trim();
      if (/Traceback \(most recent call last\)/.test(text)) errs.push(text.split('\n').filter((l) => l.trim()).slice(-1)[0]);
      else if (/Error displaying widget|Failed to load model class/.test(text)) errs.push(text.slice(0, 200));
    }
    const notRun = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].filter((p) => /\[\s*\]/.test(p.textContent));
    if (notRun.length) errs.push(`${notRun.length} code cell(s) did not run`);
    return errs;
  }, NB);
}

async function main() {
  fs.mkdirSync(args.outdir, { recursive: true });
  const shots = [];
  const shoot = async (target, name) => {
    const file = path.join(args.outdir, name);
    await target.screenshot({ path: file, timeout: left() });
    shots.push(file);
    log(`screenshot ${file}`);
  };
  log(`chromium ${args.chromium}`);
  const context = await chromium.launchPersistentContext(args.userDataDir, {
    executablePath: args.chromium, headless: true, args: FLAGS, viewport: { width: 1600, height: 1000 },
    timeout: left(),
  });
  try {
    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(left());
    mark('browser');
    const nbUrl = `${args.url}/lab/tree/${encodeURIComponent(args.notebook)}?token=${args.token}`;
    log(`open ${nbUrl.replace(args.token, '<token>')}`);
    await page.goto(nbUrl, { timeout: left() });
    await page.locator(`${NB} .jp-Notebook`).waitFor({ timeout: left() });
    mark('notebook');
    // more room for the notebook: hide the file browser (Ctrl+B, View > Show Left Sidebar)
    if (await page.locator('#jp-left-stack').isVisible()) await page.keyboard.press('Control+b');
    log('waiting for the kernel ...');
    log(`kernel ready: ${JSON.stringify(await kernelIdle(page, left()))}`);
    mark('kernel');
    log('Run > Run All Cells');
    await page.locator('.lm-MenuBar-item', { hasText: /^Run$/ }).click();
    await page.locator('.lm-Menu .lm-Menu-itemLabel', { hasText: /^Run All Cells$/ }).click();
    const explorer = page.locator(EXPLORER).first();
    await explorer.waitFor({ state: 'visible', timeout: left() });
    mark('explorer');
    log('explorer shown; waiting for the remaining cells ...');
    await kernelIdle(page, left());
    mark('ran');
    const errors = await errorsShown(page);
    if (errors.length) log(`errors shown: ${JSON.stringify(errors)}`);

    const slider = explorer.locator('.widget-slider', {
      has: page.locator('.widget-label', { hasText: /^\s*row\s*$/ }),
    }).first();
    const handle = slider.locator('.noUi-handle').first();
    await explorer.scrollIntoViewIfNeeded();
    const before = await snapshot(page, slider);
    log(`before: ${JSON.stringify({ ...before, src: undefined })}`);
    await shoot(explorer, 'explorer_before.png');
    await shoot(page, 'page_before.png');

    // real input: click the handle (no drag, so no move), then one arrow key step
    const atMax = (await handle.getAttribute('aria-valuenow')) === (await handle.getAttribute('aria-valuemax'));
    const key = atMax ? 'ArrowLeft' : 'ArrowRight';
    await handle.click();
    await page.keyboard.press(key);
    log(`pressed ${key} on the row slider`);
    await page.waitForFunction(([sel, src, status]) => {
      const img = document.querySelector(`${sel} img.smlp-footprint`);
      const st = document.querySelector(`${sel} .smlp-status`);
      return img && st && img.src !== src && img.complete && img.naturalWidth > 0 && st.innerText.trim() !== status;
    }, [EXPLORER, before.src, before.status], { timeout: left(), polling: 250 });
    await kernelIdle(page, left());
    mark('changed');
    const after = await snapshot(page, slider);
    log(`after: ${JSON.stringify({ ...after, src: undefined })}`);
    await shoot(explorer, 'explorer_after.png');
    await shoot(page, 'page_after.png');
    mark('done');
    process.stdout.write(JSON.stringify({ before, after, key, errors, screenshots: shots, seconds }) + '\n');
  } catch (e) {
    // leave a picture of what the page looked like when it went wrong
    try { const p = context.pages()[0]; if (p) await shoot(p, 'page_failure.png'); } catch (_) { /* closed */ }
    throw e;
  } finally {
    await context.close().catch(() => {});
  }
}

main().catch((e) => { log(`FAILED: ${e.stack || e}`); process.exit(1); });
