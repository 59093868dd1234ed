/**
 * The source layer: YAML (the `yaml` package) or JSON (`jsonc-parser`) turned into one small tree
 * whose every node remembers where it was written, so every diagnostic can land on the exact key
 * or value. Anchors, aliases and merge keys are resolved; comments are skipped; several YAML
 * documents in one file are all parsed and the caller picks the one it understands.
 *
 * Offsets are kept as numbers and turned into line/character ranges only when a diagnostic or a
 * source reference needs one: a 100,000-line file then costs one pass to index line starts.
 */
import * as YAML from 'yaml';
import * as jsonc from 'jsonc-parser';
import type { CoreDiagnostic, Position, Range } from '../types';

export type ScalarValue = string | number | boolean | null;

interface NodeBase {
  /** Offsets into the file text (UTF-16 code units), end exclusive. */
  start: number;
  end: number;
}

export interface SourceScalar extends NodeBase {
  kind: 'scalar';
  value: ScalarValue;
}

export interface SourceEntry {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: SourceNode;
}

export interface SourceMap extends NodeBase {
  kind: 'map';
  entries: SourceEntry[];
  /** Built on first lookup: the last entry wins for a duplicated key, as PyYAML and JSON.parse do. */
  index?: Map<string, SourceEntry>;
}

export interface SourceSeq extends NodeBase {
  kind: 'seq';
  items: SourceNode[];
}

export type SourceNode = SourceScalar | SourceMap | SourceSeq;

/**
 * Converts offsets to zero-based line/character positions by the LSP's rules: a line ends at
 * `\r\n`, `\r` or `\n`, so a file saved with old Mac line ends has as many lines as the editor shows.
 */
export class LineIndex {
  private readonly lineStarts: number[];

  constructor(private readonly text: string) {
    const starts = [0];
    if (text.indexOf('\r') === -1) {
      // The common case, at indexOf speed.
      for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
    } else {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 13 /* \r */) {
          if (text.charCodeAt(i + 1) === 10) i++;
          starts.push(i + 1);
        } else if (c === 10 /* \n */) {
          starts.push(i + 1);
        }
      }
    }
    this.lineStarts = starts;
  }

  /** The text of a zero-based line, without its line end. */
  lineText(line: number): string {
    if (line < 0 || line >= this.lineStarts.length) return '';
    const start = this.lineStarts[line]!;
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1]! : this.text.length;
    let end = next;
    if (end > start && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(start, end);
  }

  /** Offset of a position, clamped to the document (a character past the line end lands on it). */
  offset(position: Position): number {
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStart(position.line);
    return start + Math.min(Math.max(0, position.character), this.lineText(position.line).length);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  position(offset: number): Position {
    let clamped = Math.max(0, Math.min(offset, this.text.length));
    // Between the \r and the \n of one line end: that is still the end of the line.
    if (clamped > 0 && this.text.charCodeAt(clamped) === 10 && this.text.charCodeAt(clamped - 1) === 13) clamped--;
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid]! <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - this.lineStarts[low]! };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }

  /** Offset of the start of a zero-based line. */
  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))]!;
  }
}

export interface ParsedDocument {
  root: SourceNode | undefined;
}

export interface ParsedSource {
  text: string;
  lines: LineIndex;
  language: 'yaml' | 'json';
  documents: ParsedDocument[];
  /** Syntax errors and warnings of the whole file (code 'syntax'). */
  diagnostics: CoreDiagnostic[];
}

/** Finds a key in a mapping. */
export function entryOf(node: SourceNode | undefined, key: string): SourceEntry | undefined {
  if (!node || node.kind !== 'map') return undefined;
  if (!node.index) {
    const index = new Map<string, SourceEntry>();
    for (const entry of node.entries) index.set(entry.key, entry);
    node.index = index;
  }
  return node.index.get(key);
}

export function valueOf(node: SourceNode | undefined, key: string): SourceNode | undefined {
  return entryOf(node, key)?.value;
}

export function asMap(node: SourceNode | undefined): SourceMap | undefined {
  return node && node.kind === 'map' ? node : undefined;
}

export function describeNode(node: SourceNode): string {
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  const value = node.value;
  if (value === null) return 'empty (null)';
  if (typeof value === 'string') return `the string "${value.length > 40 ? value.slice(0, 40) + '...' : value}"`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  return `the number ${value}`;
}

function syntaxDiagnostic(
  lines: LineIndex,
  start: number,
  end: number,
  message: string,
  severity: CoreDiagnostic['severity'] = 'error',
): CoreDiagnostic {
  return { severity, code: 'syntax', message, range: lines.range(start, end) };
}

// ---------------------------------------------------------------------------------------------
// YAML

/** PyYAML (which the Model Zoo uses) reads these as strings; the YAML 1.1 schema would not. */
const PYYAML_STRINGS = new Set(['y', 'Y', 'n', 'N']);

class YamlConverter {
  /** Anchors defined so far, in document order (a later anchor of the same name replaces one). */
  private readonly anchors = new Map<string, SourceNode>();
  private readonly inProgress = new Set<SourceNode>();

  constructor(
    private readonly lines: LineIndex,
    private readonly diagnostics: CoreDiagnostic[],
    private readonly duplicates: Capped,
  ) {}

  convert(node: unknown, fallbackOffset: number): SourceNode {
    if (YAML.isAlias(node)) return this.alias(node, fallbackOffset);
    let converted: SourceNode;
    if (YAML.isMap(node)) converted = this.map(node, fallbackOffset);
    else if (YAML.isSeq(node)) converted = this.seq(node, fallbackOffset);
    else if (YAML.isScalar(node)) converted = this.scalar(node, fallbackOffset);
    else converted = { kind: 'scalar', value: null, start: fallbackOffset, end: fallbackOffset };
    return converted;
  }

  private rangeOf(node: { range?: [number, number, number] | null }, fallbackOffset: number): [number, number] {
    const range = node.range;
    if (!range) return [fallbackOffset, fallbackOffset];
    return [range[0], range[1]];
  }

  private register(node: { anchor?: string | null }, converted: SourceNode): void {
    if (node.anchor) this.anchors.set(node.anchor, converted);
  }

  private alias(node: YAML.Alias, fallbackOffset: number): SourceNode {
    const [start, end] = this.rangeOf(node, fallbackOffset);
    const target = this.anchors.get(node.source);
    if (!target) {
      this.diagnostics.push(syntaxDiagnostic(this.lines, start, end, `Unknown alias *${node.source}.`));
      return { kind: 'scalar', value: null, start, end };
    }
    if (this.inProgress.has(target)) {
      // `&a [*a]` is legal YAML but describes an infinite value; no config needs one.
      this.diagnostics.push(
        syntaxDiagnostic(this.lines, start, end, `Alias *${node.source} refers to a node that contains it.`),
      );
      return { kind: 'scalar', value: null, start, end };
    }
    return target;
  }

  private scalar(node: YAML.Scalar, fallbackOffset: number): SourceScalar {
    const [start, end] = this.rangeOf(node, fallbackOffset);
    const raw = node.value;
    let value: ScalarValue;
    if (raw === null || raw === undefined) value = null;
    else if (typeof raw === 'boolean') {
      const source = (node as { source?: string }).source;
      value = source !== undefined && PYYAML_STRINGS.has(source) ? source : raw;
    } else if (typeof raw === 'number' || typeof raw === 'string') value = raw;
    else if (typeof raw === 'bigint') value = Number(raw);
    else value = String((node as { source?: string }).source ?? raw);
    const converted: SourceScalar = { kind: 'scalar', value, start, end };
    this.register(node, converted);
    return converted;
  }

  private keyText(key: unknown): string {
    if (YAML.isScalar(key)) {
      const source = (key as { source?: string }).source;
      if (typeof key.value === 'string') return key.value;
      if (source !== undefined) return source;
      return String(key.value);
    }
    if (YAML.isAlias(key)) {
      const target = this.anchors.get(key.source);
      if (target && target.kind === 'scalar') return String(target.value);
    }
    return '';
  }

  private map(node: YAML.YAMLMap, fallbackOffset: number): SourceMap {
    const [start, end] = this.rangeOf(node, fallbackOffset);
    const converted: SourceMap = { kind: 'map', entries: [], start, end };
    this.register(node, converted);
    this.inProgress.add(converted);
    const merges: SourceNode[] = [];
    const seen = new Set<string>();
    for (const pair of node.items) {
      const keyNode = pair.key as { range?: [number, number, number] | null; value?: unknown } | null;
      const [keyStart, keyEnd] = keyNode ? this.rangeOf(keyNode, start) : [start, start];
      const isMerge = YAML.isScalar(pair.key) && (typeof pair.key.value === 'symbol' || pair.key.source === '<<');
      const value = pair.value === null || pair.value === undefined
        ? ({ kind: 'scalar', value: null, start: keyEnd, end: keyEnd } as SourceScalar)
        : this.convert(pair.value, keyEnd);
      if (isMerge) {
        merges.push(value);
        continue;
      }
      const key = this.keyText(pair.key);
      if (seen.has(key)) this.duplicates.add(keyStart, keyEnd, () => `Duplicate key '${key}': the last one wins.`);
      seen.add(key);
      converted.entries.push({ key, keyStart, keyEnd, value });
    }
    // `<<: *base` (or a list of them) adds the base's keys this mapping does not set itself;
    // the first merged mapping wins over later ones.
    for (const merge of merges) {
      const sources = merge.kind === 'seq' ? merge.items : [merge];
      for (const source of sources) {
        if (source.kind !== 'map') continue;
        for (const entry of source.entries) {
          if (seen.has(entry.key)) continue;
          seen.add(entry.key);
          converted.entries.push(entry);
        }
      }
    }
    this.inProgress.delete(converted);
    return converted;
  }

  private seq(node: YAML.YAMLSeq, fallbackOffset: number): SourceSeq {
    const [start, end] = this.rangeOf(node, fallbackOffset);
    const converted: SourceSeq = { kind: 'seq', items: [], start, end };
    this.register(node, converted);
    this.inProgress.add(converted);
    for (const item of node.items) converted.items.push(this.convert(item, start));
    this.inProgress.delete(converted);
    return converted;
  }
}

function parseYaml(text: string, lines: LineIndex): ParsedSource {
  const diagnostics: CoreDiagnostic[] = [];
  // YAML 1.1 because the Model Zoo loads its files with PyYAML (1.1: merge keys, `yes`/`no`).
  // uniqueKeys is off: the library's check is quadratic in the size of a mapping; duplicates are
  // found here in linear time instead. A bare \r is a line break (YAML and LSP agree) that the
  // library does not break at: it is read as \n, which keeps every offset where it was.
  const documents = YAML.parseAllDocuments(text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text, {
    version: '1.1',
    uniqueKeys: false,
    prettyErrors: false,
    strict: false,
  });
  const list = Array.isArray(documents) ? documents : [documents];
  const parsed: ParsedDocument[] = [];
  const syntax = syntaxErrors(lines, diagnostics);
  const duplicates = duplicateKeys(lines, diagnostics);
  for (const document of list) {
    for (const error of document.errors) {
      const [start, end] = error.pos;
      syntax.add(start, Math.max(end, start + 1), () => cleanYamlMessage(error.message));
    }
    const converter = new YamlConverter(lines, diagnostics, duplicates);
    const contents = document.contents;
    const root = contents === null || contents === undefined ? undefined : converter.convert(contents, 0);
    parsed.push({ root });
  }
  syntax.close();
  duplicates.close();
  return { text, lines, language: 'yaml', documents: parsed, diagnostics };
}

function cleanYamlMessage(message: string): string {
  const firstLine = message.split('\n')[0] ?? message;
  return `YAML syntax: ${firstLine.replace(/ at line \d+, column \d+:?$/, '')}`;
}

// ---------------------------------------------------------------------------------------------
// JSON

function convertJson(node: jsonc.Node): SourceNode {
  const start = node.offset;
  const end = node.offset + node.length;
  if (node.type === 'object') {
    const converted: SourceMap = { kind: 'map', entries: [], start, end };
    for (const property of node.children ?? []) {
      const [keyNode, valueNode] = property.children ?? [];
      if (!keyNode) continue;
      const value = valueNode
        ? convertJson(valueNode)
        : ({ kind: 'scalar', value: null, start: keyNode.offset + keyNode.length, end: keyNode.offset + keyNode.length } as SourceScalar);
      converted.entries.push({
        key: String(keyNode.value),
        keyStart: keyNode.offset,
        keyEnd: keyNode.offset + keyNode.length,
        value,
      });
    }
    return converted;
  }
  if (node.type === 'array') {
    return { kind: 'seq', items: (node.children ?? []).map(convertJson), start, end };
  }
  const raw = node.value as unknown;
  const value: ScalarValue =
    typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' ? raw : null;
  return { kind: 'scalar', value, start, end };
}

function reportJsonDuplicates(node: SourceNode, duplicates: Capped, depth: number): void {
  if (depth > MAX_NESTING) return;
  if (node.kind === 'map') {
    const seen = new Set<string>();
    for (const entry of node.entries) {
      if (seen.has(entry.key)) duplicates.add(entry.keyStart, entry.keyEnd, () => `Duplicate key '${entry.key}': the last one wins.`);
      seen.add(entry.key);
      reportJsonDuplicates(entry.value, duplicates, depth + 1);
    }
  } else if (node.kind === 'seq') {
    for (const item of node.items) reportJsonDuplicates(item, duplicates, depth + 1);
  }
}

function parseJson(text: string, lines: LineIndex): ParsedSource {
  const diagnostics: CoreDiagnostic[] = [];
  const errors: jsonc.ParseError[] = [];
  // A byte-order mark is not JSON; a space in its place keeps every offset where it was.
  const source = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
  const tree = jsonc.parseTree(source, errors, { allowTrailingComma: true, disallowComments: false });
  const syntax = syntaxErrors(lines, diagnostics);
  for (const error of errors) {
    syntax.add(error.offset, error.offset + Math.max(1, error.length), () => `JSON syntax: ${jsonSyntaxWords(jsonc.printParseErrorCode(error.error))}`);
  }
  syntax.close();
  const root = tree ? convertJson(tree) : undefined;
  if (root) {
    const duplicates = duplicateKeys(lines, diagnostics);
    reportJsonDuplicates(root, duplicates, 0);
    duplicates.close();
  }
  return { text, lines, language: 'json', documents: [{ root }], diagnostics };
}

/**
 * Whether some line reads `<key>:` after its indentation (indented or at column 0, as asked). One
 * pass; the regular expression `/^\s*key\s*:/m` this replaces retried its `\s*` from every line
 * start, quadratic in a run of blank lines (40,000 of them took 5 s).
 */
export function hasKeyLine(text: string, key: string, where: 'top' | 'indented' | 'any'): boolean {
  let at = 0;
  while (at <= text.length) {
    let i = at;
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
    const indented = i > at;
    if ((where === 'any' || (where === 'indented') === indented) && text.startsWith(key, i)) {
      let j = i + key.length;
      while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
      if (text[j] === ':') return true;
    }
    if (i >= text.length) break;
    at = skipLine(text, i);
  }
  return false;
}

/** JSON for `.json`/`.jsonc` files (and text that starts with `{` or `[`), YAML otherwise. */
export function isJsonSource(file: string, text: string): boolean {
  const lower = file.toLowerCase();
  return (
    lower.endsWith('.json') ||
    lower.endsWith('.jsonc') ||
    (!lower.endsWith('.yaml') && !lower.endsWith('.yml') && /^\s*[{[]/.test(text.slice(0, 1000)))
  );
}

export function parseSource(file: string, text: string): ParsedSource {
  const lines = new LineIndex(text);
  const language = isJsonSource(file, text) ? 'json' : 'yaml';
  // Both parsers recurse once per level: a file nested a thousand deep would overflow the stack.
  const tooDeep = language === 'json' ? jsonTooDeep(text, MAX_NESTING) : yamlTooDeep(text, MAX_NESTING);
  if (tooDeep !== -1) return tooDeeplyNested(text, lines, language, tooDeep);
  try {
    return language === 'json' ? parseJson(text, lines) : parseYaml(text, lines);
  } catch (error) {
    // The scan above is an estimate; the stack is the last line of defence.
    if (error instanceof RangeError) return tooDeeplyNested(text, lines, language, 0);
    throw error;
  }
}

function tooDeeplyNested(text: string, lines: LineIndex, language: 'yaml' | 'json', offset: number): ParsedSource {
  const diagnostic: CoreDiagnostic = {
    severity: 'error',
    code: 'too-deeply-nested',
    message: `This file nests mappings and lists deeper than ${MAX_NESTING} levels (configs nest fewer than 10); WaferScope does not read it.`,
    range: lines.range(offset, offset + 1),
  };
  return { text, lines, language, documents: [], diagnostics: [diagnostic] };
}

/** Real configs nest fewer than 10 levels; the parsers' recursion overflows near a thousand. */
export const MAX_NESTING = 64;

/** Offset where JSON(C) brackets nest deeper than `limit`, or -1. Strings and comments are skipped. */
export function jsonTooDeep(text: string, limit: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close === -1 ? text.length : close + 1;
    } else if (c === '{' || c === '[') {
      if (++depth > limit) return i;
    } else if (c === '}' || c === ']') {
      depth = Math.max(0, depth - 1);
    }
  }
  return -1;
}

/**
 * Offset where YAML nests deeper than `limit`, or -1: block levels (by indentation and `- `
 * indicators) plus flow levels (`[`, `{`). One pass, no regular expression on the lines, so a line
 * of 100,000 spaces costs 100,000 steps. An estimate on the safe side of the parser's own count.
 */
export function yamlTooDeep(text: string, limit: number): number {
  const SPACE = 32, TAB = 9, LF = 10, CR = 13, HASH = 35, DQUOTE = 34, SQUOTE = 39, BACKSLASH = 92;
  const DASH = 45, COLON = 58, COMMA = 44, OPEN_SQUARE = 91, CLOSE_SQUARE = 93, OPEN_CURLY = 123, CLOSE_CURLY = 125;
  const PIPE = 124, GREATER = 62;
  const indents: number[] = [];
  let flow = 0;
  let blockScalarIndent = -1;
  let i = 0;
  const length = text.length;
  while (i < length) {
    const lineStart = i;
    while (i < length && text.charCodeAt(i) === SPACE) i++;
    const indent = i - lineStart;
    const c = i < length ? text.charCodeAt(i) : LF;
    const blank = c === LF || c === CR || c === HASH;
    if (blockScalarIndent >= 0 && (blank || indent > blockScalarIndent)) {
      i = skipLine(text, i);
      continue;
    }
    blockScalarIndent = -1;
    if (blank) {
      i = skipLine(text, i);
      continue;
    }
    if (flow === 0) {
      while (indents.length && indents[indents.length - 1]! > indent) indents.pop();
      if (!indents.length || indents[indents.length - 1]! < indent) indents.push(indent);
    }
    let dashes = 0;
    let valueStart = true;
    let last = 0;
    for (; i < length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === LF || ch === CR) break;
      if (ch === SPACE || ch === TAB) continue;
      if (ch === HASH && (i === lineStart || text.charCodeAt(i - 1) === SPACE || text.charCodeAt(i - 1) === TAB)) {
        i = skipLine(text, i) - 1;
        break;
      }
      if (ch === DQUOTE || ch === SQUOTE) {
        for (i++; i < length; i++) {
          const q = text.charCodeAt(i);
          if (q === ch || q === LF || q === CR) break;
          if (ch === DQUOTE && q === BACKSLASH) i++;
        }
        valueStart = false;
        last = ch;
        continue;
      }
      if (ch === DASH && valueStart && flow === 0 && (i + 1 >= length || text.charCodeAt(i + 1) === SPACE)) {
        dashes++;
      } else if ((ch === OPEN_SQUARE || ch === OPEN_CURLY) && (flow > 0 || valueStart)) {
        flow++;
        valueStart = true;
      } else if ((ch === CLOSE_SQUARE || ch === CLOSE_CURLY) && flow > 0) {
        flow--;
      } else if (ch === COLON || ch === COMMA) {
        valueStart = true;
      } else {
        valueStart = false;
      }
      if (indents.length + dashes + flow > limit) return i;
      last = ch;
    }
    // `key: |` or `key: >-`: the more-indented lines that follow are text, not structure.
    const indicatorTail = last === DASH || last === 43 /* + */ || (last >= 48 && last <= 57);
    if (flow === 0 && (last === PIPE || last === GREATER || (indicatorTail && /[|>][-+0-9]*$/.test(text.slice(Math.max(lineStart, i - 4), i).trimEnd())))) {
      blockScalarIndent = indent;
    }
    i = skipLine(text, i);
  }
  return -1;
}

/** Offset of the next line's start. */
function skipLine(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 10) return i + 1;
    if (c === 13) return text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
    i++;
  }
  return i + 1;
}

/** Past this many, syntax errors are echoes of the first ones (one typo in a flow map makes every later token one). */
const MAX_SYNTAX_ERRORS = 100;
/** Past this many, duplicate keys are a generated file, not a typo: they are counted, not listed. */
const MAX_DUPLICATE_KEYS = 100;

/** Collects diagnostics of one kind up to `max`, then counts the rest into one closing diagnostic. */
class Capped {
  private count = 0;
  private firstDropped = -1;

  constructor(
    private readonly lines: LineIndex,
    private readonly diagnostics: CoreDiagnostic[],
    private readonly max: number,
    private readonly severity: CoreDiagnostic['severity'],
    private readonly summary: (more: string, line: number) => string,
  ) {}

  add(start: number, end: number, message: () => string): void {
    this.count++;
    if (this.count <= this.max) this.diagnostics.push(syntaxDiagnostic(this.lines, start, end, message(), this.severity));
    else if (this.firstDropped === -1) this.firstDropped = start;
  }

  close(): void {
    if (this.firstDropped === -1) return;
    const more = (this.count - this.max).toLocaleString('en-US');
    const line = this.lines.position(this.firstDropped).line + 1;
    this.diagnostics.push(syntaxDiagnostic(this.lines, this.firstDropped, this.firstDropped + 1, this.summary(more, line), this.severity));
  }
}

function syntaxErrors(lines: LineIndex, diagnostics: CoreDiagnostic[]): Capped {
  return new Capped(lines, diagnostics, MAX_SYNTAX_ERRORS, 'error', (more, line) => `${more} more syntax errors from line ${line} on, most of them caused by the ones above; fix those first.`);
}

function duplicateKeys(lines: LineIndex, diagnostics: CoreDiagnostic[]): Capped {
  return new Capped(lines, diagnostics, MAX_DUPLICATE_KEYS, 'warning', (more, line) => `${more} more duplicate keys from line ${line} on (the last of each wins).`);
}

/** jsonc-parser names its errors in CamelCase ("PropertyNameExpected"): "property name expected". */
function jsonSyntaxWords(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
