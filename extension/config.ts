/**
 * Typed access to the `waferscope.*` settings. The language server pulls the same section through
 * `workspace/configuration`; the client only needs the trace level and the cluster setting (to show
 * it in the status bar tooltip and to write it from "Select Cluster...").
 */
import * as vscode from 'vscode';

export const SECTION = 'waferscope';

export class Config {
  private get root(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  get cluster(): string {
    return this.root.get<string>('cluster', '');
  }

  get headroomWarningPercent(): number {
    return this.root.get<number>('diagnostics.headroomWarning', 10);
  }

  /** Remembered per workspace, as the issue asks: written at workspace scope. */
  async setCluster(value: string): Promise<void> {
    const target = vscode.workspace.workspaceFolders?.length
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
    await this.root.update('cluster', value, target);
  }

  affects(event: vscode.ConfigurationChangeEvent): boolean {
    return event.affectsConfiguration(SECTION);
  }
}
