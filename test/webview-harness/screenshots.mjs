#!/usr/bin/env node
/**
 * Screenshots of every view and state of the panel in the harness, into test-results/harness-*.png.
 * Fails (exit 1) on console errors, page errors or CSP violations.
 *
 *   node test/webview-harness/screenshots.mjs [--width 1280] [--height 860]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildWebview, launchChromium, repo, waitForRendered, watchProblems } from './browser.mjs';
import { startHarness } from './serve.mjs';
import { makeFixtures } from './make-fixtures.mjs';

const args = process.argv.slice(2);
const value = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const viewport = { width: value('--width', 1280), height: value('--height', 860) };
const outDir = join(repo, 'test-results');
mkdirSync(outDir, { recursive: true });

const shots = [
  { name: 'heatmap', query: 'view=heatmap', view: 'heatmap' },
  { name: 'heatmap-compute', query: 'view=heatmap&metric=compute&layer=65', view: 'heatmap' },
  { name: 'heatmap-embedding', query: 'view=heatmap&layer=0', view: 'heatmap' },
  { name: 'heatmap-zoomed', query: 'view=heatmap&layer=1', view: 'heatmap', zoom: true },
  { name: 'heatmap-light', query: 'view=heatmap&theme=light', view: 'heatmap' },
  { name: 'heatmap-hc', query: 'view=heatmap&theme=hc&layer=65', view: 'heatmap' },
  { name: 'timeline', query: 'view=timeline', view: 'timeline', fullPage: true },
  { name: 'timeline-light', query: 'view=timeline&theme=light&systems=16', view: 'timeline', fullPage: true, waitTimeline: 16 },
  { name: 'memory-light', query: 'view=memory&theme=light', view: 'memory', fullPage: true },
  { name: 'timeline-256', query: 'view=timeline&systems=256', view: 'timeline', fullPage: true, waitTimeline: 256 },
  { name: 'memory', query: 'view=memory', view: 'memory', fullPage: true },
  { name: 'summary', query: 'view=summary', view: 'summary', fullPage: true },
  { name: 'summary-light', query: 'view=summary&theme=light', view: 'summary', fullPage: true },
  { name: 'empty', query: 'fixture=none' },
  { name: 'invalid', query: 'fixture=invalid', view: 'heatmap' },
  { name: 'not-modelled', query: 'fixture=not-modelled', view: 'heatmap' },
  { name: 'cluster', query: 'fixture=cluster', view: 'heatmap' },
];

await makeFixtures({ quiet: true });
const webviewJs = await buildWebview();
const harness = await startHarness({ webviewJs });
const browser = await launchChromium();
let failed = false;
try {
  for (const shot of shots) {
    // Scrolling views scroll inside the panel, not the page: give them a tall window instead.
    const page = await browser.newPage({ viewport: shot.fullPage ? { width: viewport.width, height: 1500 } : viewport });
    const problems = watchProblems(page);
    await page.goto(`${harness.url}?${shot.query}`);
    if (shot.view) await waitForRendered(page, shot.view);
    else await page.waitForSelector('.empty-state:not([hidden])');
    if (shot.waitTimeline) {
      await page.waitForFunction(() => !document.querySelector('.timeline-content.stale'), undefined, { timeout: 10000 });
    }
    if (shot.zoom) {
      const canvas = page.locator('canvas.heatmap-canvas');
      const box = await canvas.boundingBox();
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.2);
      for (let i = 0; i < 10; i++) await page.mouse.wheel(0, -240);
      await page.mouse.move(box.x + box.width * 0.3 + 3, box.y + box.height * 0.2 + 3);
    }
    // Two frames, so the last redraw is on screen.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const file = join(outDir, `harness-${shot.name}.png`);
    await page.screenshot({ path: file, fullPage: !!shot.fullPage });
    if (problems.length) {
      failed = true;
      console.error(`${shot.name}: ${problems.join('\n  ')}`);
    }
    console.log(`${file}${problems.length ? ' (problems above)' : ''}`);
    await page.close();
  }
} finally {
  await browser.close();
  await harness.close();
}
process.exit(failed ? 1 : 0);
