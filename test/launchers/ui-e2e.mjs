#!/usr/bin/env node
// `npm run test:ui [-- <title filter>]`: end-to-end scenarios in code-server, driven through the
// UI as a person would (keyboard, command palette, panels), with screenshots in test-results/.
// The extension is loaded as a development extension; no test code runs inside VS Code.
//
// Scenarios: every `test/ui/*.ui.mjs` exports `scenarios = [{ title, run(ctx), timeoutMs? }]`.
// Each one gets a fresh code-server window (one server and browser for the whole run) and, when it
// fails, test-results/ui-failure-<n>.png. Env as for test:codeserver (WAFERSCOPE_VERBOSE, ...).
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findFiles, repoRoot, summaryLine } from './lib/common.mjs';
import { withCodeServer } from './lib/codeServer.mjs';
import { screenshot, waitForWorkbench } from '../ui/lib/workbench.mjs';

const DEFAULT_SCENARIO_TIMEOUT_MS = 120000;
const filter = (process.argv[2] ?? process.env.WAFERSCOPE_UI_GREP ?? '').toLowerCase();

async function loadScenarios() {
  const all = [];
  for (const file of findFiles(join(repoRoot, 'test', 'ui'), '.ui.mjs')) {
    const module = await import(pathToFileURL(file).href);
    for (const scenario of module.scenarios ?? []) all.push({ ...scenario, file: basename(file) });
  }
  return all.filter((scenario) => scenario.title.toLowerCase().includes(filter));
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function main() {
  if (!existsSync(join(repoRoot, 'dist', 'extension.js'))) {
    console.error('Missing dist/extension.js; run `npm run build` first.');
    console.log(summaryLine(0, 1));
    return 1;
  }
  const scenarios = await loadScenarios();
  if (scenarios.length === 0) {
    console.error(`No UI scenario matches "${filter}".`);
    console.log(summaryLine(0, 1));
    return 1;
  }
  return withCodeServer({ label: 'ui' }, async (session) => {
    let passed = 0;
    let failed = 0;
    try {
      await session.start();
      await session.launchBrowser();
    } catch (error) {
      if (session.disposed) return 1;
      console.error(`Could not start code-server and Chromium: ${error.message}`);
      console.log(summaryLine(0, scenarios.length));
      return 1;
    }
    console.log(`code-server on port ${session.port}, workspace ${session.workspace}\n`);
    for (const [index, scenario] of scenarios.entries()) {
      if (session.disposed) break;
      const started = Date.now();
      let page;
      try {
        page = await session.openWorkbench();
        const ctx = { page, session, workspace: session.workspace };
        const attempt = (async () => {
          await waitForWorkbench(page);
          await scenario.run(ctx);
        })();
        // After a timeout the scenario may still fail later (its page is closed); that is not news.
        attempt.catch(() => undefined);
        await withTimeout(attempt, scenario.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS, `"${scenario.title}"`);
        passed++;
        console.log(`  \u2713 ${scenario.title} (${Date.now() - started} ms)`);
      } catch (error) {
        if (session.disposed) break;
        failed++;
        console.log(`  \u2717 ${scenario.title} [${scenario.file}]`);
        console.log(`      ${String(error.stack ?? error).split('\n').slice(0, 8).join('\n      ')}`);
        if (page) {
          const shot = await screenshot(page, `ui-failure-${index + 1}`).catch(() => undefined);
          if (shot) console.log(`      screenshot: ${shot}`);
        }
      } finally {
        await page?.close().catch(() => undefined);
      }
    }
    console.log(`\nScreenshots in test-results/`);
    console.log(summaryLine(passed, failed));
    return failed === 0 ? 0 : 1;
  });
}

process.exit(await main());
