/**
 * A seeded fuzz of the language server through the real protocol: mutated configs (real Model Zoo,
 * Hugging Face and cluster files, cut, spliced, flooded, nested, with every line-end style and
 * hostile references) are opened and changed as an editor would, and every feature is asked about
 * them. It counts what issue 12 forbids: crashes, hangs, unanswered and slow (>1 s) requests,
 * internal errors, ranges outside the document, more diagnostics than the cap, and the server's RSS.
 *
 * The same engine runs a few thousand documents in the protocol tier and 100,000 in `npm run fuzz`.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient, fileUri } from '../protocol/lspClient';

export interface FuzzOptions {
  seed: number;
  documents: number;
  /** Servers fuzzed side by side (each its own process and random stream); default 1. */
  concurrency?: number;
  /** Number of the first lane (its random stream), to replay one lane of an earlier run alone. */
  firstLane?: number;
  /** Progress every this many documents (0: silent). */
  progressEvery?: number;
  log?: (line: string) => void;
}

export interface FuzzReport {
  seed: number;
  documents: number;
  crashes: number;
  /** Documents whose diagnostics never came (the server stopped answering; it is restarted). */
  hangs: number;
  /** Requests that got no answer within the hang timeout. */
  unanswered: number;
  /** Requests and diagnostics that took more than SLOW_MS. */
  over1s: number;
  /**
   * Those of them that were also slower than LOAD_FACTOR times a reference analysis timed in the same
   * lane shortly before (the 1T example grown to REFERENCE_CHARS, scaled by the document's size):
   * slow for this server, not only for a loaded machine.
   */
  slow: number;
  /** Error responses other than InvalidParams, `internal-error` diagnostics, and handler failures in the log. */
  internalErrors: number;
  /** Diagnostic ranges outside the document by LSP line rules. */
  rangesOutside: number;
  /** Documents with more diagnostics than the cap. */
  floods: number;
  /** Highest resident set of the server process (VmHWM), MB; undefined where /proc is not available. */
  peakRssMb?: number;
  /** A few examples of each problem, to reproduce them. */
  examples: string[];
  seconds: number;
}

export const SLOW_MS = 1000;
/** How much slower than the reference analysis, timed in the same run, a request may be. */
const LOAD_FACTOR = 4;
/** The reference's size: about what the mutations grow a document to. */
const REFERENCE_LINES = 4000;
/** Re-time the reference analysis this often (documents per lane): the machine's load changes. */
const CALIBRATE_EVERY = 100;
/** A request not answered in this long is a hang (a loaded 2-core machine answers in milliseconds). */
const HANG_MS = 15000;
const MAX_DIAGNOSTICS = 500;
const INVALID_PARAMS = -32602;
const WORKSPACE = 'test/workspace/fuzz';

/** xorshift32: small, fast and the same on every machine. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x100000000;
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

interface Seed {
  name: string;
  text: string;
}

function seedsIn(dir: string, out: Seed[]): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) seedsIn(path, out);
    else if (/\.(ya?ml|json)$/.test(name) && statSync(path).size < 200_000) out.push({ name, text: readFileSync(path, 'utf8') });
  }
}

/** The real configs of the repository: examples and test fixtures. */
export function loadSeeds(): Seed[] {
  const seeds: Seed[] = [];
  for (const dir of ['examples', 'test/data/modelzoo', 'test/data/hf']) seedsIn(dir, seeds);
  return seeds;
}

const SNIPPETS = [
  '{', '}', '[', ']', ': ', ':', '- ', '&a ', '*a', '<<: *a\n', '"', "'", '#', '\t', '\r', '\r\n', '\n', '\u0000', '\u0007',
  '\u2028', '\ufeff', '\ud800', '😀', '1e308', '-1', '0', '.inf', '.nan', 'NaN', '1.0e+15', '99999999999999999999', 'null', '~',
  'yes', '? ', '|\n', '>-\n', '!!binary ', '!!python/object:os.system ', '%YAML 1.2\n', '---\n', '...\n', '@', '`', ',',
  'hidden_size: ', 'num_hidden_layers: 10000', 'micro_batch_size: auto', 'capacity: 1 ZB', 'pe_grid_width: 1.0e+8',
  '# waferscope: cluster=/dev/zero\n', '# waferscope: cluster=../../../../etc/passwd\n', '# waferscope: cluster=small-12tb.cluster.yaml\n',
  '# waferscope: cluster=\n', 'cluster:\n  memoryx:\n    capacity: 55 TB\n',
];

/** One mutation of `text`; several are chained per document. */
function mutate(text: string, random: Random): string {
  const at = random.int(text.length + 1);
  switch (random.int(12)) {
    case 0: // flip a character
      return text.slice(0, at) + String.fromCharCode(random.int(0x80)) + text.slice(at + 1);
    case 1: // insert a snippet
      return text.slice(0, at) + random.pick(SNIPPETS) + text.slice(at);
    case 2: {
      // delete a range
      const length = random.int(200);
      return text.slice(0, at) + text.slice(at + length);
    }
    case 3: {
      // duplicate a range
      const length = random.int(400);
      return text.slice(0, at) + text.slice(at, at + length).repeat(1 + random.int(5)) + text.slice(at);
    }
    case 4: // truncate
      return text.slice(0, at);
    case 5: // line ends
      return text.replace(/\r?\n/g, random.pick(['\r', '\r\n', '\n', '\n\r']));
    case 6: {
      // indentation shift of one line
      const lines = text.split('\n');
      const line = random.int(lines.length);
      lines[line] = ' '.repeat(random.int(12)) + (lines[line] ?? '');
      return lines.join('\n');
    }
    case 7: // numbers changed
      return text.replace(/\d+/, () => random.pick(['0', '-3', '1e300', '7.5', String(random.int(1e9)), '0x10']));
    case 8: // nesting
      return text.slice(0, at) + '['.repeat(random.int(300)) + text.slice(at);
    case 9: {
      // a flood of one key
      const count = random.int(3000);
      return text + '\n' + 'dup: 1\n'.repeat(count);
    }
    case 10: // a long run of spaces
      return text.slice(0, at) + ' '.repeat(random.int(20000)) + text.slice(at);
    default: {
      // swap two lines
      const lines = text.split('\n');
      const a = random.int(lines.length);
      const b = random.int(lines.length);
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return lines.join('\n');
    }
  }
}

/** Line lengths by the LSP's rules (\r\n, \r and \n end a line). */
export function lspLineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((line) => line.length);
}

export function rangeInside(range: Diagnostic['range'], lines: number[]): boolean {
  for (const position of [range.start, range.end]) {
    if (position.line < 0 || position.line >= lines.length) return false;
    if (position.character < 0 || position.character > lines[position.line]!) return false;
  }
  return true;
}

/** VmHWM (peak resident set) of a process, MB, from /proc; undefined elsewhere. */
export function peakRssMb(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

const EXTENSIONS = ['.yaml', '.yaml', '.yaml', '.json', '.cluster.yaml', '.yml', '.jsonc'];

type Outcome = { ok: true; ms: number; value: unknown } | { ok: false; ms: number; error: unknown; timedOut: boolean };

function timed(promise: Promise<unknown>): Promise<Outcome> {
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, ms: Date.now() - started, error: new Error('no answer'), timedOut: true }), HANG_MS);
  });
  const answered = promise.then(
    (value): Outcome => ({ ok: true, ms: Date.now() - started, value }),
    (error: unknown): Outcome => ({ ok: false, ms: Date.now() - started, error, timedOut: false }),
  );
  return Promise.race([answered, timeout]).finally(() => clearTimeout(timer));
}

/** Runs the fuzz; resolves with the counts (the caller decides what fails). */
export async function fuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const seeds = loadSeeds();
  const report: FuzzReport = {
    seed: options.seed,
    documents: 0,
    crashes: 0,
    hangs: 0,
    unanswered: 0,
    over1s: 0,
    slow: 0,
    internalErrors: 0,
    rangesOutside: 0,
    floods: 0,
    examples: [],
    seconds: 0,
  };
  const note = (kind: string, detail: string) => {
    if (report.examples.length < 20) report.examples.push(`${kind}: ${detail}`);
  };
  const lanes = Math.max(1, Math.min(options.concurrency ?? 1, options.documents));
  const share = (lane: number) => Math.floor(options.documents / lanes) + (lane < options.documents % lanes ? 1 : 0);
  const first = options.firstLane ?? 0;
  await Promise.all(Array.from({ length: lanes }, (_, lane) => fuzzLane(options, first + lane, share(lane), seeds, report, note, started)));
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

/** One server process and one random stream (seed + lane), `documents` documents. */
async function fuzzLane(
  options: FuzzOptions,
  lane: number,
  documents: number,
  seeds: Seed[],
  report: FuzzReport,
  note: (kind: string, detail: string) => void,
  started: number,
): Promise<void> {
  const random = new Random(options.seed + lane * 0x9e3779b1);
  /** Errors the server logged (window/logMessage type 1): a handler that threw and was caught is still a bug. */
  const logged: string[] = [];
  const start = async () => {
    const started = await LspTestClient.start({ initializationOptions: { debounceMs: 0 }, settings: { waferscope: {} } });
    started.onNotification<{ type: number; message: string }>('window/logMessage', (params) => {
      if (params.type === 1) logged.push(params.message);
    });
    return started;
  };
  let client = await start();
  let shown = report.examples.length;
  const open = new Map<string, number>();
  const notePeak = () => {
    const rss = peakRssMb(client.server.pid);
    if (rss !== undefined) report.peakRssMb = Math.max(report.peakRssMb ?? 0, rss);
  };
  const restart = async () => {
    notePeak();
    client.dispose();
    client = await start();
    open.clear();
  };
  // The reference: the shipped 1T example (one full simulation), timed now and then in this lane.
  const reference = `${readFileSync('examples/1t/gpt-1t.yaml', 'utf8')}\nextra:\n${Array.from({ length: REFERENCE_LINES }, (_, i) => `  key_${i}: ${i}\n`).join('')}`;
  const referenceUri = fileUri(`${WORKSPACE}/lane${lane}/reference.yaml`);
  let referenceMs = 0;
  const calibrate = async () => {
    const started = Date.now();
    const version = client.diagnostics.has(referenceUri) ? await client.change(referenceUri, `${reference}\n# ${started}\n`) : await client.open(referenceUri, 'yaml', reference);
    await client.waitForDiagnostics(referenceUri, (_d, params) => params.version === version, HANG_MS);
    referenceMs = Date.now() - started;
    if (process.env.WAFERSCOPE_FUZZ_DEBUG) options.log?.(`lane ${lane}: reference analysis ${referenceMs} ms`);
  };
  /**
   * Counts a time over SLOW_MS. Slow when also far over the reference (a loaded machine slows
   * both) and again so when repeated right after a fresh reference: a moment of load on a shared
   * machine is not the server's fault, a document that is slow every time is.
   */
  const timing = async (ms: number, what: string, chars: number, repeat: () => Promise<number>) => {
    if (ms <= SLOW_MS) return;
    report.over1s++;
    const tooSlow = (t: number) => t > SLOW_MS && t > LOAD_FACTOR * referenceMs * Math.max(1, chars / reference.length);
    if (!tooSlow(ms)) return;
    await calibrate();
    const again = await repeat();
    if (tooSlow(again)) {
      report.slow++;
      note('slow', `${what}: ${ms} ms, again ${again} ms (reference analysis ${referenceMs} ms)`);
    }
  };

  try {
    for (let n = 0; n < documents; n++) {
      if (n % CALIBRATE_EVERY === 0) await calibrate();
      const seed = random.pick(seeds);
      let text = seed.text;
      const mutations = 1 + random.int(6);
      for (let m = 0; m < mutations; m++) text = mutate(text, random);
      // A few dozen open documents, reopened and changed: versions, closes and cross-file updates.
      const slot = random.int(24);
      const uri = fileUri(`${WORKSPACE}/lane${lane}/doc${slot}${random.pick(EXTENSIONS)}`);
      let version: number;
      const existing = [...open.keys()].find((u) => u.includes(`/doc${slot}.`));
      if (existing && existing !== uri) {
        await client.close(existing);
        open.delete(existing);
      }
      if (open.has(uri) && random.int(4) > 0) {
        version = await client.change(uri, text);
      } else {
        if (open.has(uri)) await client.close(uri);
        // A reopened document starts at version 1 again: the previous life's diagnostics must not match.
        client.diagnostics.delete(uri);
        version = await client.open(uri, uri.endsWith('json') || uri.endsWith('jsonc') ? 'json' : 'yaml', text);
      }
      open.set(uri, version);
      report.documents++;

      if (client.server.exitCode !== null || client.server.signalCode !== null) {
        report.crashes++;
        note('crash', `document ${n} (${seed.name}): ${client.stderr.slice(-500)}`);
        await restart();
        continue;
      }
      const published = await timed(client.waitForDiagnostics(uri, (_d, params) => params.version === version, HANG_MS));
      if (!published.ok) {
        if (client.server.exitCode !== null || client.server.signalCode !== null) {
          report.crashes++;
          note('crash', `document ${n} (${seed.name}): ${client.stderr.slice(-500)}`);
        } else {
          report.hangs++;
          note('hang', `document ${n} (${seed.name}), ${text.length} characters`);
        }
        await restart();
        continue;
      }
      await timing(published.ms, `diagnostics of document ${n} (lane ${lane}, ${seed.name}, ${text.length} characters)`, text.length, async () => {
        const started = Date.now();
        const again = await client.change(uri, text);
        open.set(uri, again);
        await client.waitForDiagnostics(uri, (_d, params) => params.version === again, HANG_MS).catch(() => undefined);
        return Date.now() - started;
      });
      // WAFERSCOPE_FUZZ_KEEP=<dir>: slow documents are written there, to reproduce outside the fuzz.
      if (published.ms > SLOW_MS && process.env.WAFERSCOPE_FUZZ_KEEP) {
        writeFileSync(join(process.env.WAFERSCOPE_FUZZ_KEEP, `lane${lane}-doc${n}${uri.slice(uri.lastIndexOf('.'))}`), text);
      }
      const diagnostics = published.value as Diagnostic[];
      const lines = lspLineLengths(text);
      if (diagnostics.length > MAX_DIAGNOSTICS) {
        report.floods++;
        note('flood', `${diagnostics.length} diagnostics, document ${n}`);
      }
      for (const d of diagnostics) {
        if (!rangeInside(d.range, lines)) {
          report.rangesOutside++;
          note('range outside', `${JSON.stringify(d.range)} in document ${n} (${seed.name}) of ${lines.length} lines: ${d.message}`);
        }
        if (d.code === 'internal-error') {
          report.internalErrors++;
          note('internal-error diagnostic', `${d.message} (document ${n}, ${seed.name})`);
        }
      }

      const line = random.int(lines.length + 2);
      const position = { line, character: random.int((lines[line] ?? 10) + 3) };
      const requests: [string, unknown][] = [
        ['textDocument/hover', { textDocument: { uri }, position }],
        ['textDocument/completion', { textDocument: { uri }, position }],
        ['textDocument/codeLens', { textDocument: { uri } }],
        ['textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } } }],
        ['textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0]?.range ?? { start: position, end: position }, context: { diagnostics: diagnostics.slice(0, 3) } }],
      ];
      if (random.int(8) === 0) requests.push(['waferscope/heatmap', { uri, layer: random.pick([0, 1, 3, -1, 1e12, 'x', null]) }]);
      if (random.int(8) === 0) requests.push(['waferscope/timeline', { uri, systems: random.pick([1, 2, 16, 0, 1e9, null]) }]);
      if (random.int(16) === 0) requests.push(['waferscope/runSimulation', random.pick([{ uri }, null, { uri: 7 }])]);
      for (const [method, params] of requests) {
        const outcome = await timed(client.request(method, params));
        if (!outcome.ok && outcome.timedOut) {
          report.unanswered++;
          note('unanswered', `${method} on document ${n}`);
          continue;
        }
        await timing(outcome.ms, `${method} on document ${n} (lane ${lane}, ${text.length} characters)`, text.length, async () => (await timed(client.request(method, params))).ms);
        if (!outcome.ok && (outcome.error as { code?: number }).code !== INVALID_PARAMS) {
          report.internalErrors++;
          note('error response', `${method}: ${String((outcome.error as Error).message)} (document ${n})`);
        }
      }
      for (const message of logged.splice(0)) {
        report.internalErrors++;
        note('logged error', `${message.slice(0, 300)} (document ${n}, ${seed.name})`);
      }
      if (options.progressEvery && report.documents % options.progressEvery === 0) {
        const rss = peakRssMb(client.server.pid);
        options.log?.(`${report.documents} documents, ${Math.round((Date.now() - started) / 1000)} s, peak RSS ${rss?.toFixed(0) ?? 'n/a'} MB (lane ${lane}), problems so far: ${JSON.stringify({ ...report, examples: undefined })}`);
        for (const example of report.examples.slice(shown)) options.log?.(`  ${example}`);
        shown = report.examples.length;
      }
    }
  } finally {
    notePeak();
    client.dispose();
  }
}
