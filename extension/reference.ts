/**
 * Diagnostic code links. The server links each code to its entry in dist/diagnostics.md (a file URI
 * with the code as fragment). Opened as is, VS Code would show the Markdown source from the top;
 * the client rewrites the link to a command that opens the Markdown preview at the entry. The
 * preview is built in, works offline and in untrusted workspaces, and the page ships in the package.
 */
import * as vscode from 'vscode';

export const OPEN_REFERENCE_COMMAND = 'waferscope.openDiagnosticReference';
/** Context key the Getting Started walkthrough completes on: WaferScope has shown a problem. */
export const SAW_DIAGNOSTICS_CONTEXT = 'waferscope.sawDiagnostics';

const REFERENCE_FILE = 'diagnostics.md';

/** `command:` URI that opens the reference at `code` (its query is the JSON argument list). */
export function referenceCommandUri(code: string): vscode.Uri {
  return vscode.Uri.from({ scheme: 'command', path: OPEN_REFERENCE_COMMAND, query: JSON.stringify([code]) });
}

function isReferenceLink(target: vscode.Uri): boolean {
  return target.scheme === 'file' && target.path.endsWith(`/${REFERENCE_FILE}`) && target.fragment !== '';
}

/** The diagnostics with their reference links pointed at the preview command; others untouched. */
export function linkCodesToPreview(diagnostics: readonly vscode.Diagnostic[]): vscode.Diagnostic[] {
  return diagnostics.map((diagnostic) => {
    const code = diagnostic.code;
    if (typeof code === 'object' && code !== null && isReferenceLink(code.target)) {
      diagnostic.code = { value: code.value, target: referenceCommandUri(String(code.value)) };
    }
    return diagnostic;
  });
}

let sawDiagnostics = false;

/**
 * Sets the walkthrough's context key the first time a WaferScope error reaches the editor: the
 * step asks for a fit error (micro-batch 64), and a warning the example may carry on opening
 * would set the key before the walkthrough has read it (VS Code then never ticks the step).
 */
export function noteDiagnostics(diagnostics: readonly vscode.Diagnostic[]): void {
  if (sawDiagnostics || !diagnostics.some((d) => d.source === 'waferscope' && d.severity === vscode.DiagnosticSeverity.Error)) return;
  sawDiagnostics = true;
  void vscode.commands.executeCommand('setContext', SAW_DIAGNOSTICS_CONTEXT, true);
}

export function registerReferenceCommand(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.commands.registerCommand(OPEN_REFERENCE_COMMAND, async (code?: unknown) => {
    const page = vscode.Uri.joinPath(context.extensionUri, 'dist', REFERENCE_FILE);
    const fragment = typeof code === 'string' && /^[a-z0-9-]+$/.test(code) ? code : '';
    // The preview scrolls to the fragment's heading (VS Code's heading ids are the code itself).
    await vscode.commands.executeCommand('markdown.showPreview', page.with({ fragment }));
  });
}
