// What a person does in VS Code, as Playwright steps on code-server's workbench. Every step waits
// for something visible (a widget, a row, a text), never for a fixed time; a step that cannot
// happen fails with the selector it was waiting for.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../launchers/lib/common.mjs';

export const RESULTS_DIR = join(repoRoot, 'test-results');
/** Generous: the first action of a fresh window waits for the extension host and the server. */
export const STEP_TIMEOUT_MS = 30000;

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;
const QUICK_INPUT_ROW = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;

/** Saves a full-window screenshot as test-results/<name>.png and returns its path. */
export async function screenshot(page, name) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** The workbench is up and the explorer shows the workspace (so the folder is really open). */
export async function waitForWorkbench(page, { fileInExplorer = 'gpt3-xl.yaml' } = {}) {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page
    .locator('.explorer-folders-view .monaco-list-row', { hasText: fileInExplorer })
    .first()
    .waitFor({ timeout: 60000 });
}

async function quickInput(page, key) {
  // Keys go to whatever has focus; the editor area is always there to take it.
  await page.locator('.monaco-workbench').focus();
  await page.keyboard.press(key);
  await page.locator(QUICK_INPUT_BOX).waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
}

/** Ctrl+P, the file name, Enter; resolves when its editor tab is the active one. */
export async function quickOpen(page, fileName) {
  await quickInput(page, 'Control+P');
  await page.locator(QUICK_INPUT_BOX).fill(fileName);
  await page.locator(QUICK_INPUT_ROW, { hasText: fileName }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.keyboard.press('Enter');
  await activeTab(page, fileName).waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
}

export function activeTab(page, label) {
  return page.locator('.tabs-container .tab.active', { hasText: label });
}

/**
 * F1, the command's label, then (unless `run: false`) Enter. With `screenshotAs`, takes the
 * screenshot while the palette shows the command, before running it.
 */
export async function runCommand(page, label, { run = true, screenshotAs } = {}) {
  await quickInput(page, 'F1');
  await page.locator(QUICK_INPUT_BOX).fill(`>${label}`);
  const row = page.locator(QUICK_INPUT_ROW, { hasText: label }).first();
  await row.waitFor({ timeout: STEP_TIMEOUT_MS });
  if (screenshotAs) await screenshot(page, screenshotAs);
  if (!run) return;
  await page.keyboard.press('Enter');
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
}

/** Opens the Problems panel (Ctrl+Shift+M) and resolves with its locator. */
export async function openProblems(page) {
  await page.locator('.monaco-workbench').focus();
  await page.keyboard.press('Control+Shift+M');
  const panel = page.locator('.markers-panel');
  await panel.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  return panel;
}

/**
 * Waits for a Problems row that contains every one of `texts` and resolves with that row's text
 * (source and code are separate elements there: "message\nwaferscope\nsyntax\n[Ln 8, Col 20]").
 */
export async function waitForMarker(page, ...texts) {
  let row = page.locator('.markers-panel .monaco-list-row');
  for (const text of texts) row = row.filter({ hasText: text });
  await row.first().waitFor({ timeout: STEP_TIMEOUT_MS });
  return row.first().innerText();
}

/**
 * The Output view's text once it contains `text`. Output scrolls to its end as lines arrive and
 * the editor draws only the visible lines, so go to the top first (click into it, Ctrl+Home).
 */
export async function waitForOutput(page, text) {
  const editor = page.locator('.part.panel .monaco-editor').first();
  await editor.locator('.view-line').first().waitFor({ timeout: STEP_TIMEOUT_MS });
  await editor.click({ position: { x: 60, y: 10 } });
  await page.keyboard.press('Control+Home');
  const top = page.locator('.part.panel .monaco-editor .view-lines', { hasText: text }).first();
  await top.waitFor({ timeout: STEP_TIMEOUT_MS });
  return top.innerText();
}

/**
 * The content frame of the webview whose tab is titled `title`: VS Code nests it twice
 * (`iframe.webview.ready` for the host page, then `#active-frame` for the extension's HTML).
 */
export function webviewContent(page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** Runs Select Cluster and picks the row naming `rowText` (the command opens its own quick pick once it has listed the cluster files). */
export async function pickCluster(page, rowText) {
  await runCommand(page, 'WaferScope: Select Cluster...');
  const row = page.locator(QUICK_INPUT_ROW, { hasText: rowText }).first();
  await row.waitFor({ timeout: STEP_TIMEOUT_MS });
  await row.click();
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
}
