/** Small helpers for the config tests: ranges computed from the text itself, fixture loading. */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ConfigDocument, CoreDiagnostic, Range } from '../../../language-server/core/types';

/** The zero-based range of the `occurrence`-th appearance of `needle` in `text`. */
export function rangeOfText(text: string, needle: string, occurrence = 0): Range {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at === -1) throw new Error(`'${needle}' (occurrence ${occurrence}) not in text`);
  }
  return { start: positionAt(text, at), end: positionAt(text, at + needle.length) };
}

export function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

export function codes(doc: ConfigDocument): string[] {
  return doc.diagnostics.map((d) => d.code);
}

export function only(doc: ConfigDocument, code: string): CoreDiagnostic {
  const found = doc.diagnostics.filter((d) => d.code === code);
  if (found.length !== 1) {
    throw new Error(`expected exactly one '${code}', got ${JSON.stringify(doc.diagnostics, null, 1)}`);
  }
  return found[0]!;
}

export function errors(doc: ConfigDocument): CoreDiagnostic[] {
  return doc.diagnostics.filter((d) => d.severity === 'error');
}

export const DATA = 'test/data';

export interface Fixture {
  /** Path relative to the repository root. */
  path: string;
  /** Absolute path, as an editor would pass it. */
  absolute: string;
  text: string;
}

/** Every config fixture under test/data (not the expected-count tables). */
export function allFixtures(): Fixture[] {
  const out: Fixture[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, name.name);
      if (name.isDirectory()) walk(path);
      else if (/\.(ya?ml|json)$/.test(name.name) && !/expected-parameters|measured-activations|^expected\.json$/.test(name.name)) {
        out.push({ path, absolute: resolve(path), text: readFileSync(path, 'utf8') });
      }
    }
  };
  walk(DATA);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

export function fixture(path: string): Fixture {
  return { path, absolute: resolve(path), text: readFileSync(path, 'utf8') };
}

/** The range of the first `needle` after the first `anchor` (e.g. a value after its key). */
export function rangeAfter(text: string, anchor: string, needle: string): Range {
  const from = text.indexOf(anchor);
  if (from === -1) throw new Error(`'${anchor}' not in text`);
  const at = text.indexOf(needle, from + anchor.length);
  if (at === -1) throw new Error(`'${needle}' not after '${anchor}'`);
  return { start: positionAt(text, at), end: positionAt(text, at + needle.length) };
}

/** The smallest trainer-layout model config (GPT-2 small shape), for tests about something else. */
export const SMALL_TRAINER_MODEL = `trainer:
  init:
    model:
      name: gpt3
      hidden_size: 768
      num_hidden_layers: 12
      num_heads: 12
      filter_size: 3072
      vocab_size: 50257
  fit:
    train_dataloader:
      batch_size: 16
`;
