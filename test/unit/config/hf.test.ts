import * as assert from 'node:assert/strict';
import { readConfig } from '../../../language-server/core/config/read';
import { countParameters } from '../../../language-server/core/model/structure';
import type { ConfigDocument } from '../../../language-server/core/types';
import { errors, only, rangeAfter } from './helpers';

/** Reads an object as a config.json (the published configs, trimmed to what matters). */
function hf(config: Record<string, unknown>): ConfigDocument {
  return readConfig('/models/x/config.json', JSON.stringify(config, null, 2));
}

function total(doc: ConfigDocument): bigint {
  assert.ok(doc.model, JSON.stringify(doc.diagnostics));
  return countParameters(doc.model).total;
}

const llama3_8b = {
  architectures: ['LlamaForCausalLM'],
  model_type: 'llama',
  hidden_size: 4096,
  intermediate_size: 14336,
  num_attention_heads: 32,
  num_hidden_layers: 32,
  num_key_value_heads: 8,
  vocab_size: 128256,
  max_position_embeddings: 8192,
  tie_word_embeddings: false,
};

const deepseekV3 = {
  architectures: ['DeepseekV3ForCausalLM'],
  model_type: 'deepseek_v3',
  hidden_size: 7168,
  intermediate_size: 18432,
  moe_intermediate_size: 2048,
  num_hidden_layers: 61,
  num_nextn_predict_layers: 1,
  num_attention_heads: 128,
  num_key_value_heads: 128,
  n_shared_experts: 1,
  n_routed_experts: 256,
  num_experts_per_tok: 8,
  first_k_dense_replace: 3,
  q_lora_rank: 1536,
  kv_lora_rank: 512,
  qk_nope_head_dim: 128,
  qk_rope_head_dim: 64,
  v_head_dim: 128,
  topk_method: 'noaux_tc',
  vocab_size: 129280,
  max_position_embeddings: 163840,
  tie_word_embeddings: false,
};

describe('Hugging Face config.json reader', () => {
  it('Llama-3-8B: 8,030,261,248', () => {
    const doc = hf(llama3_8b);
    assert.equal(doc.format, 'hf-config');
    assert.deepEqual(errors(doc), []);
    // Derivation in the structure tests.
    assert.equal(total(doc), 8_030_261_248n);
    assert.equal(doc.model!.headDim, 128);
  });

  it('tie_word_embeddings defaults by model type (llama untied, gpt2 tied)', () => {
    const { tie_word_embeddings: _, ...withoutTie } = llama3_8b;
    assert.equal(hf(withoutTie).model!.tiedEmbeddings, false);
    const gpt2 = hf({ model_type: 'gpt2', n_embd: 768, n_layer: 12, n_head: 12, n_positions: 1024, vocab_size: 50257, n_inner: null });
    assert.equal(gpt2.model!.tiedEmbeddings, true);
    assert.equal(gpt2.model!.ffnSize, 3072);
    assert.equal(total(gpt2), 124_439_808n);
  });

  it('head_dim may be given, or null', () => {
    const given = hf({ ...llama3_8b, head_dim: 64, num_attention_heads: 32 });
    assert.equal(given.model!.headDim, 64);
    const nulled = hf({ ...llama3_8b, head_dim: null });
    assert.equal(nulled.model!.headDim, 128);
    // With head_dim given, hidden_size need not divide by the heads (Qwen3 / Gemma style).
    const odd = hf({ ...llama3_8b, num_attention_heads: 24, num_key_value_heads: 8, head_dim: 128 });
    assert.deepEqual(errors(odd), []);
    assert.equal(odd.model!.headDim, 128);
  });

  it('Mistral-7B: 7,241,732,096', () => {
    const doc = hf({ ...llama3_8b, model_type: 'mistral', architectures: ['MistralForCausalLM'], vocab_size: 32000, max_position_embeddings: 32768 });
    assert.equal(doc.model!.family, 'mistral');
    assert.equal(total(doc), 7_241_732_096n);
  });

  it('Qwen2-7B with Q/K/V biases: 7,615,616,512', () => {
    const doc = hf({
      model_type: 'qwen2',
      hidden_size: 3584,
      intermediate_size: 18944,
      num_attention_heads: 28,
      num_hidden_layers: 28,
      num_key_value_heads: 4,
      vocab_size: 152064,
      max_position_embeddings: 131072,
      tie_word_embeddings: false,
    });
    assert.deepEqual(doc.model!.bias, { qkv: true, attnOut: false, mlp: false, lmHead: false });
    assert.equal(total(doc), 7_615_616_512n);
  });

  it('Falcon-180B (new decoder architecture): 178,557,088,768', () => {
    const doc = hf({
      model_type: 'falcon',
      hidden_size: 14848,
      num_attention_heads: 232,
      num_hidden_layers: 80,
      num_kv_heads: 8,
      new_decoder_architecture: true,
      parallel_attn: true,
      bias: false,
      alibi: false,
      vocab_size: 65024,
    });
    assert.equal(doc.model!.numKvHeads, 8);
    assert.equal(doc.model!.normsPerLayer, 2);
    assert.equal(doc.model!.ffnSize, 4 * 14848);
    assert.equal(doc.model!.tiedEmbeddings, true);
    assert.equal(total(doc), 178_557_088_768n);
  });

  it('Falcon-7B (multi-query, one LayerNorm): 6,921,720,704', () => {
    const doc = hf({
      model_type: 'falcon',
      hidden_size: 4544,
      num_attention_heads: 71,
      num_hidden_layers: 32,
      multi_query: true,
      parallel_attn: true,
      new_decoder_architecture: false,
      bias: false,
      vocab_size: 65024,
    });
    assert.equal(doc.model!.numKvHeads, 1);
    assert.equal(doc.model!.normsPerLayer, 1);
    assert.equal(total(doc), 6_921_720_704n);
  });

  it('BLOOM-7b1 (n_layer / n_head names): 7,069,016,064', () => {
    const doc = hf({ model_type: 'bloom', architectures: ['BloomForCausalLM'], hidden_size: 4096, n_layer: 30, n_head: 32, vocab_size: 250880 });
    assert.equal(doc.model!.positionEmbedding, 'alibi');
    assert.equal(doc.model!.embeddingNorm, true);
    assert.equal(total(doc), 7_069_016_064n);
  });

  it('DeepSeek-V3: 671,026,404,352 (no MTP layer, correction bias a buffer, as transformers builds it)', () => {
    const doc = hf(deepseekV3);
    assert.deepEqual(errors(doc), []);
    const model = doc.model!;
    assert.equal(model.architecture, 'deepseek');
    assert.deepEqual(model.mla, { qLoraRank: 1536, kvLoraRank: 512, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128 });
    assert.equal(model.moe!.firstDenseLayers, 3);
    // e_score_correction_bias is registered as a buffer: no gradient, no optimizer state.
    assert.equal(model.moe!.routerBias, false);
    // Derivation in the structure tests.
    assert.equal(total(doc), 671_026_404_352n);
  });

  it('Kimi K2 (deepseek_v3 layout, 384 experts, 64 heads): 1,026,408,209,408', () => {
    const doc = hf({
      ...deepseekV3,
      model_type: 'kimi_k2',
      num_attention_heads: 64,
      num_key_value_heads: 64,
      n_routed_experts: 384,
      first_k_dense_replace: 1,
      vocab_size: 163840,
      max_position_embeddings: 131072,
    });
    // By hand: attention q_a 11,010,048 + norm 1536 + q_b 1536*64*192 = 18,874,368 + kv_a
    // 4,128,768 + norm 512 + kv_b 512*64*256 = 8,388,608 + o 64*128*7168 = 58,720,256
    // = 101,124,096; + two norms 14,336 = 101,138,432. Dense layer + 396,361,728 = 497,500,160.
    // MoE layer: 384 experts x 44,040,192 = 16,911,433,728 + shared 44,040,192 + router
    // 2,752,512 + attention = 17,059,364,864 (the correction bias is a buffer); x60 = 1,023,561,891,840.
    // Embed + head 2*163840*7168 = 2,348,810,240; final 7168 -> 1,026,408,209,408.
    assert.equal(total(doc), 1_026_408_209_408n);
  });

  it('q_lora_rank: null means a full-rank q_proj', () => {
    const doc = hf({ ...deepseekV3, q_lora_rank: null });
    assert.equal(doc.model!.mla!.qLoraRank, 0);
    // q_a 11,010,048 + norm 1536 + q_b 37,748,736 replaced by q_proj 7168*24576 = 176,160,768:
    // +127,400,448 per layer x61 = 7,771,427,328 more.
    assert.equal(total(doc) - 671_026_404_352n, 7_771_427_328n);
  });

  it('a non-decoder model type gets one not-modelled information', () => {
    const text = JSON.stringify({ model_type: 'bert', hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072 }, null, 2);
    const doc = readConfig('/m/config.json', text);
    assert.equal(doc.unmodelledFamily, 'bert');
    assert.equal(doc.diagnostics.length, 1);
    assert.equal(only(doc, 'not-modelled').severity, 'information');
    assert.deepEqual(doc.diagnostics[0]!.range, rangeAfter(text, '"model_type"', '"bert"'));
  });

  it('an unknown decoder-shaped model type gets no count: a warning names it, the supported types and the setting', () => {
    const doc = hf({ ...llama3_8b, model_type: 'somethingnew', architectures: ['SomethingNewForCausalLM'] });
    const warning = only(doc, 'unsupported-model-type');
    assert.equal(warning.severity, 'warning');
    assert.match(warning.message, /'somethingnew'/);
    assert.match(warning.message, /gemma2, gemma3/);
    assert.match(warning.message, /waferscope\.readAs/);
    assert.equal(doc.model, undefined);
    assert.equal(doc.unmodelledFamily, 'somethingnew');
  });

  it('waferscope.readAs reads an unknown type as a supported one, marked approximate', () => {
    const config = { ...llama3_8b, model_type: 'somethingnew' };
    const doc = readConfig('/m/config.json', JSON.stringify(config, null, 2), { readAs: { somethingnew: 'llama' } });
    assert.equal(only(doc, 'approximate-reading').severity, 'warning');
    assert.deepEqual(doc.model!.approximation?.readAs, 'llama');
    assert.equal(total(doc), 8_030_261_248n);
    // A readAs target outside the table is no reading at all.
    const bad = readConfig('/m/config.json', JSON.stringify(config, null, 2), { readAs: { somethingnew: 'llama9' } });
    assert.equal(bad.model, undefined);
    assert.match(only(bad, 'unsupported-model-type').message, /'llama9', which is not a supported type/);
  });

  it('validates like the Model Zoo reader: wrong type, divisibility, top-k', () => {
    const wrong = readConfig('/m/config.json', '{\n  "model_type": "llama",\n  "hidden_size": "big",\n  "num_hidden_layers": 2,\n  "num_attention_heads": 2,\n  "intermediate_size": 8,\n  "vocab_size": 10\n}');
    const wrongType = only(wrong, 'wrong-type');
    assert.deepEqual(wrongType.range, { start: { line: 2, character: 17 }, end: { line: 2, character: 22 } });
    assert.equal(wrong.model, undefined);
    const kv = hf({ ...llama3_8b, num_key_value_heads: 5 });
    assert.equal(only(kv, 'not-divisible').severity, 'error');
    assert.equal(kv.model, undefined);
    const moe = hf({ ...llama3_8b, model_type: 'mixtral', num_local_experts: 4, num_experts_per_tok: 6 });
    assert.equal(only(moe, 'top-k-exceeds-experts').severity, 'error');
  });

  it('records where each field was written', () => {
    const text = JSON.stringify(llama3_8b, null, 2);
    const doc = readConfig('/m/config.json', text);
    assert.deepEqual(doc.sources['model.hiddenSize']!.keyRange, rangeAfter(text, '', '"hidden_size"'));
    assert.deepEqual(doc.sources['model.numKvHeads']!.valueRange, rangeAfter(text, '"num_key_value_heads"', '8'));
    assert.deepEqual(doc.sources['model.block']!.keyRange.start, { line: 0, character: 0 });
  });

  it('plans a config.json with stated training assumptions', () => {
    const doc = hf(llama3_8b);
    assert.equal(doc.training!.optimizer, 'adamw');
    assert.equal(doc.training!.sequenceLength, 8192);
    const long = hf({ ...llama3_8b, max_position_embeddings: 131072, torch_dtype: 'float16' });
    // Long contexts are capped at 8192 for planning; float16 checkpoints plan in fp16.
    assert.equal(long.training!.sequenceLength, 8192);
    assert.equal(long.training!.precision, 'fp16');
  });
});
