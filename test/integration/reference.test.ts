/**
 * The first-run path inside VS Code: a diagnostic's code link is the reference command (not the raw
 * file link the server sends), running it opens the Markdown preview of the shipped page, and
 * "Open the 1T Example" opens a copy of the packaged example. The packaged tier clicks the same
 * things in the installed build; this suite checks them from the API in the development build.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activated, codeOf, EXTENSION_ID, WAIT_MS, when, waferscopeDiagnostics, workspaceFile } from './helpers';

function activeTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.activeTabGroup.activeTab;
}

function tabChange<T>(probe: () => T | undefined, what: () => string): Promise<T> {
  return when(vscode.window.tabGroups.onDidChangeTabs, probe, what, WAIT_MS);
}

describe('WaferScope reference links and the 1T example', function () {
  this.timeout(90000);

  before(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    await activated(extension);
  });

  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('links a diagnostic code to the preview command, which opens the reference page', async () => {
    // broken.yaml has one syntax error (test/workspace/README.md).
    const uri = workspaceFile('broken.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const diagnostic = await when(
      vscode.languages.onDidChangeDiagnostics,
      () => waferscopeDiagnostics(uri).find((d) => codeOf(d) === 'syntax'),
      () => `a syntax diagnostic on broken.yaml; have ${JSON.stringify(waferscopeDiagnostics(uri).map(codeOf))}`,
    );
    const code = diagnostic.code as { value: string; target: vscode.Uri };
    assert.equal(code.target.scheme, 'command');
    assert.equal(code.target.path, 'waferscope.openDiagnosticReference');
    assert.deepEqual(JSON.parse(code.target.query), ['syntax']);

    await vscode.commands.executeCommand(code.target.path, ...(JSON.parse(code.target.query) as unknown[]));
    const tab = await tabChange(
      () => {
        const input = activeTab()?.input;
        return input instanceof vscode.TabInputWebview && /markdown\.preview/.test(input.viewType) ? activeTab() : undefined;
      },
      () => `the Markdown preview; active tab: ${activeTab()?.label}`,
    );
    assert.match(tab.label, /diagnostics\.md/);
  });

  it('"Open the 1T Example" opens a copy of the packaged example, beside its cluster files', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('waferscope.openExample');
    const opened = editor.document.uri;
    assert.match(opened.path, /\/examples\/1t\/gpt-1t\.yaml$/);
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.ok(!opened.path.startsWith(extension.extensionUri.path), 'the copy is not the packaged file itself');
    await vscode.workspace.fs.stat(vscode.Uri.joinPath(opened, '..', 'small-12tb.cluster.yaml'));
    assert.equal(editor.document.getText(), new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension.extensionUri, 'examples', '1t', 'gpt-1t.yaml'))));
  });
});
