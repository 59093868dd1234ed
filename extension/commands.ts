/** The commands of the palette, code lens and status bar. Each asks the server and shows the answer. */
import * as vscode from 'vscode';
import { type RunSimulationParams, RunSimulationMethod, type RunSimulationResult } from '../protocol';
import type { Ctx } from './ctx';
import { WaferScopePanel } from './panel';

export function registerCommands(ctx: Ctx): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('waferscope.runSimulation', (uri?: string) => runSimulation(ctx, uri)),
    vscode.commands.registerCommand('waferscope.showHeatmap', () => WaferScopePanel.show(ctx.context, ctx, 'heatmap')),
    vscode.commands.registerCommand('waferscope.planTrainingRun', () => WaferScopePanel.show(ctx.context, ctx, 'plan')),
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
  // The channel shows its end: close with the verdict, so it is what the user sees first.
  ctx.appendReport(`Verdict: ${VERDICTS[result.status] ?? result.status}${result.report ? ` · ${lensSummaryOf(ctx, uri)}` : ''}`);
  ctx.reports.show(true);
  if (result.report) WaferScopePanel.show(ctx.context, ctx, undefined, true);
  return result;
}

const VERDICTS: Record<string, string> = {
  fits: 'FITS',
  'does-not-fit': 'DOES NOT FIT',
  invalid: 'INVALID CONFIG',
  'not-modelled': 'NOT MODELLED',
  cluster: 'cluster file',
  'not-a-config': 'not a config',
};

/** The summary line of the latest result (the same text as the code lens and the status bar). */
function lensSummaryOf(ctx: Ctx, uri: string): string {
  return ctx.result(uri)?.summary ?? '';
}

interface ClusterPick extends vscode.QuickPickItem {
  value: string;
}

/** Quick pick of the workspace's cluster files and the built-in presets; the choice is stored per workspace. */
async function selectCluster(ctx: Ctx): Promise<void> {
  const files = await vscode.workspace.findFiles('**/*.cluster.{yaml,yml}', '**/node_modules/**', 200);
  files.push(...(await clusterFilesBesideActiveConfig(ctx)));
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
        value: vscode.workspace.getWorkspaceFolder(file) ? vscode.workspace.asRelativePath(file, false) : file.fsPath,
      })),
  ];
  for (const item of items) if (item.value === current) item.picked = true;
  const pick = await vscode.window.showQuickPick(items, {
    title: 'WaferScope: cluster for configs that do not name one',
    placeHolder: current ? `Current: ${current}` : 'Current: embedded default',
  });
  if (!pick) return;
  await ctx.config.setCluster(pick.value);
  if (!vscode.workspace.isTrusted && vscode.workspace.workspaceFolders?.length) {
    // waferscope.cluster is a restricted setting (package.json capabilities): VS Code stores the
    // choice but ignores the workspace's value until the folder is trusted.
    void vscode.window.showWarningMessage(
      'WaferScope: Restricted Mode ignores the workspace\'s cluster setting. Trust the folder to use it, or name the cluster on a config\'s first line: # waferscope: cluster=<path>.',
    );
  }
}

/**
 * Cluster files in the active config's folder when that folder is outside the workspace (the 1T
 * example opened from the walkthrough lives in the extension's storage): offered with absolute paths.
 */
async function clusterFilesBesideActiveConfig(ctx: Ctx): Promise<vscode.Uri[]> {
  const uri = ctx.currentUri();
  if (!uri) return [];
  const config = vscode.Uri.parse(uri);
  if (config.scheme !== 'file' || vscode.workspace.getWorkspaceFolder(config)) return [];
  const folder = vscode.Uri.joinPath(config, '..');
  const entries = await vscode.workspace.fs.readDirectory(folder).then(
    (found) => found,
    () => [] as [string, vscode.FileType][],
  );
  return entries
    .filter(([name, type]) => type === vscode.FileType.File && /\.cluster\.ya?ml$/.test(name))
    .map(([name]) => vscode.Uri.joinPath(folder, name));
}
