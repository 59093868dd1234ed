/**
 * The one entry point from text to a normalised ConfigDocument. Never throws: malformed YAML or
 * JSON, wrong types and absurd values all come back as diagnostics.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ConfigDocument, CoreDiagnostic, Range } from '../types';
import { readClusterFile } from './cluster-file';
import { ReadContext, formatNumber } from './context';
import { detectFormat, guessFormatFromText } from './detect';
import { readHfConfig, type HfReadOptions } from './hf';
import { readModelZoo } from './modelzoo';
import { asMap, LineIndex, parseSource, type ParsedSource, type SourceNode } from './source';

/** Model Zoo configs are a few kilobytes; anything this big is not one. */
export const MAX_CONFIG_BYTES = 5 * 1024 * 1024;

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** `# waferscope: cluster=<path>` (or `// ...` in JSONC) among the leading comment lines. */
const CLUSTER_REFERENCE = /^(\s*(?:#|\/\/)\s*waferscope\s*:\s*cluster\s*=\s*)(.*?)\s*$/i;

function findClusterReference(file: string, lines: LineIndex): ConfigDocument['clusterReference'] {
  for (let line = 0; line < lines.lineCount && line < 200; line++) {
    const lineText = lines.lineText(line);
    // A comment line is short; a 100,000-character one is not the reference and is not matched.
    if (lineText.length > 1024) break;
    const trimmed = lineText.trim();
    if (trimmed !== '' && !trimmed.startsWith('#') && !trimmed.startsWith('//')) break;
    const match = CLUSTER_REFERENCE.exec(lineText);
    if (match) {
      let written = match[2] ?? '';
      let startColumn = match[1]!.length;
      const quoted = /^(['"])(.*)\1$/.exec(written);
      if (quoted) {
        written = quoted[2]!;
        startColumn += 1;
      }
      if (written === '') return undefined;
      const path = isAbsolute(written) ? written : resolve(dirname(file), written);
      return {
        path,
        range: { start: { line, character: startColumn }, end: { line, character: startColumn + written.length } },
      };
    }
  }
  return undefined;
}

function empty(file: string, diagnostics: CoreDiagnostic[] = []): ConfigDocument {
  return { file, format: 'unknown', sources: {}, diagnostics };
}

function readUnsafe(file: string, text: string, options: HfReadOptions): ConfigDocument {
  // Cheap guards first, so a binary or enormous file costs no parsing.
  if (text.length > MAX_CONFIG_BYTES || (text.length > MAX_CONFIG_BYTES / 4 && Buffer.byteLength(text, 'utf8') > MAX_CONFIG_BYTES)) {
    return empty(file, [
      {
        severity: 'error',
        code: 'invalid-value',
        message: `This file is larger than ${formatNumber(MAX_CONFIG_BYTES / 1024 / 1024)} MB; WaferScope does not read it as a configuration.`,
        range: START,
      },
    ]);
  }
  const nul = text.indexOf('\u0000');
  if (nul !== -1) {
    const lines = new LineIndex(text);
    return empty(file, [
      {
        severity: 'error',
        code: 'syntax',
        message: 'This file contains NUL bytes (a binary file?); WaferScope does not read it as a configuration.',
        range: lines.range(nul, nul + 1),
      },
    ]);
  }

  const parsed = parseSource(file, text);
  let root: SourceNode | undefined;
  let format: ConfigDocument['format'] = 'unknown';
  for (const document of parsed.documents) {
    const detected = detectFormat(file, document.root);
    if (detected !== 'unknown') {
      root = document.root;
      format = detected;
      break;
    }
  }
  if (format === 'unknown') {
    if (parsed.diagnostics.some((d) => d.code === 'too-deeply-nested')) {
      // Not read at all; whether it is a config is only a guess, so another file's YAML gets a warning.
      const guessed = guessFormatFromText(file, text);
      const diagnostics = parsed.diagnostics.map((d) => ({ ...d, severity: guessed === 'unknown' ? ('warning' as const) : d.severity }));
      return { file, format: guessed, sources: {}, diagnostics };
    }
    if (parsed.diagnostics.some((d) => d.severity === 'error')) {
      // Broken beyond recognition, but the text still says what it is: show the syntax errors.
      const guessed = guessFormatFromText(file, text);
      if (guessed !== 'unknown') return { file, format: guessed, sources: {}, diagnostics: parsed.diagnostics };
    }
    return empty(file);
  }

  const ctx = new ReadContext(parsed);
  const document: ConfigDocument = { file, format, sources: ctx.sources, diagnostics: [] };
  // Hover and completion find the cursor in this tree instead of parsing the text again. Not
  // enumerable: it stays out of JSON reports and of the worker's reply (structured clone skips it).
  Object.defineProperty(document, PARSED, { value: parsed, enumerable: false });
  const map = asMap(root);
  if (format === 'cluster') {
    const cluster = readClusterFile(ctx, root, file);
    if (cluster) document.cluster = cluster;
  } else if (map && (format === 'modelzoo-trainer' || format === 'modelzoo-legacy')) {
    const result = readModelZoo(ctx, map, format);
    if (result.model) document.model = result.model;
    if (result.training) document.training = result.training;
    if (result.unmodelledFamily) document.unmodelledFamily = result.unmodelledFamily;
  } else if (map && format === 'hf-config') {
    const result = readHfConfig(ctx, map, options);
    if (result.model) document.model = result.model;
    if (result.training) document.training = result.training;
    if (result.unmodelledFamily) document.unmodelledFamily = result.unmodelledFamily;
  }
  if (format !== 'cluster') {
    const reference = findClusterReference(file, parsed.lines);
    if (reference) document.clusterReference = reference;
  }
  // After a syntax error the tree is a guess; what the readers say about it (missing keys, odd
  // types) is mostly an echo of that error, so only the syntax errors are shown until it is fixed.
  const broken = parsed.diagnostics.some((d) => d.severity === 'error');
  document.diagnostics = broken ? parsed.diagnostics : [...parsed.diagnostics, ...ctx.diagnostics];
  return document;
}

const PARSED = Symbol('parsed source');

/** The source tree `readConfig` read the document from (absent when it refused the file, or after a worker round trip). */
export function parsedSourceOf(document: ConfigDocument): ParsedSource | undefined {
  return (document as unknown as Record<symbol, ParsedSource | undefined>)[PARSED];
}

/**
 * Reads one config file (Model Zoo YAML in either layout, Hugging Face config.json, or a cluster
 * file) into a normalised document. `file` is the absolute path; it decides JSON versus YAML,
 * recognises `*.cluster.yaml`, and anchors the cluster reference comment.
 */
export function readConfig(file: string, text: string, options: HfReadOptions = {}): ConfigDocument {
  try {
    return readUnsafe(String(file ?? ''), typeof text === 'string' ? text : '', options);
  } catch (error) {
    // A bug in a reader must not take the language server down; it shows as a diagnostic.
    const message = error instanceof Error ? error.message : String(error);
    return empty(String(file ?? ''), [
      { severity: 'error', code: 'internal-error', message: `WaferScope could not read this file: ${message}`, range: START },
    ]);
  }
}
