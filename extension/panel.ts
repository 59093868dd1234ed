/**
 * Hosts the WaferScope panel: one webview that follows the active config editor. The host only
 * forwards: results pushed by the server go to the webview, and the webview's requests (another
 * layer's heatmap, another system count's timeline) go to the server. The webview draws.
 *
 * Handshake: nothing is posted before the webview says `ready`, so its first message is never lost.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import {
  type HeatmapParams,
  HeatmapMethod,
  type HeatmapPayload,
  type HostToWebview,
  PANEL_VIEW_TYPE,
  type PanelState,
  type PanelView,
  type ResultNotification,
  type TimelineParams,
  TimelineMethod,
  type TimelinePayload,
  type WebviewToHost,
  PlanMethod,
  type PlanParams,
  type PlanPayload,
  PlanApplyMethod,
  type PlanApplyParams,
  type PlanApplyResult,
} from '../protocol';
import { parseWebviewMessage, ProtocolError } from '../protocol/validate';
import { LatestOnly } from './latestOnly';

export interface PanelBackend {
  /** The latest server result for a document, if any. */
  result(uri: string): ResultNotification | undefined;
  /** The config the panel should show: the active editor's, else the last active config. */
  currentUri(): string | undefined;
  request<P, R>(method: string, params: P): Promise<R>;
  /** Every message the webview sent, for the integration tests. */
  recordWebviewMessage(message: WebviewToHost): void;
  log(message: string): void;
}

export class WaferScopePanel implements vscode.Disposable {
  private static current: WaferScopePanel | undefined;

  private ready = false;
  private shownUri: string | undefined;
  /** Inputs fingerprint of the result on screen: a cluster or setting change alters it without a new version. */
  private shownInputs: string | undefined;
  private pendingView: PanelView | undefined;
  private lastVersion = -1;
  private readonly disposables: vscode.Disposable[] = [];
  /** One heatmap and one timeline request at a time; the latest asked for wins. */
  private readonly heatmapRequests = new LatestOnly<number>((layer) => this.requestHeatmap(layer));
  private readonly timelineRequests = new LatestOnly<number>((systems) => this.requestTimeline(systems));
  /** Plan inputs typed fast (what-if fields) become one request at a time, the latest. */
  private readonly planRequests = new LatestOnly<Extract<WebviewToHost, { type: 'requestPlan' }>>((message) => this.requestPlan(message));

  /** `force`: send the current result even when the webview already has it (Run Simulation). */
  static show(context: vscode.ExtensionContext, backend: PanelBackend, view?: PanelView, force = false): WaferScopePanel {
    if (WaferScopePanel.current) {
      WaferScopePanel.current.panel.reveal(undefined, true);
    } else {
      const panel = vscode.window.createWebviewPanel(
        PANEL_VIEW_TYPE,
        'WaferScope',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        panelOptions(context),
      );
      WaferScopePanel.current = new WaferScopePanel(panel, context, backend);
    }
    const current = WaferScopePanel.current;
    if (view) current.showView(view);
    current.update(force);
    return current;
  }

  /** Restores a panel after VS Code restarts (its PanelState comes back through getState()). */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, backend: PanelBackend, state?: PanelState): void {
    panel.webview.options = panelOptions(context);
    WaferScopePanel.current?.dispose();
    WaferScopePanel.current = new WaferScopePanel(panel, context, backend);
    // The document it showed before the restart, until an editor says otherwise. It may not be
    // open in an editor yet: open it (without showing it) so the server analyses it and the panel
    // shows its result instead of the placeholder.
    if (typeof state?.uri === 'string') {
      WaferScopePanel.current.shownUri = state.uri;
      if (!backend.result(state.uri)) {
        void Promise.resolve(vscode.workspace.openTextDocument(vscode.Uri.parse(state.uri))).then(
          () => undefined,
          (error: unknown) => backend.log(`panel: could not reopen ${state.uri}: ${String(error)}`),
        );
      }
    }
  }

  static get instance(): WaferScopePanel | undefined {
    return WaferScopePanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly backend: PanelBackend,
  ) {
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.png');
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message)),
      panel.onDidChangeViewState(() => {
        if (panel.visible) this.update();
      }),
    );
  }

  /** Sends the current config's result when it is newer than what the webview shows. */
  update(force = false): void {
    if (!this.ready) return;
    const uri = this.backend.currentUri() ?? this.shownUri;
    if (!uri) return;
    const result = this.backend.result(uri);
    if (!result) return;
    if (!force && uri === this.shownUri && result.version === this.lastVersion && result.inputs === this.shownInputs) return;
    this.shownUri = uri;
    this.lastVersion = result.version;
    this.shownInputs = result.inputs;
    this.post({ type: 'result', fileName: vscode.workspace.asRelativePath(vscode.Uri.parse(uri)), result });
  }

  showView(view: PanelView): void {
    if (this.ready) this.post({ type: 'showView', view });
    else this.pendingView = view;
  }

  /** Every message is checked before it is used: the webview runs a page, and a page can send anything. */
  private onMessage(raw: unknown): void {
    let message: WebviewToHost;
    try {
      message = parseWebviewMessage(raw);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      this.backend.log(`panel: ignored a malformed webview message (${error.message})`);
      return;
    }
    this.backend.recordWebviewMessage(message);
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.lastVersion = -1;
        this.shownInputs = undefined;
        if (this.pendingView) {
          this.post({ type: 'showView', view: this.pendingView });
          this.pendingView = undefined;
        }
        this.update(true);
        break;
      case 'requestHeatmap':
        this.heatmapRequests.submit(message.layer);
        break;
      case 'requestTimeline':
        this.timelineRequests.submit(message.systems);
        break;
      case 'requestPlan':
        this.planRequests.submit(message);
        break;
      case 'applyPlan':
        void this.applyPlan(message);
        break;
      case 'export':
        void this.export(message);
        break;
      case 'rendered':
        break;
    }
  }

  /** Copy and save for the webview, which has neither a clipboard nor the file system. */
  private async export(message: Extract<WebviewToHost, { type: 'export' }>): Promise<void> {
    if (message.action === 'notice') {
      void vscode.window.showInformationMessage(`WaferScope: ${message.text}`);
      return;
    }
    if (message.action === 'copy') {
      await vscode.env.clipboard.writeText(message.text);
      void vscode.window.showInformationMessage(`WaferScope: copied the ${message.what} to the clipboard.`);
      return;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const fileName = message.fileName.replace(/[^\w.-]+/g, '-');
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined,
      filters: fileName.endsWith('.png') ? { 'PNG image': ['png'] } : { 'SVG image': ['svg'] },
    });
    if (!target) return;
    const bytes = message.base64 !== undefined ? Buffer.from(message.base64, 'base64') : new TextEncoder().encode(message.text ?? '');
    await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(`WaferScope: saved ${vscode.workspace.asRelativePath(target)}.`);
  }

  /** Apply: the server says which edits; they go in as ONE WorkspaceEdit, so one undo reverts them all. */
  private async applyPlan(choice: { systems: number; microBatch: number; memoryxBytes: number }): Promise<void> {
    const uri = this.shownUri;
    if (!uri) return;
    try {
      const result = await this.backend.request<PlanApplyParams, PlanApplyResult>(PlanApplyMethod, { uri, ...choice });
      if (result.error) {
        this.post({ type: 'planApplied', ok: false, message: result.error });
        return;
      }
      const edit = new vscode.WorkspaceEdit();
      for (const file of result.createFiles) edit.createFile(vscode.Uri.file(file.file), { contents: new TextEncoder().encode(file.text) });
      const configPath = vscode.Uri.parse(uri).fsPath;
      for (const change of result.edits) {
        const target = change.file === configPath ? vscode.Uri.parse(uri) : vscode.Uri.file(change.file);
        const range = new vscode.Range(change.range.start.line, change.range.start.character, change.range.end.line, change.range.end.character);
        edit.replace(target, range, change.newText);
      }
      const ok = await vscode.workspace.applyEdit(edit);
      this.post({ type: 'planApplied', ok, message: ok ? `Applied: ${result.summary}. Undo reverts it.` : 'VS Code refused the edit.' });
    } catch (error) {
      this.fail('plan edits', error);
      this.post({ type: 'planApplied', ok: false, message: 'The plan could not be applied.' });
    }
  }

  private requestPlan(message: Extract<WebviewToHost, { type: 'requestPlan' }>): Promise<void> {
    return this.forward<PlanParams, PlanPayload>('plan', PlanMethod, (uri) => ({ ...message.params, uri, requestId: message.requestId }), (payload) => ({ type: 'plan', payload }));
  }

  private requestHeatmap(layer: number): Promise<void> {
    return this.forward<HeatmapParams, HeatmapPayload>('heatmap', HeatmapMethod, (uri) => ({ uri, layer }), (payload) => ({ type: 'heatmap', payload }));
  }

  private requestTimeline(systems: number): Promise<void> {
    return this.forward<TimelineParams, TimelinePayload>('timeline', TimelineMethod, (uri) => ({ uri, systems }), (payload) => ({ type: 'timeline', payload }));
  }

  /** One server request for the shown document; its answer goes to the webview, its failure too. */
  private async forward<P, R>(what: string, method: string, params: (uri: string) => P, message: (payload: R) => HostToWebview): Promise<void> {
    const uri = this.shownUri;
    if (!uri) return;
    try {
      const payload = await this.backend.request<P, R | null>(method, params(uri));
      if (payload) this.post(message(payload));
    } catch (error) {
      this.fail(what, error);
    }
  }

  private fail(what: string, error: unknown): void {
    const text = error instanceof Error ? error.message : String(error);
    this.backend.log(`panel: ${what} request failed: ${text}`);
    this.post({ type: 'error', message: `Could not compute the ${what}: ${text}` });
  }

  private post(message: HostToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private html(): string {
    const webview = this.panel.webview;
    const nonce = makeNonce();
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'media', 'panel.css'));
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>WaferScope</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    if (WaferScopePanel.current === this) WaferScopePanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

function panelOptions(context: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    // The bundle and the stylesheet only: nothing from the workspace, nothing remote.
    localResourceRoots: [
      vscode.Uri.joinPath(context.extensionUri, 'dist'),
      vscode.Uri.joinPath(context.extensionUri, 'media'),
    ],
  };
}

/** A fresh, unguessable nonce per page: the only script that may run is ours. */
function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

