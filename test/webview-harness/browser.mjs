/**
 * Shared by the harness screenshots and the heatmap bench: build the panel bundle and launch the
 * system's Chromium headless through playwright-core.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '../..');

/**
 * Bundles webview/main.ts the way esbuild.config.mjs does (browser, IIFE, minified) into a temp
 * folder, so the harness works while other bundles of the repo do not build yet.
 */
export async function buildWebview() {
  const esbuild = await import('esbuild');
  const outdir = mkdtempSync(join(tmpdir(), 'waferscope-webview-'));
  const outfile = join(outdir, 'webview.js');
  await esbuild.build({
    absWorkingDir: repo,
    entryPoints: [join(repo, 'webview/main.ts')],
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    minify: true,
    outfile,
    logLevel: 'error',
  });
  return outfile;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath} (set CHROMIUM_PATH)`);
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

/** Collects console errors, page errors and CSP violations of a page. */
export function watchProblems(page) {
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(String(error)));
  return problems;
}

/** Waits until the panel posted `rendered` for a view (optionally after `count` earlier ones). */
export async function waitForRendered(page, view, timeout = 15000) {
  await page.waitForFunction(
    (v) => (window.__waferscopeMessages || []).some((m) => m.type === 'rendered' && m.view === v),
    view,
    { timeout },
  );
}
