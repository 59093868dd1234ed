import * as assert from 'node:assert/strict';
import { readConfig } from '../../../language-server/core/config/read';
import { LineIndex, parseSource, valueOf, entryOf } from '../../../language-server/core/config/source';
import { editDistance, didYouMean } from '../../../language-server/core/config/suggest';
import { errors, rangeAfter, rangeOfText } from './helpers';

const MODEL = `    model:
      name: gpt3
      hidden_size: 768
      num_hidden_layers: 12
      num_heads: 12
      filter_size: 3072
      vocab_size: 50257
      max_position_embeddings: 1024
`;

describe('source layer: YAML', () => {
  it('resolves anchors and aliases; the value keeps the range where it was written', () => {
    const text = `trainer:
  init:
${MODEL}  fit:
    train_dataloader: &loader
      batch_size: 96
      max_sequence_length: 512
  validate:
    val_dataloader: *loader
`;
    const doc = readConfig('/c/a.yaml', text);
    assert.deepEqual(errors(doc), []);
    assert.equal(doc.training!.globalBatchSize, 96);
    assert.equal(doc.training!.sequenceLength, 512);
    const parsed = parseSource('/c/a.yaml', text);
    const trainer = valueOf(parsed.documents[0]!.root, 'trainer');
    const validate = valueOf(valueOf(trainer, 'validate'), 'val_dataloader');
    const train = valueOf(valueOf(trainer, 'fit'), 'train_dataloader');
    // The alias is the anchored node itself, with the range of the anchored mapping.
    assert.ok(validate && train);
    assert.equal(validate, train);
    assert.deepEqual(parsed.lines.position(validate.start), rangeOfText(text, 'batch_size').start);
  });

  it('an alias used as the train dataloader reads the anchored values', () => {
    const text = `base: &common
  batch_size: 40
  max_sequence_length: 1024
trainer:
  init:
${MODEL}  fit:
    train_dataloader: *common
`;
    const doc = readConfig('/c/a.yaml', text);
    assert.deepEqual(errors(doc), []);
    assert.equal(doc.training!.globalBatchSize, 40);
    assert.deepEqual(doc.sources['training.globalBatchSize']!.valueRange, rangeOfText(text, '40'));
  });

  it('merge keys (<<) add the base keys that the mapping does not set itself', () => {
    const text = `base: &common
  batch_size: 40
  max_sequence_length: 1024
trainer:
  init:
${MODEL}  fit:
    train_dataloader:
      <<: *common
      batch_size: 80
`;
    const doc = readConfig('/c/a.yaml', text);
    assert.deepEqual(errors(doc), []);
    assert.equal(doc.training!.globalBatchSize, 80);
    assert.equal(doc.training!.sequenceLength, 1024);
    assert.deepEqual(doc.sources['training.globalBatchSize']!.valueRange, rangeOfText(text, '80'));
  });

  it('a recursive alias is reported, not followed forever', () => {
    const text = `trainer:\n  init:\n${MODEL}  fit:\n    train_dataloader:\n      batch_size: 8\n  loop: &a [*a]\n`;
    const doc = readConfig('/c/a.yaml', text);
    assert.equal(doc.format, 'modelzoo-trainer');
    assert.ok(doc.diagnostics.some((d) => d.code === 'syntax'));
  });

  it('reads the first document that is a config in a multi-document file, with the right lines', () => {
    const text = `kind: Notes\nowner: me\n---\n# the config\ntrainer:\n  init:\n${MODEL}  fit:\n    train_dataloader:\n      batch_size: 16\n`;
    const doc = readConfig('/c/multi.yaml', text);
    assert.equal(doc.format, 'modelzoo-trainer');
    assert.deepEqual(errors(doc), []);
    assert.equal(doc.model!.hiddenSize, 768);
    assert.deepEqual(doc.sources['model.hiddenSize']!.valueRange, rangeOfText(text, '768'));
    assert.equal(doc.sources['model.hiddenSize']!.valueRange.start.line, 8);
  });

  it('keeps comments out of values, and YAML 1.1 booleans as PyYAML reads them', () => {
    const text = `trainer:\n  init:\n${MODEL.replace('name: gpt3', 'name: gpt3 # family\n      share_embedding_weights: no')}  fit:\n    train_dataloader:\n      batch_size: 16 # global\n`;
    const doc = readConfig('/c/a.yaml', text);
    assert.deepEqual(errors(doc), []);
    assert.equal(doc.model!.family, 'gpt3');
    assert.equal(doc.model!.tiedEmbeddings, false);
    assert.deepEqual(doc.sources['training.globalBatchSize']!.valueRange, rangeAfter(text, 'batch_size: ', '16'));
  });

  it('reads the cluster reference comment, relative to the config folder', () => {
    const text = `# waferscope: cluster=../clusters/k16.cluster.yaml\ntrainer:\n  init:\n${MODEL}  fit:\n    train_dataloader:\n      batch_size: 16\n`;
    const doc = readConfig('/work/configs/gpt.yaml', text);
    assert.deepEqual(doc.clusterReference, {
      path: '/work/clusters/k16.cluster.yaml',
      range: rangeOfText(text, '../clusters/k16.cluster.yaml'),
    });
    const absolute = readConfig('/w/c.yaml', text.replace('../clusters/k16.cluster.yaml', '/abs/x.cluster.yaml'));
    assert.equal(absolute.clusterReference!.path, '/abs/x.cluster.yaml');
    const later = readConfig('/w/c.yaml', text.replace(/^(# waferscope.*)\n(trainer:)/, '$2\n$1'));
    assert.equal(later.clusterReference, undefined, 'only the leading comment lines count');
  });

  it('handles CRLF line endings', () => {
    const text = `trainer:\n  init:\n${MODEL}  fit:\n    train_dataloader:\n      batch_size: 16\n`.replace(/\n/g, '\r\n');
    const doc = readConfig('/c/a.yaml', text);
    assert.deepEqual(errors(doc), []);
    assert.deepEqual(doc.sources['model.hiddenSize']!.valueRange, { start: { line: 4, character: 19 }, end: { line: 4, character: 22 } });
  });
});

describe('source layer: JSON and positions', () => {
  it('JSON keys and values carry ranges', () => {
    const text = '{\n  "a": {\n    "b": [1, 2]\n  }\n}';
    const parsed = parseSource('/x/config.json', text);
    assert.equal(parsed.language, 'json');
    const a = entryOf(parsed.documents[0]!.root, 'a')!;
    const b = entryOf(a.value, 'b')!;
    assert.deepEqual(parsed.lines.range(b.keyStart, b.keyEnd), rangeOfText(text, '"b"'));
    assert.deepEqual(parsed.lines.range(b.value.start, b.value.end), rangeOfText(text, '[1, 2]'));
  });

  it('LineIndex converts offsets at line starts and ends', () => {
    const lines = new LineIndex('ab\ncd\n\nef');
    assert.deepEqual(lines.position(0), { line: 0, character: 0 });
    assert.deepEqual(lines.position(2), { line: 0, character: 2 });
    assert.deepEqual(lines.position(3), { line: 1, character: 0 });
    assert.deepEqual(lines.position(6), { line: 2, character: 0 });
    assert.deepEqual(lines.position(9), { line: 3, character: 2 });
    assert.deepEqual(lines.position(99), { line: 3, character: 2 });
  });
});

describe('did-you-mean', () => {
  it('edit distance counts a swap of neighbours as one edit', () => {
    assert.equal(editDistance('hidden_size', 'hidden_size'), 0);
    assert.equal(editDistance('hiden_size', 'hidden_size'), 1);
    assert.equal(editDistance('hidedn_size', 'hidden_size'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
  });

  it('suggests only close matches', () => {
    const keys = ['hidden_size', 'num_hidden_layers', 'num_heads', 'filter_size', 'vocab_size'];
    assert.equal(didYouMean('hiden_size', keys), 'hidden_size');
    assert.equal(didYouMean('Hidden_Size', keys), 'hidden_size');
    assert.equal(didYouMean('num_haeds', keys), 'num_heads');
    assert.equal(didYouMean('num_layers', keys), undefined);
    assert.equal(didYouMean('batch', keys), undefined);
    assert.equal(didYouMean('x', keys), undefined);
  });
});

describe('unknown keys in a pasted blob', () => {
  it('lists the first ones and summarises the rest', () => {
    const extra = Array.from({ length: 500 }, (_, i) => `      stray_${i}: ${i}\n`).join('');
    const text = `trainer:\n  init:\n${MODEL}${extra}  fit:\n    train_dataloader:\n      batch_size: 16\n`;
    const doc = readConfig('/c/a.yaml', text);
    const unknown = doc.diagnostics.filter((d) => d.code === 'unknown-key');
    assert.ok(unknown.length <= 51);
    assert.match(unknown[unknown.length - 1]!.message, /450 more unknown keys/);
    assert.ok(doc.model, 'warnings do not stop the model');
    assert.deepEqual(unknown[0]!.range, rangeOfText(text, 'stray_0'));
  });
});

describe('source layer: byte-order mark', () => {
  it('a JSON file starting with a BOM still reads, with offsets unchanged', () => {
    const text = '\ufeff{"model_type": "gpt2", "n_embd": 768, "n_layer": 12, "n_head": 12, "vocab_size": 50257}';
    const doc = readConfig('/m/config.json', text);
    assert.deepEqual(errors(doc), []);
    assert.equal(doc.model!.hiddenSize, 768);
    assert.deepEqual(doc.sources['model.hiddenSize']!.valueRange, rangeOfText(text, '768'));
  });
});
