/**
 * Where the cursor is in a YAML or JSON config: the path of the key under it (or of the mapping it
 * is typing in), so hover and completion can look the key up.
 *
 * The document is not parsed again here: the source tree the analysis read (one parse per document
 * version, see `parsedSourceOf`) answers where the cursor is. Without one (a large document analysed
 * in the worker, a file the reader refused) a single linear pass over the lines above the cursor
 * finds the enclosing keys by indentation; no regular expression runs on the document's lines.
 * Positions follow the LSP's line rules (`\r\n`, `\r`, `\n`).
 */
import { getLocation } from 'jsonc-parser';
import { MAX_CONFIG_BYTES } from '../core/config/read';
import { jsonTooDeep, LineIndex, MAX_NESTING, type ParsedSource, type SourceNode } from '../core/config/source';
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

const NOWHERE: CursorPath = { path: [], onKey: false, prefix: '' };

export function isJson(text: string): boolean {
  return /^\s*[[{]/.test(text.slice(0, 1000));
}

/**
 * The cursor's path. `parsed` is the analysis's source tree of this same text; when it is absent or
 * of another version, the text is scanned instead (linear, no parse).
 */
export function cursorPath(text: string, position: Position, parsed?: ParsedSource): CursorPath {
  if (text.length > MAX_CONFIG_BYTES) return NOWHERE;
  const current = parsed && parsed.text === text ? parsed : undefined;
  const lines = current?.lines ?? new LineIndex(text);
  const offset = lines.offset(position);
  const json = current ? current.language === 'json' : isJson(text);
  if (json) {
    // The analysis refused the file (too deep) or it was never read: jsonc's scanner recurses too.
    if (current ? current.documents.length === 0 : jsonTooDeep(text, MAX_NESTING) !== -1) return NOWHERE;
    return jsonCursor(text, offset, lines);
  }
  return yamlCursor(current, lines, offset, position);
}

function jsonCursor(text: string, offset: number, lines: LineIndex): CursorPath {
  const location = getLocation(text, offset);
  const node = location.previousNode;
  const prefix = node && node.type === 'string' ? text.slice(node.offset + 1, offset) : '';
  let keyRange: Range | undefined;
  if (node && location.isAtPropertyKey) keyRange = lines.range(node.offset, node.offset + node.length);
  return { path: location.path.filter((p) => p !== ''), onKey: location.isAtPropertyKey, keyRange, prefix };
}

function yamlCursor(parsed: ParsedSource | undefined, lines: LineIndex, offset: number, position: Position): CursorPath {
  const lineText = lines.lineText(position.line);
  const beforeCursor = lineText.slice(0, Math.max(0, offset - lines.lineStart(position.line)));
  let found: TreeHit | undefined;
  for (const document of parsed?.documents ?? []) {
    if (document.root && offset >= document.root.start && offset <= document.root.end) found = findInTree(document.root, offset, [], 0, lines);
    if (found) break;
  }
  if (!found && !parsed) found = keyOnLine(lineText, lines.lineStart(position.line), offset, parentPathByIndent(lines, position.line, indentOf(lineText)));
  if (found) {
    return {
      path: found.path,
      onKey: found.onKey,
      keyRange: found.keyOffsets ? lines.range(found.keyOffsets[0], found.keyOffsets[1]) : undefined,
      prefix: found.onKey ? stripDash(beforeCursor.trimStart()) : afterColon(beforeCursor),
    };
  }
  // After `key:` with nothing written yet (an empty value has no node of its own): the key's value.
  const onLine = readKeyLine(lineText);
  if (onLine && beforeCursor.length > onLine.colon) {
    const lineStart = lines.lineStart(position.line);
    return {
      path: [...parentPathByIndent(lines, position.line, indentOf(lineText)), onLine.key],
      onKey: false,
      keyRange: lines.range(lineStart + onLine.start, lineStart + onLine.end),
      prefix: afterColon(beforeCursor),
    };
  }
  // On an empty or partial line: the mapping is the one whose keys are indented like this line.
  const hasColon = beforeCursor.includes(':');
  return {
    path: parentPathByIndent(lines, position.line, indentOf(beforeCursor)),
    onKey: !hasColon,
    prefix: hasColon ? afterColon(beforeCursor) : beforeCursor.trimStart(),
  };
}

interface TreeHit {
  path: (string | number)[];
  onKey: boolean;
  keyOffsets?: [number, number];
}

function contains(node: { start: number; end: number }, offset: number): boolean {
  return offset >= node.start && offset <= node.end;
}

/** The key or value under `offset` in the analysis's tree. Entries merged in from an anchor elsewhere are skipped. */
function findInTree(node: SourceNode, offset: number, path: (string | number)[], depth: number, lines: LineIndex): TreeHit | undefined {
  if (depth > MAX_NESTING) return undefined;
  if (node.kind === 'map') {
    for (const entry of node.entries) {
      if (entry.keyStart < node.start || entry.keyEnd > node.end) continue;
      if (offset >= entry.keyStart && offset <= entry.keyEnd) {
        return { path: [...path, entry.key], onKey: true, keyOffsets: [entry.keyStart, entry.keyEnd] };
      }
      const value = entry.value;
      // `key:` with nothing after it yet: the rest of the key's line is where its value goes.
      if (value.start === value.end && value.kind === 'scalar' && offset > entry.keyEnd && lines.position(offset).line === lines.position(entry.keyEnd).line) {
        return { path: [...path, entry.key], onKey: false, keyOffsets: [entry.keyStart, entry.keyEnd] };
      }
      if (value.start === value.end || !contains(value, offset) || value.start < entry.keyEnd) continue;
      if (value.kind === 'scalar') return { path: [...path, entry.key], onKey: false, keyOffsets: [entry.keyStart, entry.keyEnd] };
      const inner = findInTree(value, offset, [...path, entry.key], depth + 1, lines);
      if (inner) return inner;
    }
  } else if (node.kind === 'seq') {
    for (let index = 0; index < node.items.length; index++) {
      const item = node.items[index]!;
      if (item.kind !== 'scalar' && contains(item, offset)) {
        const inner = findInTree(item, offset, [...path, index], depth + 1, lines);
        if (inner) return inner;
      }
    }
  }
  return undefined;
}

/** Leading spaces and tabs. */
function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return i;
}

function stripDash(text: string): string {
  return text.startsWith('-') ? text.slice(1).trimStart() : text;
}

/** What follows the last colon (the value typed so far). */
function afterColon(text: string): string {
  const colon = text.lastIndexOf(':');
  return colon === -1 ? text : text.slice(colon + 1).trimStart();
}

interface KeyOnLine {
  key: string;
  /** Offsets of the key within the line. */
  start: number;
  end: number;
  /** Index of the colon. */
  colon: number;
  /** Nothing but an optional anchor follows the colon (the key opens a nested block). */
  opensBlock: boolean;
}

/** `  - key: value  # comment` read by hand: the key, where it is, and whether a block follows. */
function readKeyLine(line: string): KeyOnLine | undefined {
  let i = indentOf(line);
  if (line[i] === '-' && (line[i + 1] === ' ' || line[i + 1] === '\t')) {
    i++;
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  }
  const start = i;
  const first = line[i];
  if (first === undefined || first === ':' || first === '#' || first === ' ' || first === '\t') return undefined;
  while (i < line.length && line[i] !== ':' && line[i] !== '#') i++;
  if (line[i] !== ':') return undefined;
  const colon = i;
  let end = colon;
  while (end > start && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
  let rest = colon + 1;
  while (rest < line.length && (line[rest] === ' ' || line[rest] === '\t')) rest++;
  if (line[rest] === '&') {
    while (rest < line.length && line[rest] !== ' ' && line[rest] !== '\t') rest++;
    while (rest < line.length && (line[rest] === ' ' || line[rest] === '\t')) rest++;
  }
  const key = unquote(line.slice(start, end));
  return { key, start, end, colon, opensBlock: rest >= line.length || line[rest] === '#' };
}

function unquote(key: string): string {
  const first = key[0];
  const last = key[key.length - 1];
  return key.length >= 2 && (first === '"' || first === "'") && last === first ? key.slice(1, -1) : key;
}

/** Without a tree: the key written on the cursor's line, under the keys that enclose the line. */
function keyOnLine(line: string, lineStart: number, offset: number, parents: string[]): TreeHit | undefined {
  const found = readKeyLine(line);
  if (!found) return undefined;
  const column = offset - lineStart;
  const keyOffsets: [number, number] = [lineStart + found.start, lineStart + found.end];
  if (column >= found.start && column <= found.end) return { path: [...parents, found.key], onKey: true, keyOffsets };
  if (column > found.colon && !found.opensBlock) return { path: [...parents, found.key], onKey: false, keyOffsets };
  return undefined;
}

/** Walks up from the cursor's line to the nearest less-indented `key:` lines to build the path (one pass). */
function parentPathByIndent(lines: LineIndex, cursorLine: number, indent: number): string[] {
  const path: string[] = [];
  let limit = indent;
  for (let line = cursorLine - 1; line >= 0 && limit > 0; line--) {
    const text = lines.lineText(line);
    const lineIndent = indentOf(text);
    if (lineIndent === text.length || text[lineIndent] === '#' || lineIndent >= limit) continue;
    const found = readKeyLine(text);
    if (found?.opensBlock) path.unshift(found.key);
    limit = lineIndent;
  }
  return path;
}
