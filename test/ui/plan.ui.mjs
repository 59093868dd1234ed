// The Plan tab as a person meets it: open the 1T example, run "WaferScope: Plan Training Run",
// type a deadline, read the frontier chart and a point's cost tooltip, try a what-if point, then
// Apply it and watch the config and the panel's summary follow; copy the plan; read the workspace
// overview in the side bar and open a config from it. Screenshots go to test-results/.
import * as assert from 'node:assert/strict';
import { quickOpen, runCommand, screenshot, STEP_TIMEOUT_MS, webviewContent } from './lib/workbench.mjs';

export const scenarios = [
  {
    title: 'Plan tab: inputs, the frontier chart with cost on hover, what-if and Apply; export; workspace overview',
    timeoutMs: 240000,
    async run({ page }) {
      await quickOpen(page, 'gpt-1t.yaml');
      await runCommand(page, 'WaferScope: Plan Training Run');
      const content = webviewContent(page);
      const tab = content.getByRole('tab', { name: 'Plan' });
      await tab.waitFor({ timeout: STEP_TIMEOUT_MS });
      assert.equal(await tab.getAttribute('aria-selected'), 'true', 'the command opens the Plan tab');
      const points = content.locator('svg.plan-svg circle.plan-point[data-index]');
      await points.first().waitFor({ timeout: STEP_TIMEOUT_MS });
      const pointCount = await points.count();
      const rowCount = await content.locator('table.plan-table tbody tr').count();
      assert.ok(pointCount > 10, `${pointCount} points on the chart`);
      assert.equal(rowCount, pointCount, 'one table row per plotted plan');

      // A deadline of 20 years: a recommended plan appears, drawn as such, with a deadline line.
      await content.getByLabel('Deadline in days').fill('7300');
      await content.locator('.plan-pick', { hasText: /^Recommended/ }).waitFor({ timeout: STEP_TIMEOUT_MS });
      // A horizontal line has an empty bounding box: attached, not "visible".
      await content.locator('svg.plan-svg line.plan-deadline').waitFor({ state: 'attached', timeout: STEP_TIMEOUT_MS });
      await content.locator('svg.plan-svg circle.plan-point.recommended').waitFor({ timeout: STEP_TIMEOUT_MS });
      const recommended = await content.locator('.plan-pick', { hasText: /^Recommended/ }).innerText();
      assert.match(recommended, /x CS-3, micro-batch \d+, MemoryX .+ system-hours/, recommended);

      // Cost on hover.
      await content.locator('svg.plan-svg circle.plan-point.recommended').hover();
      const tooltip = content.locator('.plan-chart-wrap .tooltip');
      await tooltip.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      const tip = await tooltip.innerText();
      assert.match(tip, /cost [\d,]+ system-hours/, tip);
      assert.match(tip, /energy [\d.]+ [MGT]Wh/, tip);
      await screenshot(page, 'panel-plan');

      // A tighter deadline: no plan meets it, the panel says why.
      await content.getByLabel('Deadline in days').fill('30');
      await content.locator('.plan-diagnostic', { hasText: /No plan trains/ }).waitFor({ timeout: STEP_TIMEOUT_MS });
      await content.getByLabel('Deadline in days').fill('7300');
      await content.locator('.plan-pick', { hasText: /^Recommended/ }).waitFor({ timeout: STEP_TIMEOUT_MS });

      // What-if: 16 systems, micro-batch 16, a 1.2 PB MemoryX; the file is not touched.
      await content.getByLabel('What-if systems').fill('16');
      await content.getByLabel('What-if micro-batch').fill('16');
      await content.getByLabel('What-if MemoryX tier').selectOption({ label: '1.2 PB' });
      const whatIf = content.locator('.plan-whatif-line', { hasText: 'What-if: 16 x CS-3, micro-batch 16, MemoryX 1.2 PB' });
      await whatIf.waitFor({ timeout: STEP_TIMEOUT_MS });
      assert.match(await whatIf.innerText(), /fits/);
      const headline = content.locator('.result-summary');
      assert.match(await headline.innerText(), /on\s1[ \u00a0]CS-3/, 'what-if values do not change the file');

      // Apply: one edit of the config (and a new cluster file); the report follows.
      await content.getByRole('button', { name: 'Apply' }).click();
      await content.locator('.plan-apply-status', { hasText: /^Applied:/ }).waitFor({ timeout: STEP_TIMEOUT_MS });
      await content.locator('.result-summary', { hasText: /on\s16[ \u00a0]CS-3/ }).waitFor({ timeout: STEP_TIMEOUT_MS });
      // The config's first line now names the new cluster file (the editor draws spaces as no-break spaces).
      const reference = page.locator('.editor-group-container .monaco-editor .view-line', { hasText: /cluster=\.\/gpt-1t\.plan\.cluster\.yaml/ });
      await reference.first().waitFor({ timeout: STEP_TIMEOUT_MS });
      assert.match((await reference.first().innerText()).replace(/\u00a0/g, ' '), /^# waferscope: cluster=/);
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'gpt-1t.plan.cluster.yaml' }).waitFor({ timeout: STEP_TIMEOUT_MS });
      await screenshot(page, 'panel-plan-applied');

      // Export: copy the plan as Markdown; the host confirms it reached the clipboard.
      await content.getByRole('button', { name: 'Copy plan' }).click();
      await page.locator('.notifications-toasts', { hasText: 'copied the plan (Markdown) to the clipboard' }).waitFor({ timeout: STEP_TIMEOUT_MS });

      // The workspace overview in the side bar: every model config with its verdict; a click opens it.
      const header = page.locator('.pane-header', { hasText: 'WaferScope Model Configs' });
      await header.waitFor({ timeout: STEP_TIMEOUT_MS });
      if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
      // Rows of this view only (the Explorer's file tree is a list too).
      const rows = page.locator('.pane', { has: header }).locator('.pane-body .monaco-list-row');
      const oneT = rows.filter({ hasText: '1t/gpt-1t.yaml' }).filter({ hasText: /fits · 1\.01[ \u00a0]T[ \u00a0]params/ });
      await oneT.first().waitFor({ timeout: STEP_TIMEOUT_MS });
      await rows.filter({ hasText: 'broken.yaml' }).filter({ hasText: 'invalid' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      await rows.filter({ hasText: 'gpt3-xl.yaml' }).filter({ hasText: 'fits' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      assert.equal(await rows.filter({ hasText: 'small-12tb.cluster.yaml' }).count(), 0, 'cluster files are not model configs');
      await screenshot(page, 'overview');
      await rows.filter({ hasText: 'gpt3-xl.yaml' }).first().click();
      await page.locator('.tabs-container .tab.active', { hasText: 'gpt3-xl.yaml' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    },
  },
];
