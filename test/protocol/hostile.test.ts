/**
 * Issue 12, finding by finding, through the real protocol and the CLI, each from a minimal input:
 * the hostile document gets its first diagnostic in under 2 s, another open document is answered
 * within 200 ms meanwhile, and the server's peak resident set stays under 500 MB. These are bounds
 * on hangs (seconds, not milliseconds, were the failures), not speed targets.
 *
 * On a loaded machine everything is slower, hostile or not: the two time bounds are stretched by
 * how much slower than IDLE_ANALYSIS_MS an ordinary config's analysis runs, measured in the same
 * test just before (never shrunk below the issue's bounds).
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import type { HeatmapPayload, ResultNotification } from '../../protocol/index';
import { lspLineLengths, peakRssMb, rangeInside } from '../fuzz/engine';
import { LspTestClient } from './lspClient';

const MODEL = readFileSync('examples/1t/gpt-1t.yaml', 'utf8');
const SMALL_MODEL = readFileSync('test/data/modelzoo/current/gpt3__params_gpt3_xl.yaml', 'utf8');
const SECRET = 'ghp_SECRET0123456789abcdef';
const INVALID_PARAMS = -32602;
const FIRST_DIAGNOSTIC_MS = 2000;
const OTHER_DOCUMENT_MS = 200;
const RSS_MB = 500;
/** Assumption: an ordinary Model Zoo config (GPT-3 XL) is analysed and published in this long on an idle machine. */
const IDLE_ANALYSIS_MS = 60;
const unix = process.platform !== 'win32';

let root: string;
let workspace: string;
let outside: string;

const uriOf = (path: string) => pathToFileURL(path).href;
const inWorkspace = (name: string) => join(workspace, name);

async function start(settings: Record<string, unknown> = {}, trusted = false): Promise<LspTestClient> {
  return LspTestClient.start({
    rootPath: workspace,
    initializationOptions: { debounceMs: 0, workspaceTrusted: trusted },
    settings: { waferscope: settings },
  });
}

interface Probe {
  firstDiagnosticMs: number;
  otherDocumentMs: number;
  diagnostics: Diagnostic[];
  /** How much slower than idle this machine analyses an ordinary config right now (at least 1). */
  load: number;
}

/** Median time of three analyses of an ordinary config, in this server, now. */
async function ordinaryAnalysisMs(client: LspTestClient, uri: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = Date.now();
    const version = await client.change(uri, `${SMALL_MODEL}# ${i}\n`);
    await client.waitForDiagnostics(uri, (_d, params) => params.version === version);
    times.push(Date.now() - started);
  }
  return times.sort((a, b) => a - b)[1]!;
}

/**
 * Opens `text` as `name` while another document stays open, and measures: how long its first
 * diagnostics take, and how long the other document's hover waits behind it.
 */
async function openHostile(client: LspTestClient, name: string, text: string, language = 'yaml'): Promise<Probe> {
  const other = uriOf(inWorkspace(`other-${name}.yaml`));
  if (!client.results.has(other)) {
    await client.open(other, 'yaml', SMALL_MODEL);
    await client.waitForResult(other);
  }
  const load = Math.max(1, (await ordinaryAnalysisMs(client, other)) / IDLE_ANALYSIS_MS);
  const uri = uriOf(inWorkspace(name));
  const started = Date.now();
  await client.open(uri, language, text);
  const asked = Date.now();
  await client.request('textDocument/hover', { textDocument: { uri: other }, position: { line: 1, character: 2 } });
  const otherDocumentMs = Date.now() - asked;
  const diagnostics = await client.waitForDiagnostics(uri, (_d, params) => params.version === 1, 20000);
  return { firstDiagnosticMs: Date.now() - started, otherDocumentMs, diagnostics, load };
}

/**
 * The bounds. `sameSizeMs`: for a document large enough for the worker (100,000 lines take the
 * YAML library over a second on an idle machine), the first diagnostic of a benign document of
 * the same size, measured in the same run: the hostile one may not cost more than half again.
 */
function assertBounds(client: LspTestClient, probe: Probe, sameSizeMs?: number): void {
  const load = `(machine load factor ${probe.load.toFixed(1)}${sameSizeMs === undefined ? '' : `, benign document of the same size ${sameSizeMs} ms`})`;
  const firstBound = Math.max(FIRST_DIAGNOSTIC_MS * probe.load, sameSizeMs === undefined ? 0 : 1.5 * sameSizeMs);
  assert.ok(probe.firstDiagnosticMs < firstBound, `first diagnostic after ${probe.firstDiagnosticMs} ms ${load}`);
  assert.ok(probe.otherDocumentMs < OTHER_DOCUMENT_MS * probe.load, `another document waited ${probe.otherDocumentMs} ms ${load}`);
  const rss = peakRssMb(client.server.pid);
  if (rss !== undefined) assert.ok(rss < RSS_MB, `server peak RSS ${rss.toFixed(0)} MB`);
}

/** The CLI, with a 400 MB heap: a flood that needed 2.1 GB would end it with an out-of-memory abort. */
function cli(cwd: string, ...args: string[]): { code: number | null; out: string } {
  const run = spawnSync(process.execPath, ['--max-old-space-size=400', resolve('dist/cli.js'), ...args], { cwd, encoding: 'utf8', timeout: 20000 });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

const cannotRead = (diagnostics: Diagnostic[]) => diagnostics.find((d) => d.code === 'cluster-not-found');

describe('hostile input through the protocol (issue 12)', function () {
  this.timeout(60000);
  let client: LspTestClient | undefined;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'waferscope-hostile-'));
    workspace = join(root, 'ws');
    outside = join(root, 'outside');
    mkdirSync(workspace);
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.cluster.yaml'), `cluster:\n  system: ${SECRET}\n  memoryx:\n    capacity: 12 TB\n`);
    writeFileSync(join(outside, 'tiny.cluster.yaml'), 'cluster:\n  name: tiny\n  memoryx:\n    capacity: 1 TB\n');
    if (unix) execFileSync('mkfifo', [inWorkspace('x.cluster.yaml')]);
  });

  after(() => rmSync(root, { recursive: true, force: true }));
  afterEach(() => client?.dispose());

  it('1. a FIFO named by the comment, by the setting, or from a large document: no hang', async function () {
    if (!unix) this.skip();
    client = await start({ cluster: 'x.cluster.yaml' });
    const byComment = await openHostile(client, 'fifo-comment.yaml', `# waferscope: cluster=./x.cluster.yaml\n${SMALL_MODEL}`);
    assert.ok(cannotRead(byComment.diagnostics), JSON.stringify(byComment.diagnostics));
    assertBounds(client, byComment);
    const bySetting = await openHostile(client, 'fifo-setting.yaml', SMALL_MODEL);
    assert.ok(cannotRead(bySetting.diagnostics), JSON.stringify(bySetting.diagnostics));
    assertBounds(client, bySetting);
    // Past 32 k characters the worker analyses; it must not block on the FIFO either.
    const padding = `\n${'# padding\n'.repeat(30000)}`;
    const large = await openHostile(client, 'fifo-large.yaml', `# waferscope: cluster=./x.cluster.yaml\n${SMALL_MODEL}${padding}`);
    assert.ok(cannotRead(large.diagnostics));
    const next = await openHostile(client, 'large-after.yaml', `${SMALL_MODEL}${padding}`);
    assert.ok(next.firstDiagnosticMs < FIRST_DIAGNOSTIC_MS * next.load, `the next large document waited ${next.firstDiagnosticMs} ms`);
    // The CLI, run in the workspace, does not hang on the FIFO either (spawnSync's timeout would fail it).
    writeFileSync(inWorkspace('fifo-cli.yaml'), `# waferscope: cluster=./x.cluster.yaml\n${SMALL_MODEL}`);
    const run = cli(workspace, 'report', 'fifo-cli.yaml');
    assert.equal(run.code, 1, run.out);
    assert.match(run.out, /cannot be read/);
  });

  it('2. /dev/zero, /dev/urandom and /dev/full as the (trusted, absolute) setting: refused, not read', async function () {
    if (!unix) this.skip();
    for (const device of ['/dev/zero', '/dev/urandom', '/dev/full']) {
      client = await start({ cluster: device }, true);
      const probe = await openHostile(client, 'device.yaml', SMALL_MODEL);
      assert.ok(cannotRead(probe.diagnostics), `${device}: ${JSON.stringify(probe.diagnostics)}`);
      assertBounds(client, probe);
      client.dispose();
    }
    const run = cli(workspace, 'report', '/dev/zero');
    assert.equal(run.code, 2);
    assert.match(run.out, /not a regular file/);
  });

  it('3. files outside the workspace: not read, the same message as a missing file, no text quoted, no fix edits them', async () => {
    client = await start();
    const present = await openHostile(client, 'outside.yaml', `# waferscope: cluster=../outside/secret.cluster.yaml\n${SMALL_MODEL}`);
    const absent = await openHostile(client, 'missing.yaml', `# waferscope: cluster=../outside/nothere.cluster.yaml\n${SMALL_MODEL}`);
    assertBounds(client, present);
    assert.equal(String(cannotRead(present.diagnostics)?.message).replace('secret', 'X'), String(cannotRead(absent.diagnostics)?.message).replace('nothere', 'X'));
    assert.doesNotMatch(JSON.stringify(present.diagnostics), /ghp_|SECRET/);
    client.dispose();

    // An absolute setting in an untrusted workspace is not read either; trusted, it is, but not quoted.
    client = await start({ cluster: join(outside, 'secret.cluster.yaml') }, false);
    const untrusted = await openHostile(client, 'untrusted.yaml', SMALL_MODEL);
    assert.ok(cannotRead(untrusted.diagnostics));
    client.dispose();
    client = await start({ cluster: join(outside, 'secret.cluster.yaml') }, true);
    const trusted = await openHostile(client, 'trusted.yaml', SMALL_MODEL);
    assert.match(JSON.stringify(trusted.diagnostics), /is not valid \(line 2/);
    assert.doesNotMatch(JSON.stringify(trusted.diagnostics), /ghp_|SECRET/);
    client.dispose();

    // The MemoryX fix would edit the cluster file: never one outside the workspace.
    client = await start({ cluster: join(outside, 'tiny.cluster.yaml') }, true);
    const uri = uriOf(inWorkspace('tiny.yaml'));
    await client.open(uri, 'yaml', MODEL);
    const diagnostics = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'memoryx-capacity'));
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostics[0]!.range,
      context: { diagnostics },
    });
    const edited = actions.flatMap((a) => Object.keys(a.edit?.changes ?? {}));
    assert.ok(!edited.some((target) => target.includes('/outside/')), JSON.stringify(edited));
    // Even when the client sends back data naming an outside file, no action edits it.
    const forged = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostics[0]!.range,
      context: {
        diagnostics: [{ ...diagnostics[0], source: 'waferscope', data: { fixes: [{ title: 'x', edits: [{ file: join(outside, 'tiny.cluster.yaml'), range: diagnostics[0]!.range, newText: 'pwned' }] }] } }],
      },
    });
    assert.deepEqual(forged, []);

    // The CLI in CI: a config from a pull request cannot copy an outside file into the log.
    writeFileSync(inWorkspace('pr.yaml'), `# waferscope: cluster=../outside/secret.cluster.yaml\n${SMALL_MODEL}`);
    const run = cli(workspace, 'report', 'pr.yaml');
    assert.doesNotMatch(run.out, /ghp_|SECRET/);
    assert.match(run.out, /cannot be read/);
    const explicit = cli(workspace, 'report', 'pr.yaml', '--json');
    assert.doesNotMatch(explicit.out, /ghp_|SECRET/);
  });

  it('4. floods: 100,000 duplicate keys and a flow-map typo give at most 500 diagnostics', async () => {
    client = await start();
    const benign = await openHostile(client, 'benign.yaml', `${SMALL_MODEL}extra:\n${Array.from({ length: 100_000 }, (_, i) => `  x${i}: 1\n`).join('')}`);
    const duplicates = await openHostile(client, 'dups.yaml', `${SMALL_MODEL}${'x: 1\n'.repeat(100_000)}`);
    assert.ok(duplicates.diagnostics.length <= 500, `${duplicates.diagnostics.length} diagnostics`);
    assert.ok(duplicates.diagnostics.some((d) => /more duplicate keys/.test(String(d.message))), JSON.stringify(duplicates.diagnostics.slice(-2)));
    assertBounds(client, duplicates, benign.firstDiagnosticMs);
    const typo = `${SMALL_MODEL}oops: {a: [1, 2}\n${'k: v, '.repeat(11_000)}\n`;
    const small = await openHostile(client, 'typo.yaml', typo);
    assert.ok(small.diagnostics.length > 0 && small.diagnostics.length <= 500, `${small.diagnostics.length} diagnostics`);
    assertBounds(client, small);
    const big = `${SMALL_MODEL}oops: {a: [1, 2}\n${'k: v, '.repeat(250_000)}\n`;
    const large = await openHostile(client, 'typo-large.yaml', big);
    assert.ok(large.diagnostics.length <= 500);
    assertBounds(client, large, benign.firstDiagnosticMs);
    writeFileSync(inWorkspace('flood.yaml'), big);
    const run = cli(workspace, 'report', 'flood.yaml', '--json');
    assert.equal(run.code, 1, run.out.slice(-500));
    assert.ok(JSON.parse(run.out.slice(0, run.out.lastIndexOf('}') + 1)).diagnostics.length <= 500);
  });

  it('5. hover and completion on a 100,000-line file and on a 10 MB one do not parse it again', async () => {
    client = await start();
    const lines = `${SMALL_MODEL}  extra:\n${Array.from({ length: 100_000 }, (_, i) => `    key_${i}: ${i}`).join('\n')}\n`;
    const probe = await openHostile(client, 'long.yaml', lines);
    // This one is the benign document of its size: only the other document and the memory are bounded.
    assertBounds(client, probe, probe.firstDiagnosticMs + 1);
    const uri = uriOf(inWorkspace('long.yaml'));
    for (const method of ['textDocument/hover', 'textDocument/completion']) {
      const other = client.request('textDocument/hover', { textDocument: { uri: uriOf(inWorkspace('other-long.yaml.yaml')) }, position: { line: 1, character: 2 } });
      const started = Date.now();
      await client.request(method, { textDocument: { uri }, position: { line: 90_000, character: 6 } });
      await other;
      assert.ok(Date.now() - started < 1000 * probe.load, `${method} took ${Date.now() - started} ms`);
    }
    const huge = `${SMALL_MODEL}${'# filler line of a file far too large to be a config\n'.repeat(200_000)}`;
    const refused = await openHostile(client, 'huge.yaml', huge);
    assertBounds(client, refused);
    const started = Date.now();
    await client.request('textDocument/completion', { textDocument: { uri: uriOf(inWorkspace('huge.yaml')) }, position: { line: 100_000, character: 0 } });
    assert.ok(Date.now() - started < OTHER_DOCUMENT_MS * refused.load, `completion on 10 MB took ${Date.now() - started} ms`);
  });

  it('6. typing in a 2.8 MB file: superseded versions are dropped, the last one is answered soon', async () => {
    client = await start();
    const base = `${SMALL_MODEL}  extra:\n${Array.from({ length: 150_000 }, (_, i) => `    key_${i}: ${i}`).join('\n')}\n`;
    assert.ok(base.length > 2.5e6);
    const uri = uriOf(inWorkspace('typing.yaml'));
    const first = Date.now();
    await client.open(uri, 'yaml', base);
    await client.waitForResult(uri, (r) => r.version === 1, 30000);
    const oneAnalysisMs = Date.now() - first;
    const before = client.resultHistory.length;
    let version = 1;
    for (let keystroke = 0; keystroke < 10; keystroke++) {
      version = await client.change(uri, base.replace('key_5:', `key_5${'x'.repeat(keystroke + 1)}:`));
      await new Promise((r) => setTimeout(r, 200));
    }
    const typed = Date.now();
    await client.waitForResult(uri, (r) => r.version === version, 30000);
    const waited = Date.now() - typed;
    const analysed = client.resultHistory.slice(before).filter((r) => r.uri === uri).length;
    assert.ok(analysed <= 4, `${analysed} of 10 versions were analysed`);
    // At worst the version running at the last keystroke, then the last one.
    assert.ok(waited < 2.5 * oneAnalysisMs + 1000, `the last version came ${waited} ms after the last keystroke (one analysis: ${oneAnalysisMs} ms)`);
  });

  it('7. a long run of spaces or blank lines: completion and format detection in one pass', async () => {
    client = await start();
    const cases: [string, string][] = [
      ['spaces-40k.yaml', `trainer:\n  init:\n    note${' '.repeat(40_000)}x\n      `],
      ['spaces-144k.yaml', `trainer:\n  init:\n    note${' '.repeat(144_000)}x\n      `],
      // `/^\s*cluster\s*:/m` and `/^\s+memoryx\s*:/m` were quadratic in blank lines (40,000: 5 s).
      ['blank.yaml', `a: 1${'\n'.repeat(40_000)}\n      `],
      ['blank.cluster.yaml', `cluster:${'\n'.repeat(40_000)}x: [\n      `],
    ];
    for (const [name, text] of cases) {
      const probe = await openHostile(client, name, text);
      assertBounds(client, probe);
      const started = Date.now();
      const last = text.split('\n').length - 1;
      await client.request('textDocument/completion', { textDocument: { uri: uriOf(inWorkspace(name)) }, position: { line: last, character: 6 } });
      assert.ok(Date.now() - started < OTHER_DOCUMENT_MS * probe.load, `completion took ${Date.now() - started} ms`);
    }
  });

  it('8. YAML nested 900 deep and JSON 5,000 deep: a plain diagnostic, hover and completion answer', async () => {
    client = await start();
    let yaml = 'trainer:\n';
    for (let i = 1; i < 900; i++) yaml += `${'  '.repeat(i)}k${i}:\n`;
    const json = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    for (const [name, text, language] of [['deep.yaml', yaml, 'yaml'], ['config.json', json, 'json']] as const) {
      const probe = await openHostile(client, name, text, language);
      assert.deepEqual(probe.diagnostics.map((d) => d.code), ['too-deeply-nested'], name);
      assertBounds(client, probe);
      const uri = uriOf(inWorkspace(name));
      await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 400, character: 800 } });
      await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 2500 } });
    }
  });

  it('9. absurd sizes: a 100,000,000 x 1 PE grid and 10,000 layers are refused', async () => {
    client = await start();
    const cluster = 'cluster:\n  memoryx:\n    capacity: 55 TB\n  overrides:\n    pe_grid_width: 1.0e+8\n    pe_grid_height: 1\n';
    const clusterProbe = await openHostile(client, 'grid.cluster.yaml', cluster);
    assert.ok(clusterProbe.diagnostics.some((d) => d.code === 'out-of-range' && d.range.start.line === 4), JSON.stringify(clusterProbe.diagnostics));
    const model = `# waferscope: cluster=./grid.cluster.yaml\n${SMALL_MODEL}`;
    const probe = await openHostile(client, 'grid-model.yaml', model);
    assertBounds(client, probe);
    const started = Date.now();
    const heatmap = await client.request<HeatmapPayload | null>('waferscope/heatmap', { uri: uriOf(inWorkspace('grid-model.yaml')), layer: 1 });
    assert.ok(heatmap, 'a heatmap');
    assert.equal(heatmap.width, 762, 'the preset grid, not the override');
    assert.ok(Date.now() - started < 1000 * probe.load, `heatmap took ${Date.now() - started} ms`);
    const deep = await openHostile(client, 'layers.yaml', SMALL_MODEL.replace(/num_hidden_layers: \d+/, 'num_hidden_layers: 10000'));
    assert.ok(deep.diagnostics.some((d) => d.code === 'out-of-range'), JSON.stringify(deep.diagnostics));
    const result = client.results.get(uriOf(inWorkspace('layers.yaml'))) as ResultNotification;
    assert.ok(JSON.stringify(result).length < 1e6, `a ${JSON.stringify(result).length}-character result`);
  });

  it('10. line ends: CR-only and CRLF files read like LF ones, ranges stay on their lines, titles escape control characters', async () => {
    client = await start();
    const lf = await openHostile(client, 'lf.yaml', SMALL_MODEL.replace('batch_size:', 'batch_sise:'));
    const crText = SMALL_MODEL.replace('batch_size:', 'batch_sise:').replace(/\n/g, '\r');
    const cr = await openHostile(client, 'cr.yaml', crText);
    assert.deepEqual(cr.diagnostics.map((d) => [d.code, d.range]), lf.diagnostics.map((d) => [d.code, d.range]));
    assertBounds(client, cr);
    const crlfText = 'trainer:\r\n  init: {model: [1,\r\n  fit: x\r\n';
    const crlf = await openHostile(client, 'crlf.yaml', crlfText);
    assert.ok(crlf.diagnostics.length > 0);
    for (const d of crlf.diagnostics) assert.ok(rangeInside(d.range, lspLineLengths(crlfText)), JSON.stringify(d.range));
    const keyText = 'cluster:\n  "sys\\rtems": 2\n  memoryx:\n    capacity: 55 TB\n';
    const key = await openHostile(client, 'key.cluster.yaml', keyText);
    const uri = uriOf(inWorkspace('key.cluster.yaml'));
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: key.diagnostics[0]!.range, context: { diagnostics: key.diagnostics } });
    assert.ok(actions.length > 0, JSON.stringify(key.diagnostics));
     
    for (const action of actions) assert.doesNotMatch(action.title, /[\u0000-\u001f]/, action.title);
     
    for (const d of key.diagnostics) assert.doesNotMatch(String(d.message), /[\u0000-\u001f]/, String(d.message));
  });

  it('11. malformed requests get InvalidParams, and the server keeps serving', async () => {
    client = await start();
    const probe = await openHostile(client, 'valid.yaml', SMALL_MODEL);
    const uri = uriOf(inWorkspace('valid.yaml'));
    for (const [method, params] of [
      ['waferscope/heatmap', null],
      ['waferscope/runSimulation', null],
      ['waferscope/timeline', null],
      ['waferscope/heatmap', { uri, layer: 'x' }],
      ['waferscope/timeline', { uri, systems: -1 }],
      ['textDocument/hover', { textDocument: { uri }, position: null }],
      ['textDocument/codeLens', null],
      ['textDocument/completion', { textDocument: null, position: { line: 0, character: 0 } }],
    ] as const) {
      await assert.rejects(client.request(method, params), (error: { code?: number }) => error.code === INVALID_PARAMS, `${method} ${JSON.stringify(params)}`);
    }
    assertBounds(client, probe);
    const version = await client.change(uri, SMALL_MODEL.replace('batch_size:', 'batch_sise:'));
    await client.waitForDiagnostics(uri, (_d, params) => params.version === version);
  });
});
