/** The status bar item for the active editor: fits / does not fit / not a config. Click runs the simulation. */
import * as vscode from 'vscode';
import type { FitStatus, ResultNotification } from '../protocol';

const LOOK: Record<FitStatus, { icon: string; text: string; background?: string }> = {
  fits: { icon: '$(pass)', text: 'fits' },
  'does-not-fit': { icon: '$(error)', text: 'does not fit', background: 'statusBarItem.errorBackground' },
  invalid: { icon: '$(warning)', text: 'invalid config', background: 'statusBarItem.warningBackground' },
  'not-modelled': { icon: '$(info)', text: 'not modelled' },
  cluster: { icon: '$(server)', text: 'cluster file' },
  'not-a-config': { icon: '$(circle-slash)', text: 'not a config' },
};

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('waferscope.status', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'WaferScope';
    this.item.command = 'waferscope.runSimulation';
  }

  /** `result` undefined: the active editor is not a YAML/JSON file, so the item hides. */
  show(result: ResultNotification | undefined, isCandidate: boolean): void {
    if (!isCandidate) {
      this.item.hide();
      return;
    }
    // A YAML or JSON file that is no config: say nothing (the item would only be noise there).
    if (!result || result.status === 'not-a-config') {
      this.item.hide();
      return;
    }
    const status: FitStatus = result.status;
    const look = LOOK[status];
    this.item.text = `${look.icon} WaferScope: ${look.text}`;
    this.item.backgroundColor = look.background ? new vscode.ThemeColor(look.background) : undefined;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**WaferScope**: ${look.text}\n\n`);
    if (result.summary) tooltip.appendText(result.summary);
    tooltip.appendMarkdown('\n\n$(play) Click to run the simulation');
    this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
