/**
 * Human units for bytes, counts, time and rates: the one formatter of the project, so the CLI,
 * hovers, the code lens, the status bar and the panel print a number the same way. Decimal
 * prefixes for bytes by default (1 TB = 1e12 B), the convention MemoryX capacities are announced in.
 */
import { format } from 'd3-format';

/**
 * Between a number and its unit: a no-break space, so no editor, tooltip or panel ever wraps
 * inside a value ("4.03 TB", "21.5 min/step"). Plain text consumers (JSON) never see it: they get numbers.
 */
export const NBSP = '\u00a0';

const SI_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
const IEC_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

const threeSignificant = format('.3~r');
const withThousands = format(',.0f');

export interface BytesOptions {
  /**
   * Powers of 1024 (KiB). Per-PE SRAM is a power of two (48 KiB), so per-PE values read best in
   * binary units; cluster-scale capacities are announced in decimal units (55 TB), so those are SI.
   */
  binary?: boolean;
  /** Significant digits (default 3). */
  digits?: number;
}

/** `49152` -> `49.2 kB`, or `48 KiB` with `{ binary: true }`; never throws, even on NaN. */
export function formatBytes(bytes: number, options: BytesOptions = {}): string {
  if (!Number.isFinite(bytes)) return '–';
  const base = options.binary ? 1024 : 1000;
  const units = options.binary ? IEC_UNITS : SI_UNITS;
  const digits = options.digits ?? 3;
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= base && unit < units.length - 1) {
    value /= base;
    unit++;
  }
  // Rounding can push 999.96 up to "1000"; move to the next unit instead.
  let text = format(`.${digits}~r`)(value);
  if (Number(text) >= base && unit < units.length - 1) {
    value /= base;
    unit++;
    text = format(`.${digits}~r`)(value);
  }
  if (unit === 0) text = String(Math.round(value));
  return `${sign}${text}${NBSP}${units[unit]}`;
}

/** Seconds with a unit that keeps 3 significant digits: `0.00042` -> `420 µs`, `12.34` -> `12.3 s`. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  const abs = Math.abs(seconds);
  if (abs === 0) return `0${NBSP}s`;
  if (abs < 1e-6) return `${threeSignificant(seconds * 1e9)}${NBSP}ns`;
  if (abs < 1e-3) return `${threeSignificant(seconds * 1e6)}${NBSP}µs`;
  if (abs < 1) return `${threeSignificant(seconds * 1e3)}${NBSP}ms`;
  if (abs < 120) return `${threeSignificant(seconds)}${NBSP}s`;
  return formatDuration(seconds);
}

/** Long spans for humans: minutes, hours, days, years. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  const abs = Math.abs(seconds);
  if (abs < 120) return formatSeconds(seconds);
  if (abs < 2 * 3600) return `${threeSignificant(seconds / 60)}${NBSP}min`;
  if (abs < 2 * 86400) return `${threeSignificant(seconds / 3600)}${NBSP}h`;
  if (abs < 730 * 86400) return plural(threeSignificant(seconds / 86400), 'day');
  const years = seconds / (365.25 * 86400);
  // Past a thousand years three significant digits need a separator to be read ("134,000 years").
  return plural(Math.abs(years) >= 1000 ? withThousands(Number(threeSignificant(years))) : threeSignificant(years), 'year');
}

function plural(value: string, unit: string): string {
  return `${value}${NBSP}${unit}${value === '1' ? '' : 's'}`;
}

/**
 * Short counts as people write them for models: `1.0e12` -> `1 T`, `6.7e9` -> `6.7 B` (as in
 * "1.01 T params"); callers add the noun, so a count never reads like a byte size.
 */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  const steps: [number, string][] = [
    [1e15, 'P'],
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of steps) {
    if (abs >= size * 0.9995) return `${threeSignificant(value / size)}${NBSP}${suffix}`;
  }
  return threeSignificant(value);
}

/** Exact integers with thousands separators: `893064` -> `893,064`. */
export function formatInteger(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return withThousands(Math.round(value));
}

/** A fraction as a percentage: `0.9561` -> `95.6%`. */
export function formatPercent(fraction: number, digits = 1): string {
  if (!Number.isFinite(fraction)) return '–';
  return format(`.${digits}%`)(fraction);
}

/** FLOP/s with SI prefixes: `1.5e16` -> `15 PFLOP/s`. */
export function formatFlops(flopsPerSecond: number): string {
  if (!Number.isFinite(flopsPerSecond)) return '–';
  const text = format('.3~s')(flopsPerSecond);
  const match = /^(-?[0-9.]+)([a-zA-Zµ]?)$/.exec(text);
  return match ? `${match[1]}${NBSP}${match[2]}FLOP/s` : `${text}${NBSP}FLOP/s`;
}

/** Speedups: `15.3` -> `15.3×`. */
export function formatSpeedup(speedup: number): string {
  if (!Number.isFinite(speedup)) return '–';
  return `${threeSignificant(speedup)}×`;
}

/** Rates with SI prefixes: `formatRate(1622, 'tokens/s')` -> `1.62 ktokens/s`. */
export function formatRate(value: number, unit: string): string {
  if (!Number.isFinite(value)) return '–';
  const text = format('.3~s')(value);
  const match = /^(-?[0-9.]+)([a-zA-Zµ]?)$/.exec(text);
  return match ? `${match[1]}${NBSP}${match[2]}${unit}` : `${text}${NBSP}${unit}`;
}
