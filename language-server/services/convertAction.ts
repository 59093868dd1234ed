/**
 * "Write as Model Zoo YAML": on a Hugging Face config.json of a family the Model Zoo ships, a code
 * action that creates the equivalent trainer-layout YAML beside it. The core converter only offers
 * YAML that WaferScope reads back to the same parameter count.
 */
import { CodeActionKind, type CodeAction } from 'vscode-languageserver-types';
import type { Analysis } from '../core/analyze';
import { toModelZooYaml } from '../core/convert/toModelZoo';

/** The action's kind: a refactoring that writes a new file. */
export const CONVERT_TO_MODELZOO_KIND = `${CodeActionKind.Refactor}.waferscope.toModelZoo`;

export function convertToModelZooAction(uri: string, analysis: Analysis | undefined): CodeAction[] {
  const document = analysis?.document;
  if (!document || document.format !== 'hf-config' || !document.model || !document.training) return [];
  const conversion = toModelZooYaml(document.model.family, document.model, document.training);
  if (!conversion) return [];
  const folder = uri.slice(0, uri.lastIndexOf('/') + 1);
  const target = `${folder}${conversion.fileName}`;
  const start = { line: 0, character: 0 };
  return [
    {
      title: `Write as Model Zoo YAML (${conversion.fileName})`,
      kind: CONVERT_TO_MODELZOO_KIND,
      edit: {
        documentChanges: [
          // Never overwrite: the edit fails if the file already exists.
          { kind: 'create', uri: target, options: { overwrite: false, ignoreIfExists: false } },
          { textDocument: { uri: target, version: null }, edits: [{ range: { start, end: start }, newText: conversion.yaml }] },
        ],
      },
    },
  ];
}
