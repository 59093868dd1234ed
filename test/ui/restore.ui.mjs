// The panel survives a window reload (VS Code restarting): the WebviewPanelSerializer brings it
// back, the webview restores its view from getState(), asks for its state once ready, and draws the
// config again.
import * as assert from 'node:assert/strict';
import { activeTab, quickOpen, runCommand, screenshot, STEP_TIMEOUT_MS, waitForWorkbench, webviewContent } from './lib/workbench.mjs';

export const scenarios = [
  {
    title: 'Panel: comes back after "Developer: Reload Window" on the view it was showing',
    timeoutMs: 180000,
    async run({ page }) {
      await quickOpen(page, 'gpt3-xl.yaml');
      await runCommand(page, 'WaferScope: Show Wafer Heatmap');
      await activeTab(page, 'WaferScope').waitFor({ timeout: STEP_TIMEOUT_MS });
      let content = webviewContent(page);
      await content.getByRole('tab', { name: /memory/i }).click();
      await content.locator('.memory-view svg').first().waitFor({ timeout: STEP_TIMEOUT_MS });

      await runCommand(page, 'Developer: Reload Window');
      await waitForWorkbench(page);
      // After the reload the panel is restored in its editor group; it follows the config again.
      await page.locator('.tabs-container .tab', { hasText: 'WaferScope' }).first().click({ timeout: 60000 });
      content = webviewContent(page);
      const selected = content.locator('[role="tab"][aria-selected="true"]');
      await selected.filter({ hasText: /memory/i }).waitFor({ timeout: 60000 });
      await content.locator('.memory-view svg').first().waitFor({ timeout: 60000 });
      assert.match(await content.locator('body').innerText(), /gpt3-xl\.yaml/);
      await screenshot(page, 'panel-restored');
    },
  },
];
