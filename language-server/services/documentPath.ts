/**
 * Where the cursor is in a YAML or JSON config: the path of the key under it (or of the mapping it
 * is typing in), so hover and completion can look the key up. Parsed with the `yaml` package and
 * `jsonc-parser`, never by hand.
 */
import { getLocation } from 'jsonc-parser';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { Position, Range } from '../core/types';

export interface CursorPath {
  /** Path of the key at the cursor, or of the mapping whose key is being typed. */
  path: (string | number)[];
  /** The cursor is on a key (or an empty line where a key goes), not on a value. */
  onKey: boolean;
  /** Range of the key under the cursor, if any. */
  keyRange?: Range;
  /** Text typed so far of the key or value under the cursor. */
  prefix: string;
}

export function offsetAt(text: string, position: Position): number {
  let line = 0;
  let offset = 0;
  while (line < position.line) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
    line++;
  }
  return Math.min(offset + position.character, text.length);
}

export function isJson(text: string): boolean {
  return /^\s*[[{]/.test(text);
}

export function cursorPath(text: string, position: Position): CursorPath {
  const offset = offsetAt(text, position);
  return isJson(text) ? jsonCursor(text, offset) : yamlCursor(text, offset, position);
}

function jsonCursor(text: string, offset: number): CursorPath {
  const location = getLocation(text, offset);
  const node = location.previousNode;
  const prefix = node && node.type === 'string' ? text.slice(node.offset + 1, offset) : '';
  let keyRange: Range | undefined;
  if (node && location.isAtPropertyKey) keyRange = rangeOf(text, node.offset, node.offset + node.length);
  return { path: location.path.filter((p) => p !== ''), onKey: location.isAtPropertyKey, keyRange, prefix };
}

function yamlCursor(text: string, offset: number, position: Position): CursorPath {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, keepSourceTokens: false, uniqueKeys: false });
  const lineText = text.slice(offset - position.character).split('\n', 1)[0];
  const beforeCursor = lineText.slice(0, position.character);
  const found = findInYaml(document.contents as YamlNode | null, offset, []);
  if (found) {
    const [start, end] = found.keyOffsets ?? [offset, offset];
    return {
      path: found.path,
      onKey: found.onKey,
      keyRange: found.keyOffsets ? rangeOf(text, start, end) : undefined,
      prefix: found.onKey ? beforeCursor.trimStart().replace(/^-\s*/, '') : beforeCursor.replace(/^.*:\s*/, ''),
    };
  }
  // On an empty or partial line: the mapping is the one whose keys are indented like this line.
  const indent = beforeCursor.length - beforeCursor.trimStart().length;
  return {
    path: parentPathByIndent(text, offset - position.character, indent),
    onKey: !beforeCursor.includes(':'),
    prefix: beforeCursor.includes(':') ? beforeCursor.replace(/^.*:\s*/, '') : beforeCursor.trimStart(),
  };
}

interface YamlHit {
  path: (string | number)[];
  onKey: boolean;
  keyOffsets?: [number, number];
}

function findInYaml(node: YamlNode | null, offset: number, path: (string | number)[]): YamlHit | undefined {
  if (!node) return undefined;
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key as YamlNode | null;
      const keyName = isScalar(key) ? String(key.value) : '';
      const keyRange = key?.range;
      if (keyRange && offset >= keyRange[0] && offset <= keyRange[1]) {
        return { path: [...path, keyName], onKey: true, keyOffsets: [keyRange[0], keyRange[1]] };
      }
      const value = pair.value as YamlNode | null;
      const valueRange = value?.range;
      if (valueRange && offset >= valueRange[0] && offset <= valueRange[1]) {
        if (isScalar(value)) return { path: [...path, keyName], onKey: false, keyOffsets: keyRange ? [keyRange[0], keyRange[1]] : undefined };
        const inner = findInYaml(value, offset, [...path, keyName]);
        if (inner) return inner;
      }
    }
  } else if (isSeq(node)) {
    for (let index = 0; index < node.items.length; index++) {
      const item = node.items[index] as YamlNode | null;
      const range = item?.range;
      if (range && offset >= range[0] && offset <= range[1]) {
        const inner = findInYaml(item, offset, [...path, index]);
        if (inner) return inner;
      }
    }
  }
  return undefined;
}

/** Walks up from the cursor's line to the nearest less-indented `key:` lines to build the path. */
function parentPathByIndent(text: string, lineStart: number, indent: number): string[] {
  const before = text.slice(0, lineStart).split('\n');
  const path: string[] = [];
  let limit = indent;
  for (let i = before.length - 1; i >= 0 && limit > 0; i--) {
    const line = before[i];
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const lineIndent = line.length - line.trimStart().length;
    const match = /^\s*(?:-\s+)?([^\s:#][^:#]*?)\s*:\s*(?:&\S+\s*)?$/.exec(line);
    if (lineIndent < limit && match) {
      path.unshift(match[1].replace(/^["']|["']$/g, ''));
      limit = lineIndent;
    } else if (lineIndent < limit) {
      limit = lineIndent;
    }
  }
  return path;
}

export function rangeOf(text: string, start: number, end: number): Range {
  return { start: positionAt(text, start), end: positionAt(text, end) };
}

export function positionAt(text: string, offset: number): Position {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: offset - lineStart };
}
