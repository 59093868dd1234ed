/** Core results -> LSP shapes. The only place that knows both. */
import { join } from 'node:path';
import { URI } from 'vscode-uri';
import {
  type CodeAction,
  CodeActionKind,
  type Diagnostic,
  DiagnosticSeverity,
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
 * Diagnostic codes link into the README's reference section. The README ships inside the package
 * (dist/ is next to it), so the link works offline and matches the installed version.
 */
const README = URI.file(join(__dirname, '..', 'README.md')).toString();

/** What we keep in `diagnostic.data`: the fixes, so code actions need no second analysis. */
export interface DiagnosticData {
  fixes: FixData[];
}

export function toLspDiagnostic(diagnostic: CoreDiagnostic): Diagnostic {
  const data: DiagnosticData = { fixes: diagnostic.fixes ?? [] };
  return {
    range: diagnostic.range,
    severity: SEVERITY[diagnostic.severity],
    code: diagnostic.code,
    codeDescription: { href: `${README}#${diagnostic.code}` },
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
      const changes: Record<string, TextEdit[]> = {};
      for (const edit of fix.edits) {
        const target = edit.file ? URI.file(edit.file).toString() : uri;
        (changes[target] ??= []).push({ range: edit.range, newText: edit.newText });
      }
      const workspaceEdit: WorkspaceEdit = { changes };
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: index === 0,
        edit: workspaceEdit,
      });
    }
  }
  return actions;
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
