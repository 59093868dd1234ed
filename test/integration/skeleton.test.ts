/**
 * The extension in a real VS Code (code-server or desktop), on the workspace in test/workspace/
 * (copied to a temp folder by the launcher). Waits are driven by VS Code events (diagnostics
 * changes, the extension's result event) and bounded, so a broken build fails instead of hanging.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activated,
  codeOf,
  EXTENSION_ID,
  open,
  resultFor,
  sameUri,
  waferscopeDiagnostics,
  type WaferScopeApi,
  when,
  workspaceFile,
} from './helpers';

describe('WaferScope in VS Code', () => {
  let api: WaferScopeApi;

  before(async function () {
    const extension = vscode.extensions.getExtension<WaferScopeApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded (extensionDevelopmentPath wrong?)`);
    await open('gpt3-xl.yaml');
    await activated(extension);
    api = extension.exports;
  });

  it('activates on a Model Zoo config and exports its test API', () => {
    assert.equal(typeof api.getResult, 'function');
    assert.equal(typeof api.onDidReceiveResult, 'function');
    assert.equal(typeof api.outputText, 'function');
    assert.equal(typeof api.panelMessages, 'function');
  });

  it('analyses the opened config and reports it fits', async () => {
    const uri = workspaceFile('gpt3-xl.yaml');
    // GPT-3 XL has 1.3B parameters; mixed-precision AdamW keeps 16-18 bytes per parameter
    // (estimation.md), about 24 GB, while the smallest MemoryX announced for CS-3 holds 1.5 TB, and
    // one decoder layer at a time on the wafer is what weight streaming is built for: it must fit.
    const result = await resultFor(api, uri);
    assert.equal(result.status, 'fits', result.summary);
  });

  it('shows a syntax diagnostic for broken YAML', async () => {
    const document = await open('broken.yaml');
    const diagnostics = await when(
      vscode.languages.onDidChangeDiagnostics,
      () => {
        const found = waferscopeDiagnostics(document.uri);
        return found.some((d) => codeOf(d) === 'syntax') ? found : undefined;
      },
      () => `a 'syntax' diagnostic on broken.yaml; now: ${JSON.stringify(waferscopeDiagnostics(document.uri))}`,
    );
    const syntax = diagnostics.find((d) => codeOf(d) === 'syntax')!;
    assert.equal(syntax.severity, vscode.DiagnosticSeverity.Error);
    // broken.yaml has exactly one invalid line, the one carrying a second `: ` in a plain value.
    const brokenLine = document.getText().split('\n').findIndex((line) => line.includes('hidden_size: 2048: 3'));
    assert.ok(brokenLine >= 0, 'broken.yaml lost its broken line');
    assert.equal(syntax.range.start.line, brokenLine);
  });

  it('contributes its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const command of ['waferscope.runSimulation', 'waferscope.showHeatmap', 'waferscope.selectCluster']) {
      assert.ok(commands.includes(command), `${command} is not registered`);
    }
  });

  it('gives a docker-compose file no diagnostics', async () => {
    let document = await open('docker-compose.yaml');
    // VS Code gives compose files their own language ('dockercompose'), which a yaml selector skips.
    // As yaml, the file reaches the server, so its content check (not the selector) must keep it quiet.
    if (document.languageId !== 'yaml') document = await vscode.languages.setTextDocumentLanguage(document, 'yaml');
    // The server answers every analysed document with a result; once it is in, so are its diagnostics.
    const result = await resultFor(api, document.uri);
    assert.equal(result.status, 'not-a-config');
    assert.ok(sameUri(result.uri, document.uri));
    assert.deepEqual(waferscopeDiagnostics(document.uri), []);
  });
});
