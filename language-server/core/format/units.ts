/**
 * Human units for bytes, counts, time and rates: one place, so the CLI, hovers, the code lens and
 * the status bar all print the same numbers the same way. Decimal prefixes for bytes (1 TB = 1e12 B),
 * the convention MemoryX capacities are announced in.
 */

const DECIMAL = [
  { factor: 1e15, suffix: 'P' },
  { factor: 1e12, suffix: 'T' },
  { factor: 1e9, suffix: 'G' },
  { factor: 1e6, suffix: 'M' },
  { factor: 1e3, suffix: 'k' },
];

function scaled(value: number, digits: number): { text: string; suffix: string } {
  const abs = Math.abs(value);
  for (const { factor, suffix } of DECIMAL) {
    if (abs >= factor) return { text: trim((value / factor).toFixed(digits)), suffix };
  }
  return { text: trim(value.toFixed(abs >= 100 || Number.isInteger(value) ? 0 : digits)), suffix: '' };
}

function trim(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** 16.2 TB, 44 GB, 48 kB. */
export function formatBytes(bytes: number, digits = 1): string {
  if (!Number.isFinite(bytes)) return '∞ B';
  const { text, suffix } = scaled(bytes, digits);
  return `${text} ${suffix === 'k' ? 'kB' : `${suffix}B`}`;
}

/** 1.01 T, 70.6 B, 124.4 M (parameter counts). */
export function formatCount(count: number, digits = 2): string {
  const abs = Math.abs(count);
  if (abs >= 1e12) return `${trim((count / 1e12).toFixed(digits))} T`;
  if (abs >= 1e9) return `${trim((count / 1e9).toFixed(digits))} B`;
  if (abs >= 1e6) return `${trim((count / 1e6).toFixed(digits))} M`;
  if (abs >= 1e3) return `${trim((count / 1e3).toFixed(digits))} k`;
  return String(count);
}

/** 123,456,789 */
export function formatInteger(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** 5.1 s, 320 ms, 2.4 h, 3.5 days. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '∞';
  const abs = Math.abs(seconds);
  if (abs >= 2 * 86400) return `${trim((seconds / 86400).toFixed(1))} days`;
  if (abs >= 2 * 3600) return `${trim((seconds / 3600).toFixed(1))} h`;
  if (abs >= 120) return `${trim((seconds / 60).toFixed(1))} min`;
  if (abs >= 1) return `${trim(seconds.toFixed(abs >= 10 ? 1 : 2))} s`;
  if (abs >= 1e-3) return `${trim((seconds * 1e3).toFixed(1))} ms`;
  return `${trim((seconds * 1e6).toFixed(1))} µs`;
}

/** 12.3 % */
export function formatPercent(fraction: number, digits = 1): string {
  return `${trim((fraction * 100).toFixed(digits))} %`;
}

/** 2.1 M tokens/s, 15 PFLOP/s */
export function formatRate(value: number, unit: string): string {
  const { text, suffix } = scaled(value, 2);
  return `${text} ${suffix}${unit}`;
}
