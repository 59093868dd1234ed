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

/** Quick fixes straight from `diagnostic.data` (the yaml-language-server way). */
export function quickFixes(uri: string, diagnostics: Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== 'waferscope') continue;
    const data = diagnostic.data as Partial<DiagnosticData> | undefined;
    for (const [index, fix] of (data?.fixes ?? []).entries()) {
      const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: index === 0 };
      if (fix.edits.length) action.edit = workspaceEdit(uri, fix);
      if (fix.command) action.command = { title: fix.title, command: fix.command };
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
