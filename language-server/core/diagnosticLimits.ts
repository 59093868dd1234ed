/**
 * What a document may publish: at most MAX_DIAGNOSTICS_PER_DOCUMENT diagnostics (errors kept before
 * warnings), then one that says how many more there are, messages and titles of at most about
 * MAX_TEXT characters, and no control character in a message or a quick-fix title (a key written with a carriage return in it would otherwise print as two lines).
 * A file of 100,000 duplicate keys then costs 500 diagnostics, not 27 MB of them.
 */
import type { CoreDiagnostic, Range, Severity } from './types';

export const MAX_DIAGNOSTICS_PER_DOCUMENT = 500;

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };
const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** C0 and C1 controls, DEL and the Unicode line and paragraph separators. */
 
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The text with every control character written as an escape (`\r`, `\u0007`). */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function byPosition(a: CoreDiagnostic, b: CoreDiagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

/** A message or title quotes at most this much (a megabyte-long key would otherwise be quoted whole). */
const MAX_TEXT = 1000;

function cleanText(text: string): string {
  const escaped = escapeControlCharacters(text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text);
  return escaped.length > 2 * MAX_TEXT ? `${escaped.slice(0, 2 * MAX_TEXT)}…` : escaped;
}

function clean(diagnostic: CoreDiagnostic): CoreDiagnostic {
  const out: CoreDiagnostic = { ...diagnostic, message: cleanText(diagnostic.message) };
  if (diagnostic.fixes) out.fixes = diagnostic.fixes.map((fix) => ({ ...fix, title: cleanText(fix.title) }));
  return out;
}

/** Sorted by position, capped (errors first) with a closing summary, messages and titles escaped. */
export function boundDiagnostics(diagnostics: CoreDiagnostic[], max = MAX_DIAGNOSTICS_PER_DOCUMENT): CoreDiagnostic[] {
  if (diagnostics.length <= max) return diagnostics.map(clean).sort(byPosition);
  const ranked = [...diagnostics].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || byPosition(a, b));
  const kept = ranked.slice(0, max - 1);
  const dropped = ranked.slice(max - 1);
  const counts = new Map<Severity, number>();
  for (const d of dropped) counts.set(d.severity, (counts.get(d.severity) ?? 0) + 1);
  const parts = [...counts].map(([severity, count]) => `${count.toLocaleString('en-US')} ${severity}${count === 1 ? '' : 's'}`);
  const summary: CoreDiagnostic = {
    severity: dropped[0]!.severity,
    code: 'too-many-diagnostics',
    message: `…and ${dropped.length.toLocaleString('en-US')} more problems not shown (${parts.join(', ')}); WaferScope shows the first ${max - 1} of a file, errors first. Fix these and the rest appear.`,
    range: START,
  };
  return [summary, ...kept.map(clean).sort(byPosition)];
}
