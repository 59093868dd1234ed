/** Inlay hints: the numbers a key drives, written right after its value. */
import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver-types';
import type { Analysis } from '../core/analyze';
import { formatParameters } from '../core/format/figures';

function within(range: Range, line: number): boolean {
  return line >= range.start.line && line <= range.end.line;
}

export function inlayHints(analysis: Analysis, visible: Range): InlayHint[] {
  const { report, document } = analysis;
  const hints: InlayHint[] = [];
  const add = (field: string, label: string, tooltip: string): void => {
    const source = document.sources[field];
    if (!source || !within(visible, source.valueRange.end.line)) return;
    hints.push({ position: source.valueRange.end, label, kind: InlayHintKind.Parameter, paddingLeft: true, tooltip });
  };
  if (report.model) {
    const m = report.model;
    const active = m.activeParameters !== m.parameters ? `, ${formatParameters(m, m.activeParameters)} active` : '';
    const tooltip = m.approximation ? `Total parameters, approximate: ${m.approximation.reason}` : 'Total parameters, counted exactly';
    add('model.numLayers', `= ${formatParameters(m, m.parameters)} params${active}`, tooltip);
  }
  if (report.training && report.wafer) {
    const t = report.training;
    const label =
      t.microBatchSource === 'auto'
        ? `→ ${t.microBatchSize} (auto: fastest that fits)`
        : `max ${report.wafer.maxMicroBatch} fits`;
    add('training.microBatchSize', label, 'Micro-batch the wafer runs; the largest is where the per-layer working set meets SRAM');
    add(
      'training.globalBatchSize',
      `= ${t.microBatchSize} x ${t.numCsx} systems x ${t.accumulationSteps} steps`,
      'Global batch = micro-batch x systems x gradient accumulation steps',
    );
  }
  return hints;
}
