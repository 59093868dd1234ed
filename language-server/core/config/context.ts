/**
 * What every reader shares: the parsed file, the diagnostics and source references it collects,
 * and typed accessors that check a value and report a precise diagnostic when it is wrong.
 */
import type { DiagnosticCode } from '../diagnosticCodes';
import type { CoreDiagnostic, FixData, Range, Severity, SourceRef } from '../types';
import { describeNode, entryOf, type ParsedSource, type SourceEntry, type SourceMap, type SourceNode } from './source';
import { didYouMean } from './suggest';

export type Path = (string | number)[];

/** A value read from the file; `bad` when it was present but wrong (a diagnostic was reported). */
export interface Field<T> {
  value: T | undefined;
  entry?: SourceEntry;
  path: Path;
  bad: boolean;
}

/** Thousands separators, so 1e15 and 68976648192 read at a glance. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1e21) return value.toExponential(2);
  return value.toLocaleString('en-US', { maximumFractionDigits: 4 });
}

const MAX_UNKNOWN_KEY_REPORTS = 50;

export interface IntegerOptions {
  min?: number;
  max: number;
  /** Canonical field to record in `sources` (only when the value is usable). */
  field?: string;
}

export class ReadContext {
  readonly diagnostics: CoreDiagnostic[] = [];
  readonly sources: Record<string, SourceRef> = {};

  constructor(readonly source: ParsedSource) {}

  range(start: number, end: number): Range {
    return this.source.lines.range(start, end);
  }

  keyRange(entry: SourceEntry): Range {
    return this.range(entry.keyStart, entry.keyEnd);
  }

  valueRange(node: SourceNode): Range {
    return this.range(node.start, node.end);
  }

  report(severity: Severity, code: DiagnosticCode, message: string, range: Range, fixes?: FixData[]): CoreDiagnostic {
    const diagnostic: CoreDiagnostic = { severity, code, message, range };
    if (fixes && fixes.length) diagnostic.fixes = fixes;
    this.diagnostics.push(diagnostic);
    return diagnostic;
  }

  /** A diagnostic on a value when it was written, else on the key, else at `fallback`. */
  reportOn(severity: Severity, code: DiagnosticCode, message: string, entry: SourceEntry | undefined, fallback: Range): void {
    this.report(severity, code, message, entry ? this.valueRange(entry.value) : fallback);
  }

  record(field: string, path: Path, entry: SourceEntry): void {
    this.sources[field] = { path, keyRange: this.keyRange(entry), valueRange: this.valueRange(entry.value) };
  }

  private wrongType(entry: SourceEntry, key: string, expected: string): void {
    this.report('error', 'wrong-type', `${key} must be ${expected}, not ${describeNode(entry.value)}.`, this.valueRange(entry.value));
  }

  /** Present, non-null entry; `null` values (`key:` with nothing after it) count as absent. */
  private present(map: SourceNode | undefined, key: string): SourceEntry | undefined {
    const entry = entryOf(map, key);
    if (!entry) return undefined;
    if (entry.value.kind === 'scalar' && entry.value.value === null) return undefined;
    return entry;
  }

  /** A positive whole number within bounds; zero, negative, fractional, huge values are errors. */
  integer(map: SourceNode | undefined, mapPath: Path, key: string, options: IntegerOptions): Field<number> {
    const path = [...mapPath, key];
    const entry = this.present(map, key);
    if (!entry) return { value: undefined, entry: entryOf(map, key), path, bad: false };
    const node = entry.value;
    if (node.kind !== 'scalar' || typeof node.value !== 'number') {
      this.wrongType(entry, key, 'a whole number');
      return { value: undefined, entry, path, bad: true };
    }
    const min = options.min ?? 1;
    const value = node.value;
    const range = this.valueRange(node);
    if (Number.isNaN(value)) {
      this.report('error', 'invalid-value', `${key} must be a whole number, not NaN.`, range);
      return { value: undefined, entry, path, bad: true };
    }
    if (!Number.isFinite(value) || value > options.max) {
      this.report(
        'error',
        'out-of-range',
        `${key} = ${formatNumber(value)} is out of range: WaferScope plans up to ${formatNumber(options.max)}.`,
        range,
      );
      return { value: undefined, entry, path, bad: true };
    }
    if (!Number.isInteger(value)) {
      this.report('error', 'invalid-value', `${key} must be a whole number, not ${formatNumber(value)}.`, range);
      return { value: undefined, entry, path, bad: true };
    }
    if (value < min) {
      this.report('error', 'invalid-value', `${key} must be at least ${formatNumber(min)}, not ${formatNumber(value)}.`, range);
      return { value: undefined, entry, path, bad: true };
    }
    if (options.field) this.record(options.field, path, entry);
    return { value, entry, path, bad: false };
  }

  /** Any finite number (e.g. SGD momentum). */
  number(map: SourceNode | undefined, mapPath: Path, key: string): Field<number> {
    const path = [...mapPath, key];
    const entry = this.present(map, key);
    if (!entry) return { value: undefined, path, bad: false };
    const node = entry.value;
    if (node.kind !== 'scalar' || typeof node.value !== 'number' || Number.isNaN(node.value)) {
      this.wrongType(entry, key, 'a number');
      return { value: undefined, entry, path, bad: true };
    }
    return { value: node.value, entry, path, bad: false };
  }

  boolean(map: SourceNode | undefined, mapPath: Path, key: string, field?: string): Field<boolean> {
    const path = [...mapPath, key];
    const entry = this.present(map, key);
    if (!entry) return { value: undefined, path, bad: false };
    const node = entry.value;
    if (node.kind !== 'scalar' || typeof node.value !== 'boolean') {
      this.wrongType(entry, key, 'true or false');
      return { value: undefined, entry, path, bad: true };
    }
    if (field) this.record(field, path, entry);
    return { value: node.value, entry, path, bad: false };
  }

  string(map: SourceNode | undefined, mapPath: Path, key: string): Field<string> {
    const path = [...mapPath, key];
    const entry = this.present(map, key);
    if (!entry) return { value: undefined, path, bad: false };
    const node = entry.value;
    if (node.kind !== 'scalar' || typeof node.value !== 'string') {
      this.wrongType(entry, key, 'a string');
      return { value: undefined, entry, path, bad: true };
    }
    return { value: node.value, entry, path, bad: false };
  }

  /**
   * One of `allowed` (compared case-insensitively; the value returned is the allowed spelling).
   * An unknown value is reported with `severity` and a did-you-mean fix when one is close.
   */
  enumeration(
    map: SourceNode | undefined,
    mapPath: Path,
    key: string,
    allowed: readonly string[],
    severity: Severity = 'error',
    field?: string,
  ): Field<string> {
    const read = this.string(map, mapPath, key);
    if (read.value === undefined || !read.entry) return read;
    const lowered = read.value.trim().toLowerCase();
    const match = allowed.find((value) => value.toLowerCase() === lowered);
    if (match !== undefined) {
      if (field) this.record(field, read.path, read.entry);
      return { ...read, value: match };
    }
    this.unknownValue(read.entry, key, read.value, allowed, severity);
    return { ...read, value: undefined, bad: severity === 'error' };
  }

  unknownValue(entry: SourceEntry, key: string, value: string, allowed: readonly string[], severity: Severity): void {
    const suggestion = didYouMean(value, allowed);
    const range = this.valueRange(entry.value);
    const hint = suggestion ? ` Did you mean '${suggestion}'?` : '';
    const fixes: FixData[] = suggestion
      ? [{ title: `Change to '${suggestion}'`, edits: [{ range, newText: suggestion }] }]
      : [];
    this.report(
      severity,
      'invalid-value',
      `${key}: '${value}' is not one of ${allowed.join(', ')}.${hint}`,
      range,
      fixes,
    );
  }

  /** Reports keys of `map` not in `known`, with a did-you-mean quick fix when one is close. */
  unknownKeys(map: SourceMap, known: Iterable<string>, where: string): void {
    const knownSet = known instanceof Set ? (known as Set<string>) : new Set(known);
    let reported = 0;
    let skipped = 0;
    for (const entry of map.entries) {
      if (knownSet.has(entry.key)) continue;
      // A pasted blob can hold thousands of stray keys; a screenful of diagnostics says enough.
      if (reported >= MAX_UNKNOWN_KEY_REPORTS) {
        skipped++;
        continue;
      }
      reported++;
      const suggestion = didYouMean(entry.key, knownSet);
      const range = this.keyRange(entry);
      const hint = suggestion ? ` Did you mean '${suggestion}'?` : '';
      const fixes: FixData[] = suggestion
        ? [{ title: `Replace '${entry.key}' with '${suggestion}'`, edits: [{ range, newText: suggestion }] }]
        : [];
      this.report('warning', 'unknown-key', `Unknown key '${entry.key}' in ${where}.${hint}`, range, fixes);
    }
    if (skipped > 0) {
      this.report('warning', 'unknown-key', `${formatNumber(skipped)} more unknown keys in ${where} are not listed.`, this.range(map.start, map.start));
    }
  }

  missing(key: string, where: string, entry: SourceEntry | undefined, fallback: Range): void {
    const range = entry ? this.keyRange(entry) : fallback;
    const message = entry ? `${key} has no value.` : `${key} is missing from ${where}.`;
    this.report('error', 'missing-key', message, range);
  }
}
