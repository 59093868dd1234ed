import * as assert from 'node:assert/strict';
import { readConfig } from '../../../language-server/core/config/read';
import { countParameters } from '../../../language-server/core/model/structure';
import type { ConfigDocument } from '../../../language-server/core/types';
import { codes, errors, only, positionAt, rangeAfter, rangeOfText } from './helpers';

/** A small but complete trainer-layout config; tests replace single lines. */
const BASE = `trainer:
  init:
    backend:
      backend_type: CSX
      cluster_config:
        num_csx: 4
    model:
      name: llama
      hidden_size: 4096
      num_hidden_layers: 32
      num_heads: 32
      filter_size: 14336
      vocab_size: 32000
      max_position_embeddings: 4096
      attention_module: multiquery_attention
      extra_attention_params:
        num_kv_groups: 8
      nonlinearity: swiglu
      norm_type: rmsnorm
      position_embedding_type: rotary
      share_embedding_weights: false
      dropout_rate: 0.0
    optimizer:
      AdamW:
        weight_decay: 0.1
    precision:
      enabled: true
      fp16_type: cbfloat16
      loss_scaling_factor: dynamic
    loop:
      max_steps: 1000
    callbacks:
    - ScopedTrainFlags:
        csx.performance.micro_batch_size: 8
  fit:
    train_dataloader:
      batch_size: 64
      max_sequence_length: 4096
`;

function variant(replace: string, by: string): string {
  assert.ok(BASE.includes(replace), `template has no '${replace}'`);
  return BASE.replace(replace, by);
}

function read(text: string, file = '/work/configs/params.yaml'): ConfigDocument {
  return readConfig(file, text);
}

describe('validation: the base config is clean', () => {
  it('reads the template with no diagnostics', () => {
    const doc = read(BASE);
    assert.deepEqual(doc.diagnostics, []);
    assert.equal(doc.model!.numKvHeads, 8);
    assert.equal(doc.training!.numCsx, 4);
    assert.equal(doc.training!.microBatchSize, 8);
    assert.equal(doc.training!.precision, 'cbf16');
  });
});

describe('validation: diagnostic codes and ranges', () => {
  it('syntax: a YAML error lands where the parser stopped, and nothing else is said', () => {
    const text = variant('      vocab_size: 32000', '      vocab_size: [32000');
    const doc = read(text);
    assert.equal(doc.format, 'modelzoo-trainer');
    assert.ok(doc.diagnostics.length >= 1);
    assert.ok(doc.diagnostics.every((d) => d.code === 'syntax' && d.severity === 'error'), JSON.stringify(doc.diagnostics));
    // The unclosed flow list opens on the vocab_size line; the parser notices on the next one.
    const line = rangeOfText(text, 'vocab_size').start.line;
    assert.equal(doc.diagnostics[0]!.range.start.line, line + 1);
  });

  it('syntax: tabs used for indentation', () => {
    const text = variant('      hidden_size: 4096', '\thidden_size: 4096');
    const doc = read(text);
    const syntax = doc.diagnostics.filter((d) => d.code === 'syntax');
    assert.equal(syntax.length, doc.diagnostics.length);
    assert.deepEqual(syntax[0]!.range, rangeOfText(text, '\t'));
    assert.match(syntax[0]!.message, /[Tt]ab/);
  });

  it('syntax: a JSON error has the offset of the bad token', () => {
    const text = '{\n  "model_type": "llama",\n  "hidden_size": 4096,,\n  "vocab_size": 10\n}';
    const doc = readConfig('/m/config.json', text);
    assert.equal(doc.format, 'hf-config');
    const syntax = doc.diagnostics.filter((d) => d.code === 'syntax');
    assert.ok(syntax.length >= 1);
    assert.deepEqual(syntax[0]!.range, { start: positionAt(text, text.indexOf(',,') + 1), end: positionAt(text, text.indexOf(',,') + 2) });
  });

  it('syntax: a duplicated key is a warning; the last one wins as in PyYAML', () => {
    const text = variant('      vocab_size: 32000', '      vocab_size: 32000\n      vocab_size: 50000');
    const doc = read(text);
    const duplicate = only(doc, 'syntax');
    assert.equal(duplicate.severity, 'warning');
    assert.deepEqual(duplicate.range, rangeOfText(text, 'vocab_size', 1));
    assert.equal(doc.model!.vocabSize, 50000);
  });

  it('wrong-type: hidden_size: "big" (on the value) and the model is not built', () => {
    const text = variant('hidden_size: 4096', 'hidden_size: "big"');
    const doc = read(text);
    const diagnostic = only(doc, 'wrong-type');
    assert.equal(diagnostic.severity, 'error');
    assert.deepEqual(diagnostic.range, rangeOfText(text, '"big"'));
    assert.match(diagnostic.message, /hidden_size/);
    assert.equal(doc.model, undefined);
  });

  it('wrong-type for lists, maps and booleans where numbers belong', () => {
    for (const bad of ['[1, 2]', '{a: 1}', 'true']) {
      const text = variant('num_heads: 32', `num_heads: ${bad}`);
      const diagnostic = only(read(text), 'wrong-type');
      assert.deepEqual(diagnostic.range, rangeOfText(text, bad));
    }
    const text = variant('share_embedding_weights: false', 'share_embedding_weights: 3');
    assert.deepEqual(only(read(text), 'wrong-type').range, rangeAfter(text, 'share_embedding_weights: ', '3'));
  });

  it('unknown-key with a did-you-mean quick fix replacing the key', () => {
    const text = variant('      dropout_rate: 0.0', '      dropout_rate: 0.0\n      num_hiden_layers: 2');
    const doc = read(text);
    const diagnostic = only(doc, 'unknown-key');
    assert.equal(diagnostic.severity, 'warning');
    assert.deepEqual(diagnostic.range, rangeOfText(text, 'num_hiden_layers'));
    assert.match(diagnostic.message, /num_hidden_layers/);
    assert.deepEqual(diagnostic.fixes, [
      { title: "Replace 'num_hiden_layers' with 'num_hidden_layers'", edits: [{ range: diagnostic.range, newText: 'num_hidden_layers' }] },
    ]);
  });

  it('unknown-key without a suggestion when nothing is close', () => {
    const text = variant('      dropout_rate: 0.0', '      dropout_rate: 0.0\n      completely_unrelated_setting: 1');
    const diagnostic = only(read(text), 'unknown-key');
    assert.equal(diagnostic.fixes, undefined);
    assert.doesNotMatch(diagnostic.message, /Did you mean/);
  });

  it('unknown keys are reported only in the model block', () => {
    const text = variant('      batch_size: 64', '      batch_size: 64\n      my_custom_loader_flag: 1\n      shufle: true');
    assert.deepEqual(codes(read(text)), []);
  });

  it('missing-key on the model key when a required size is absent', () => {
    const text = variant('      vocab_size: 32000\n', '');
    const doc = read(text);
    const diagnostic = only(doc, 'missing-key');
    assert.equal(diagnostic.severity, 'error');
    assert.deepEqual(diagnostic.range, rangeAfter(text, 'num_csx: 4', 'model'));
    assert.match(diagnostic.message, /vocab_size/);
    assert.equal(doc.model, undefined);
  });

  it('not-divisible: hidden_size by num_heads (on num_heads)', () => {
    const text = variant('num_heads: 32', 'num_heads: 48');
    const doc = read(text);
    const diagnostic = only(doc, 'not-divisible');
    assert.deepEqual(diagnostic.range, rangeAfter(text, 'num_heads: ', '48'));
    assert.match(diagnostic.message, /4,096.*48/);
    assert.equal(doc.model, undefined);
  });

  it('not-divisible: num_heads by num_kv_groups (on num_kv_groups)', () => {
    const text = variant('num_kv_groups: 8', 'num_kv_groups: 6');
    const diagnostic = only(read(text), 'not-divisible');
    assert.deepEqual(diagnostic.range, rangeAfter(text, 'num_kv_groups: ', '6'));
  });

  it('top-k-exceeds-experts (on top_k)', () => {
    const text = variant('      dropout_rate: 0.0', '      dropout_rate: 0.0\n      moe:\n        num_experts: 8\n        top_k: 10');
    const doc = read(text);
    const diagnostic = only(doc, 'top-k-exceeds-experts');
    assert.equal(diagnostic.severity, 'error');
    assert.deepEqual(diagnostic.range, rangeAfter(text, 'top_k: ', '10'));
    assert.equal(doc.model, undefined);
  });

  it('batch-below-systems (on batch_size)', () => {
    const text = variant('batch_size: 64', 'batch_size: 2');
    const diagnostic = only(read(text), 'batch-below-systems');
    assert.equal(diagnostic.severity, 'error');
    assert.deepEqual(diagnostic.range, rangeAfter(text, 'batch_size: ', '2'));
  });

  it('batch-not-multiple names the effective accumulation steps', () => {
    // 100 sequences over 4 systems in micro-batches of 8: 4 x 8 = 32 per round, ceil(100/32) = 4.
    const text = variant('batch_size: 64', 'batch_size: 100');
    const doc = read(text);
    const diagnostic = only(doc, 'batch-not-multiple');
    assert.equal(diagnostic.severity, 'warning');
    assert.deepEqual(diagnostic.range, rangeAfter(text, 'batch_size: ', '100'));
    assert.match(diagnostic.message, /8 x 4 = 32/);
    assert.match(diagnostic.message, /accumulation steps = 4/);
    assert.ok(doc.training, 'a warning keeps the training settings');
  });

  it('batch checks are skipped when the config names no num_csx', () => {
    const text = variant('        num_csx: 4\n', '').replace('batch_size: 64', 'batch_size: 3');
    const doc = read(text);
    assert.deepEqual(codes(doc), []);
    assert.equal(doc.training!.numCsx, undefined);
  });

  it('out-of-range: 1e15 layers gives a diagnostic at once and no model', () => {
    const text = variant('num_hidden_layers: 32', 'num_hidden_layers: 1e15');
    const started = Date.now();
    const doc = read(text);
    assert.ok(Date.now() - started < 500);
    const diagnostic = only(doc, 'out-of-range');
    assert.equal(diagnostic.severity, 'error');
    assert.deepEqual(diagnostic.range, rangeOfText(text, '1e15'));
    assert.equal(doc.model, undefined);
  });

  it('out-of-range: hidden_size above 1e6 and vocab above 1e8', () => {
    for (const [line, by, value] of [
      ['hidden_size: 4096', 'hidden_size: 2000000', '2000000'],
      ['vocab_size: 32000', 'vocab_size: 300000000', '300000000'],
      ['num_heads: 32', 'num_heads: .inf', '.inf'],
    ] as const) {
      const text = variant(line, by);
      const doc = read(text);
      assert.deepEqual(only(doc, 'out-of-range').range, rangeOfText(text, value));
      assert.equal(doc.model, undefined);
    }
  });

  it('invalid-value: zero, negative and fractional sizes', () => {
    for (const value of ['0', '-4096', '4096.5']) {
      const text = variant('hidden_size: 4096', `hidden_size: ${value}`);
      const doc = read(text);
      const diagnostic = only(doc, 'invalid-value');
      assert.equal(diagnostic.severity, 'error');
      assert.deepEqual(diagnostic.range, rangeAfter(text, 'hidden_size: ', value));
      assert.equal(doc.model, undefined);
    }
  });

  it('invalid-value: an unknown enum value, with a did-you-mean fix', () => {
    const text = variant('fp16_type: cbfloat16', 'fp16_type: bfloat61');
    const diagnostic = only(read(text), 'invalid-value');
    assert.deepEqual(diagnostic.range, rangeOfText(text, 'bfloat61'));
    assert.match(diagnostic.message, /bfloat16/);
    assert.equal(diagnostic.fixes![0]!.edits[0]!.newText, 'bfloat16');
  });

  it('invalid-value: a micro-batch that is neither a number nor auto/explore/none', () => {
    const text = variant('micro_batch_size: 8', 'micro_batch_size: autoo');
    const doc = read(text);
    const diagnostic = only(doc, 'invalid-value');
    assert.deepEqual(diagnostic.range, rangeOfText(text, 'autoo'));
    for (const word of ['auto', 'explore', 'none', 'None', 'AUTO']) {
      const ok = read(variant('micro_batch_size: 8', `micro_batch_size: ${word}`));
      assert.deepEqual(errors(ok), [], word);
      assert.equal(ok.training!.microBatchSize, word.toLowerCase());
    }
  });

  it('a warning, not an error, for an optimizer WaferScope does not know', () => {
    const text = variant('      AdamW:', '      Shampoo:');
    const doc = read(text);
    const diagnostic = only(doc, 'invalid-value');
    assert.equal(diagnostic.severity, 'warning');
    assert.deepEqual(diagnostic.range, rangeOfText(text, 'Shampoo'));
    assert.equal(doc.training!.optimizer, 'adamw');
  });
});

describe('validation: what the Model Zoo keys mean', () => {
  it('SGD with momentum is sgd-momentum, without it sgd', () => {
    const momentum = read(variant('      AdamW:\n        weight_decay: 0.1', '      SGD:\n        momentum: 0.9'));
    assert.equal(momentum.training!.optimizer, 'sgd-momentum');
    const plain = read(variant('      AdamW:\n        weight_decay: 0.1', '      sgd:\n        lr: 0.1'));
    assert.equal(plain.training!.optimizer, 'sgd');
  });

  it('precision disabled means fp32; fp16_type picks the 16-bit type', () => {
    assert.equal(read(variant('enabled: true', 'enabled: false')).training!.precision, 'fp32');
    assert.equal(read(variant('fp16_type: cbfloat16', 'fp16_type: float16')).training!.precision, 'fp16');
    assert.equal(read(variant('fp16_type: cbfloat16', 'fp16_type: bfloat16')).training!.precision, 'bf16');
  });

  it('multiquery_attention without num_kv_groups is one KV head; plain attention uses num_heads', () => {
    assert.equal(read(variant('      extra_attention_params:\n        num_kv_groups: 8\n', '')).model!.numKvHeads, 1);
    assert.equal(read(variant('      attention_module: multiquery_attention\n', '')).model!.numKvHeads, 32);
  });

  it('a list of trainers reads its first trainer', () => {
    const nested = 'trainer:\n- trainer:\n' + BASE.replace(/^trainer:\n/, '').replace(/^/gm, '    ');
    const doc = read(nested);
    assert.deepEqual(errors(doc), []);
    assert.equal(doc.model!.hiddenSize, 4096);
    assert.deepEqual(doc.sources['model.hiddenSize']!.path, ['trainer', 0, 'trainer', 'init', 'model', 'hidden_size']);
    assert.equal(doc.training!.globalBatchSize, 64);
  });

  it('a legacy file with runconfig.num_csx and train_input.micro_batch_size', () => {
    const text = `train_input:
  batch_size: 96
  micro_batch_size: 12
  max_sequence_length: 2048
model:
  hidden_size: 1024
  num_hidden_layers: 4
  num_heads: 16
  filter_size: 4096
  vocab_size: 50257
  max_position_embeddings: 2048
  mixed_precision: true
  fp16_type: bfloat16
optimizer:
  optimizer_type: SGD
  momentum: 0.9
runconfig:
  num_csx: 4
  max_steps: 10
`;
    const doc = read(text);
    assert.equal(doc.format, 'modelzoo-legacy');
    assert.deepEqual(doc.diagnostics, []);
    assert.deepEqual(doc.training, {
      globalBatchSize: 96,
      microBatchSize: 12,
      numCsx: 4,
      sequenceLength: 2048,
      precision: 'bf16',
      optimizer: 'sgd-momentum',
      maxSteps: 10,
    });
    assert.equal(doc.model!.family, 'gpt3');
    assert.deepEqual(doc.sources['training.numCsx']!.valueRange, rangeAfter(text, 'num_csx: ', '4'));
    assert.deepEqual(doc.sources['training.optimizer']!.valueRange, rangeOfText(text, 'SGD'));
  });

  it('use_bias_in_output adds an LM-head bias of vocab_size', () => {
    const gpt = `trainer:
  init:
    model:
      name: gpt3
      hidden_size: 768
      num_hidden_layers: 12
      num_heads: 12
      filter_size: 3072
      vocab_size: 50257
      max_position_embeddings: 1024
      use_bias_in_output: true
  fit:
    train_dataloader:
      batch_size: 8
`;
    const doc = read(gpt);
    assert.deepEqual(doc.diagnostics, []);
    assert.equal(doc.model!.bias.lmHead, true);
    assert.equal(doc.model!.tiedEmbeddings, true);
    const withoutBias = read(gpt.replace('use_bias_in_output: true', 'use_bias_in_output: false'));
    assert.equal(countParameters(doc.model!).total - countParameters(withoutBias.model!).total, 50257n);
    // GPT-2 small otherwise: 124,439,808 (derived in the structure tests).
    assert.equal(countParameters(withoutBias.model!).total, 124_439_808n);
  });
});

describe('validation: files that are not configs, and files that cannot be', () => {
  it('unrelated YAML and JSON are unknown with no diagnostics', () => {
    const samples: [string, string][] = [
      ['/p/docker-compose.yml', 'version: "3"\nservices:\n  web:\n    image: nginx\n    ports: ["80:80"]\n'],
      ['/p/package.json', '{ "name": "x", "version": "1.0.0", "scripts": { "test": "mocha" } }'],
      ['/p/tsconfig.json', '{\n  // comment\n  "compilerOptions": { "strict": true, },\n}'],
      ['/p/.github/workflows/ci.yml', 'on: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n'],
      ['/p/lightning.yaml', 'trainer:\n  accelerator: gpu\nmodel:\n  hidden_size: 10\noptimizer:\n  lr: 0.1\n'],
      ['/p/broken.yaml', 'a: [1, 2\nb: {'],
      ['/p/empty.yaml', ''],
    ];
    for (const [file, text] of samples) {
      const doc = readConfig(file, text);
      assert.equal(doc.format, 'unknown', file);
      assert.deepEqual(doc.diagnostics, [], file);
    }
  });

  it('a config broken beyond recognition still shows its syntax errors', () => {
    const text = 'trainer:\n\tinit:\n    model:\n      hidden_size: 4096\n';
    const doc = readConfig('/p/params.yaml', text);
    assert.equal(doc.format, 'modelzoo-trainer');
    assert.ok(doc.diagnostics.length >= 1);
    assert.ok(doc.diagnostics.every((d) => d.code === 'syntax'));
    assert.deepEqual(doc.diagnostics[0]!.range, rangeOfText(text, '\t'));
    assert.equal(doc.model, undefined);
  });

  it('a file with NUL bytes gets one diagnostic, quickly', () => {
    const doc = readConfig('/p/x.yaml', 'trainer:\n  init: \u0000\u0001');
    assert.equal(doc.diagnostics.length, 1);
    assert.equal(doc.diagnostics[0]!.code, 'syntax');
    assert.deepEqual(doc.diagnostics[0]!.range, { start: { line: 1, character: 8 }, end: { line: 1, character: 9 } });
  });

  it('a file over 5 MB gets one diagnostic, quickly', () => {
    const text = 'trainer:\n' + '# padding\n'.repeat(600_000);
    const started = Date.now();
    const doc = readConfig('/p/big.yaml', text);
    assert.ok(Date.now() - started < 200);
    assert.equal(doc.diagnostics.length, 1);
    assert.equal(doc.diagnostics[0]!.code, 'invalid-value');
    assert.match(doc.diagnostics[0]!.message, /5 MB/);
  });
});
