/**
 * The human-readable report: what `waferscope report` prints and what "Run Simulation" writes to
 * the WaferScope output channel. Built from the same `Report` object as `--json`.
 */
import type { Report, ScalingPoint } from '../report';
import type { CoreDiagnostic } from '../types';
import { formatBytes, formatCount, formatPercent, formatRate, formatSeconds } from './units';
import { checkpointsText, constantValueText, exactParametersText, largestLayerText, memoryxText, misfitReason, waferOccupancyText } from './figures';

type Row = [string, string];

function table(title: string, rows: Row[]): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return [title, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join('\n');
}

function diagnosticLine(d: CoreDiagnostic): string {
  const where = `${d.range.start.line + 1}:${d.range.start.character + 1}`;
  return `  ${d.severity.padEnd(11)} ${where.padEnd(8)} ${d.message} [${d.code}]`;
}

export function formatReport(report: Report): string {
  const out: string[] = [];
  out.push(`WaferScope report: ${report.file} (${report.format})`);

  if (report.model) {
    const m = report.model;
    const rows: Row[] = [
      ['family', `${m.family} (${m.architecture})`],
      ['parameters', exactParametersText(m)],
    ];
    if (m.approximation) rows.push(['approximation', `read as ${m.approximation.readAs}: ${m.approximation.reason}`]);
    if (m.activeParameters !== m.parameters) {
      rows.push(['active parameters', exactParametersText({ ...m, parameters: m.activeParameters })]);
    }
    rows.push(
      ['layers x hidden', `${m.layers} x ${m.hiddenSize}`],
      ['heads / kv heads', `${m.numHeads} / ${m.numKvHeads}`],
      ['ffn / vocabulary', `${m.ffnSize} / ${m.vocabSize}`],
      ['sequence length', String(m.sequenceLength)],
    );
    if (m.experts) rows.push(['experts', `${m.experts.routed} routed, top-${m.experts.topK}, ${m.experts.shared} shared`]);
    out.push('', table('Model', rows));
  }

  const c = report.cluster;
  out.push(
    '',
    table('Cluster', [
      ['name', c.name],
      ['systems', `${c.systems} x ${c.system.toUpperCase()}`],
      ['MemoryX', formatBytes(c.memoryxCapacityBytes)],
      ['from', c.origin === 'default' ? 'embedded default' : `${c.origin}: ${c.file ?? ''}`],
    ]),
  );

  if (report.training) {
    const t = report.training;
    out.push(
      '',
      table('Training', [
        ['global batch', `${t.globalBatchSize} sequences x ${t.sequenceLength} tokens`],
        ['micro-batch', `${t.microBatchSize}${t.microBatchSource === 'auto' ? ' (auto: fastest divisor of the batch that keeps the headroom)' : ''}`],
        ['systems used', `${t.numCsx} (${t.numCsxSource})`],
        ['accumulation steps', String(t.accumulationSteps)],
        ['precision / optimizer', `${t.precision} / ${t.optimizer}`],
      ]),
    );
  }

  if (report.memoryx) {
    const x = report.memoryx;
    out.push(
      '',
      table(`MemoryX: ${x.fits ? 'fits' : 'DOES NOT FIT'}`, [
        ['required', memoryxText(x)],
        ['weights', formatBytes(x.breakdown.weights)],
        ['gradients', formatBytes(x.breakdown.gradients)],
        ['master weights', formatBytes(x.breakdown.masterWeights)],
        ['optimizer state', formatBytes(x.breakdown.optimizerState)],
        ['bytes / parameter', x.bytesPerParameter.toFixed(1)],
        ['vendor rule (~50 B/param)', formatBytes(x.vendorRuleBytes)],
        ['smallest tier that fits', x.recommendedTierBytes === null ? 'none announced' : formatBytes(x.recommendedTierBytes)],
        ['update time', formatSeconds(x.updateSeconds)],
      ]),
    );
  }

  if (report.wafer) {
    const w = report.wafer;
    out.push(
      '',
      table(`Wafer: ${w.fits ? 'fits' : 'DOES NOT FIT'}`, [
        ['occupancy', `${waferOccupancyText(w)}, peak in ${w.peakLayer.name}`],
        ['activations / layer', formatBytes(w.activationBytesPerLayer)],
        ['micro-batch', microBatchText(w)],
        ['largest layer', largestLayerText(w)],
        ['checkpoints', checkpointsText(w)],
      ]),
    );
  }

  if (report.timeline) {
    const t = report.timeline;
    const misfit = misfitReason(report);
    const rows: Row[] = [
      ['step time', misfit ? `none: it does not fit (${misfit}); ${formatSeconds(t.stepSeconds)} if it fitted` : formatSeconds(t.stepSeconds)],
      ['per micro-batch', `${formatSeconds(t.microBatchSeconds)} x ${t.accumulationSteps}`],
      ['throughput', formatRate(t.tokensPerSecond, 'tokens/s')],
      ['MFU', `${formatPercent(t.mfu)} of ${t.peak.name}`],
      ['bottleneck', t.bottleneck],
    ];
    for (const phase of t.phases) rows.push([`  ${phase.name}`, `${formatSeconds(phase.seconds)} (${phase.bound})`]);
    rows.push(['time to train', `${formatSeconds(t.timeToTrain.seconds)} for ${formatCount(t.timeToTrain.tokens)} tokens (${t.timeToTrain.basis})`]);
    out.push('', table('Step (weight streaming)', rows));
  }

  if (report.scaling) {
    const s = report.scaling;
    out.push('', formatScaling(s.curve, s.systems));
  }

  const assumptions = (report.constants ?? []).filter((k) => k.assumption || k.overridden);
  if (assumptions.length) {
    out.push(
      '',
      table(
        'Assumptions and overrides',
        assumptions.map((k) => [k.name, `${constantValueText(k)}${k.overridden ? ' (overridden)' : ' (assumption)'}`]),
      ),
    );
  }

  out.push('', `Diagnostics (${report.diagnostics.length})`);
  if (report.diagnostics.length === 0) out.push('  none');
  for (const d of report.diagnostics) out.push(diagnosticLine(d));
  return `${out.join('\n')}\n`;
}

/** The scaling table of `waferscope sweep` and the report's scaling section. */
export function formatScaling(curve: ScalingPoint[], highlight?: number): string {
  const rows = curve.map((p) => {
    const mark = p.systems === highlight ? ' <' : '';
    return `  ${String(p.systems).padStart(5)}  ${formatSeconds(p.stepSeconds).padStart(10)}  ${p.speedup.toFixed(2).padStart(8)}x  ${formatPercent(p.efficiency).padStart(8)}${mark}`;
  });
  return ['Scaling over SwarmX (data parallel)', '  systems   step time   speedup  efficiency', ...rows].join('\n');
}

/** "16 (recommended: 16, keeps 10% headroom; largest that fits: 32)". */
function microBatchText(w: NonNullable<Report['wafer']>): string {
  const notes: string[] = [];
  if (w.recommendedMicroBatch >= 1) notes.push(`recommended ${w.recommendedMicroBatch}, keeps ${formatPercent(w.headroomTarget, 0)} headroom`);
  notes.push(w.largestFittingMicroBatch >= 1 ? `largest that fits ${w.largestFittingMicroBatch}` : 'none fits');
  return `${w.microBatch} (${notes.join('; ')})`;
}
