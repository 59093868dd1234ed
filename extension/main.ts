/** Entry point of the WaferScope extension: a thin client over the language server. */
import * as vscode from 'vscode';
import { PANEL_VIEW_TYPE, type PanelState } from '../protocol';
import { registerCommands } from './commands';
import { Ctx, type WaferScopeApi } from './ctx';
import { WaferScopePanel } from './panel';
import { OVERVIEW_VIEW_ID, OverviewProvider } from './overview';
import { registerReferenceCommand } from './reference';
import { offerWalkthroughOnce, registerWelcome } from './welcome';

let ctx: Ctx | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<WaferScopeApi> {
  ctx = new Ctx(context);
  const current = ctx;
  const overview = new OverviewProvider(current);
  context.subscriptions.push(
    overview,
    vscode.window.createTreeView(OVERVIEW_VIEW_ID, { treeDataProvider: overview, showCollapseAll: false }),
    vscode.commands.registerCommand('waferscope.refreshOverview', () => overview.refresh()),
    current,
    ...registerCommands(current),
    registerReferenceCommand(context),
    ...registerWelcome(context),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        WaferScopePanel.revive(panel, context, current, (state ?? undefined) as PanelState | undefined);
      },
    }),
  );
  await current.start();
  overview.schedule();
  void offerWalkthroughOnce(context);
  return current.api;
}

export async function deactivate(): Promise<void> {
  await ctx?.client.stop();
  ctx = undefined;
}
