/** The one-line summary of a report: the code lens on the first line and the status bar tooltip. */
import type { ModelSummary, Report } from '../report';
import { formatBytes, formatCount, formatSeconds } from './units';

/** "≈" before every printed parameter figure of an approximate reading; nothing when the count is exact. */
export function approximatePrefix(model: Pick<ModelSummary, 'approximation'> | null | undefined): string {
  return model?.approximation ? '≈' : '';
}

/** A parameter figure as every surface prints it: "1.2B", or "≈1.2B" for an approximate reading. */
export function formatParameters(model: Pick<ModelSummary, 'approximation'> | null | undefined, value: number): string {
  return `${approximatePrefix(model)}${formatCount(value)}`;
}

export function lensSummary(report: Report): string {
  const parts: string[] = [];
  if (report.model) {
    const m = report.model;
    const active = m.activeParameters !== m.parameters ? ` (${formatParameters(m, m.activeParameters)} active)` : '';
    parts.push(`${formatParameters(m, m.parameters)} params${active}`);
  }
  if (report.memoryx) {
    parts.push(`MemoryX ${bytesPair(report.memoryx.requiredBytes, report.memoryx.capacityBytes)}`);
  }
  if (report.wafer) {
    parts.push(`wafer ${bytesPair(report.wafer.perLayerPeakBytes, report.wafer.sramBytes)} per layer`);
  }
  if (report.timeline && report.training) {
    parts.push(`${formatSeconds(report.timeline.stepSeconds)}/step on ${report.training.numCsx} ${report.cluster.system.toUpperCase()}`);
  }
  if (!parts.length && report.format === 'cluster') {
    parts.push(`${report.cluster.systems} x ${report.cluster.system.toUpperCase()}, MemoryX ${formatBytes(report.cluster.memoryxCapacityBytes)}`);
  }
  return parts.join(' · ');
}

/** "16.2 / 55 TB": both in the unit of the larger, unless the smaller would round to nothing ("21 GB / 55 TB"). */
function bytesPair(used: number, total: number): string {
  const totalText = formatBytes(total);
  const [totalNumber, unit] = totalText.split(' ');
  const factor = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, PB: 1e15 }[unit] ?? 1;
  const usedValue = used / factor;
  if (usedValue < 0.1) return `${formatBytes(used)} / ${totalText}`;
  const usedText = usedValue >= 100 ? usedValue.toFixed(0) : usedValue.toFixed(1).replace(/\.0$/, '');
  return `${usedText} / ${totalNumber} ${unit}`;
}
