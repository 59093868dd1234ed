// A person's first minutes with WaferScope in VS Code (code-server): open a config, see the
// problem, run the simulation, look at the wafer. Each scenario gets a fresh window on a fresh copy
// of test/workspace, so they do not depend on one another.
//
// Add scenarios here or in another test/ui/*.ui.mjs file: export `scenarios`, a list of
// `{ title, run(ctx), timeoutMs? }`; ctx is `{ page, session, workspace }` and the helpers in
// ./lib/workbench.mjs do the clicking and waiting.
import * as assert from 'node:assert/strict';
import {
  activeTab,
  openProblems,
  quickOpen,
  runCommand,
  screenshot,
  waitForMarker,
  waitForOutput,
  webviewContent,
} from './lib/workbench.mjs';

export const scenarios = [
  {
    title: 'Quick Open a broken config and read its WaferScope problem in the Problems panel',
    async run({ page }) {
      await quickOpen(page, 'broken.yaml');
      await openProblems(page);
      // broken.yaml has one syntax error, on line 8 (see test/workspace/README.md).
      const marker = await waitForMarker(page, 'waferscope', 'syntax');
      await screenshot(page, 'problems');
      assert.match(marker, /\bLn 8\b/, marker);
    },
  },
  {
    title: 'Run "WaferScope: Run Simulation" from the command palette and read the report',
    async run({ page }) {
      await quickOpen(page, 'gpt3-xl.yaml');
      await runCommand(page, 'WaferScope: Run Simulation', { screenshotAs: 'command-palette' });
      // The report names its file in a header line, then the model: GPT-3 XL is a gpt3-family config.
      const text = await waitForOutput(page, 'gpt3-xl.yaml');
      await screenshot(page, 'run-simulation');
      assert.match(text, /gpt3-xl\.yaml/);
      // The config says `name: "gpt3"`; the report must name that family apart from the file name.
      assert.match(text, /\bgpt3\b(?!-xl)/);
    },
  },
  {
    title: 'Show the wafer heatmap: the panel opens and paints the wafer',
    async run({ page }) {
      await quickOpen(page, 'gpt3-xl.yaml');
      await runCommand(page, 'WaferScope: Show Wafer Heatmap');
      await activeTab(page, 'WaferScope').waitFor({ timeout: 30000 });
      const content = webviewContent(page);
      const canvas = content.locator('canvas.heatmap-canvas');
      await canvas.waitFor({ state: 'visible', timeout: 30000 });
      const box = await canvas.boundingBox();
      assert.ok(box && box.width > 100 && box.height > 100, `heatmap canvas is ${JSON.stringify(box)}`);
      // The summary under the toolbar is written once a layer is painted.
      await content.locator('.summary-line').filter({ hasText: /\d/ }).waitFor({ timeout: 30000 });
      // Painted means more than a background: the wafer's PEs take several colours.
      const colours = await canvas.evaluate((element) => {
        const context = element.getContext('2d');
        const { data } = context.getImageData(0, 0, element.width, element.height);
        const seen = new Set();
        for (let i = 0; i < data.length && seen.size < 16; i += 4 * 97) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        return seen.size;
      });
      assert.ok(colours >= 3, `the heatmap canvas shows only ${colours} colour(s)`);
      await screenshot(page, 'heatmap');
    },
  },
];
