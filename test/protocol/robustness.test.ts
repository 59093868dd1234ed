/**
 * Bad input never costs the user the server: random bytes, a 100,000-line YAML file and absurd
 * values all get diagnostics, other documents keep being answered, and the process stays up.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LspTestClient, fileUri } from './lspClient';

const MODEL_TEXT = readFileSync('examples/1t/gpt-1t.yaml', 'utf8');
/** JSON-RPC's code for a request whose params are malformed. */
const INVALID_PARAMS = -32602;

/** Deterministic bytes (xorshift), so a failure reproduces. */
function randomText(length: number, seed: number): string {
  let x = seed >>> 0 || 1;
  let out = '';
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += String.fromCharCode((x >>> 0) % 256);
  }
  return out;
}

/** A syntactically valid 100,000-line Model Zoo file: the 1T config plus a huge list of data dirs. */
function hugeConfig(): string {
  const dirs = Array.from({ length: 100000 }, (_, i) => `      - ./data/shard_${i}/`).join('\n');
  return `${MODEL_TEXT}  fit:\n    train_dataloader:\n      batch_size: 1024\n      data_dir:\n${dirs}\n`;
}

describe('server robustness', function () {
  this.timeout(60000);
  let client: LspTestClient;

  beforeEach(async () => {
    client = await LspTestClient.start({ initializationOptions: { debounceMs: 0 }, settings: { waferscope: {} } });
  });

  afterEach(() => client.dispose());

  it('answers random bytes with a diagnostic and keeps serving', async () => {
    const uri = fileUri('test/workspace/noise.yaml');
    await client.open(uri, 'yaml', randomText(20000, 7));
    const diagnostics = await client.waitForDiagnostics(uri, (d) => d.length > 0);
    assert.match(String(diagnostics[0].message), /binary|NUL/i, 'says why the file is not read');
    const good = fileUri('test/workspace/good.yaml');
    await client.open(good, 'yaml', MODEL_TEXT);
    const after = await client.waitForResult(good);
    assert.equal(after.status, 'fits');
  });

  it('gives absurd values a diagnostic instead of hanging', async () => {
    const uri = fileUri('test/workspace/absurd.yaml');
    const text = MODEL_TEXT.replace('num_hidden_layers: 128', 'num_hidden_layers: 1.0e+15');
    await client.open(uri, 'yaml', text);
    const diagnostics = await client.waitForDiagnostics(uri, (d) => d.length > 0);
    const line = text.split('\n').findIndex((l) => l.includes('num_hidden_layers'));
    assert.ok(diagnostics.some((d) => d.range.start.line === line && d.severity === 1), JSON.stringify(diagnostics));
  });

  it('answers a 100,000-line file without blocking another document for more than a second', async () => {
    const huge = fileUri('test/workspace/huge.yaml');
    const small = fileUri('test/workspace/small.yaml');
    await client.open(huge, 'yaml', hugeConfig());
    const started = Date.now();
    await client.open(small, 'yaml', MODEL_TEXT);
    await client.waitForResult(small, () => true, 5000);
    const waited = Date.now() - started;
    assert.ok(waited < 1000, `the small document waited ${waited} ms behind the huge one`);
    const hugeResult = await client.waitForResult(huge, () => true, 20000);
    assert.ok(hugeResult.status === 'fits' || hugeResult.status === 'invalid' || hugeResult.status === 'does-not-fit');
  });

  it('survives a feature failing on odd requests', async () => {
    const uri = fileUri('test/workspace/odd.yaml');
    await client.open(uri, 'yaml', MODEL_TEXT);
    await client.waitForResult(uri);
    // Positions far outside the document, a layer that does not exist, zero systems.
    await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 99999, character: 99999 } });
    await assert.rejects(
      client.request('textDocument/completion', { textDocument: { uri }, position: { line: -1, character: -5 } }),
      (error: { code?: number }) => error.code === INVALID_PARAMS,
    );
    const heatmap = await client.request<{ layer: number } | null>('waferscope/heatmap', { uri, layer: 1e9 });
    assert.ok(heatmap === null || heatmap.layer >= 0);
    await assert.rejects(client.request('waferscope/timeline', { uri, systems: 0 }), (error: { code?: number }) => error.code === INVALID_PARAMS);
    // Still alive: a fresh change is analysed.
    const version = await client.change(uri, MODEL_TEXT.replace('num_heads: 160', 'num_heads: 128'));
    const result = await client.waitForResult(uri, (r) => r.version === version);
    assert.ok(result.report);
  });
});
