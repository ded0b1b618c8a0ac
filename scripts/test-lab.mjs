// `npm run test:lab [-- NN ...]`: JupyterLab in a real browser. For each notebook (default 01):
// starts the project's JupyterLab on a free local port (token-protected, 127.0.0.1 only), opens
// a copy of the notebook in headless Chromium (Debian's `chromium`, driven by playwright-core),
// runs all cells from the Run menu, and asserts: every code cell executed (a number in its
// prompt), no error output, no "No renderer could be found" (JupyterLab can draw every output),
// and every plotly output drawn as a plotly figure in the page. Then saves a full-page
// screenshot to .cache/test-lab/<notebook>.png and stops the server.
//
// The notebook runs from a copy in .cache/test-lab/notebooks/ (autosave off), so the committed
// notebooks stay without outputs; its figures go to .cache/test-lab/figures/. I2P_BUDGET
// (default ci here) reaches the kernel.
// Environment: I2P_CHROMIUM (default /usr/bin/chromium), I2P_LAB_TIMEOUT_S (default: the
// notebook's i2p.timeout_s, else 900).
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { labArgs, requireLab } from './lib/lab.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (m) => console.log(`[test:lab] ${m}`);
const fail = (m) => { console.error(`[test:lab] FAIL: ${m}`); process.exitCode = 1; throw new Error(m); };

const filters = process.argv.slice(2).length ? process.argv.slice(2) : ['01'];
const nbDir = path.join(root, 'notebooks');
const chosen = fs.readdirSync(nbDir).filter((f) => f.endsWith('.ipynb') && filters.some((s) => f.includes(s))).sort();
if (chosen.length === 0) { console.error(`[test:lab] no notebook matches ${filters.join(' ')}`); process.exit(2); }

const chromiumPath = process.env.I2P_CHROMIUM ?? '/usr/bin/chromium';
if (!fs.existsSync(chromiumPath)) {
  console.error(`[test:lab] FAIL: no Chromium at ${chromiumPath}. Install it: sudo apt-get install chromium (Debian/Ubuntu), or set I2P_CHROMIUM to a Chromium/Chrome binary`);
  process.exit(1);
}
let chromium;
try { ({ chromium } = await import('playwright-core')); } catch {
  console.error("[test:lab] FAIL: playwright-core is not installed (an optional dependency): npm install playwright-core");
  process.exit(1);
}
const j = requireLab(root, (m) => { console.error(`[test:lab] FAIL: ${m}`); process.exit(1); });

const work = path.join(root, '.cache', 'test-lab');
const copies = path.join(work, 'notebooks');
const settings = path.join(work, 'settings');
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(copies, { recursive: true });
// JupyterLab user settings for the run: every cell in the DOM (no windowing), no autosave, no news toast
const writeSettings = (plugin, value) => {
  const f = path.join(settings, ...plugin.split('/'));
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, JSON.stringify(value));
};
writeSettings('@jupyterlab/notebook-extension/tracker.jupyterlab-settings', { windowingMode: 'none' });
writeSettings('@jupyterlab/docmanager-extension/plugin.jupyterlab-settings', { autosave: false });
writeSettings('@jupyterlab/apputils-extension/notification.jupyterlab-settings', { fetchNews: 'false', checkForUpdates: false });

const freePort = () => new Promise((resolve, reject) => {
  const s = net.createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function runOne(nbFile) {
  const meta = JSON.parse(fs.readFileSync(path.join(nbDir, nbFile), 'utf8')).metadata ?? {};
  const timeoutS = Number(process.env.I2P_LAB_TIMEOUT_S ?? meta.i2p?.timeout_s ?? 900);
  fs.copyFileSync(path.join(nbDir, nbFile), path.join(copies, nbFile));
  const port = await freePort();
  const token = crypto.randomBytes(16).toString('hex');
  const base = `http://127.0.0.1:${port}`;
  const log = fs.openSync(path.join(work, `${nbFile}.server.log`), 'w');
  const server = spawn(j.python, labArgs(copies, [
    '--no-browser', `--port=${port}`, '--ServerApp.ip=127.0.0.1', `--IdentityProvider.token=${token}`,
    '--ServerApp.port_retries=0', '--LabApp.news_url=None',
  ]), {
    cwd: root, detached: true, stdio: ['ignore', log, log],
    // figures go under .cache/test-lab/figures, so the committed tables stay as the default budget made them
    env: { ...process.env, I2P_BUDGET: process.env.I2P_BUDGET ?? 'ci', TF_CPP_MIN_LOG_LEVEL: '2', I2P_FIGURES_DIR: path.join(work, 'figures'),
      JUPYTERLAB_SETTINGS_DIR: settings, JUPYTERLAB_WORKSPACES_DIR: path.join(work, 'workspaces') },
  });
  const stopServer = () => { try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone */ } };
  let browser;
  let page;
  const t0 = Date.now();
  try {
    for (;;) { // the server answers /api/status when it is up
      if (server.exitCode !== null) fail(`JupyterLab exited (${server.exitCode}) before it answered; see ${path.join(work, `${nbFile}.server.log`)}`);
      try { if ((await fetch(`${base}/api/status?token=${token}`)).ok) break; } catch { /* not yet */ }
      if (Date.now() - t0 > 120_000) fail('JupyterLab did not answer within 120 s');
      await sleep(500);
    }
    say(`${nbFile}: JupyterLab up on ${base} in ${((Date.now() - t0) / 1000).toFixed(1)} s (${j.pythonExecutable})`);
    browser = await chromium.launch({
      executablePath: chromiumPath, headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1600 } });
    await page.goto(`${base}/lab/tree/${encodeURIComponent(nbFile)}?reset&token=${token}`);
    await page.waitForSelector('.jp-NotebookPanel .jp-Cell', { timeout: 120_000 });
    // the kernel: the status bar reads "TypeScript | Idle" once tslab has started and connected
    await page.waitForFunction(() => /TypeScript \| Idle/.test(document.querySelector('#jp-main-statusbar')?.textContent ?? ''), null, { timeout: 120_000 });
    say(`${nbFile}: kernel ready (TypeScript, tslab); Run > Run All Cells`);
    await page.click('.lm-MenuBar-itemLabel:text-is("Run")');
    await page.click('.lm-Menu-itemLabel:text-is("Run All Cells")');
    // JupyterLab may still ask which kernel to use: answer with the notebook's own (tslab's TypeScript)
    const dialog = await page.waitForSelector('.jp-Dialog:has-text("Select Kernel")', { timeout: 5_000 }).catch(() => null);
    if (dialog) {
      say(`${nbFile}: JupyterLab asked for a kernel: choosing TypeScript`);
      await page.selectOption('.jp-Dialog select', { label: 'TypeScript' });
      await page.click('.jp-Dialog button:has-text("Select")');
    }
    // done when no prompt shows [*] and the kernel is idle again (run-all stops queueing after an error)
    const started = Date.now();
    await page.waitForFunction(() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].some((p) => /\[\*\]/.test(p.textContent ?? '')), null, { timeout: 60_000 });
    await page.waitForFunction(() => ![...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].some((p) => /\[\*\]/.test(p.textContent ?? '')),
      null, { timeout: timeoutS * 1000, polling: 1000 });
    const seconds = (Date.now() - started) / 1000;
    await sleep(2000); // let plotly finish drawing
    const r = await page.evaluate(() => {
      const cells = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')];
      const prompts = cells.map((c) => c.querySelector('.jp-InputPrompt')?.textContent?.trim() ?? '');
      const errors = [...document.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"], .jp-OutputArea-output.jp-mod-error')]
        .map((e) => (e.textContent ?? '').slice(0, 300));
      const text = document.querySelector('.jp-Notebook')?.textContent ?? '';
      const plotlyOutputs = [...document.querySelectorAll('.jp-OutputArea-output.jp-RenderedPlotly')];
      return {
        cells: cells.length,
        unexecuted: prompts.map((p, i) => [i, p]).filter(([, p]) => !/\[\d+\]/.test(p)),
        errors,
        noRenderer: (text.match(/No renderer could be found/g) ?? []).length,
        plotlyOutputs: plotlyOutputs.length,
        plotlyDrawn: plotlyOutputs.filter((o) => o.querySelector('.main-svg')).length,
      };
    });
    // the notebook as JupyterLab holds it, saved to the copy: an independent count of what the kernel sent
    const copy = path.join(copies, nbFile);
    const before = fs.statSync(copy).mtimeMs;
    await page.keyboard.press('Control+s');
    let saved;
    for (let i = 0; i < 80 && !saved; i++) { // written, and whole (JupyterLab may still be writing it)
      await sleep(250);
      if (fs.statSync(copy).mtimeMs === before) continue;
      try { saved = JSON.parse(fs.readFileSync(copy, 'utf8')); } catch { /* partly written */ }
    }
    if (!saved) fail(`saving the notebook (Ctrl+S) did not write ${path.relative(root, copy)} within 20 s`);
    const codeCells = saved.cells.filter((c) => c.cell_type === 'code');
    const outputs = codeCells.flatMap((c) => c.outputs ?? []);
    const file = {
      unexecuted: codeCells.filter((c) => c.execution_count == null).length,
      errors: outputs.filter((o) => o.output_type === 'error').map((o) => `${o.ename}: ${o.evalue}`),
      plotly: outputs.filter((o) => o.data && 'application/vnd.plotly.v1+json' in o.data).length,
    };
    const shot = path.join(work, `${nbFile.replace(/\.ipynb$/, '')}.png`);
    await page.locator('.jp-RenderedPlotly').first().scrollIntoViewIfNeeded().catch(() => {}); // a figure in the picture
    await page.screenshot({ path: shot });
    say(`${nbFile}: ran in ${seconds.toFixed(0)} s: ${r.cells} code cells, ${r.cells - r.unexecuted.length} executed, ${r.errors.length} error outputs, ` +
      `${r.plotlyDrawn} of ${r.plotlyOutputs} plotly outputs drawn (the saved notebook holds ${file.plotly}), ${r.noRenderer} "No renderer" messages; screenshot ${path.relative(root, shot)}`);
    const problems = [];
    if (r.cells === 0) problems.push('no code cells in the page');
    if (r.unexecuted.length) problems.push(`cells not executed: ${r.unexecuted.map(([i, p]) => `#${i} ${p || '(no prompt)'}`).join(', ')}`);
    if (r.errors.length) problems.push(`error output: ${r.errors[0]}`);
    if (r.noRenderer) problems.push(`${r.noRenderer} outputs show "No renderer could be found" (is the Python plotly package in the Jupyter environment?)`);
    if (file.unexecuted) problems.push(`${file.unexecuted} code cells have no execution count in the saved notebook`);
    if (file.errors.length) problems.push(`error outputs in the saved notebook: ${file.errors.join(' | ').slice(0, 300)}`);
    if (file.plotly === 0) problems.push('the kernel sent no plotly figure');
    if (r.plotlyOutputs !== file.plotly) problems.push(`${file.plotly} plotly figures were sent, ${r.plotlyOutputs} plotly outputs are in the page`);
    if (r.plotlyDrawn !== r.plotlyOutputs) problems.push(`${r.plotlyOutputs - r.plotlyDrawn} plotly outputs were not drawn`);
    if (problems.length) fail(`${nbFile}: ${problems.join('; ')}`);
  } catch (e) {
    const shot = path.join(work, `${nbFile.replace(/\.ipynb$/, '')}-failure.png`);
    if (page) await page.screenshot({ path: shot, fullPage: true }).then(() => say(`failure screenshot: ${path.relative(root, shot)}`), () => {});
    throw e;
  } finally {
    await browser?.close();
    stopServer();
  }
}

const t0 = Date.now();
try {
  for (const nb of chosen) await runOne(nb);
  say(`passed: ${chosen.join(', ')} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
} catch (e) {
  if (!process.exitCode) console.error(`[test:lab] FAIL: ${e?.stack ?? e}`);
  process.exitCode = 1;
}
