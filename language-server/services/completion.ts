/**
 * Completion of keys (for the layout the file is in, with their docs) and of values (enums, micro-
 * batch words, system presets, MemoryX tiers), plus a snippet that writes a new cluster file.
 */
import {
  type CompletionItem,
  CompletionItemKind,
  type CompletionList,
  InsertTextFormat,
  MarkupKind,
} from 'vscode-languageserver-types';
import type { Analysis } from '../core/analyze';
import { parsedSourceOf } from '../core/config/read';
import { hasKeyLine } from '../core/config/source';
import { keysAt, lookupKey, OPTIMIZER_NAMES, type KeyDoc } from '../core/config/keys';
import type { Position } from '../core/types';
import { cursorPath, isJson } from './documentPath';

const CLUSTER_SNIPPET = [
  'cluster:',
  '  name: ${1:my-cluster}',
  '  system: ${2|cs-3,cs-2|}          # hardware preset; constants can be overridden below',
  '  systems: ${3:1}                  # CS-X systems available',
  '  memoryx:',
  '    capacity: ${4:55 TB}           # bytes, or a number with a unit (TB = 1e12 B, TiB = 2^40 B)',
  '  overrides: {}                    # documented hardware constants by name',
  '',
].join('\n');

export function completions(text: string, analysis: Analysis, position: Position, uri: string): CompletionList {
  let format = analysis.document.format;
  if (format === 'unknown' && /\.cluster\.ya?ml$/i.test(uri)) format = 'cluster';
  const items: CompletionItem[] = [];
  const at = cursorPath(text, position, parsedSourceOf(analysis.document));
  const json = isJson(text);

  if (!json && at.onKey && at.path.length <= 1 && (format === 'unknown' || format === 'cluster') && !hasKeyLine(text, 'cluster', 'any')) {
    items.push({
      label: 'cluster',
      kind: CompletionItemKind.Snippet,
      detail: 'New WaferScope cluster file',
      documentation: { kind: MarkupKind.Markdown, value: 'A cluster of CS-X systems with its MemoryX capacity.' },
      insertText: CLUSTER_SNIPPET,
      insertTextFormat: InsertTextFormat.Snippet,
    });
  }
  if (format === 'unknown') return { isIncomplete: false, items };

  if (at.onKey) {
    const parent = at.keyRange ? at.path.slice(0, -1) : at.path;
    const seen = new Set<string>();
    for (const key of keysAt(format, parent)) {
      if (seen.has(key.name)) continue;
      seen.add(key.name);
      items.push(keyItem(key, json));
    }
    // In the trainer layout the optimizer is named by its key (`optimizer: {AdamW: {...}}`).
    const optimizerKey = lookupKey(format, [...parent, OPTIMIZER_NAMES[0]]);
    if (optimizerKey?.field === 'training.optimizer') {
      for (const name of OPTIMIZER_NAMES) {
        items.push({
          label: name,
          kind: CompletionItemKind.Class,
          detail: 'optimizer',
          documentation: { kind: MarkupKind.Markdown, value: optimizerKey.doc },
          insertText: json ? `"${name}": ` : `${name}:\n  `,
        });
      }
    }
  } else {
    const key = lookupKey(format, at.path);
    if (key) items.push(...valueItems(key, analysis));
  }
  return { isIncomplete: false, items };
}

function keyItem(key: KeyDoc, json: boolean): CompletionItem {
  const nested = key.type === 'map' || key.type === 'list';
  return {
    label: key.name,
    kind: CompletionItemKind.Property,
    detail: key.type + (key.default ? ` (default: ${key.default})` : ''),
    documentation: { kind: MarkupKind.Markdown, value: key.doc },
    insertText: json ? `"${key.name}": ` : nested ? `${key.name}:\n  ` : `${key.name}: `,
  };
}

function valueItems(key: KeyDoc, analysis: Analysis): CompletionItem[] {
  const values: { label: string; detail?: string }[] = (key.values ?? []).map((label) => ({ label }));
  if (key.type === 'micro-batch') {
    const max = analysis.report.wafer?.maxMicroBatch;
    if (max) values.unshift({ label: String(max), detail: 'largest micro-batch that fits on the wafer' });
    for (const word of ['auto', 'explore', 'none']) if (!values.some((v) => v.label === word)) values.push({ label: word });
  }
  if (key.type === 'capacity') {
    for (const tier of ['1.5 TB', '12 TB', '55 TB', '1.2 PB']) values.push({ label: tier, detail: 'MemoryX capacity' });
    const needed = analysis.report.memoryx?.recommendedTierBytes;
    if (needed) values.unshift({ label: `${needed} B`, detail: 'smallest announced tier that fits' });
  }
  return values.map((value, index) => ({
    label: value.label,
    kind: CompletionItemKind.Value,
    detail: value.detail,
    sortText: String(index).padStart(3, '0'),
  }));
}
