// One answer everywhere (issue 9), as a person sees it in code-server: the panel follows a new
// cluster choice (its verdict changes with the status bar's), the heatmap repaints when the metric
// changes (canvas pixels compared), no view scrolls sideways or clips a label at 350 px or full
// width (element boxes measured), and the panel in light, dark and high-contrast themes
// (screenshots to look at).
import * as assert from 'node:assert/strict';
import { activeTab, pickCluster, quickOpen, runCommand, screenshot, STEP_TIMEOUT_MS, webviewContent } from './lib/workbench.mjs';

/** The panel's width once it is at most `limit` px (polled until the step timeout), else the last width seen. */
async function panelWidthAtMost(content, limit) {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  let width = Infinity;
  while (Date.now() < deadline) {
    width = await content.locator('body').evaluate(() => document.documentElement.clientWidth);
    if (width <= limit) return width;
    await content.locator('body').evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve())));
  }
  return width;
}

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_ROW = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;
const VIEWS = ['heatmap', 'timeline', 'memory', 'summary', 'plan'];


async function openPanel(page) {
  await quickOpen(page, 'gpt-1t.yaml');
  await runCommand(page, 'WaferScope: Show Wafer Heatmap');
  await activeTab(page, 'WaferScope').waitFor({ timeout: STEP_TIMEOUT_MS });
  const content = webviewContent(page);
  await content.locator('canvas.heatmap-canvas').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await content.locator('.summary-line').filter({ hasText: /PEs busy/ }).waitFor({ timeout: STEP_TIMEOUT_MS });
  return content;
}

/** A cheap fingerprint of the canvas pixels (sum and a rolling hash over a sample). */
function canvasFingerprint(canvas) {
  return canvas.evaluate((element) => {
    const { width, height } = element;
    const { data } = element.getContext('2d').getImageData(0, 0, width, height);
    let hash = 0;
    for (let i = 0; i < data.length; i += 4 * 97) hash = (Math.imul(hash, 31) + data[i] + (data[i + 1] << 8) + (data[i + 2] << 16)) >>> 0;
    return hash;
  });
}

/**
 * Inside the webview: does anything scroll sideways, and is any label clipped? A label is clipped
 * when its text is wider than its box under overflow hidden, or its box leaves the viewport.
 */
function layoutProblems(content) {
  return content.locator('body').evaluate(() => {
    const problems = [];
    const width = document.documentElement.clientWidth;
    for (const element of [document.documentElement, document.body, ...document.querySelectorAll('*')]) {
      const style = getComputedStyle(element);
      if (element.offsetParent === null && element !== document.body && element !== document.documentElement) continue;
      const scrollsX = element.scrollWidth > element.clientWidth + 1 && ['auto', 'scroll'].includes(style.overflowX);
      if (scrollsX || (element === document.documentElement && element.scrollWidth > width + 1)) {
        problems.push(`horizontal scroll: ${element.tagName.toLowerCase()}.${element.className} (${element.scrollWidth} > ${element.clientWidth})`);
      }
    }
    const labels = document.querySelectorAll('th, td, .legend *, .badge, .tab, .caption, .hint, svg text, .result-summary, .summary-line, .layer-text');
    for (const label of labels) {
      const box = label.getBoundingClientRect();
      if (box.width === 0 || !label.textContent.trim()) continue;
      // SVG text is clipped by its own <svg> box.
      const owner = label instanceof SVGElement ? label.ownerSVGElement?.getBoundingClientRect() : undefined;
      if (owner && (box.left < owner.left - 1 || box.right > owner.right + 1)) problems.push(`clipped by its chart: "${label.textContent.trim().slice(0, 40)}"`);
      if (box.right > width + 1 || box.left < -1) problems.push(`off screen: "${label.textContent.trim().slice(0, 40)}" (${Math.round(box.left)}..${Math.round(box.right)} of ${width})`);
      const style = getComputedStyle(label);
      if (!(label instanceof SVGElement) && style.overflow === 'hidden' && label.scrollWidth > label.clientWidth + 1) {
        problems.push(`clipped: "${label.textContent.trim().slice(0, 40)}"`);
      }
    }
    return problems;
  });
}

async function showView(content, view) {
  await content.locator(`#tab-${view}`).click();
  await content.locator(`#panel-${view}:not([hidden])`).waitFor({ timeout: STEP_TIMEOUT_MS });
  // Wait until the view has drawn something (an svg, a table or the canvas).
  await content.locator(`#panel-${view} svg, #panel-${view} table, #panel-${view} canvas`).first().waitFor({ timeout: STEP_TIMEOUT_MS });
}

/** Preferences: Color Theme opens a second quick pick (the themes) in the same widget. */
async function setTheme(page, name) {
  await runCommand(page, 'Preferences: Color Theme', { run: false });
  // Not "Browse Color Themes in Marketplace": the picker of the installed themes.
  await page.locator(QUICK_INPUT_ROW, { hasText: 'Preferences: Color Theme' }).filter({ hasNotText: /Browse|Marketplace|File Icon|Product Icon/ }).first().click();
  await page.locator(QUICK_INPUT_ROW, { hasText: /Dark Modern|Light Modern/ }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
  const row = page.locator(QUICK_INPUT_ROW, { hasText: name }).first();
  await page.locator('.quick-input-box input').fill(name);
  await row.waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.keyboard.press('Enter');
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
}

export const scenarios = [
  {
    title: 'Consistency: Select Cluster changes the panel verdict with the status bar, and back',
    timeoutMs: 180000,
    async run({ page }) {
      const content = await openPanel(page);
      // Start from the embedded default, whatever an earlier scenario left selected.
      await pickCluster(page, 'Embedded default');
      const badge = content.locator('.badge');
      await content.locator('.badge', { hasText: /^fits$/ }).waitFor({ timeout: STEP_TIMEOUT_MS });
      await pickCluster(page, 'small-12tb.cluster.yaml');
      await page.locator('.statusbar-item', { hasText: 'WaferScope: does not fit' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      await content.locator('.badge', { hasText: /^does not fit$/ }).waitFor({ timeout: STEP_TIMEOUT_MS });
      assert.match(await content.locator('.result-summary').innerText(), /does not fit: MemoryX needs 16\.1\s\/\s12\sTB/);
      await pickCluster(page, 'Embedded default');
      await content.locator('.badge', { hasText: /^fits$/ }).waitFor({ timeout: STEP_TIMEOUT_MS });
      assert.equal((await badge.textContent()).trim(), 'fits');
    },
  },
  {
    title: 'Consistency: a transient syntax error keeps the last good result, dimmed and labelled',
    timeoutMs: 180000,
    async run({ page }) {
      const content = await openPanel(page);
      await content.locator('.badge', { hasText: /^fits$/ }).waitFor({ timeout: STEP_TIMEOUT_MS });
      await page.locator('.editor-group-container .monaco-editor').first().click();
      await page.keyboard.press('Control+End');
      // 'a: b: c' is a YAML syntax error, and nothing the editor auto-closes.
      await page.keyboard.type('\nbroken: a: b');
      await content.locator('.banner', { hasText: /Syntax error on line \d+: showing the last result that parsed/ }).waitFor({ timeout: STEP_TIMEOUT_MS });
      assert.equal(await content.locator('.workspace.stale-result').count(), 1, 'the views stay, dimmed');
      assert.equal(await content.locator('canvas.heatmap-canvas').isVisible(), true);
      await page.keyboard.press('Control+Z');
      await page.keyboard.press('Control+Z');
      await content.locator('.workspace.stale-result').waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });
      await content.locator('.badge', { hasText: /^fits$/ }).waitFor({ timeout: STEP_TIMEOUT_MS });
    },
  },
  {
    title: 'Consistency: the metric toggle repaints the canvas at once',
    timeoutMs: 180000,
    async run({ page }) {
      const content = await openPanel(page);
      const canvas = content.locator('canvas.heatmap-canvas');
      const sram = await canvasFingerprint(canvas);
      await content.getByRole('radio', { name: 'Compute utilization' }).click();
      await content.locator('.legend-title', { hasText: 'Compute utilization' }).waitFor({ timeout: STEP_TIMEOUT_MS });
      const compute = await canvasFingerprint(canvas);
      assert.notEqual(compute, sram, 'the canvas still shows the SRAM colours');
      await content.getByRole('radio', { name: 'SRAM occupancy' }).click();
      await content.locator('.legend-title', { hasText: 'SRAM used' }).waitFor({ timeout: STEP_TIMEOUT_MS });
      assert.equal(await canvasFingerprint(canvas), sram, 'back to the same SRAM picture');
    },
  },
  {
    title: 'Consistency: no horizontal scrollbar and no clipped label at 350 px and full width; light, dark and high-contrast screenshots',
    timeoutMs: 300000,
    async run({ page }) {
      const content = await openPanel(page);
      await runCommand(page, 'View: Close Primary Side Bar');
      // Wide: a 2,200 px window splits into two groups of about 1,100 px.
      await page.setViewportSize({ width: 2200, height: 1000 });
      const wide = await content.locator('body').evaluate(() => document.documentElement.clientWidth);
      assert.ok(wide >= 900, `the wide panel is ${wide} px`);
      for (const view of VIEWS) {
        await showView(content, view);
        assert.deepEqual(await layoutProblems(content), [], `${wide} px, ${view}`);
        await screenshot(page, `layout-wide-${view}`);
      }
      // Narrow: shrink the window until the panel's group is about 350 px.
      await page.setViewportSize({ width: 760, height: 900 });
      // The workbench lays the groups out again after the resize: wait for the panel to narrow.
      const width = await panelWidthAtMost(content, 400);
      assert.ok(width <= 400, `the panel is ${width} px wide`);
      for (const view of VIEWS) {
        await showView(content, view);
        assert.deepEqual(await layoutProblems(content), [], `${width} px, ${view}`);
        await screenshot(page, `layout-narrow-${view}`);
      }
      await page.setViewportSize({ width: 1400, height: 900 });
      for (const [theme, name] of [['Light Modern', 'light'], ['Dark Modern', 'dark'], ['Dark High Contrast', 'hc-dark'], ['Light High Contrast', 'hc-light']]) {
        await setTheme(page, theme);
        for (const view of ['heatmap', 'timeline', 'memory']) {
          await showView(content, view);
          await screenshot(page, `theme-${name}-${view}`);
        }
      }
      await setTheme(page, 'Dark Modern');
    },
  },
];
