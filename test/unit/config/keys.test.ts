import * as assert from 'node:assert/strict';
import {
  ALL_KEYS, FP16_TYPES, KNOWN_MODEL_BLOCK_KEYS, NONLINEARITIES, NORM_TYPES, OPTIMIZER_NAMES, POSITION_EMBEDDING_TYPES,
  SYSTEM_PRESETS, keysAt, lookupKey,
} from '../../../language-server/core/config/keys';
import { parseSource, type SourceNode } from '../../../language-server/core/config/source';
import { allFixtures } from './helpers';

describe('key documentation table', () => {
  it('documents every key with a sentence, a type and its layouts', () => {
    assert.ok(ALL_KEYS.length > 60);
    for (const key of ALL_KEYS) {
      assert.ok(key.doc.length > 10 && /[.)]$/.test(key.doc), `${key.name}: ${key.doc}`);
      assert.ok(key.layouts.length > 0, key.name);
      assert.ok(key.paths.length > 0, key.name);
      if (key.type === 'enum') assert.ok(key.values && key.values.length > 0, key.name);
    }
  });

  it('carries the enumerations the brief names', () => {
    assert.deepEqual([...FP16_TYPES], ['float16', 'bfloat16', 'cbfloat16']);
    for (const value of ['gelu', 'relu', 'swiglu', 'geglu', 'reglu', 'silu']) assert.ok((NONLINEARITIES as readonly string[]).includes(value), value);
    for (const value of ['layernorm', 'rmsnorm']) assert.ok((NORM_TYPES as readonly string[]).includes(value));
    for (const value of ['learned', 'rotary', 'alibi', 'fixed']) assert.ok((POSITION_EMBEDDING_TYPES as readonly string[]).includes(value));
    for (const value of ['AdamW', 'Adam', 'SGD']) assert.ok((OPTIMIZER_NAMES as readonly string[]).includes(value));
    assert.deepEqual([...SYSTEM_PRESETS], ['cs-3', 'cs-2']);
  });

  it('looks keys up by path in each layout', () => {
    assert.equal(lookupKey('modelzoo-trainer', ['trainer', 'init', 'model', 'hidden_size'])!.field, 'model.hiddenSize');
    assert.equal(lookupKey('modelzoo-legacy', ['model', 'hidden_size'])!.field, 'model.hiddenSize');
    assert.equal(lookupKey('modelzoo-trainer', ['trainer', 0, 'trainer', 'init', 'model', 'num_heads'])!.field, 'model.numHeads');
    assert.equal(lookupKey('modelzoo-trainer', ['trainer', 'init', 'model', 'extra_attention_params', 'num_kv_groups'])!.field, 'model.numKvHeads');
    assert.equal(lookupKey('modelzoo-trainer', ['trainer', 'init', 'model', 'moe', 'top_k'])!.field, 'moe.topK');
    assert.equal(
      lookupKey('modelzoo-trainer', ['trainer', 'init', 'callbacks', 2, 'ScopedTrainFlags', 'csx.performance.micro_batch_size'])!.field,
      'training.microBatchSize',
    );
    assert.equal(lookupKey('modelzoo-trainer', ['trainer', 'fit', 'train_dataloader', 'batch_size'])!.field, 'training.globalBatchSize');
    assert.equal(lookupKey('modelzoo-legacy', ['train_input', 'batch_size'])!.field, 'training.globalBatchSize');
    assert.equal(lookupKey('modelzoo-legacy', ['runconfig', 'num_csx'])!.field, 'training.numCsx');
    assert.equal(lookupKey('modelzoo-trainer', ['trainer', 'init', 'optimizer', 'AdamW'])!.field, 'training.optimizer');
    assert.equal(lookupKey('hf-config', ['n_embd'])!.field, 'model.hiddenSize');
    assert.equal(lookupKey('hf-config', ['num_local_experts'])!.field, 'moe.numExperts');
    assert.equal(lookupKey('cluster', ['cluster', 'memoryx', 'capacity'])!.type, 'capacity');
    assert.deepEqual(lookupKey('cluster', ['cluster', 'system'])!.values, ['cs-3', 'cs-2']);
    // Wrong layout or unknown path: nothing.
    assert.equal(lookupKey('hf-config', ['trainer', 'init', 'model', 'hidden_size']), undefined);
    assert.equal(lookupKey('modelzoo-trainer', ['trainer', 'init', 'model', 'dropout_rate']), undefined);
    assert.equal(lookupKey('modelzoo-trainer', ['trainer', 'fit', 'val_dataloader', 'batch_size']), undefined);
  });

  it('lists the keys under a block, for completion', () => {
    const cluster = keysAt('cluster', ['cluster']).map((k) => k.name).sort();
    assert.deepEqual(cluster, ['memoryx', 'name', 'overrides', 'system', 'systems']);
    const model = keysAt('modelzoo-trainer', ['trainer', 'init', 'model']).map((k) => k.name);
    assert.ok(model.includes('hidden_size') && model.includes('moe') && !model.includes('num_kv_groups'));
    assert.deepEqual(keysAt('modelzoo-legacy', ['model', 'moe']).map((k) => k.name).sort(), ['num_experts', 'num_shared_experts', 'top_k']);
  });

  it('knows every key of every fixture model block', () => {
    for (const f of allFixtures()) {
      if (!f.path.includes('modelzoo') || f.path.includes('bert')) continue;
      const root = parseSource(f.absolute, f.text).documents[0]!.root;
      const find = (node: SourceNode | undefined, ...keys: string[]): SourceNode | undefined => {
        let at = node;
        for (const key of keys) at = at && at.kind === 'map' ? at.entries.find((e) => e.key === key)?.value : undefined;
        return at;
      };
      const model = find(root, 'trainer', 'init', 'model') ?? find(root, 'model');
      assert.ok(model && model.kind === 'map', f.path);
      for (const entry of model.entries) assert.ok(KNOWN_MODEL_BLOCK_KEYS.has(entry.key), `${f.path}: ${entry.key}`);
    }
  });
});
