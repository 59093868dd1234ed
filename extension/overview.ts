/**
 * The WaferScope side-bar view: every model config of the workspace with its verdict, parameters
 * and step time against the cluster it uses (the selected one unless it names its own). The
 * server analyses; this view lists. It refreshes when a result arrives, when the cluster setting
 * changes, when config files are created or deleted, and on its refresh button.
 */
import * as vscode from 'vscode';
import { type OverviewEntry, WorkspaceOverviewMethod, type WorkspaceOverviewParams, type WorkspaceOverviewResult } from '../protocol';
import type { Ctx } from './ctx';

export const OVERVIEW_VIEW_ID = 'waferscope.overview';
const CONFIG_GLOB = '**/*.{yaml,yml,json}';
const EXCLUDE_GLOB = '**/{node_modules,.git,.vscode-test,dist}/**';
const MAX_FILES = 500;
/** Results arrive per keystroke while typing: one refresh per pause. */
const REFRESH_DEBOUNCE_MS = 400;

const STATUS_LABEL: Record<OverviewEntry['status'], string> = {
  fits: 'fits',
  'does-not-fit': 'does not fit',
  invalid: 'invalid',
  'not-modelled': 'not modelled',
  cluster: 'cluster',
  'not-a-config': 'not a config',
};

const STATUS_ICON: Record<OverviewEntry['status'], vscode.ThemeIcon> = {
  fits: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  'does-not-fit': new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  invalid: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  'not-modelled': new vscode.ThemeIcon('question'),
  cluster: new vscode.ThemeIcon('server'),
  'not-a-config': new vscode.ThemeIcon('file'),
};

export class OverviewProvider implements vscode.TreeDataProvider<OverviewEntry>, vscode.Disposable {
  private entries: OverviewEntry[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: Ctx) {
    const watcher = vscode.workspace.createFileSystemWatcher(CONFIG_GLOB, false, true, false);
    this.disposables.push(
      this.changed,
      watcher,
      watcher.onDidCreate(() => this.schedule()),
      watcher.onDidDelete(() => this.schedule()),
      ctx.api.onDidReceiveResult(() => this.schedule()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (ctx.config.affects(event)) this.schedule();
      }),
    );
  }

  schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), REFRESH_DEBOUNCE_MS);
  }

  async refresh(): Promise<OverviewEntry[]> {
    const files = await vscode.workspace.findFiles(CONFIG_GLOB, EXCLUDE_GLOB, MAX_FILES);
    const uris = files.map((f) => f.toString()).sort();
    try {
      const result = await this.ctx.request<WorkspaceOverviewParams, WorkspaceOverviewResult>(WorkspaceOverviewMethod, { uris });
      this.entries = result.entries;
    } catch (error) {
      this.ctx.log(`workspace overview failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.changed.fire();
    return this.entries;
  }

  getChildren(element?: OverviewEntry): OverviewEntry[] {
    return element ? [] : this.entries;
  }

  getTreeItem(entry: OverviewEntry): vscode.TreeItem {
    const uri = vscode.Uri.parse(entry.uri);
    const item = new vscode.TreeItem(vscode.workspace.asRelativePath(uri), vscode.TreeItemCollapsibleState.None);
    item.resourceUri = uri;
    item.iconPath = STATUS_ICON[entry.status];
    item.description = `${STATUS_LABEL[entry.status]}${entry.summary ? ` · ${entry.summary}` : ''}`;
    item.tooltip = new vscode.MarkdownString(`**${vscode.workspace.asRelativePath(uri)}**: ${STATUS_LABEL[entry.status]}\n\n${entry.summary}\n\nCluster: ${entry.cluster}`);
    item.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
    item.contextValue = `waferscope.${entry.status}`;
    return item;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
