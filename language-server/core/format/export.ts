/**
 * The report and the plan as Markdown, CSV and JSON, for "copy" in the panel. One list of figures
 * feeds both text forms: Markdown shows them formatted for people, CSV carries the exact values
 * in base units (bytes, seconds) for spreadsheets, JSON is the object itself.
 */
import type { Report } from '../report';
import type { PlanResult } from '../plan/plan';
import { capacityLabel } from '../sim/hardware';
import { formatBytes, formatCount, formatInteger, formatPercent, formatRate, formatSeconds } from './units';
import { formatEnergy, formatPlanDays } from './planText';

export type ExportFormat = 'markdown' | 'csv' | 'json';

interface Figure {
  section: string;
  name: string;
  /** Exact value in base units (CSV). */
  value: number | string | boolean;
  unit: string;
  /** For people (Markdown). */
  text: string;
}

function reportFigures(report: Report): Figure[] {
  const figures: Figure[] = [];
  const add = (section: string, name: string, value: number | string | boolean, unit: string, text: string) => figures.push({ section, name, value, unit, text });
  const m = report.model;
  if (m) {
    add('Model', 'parameters', m.parameters, 'parameters', `${formatCount(m.parameters)} (${formatInteger(m.parameters)})`);
    if (m.activeParameters !== m.parameters) add('Model', 'active parameters', m.activeParameters, 'parameters', formatCount(m.activeParameters));
    add('Model', 'layers', m.layers, '', formatInteger(m.layers));
    add('Model', 'hidden size', m.hiddenSize, '', formatInteger(m.hiddenSize));
    add('Model', 'heads / kv heads', `${m.numHeads}/${m.numKvHeads}`, '', `${m.numHeads} / ${m.numKvHeads}`);
    add('Model', 'sequence length', m.sequenceLength, 'tokens', formatInteger(m.sequenceLength));
  }
  const c = report.cluster;
  add('Cluster', 'name', c.name, '', c.name);
  add('Cluster', 'systems', c.systems, c.system, `${formatInteger(c.systems)} x ${c.system.toUpperCase()}`);
  add('Cluster', 'MemoryX capacity', c.memoryxCapacityBytes, 'B', formatBytes(c.memoryxCapacityBytes));
  const t = report.training;
  if (t) {
    add('Training', 'global batch', t.globalBatchSize, 'sequences', formatInteger(t.globalBatchSize));
    add('Training', 'micro-batch', t.microBatchSize, 'sequences', `${formatInteger(t.microBatchSize)} (${t.microBatchSource})`);
    add('Training', 'systems used', t.numCsx, 'systems', `${formatInteger(t.numCsx)} (${t.numCsxSource})`);
    add('Training', 'accumulation steps', t.accumulationSteps, '', formatInteger(t.accumulationSteps));
    add('Training', 'precision / optimizer', `${t.precision}/${t.optimizer}`, '', `${t.precision} / ${t.optimizer}`);
  }
  const x = report.memoryx;
  if (x) {
    add('MemoryX', 'fits', x.fits, '', x.fits ? 'yes' : 'no');
    add('MemoryX', 'required', x.requiredBytes, 'B', formatBytes(x.requiredBytes));
    add('MemoryX', 'weights', x.breakdown.weights, 'B', formatBytes(x.breakdown.weights));
    add('MemoryX', 'gradients', x.breakdown.gradients, 'B', formatBytes(x.breakdown.gradients));
    add('MemoryX', 'master weights', x.breakdown.masterWeights, 'B', formatBytes(x.breakdown.masterWeights));
    add('MemoryX', 'optimizer state', x.breakdown.optimizerState, 'B', formatBytes(x.breakdown.optimizerState));
    add('MemoryX', 'update time', x.updateSeconds, 's', formatSeconds(x.updateSeconds));
  }
  const w = report.wafer;
  if (w) {
    add('Wafer', 'fits', w.fits, '', w.fits ? 'yes' : 'no');
    add('Wafer', 'per-layer peak', w.perLayerPeakBytes, 'B', `${formatBytes(w.perLayerPeakBytes)} of ${formatBytes(w.sramBytes)}`);
    add('Wafer', 'largest micro-batch that fits', w.maxMicroBatch, 'sequences', formatInteger(w.maxMicroBatch));
    add('Wafer', 'checkpoints', w.checkpoints.bytes, 'B', `${formatBytes(w.checkpoints.bytes)} on the ${w.checkpoints.location}`);
  }
  const s = report.timeline;
  if (s) {
    add('Step', 'step time', s.stepSeconds, 's', formatSeconds(s.stepSeconds));
    add('Step', 'throughput', s.tokensPerSecond, 'tokens/s', formatRate(s.tokensPerSecond, 'tokens/s'));
    add('Step', 'MFU', s.mfu, '', formatPercent(s.mfu));
    add('Step', 'bottleneck', s.bottleneck, '', s.bottleneck);
    add('Step', 'time to train', s.timeToTrain.seconds, 's', `${formatSeconds(s.timeToTrain.seconds)} for ${formatCount(s.timeToTrain.tokens)} tokens`);
  }
  for (const point of report.scaling?.curve ?? []) {
    add('Scaling', `${point.systems} systems`, point.stepSeconds, 's', `${formatSeconds(point.stepSeconds)} (${point.speedup.toFixed(2)}x, ${formatPercent(point.efficiency)})`);
  }
  for (const d of report.diagnostics) {
    add('Diagnostics', `${d.severity} ${d.code} (line ${d.range.start.line + 1})`, d.message, '', d.message);
  }
  return figures;
}

function csvCell(value: unknown): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(rows: unknown[][]): string {
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
}

/** Markdown table cells: pipes escaped, line breaks flattened. */
function mdCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

export function exportReport(report: Report, format: ExportFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  const figures = reportFigures(report);
  if (format === 'csv') return csv([['section', 'quantity', 'value', 'unit'], ...figures.map((f) => [f.section, f.name, f.value, f.unit])]);
  const lines = [`# WaferScope report: ${report.file.split(/[\\/]/).pop() ?? report.file}`];
  let section = '';
  for (const f of figures) {
    if (f.section !== section) {
      section = f.section;
      lines.push('', `## ${section}`, '', '| quantity | value |', '| --- | --- |');
    }
    lines.push(`| ${mdCell(f.name)} | ${mdCell(f.text)} |`);
  }
  return `${lines.join('\n')}\n`;
}

export function exportPlan(result: PlanResult, format: ExportFormat, preset = 'CS-3'): string {
  if (format === 'json') return `${JSON.stringify(result, null, 2)}\n`;
  const mark = (i: number) => (i === result.recommended ? 'recommended' : i === result.fastest ? 'fastest' : '');
  if (format === 'csv') {
    return csv([
      ['systems', 'micro_batch', 'memoryx_bytes', 'step_seconds', 'accumulation_steps', 'days', 'system_hours', 'energy_kwh', 'wafer_headroom', 'meets_deadline', 'mark'],
      ...result.plans.map((p, i) => [p.systems, p.microBatch, p.memoryxBytes, p.stepSeconds, p.accumulationSteps, p.days, p.systemHours, p.energyKWh, p.waferHeadroom, p.meetsDeadline, mark(i)]),
    ]);
  }
  const lines = [
    `# WaferScope plan`,
    '',
    `Tokens: ${formatCount(result.tokens)} (${result.tokensBasis}). Deadline: ${result.deadlineDays === null ? 'none' : formatPlanDays(result.deadlineDays)}. ${formatInteger(result.evaluations)} configurations evaluated.`,
  ];
  for (const d of result.diagnostics) lines.push('', `**${d.severity}** ${d.code}: ${d.message}`);
  lines.push('', `| systems | micro-batch | MemoryX | step | time to train | system-hours | energy | deadline | |`, '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |');
  result.plans.forEach((p, i) => {
    lines.push(
      `| ${formatInteger(p.systems)} x ${preset} | ${formatInteger(p.microBatch)} | ${capacityLabel(p.memoryxBytes)} | ${formatSeconds(p.stepSeconds)} | ${formatPlanDays(p.days)} | ${formatInteger(p.systemHours)} | ${formatEnergy(p.energyKWh)} | ${result.deadlineDays === null ? '–' : p.meetsDeadline ? 'met' : 'missed'} | ${mark(i)} |`,
    );
  });
  if (result.gpuBound) {
    const g = result.gpuBound;
    lines.push('', `GPU comparison (${g.label}): ${g.rows.map((r) => `${formatInteger(r.gpus)} x ${r.name}`).join(' or ')}; ${g.basis}.`);
  }
  return `${lines.join('\n')}\n`;
}
