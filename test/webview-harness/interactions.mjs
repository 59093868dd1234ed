#!/usr/bin/env node
/**
 * A scripted check of the panel in the harness (real Chromium, real DOM): the message handshake,
 * state saving, keyboard use of tabs and canvas, layer and systems requests, playback, and the
 * redraw on theme change. Exits 1 with the failed checks listed.
 *
 *   node test/webview-harness/interactions.mjs
 */
import { buildWebview, launchChromium, waitForRendered, watchProblems } from './browser.mjs';
import { startHarness } from './serve.mjs';

const failures = [];
const check = (name, condition, detail = '') => {
  console.log(`${condition ? 'ok  ' : 'FAIL'} ${name}${detail ? ` (${detail})` : ''}`);
  if (!condition) failures.push(name);
};

const webviewJs = await buildWebview();
const harness = await startHarness({ webviewJs });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  const problems = watchProblems(page);
  await page.goto(`${harness.url}?view=heatmap`);
  await waitForRendered(page, 'heatmap');
  const messages = () => page.evaluate(() => window.__waferscopeMessages.map((m) => ({ ...m })));

  let sent = await messages();
  check('ready is the first message', sent[0]?.type === 'ready');
  check('the selected layer is requested after the result', sent.some((m) => m.type === 'requestHeatmap' && m.layer === 0));
  const rendered = sent.find((m) => m.type === 'rendered');
  check('rendered names the result', rendered?.uri?.endsWith('gpt-1t.yaml') && rendered.version === 1 && rendered.view === 'heatmap');

  // Canvas keyboard: + zooms, 0 fits again.
  const scale = () => page.evaluate(() => document.querySelector('canvas.heatmap-canvas').__zoom.k);
  const fitScale = await scale();
  await page.focus('canvas.heatmap-canvas');
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  const zoomed = await scale();
  check('+ zooms in', zoomed > fitScale * 2, `${fitScale.toFixed(3)} -> ${zoomed.toFixed(3)}`);
  const before = await page.evaluate(() => ({ ...document.querySelector('canvas.heatmap-canvas').__zoom }));
  await page.keyboard.press('ArrowRight');
  const after = await page.evaluate(() => ({ ...document.querySelector('canvas.heatmap-canvas').__zoom }));
  check('arrow keys pan', after.x < before.x);
  await page.keyboard.press('0');
  check('0 resets to the whole wafer', Math.abs((await scale()) - fitScale) < 1e-9);

  // Hover tooltip over a PE.
  const box = await page.locator('canvas.heatmap-canvas').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const tooltip = await page.locator('.heatmap-view .tooltip').textContent();
  check('hovering a PE shows its coordinates and SRAM use', /PE \(\d+, \d+\)/.test(tooltip ?? '') && /SRAM/.test(tooltip ?? ''), tooltip?.slice(0, 60));

  // Slider: a new layer is requested and drawn, and saved in the state.
  await page.locator('.layer-slider').focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => window.__waferscopePerf.heatmapPaints.some((p) => p.layer === 1));
  sent = await messages();
  check('moving the slider requests that layer', sent.some((m) => m.type === 'requestHeatmap' && m.layer === 1));
  check('the layer is shown', (await page.locator('.layer-text').textContent())?.startsWith('Layer 2 /'));

  // Metric toggle.
  await page.locator('.segment', { hasText: 'Compute utilization' }).click();
  check('the legend switches to compute utilization', (await page.locator('.legend-title').textContent()) === 'Compute utilization');

  // Theme change: the canvas background (read from --vscode-editor-background) follows the theme.
  const idlePixel = () =>
    page.evaluate(() => {
      const canvas = document.querySelector('canvas.heatmap-canvas');
      // A corner, outside the wafer (it is fitted with a margin).
      return [...canvas.getContext('2d').getImageData(2, 2, 1, 1).data];
    });
  const darkIdle = await idlePixel();
  await page.evaluate(() => {
    document.documentElement.classList.remove('theme-dark');
    document.documentElement.classList.add('theme-light');
    document.body.className = 'vscode-light';
  });
  await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))));
  const lightIdle = await idlePixel();
  check('the canvas redraws in the new theme', darkIdle.join() !== lightIdle.join(), `${darkIdle} -> ${lightIdle}`);

  // Tabs by keyboard: ArrowRight from the heatmap tab opens the timeline.
  await page.focus('#tab-heatmap');
  await page.keyboard.press('ArrowRight');
  await waitForRendered(page, 'timeline');
  check('ArrowRight on the tabs opens the timeline', (await page.getAttribute('#tab-timeline', 'aria-selected')) === 'true');
  check('the focused tab follows', await page.evaluate(() => document.activeElement?.id === 'tab-timeline'));

  // Systems: another count is requested and drawn.
  await page.selectOption('.systems-select', '64');
  await page.waitForFunction(() => document.querySelector('.headline')?.textContent?.startsWith('64 systems'));
  sent = await messages();
  check('choosing 64 systems requests that timeline', sent.some((m) => m.type === 'requestTimeline' && m.systems === 64));

  // Playback advances layers and stops when the heatmap is hidden.
  await page.click('#tab-heatmap');
  const layerBefore = Number(await page.inputValue('.layer-slider'));
  await page.click('.play-button');
  await page.waitForFunction((l) => Number(document.querySelector('.layer-slider').value) >= l + 2, layerBefore, { timeout: 10000 });
  check('play advances through layers', true);
  await page.click('#tab-memory');
  const stoppedAt = Number(await page.inputValue('.layer-slider'));
  await page.waitForTimeout(1200);
  check('play stops when the heatmap is hidden', Number(await page.inputValue('.layer-slider')) === stoppedAt);

  // Export: the active view's chart as a standalone SVG (theme paint inlined, no classes), the
  // heatmap canvas as PNG bytes, the report as Markdown; the host gets them as messages.
  const exports = async (action) => (await messages()).filter((m) => m.type === 'export' && m.action === action);
  await page.evaluate(() => window.__waferscopeHost.send({ type: 'showView', view: 'timeline' }));
  await page.locator('svg.timeline-svg rect.bar').first().waitFor();
  await page.click('button[name="save-svg"]');
  await page.waitForFunction(() => window.__waferscopeMessages.some((m) => m.type === 'export' && m.action === 'save'));
  const [svgSave] = await exports('save');
  check(
    'Save SVG sends a standalone SVG of the timeline with its colours inlined',
    svgSave.fileName === 'waferscope-timeline.svg' && svgSave.text.startsWith('<svg') && svgSave.text.includes('xmlns="http://www.w3.org/2000/svg"') && !/ class="/.test(svgSave.text) && /<rect[^>]* fill="rgb\(/.test(svgSave.text),
    svgSave.text.slice(0, 80),
  );
  await page.evaluate(() => window.__waferscopeHost.send({ type: 'showView', view: 'heatmap' }));
  await page.click('button[name="save-png"]');
  await page.waitForFunction(() => window.__waferscopeMessages.filter((m) => m.type === 'export' && m.action === 'save').length === 2);
  const pngSave = (await exports('save'))[1];
  const pngHeader = Buffer.from(pngSave.base64 ?? '', 'base64').subarray(0, 8).toString('latin1');
  check('Save PNG sends the heatmap canvas as PNG bytes', pngSave.fileName === 'waferscope-heatmap.png' && pngHeader === '\x89PNG\r\n\x1a\n');
  await page.selectOption('select.export-format', 'csv');
  await page.click('button[name="copy-report"]');
  await page.waitForFunction(() => window.__waferscopeMessages.some((m) => m.type === 'export' && m.action === 'copy'));
  const [copy] = await exports('copy');
  check('Copy report sends the report as CSV', copy.text.startsWith('section,quantity,value,unit\n') && copy.text.includes('Model,parameters,1008038758400,parameters'), copy.text.slice(0, 60));

  // A host message switches the view.
  await page.evaluate(() => window.__waferscopeHost.send({ type: 'showView', view: 'summary' }));
  await page.waitForFunction(() => document.querySelector('#tab-summary')?.getAttribute('aria-selected') === 'true');
  check('showView switches the view', true);

  // A new version of the document with fewer layers clamps the layer.
  await page.evaluate(async () => {
    const message = await (await fetch('/fixtures/result-1t.json')).json();
    message.result.version = 2;
    message.result.report.wafer.layers = message.result.report.wafer.layers.slice(0, 1);
    window.__waferscopeHost.send(message);
  });
  await page.waitForFunction(() => window.__waferscopeMessages.some((m) => m.type === 'rendered' && m.version === 2));
  check('a shorter result clamps the layer', (await page.locator('.layer-text').textContent())?.startsWith('Layer 1 / 1'));

  // Errors from the host are shown.
  await page.evaluate(() => window.__waferscopeHost.send({ type: 'error', message: 'language server stopped' }));
  check('error messages are shown', (await page.locator('.banner-text').textContent()) === 'language server stopped');

  check('no console errors or CSP violations', problems.length === 0, problems.join(' | '));
  await page.close();
} finally {
  await browser.close();
  await harness.close();
}
if (failures.length) {
  console.error(`${failures.length} check(s) failed`);
  process.exit(1);
}
console.log('all interaction checks passed');
