/**
 * The code lens on the first line: the commands first (a narrow editor cuts the end of the
 * line, and the commands must stay reachable), then the summary figures.
 */
import type { CodeLens } from 'vscode-languageserver-types';
import type { Analysis } from '../core/analyze';

const FIRST_LINE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function codeLenses(uri: string, analysis: Analysis): CodeLens[] {
  if (analysis.status === 'not-a-config') return [];
  const lenses: CodeLens[] = [];
  if (analysis.report.model) {
    lenses.push(
      { range: FIRST_LINE, command: { title: 'Run Simulation', command: 'waferscope.runSimulation', arguments: [uri] } },
      { range: FIRST_LINE, command: { title: 'Show Wafer Heatmap', command: 'waferscope.showHeatmap', arguments: [uri] } },
      { range: FIRST_LINE, command: { title: 'Plan Training Run', command: 'waferscope.planTrainingRun', arguments: [uri] } },
    );
  }
  if (analysis.summary) {
    lenses.push({
      range: FIRST_LINE,
      command: { title: analysis.summary, command: 'waferscope.runSimulation', arguments: [uri], tooltip: 'Run the full simulation' },
    });
  }
  return lenses;
}
