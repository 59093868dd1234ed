/**
 * Issue 10 over the real protocol: an unknown model type gets no count until the waferscope.readAs
 * setting asks for an approximate one (marked ≈), and the "Write as Model Zoo YAML" code action
 * creates a file beside the config.json that the server reads to the same count.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { CodeAction, CreateFile, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { LspTestClient, fileUri } from './lspClient';

const CONFIG_URI = fileUri('test/data/checkpoints/gemma2--gemma-2-2b/config.json');
const CONFIG_TEXT = readFileSync('test/data/checkpoints/gemma2--gemma-2-2b/config.json', 'utf8');
const UNKNOWN_URI = fileUri('test/data/hf/unknown-under-test/config.json');
const UNKNOWN_TEXT = JSON.stringify({ model_type: 'newthing', hidden_size: 2048, num_hidden_layers: 16, num_attention_heads: 32, intermediate_size: 8192, vocab_size: 128256 }, null, 2);

describe('architecture table over the protocol', function () {
  this.timeout(30000);
  let client: LspTestClient;

  beforeEach(async () => {
    client = await LspTestClient.start({ initializationOptions: { debounceMs: 0 }, settings: { waferscope: {} } });
  });

  afterEach(() => client.dispose());

  it('an unknown type is not modelled until waferscope.readAs asks, then its count carries ≈', async () => {
    await client.open(UNKNOWN_URI, 'json', UNKNOWN_TEXT);
    const unknown = await client.waitForResult(UNKNOWN_URI);
    assert.equal(unknown.status, 'not-modelled');
    assert.equal(unknown.report?.model ?? null, null);
    await client.setConfiguration({ waferscope: { readAs: { newthing: 'llama' } } });
    const approximate = await client.waitForResult(UNKNOWN_URI, (r) => r.status !== 'not-modelled');
    assert.equal(approximate.report?.model?.approximation?.readAs, 'llama');
    assert.match(approximate.summary, /^≈/);
  });

  it('writes a Model Zoo YAML beside a config.json that reads back to the same count', async () => {
    await client.open(CONFIG_URI, 'json', CONFIG_TEXT);
    const result = await client.waitForResult(CONFIG_URI);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: CONFIG_URI },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['refactor'], triggerKind: 1 },
    });
    const convert = actions.find((a) => a.title.startsWith('Write as Model Zoo YAML'));
    assert.ok(convert?.edit?.documentChanges, JSON.stringify(actions.map((a) => a.title)));
    const [create, edit] = convert.edit.documentChanges as [CreateFile, TextDocumentEdit];
    assert.equal(create.kind, 'create');
    assert.equal(create.options?.overwrite, false);
    assert.equal(create.uri, CONFIG_URI.replace(/config\.json$/, 'params_gemma2_from_hf.yaml'));
    const yaml = (edit.edits[0] as { newText: string }).newText;
    await client.open(create.uri, 'yaml', yaml);
    const back = await client.waitForResult(create.uri);
    assert.equal(back.report?.format, 'modelzoo-trainer');
    assert.equal(back.report?.model?.parameters, result.report?.model?.parameters);
    assert.equal(back.report?.model?.parameters, 2_614_341_888);
  });

  it('the CLI: no count for an unknown type, an approximate one with --read-as', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, ['dist/cli.js', 'report', 'test/data/unsupported/config.json', '--json', ...args], { encoding: 'utf8' });
    const plain = JSON.parse(run().stdout);
    assert.equal(plain.model, null);
    assert.ok(plain.diagnostics.some((d: { code: string }) => d.code === 'unsupported-model-type'));
    const approximate = JSON.parse(run('--read-as', 'newthing=llama').stdout);
    assert.equal(approximate.model.approximation.readAs, 'llama');
    // Llama shape by hand: per layer 2 x 2048^2 + 2 x 2048 x 512 + 3 x 2048 x 8192 + 2 x 2048 =
    // 60,821,504; x16 = 973,144,064; tied embedding 128256 x 2048 = 262,668,288; final 2,048.
    assert.equal(approximate.model.parameters, 1_235_814_400);
    assert.equal(run('--read-as', 'newthing').status, 2);
  });
});
