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
 * Diagnostic codes link to their entry in dist/diagnostics.md, which the build cuts from the README
 * and which ships next to this bundle: a plain file URI any client can open, offline, matching the
 * installed version. VS Code's client rewrites it to open the Markdown preview at the entry.
 */
export const DIAGNOSTICS_REFERENCE = URI.file(join(__dirname, 'diagnostics.md')).toString();

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
