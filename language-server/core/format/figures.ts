/**
 * The report's headline figures as text: the one place that turns `Report` numbers into the words
 * the code lens, hover, status bar tooltip, panel header, memory tab, summary and CLI report show,
 * so every surface reads the same ("wafer 30.3 / 44 GB", "68.8%"). Units come from `units.ts`
 * (chosen per magnitude, a no-break space between number and unit).
 */
import type { ConstantUse, MemoryxResult, ModelSummary, Report, WaferResult } from '../report';
import { formatBytes, formatCount, formatFlops, formatInteger, formatPercent, formatRate, formatSeconds, NBSP } from './units';

/** "≈" before a parameter count the reader could only approximate (issue 10's `approximation`). */
export function approximatePrefix(model: Pick<ModelSummary, 'approximation'>): string {
  return model.approximation ? '≈' : '';
}

/** One parameter figure as every surface prints it: "1.2 B", or "≈1.2 B" for an approximate reading. */
export function formatParameters(model: Pick<ModelSummary, 'approximation'>, value: number): string {
  return `${approximatePrefix(model)}${formatCount(value)}`;
}

/** "1.01 T params", "≈46.7 B params (12.9 B active)". */
export function parametersText(model: ModelSummary): string {
  const prefix = approximatePrefix(model);
  const active = model.activeParameters !== model.parameters ? ` (${prefix}${formatCount(model.activeParameters)} active)` : '';
  return `${prefix}${formatCount(model.parameters)}${NBSP}params${active}`;
}

/** "1,008,038,758,400 (1.01 T)", with "≈" when approximate. */
export function exactParametersText(model: ModelSummary): string {
  const prefix = approximatePrefix(model);
  return `${prefix}${formatInteger(model.parameters)} (${prefix}${formatCount(model.parameters)})`;
}

/**
 * "16.1 / 55 TB" when both read best in one unit, else each in its own ("148 GB / 55 TB"): a
 * figure never shrinks to "0.1" of a larger unit.
 */
export function bytesPair(used: number, total: number): string {
  const usedText = formatBytes(used);
  const totalText = formatBytes(total);
  const [usedNumber, usedUnit] = usedText.split(NBSP);
  const [, totalUnit] = totalText.split(NBSP);
  return usedUnit === totalUnit ? `${usedNumber}${NBSP}/${NBSP}${totalText}` : `${usedText}${NBSP}/${NBSP}${totalText}`;
}

/** Share of SRAM the wafer occupancy takes (the one percentage: 1 - headroom). */
export function occupancyFraction(wafer: WaferResult): number {
  return 1 - wafer.headroom;
}

/** "30.3 / 44 GB": the wafer occupancy (sim/wafer.ts) against SRAM. */
export function waferPair(wafer: WaferResult): string {
  return bytesPair(wafer.peakBytes, wafer.sramBytes);
}

/** "30.3 GB of 44 GB SRAM (68.8%)". */
export function waferOccupancyText(wafer: WaferResult): string {
  return `${formatBytes(wafer.peakBytes)} of ${formatBytes(wafer.sramBytes)} SRAM (${formatPercent(occupancyFraction(wafer))})`;
}

/** Where the checkpoints are, in words. */
export function checkpointsText(wafer: WaferResult): string {
  return `${formatBytes(wafer.checkpoints.bytes)} on ${wafer.checkpoints.location === 'wafer' ? 'the wafer' : 'the activation servers'}`;
}

/** "16.1 / 55 TB". */
export function memoryxPair(memoryx: MemoryxResult): string {
  return bytesPair(memoryx.requiredBytes, memoryx.capacityBytes);
}

/** "16.1 TB of 55 TB (29.3%)". */
export function memoryxText(memoryx: MemoryxResult): string {
  const share = memoryx.capacityBytes > 0 ? ` (${formatPercent(memoryx.requiredBytes / memoryx.capacityBytes)})` : '';
  return `${formatBytes(memoryx.requiredBytes)} of ${formatBytes(memoryx.capacityBytes)}${share}`;
}

/** Whether the run fits in MemoryX and on the wafer (a step time means something only then). */
export function runFits(report: Report): boolean {
  return !!report.memoryx?.fits && !!report.wafer?.fits;
}

/** Why a run cannot run, in one phrase; undefined when it fits. */
export function misfitReason(report: Report): string | undefined {
  const reasons: string[] = [];
  if (report.memoryx && !report.memoryx.fits) reasons.push(`MemoryX needs ${memoryxPair(report.memoryx)}`);
  const w = report.wafer;
  if (w && !w.fits) {
    reasons.push(
      w.maxMicroBatch === 0
        ? `'${w.peakLayer.name}' needs ${bytesPair(w.peakBytes, w.sramBytes)} of SRAM even at micro-batch 1`
        : `'${w.peakLayer.name}' needs ${bytesPair(w.peakBytes, w.sramBytes)} of SRAM (${formatPercent(occupancyFraction(w))})`,
    );
  }
  return reasons.length ? reasons.join('; ') : undefined;
}

/** "step 30.3 min on 1 CS-3", or why there is no step time. */
export function stepText(report: Report): string | undefined {
  if (!report.timeline || !report.training) return undefined;
  const reason = misfitReason(report);
  if (reason) return `does not fit: ${reason}`;
  return `step ${formatSeconds(report.timeline.stepSeconds)} on ${report.training.numCsx}${NBSP}${report.cluster.system.toUpperCase()}`;
}

/** The one-line summary: the code lens and the status bar tooltip. */
export function lensSummary(report: Report): string {
  const parts: string[] = [];
  if (report.model) parts.push(parametersText(report.model));
  if (report.memoryx) parts.push(`MemoryX ${memoryxPair(report.memoryx)}`);
  if (report.wafer) parts.push(`wafer ${waferPair(report.wafer)}`);
  const step = stepText(report);
  if (step) parts.push(step);
  if (!parts.length && report.format === 'cluster') {
    parts.push(`${report.cluster.systems} x ${report.cluster.system.toUpperCase()}, MemoryX ${formatBytes(report.cluster.memoryxCapacityBytes)}`);
  }
  return parts.join(' · ');
}

/** `15 PFLOP/s`, `48 KiB`, `150 GB/s`, `1.1 GHz`: a constant's value in its own unit, per magnitude. */
export function constantValueText(c: Pick<ConstantUse, 'value' | 'unit'>): string {
  const unit = (c.unit ?? '').trim();
  const value = c.value;
  if (!Number.isFinite(value)) return unit ? `–${NBSP}${unit}` : '–';
  // Byte units, possibly with a rate or a qualifier: 'B', 'B/s', 'B/s per TB', 'bytes per PE'.
  const bytes = /^(?:bytes?|B)(\/s)?(\s.*)?$/.exec(unit);
  if (bytes && !/^B\/param/.test(unit)) {
    const binary = !bytes[1] && value < 1e6 && value % 1024 === 0;
    return `${formatBytes(value, { binary })}${bytes[1] ?? ''}${bytes[2] ?? ''}`;
  }
  if (/^flop\/s$/i.test(unit)) return formatFlops(value);
  if (unit === 's') return formatSeconds(value);
  // Units that take SI prefixes: 1.1e9 Hz reads as 1.1 GHz.
  if (/^(Hz|W|b\/s|bit\/s)$/.test(unit) || unit.includes('/s')) return formatRate(value, unit);
  const text = Number.isInteger(value) && Math.abs(value) < 1e7 ? formatInteger(value) : compactNumber(value);
  return unit ? `${text}${NBSP}${unit}` : text;
}

/** Plain numbers: up to 6 significant digits, exponent form for the very large and very small. */
function compactNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e7 || abs < 1e-3)) return value.toExponential(3).replace(/\.?0+e/, 'e').replace('e+', 'e');
  return String(+value.toPrecision(6));
}

/** The weights of the layer with the most, and what is special about them (a tied head streams the embedding). */
export function largestLayerText(wafer: WaferResult): string {
  return `${wafer.largestLayer.name}: ${formatBytes(wafer.largestLayer.bytes)} of weights`;
}
