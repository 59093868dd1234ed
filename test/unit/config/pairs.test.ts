import * as assert from 'node:assert/strict';
import { readConfig } from '../../../language-server/core/config/read';
import { countParameters } from '../../../language-server/core/model/structure';
import type { ConfigDocument } from '../../../language-server/core/types';
import { errors, fixture } from './helpers';

function read(path: string): ConfigDocument {
  const f = fixture(path);
  return readConfig(f.absolute, f.text);
}

function total(doc: ConfigDocument): bigint {
  assert.ok(doc.model, `no model in ${doc.file}: ${JSON.stringify(doc.diagnostics.map((d) => d.message))}`);
  assert.deepEqual(errors(doc), [], doc.file);
  assert.deepEqual(doc.diagnostics.filter((d) => d.code === 'unknown-key').map((d) => d.message), [], doc.file);
  return countParameters(doc.model).total;
}

const CHECKPOINTS = 'test/data/checkpoints';

/** One model, two files: its Model Zoo YAML and its Hugging Face config.json give the same count. */
describe('Model Zoo and Hugging Face read the same model the same way', () => {
  const pairs: [string, string, string][] = [
    ['Gemma 2 (sandwich norms, tied)', 'test/data/modelzoo/pairs/gemma2__gemma2_2b.yaml', `${CHECKPOINTS}/gemma2--gemma-2-2b/config.json`],
    ['GPT-J (parallel block, one LayerNorm, LM head bias)', 'test/data/modelzoo/pairs/gptj__gptj_6b.yaml', `${CHECKPOINTS}/gptj--gpt-j-6b-fp32/config.json`],
    ['Falcon-180B', 'test/data/modelzoo/current/falcon__params_falcon_180b.yaml', `${CHECKPOINTS}/falcon--falcon-180b-chat/config.json`],
    ['Mistral-7B (sliding window)', 'test/data/modelzoo/pairs/mistral__mistral_7b.yaml', `${CHECKPOINTS}/mistral--mistral-7b-v0.1/config.json`],
    ['Mixtral-8x7B', 'test/data/modelzoo/current/mixtral__params_mixtral_8x7b.yaml', 'test/data/hf/mixtral-8x7b.config.json'],
    ['Llama-2-70B', 'test/data/modelzoo/current/llama__params_llama2_70b.yaml', `${CHECKPOINTS}/llama--llama2-70b-chat-fp16/config.json`],
  ];
  for (const [name, modelZoo, hf] of pairs) {
    it(name, () => {
      const zoo = read(modelZoo);
      const config = read(hf);
      assert.equal(zoo.format === 'modelzoo-trainer' || zoo.format === 'modelzoo-legacy', true);
      assert.equal(config.format, 'hf-config');
      assert.equal(total(zoo), total(config));
    });
  }

  it('StarCoder 15.5B (multi-query, learned positions): the YAML and a gpt_bigcode config.json', () => {
    const bigcode = readConfig('/m/config.json', JSON.stringify({
      model_type: 'gpt_bigcode', n_embd: 6144, n_layer: 40, n_head: 48, n_inner: 24576, n_positions: 8192, vocab_size: 49152, multi_query: true,
    }));
    // 15,517,456,384: derived in architectures-derived.test.ts.
    assert.equal(total(bigcode), 15_517_456_384n);
    assert.equal(total(read('test/data/modelzoo/pairs/starcoder__starcoder_15b.yaml')), 15_517_456_384n);
  });

  it('Falcon-7B from the legacy layout (no family name: the parallel block is inferred): 6,921,720,704', () => {
    const falcon7b = readConfig('/m/config.json', JSON.stringify({
      model_type: 'falcon', hidden_size: 4544, num_attention_heads: 71, num_hidden_layers: 32, multi_query: true, parallel_attn: true,
      new_decoder_architecture: false, bias: false, vocab_size: 65024,
    }));
    const legacy = read('test/data/modelzoo/pairs/falcon__falcon_7b_legacy.yaml');
    assert.equal(legacy.format, 'modelzoo-legacy');
    assert.equal(legacy.model!.family, 'falcon');
    assert.equal(total(legacy), total(falcon7b));
    assert.equal(total(legacy), 6_921_720_704n);
  });

  it('Gemma 2 from Model Zoo: four norms per layer and the sliding window on every other layer', () => {
    const model = read('test/data/modelzoo/pairs/gemma2__gemma2_2b.yaml').model!;
    assert.equal(model.normsPerLayer, 4);
    assert.equal(model.slidingWindow, 4096);
    assert.deepEqual(model.layerPatterns!.slice(0, 4).map((p) => p.attention), ['sliding', 'global', 'sliding', 'global']);
    // Without the sandwich the block would miss 2 x 2,304 per layer: 26 x 4,608 = 119,808.
    const plain = readConfig('/m/g.yaml', fixture('test/data/modelzoo/pairs/gemma2__gemma2_2b.yaml').text.replace('norm_first_sandwich: true', 'norm_first_sandwich: false'));
    assert.equal(total(read('test/data/modelzoo/pairs/gemma2__gemma2_2b.yaml')) - total(plain), 119_808n);
  });
});
