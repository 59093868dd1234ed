#!/usr/bin/env node
// `npm run test:packaged`: the extension as users get it. Builds waferscope.vsix (`npm run package`),
// installs it with `code-server --install-extension` into a fresh extensions and user-data folder,
// opens the workspace in Restricted Mode (untrusted, as a freshly cloned repository is) and drives
// the installed copy through the UI: first-run notification and walkthrough, the 1T example's
// diagnostics, a diagnostic's code link opening the reference entry, Run Simulation, the panel, and
// the README image on the extension's details page.
// No development extension is loaded: whatever runs comes from the installed package, and a check
// asserts that the language server process runs from the fresh extensions folder.
//
// Prints one line per check and `N passed, N failed`. A check that cannot run because an earlier
// one failed counts as failed. Env as for test:ui (WAFERSCOPE_VERBOSE, WAFERSCOPE_KEEP_TMP).
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processesMentioning, repoRoot, summaryLine } from './lib/common.mjs';
import { withCodeServer } from './lib/codeServer.mjs';
import { buildVsix } from '../../scripts/package.mjs';
import {
  activeTab,
  openProblems,
  quickOpen,
  runCommand,
  screenshot,
  STEP_TIMEOUT_MS,
  waitForMarker,
  waitForOutput,
  waitForWorkbench,
  webviewContent,
} from '../ui/lib/workbench.mjs';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const extensionId = `${manifest.publisher}.${manifest.name}`.toLowerCase();
const walkthrough = manifest.contributes.walkthroughs[0];
/** Text of the one-time notification (extension/welcome.ts OFFER_MESSAGE starts with it). */
const OFFER_TEXT = 'WaferScope is installed.';
const OFFER_ACTION = 'Open Walkthrough';
const CONFIG = 'gpt-1t.yaml';
/** Alt text of the README's one embedded image. */
const README_IMAGE_ALT = 'WaferScope in VS Code: the 1T example with the wafer heatmap';
/** The walkthrough's own suggestion: a micro-batch the wafer cannot hold (a wafer-sram error). */
const TOO_LARGE_MICRO_BATCH = '64';

/** Restricted Mode without prompts: the workspace stays untrusted and nothing asks about it. */
const UNTRUSTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
  // code-server's own notices would share the toast area with ours.
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
};

function toast(page, text) {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text });
}

/** The frame (at any depth) that holds `selector`; webviews nest their content two frames down. */
async function frameWith(page, selector, timeoutMs = STEP_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (await frame.$(selector).catch(() => null)) return frame;
    }
    await page.waitForEvent('framenavigated', { timeout: 1000 }).catch(() => undefined);
  }
  throw new Error(`no frame shows ${selector} within ${timeoutMs / 1000} s`);
}

/** Relative link targets of a Markdown file (images and links; no anchors, no URLs with a scheme). */
function relativeTargets(markdown) {
  const targets = [...markdown.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
  return targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('#')).map((t) => t.split('#')[0]);
}

function checks(session, state) {
  const installedDir = () => join(session.extensionsDir, `${extensionId}-${manifest.version}`);
  return [
    [
      'code-server --install-extension put the package into the fresh extensions folder',
      async () => {
        const index = JSON.parse(readFileSync(join(session.extensionsDir, 'extensions.json'), 'utf8'));
        const entry = index.find((e) => e.identifier.id.toLowerCase() === extensionId);
        assert.ok(entry, `extensions.json lists ${index.map((e) => e.identifier.id).join(', ') || 'nothing'}`);
        assert.equal(entry.location.path, installedDir());
        assert.equal(entry.metadata?.source, 'vsix');
        for (const file of ['package.json', 'dist/extension.js', 'dist/server.js', 'dist/diagnostics.md', 'examples/1t/gpt-1t.yaml']) {
          assert.ok(existsSync(join(installedDir(), file)), `installed copy lacks ${file}`);
        }
      },
    ],
    [
      'the installed README embeds its image and has no relative link left to break',
      async () => {
        const readme = readFileSync(join(installedDir(), 'readme.md'), 'utf8');
        assert.deepEqual(relativeTargets(readme), [], 'relative links left in the packaged README');
        assert.match(readme, /!\[[^\]]*\]\(data:image\/png;base64,/);
      },
    ],
    [
      `opening ${CONFIG} in Restricted Mode activates the installed extension: its language server runs from the fresh folder`,
      async ({ page }) => {
        await quickOpen(page, CONFIG);
        await page.locator('.statusbar-item', { hasText: 'WaferScope: fits' }).first().waitFor({ timeout: 60000 });
        const servers = processesMentioning(join(installedDir(), 'dist', 'server.js'));
        assert.ok(servers.length > 0, 'no language server process runs the installed dist/server.js');
        const fromSource = processesMentioning(join(repoRoot, 'dist', 'server.js')).filter((p) => p.cmdline.includes(session.runDir));
        assert.deepEqual(fromSource, [], 'a server from the source folder runs in this session');
        // Restricted Mode is really on: the workbench says so in the status bar.
        await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      },
    ],
    [
      'the first activation offers the Getting Started walkthrough, which opens from the notification',
      async ({ page }) => {
        const offer = toast(page, OFFER_TEXT);
        await offer.waitFor({ timeout: STEP_TIMEOUT_MS });
        await screenshot(page, 'packaged-first-run');
        await offer.locator('a.monaco-button, .monaco-button', { hasText: OFFER_ACTION }).first().click();
        await page.locator('.gettingStartedContainer', { hasText: walkthrough.title }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
        for (const step of walkthrough.steps) {
          await page.locator('.gettingStartedContainer', { hasText: step.title }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
        }
        await screenshot(page, 'packaged-walkthrough');
      },
    ],
    [
      "the walkthrough's first button opens the packaged 1T example from a copy in the extension's storage",
      async ({ page }) => {
        await page.locator('.gettingStartedContainer .monaco-button', { hasText: 'Open the 1T Example' }).first().click();
        await activeTab(page, CONFIG).waitFor({ timeout: STEP_TIMEOUT_MS });
        const copy = join(session.userDataDir, 'User', 'globalStorage', extensionId, 'examples', '1t');
        for (const file of readdirSync(join(installedDir(), 'examples', '1t'))) {
          assert.ok(existsSync(join(copy, file)), `the storage copy lacks ${file}`);
        }
        await page.locator('.statusbar-item', { hasText: 'WaferScope: fits' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
        await runCommand(page, 'View: Close Other Editors in Group');
        await page.locator('.tabs-container .tab', { hasText: 'Walkthrough' }).waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });
      },
    ],
    [
      `a micro-batch of ${TOO_LARGE_MICRO_BATCH} in the 1T example gives a wafer-sram error in the Problems panel`,
      async ({ page }) => {
        await activeTab(page, CONFIG).waitFor({ timeout: STEP_TIMEOUT_MS });
        const lines = readFileSync(join(installedDir(), 'examples', '1t', CONFIG), 'utf8').split('\n');
        const line = lines.findIndex((l) => /micro_batch_size: auto\s*$/.test(l)) + 1;
        assert.ok(line > 0, `${CONFIG} has no "micro_batch_size: auto" line`);
        // Go to the line, select the value at its end, type the new one: what a person does.
        await page.locator('.monaco-workbench').focus();
        await page.keyboard.press('Control+G');
        await page.keyboard.type(String(line));
        await page.keyboard.press('Enter');
        await page.keyboard.press('End');
        await page.keyboard.press('Control+Shift+ArrowLeft');
        await page.keyboard.type(TOO_LARGE_MICRO_BATCH);
        await page.locator('.statusbar-item', { hasText: 'WaferScope: does not fit' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
        await openProblems(page);
        const marker = await waitForMarker(page, 'waferscope', 'wafer-sram');
        assert.match(marker, /micro-batch 64/);
        await screenshot(page, 'packaged-problems');
      },
    ],
    [
      "the wafer-sram code link opens the installed reference in the Markdown preview at that code's entry",
      async ({ page }) => {
        const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'wafer-sram' }).first();
        await row.locator('a', { hasText: 'wafer-sram' }).first().click();
        await activeTab(page, 'diagnostics.md').waitFor({ timeout: STEP_TIMEOUT_MS });
        const preview = await frameWith(page, '#wafer-sram');
        // The preview scrolls to the entry: its heading ends up at the top of the view.
        await preview.waitForFunction(
          () => {
            const top = document.getElementById('wafer-sram')?.getBoundingClientRect().top ?? -1;
            // Scrolled (the entry is far down the page), and the heading sits in the top third.
            return window.scrollY > 0 && top > -40 && top < window.innerHeight / 3;
          },
          undefined,
          { timeout: STEP_TIMEOUT_MS },
        );
        const source = await preview.evaluate(() => document.body.innerText);
        assert.match(source, /WaferScope diagnostic codes/);
        // The entry the link names, as the README (the reference's source) words it.
        const entry = /^#### wafer-sram\n(.+)$/m.exec(readFileSync(join(repoRoot, 'README.md'), 'utf8'))?.[1] ?? '';
        const firstWords = entry.replace(/[`*]/g, '').split(';')[0].slice(0, 60);
        assert.ok(firstWords.length > 20 && source.includes(firstWords), `the wafer-sram entry ("${firstWords}") in the preview`);
        await screenshot(page, 'packaged-reference');
        // Back to the config (keys typed into a focused webview would not reach the workbench).
        await page.locator('.tabs-container .tab', { hasText: CONFIG }).first().click();
        await activeTab(page, CONFIG).waitFor({ timeout: STEP_TIMEOUT_MS });
      },
    ],
    [
      'Run Simulation reports that the wafer does not fit, and opens the panel, which paints the wafer',
      async ({ page }) => {
        await activeTab(page, CONFIG).waitFor({ timeout: STEP_TIMEOUT_MS });
        await runCommand(page, 'WaferScope: Run Simulation');
        await waitForOutput(page, CONFIG);
        // The verdict is further down than the Output view shows: find it, as a reader would.
        await page.keyboard.press('Control+F');
        await page.keyboard.type('Wafer: DOES NOT FIT');
        await page.keyboard.press('Enter');
        await page.locator('.part.panel .monaco-editor .view-lines', { hasText: 'Wafer: DOES NOT FIT' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
        await page.keyboard.press('Escape');
        await activeTab(page, 'WaferScope').waitFor({ timeout: STEP_TIMEOUT_MS });
        const panel = webviewContent(page);
        await panel.locator('canvas.heatmap-canvas').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
        await panel.locator('.summary-line').filter({ hasText: /\d/ }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
        await screenshot(page, 'packaged-panel');
        state.activated = true;
      },
    ],
    [
      "Select Cluster offers the cluster files beside the example's copy; in Restricted Mode it says the choice waits for trust",
      async ({ page }) => {
        await page.locator('.tabs-container .tab', { hasText: CONFIG }).first().click();
        await activeTab(page, CONFIG).waitFor({ timeout: STEP_TIMEOUT_MS });
        await runCommand(page, 'WaferScope: Select Cluster...');
        const input = page.locator('.quick-input-widget .quick-input-box input');
        await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
        await input.fill('small-12tb');
        const besideCopy = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'globalStorage' }).first();
        await besideCopy.waitFor({ timeout: STEP_TIMEOUT_MS });
        await besideCopy.click();
        await toast(page, 'Restricted Mode ignores the workspace').first().waitFor({ timeout: STEP_TIMEOUT_MS });
      },
    ],
    [
      'the walkthrough marks the steps done by the real events (config open, diagnostics, simulation, cluster)',
      async ({ page }) => {
        await runCommand(page, 'WaferScope: Getting Started');
        const container = page.locator('.gettingStartedContainer');
        await container.first().waitFor({ timeout: STEP_TIMEOUT_MS });
        // VS Code marks a finished step's button aria-checked (its ids end in #<step id>).
        const step = (id, done) => container.locator(`button.getting-started-step[data-step-id$="#${id}"][aria-checked="${done}"]`);
        await container.locator('button.getting-started-step').first().waitFor({ timeout: STEP_TIMEOUT_MS });
        const states = () =>
          container.locator('button.getting-started-step').evaluateAll((buttons) => buttons.map((b) => `${b.dataset.stepId}=${b.getAttribute('aria-checked')}`).join(', '));
        for (const id of ['openExample', 'seeDiagnostics', 'runSimulation', 'pickCluster']) {
          await step(id, true)
            .first()
            .waitFor({ timeout: STEP_TIMEOUT_MS })
            .catch(async (error) => {
              throw new Error(`step ${id} not done; steps: ${await states()}\n${error.message}`);
            });
        }
        // Not run in this session: still open (the planner command completes it, not a page visit).
        await step('planRun', false).first().waitFor({ timeout: STEP_TIMEOUT_MS });
        await screenshot(page, 'packaged-walkthrough-progress');
        // Closed, so a reload does not restore it on top (it takes the focus as it opens).
        const walkthroughTab = page.locator('.tabs-container .tab', { hasText: /^(Walkthrough|Welcome)/ }).first();
        await walkthroughTab.hover();
        await walkthroughTab.locator('.codicon-close').click();
        await container.first().waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });
      },
    ],
    [
      "the extension's details page shows the README's image, offline",
      async ({ page }) => {
        await page.locator('.monaco-workbench').focus();
        await page.keyboard.press('Control+Shift+X');
        const item = page.locator('.extensions-viewlet .monaco-list-row', { hasText: manifest.displayName }).first();
        await item.waitFor({ timeout: STEP_TIMEOUT_MS });
        await item.click();
        await activeTab(page, `Extension: ${manifest.displayName}`).waitFor({ timeout: STEP_TIMEOUT_MS });
        const readme = await frameWith(page, `img[alt="${README_IMAGE_ALT}"]`);
        await readme
          .waitForFunction(
            (alt) => [...document.images].some((image) => image.alt === alt && image.complete && image.naturalWidth > 100),
            README_IMAGE_ALT,
            { timeout: STEP_TIMEOUT_MS },
          )
          .catch(async (error) => {
            const images = await readme.evaluate(() => [...document.images].map((i) => `${i.src.slice(0, 60)} (${i.naturalWidth} px)`));
            throw new Error(`README image not shown: ${images.join(', ')}\n${error.message}`);
          });
        await screenshot(page, 'packaged-details');
      },
    ],
    [
      'after reloading the window (same profile) the walkthrough is not offered again',
      async ({ page }) => {
        assert.ok(state.activated, 'the first window never got as far as the panel');
        // A reload restarts the workbench and the extension host; the browser keeps the profile's
        // state (code-server stores global state on the browser side).
        await page.reload({ waitUntil: 'domcontentloaded' });
        await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
        // The config's editor comes back with the window; bring it to the front.
        const tab = page.locator('.tabs-container .tab', { hasText: CONFIG }).first();
        await tab.waitFor({ timeout: 60000 });
        await tab.click();
        await activeTab(page, CONFIG).waitFor({ timeout: STEP_TIMEOUT_MS });
        // Activated and answered (any verdict): the offer comes before the first result, so it
        // would be on screen by now.
        await page.locator('.statusbar-item', { hasText: /WaferScope: (fits|does not fit)/ }).first().waitFor({ timeout: 60000 });
        assert.equal(await toast(page, OFFER_TEXT).count(), 0, 'the walkthrough was offered a second time');
      },
    ],
  ];
}

async function main() {
  return withCodeServer({ label: 'packaged' }, async (session) => {
    const list = checks(session, {});
    let passed = 0;
    let failed = 0;
    let blocked;
    let page;
    try {
      const vsix = join(session.runDir, 'waferscope.vsix');
      console.log('Building the package (npm run package) ...');
      const { bytes } = await buildVsix(vsix);
      console.log(`waferscope.vsix: ${Math.round(bytes / 1024)} KB\n`);
      await session.start({ installExtension: vsix, workspaceTrust: true, settings: UNTRUSTED_SETTINGS });
      await session.launchBrowser();
      console.log(`code-server on port ${session.port}, workspace ${session.workspace} (untrusted)\n`);
      page = await session.openWorkbench({ extensionDevelopmentPath: null });
      await waitForWorkbench(page);
    } catch (error) {
      if (session.disposed) return 1;
      console.error(`Could not build, install or open the package: ${error.stack ?? error.message}`);
      console.log(summaryLine(0, list.length));
      return 1;
    }
    for (const [index, [title, run]] of list.entries()) {
      if (session.disposed) break;
      if (blocked) {
        failed++;
        console.log(`  \u2717 ${title} (not run: "${blocked}" failed)`);
        continue;
      }
      const started = Date.now();
      try {
        await run({ page, session });
        passed++;
        console.log(`  \u2713 ${title} (${Date.now() - started} ms)`);
      } catch (error) {
        if (session.disposed) break;
        failed++;
        blocked = title;
        console.log(`  \u2717 ${title}`);
        console.log(`      ${String(error.stack ?? error).split('\n').slice(0, 8).join('\n      ')}`);
        const shot = await screenshot(page, `packaged-failure-${index + 1}`).catch(() => undefined);
        if (shot) console.log(`      screenshot: ${shot}`);
      }
    }
    await page?.close().catch(() => undefined);
    console.log(summaryLine(passed, failed));
    return failed === 0 ? 0 : 1;
  });
}

/** For the README's figures (scripts/readme-figures.mjs): how many checks this tier runs. */
export const PACKAGED_CHECK_COUNT = checks({}, {}).length;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(await main());
