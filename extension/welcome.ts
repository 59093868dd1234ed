/**
 * The first-run path: the Getting Started walkthrough (contributed in package.json) and a one-time
 * notification that offers it. The walkthrough's steps complete on real events: a config becoming
 * active (`waferscope.activeConfig`), WaferScope diagnostics arriving (`waferscope.sawDiagnostics`),
 * and the commands themselves running (`onCommand:`).
 *
 * VS Code records an `onContext` event as already seen when the key is true at the moment it reads
 * the walkthrough, without ticking the step; so the first step also completes on its command, and
 * `waferscope.sawDiagnostics` is set only when diagnostics arrive (after the walkthrough is read).
 */
import * as vscode from 'vscode';

export const WALKTHROUGH_ID = 'waferscope.gettingStarted';
export const OPEN_EXAMPLE_COMMAND = 'waferscope.openExample';
export const OPEN_WALKTHROUGH_COMMAND = 'waferscope.openWalkthrough';
/** globalState key: the notification was shown once on this machine (whatever the answer). */
export const WALKTHROUGH_OFFERED_KEY = 'waferscope.walkthroughOffered';
export const OFFER_MESSAGE = 'WaferScope is installed. A five-step walkthrough plans a 1T-parameter run on a CS-3 with you.';
export const OFFER_ACTION = 'Open Walkthrough';

const EXAMPLE_FOLDER = ['examples', '1t'];
const EXAMPLE_CONFIG = 'gpt-1t.yaml';

export function registerWelcome(context: vscode.ExtensionContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(OPEN_EXAMPLE_COMMAND, () => openExample(context)),
    vscode.commands.registerCommand(OPEN_WALKTHROUGH_COMMAND, () => openWalkthrough(context)),
  ];
}

function openWalkthrough(context: vscode.ExtensionContext): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH_ID}`, false);
}

/**
 * Opens the 1T example. The package's copy is read-only in spirit (an update replaces it), so the
 * user gets a copy of the example folder (config and its cluster files) in the extension's global
 * storage, made once: later edits survive, and the cluster files sit next to the config.
 */
async function openExample(context: vscode.ExtensionContext): Promise<vscode.TextEditor> {
  const source = vscode.Uri.joinPath(context.extensionUri, ...EXAMPLE_FOLDER);
  const copy = vscode.Uri.joinPath(context.globalStorageUri, ...EXAMPLE_FOLDER);
  const exists = await vscode.workspace.fs.stat(vscode.Uri.joinPath(copy, EXAMPLE_CONFIG)).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(copy, '..'));
    await vscode.workspace.fs.copy(source, copy, { overwrite: true });
  }
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(copy, EXAMPLE_CONFIG));
  return vscode.window.showTextDocument(document);
}

/**
 * Offers the walkthrough once per machine. Not in development or test runs of the extension: those
 * start from fresh profiles every time and the toast would cover what the tests look at.
 */
export async function offerWalkthroughOnce(context: vscode.ExtensionContext): Promise<void> {
  if (context.extensionMode !== vscode.ExtensionMode.Production) return;
  if (context.globalState.get<boolean>(WALKTHROUGH_OFFERED_KEY)) return;
  await context.globalState.update(WALKTHROUGH_OFFERED_KEY, true);
  const answer = await vscode.window.showInformationMessage(OFFER_MESSAGE, OFFER_ACTION);
  if (answer === OFFER_ACTION) await openWalkthrough(context);
}
