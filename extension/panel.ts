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
  private shownVersion = -1;
  private pendingView: PanelView | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** One heatmap and one timeline request at a time; the latest asked for wins. */
  private readonly heatmapRequests = new LatestOnly<number>((layer) => this.requestHeatmap(layer));
  private readonly timelineRequests = new LatestOnly<number>((systems) => this.requestTimeline(systems));

  static show(context: vscode.ExtensionContext, backend: PanelBackend, view?: PanelView): WaferScopePanel {
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
    current.update();
    return current;
  }

  /** Restores a panel after VS Code restarts (its PanelState comes back through getState()). */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, backend: PanelBackend, state?: PanelState): void {
    panel.webview.options = panelOptions(context);
    WaferScopePanel.current?.dispose();
    WaferScopePanel.current = new WaferScopePanel(panel, context, backend);
    // The document it showed before the restart, until an editor says otherwise.
    if (typeof state?.uri === 'string') WaferScopePanel.current.shownUri = state.uri;
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
    if (!force && uri === this.shownUri && result.version === this.shownVersion) return;
    this.shownUri = uri;
    this.shownVersion = result.version;
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
        this.shownVersion = -1;
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
      case 'rendered':
        break;
    }
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

