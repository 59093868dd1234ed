/**
 * What the integration suites share: the extension's test API, bounded event-driven waits, and
 * workspace helpers. Every wait is on a VS Code or extension event and has a deadline, so a broken
 * build fails with a message instead of hanging.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { WaferScopeApi } from '../../extension/ctx';
import type { ResultNotification } from '../../protocol/index';

export const EXTENSION_ID = 'waferscope.waferscope';
export const WAIT_MS = 30000;

export type { WaferScopeApi } from '../../extension/ctx';

export function workspaceFile(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open; the launcher must open test/workspace');
  return vscode.Uri.joinPath(folder.uri, relativePath);
}

export async function open(relativePath: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(relativePath));
  await vscode.window.showTextDocument(document);
  return document;
}

export function sameUri(a: string, b: vscode.Uri): boolean {
  return vscode.Uri.parse(a).toString() === b.toString();
}

export function waferscopeDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'waferscope');
}

export function codeOf(diagnostic: vscode.Diagnostic): string | number | undefined {
  const code = diagnostic.code;
  return typeof code === 'object' ? code.value : code;
}

/** Bounded wait for a condition, checked now and whenever `event` fires. */
export function when<T>(
  event: vscode.Event<unknown>,
  probe: () => T | undefined,
  what: () => string,
  timeoutMs = WAIT_MS,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const settle = () => {
      const value = probe();
      if (value === undefined) return;
      finish();
      resolve(value);
    };
    const subscription = event(settle);
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      subscription.dispose();
    };
    settle();
  });
}

/** VS Code raises no event when an extension activates; this polls `isActive`, bounded. */
export function activated(extension: vscode.Extension<unknown>, timeoutMs = WAIT_MS): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const check = () => {
      if (extension.isActive) resolve();
      else if (Date.now() > deadline) reject(new Error(`${EXTENSION_ID} did not activate within ${timeoutMs} ms`));
      else setTimeout(check, 50);
    };
    check();
  });
}

/** Opens a model config (which activates the extension) and returns the extension's test API. */
export async function activeApi(configFile = 'gpt3-xl.yaml'): Promise<WaferScopeApi> {
  const extension = vscode.extensions.getExtension<WaferScopeApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  await open(configFile);
  await activated(extension);
  return extension.exports;
}

export function resultFor(api: WaferScopeApi, uri: vscode.Uri): Promise<ResultNotification> {
  return when(
    api.onDidReceiveResult,
    () => api.getResult(uri.toString()),
    () => `a waferscope result for ${uri.toString()}`,
  );
}
