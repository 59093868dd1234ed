/** The commands of the palette, code lens and status bar. Each asks the server and shows the answer. */
import * as vscode from 'vscode';
import { type RunSimulationParams, RunSimulationMethod, type RunSimulationResult } from '../protocol';
import type { Ctx } from './ctx';
import { WaferScopePanel } from './panel';

export function registerCommands(ctx: Ctx): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('waferscope.runSimulation', (uri?: string) => runSimulation(ctx, uri)),
    vscode.commands.registerCommand('waferscope.showHeatmap', () => WaferScopePanel.show(ctx.context, ctx, 'heatmap')),
    vscode.commands.registerCommand('waferscope.selectCluster', () => selectCluster(ctx)),
    vscode.commands.registerCommand('waferscope.restartServer', () => ctx.restart()),
  ];
}

/** Runs the full simulation of the given (or the active) config: report to the output channel, then the panel. */
async function runSimulation(ctx: Ctx, uriArg?: string): Promise<RunSimulationResult | undefined> {
  const uri = typeof uriArg === 'string' ? uriArg : ctx.currentUri();
  if (!uri) {
    void vscode.window.showInformationMessage(
      'WaferScope: open a Model Zoo YAML, a Hugging Face config.json or a *.cluster.yaml to simulate.',
    );
    return undefined;
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'WaferScope: running simulation…', cancellable: false },
    () => ctx.request<RunSimulationParams, RunSimulationResult>(RunSimulationMethod, { uri }),
  );
  ctx.appendReport(`──── ${vscode.workspace.asRelativePath(vscode.Uri.parse(uri))} · ${new Date().toLocaleString()} ────`);
  ctx.appendReport(result.text);
  ctx.reports.show(true);
  if (result.report) WaferScopePanel.show(ctx.context, ctx);
  return result;
}

interface ClusterPick extends vscode.QuickPickItem {
  value: string;
}

/** Quick pick of the workspace's cluster files and the built-in presets; the choice is stored per workspace. */
async function selectCluster(ctx: Ctx): Promise<void> {
  const files = await vscode.workspace.findFiles('**/*.cluster.{yaml,yml}', '**/node_modules/**', 200);
  const current = ctx.config.cluster;
  const items: ClusterPick[] = [
    {
      label: '$(server) Embedded default',
      description: '1 x CS-3, 55 TB MemoryX (the published 1T-parameter run)',
      value: '',
    },
    ...files
      .sort((a, b) => a.fsPath.localeCompare(b.fsPath))
      .map((file) => ({
        label: `$(file) ${vscode.workspace.asRelativePath(file)}`,
        description: 'cluster file',
        value: vscode.workspace.asRelativePath(file, false),
      })),
  ];
  for (const item of items) if (item.value === current) item.picked = true;
  const pick = await vscode.window.showQuickPick(items, {
    title: 'WaferScope: cluster for configs that do not name one',
    placeHolder: current ? `Current: ${current}` : 'Current: embedded default',
  });
  if (!pick) return;
  await ctx.config.setCluster(pick.value);
  // waferscope.cluster is a restricted setting: VS Code ignores the workspace's value until it is trusted.
  if (!vscode.workspace.isTrusted && pick.value) {
    void vscode.window.showInformationMessage('WaferScope: the cluster choice takes effect once you trust this workspace (Restricted Mode ignores workspace settings that name files).');
  }
}
