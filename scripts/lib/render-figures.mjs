// Renders figure pages (figures/<notebook>/<name>.html, written by show()) to PNG next to
// them, with playwright-core driving a headless Chromium: one browser for all pages, each
// page waits until plotly has drawn (the page sets data-rendered on <body>), then the
// figure's element is captured. A PNG newer than its page is kept (pass force to redraw).
// Writes <name>.png.tmp and renames, so a killed run leaves no half-written PNG.
//
// Skips quietly, with one line, when playwright-core or a Chromium is not there.
// Chromium: $I2P_CHROMIUM, /usr/bin/chromium, /usr/bin/chromium-browser,
// /usr/bin/google-chrome, else playwright's own download when present.
// 3D (WebGL) figures draw on the CPU through SwiftShader (no GPU needed).
//
// CLI: node scripts/lib/render-figures.mjs [--force] [folder-or-file ...]   (default: figures/)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** Chromium's flags: headless, no sandbox (root in containers), CPU WebGL, no background traffic. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-dev-shm-usage',
];

async function loadPlaywright() {
  try {
    return await import('playwright-core');
  } catch {
    return undefined;
  }
}

/** The Chromium executable to use, or undefined. */
export function findChromium(playwright) {
  const env = process.env.I2P_CHROMIUM?.trim();
  if (env) return fs.existsSync(env) ? env : undefined;
  const hit = CANDIDATES.find((p) => fs.existsSync(p));
  if (hit) return hit;
  try {
    const own = playwright?.chromium?.executablePath();
    return own && fs.existsSync(own) ? own : undefined;
  } catch {
    return undefined;
  }
}

/** Every *.html under the given folders (or the files themselves), sorted; skips plotly.js and dot-folders. */
export function listFigurePages(targets) {
  const out = [];
  for (const t of targets) {
    if (!fs.existsSync(t)) continue;
    if (fs.statSync(t).isFile()) { if (t.endsWith('.html')) out.push(path.resolve(t)); continue; }
    for (const f of fs.readdirSync(t, { recursive: true })) {
      const rel = String(f);
      if (rel.endsWith('.html') && !rel.split(path.sep).some((p) => p.startsWith('.'))) out.push(path.resolve(t, rel));
    }
  }
  return [...new Set(out)].sort();
}

function upToDate(html, png) {
  const p = fs.statSync(png, { throwIfNoEntry: false });
  return !!p && p.mtimeMs >= fs.statSync(html).mtimeMs;
}

/**
 * Renders pages to PNG.
 * @param {string[]} pages absolute paths of figure pages
 * @param {{log?: (m: string) => void, force?: boolean, scale?: number, timeoutMs?: number}} [options]
 * @returns {Promise<{rendered: string[], upToDate: string[], failed: {page: string, error: string}[], skipped?: string}>}
 */
export async function renderFigures(pages, options = {}) {
  const log = options.log ?? ((m) => console.log(m));
  const scale = options.scale ?? Number(process.env.I2P_PNG_SCALE ?? 1);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const result = { rendered: [], upToDate: [], failed: [] };
  const todo = pages.filter((p) => {
    const fresh = !options.force && upToDate(p, p.replace(/\.html$/, '.png'));
    if (fresh) result.upToDate.push(p);
    return !fresh;
  });
  if (todo.length === 0) return result;
  const playwright = await loadPlaywright();
  const exe = findChromium(playwright);
  if (!playwright || !exe) {
    result.skipped = !playwright ? 'playwright-core is not installed' : 'no Chromium found (apt-get install -y chromium, or set I2P_CHROMIUM)';
    log(`figures: ${todo.length} PNG(s) not rendered: ${result.skipped}`);
    return result;
  }
  const browser = await playwright.chromium.launch({ executablePath: exe, args: CHROMIUM_ARGS, headless: true });
  try {
    const context = await browser.newContext({ deviceScaleFactor: scale, viewport: { width: 1400, height: 1000 } });
    for (const html of todo) {
      const png = html.replace(/\.html$/, '.png');
      const page = await context.newPage();
      try {
        await page.goto(pathToFileURL(html).href, { waitUntil: 'load', timeout: timeoutMs });
        await page.waitForFunction(() => document.body.hasAttribute('data-rendered') || document.body.hasAttribute('data-error'),
          undefined, { timeout: timeoutMs });
        const err = await page.evaluate(() => document.body.getAttribute('data-error'));
        if (err) throw new Error(err);
        // two frames more, so WebGL scenes have swapped their buffers
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        const tmp = `${png}.tmp`;
        await page.locator('#figure').screenshot({ path: tmp, type: 'png', timeout: timeoutMs });
        fs.renameSync(tmp, png);
        result.rendered.push(png);
      } catch (e) {
        result.failed.push({ page: html, error: String(e?.message ?? e).split('\n')[0] });
      } finally {
        await page.close();
      }
    }
  } finally {
    await browser.close();
  }
  return result;
}

/** One line about a render result. */
export function describeRender(r, root = process.cwd()) {
  if (r.skipped) return `figures: PNGs skipped (${r.skipped})`;
  const parts = [`${r.rendered.length} PNG(s) rendered`, `${r.upToDate.length} up to date`];
  if (r.failed.length) parts.push(`${r.failed.length} FAILED: ${r.failed.map((f) => `${path.relative(root, f.page)} (${f.error})`).join('; ')}`);
  return `figures: ${parts.join(', ')}`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const targets = args.filter((a) => a !== '--force');
  const pages = listFigurePages(targets.length ? targets : [process.env.I2P_FIGURES_DIR || path.join(root, 'figures')]);
  const t0 = Date.now();
  const r = await renderFigures(pages, { force });
  console.log(`${describeRender(r, root)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  process.exit(r.failed.length ? 1 : 0);
}
