// The WaferScope panel as a person meets it in VS Code (code-server): open the 1T example, show
// the wafer heatmap, read the picture and a PE's tooltip, look at the timeline, edit the config and
// watch the panel follow. Screenshots of each view go to test-results/ (linked from the README).
import * as assert from 'node:assert/strict';
import { activeTab, quickOpen, runCommand, screenshot, STEP_TIMEOUT_MS, webviewContent } from './lib/workbench.mjs';

/** Fraction of the wafer's pixels painted in the idle colour, on the fitted view. */
async function idleFractionOnCanvas(canvas, idleRgb) {
  return canvas.evaluate((element, idleRgb) => {
    const context = element.getContext('2d');
    const { width, height } = element;
    const { data } = context.getImageData(0, 0, width, height);
    const background = [data[0], data[1], data[2]];
    const same = (i, rgb, tolerance) =>
      Math.abs(data[i] - rgb[0]) <= tolerance && Math.abs(data[i + 1] - rgb[1]) <= tolerance && Math.abs(data[i + 2] - rgb[2]) <= tolerance;
    // The wafer is the bounding box of everything that is not the canvas background.
    let x0 = width;
    let y0 = height;
    let x1 = -1;
    let y1 = -1;
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        if (!same((y * width + x) * 4, background, 2)) {
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
        }
      }
    }
    let idle = 0;
    let total = 0;
    const colours = new Set();
    // Inset by 2 px: the wafer outline is drawn on its edge.
    for (let y = y0 + 2; y <= y1 - 2; y += 1) {
      for (let x = x0 + 2; x <= x1 - 2; x += 1) {
        const i = (y * width + x) * 4;
        total += 1;
        if (same(i, idleRgb, 6)) idle += 1;
        if (colours.size < 64) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      }
    }
    return { idle: idle / Math.max(1, total), colours: colours.size, box: [x0, y0, x1, y1] };
  }, idleRgb);
}

function rgbOf(cssColour) {
  const match = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(cssColour);
  assert.ok(match, `not an rgb colour: ${cssColour}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

export const scenarios = [
  {
    title: 'Panel: the 1T heatmap, a PE tooltip, the timeline, the memory view, and a live edit',
    timeoutMs: 240000,
    async run({ page }) {
      await quickOpen(page, 'gpt-1t.yaml');
      await runCommand(page, 'WaferScope: Show Wafer Heatmap');
      await activeTab(page, 'WaferScope').waitFor({ timeout: STEP_TIMEOUT_MS });
      const content = webviewContent(page);
      const canvas = content.locator('canvas.heatmap-canvas');
      await canvas.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      const summary = content.locator('.summary-line').filter({ hasText: /PEs busy/ });
      await summary.waitFor({ timeout: STEP_TIMEOUT_MS });
      const summaryText = await summary.innerText();
      const busy = /PEs busy ([\d,]+) of ([\d,]+)/.exec(summaryText);
      assert.ok(busy, summaryText);
      const busyFraction = Number(busy[1].replace(/,/g, '')) / Number(busy[2].replace(/,/g, ''));
      assert.equal(Number(busy[2].replace(/,/g, '')), 762 * 1172, 'the whole WSE-3 grid');

      // Fit the whole wafer, then read the picture back from the canvas.
      await canvas.focus();
      await page.keyboard.press('0');
      await content.locator('.layer-text').filter({ hasText: /decoder/ }).waitFor({ timeout: STEP_TIMEOUT_MS });
      const idleColour = rgbOf(await content.locator('.swatch-idle').evaluate((e) => getComputedStyle(e).backgroundColor));
      for (const metric of ['SRAM occupancy', 'Compute utilization']) {
        await content.getByRole('radio', { name: metric }).click();
        const picture = await idleFractionOnCanvas(canvas, idleColour);
        assert.ok(picture.colours >= 3, `${metric}: the heatmap is one flat colour (${picture.colours} colours)`);
        // The canvas is smaller than the grid (several PEs per pixel), and die lines cross it: a tolerance.
        assert.ok(
          Math.abs(1 - picture.idle - busyFraction) < 0.03,
          `${metric}: ${((1 - picture.idle) * 100).toFixed(1)} % of the wafer is painted busy, the summary says ${(busyFraction * 100).toFixed(1)} %`,
        );
      }
      await content.getByRole('radio', { name: 'SRAM occupancy' }).click();
      await screenshot(page, 'panel-heatmap');

      // Hover the middle of the wafer: the tooltip names the PE, the layer, its bytes and its tile.
      const box = await canvas.boundingBox();
      await canvas.hover({ position: { x: box.width / 2, y: box.height / 2 } });
      const tooltip = content.locator('.heatmap-view .tooltip');
      await tooltip.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      const tip = await tooltip.innerText();
      assert.match(tip, /PE \(?\d+,\s*\d+\)?/, tip);
      assert.match(tip, /decoder/, tip);
      assert.match(tip, /\d+(\.\d+)?\s(B|KiB|kB)/, tip);
      assert.match(tip, /tile/i, tip);
      await screenshot(page, 'panel-tooltip');

      // The timeline: a bar in every lane of the step, the bottleneck named.
      await content.getByRole('tab', { name: /timeline/i }).click();
      await content.locator('svg.timeline-svg rect.bar').first().waitFor({ timeout: STEP_TIMEOUT_MS });
      // The detail shows the first micro-batch; the whole-step strip below also holds the update at its end.
      for (const lane of ['weights-fwd', 'forward', 'weights-bwd', 'backward', 'gradients', 'optimizer']) {
        const bars = await content.locator(`svg.timeline-svg rect.bar.lane-${lane}, svg.timeline-svg rect.overview-bar.lane-${lane}`).count();
        assert.ok(bars > 0, `no bar in lane ${lane}`);
      }
      assert.match(await content.locator('.bottleneck-line').innerText(), /Bottleneck/i);
      await screenshot(page, 'panel-timeline');

      await content.getByRole('tab', { name: /memory/i }).click();
      await content.locator('.memory-view svg').first().waitFor({ timeout: STEP_TIMEOUT_MS });
      await screenshot(page, 'panel-memory');
      await content.getByRole('tab', { name: /summary/i }).click();
      await content.locator('table').first().waitFor({ timeout: STEP_TIMEOUT_MS });
      await screenshot(page, 'panel-summary');

      // Live: set micro_batch_size in the editor; the panel's summary follows.
      // The wafer section's "Micro-batch" row: the micro-batch the simulator ran.
      const microBatchCell = content.locator('tr:has(th:text-is("Micro-batch")) td').first();
      // 16: the largest divisor of 1,024 that keeps 10 % headroom (32 would fill 92.6 % of SRAM).
      assert.equal(await microBatchCell.innerText(), '16', 'auto picks 16 for the 1T example');
      await page.locator('.editor-group-container .monaco-editor').first().click();
      await page.keyboard.press('Control+F');
      await page.keyboard.type('micro_batch_size: auto');
      await page.keyboard.press('Escape');
      await page.keyboard.press('End');
      for (let i = 0; i < 4; i += 1) await page.keyboard.press('Backspace');
      await page.keyboard.type('8');
      await content.locator('tr:has(th:text-is("Micro-batch")) td', { hasText: /^8$/ }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      assert.equal(await microBatchCell.innerText(), '8');
      await screenshot(page, 'panel-after-edit');
    },
  },
];
