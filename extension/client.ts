/**
 * Starts the WaferScope language server (dist/server.js over stdio) and keeps it running: when the
 * server crashes, the client restarts it and tells the user, instead of leaving the editor silent.
 */
import * as vscode from 'vscode';
import {
  CloseAction,
  type CloseHandlerResult,
  ErrorAction,
  type ErrorHandlerResult,
  LanguageClient,
  type LanguageClientOptions,
  type Message,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import { SECTION } from './config';
import { linkCodesToPreview, noteDiagnostics } from './reference';

/** Restarts allowed in `RESTART_WINDOW_MS` before we give up (a server crashing in a loop helps no one). */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 3 * 60 * 1000;

export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'yaml' },
  { scheme: 'file', language: 'json' },
  { scheme: 'file', language: 'jsonc' },
  { scheme: 'untitled', language: 'yaml' },
  { scheme: 'untitled', language: 'json' },
];

export function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.stdio },
    debug: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: ['--inspect=6019'] } },
  };
  const restarts: number[] = [];
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    // Evaluated at every (re)start: an untrusted workspace reads no cluster file outside its folders.
    initializationOptions: () => ({ workspaceTrusted: vscode.workspace.isTrusted }),
    outputChannel: output,
    traceOutputChannel: output,
    middleware: {
      handleDiagnostics(uri, diagnostics, next) {
        noteDiagnostics(diagnostics);
        next(uri, linkCodesToPreview(diagnostics));
      },
    },
    synchronize: {
      // Pushes didChangeConfiguration so settings take effect live; the server then pulls them.
      configurationSection: SECTION,
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.cluster.{yaml,yml}'),
    },
    errorHandler: {
      error(_error: Error, _message: Message | undefined, count: number | undefined): ErrorHandlerResult {
        return { action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
      },
      closed(): CloseHandlerResult {
        const now = Date.now();
        while (restarts.length && now - restarts[0] > RESTART_WINDOW_MS) restarts.shift();
        restarts.push(now);
        if (restarts.length > MAX_RESTARTS) {
          return {
            action: CloseAction.DoNotRestart,
            message: `The WaferScope language server crashed ${MAX_RESTARTS} times in 3 minutes and will not be restarted. Run "WaferScope: Restart Language Server" after fixing the cause; details are in the WaferScope output.`,
          };
        }
        void vscode.window.showWarningMessage('The WaferScope language server stopped unexpectedly and was restarted.');
        return { action: CloseAction.Restart, handled: true };
      },
    },
  };
  return new LanguageClient('waferscope', 'WaferScope', serverOptions, clientOptions);
}
