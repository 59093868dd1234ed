// Choosing a cluster as a person would: "WaferScope: Select Cluster..." from the palette, pick the
// 12 TB cluster file, and watch the 1T config turn red in the status bar and the Problems panel
// without a reload; pick the embedded default again and it fits.
import * as assert from 'node:assert/strict';
import { openProblems, pickCluster, quickOpen, screenshot, STEP_TIMEOUT_MS, waitForMarker } from './lib/workbench.mjs';


function statusItem(page, text) {
  return page.locator('.statusbar-item', { hasText: text }).first();
}


export const scenarios = [
  {
    title: 'Select Cluster... switches the 1T config to a 12 TB MemoryX and back, live',
    async run({ page }) {
      await quickOpen(page, 'gpt-1t.yaml');
      await statusItem(page, 'WaferScope: fits').waitFor({ timeout: STEP_TIMEOUT_MS });

      await pickCluster(page, 'small-12tb.cluster.yaml');
      await statusItem(page, 'WaferScope: does not fit').waitFor({ timeout: STEP_TIMEOUT_MS });
      await openProblems(page);
      const marker = await waitForMarker(page, 'memoryx-capacity');
      assert.match(marker, /12\sTB/, marker); // a no-break space inside values
      await screenshot(page, 'select-cluster-12tb');

      await pickCluster(page, 'Embedded default');
      await statusItem(page, 'WaferScope: fits').waitFor({ timeout: STEP_TIMEOUT_MS });
      await page.locator('.markers-panel .monaco-list-row', { hasText: 'memoryx-capacity' }).first().waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });
    },
  },
];
