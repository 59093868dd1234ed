/**
 * Every language feature of the server, through the real protocol: diagnostics with their ranges
 * and codes, quick fixes that make their diagnostic go away, hover text, completion items, code
 * lens commands, inlay hints, cross-file updates, live settings and the panel's custom requests.
 * The server runs with no debounce so each wait is on a published result, never on a sleep.
 */
import * as assert from '../unit/plainAssert';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type CodeAction,
  type CodeLens,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type Hover,
  type InlayHint,
  type MarkupContent,
} from 'vscode-languageserver-protocol';
import type { HeatmapPayload, RunSimulationResult, TimelinePayload } from '../../protocol/index';
import { LspTestClient, applyEdits, fileUri } from './lspClient';
import { URI } from 'vscode-uri';

const MODEL_PATH = 'examples/1t/gpt-1t.yaml';
const MODEL_TEXT = readFileSync(MODEL_PATH, 'utf8');
const SMALL_CLUSTER = 'examples/1t/small-12tb.cluster.yaml';
const SMALL_CLUSTER_TEXT = readFileSync(SMALL_CLUSTER, 'utf8');
/** A model config beside the example, so its relative cluster reference resolves to the real file. */
const MODEL_URI = fileUri('examples/1t/under-test.yaml');
const CLUSTER_URI = fileUri(SMALL_CLUSTER);

function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  assert.ok(index >= 0, `text lost its "${needle}" line`);
  return index;
}

function withMicroBatch(text: string, value: string): string {
  return text.replace(/csx\.performance\.micro_batch_size: auto/, `csx.performance.micro_batch_size: ${value}`);
}

function pointingAt(text: string, cluster: string): string {
  return `# waferscope: cluster=${cluster}\n${text}`;
}

function markdown(hover: Hover | null): string {
  assert.ok(hover, 'no hover');
  return (hover.contents as MarkupContent).value;
}

function codes(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => String(d.code));
}

describe('language features over the protocol', function () {
  this.timeout(30000);
  let client: LspTestClient;

  beforeEach(async () => {
    client = await LspTestClient.start({ initializationOptions: { debounceMs: 0 }, settings: { waferscope: {} } });
  });

  afterEach(() => client.dispose());

  it('reports MemoryX capacity on a 12 TB cluster, and its quick fix edits the cluster file until it fits', async () => {
    const text = pointingAt(MODEL_TEXT, 'small-12tb.cluster.yaml');
    await client.open(MODEL_URI, 'yaml', text);
    const diagnostics = await client.waitForDiagnostics(MODEL_URI, (d) => codes(d).includes('memoryx-capacity'));
    const error = diagnostics.find((d) => d.code === 'memoryx-capacity')!;
    assert.equal(error.severity, 1);
    // On the first key that drives the model state, with the others (and the cluster's value) as related information.
    assert.equal(error.range.start.line, lineOf(text, 'num_hidden_layers:'), 'on num_hidden_layers');
    const related = (error.relatedInformation ?? []).map((r) => [r.location.uri, r.location.range.start.line]);
    assert.ok(related.some(([uri, line]) => uri === MODEL_URI && line === lineOf(text, 'hidden_size:')), `related: ${JSON.stringify(related)}`);
    assert.ok(related.some(([uri]) => uri === CLUSTER_URI), 'the cluster file\'s capacity is related');
    // The link names the shipped reference page and the code's entry in it (both must exist).
    const link = URI.parse(error.codeDescription?.href ?? '');
    assert.equal(link.scheme, 'file');
    assert.equal(link.fragment, 'memoryx-capacity');
    assert.match(readFileSync(link.fsPath, 'utf8'), /^## memoryx-capacity$/m);

    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: MODEL_URI },
      range: error.range,
      context: { diagnostics: [error] },
    });
    const fix = actions.find((a) => a.diagnostics?.some((d) => d.code === 'memoryx-capacity'));
    assert.ok(fix?.edit?.changes, 'a quick fix with an edit');
    const edits = fix.edit.changes[CLUSTER_URI];
    assert.ok(edits?.length, `the fix edits the cluster file (got ${Object.keys(fix.edit.changes).join(', ')})`);

    // The cluster file is open in the editor: editing it re-diagnoses the model (cross-file).
    await client.open(CLUSTER_URI, 'yaml', SMALL_CLUSTER_TEXT);
    const clusterDiagnostics = await client.waitForDiagnostics(CLUSTER_URI, (d) => codes(d).includes('memoryx-capacity'));
    assert.equal(
      clusterDiagnostics.find((d) => d.code === 'memoryx-capacity')!.range.start.line,
      lineOf(SMALL_CLUSTER_TEXT, 'capacity:'),
      'the cluster file shows the error on memoryx.capacity too',
    );
    await client.change(CLUSTER_URI, applyEdits(SMALL_CLUSTER_TEXT, edits));
    await client.waitForDiagnostics(MODEL_URI, (d) => !codes(d).includes('memoryx-capacity'));
    await client.waitForDiagnostics(CLUSTER_URI, (d) => !codes(d).includes('memoryx-capacity'));
  });

  it('puts wafer-sram on micro_batch_size, names the largest that fits, and the fix removes it', async () => {
    const text = withMicroBatch(MODEL_TEXT, '4096');
    await client.open(MODEL_URI, 'yaml', text);
    const diagnostics = await client.waitForDiagnostics(MODEL_URI, (d) => codes(d).includes('wafer-sram'));
    const error = diagnostics.find((d) => d.code === 'wafer-sram')!;
    assert.equal(error.range.start.line, lineOf(text, 'micro_batch_size: 4096'));
    const result = await client.waitForResult(MODEL_URI);
    const largest = result.report?.wafer?.largestFittingMicroBatch;
    assert.ok(largest && largest > 0 && largest < 4096);
    assert.match(typeof error.message === 'string' ? error.message : error.message.value, new RegExp(`\\b${largest}\\b`), 'the message names the largest micro-batch that fits');

    const [fix] = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: MODEL_URI },
      range: error.range,
      context: { diagnostics: [error] },
    });
    const edits = fix?.edit?.changes?.[MODEL_URI];
    assert.ok(edits?.length === 1);
    // The fix may pick a smaller micro-batch than the largest that fits, to divide the batch evenly.
    const proposed = Number(edits[0].newText);
    assert.ok(Number.isInteger(proposed) && proposed >= 1 && proposed <= largest, `fix proposes ${edits[0].newText}`);
    const fixed = applyEdits(text, edits);
    assert.match(fixed, new RegExp(`micro_batch_size: ${proposed}\\b`));
    const version = await client.change(MODEL_URI, fixed);
    const after = await client.waitForDiagnostics(MODEL_URI, (_d, params) => params.version === version);
    assert.ok(!codes(after).includes('wafer-sram'), `still: ${JSON.stringify(after)}`);
    assert.ok(!codes(after).includes('wafer-headroom'), 'the first fix keeps the headroom margin too');
  });

  it('flags num_csx above the systems of the cluster and fixes it to what the cluster has', async () => {
    const text = MODEL_TEXT.replace('      backend_type: CSX', '      backend_type: CSX\n      cluster_config:\n        num_csx: 32');
    await client.open(MODEL_URI, 'yaml', text);
    const diagnostics = await client.waitForDiagnostics(MODEL_URI, (d) => codes(d).includes('num-csx-exceeds-cluster'));
    const error = diagnostics.find((d) => d.code === 'num-csx-exceeds-cluster')!;
    assert.equal(error.range.start.line, lineOf(text, 'num_csx: 32'));
    const [fix] = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: MODEL_URI },
      range: error.range,
      context: { diagnostics: [error] },
    });
    const edits = fix?.edit?.changes?.[MODEL_URI];
    assert.equal(edits?.[0].newText, '1', 'the default cluster has one CS-3');
    const version = await client.change(MODEL_URI, applyEdits(text, edits!));
    const after = await client.waitForDiagnostics(MODEL_URI, (_d, params) => params.version === version);
    assert.ok(!codes(after).includes('num-csx-exceeds-cluster'));
  });

  it('applies settings live: the cluster setting and the headroom threshold', async () => {
    await client.open(MODEL_URI, 'yaml', MODEL_TEXT);
    let result = await client.waitForResult(MODEL_URI);
    assert.equal(result.status, 'fits');
    await client.setConfiguration({ waferscope: { cluster: resolve(SMALL_CLUSTER) } });
    const withSmall = await client.waitForDiagnostics(MODEL_URI, (d) => codes(d).includes('memoryx-capacity'));
    assert.ok(withSmall.length > 0);
    result = await client.waitForResult(MODEL_URI, (r) => r.status === 'does-not-fit');
    assert.equal(result.report?.cluster.name, 'small-12tb');

    // MemoryX use of the 1T model on 55 TB is about 29 %: a 90 % headroom threshold warns, 10 % does not.
    await client.setConfiguration({ waferscope: { diagnostics: { headroomWarning: 90 } } });
    await client.waitForDiagnostics(MODEL_URI, (d) => codes(d).includes('memoryx-headroom'));
    await client.setConfiguration({ waferscope: { diagnostics: { headroomWarning: 10 } } });
    await client.waitForDiagnostics(MODEL_URI, (d) => !codes(d).includes('memoryx-headroom') && !codes(d).includes('memoryx-capacity'));
  });

  it('hovers keys with their meaning and the numbers they drive', async () => {
    const text = MODEL_TEXT;
    await client.open(MODEL_URI, 'yaml', text);
    await client.waitForResult(MODEL_URI);
    const at = (needle: string) => ({ line: lineOf(text, needle), character: text.split('\n')[lineOf(text, needle)].indexOf(needle.trim()) + 2 });

    const hidden = markdown(await client.request<Hover>('textDocument/hover', { textDocument: { uri: MODEL_URI }, position: at('hidden_size:') }));
    assert.match(hidden, /Parameters per decoder layer/);
    assert.match(hidden, /7\.8\d B/, 'a 1T layer holds about 7.86 B parameters (12 h^2 + 13 h with h = 25600)');

    const micro = markdown(await client.request<Hover>('textDocument/hover', { textDocument: { uri: MODEL_URI }, position: at('csx.performance.micro_batch_size') }));
    assert.match(micro, /largest that fits/);
    assert.match(micro, /SRAM/);
    assert.match(micro, /Assumptions:/, 'the activation numbers rest on stated assumptions');

    const none = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: MODEL_URI }, position: at('save_initial_checkpoint') });
    assert.equal(none, null, 'no hover on keys WaferScope does not read');
  });

  it('hovers memoryx.capacity in a cluster file with what the open models need', async () => {
    await client.open(MODEL_URI, 'yaml', pointingAt(MODEL_TEXT, 'small-12tb.cluster.yaml'));
    await client.waitForResult(MODEL_URI);
    await client.open(CLUSTER_URI, 'yaml', SMALL_CLUSTER_TEXT);
    await client.waitForResult(CLUSTER_URI);
    const line = lineOf(SMALL_CLUSTER_TEXT, 'capacity:');
    const text = markdown(await client.request<Hover>('textDocument/hover', {
      textDocument: { uri: CLUSTER_URI },
      position: { line, character: SMALL_CLUSTER_TEXT.split('\n')[line].indexOf('capacity') + 1 },
    }));
    assert.match(text, /under-test\.yaml: needs \*\*16\.1 TB of 12 TB/);
    assert.match(text, /does not fit/);
    assert.match(text, /optimizer state/);
  });

  it('completes micro_batch_size with what auto picks first, the largest that fits labelled, neither warning-free choice the current value', async () => {
    const text = withMicroBatch(MODEL_TEXT, '');
    await client.open(MODEL_URI, 'yaml', text);
    const result = await client.waitForResult(MODEL_URI);
    const wafer = result.report!.wafer!;
    const line = lineOf(text, 'csx.performance.micro_batch_size:');
    const values = await client.request<CompletionList>('textDocument/completion', {
      textDocument: { uri: MODEL_URI },
      position: { line, character: text.split('\n')[line].length },
    });
    const ordered = [...values.items].sort((a, b) => String(a.sortText).localeCompare(String(b.sortText)));
    assert.equal(ordered[0].label, String(wafer.recommendedMicroBatch));
    assert.match(String(ordered[0].detail), /recommended: what auto picks/);
    const largest = ordered.find((i) => i.label === String(wafer.largestFittingMicroBatch));
    assert.match(String(largest?.detail), /largest that fits/);
    // The first choice written out gives no fit warning.
    const version = await client.change(MODEL_URI, withMicroBatch(MODEL_TEXT, String(ordered[0].label)));
    const after = await client.waitForDiagnostics(MODEL_URI, (_d, params) => params.version === version);
    assert.ok(!codes(after).some((c) => c.startsWith('wafer')), codes(after).join(', '));
  });

  it("a cluster file's result counts the diagnostics Problems shows for it", async () => {
    await client.open(MODEL_URI, 'yaml', pointingAt(MODEL_TEXT, 'small-12tb.cluster.yaml'));
    await client.waitForDiagnostics(MODEL_URI, (d) => codes(d).includes('memoryx-capacity'));
    await client.open(CLUSTER_URI, 'yaml', SMALL_CLUSTER_TEXT);
    const problems = await client.waitForDiagnostics(CLUSTER_URI, (d) => codes(d).includes('memoryx-capacity'));
    const result = await client.waitForResult(CLUSTER_URI, (r) => (r.report?.diagnostics.length ?? 0) > 0);
    assert.equal(result.report!.diagnostics.length, problems.length);
  });

  it('completes keys of the layout, enum values and the cluster snippet', async () => {
    const text = MODEL_TEXT.replace('      hidden_size: 25600\n', '      hidden_size: 25600\n      \n');
    await client.open(MODEL_URI, 'yaml', text);
    await client.waitForResult(MODEL_URI);
    const emptyLine = text.split('\n').findIndex((line, i, all) => line === '      ' && all[i - 1].includes('hidden_size'));
    const keys = await client.request<CompletionList>('textDocument/completion', {
      textDocument: { uri: MODEL_URI },
      position: { line: emptyLine, character: 6 },
    });
    const names = keys.items.map((i) => i.label);
    for (const key of ['norm_type', 'fp16_type', 'mixed_precision']) assert.ok(names.includes(key), `missing ${key}: ${names.join(', ')}`);
    // Keys already written in this mapping are not offered again.
    for (const key of ['num_heads', 'filter_size', 'hidden_size', 'vocab_size']) assert.ok(!names.includes(key), `${key} is already there`);
    const withDoc = keys.items.find((i) => i.label === 'norm_type') as CompletionItem;
    assert.ok(withDoc.documentation, 'keys come with their docs');

    const fp16Line = lineOf(text, 'fp16_type: bfloat16');
    const values = await client.request<CompletionList>('textDocument/completion', {
      textDocument: { uri: MODEL_URI },
      position: { line: fp16Line, character: text.split('\n')[fp16Line].length },
    });
    assert.deepEqual(
      values.items.map((i) => i.label).filter((l) => ['float16', 'bfloat16', 'cbfloat16'].includes(String(l))).sort(),
      ['bfloat16', 'cbfloat16', 'float16'],
    );

    // Trainer layout: the optimizer is the key under `optimizer:`.
    const optimizerText = MODEL_TEXT.replace('    optimizer:\n      AdamW:', '    optimizer:\n      \n      AdamW:');
    const optimizerUri = fileUri('examples/1t/optimizer-completion.yaml');
    await client.open(optimizerUri, 'yaml', optimizerText);
    await client.waitForResult(optimizerUri);
    const optimizerLine = optimizerText.split('\n').findIndex((line, i, all) => line === '      ' && all[i - 1] === '    optimizer:');
    assert.ok(optimizerLine > 0);
    const optimizers = await client.request<CompletionList>('textDocument/completion', {
      textDocument: { uri: optimizerUri },
      position: { line: optimizerLine, character: 6 },
    });
    for (const name of ['AdamW', 'SGD']) assert.ok(optimizers.items.some((i) => i.label === name), `missing optimizer ${name}: ${optimizers.items.map((i) => i.label).join(', ')}`);

    const newCluster = fileUri('examples/1t/new.cluster.yaml');
    await client.open(newCluster, 'yaml', '');
    const snippet = await client.request<CompletionList>('textDocument/completion', {
      textDocument: { uri: newCluster },
      position: { line: 0, character: 0 },
    });
    const item = snippet.items.find((i) => i.label === 'cluster');
    assert.ok(item?.insertText?.includes('memoryx:'), 'the new-cluster snippet');
    assert.equal(snippet.items.filter((i) => i.label === 'cluster').length, 1, 'the snippet once, not also as a key');
    // Its comments start in one column (as the user sees them once the placeholders hold their defaults).
    const rendered = (item?.insertText ?? '').replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$\{\d+:([^}]*)\}/g, '$1');
    const columns = new Set(rendered.split('\n').filter((l) => l.includes('#')).map((l) => l.indexOf('#')));
    assert.equal(columns.size, 1, rendered);

    await client.open(CLUSTER_URI, 'yaml', SMALL_CLUSTER_TEXT);
    await client.waitForResult(CLUSTER_URI);
    const systemLine = lineOf(SMALL_CLUSTER_TEXT, 'system: cs-3');
    const presets = await client.request<CompletionList>('textDocument/completion', {
      textDocument: { uri: CLUSTER_URI },
      position: { line: systemLine, character: SMALL_CLUSTER_TEXT.split('\n')[systemLine].length },
    });
    assert.ok(presets.items.some((i) => i.label === 'cs-2') && presets.items.some((i) => i.label === 'cs-3'));
  });

  it('shows the summary code lens with Run Simulation and Show Wafer Heatmap, and inlay hints', async () => {
    await client.open(MODEL_URI, 'yaml', MODEL_TEXT);
    await client.waitForResult(MODEL_URI);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: MODEL_URI } });
    assert.equal(lenses.length, 4);
    assert.ok(lenses.every((l) => l.range.start.line === 0));
    // Commands first, so a narrow editor cuts the figures, never the commands.
    assert.match(lenses[3].command!.title, /^1\.01[ \u00a0]T[ \u00a0]params · MemoryX 16\.1[ \u00a0]\/[ \u00a0]55[ \u00a0]TB · wafer \d+(\.\d)?[ \u00a0]\/[ \u00a0]44[ \u00a0]GB · step .+ on 1 CS-3$/);
    assert.deepEqual(lenses.slice(0, 3).map((l) => [l.command!.title, l.command!.command]), [
      ['Run Simulation', 'waferscope.runSimulation'],
      ['Show Wafer Heatmap', 'waferscope.showHeatmap'],
      ['Plan Training Run', 'waferscope.planTrainingRun'],
    ]);
    const lines = MODEL_TEXT.split('\n').length;
    const hints = await client.request<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri: MODEL_URI },
      range: { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } },
    });
    const layers = hints.find((h) => h.position.line === lineOf(MODEL_TEXT, 'num_hidden_layers'));
    assert.match(String(layers?.label), /1\.01 T params/);
  });

  it('answers the panel requests: full report, one layer heatmap, timeline on 16 systems', async () => {
    await client.open(MODEL_URI, 'yaml', MODEL_TEXT);
    await client.waitForResult(MODEL_URI);
    const run = await client.request<RunSimulationResult>('waferscope/runSimulation', { uri: MODEL_URI });
    assert.equal(run.status, 'fits');
    assert.match(run.text, /MemoryX: fits/);
    assert.match(run.text, /Scaling over SwarmX/);

    const heatmap = await client.request<HeatmapPayload>('waferscope/heatmap', { uri: MODEL_URI, layer: 1 });
    assert.equal(heatmap.width, 762);
    assert.equal(heatmap.height, 1172);
    // Run-length coded [count, value] Uint32 pairs whose counts cover the whole grid, in far fewer bytes.
    for (const field of [heatmap.occupancy, heatmap.utilization]) {
      const runs = Buffer.from(field, 'base64');
      let covered = 0;
      for (let i = 0; i < runs.length; i += 8) covered += runs.readUInt32LE(i);
      assert.equal(covered, 762 * 1172);
      assert.ok(runs.length < 762 * 1172 / 4, `${runs.length} bytes of runs`);
    }
    assert.ok(heatmap.regions.length > 1);

    const timeline = await client.request<TimelinePayload>('waferscope/timeline', { uri: MODEL_URI, systems: 16 });
    const one = run.report!.timeline!.stepSeconds;
    const speedup = one / timeline.timeline.stepSeconds;
    assert.ok(Math.abs(speedup - 15.3) <= 0.3, `16 systems give ${speedup.toFixed(2)}x`);
  });

  it('keeps only the latest of rapid edits', async () => {
    const debounced = await LspTestClient.start({ initializationOptions: { debounceMs: 50 }, settings: { waferscope: {} } });
    try {
      await debounced.open(MODEL_URI, 'yaml', MODEL_TEXT);
      await debounced.waitForResult(MODEL_URI);
      let version = 0;
      for (const micro of ['1', '2', '3', '4', '5', '6', '7', '8']) version = await debounced.change(MODEL_URI, withMicroBatch(MODEL_TEXT, micro));
      const before = debounced.resultHistory.length;
      const last = await debounced.waitForResult(MODEL_URI, (r) => r.version === version);
      assert.equal(last.report?.training?.microBatchSize, 8);
      const published = debounced.resultHistory.slice(before).filter((r) => r.uri === MODEL_URI).map((r) => r.version);
      assert.ok(published.length <= 2, `superseded versions were analysed: ${published.join(', ')}`);
    } finally {
      debounced.dispose();
    }
  });
});
