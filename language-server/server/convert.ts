/** Core results -> LSP shapes. The only place that knows both. */
import { join } from 'node:path';
import { URI } from 'vscode-uri';
import {
  type CodeAction,
  CodeActionKind,
  type CreateFile,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  DiagnosticSeverity,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { CoreDiagnostic, FixData, Severity } from '../core/types';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/**
 * Diagnostic codes link to their entry in dist/diagnostics.md, which the build cuts from the README
 * and which ships next to this bundle: a plain file URI any client can open, offline, matching the
 * installed version. VS Code's client rewrites it to open the Markdown preview at the entry.
 */
export const DIAGNOSTICS_REFERENCE = URI.file(join(__dirname, 'diagnostics.md')).toString();

/** What we keep in `diagnostic.data`: the fixes, so code actions need no second analysis. */
export interface DiagnosticData {
  fixes: FixData[];
}

/** `uri`: the document the diagnostic belongs to (related locations without a file are in it). */
export function toLspDiagnostic(diagnostic: CoreDiagnostic, uri?: string): Diagnostic {
  const data: DiagnosticData = { fixes: diagnostic.fixes ?? [] };
  const relatedInformation: DiagnosticRelatedInformation[] = [];
  for (const related of diagnostic.related ?? []) {
    const target = related.file ? URI.file(related.file).toString() : uri;
    if (target) relatedInformation.push({ location: { uri: target, range: related.range }, message: related.message });
  }
  return {
    ...(relatedInformation.length ? { relatedInformation } : {}),
    range: diagnostic.range,
    severity: SEVERITY[diagnostic.severity],
    code: diagnostic.code,
    codeDescription: { href: `${DIAGNOSTICS_REFERENCE}#${diagnostic.code}` },
    source: 'waferscope',
    message: diagnostic.message,
    data,
  };
}

/**
 * Quick fixes straight from `diagnostic.data` (the yaml-language-server way). The data comes back
 * from the client, so it is checked again: a fix whose edit targets another file outside the
 * workspace (`mayEdit` false) or whose shape is wrong is not offered.
 */
export function quickFixes(uri: string, diagnostics: Diagnostic[], mayEdit: (path: string) => boolean = () => true): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic?.source !== 'waferscope') continue;
    const data = diagnostic.data as Partial<DiagnosticData> | undefined;
    const fixes = Array.isArray(data?.fixes) ? data.fixes : [];
    for (const [index, fix] of fixes.entries()) {
      if (!isFix(fix) || fix.edits.some((edit) => edit.file !== undefined && !mayEdit(edit.file))) continue;
      const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: index === 0 };
      if (fix.edits.length) action.edit = workspaceEdit(uri, fix);
      if (typeof fix.command === 'string') action.command = { title: fix.title, command: fix.command };
      actions.push(action);
    }
  }
  return actions;
}

/** Plain `changes`, or `documentChanges` when the fix creates a file (its content goes in after creation). */
function workspaceEdit(uri: string, fix: FixData): WorkspaceEdit {
  const targetOf = (file?: string) => (file ? URI.file(file).toString() : uri);
  if (!fix.edits.some((edit) => edit.create)) {
    const changes: Record<string, TextEdit[]> = {};
    for (const edit of fix.edits) (changes[targetOf(edit.file)] ??= []).push({ range: edit.range, newText: edit.newText });
    return { changes };
  }
  const documentChanges: (CreateFile | TextDocumentEdit)[] = [];
  for (const edit of fix.edits) {
    const target = targetOf(edit.file);
    if (edit.create) documentChanges.push({ kind: 'create', uri: target, options: { ignoreIfExists: true } });
    documentChanges.push({ textDocument: { uri: target, version: null }, edits: [{ range: edit.range, newText: edit.newText }] });
  }
  return { documentChanges };
}

function isFix(value: unknown): value is FixData {
  if (value === null || typeof value !== 'object') return false;
  const fix = value as Partial<FixData>;
  return (
    typeof fix.title === 'string' &&
    Array.isArray(fix.edits) &&
    fix.edits.every((edit) => edit && typeof edit.newText === 'string' && (edit.file === undefined || typeof edit.file === 'string') && isRange(edit.range))
  );
}

function isRange(range: unknown): boolean {
  const r = range as { start?: { line?: unknown; character?: unknown }; end?: { line?: unknown; character?: unknown } } | null;
  return !!r && [r.start, r.end].every((p) => !!p && Number.isInteger(p.line) && Number.isInteger(p.character));
}
