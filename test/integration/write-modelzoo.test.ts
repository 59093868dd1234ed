/**
 * "Write as Model Zoo YAML" in a real VS Code: the code action on a config.json creates the
 * trainer-layout file beside it (a CreateFile plus its text), and WaferScope reads that file to
 * the same parameter count. The workspace is a temp copy, so the new file changes nothing committed.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeApi, open, resultFor, type WaferScopeApi, when, workspaceFile } from './helpers';

describe('Convert a config.json to Model Zoo YAML in VS Code', function () {
  this.timeout(90000);
  let api: WaferScopeApi;

  before(async () => {
    api = await activeApi();
  });

  it('creates params_llama_from_hf.yaml beside the config, read to the same count', async () => {
    const config = await open('llama-3.2-1b/config.json');
    await vscode.window.showTextDocument(config);
    const before = await resultFor(api, config.uri);
    const parameters = before.report?.model?.parameters;
    assert.ok(parameters, 'the config.json has a count');
    // Ask until the action is there (each ask is a round trip to the server, not a sleep): right
    // after the document opens, VS Code may cancel a code action request (it then answers nothing).
    const ask = async (): Promise<vscode.CodeAction[]> => {
      try {
        return await vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider',
          config.uri,
          new vscode.Range(0, 0, 0, 0),
          vscode.CodeActionKind.Refactor.value,
        );
      } catch (error) {
        if (error instanceof Error && error.name === 'Canceled') return [];
        throw error;
      }
    };
    const deadline = Date.now() + 30000;
    let convert: vscode.CodeAction | undefined;
    let titles: string[] = [];
    while (!convert && Date.now() < deadline) {
      const actions = await ask();
      titles = actions.map((a) => `${a.title} (${a.kind?.value})`);
      convert = actions.find((a) => a.title.startsWith('Write as Model Zoo YAML'));
    }
    assert.ok(convert, `no Write as Model Zoo YAML action among [${titles.join(', ')}]`);
    assert.ok(convert.edit && (await vscode.workspace.applyEdit(convert.edit)), 'the edit applied');
    const target = workspaceFile('llama-3.2-1b/params_llama_from_hf.yaml');
    const written = vscode.workspace.textDocuments.find((d) => d.uri.path === target.path) ?? (await vscode.workspace.openTextDocument(target));
    assert.match(written.getText(), /^trainer:/m);
    await written.save();
    await vscode.window.showTextDocument(written);
    const after = await when(
      api.onDidReceiveResult,
      () => {
        const result = api.getResult(written.uri.toString());
        return result?.report?.model ? result : undefined;
      },
      () => `a result for ${written.uri.toString()}`,
    );
    assert.equal(after.report?.format, 'modelzoo-trainer');
    assert.equal(after.report?.model?.parameters, parameters);
    // Leave the editors as the other suites expect them.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
