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
import { entryOf, hasKeyLine, type ParsedSource, type SourceNode } from '../core/config/source';
import { keysAt, lookupKey, OPTIMIZER_NAMES, type KeyDoc } from '../core/config/keys';
import type { Position } from '../core/types';
import { cursorPath, isJson } from './documentPath';
import { clusterSnippet } from '../core/format/clusterFile';
import { formatBytes, formatPercent } from '../core/format/units';

const CLUSTER_SNIPPET = clusterSnippet();

export function completions(text: string, analysis: Analysis, position: Position, uri: string): CompletionList {
  let format = analysis.document.format;
  if (format === 'unknown' && /\.cluster\.ya?ml$/i.test(uri)) format = 'cluster';
  const items: CompletionItem[] = [];
  const parsed = parsedSourceOf(analysis.document);
  const at = cursorPath(text, position, parsed);
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
    // Keys already written beside the cursor are not offered again (the one being typed is).
    const seen = presentKeys(parsed?.text === text ? parsed : undefined, parent);
    const typing = at.keyRange ? String(at.path[at.path.length - 1]) : undefined;
    if (typing !== undefined) seen.delete(typing);
    // The new-cluster snippet already stands for the `cluster` key.
    if (items.some((item) => item.kind === CompletionItemKind.Snippet)) seen.add('cluster');
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

/**
 * Keys of the mapping at `path`, from the analysis's own parse of this version (no second parse of
 * the document on every keystroke). Without one (the reader refused the file) nothing is hidden.
 */
function presentKeys(parsed: ParsedSource | undefined, path: (string | number)[]): Set<string> {
  const keys = new Set<string>();
  for (const document of parsed?.documents ?? []) {
    let node: SourceNode | undefined = document.root;
    for (const step of path) {
      if (!node) break;
      if (typeof step === 'number') node = node.kind === 'seq' ? node.items[step] : undefined;
      else node = entryOf(node, step)?.value;
    }
    if (node?.kind === 'map') for (const entry of node.entries) keys.add(entry.key);
  }
  return keys;
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
    const wafer = analysis.report.wafer;
    const margin = wafer ? formatPercent(wafer.headroomTarget, 0) : '';
    const suggested: { label: string; detail: string }[] = [];
    if (wafer?.recommendedMicroBatch) {
      suggested.push({ label: String(wafer.recommendedMicroBatch), detail: `recommended: what auto picks (fastest that keeps ${margin} headroom)` });
    }
    if (wafer?.largestFittingMicroBatch && wafer.largestFittingMicroBatch !== wafer.recommendedMicroBatch) {
      suggested.push({ label: String(wafer.largestFittingMicroBatch), detail: `largest that fits (less than ${margin} headroom)` });
    }
    values.unshift(...suggested);
    for (const word of ['auto', 'explore', 'none']) if (!values.some((v) => v.label === word)) values.push({ label: word });
  }
  if (key.type === 'capacity') {
    for (const tier of ['1.5 TB', '12 TB', '55 TB', '1.2 PB']) values.push({ label: tier, detail: 'MemoryX capacity' });
    const needed = analysis.report.memoryx?.recommendedTierBytes;
    if (needed) {
      const label = formatBytes(needed).replace(/\u00a0/g, ' ');
      const index = values.findIndex((v) => v.label === label);
      if (index >= 0) values.splice(index, 1);
      values.unshift({ label, detail: 'smallest announced tier that fits' });
    }
  }
  return values.map((value, index) => ({
    label: value.label,
    kind: CompletionItemKind.Value,
    detail: value.detail,
    sortText: String(index).padStart(3, '0'),
  }));
}
