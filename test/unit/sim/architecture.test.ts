import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readConfig } from '../../../language-server/core/config/read';
import { buildModelStructure } from '../../../language-server/core/model/structure';
import { resolveHardware } from '../../../language-server/core/sim/hardware';
import { prepareLayers } from '../../../language-server/core/sim/layers';
import { attendedKeys } from '../../../language-server/core/sim/mapping';
import type { ModelDescription } from '../../../language-server/core/types';
import { cluster, TB } from './fixtures';

function checkpoint(folder: string): ModelDescription {
  const path = `${process.cwd()}/test/data/checkpoints/${folder}/config.json`;
  const model = readConfig(path, readFileSync(path, 'utf8')).model;
  assert.ok(model);
  return model;
}

const { hw } = resolveHardware(cluster(1, 55 * TB));
const options = { weightElementBytes: 2, activationElementBytes: 2, recompute: 'full' as const };

describe('simulator follows the architecture', () => {
  it('attended keys: s/2 globally, the exact causal average under a window', () => {
    assert.equal(attendedKeys(8192), 4096);
    assert.equal(attendedKeys(8192, 16384), 4096);
    // Window 4: tokens 1..4 see 1..4 keys (10), the other 4 see 4 each (16): 26 / 8.
    assert.equal(attendedKeys(8, 4), 26 / 8);
  });

  it('Gemma 2: sliding layers do less attention work than global ones, and say so in their names', () => {
    const model = checkpoint('gemma2--gemma-2-2b');
    const structure = buildModelStructure(model);
    assert.equal(structure.layers[1]!.name, 'decoder 0 (sliding 4,096)');
    assert.equal(structure.layers[2]!.name, 'decoder 1');
    const prepared = prepareLayers(model, structure, { ...options, sequenceLength: 8192 }, hw);
    const sliding = prepared.layers[1]!;
    const global = prepared.layers[2]!;
    // QK^T and AV: 2 x keys x heads x (qk + v) per token; 8 heads of 256.
    const perKey = 2 * 8 * (256 + 256);
    assert.equal(global.attentionFlopsPerToken, perKey * 4096);
    assert.equal(sliding.attentionFlopsPerToken, perKey * attendedKeys(8192, 4096));
    assert.ok(sliding.forwardModelFlopsPerToken < global.forwardModelFlopsPerToken);
    // Same weights either way.
    assert.equal(sliding.weightBytes, global.weightBytes);
    // At a context inside the window, both are the same.
    const short = prepareLayers(model, structure, { ...options, sequenceLength: 4096 }, hw);
    assert.equal(short.layers[1]!.attentionFlopsPerToken, short.layers[2]!.attentionFlopsPerToken);
  });

  it('MoE (gpt-oss-20b): the layer streams all 32 experts and computes 4 of them', () => {
    const model = checkpoint('gpt_oss--gpt-oss-20b');
    const structure = buildModelStructure(model);
    assert.equal(structure.layers[1]!.name, 'decoder 0 (MoE, sliding 128)');
    assert.equal(structure.layers[2]!.name, 'decoder 1 (MoE)');
    const prepared = prepareLayers(model, structure, { ...options, sequenceLength: 4096 }, hw);
    const layer = prepared.layers[2]!;
    // Weights held on the wafer: every parameter of the layer at 2 B (all expert copies).
    assert.equal(layer.weightBytes, 2 * Number(structure.layers[2]!.parameters));
    // Matmul FLOPs: 2 x active matrix elements; experts 4 of 32 (gate, up, down 3 x 2880 x 2880).
    const attention = 2 * (2880 * 4096 + 2 * 2880 * 512 + 4096 * 2880);
    const experts = 2 * 4 * 3 * 2880 * 2880;
    const router = 2 * 2880 * 32;
    assert.equal(layer.forwardModelFlopsPerToken - layer.attentionFlopsPerToken, attention + experts + router);
  });

  it('shared experts always compute (Qwen2-MoE shape)', () => {
    const doc = readConfig('/m/config.json', JSON.stringify({
      model_type: 'qwen2_moe', hidden_size: 64, num_hidden_layers: 1, num_attention_heads: 4, num_key_value_heads: 4, intermediate_size: 128,
      moe_intermediate_size: 32, shared_expert_intermediate_size: 96, num_experts: 8, num_experts_per_tok: 2, vocab_size: 100,
    }));
    const structure = buildModelStructure(doc.model!);
    const prepared = prepareLayers(doc.model!, structure, { ...options, sequenceLength: 16 }, hw);
    const layer = prepared.layers[1]!;
    const attention = 2 * 4 * 64 * 64;
    const experts = 2 * 2 * 3 * 64 * 32;
    const shared = 2 * 3 * 64 * 96 + 2 * 64;
    const router = 2 * 64 * 8;
    assert.equal(layer.forwardModelFlopsPerToken - layer.attentionFlopsPerToken, attention + experts + shared + router);
  });

  it('Gemma 3: the vision tower is held and streamed with the embedding, but adds no per-token work', () => {
    const doc = readConfig('/m/config.json', JSON.stringify({
      model_type: 'gemma3',
      text_config: { hidden_size: 256, num_hidden_layers: 2, num_attention_heads: 2, num_key_value_heads: 1, head_dim: 128, intermediate_size: 512, vocab_size: 1000 },
      vision_config: { hidden_size: 64, intermediate_size: 128, num_hidden_layers: 2, image_size: 56, patch_size: 14 },
    }));
    const structure = buildModelStructure(doc.model!);
    const prepared = prepareLayers(doc.model!, structure, { ...options, sequenceLength: 64 }, hw);
    const embedding = prepared.layers[0]!;
    assert.equal(embedding.weightBytes, 2 * Number(structure.layers[0]!.parameters));
    assert.ok(structure.layers[0]!.tensors.some((t) => t.name.startsWith('vision.')));
    assert.equal(embedding.forwardModelFlopsPerToken, 0);
  });
});
