/**
 * The planner over the protocol: the Plan tab's request (with what-if values that change the answer
 * but not the file), the Apply edits (after which the diagnostics and the report agree with the
 * plan), the Plan Training Run code lens, and `micro_batch_size: explore` in the hover with its
 * pin quick fix.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { CodeAction, CodeLens, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { PlanApplyMethod, PlanMethod, type PlanApplyResult, type PlanPayload } from '../../protocol/index';
import { LspTestClient, applyEdits, fileUri } from './lspClient';

const MODEL_TEXT = readFileSync('examples/1t/gpt-1t.yaml', 'utf8');
const SMALL_CLUSTER = 'examples/1t/small-12tb.cluster.yaml';
const SMALL_CLUSTER_TEXT = readFileSync(SMALL_CLUSTER, 'utf8');
const MODEL_URI = fileUri('examples/1t/plan-under-test.yaml');
const CLUSTER_URI = fileUri(SMALL_CLUSTER);

describe('planner over the protocol', function () {
  this.timeout(30000);
  let client: LspTestClient;

  beforeEach(async () => {
    client = await LspTestClient.start({ initializationOptions: { debounceMs: 0 }, settings: { waferscope: {} } });
  });
  afterEach(() => client.dispose());

  it('answers a plan request; what-if values change the answer, not the file', async () => {
    await client.open(MODEL_URI, 'yaml', MODEL_TEXT);
    const before = await client.waitForResult(MODEL_URI);
    const plain = await client.request<PlanPayload>(PlanMethod, { uri: MODEL_URI, deadlineDays: 20 * 365 });
    assert.equal(plain.uri, MODEL_URI);
    assert.ok(plain.result.plans.length > 10);
    assert.notEqual(plain.result.recommended, null);
    // The config's own point: what the report simulates (auto's micro-batch, one system, 55 TB).
    assert.deepEqual(plain.config, { sequenceLength: 2048, globalBatch: 1024, microBatch: before.report!.training!.microBatchSize, systems: 1, memoryxBytes: 55e12 });
    // With no what-if, the what-if point is the config itself: the report's step time.
    assert.equal(plain.whatIf.stepSeconds, before.report!.timeline!.stepSeconds);

    const whatIf = await client.request<PlanPayload>(PlanMethod, {
      uri: MODEL_URI,
      deadlineDays: 20 * 365,
      whatIf: { globalBatch: 2048, systems: 16, microBatch: 16, memoryxBytes: 1.2e15 },
    });
    assert.deepEqual([whatIf.whatIf.systems, whatIf.whatIf.microBatch, whatIf.whatIf.memoryxBytes, whatIf.whatIf.globalBatch], [16, 16, 1.2e15, 2048]);
    assert.ok(whatIf.whatIf.fits);
    assert.notEqual(whatIf.whatIf.stepSeconds, plain.whatIf.stepSeconds);
    // A bigger global batch lets more systems work: the frontier reaches further.
    assert.ok(Math.max(...whatIf.result.plans.map((p) => p.systems)) > Math.max(...plain.result.plans.map((p) => p.systems)));
    // Nothing was written: no new analysis, same report.
    const after = await client.waitForResult(MODEL_URI);
    assert.equal(after.version, before.version);
  });

  it('Apply edits the config and its cluster file; afterwards the report runs the plan and the MemoryX error is gone', async () => {
    const config = `# waferscope: cluster=./small-12tb.cluster.yaml\n${MODEL_TEXT}`;
    await client.open(CLUSTER_URI, 'yaml', SMALL_CLUSTER_TEXT);
    await client.open(MODEL_URI, 'yaml', config);
    const broken = await client.waitForDiagnostics(MODEL_URI);
    assert.ok(broken.some((d) => d.code === 'memoryx-capacity'));
    const payload = await client.request<PlanPayload>(PlanMethod, { uri: MODEL_URI, deadlineDays: 20 * 365 });
    const plan = payload.result.plans[payload.result.recommended!];
    const edits = await client.request<PlanApplyResult>(PlanApplyMethod, { uri: MODEL_URI, systems: plan.systems, microBatch: plan.microBatch, memoryxBytes: plan.memoryxBytes });
    assert.equal(edits.error, undefined);
    assert.deepEqual(edits.createFiles, []);
    const modelPath = new URL(MODEL_URI).pathname;
    const clusterPath = new URL(CLUSTER_URI).pathname;
    const modelEdits = edits.edits.filter((e) => e.file === modelPath);
    const clusterEdits = edits.edits.filter((e) => e.file === clusterPath);
    assert.equal(modelEdits.length, 1);
    assert.equal(clusterEdits.length, 2);
    // The cluster first, so the model's re-analysis reads the new capacity and systems.
    await client.change(CLUSTER_URI, applyEdits(SMALL_CLUSTER_TEXT, clusterEdits));
    await client.change(MODEL_URI, applyEdits(config, modelEdits));
    const result = await client.waitForResult(MODEL_URI, (r) => r.report?.training?.microBatchSize === plan.microBatch && r.report?.cluster.systems === plan.systems);
    const diagnostics = await client.waitForDiagnostics(MODEL_URI, (d) => !d.some((x) => x.code === 'memoryx-capacity'));
    assert.equal(result.report!.training!.numCsx, plan.systems);
    assert.equal(result.report!.memoryx!.capacityBytes, plan.memoryxBytes);
    assert.equal(result.report!.timeline!.stepSeconds, plan.stepSeconds);
    assert.ok(!diagnostics.some((d: Diagnostic) => d.severity === 1), JSON.stringify(diagnostics));
  });

  it('a config on the default cluster gets a new cluster file and a first-line reference', async () => {
    await client.open(MODEL_URI, 'yaml', MODEL_TEXT);
    await client.waitForResult(MODEL_URI);
    const edits = await client.request<PlanApplyResult>(PlanApplyMethod, { uri: MODEL_URI, systems: 64, microBatch: 16, memoryxBytes: 1.2e15 });
    assert.equal(edits.createFiles.length, 1);
    const created = edits.createFiles[0];
    assert.match(created.file, /plan-under-test\.plan(-\d+)?\.cluster\.yaml$/);
    assert.match(created.text, /systems: 64\n {2}memoryx:\n {4}capacity: 1\.2 PB/);
    const name = created.file.split('/').pop();
    assert.ok(edits.edits.some((e) => e.range.start.line === 0 && e.newText === `# waferscope: cluster=./${name}\n`));
  });

  it('offers the Plan Training Run code lens', async () => {
    await client.open(MODEL_URI, 'yaml', MODEL_TEXT);
    await client.waitForResult(MODEL_URI);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: MODEL_URI } });
    const lens = lenses.find((l) => l.command?.command === 'waferscope.planTrainingRun');
    assert.ok(lens, JSON.stringify(lenses.map((l) => l.command?.title)));
    assert.equal(lens.command!.title, 'Plan Training Run');
  });

  it('explore: the hover shows the candidate table and the quick fix pins the fastest', async () => {
    const text = MODEL_TEXT.replace('csx.performance.micro_batch_size: auto', 'csx.performance.micro_batch_size: explore');
    await client.open(MODEL_URI, 'yaml', text);
    const diagnostics = await client.waitForDiagnostics(MODEL_URI);
    // The best candidate is what the report simulates for explore (auto's rule: the fastest that keeps the margin).
    const best = (await client.waitForResult(MODEL_URI)).report!.training!.microBatchSize;
    const note = diagnostics.find((d) => d.code === 'micro-batch-explore');
    assert.ok(note, JSON.stringify(diagnostics));
    const line = text.split('\n').findIndex((l) => l.includes('csx.performance.micro_batch_size'));
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: MODEL_URI }, position: { line, character: 12 } });
    const value = (hover.contents as MarkupContent).value;
    assert.match(value, /\| micro-batch \| step \| throughput \| headroom \|/);
    for (const micro of [1, 2, 4, 8, 16, 32]) assert.match(value, new RegExp(`\\| \\**${micro}\\**\\s\\|`));
    assert.match(value, new RegExp(`Best: \\*\\*${best}\\*\\*`));
    const [fix] = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: MODEL_URI },
      range: note.range,
      context: { diagnostics: [note] },
    });
    assert.equal(fix.title, `Pin micro_batch_size to ${best}`);
    const fixed = applyEdits(text, fix.edit!.changes![MODEL_URI]);
    await client.change(MODEL_URI, fixed);
    const after = await client.waitForDiagnostics(MODEL_URI, (d) => !d.some((x) => x.code === 'micro-batch-explore'));
    assert.ok(!after.some((d) => d.code === 'micro-batch-explore'));
    assert.match(fixed, new RegExp(`csx\\.performance\\.micro_batch_size: ${best}\\n`));
  });
});
