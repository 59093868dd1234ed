// The editor features a person sees first: the code lens on the first line and a hover with the
// numbers a key drives.
import * as assert from 'node:assert/strict';
import { quickOpen, screenshot, STEP_TIMEOUT_MS } from './lib/workbench.mjs';

export const scenarios = [
  {
    title: 'Editor: the code lens summary and the hover on hidden_size',
    async run({ page }) {
      await quickOpen(page, 'gpt-1t.yaml');
      const lens = page.locator('.codelens-decoration', { hasText: 'params' }).first();
      await lens.waitFor({ timeout: STEP_TIMEOUT_MS });
      assert.match(await lens.innerText(), /1\.01\sT\sparams · MemoryX 16\.1\s\/\s55\sTB · wafer [\d.]+\s\/\s44\sGB · step /);
      await page.locator('.codelens-decoration a', { hasText: 'Show Wafer Heatmap' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });

      const key = page.locator('.view-line span', { hasText: /^hidden_size$/ }).first();
      await key.waitFor({ timeout: STEP_TIMEOUT_MS });
      await key.hover();
      const hover = page.locator('.monaco-hover-content', { hasText: 'Parameters per decoder layer' }).first();
      await hover.waitFor({ timeout: STEP_TIMEOUT_MS });
      const text = await hover.innerText();
      assert.match(text, /hidden_size/);
      assert.match(text, /7\.86\sB/);
      // Rest the mouse on the hover itself, as a reader does: it stays and settles.
      await hover.hover();
      await screenshot(page, 'hover');
    },
  },
];
