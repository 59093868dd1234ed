/**
 * The extension's state in one place: the language client, the latest server result per document,
 * the output channel, the status bar and the panel. Commands and views get what they need from here.
 */
import * as vscode from 'vscode';
import { NotificationType, State, type LanguageClient } from 'vscode-languageclient/node';
import {
  type ResultNotification,
  ResultNotificationMethod,
  type WebviewToHost,
} from '../protocol';
import { createClient } from './client';
import { Config } from './config';
import { WaferScopePanel, type PanelBackend } from './panel';
import { StatusBar } from './statusBar';

const resultNotification = new NotificationType<ResultNotification>(ResultNotificationMethod);

/** What `activate()` returns: enough for the integration tests to observe the extension. */
export interface WaferScopeApi {
  getResult(uri: string): ResultNotification | undefined;
  onDidReceiveResult: vscode.Event<ResultNotification>;
  outputText(): string;
  panelMessages(): WebviewToHost[];
  onDidReceivePanelMessage: vscode.Event<WebviewToHost>;
}

export class Ctx implements vscode.Disposable, PanelBackend {
  readonly config = new Config();
  readonly output: vscode.LogOutputChannel;
  /** The report channel written by Run Simulation (the server's log goes to `output`). */
  readonly reports: vscode.OutputChannel;
  private reportLog = '';
  private readonly results = new Map<string, ResultNotification>();
  private readonly resultEmitter = new vscode.EventEmitter<ResultNotification>();
  private readonly webviewMessages: WebviewToHost[] = [];
  private readonly webviewMessageEmitter = new vscode.EventEmitter<WebviewToHost>();
  private readonly statusBar = new StatusBar();
  private lastConfigUri: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  client: LanguageClient;

  constructor(readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('WaferScope Language Server', { log: true });
    this.reports = vscode.window.createOutputChannel('WaferScope');
    this.client = createClient(context, this.output);
    this.disposables.push(
      this.output,
      this.reports,
      this.statusBar,
      this.resultEmitter,
      this.webviewMessageEmitter,
      vscode.window.onDidChangeActiveTextEditor(() => this.onActiveEditorChanged()),
      // The server learns the trust at start (initializationOptions); granting it needs a fresh one.
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.restart()),
    );
  }

  async start(): Promise<void> {
    this.client.onNotification(resultNotification, (result) => this.onResult(result));
    this.client.onDidChangeState((event) => {
      if (event.oldState === State.Running && event.newState !== State.Running) {
        this.output.appendLine('WaferScope language server stopped.');
      }
    });
    await this.client.start();
    this.onActiveEditorChanged();
  }

  async restart(): Promise<void> {
    await this.client.restart();
  }

  get api(): WaferScopeApi {
    return {
      getResult: (uri) => this.results.get(uri),
      onDidReceiveResult: this.resultEmitter.event,
      outputText: () => this.reportLog,
      panelMessages: () => [...this.webviewMessages],
      onDidReceivePanelMessage: this.webviewMessageEmitter.event,
    };
  }

  /** Appends to the WaferScope output channel (and keeps a copy the tests can read). */
  appendReport(text: string): void {
    this.reportLog += text.endsWith('\n') ? text : `${text}\n`;
    this.reports.append(text.endsWith('\n') ? text : `${text}\n`);
  }

  // PanelBackend -------------------------------------------------------------------------------

  result(uri: string): ResultNotification | undefined {
    return this.results.get(uri);
  }

  /**
   * The config the panel and the commands act on: the active editor's; else (the panel itself has
   * focus, e.g. right after VS Code restores it) a visible editor's; else the last active config.
   */
  currentUri(): string | undefined {
    const active = vscode.window.activeTextEditor?.document.uri.toString();
    if (active && this.isConfig(active)) return active;
    const visible = vscode.window.visibleTextEditors
      .map((editor) => editor.document.uri.toString())
      .find((uri) => this.isConfig(uri));
    return visible ?? this.lastConfigUri;
  }

  request<P, R>(method: string, params: P): Promise<R> {
    return this.client.sendRequest<R>(method, params);
  }

  recordWebviewMessage(message: WebviewToHost): void {
    // Bounded: a long session with the panel open must not grow without limit.
    if (this.webviewMessages.length > 1000) this.webviewMessages.splice(0, 500);
    this.webviewMessages.push(message);
    this.webviewMessageEmitter.fire(message);
  }

  log(message: string): void {
    this.output.appendLine(message);
  }

  // --------------------------------------------------------------------------------------------

  private isConfig(uri: string): boolean {
    const status = this.results.get(uri)?.status;
    return status !== undefined && status !== 'not-a-config';
  }

  private onResult(result: ResultNotification): void {
    this.results.set(result.uri, result);
    if (this.isConfig(result.uri) && vscode.window.activeTextEditor?.document.uri.toString() === result.uri) {
      this.lastConfigUri = result.uri;
    }
    this.resultEmitter.fire(result);
    this.onActiveEditorChanged();
  }

  private onActiveEditorChanged(): void {
    const document = vscode.window.activeTextEditor?.document;
    const uri = document?.uri.toString();
    const candidate = !!document && ['yaml', 'json', 'jsonc'].includes(document.languageId);
    const result = uri ? this.results.get(uri) : undefined;
    if (uri && this.isConfig(uri)) this.lastConfigUri = uri;
    this.statusBar.show(result, candidate);
    void vscode.commands.executeCommand('setContext', 'waferscope.activeConfig', !!uri && this.isConfig(uri));
    WaferScopePanel.instance?.update();
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
