import * as assert from 'node:assert/strict';
import { readConfig } from '../../../language-server/core/config/read';
import { buildModelStructure, countParameters } from '../../../language-server/core/model/structure';
import type { ConfigDocument } from '../../../language-server/core/types';

function hf(config: Record<string, unknown>): ConfigDocument {
  return readConfig('/models/x/config.json', JSON.stringify(config, null, 2));
}

function total(config: Record<string, unknown>): bigint {
  const doc = hf(config);
  assert.ok(doc.model, JSON.stringify(doc.diagnostics.map((d) => d.message)));
  assert.deepEqual(doc.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning').map((d) => d.message), []);
  return countParameters(doc.model).total;
}

/**
 * Model types without a checkpoint fixture, counted by hand from their transformers modelling
 * files (the module tree num_parameters() walks) for published configs (trimmed to the keys that
 * shape tensors). Each derivation is in the comment; the figure is the sum, not the code's output.
 */
describe('architecture table: hand-derived counts for types without a fixture', () => {
  it('qwen3_moe (Qwen3-30B-A3B): 30,532,122,624', () => {
    // Per layer: q 2048x4096 8,388,608 + k,v 2x2048x512 2,097,152 + o 8,388,608 + q/k norm 2x128
    // + 2 norms 4,096 + router 2048x128 262,144 + 128 experts x 3x2048x768 603,979,776
    // = 623,120,640; x48 = 29,909,790,720; embed + untied head 2x151936x2048 = 622,329,856; final 2,048.
    assert.equal(total({
      model_type: 'qwen3_moe', hidden_size: 2048, num_hidden_layers: 48, num_attention_heads: 32, num_key_value_heads: 4, head_dim: 128,
      intermediate_size: 6144, moe_intermediate_size: 768, num_experts: 128, num_experts_per_tok: 8, decoder_sparse_step: 1, mlp_only_layers: [],
      vocab_size: 151936, tie_word_embeddings: false,
    }), 30_532_122_624n);
  });

  it('qwen2_moe (Qwen1.5-MoE-A2.7B, shared expert and its gate): 14,315,784,192', () => {
    // Per layer: q,k,v with bias 3x(2048^2 + 2048) 12,589,056 + o 4,194,304 + norms 4,096 + router
    // 2048x60 122,880 + experts 60x3x2048x1408 519,045,120 + shared 3x2048x5632 34,603,008 + shared
    // gate 2,048 = 570,560,512; x24 = 13,693,452,288; + 2x151936x2048 622,329,856 + 2,048.
    assert.equal(total({
      model_type: 'qwen2_moe', hidden_size: 2048, num_hidden_layers: 24, num_attention_heads: 16, num_key_value_heads: 16,
      intermediate_size: 5632, moe_intermediate_size: 1408, shared_expert_intermediate_size: 5632, num_experts: 60, num_experts_per_tok: 4,
      decoder_sparse_step: 1, vocab_size: 151936, tie_word_embeddings: false,
    }), 14_315_784_192n);
  });

  it('qwen2_moe: mlp_only_layers and decoder_sparse_step make dense layers', () => {
    const base = {
      model_type: 'qwen2_moe', hidden_size: 64, num_hidden_layers: 4, num_attention_heads: 4, num_key_value_heads: 4, intermediate_size: 128,
      moe_intermediate_size: 32, shared_expert_intermediate_size: 0, num_experts: 4, num_experts_per_tok: 2, vocab_size: 100,
    };
    const doc = hf({ ...base, decoder_sparse_step: 2, mlp_only_layers: [3] });
    const names = buildModelStructure(doc.model!).layers.map((l) => l.name);
    // (i + 1) % 2 == 0 -> layers 1 and 3; layer 3 is listed as MLP-only.
    assert.deepEqual(names.slice(1, 5), ['decoder 0', 'decoder 1 (MoE)', 'decoder 2', 'decoder 3']);
  });

  it('olmoe (OLMoE-1B-7B, full-width q/k norms): 6,919,161,856', () => {
    // Per layer: attention 4x2048^2 16,777,216 + q_norm 2,048 + k_norm 2,048 + norms 4,096 + router
    // 2048x64 131,072 + experts 64x3x2048x1024 402,653,184 = 419,569,664; x16 = 6,713,114,624;
    // + 2x50304x2048 206,045,184 + 2,048.
    assert.equal(total({
      model_type: 'olmoe', hidden_size: 2048, num_hidden_layers: 16, num_attention_heads: 16, num_key_value_heads: 16,
      intermediate_size: 1024, num_experts: 64, num_experts_per_tok: 8, vocab_size: 50304, tie_word_embeddings: false,
    }), 6_919_161_856n);
  });

  it('olmo2 (OLMo-2-1124-7B, post-norms, full-width q/k norms): 7,298,617,344', () => {
    // Per layer: 4x4096^2 67,108,864 + q/k norms 8,192 + MLP 3x4096x11008 135,266,304 + 2 post
    // norms 8,192 = 202,391,552; x32 = 6,476,529,664; + 2x100352x4096 822,083,584 + 4,096.
    assert.equal(total({
      model_type: 'olmo2', hidden_size: 4096, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 32,
      intermediate_size: 11008, vocab_size: 100352, tie_word_embeddings: false,
    }), 7_298_617_344n);
  });

  it('olmo: the non-parametric LayerNorm has no parameters', () => {
    // OLMo-7B shape: per layer 4x4096^2 + 3x4096x11008 = 202,375,168; x32 = 6,476,005,376;
    // + 2x50304x4096 = 412,090,368; no norm weights anywhere -> 6,888,095,744.
    assert.equal(total({
      model_type: 'olmo', hidden_size: 4096, num_hidden_layers: 32, num_attention_heads: 32, intermediate_size: 11008,
      vocab_size: 50304, tie_word_embeddings: false,
    }), 6_888_095_744n);
  });

  it('gpt_oss (gpt-oss-120b): 116,829,156,672', () => {
    // Per layer: attention with biases and 64 sinks 26,550,144 + norms 5,760 + router with bias
    // 2880x128 + 128 = 368,768 + 128 experts x (2880x5760 + 5760 + 2880x2880 + 2880) 3,186,155,520
    // = 3,213,080,192; x36 = 115,670,886,912; + 2x201088x2880 1,158,266,880 + 2,880.
    assert.equal(total({
      model_type: 'gpt_oss', hidden_size: 2880, num_hidden_layers: 36, num_attention_heads: 64, num_key_value_heads: 8, head_dim: 64,
      intermediate_size: 2880, num_local_experts: 128, num_experts_per_tok: 4, sliding_window: 128, attention_bias: true,
      vocab_size: 201088, tie_word_embeddings: false,
    }), 116_829_156_672n);
  });

  it('deepseek_v2 (DeepSeek-V2-Lite, full-rank q_proj, 2 shared experts, 1 dense layer): 15,706,484,224', () => {
    // Attention: q_proj 2048x16x192 6,291,456 + kv_a 2048x576 1,179,648 + kv_a norm 512 + kv_b
    // 512x16x256 2,097,152 + o 16x128x2048 4,194,304 = 13,763,072; + 2 norms 4,096.
    // Dense layer 0: + 3x2048x10944 67,239,936 = 81,007,104. MoE layers: + router 131,072 + experts
    // 64x3x2048x1408 553,648,128 + shared 2x3x2048x1408 17,301,504 = 584,847,872; x26 = 15,206,044,672.
    // + 2x102400x2048 419,430,400 + 2,048.
    assert.equal(total({
      model_type: 'deepseek_v2', hidden_size: 2048, num_hidden_layers: 27, num_attention_heads: 16, num_key_value_heads: 16,
      intermediate_size: 10944, moe_intermediate_size: 1408, n_routed_experts: 64, n_shared_experts: 2, num_experts_per_tok: 6,
      first_k_dense_replace: 1, moe_layer_freq: 1, q_lora_rank: null, kv_lora_rank: 512, qk_nope_head_dim: 128, qk_rope_head_dim: 64,
      v_head_dim: 128, topk_method: 'greedy', vocab_size: 102400, tie_word_embeddings: false,
    }), 15_706_484_224n);
  });

  it('gemma3 (Gemma-3-4b-it: text_config plus the SigLIP vision tower): 4,300,079,472', () => {
    // Text: per layer q 2560x2048 + k,v 2x2560x1024 + o 2048x2560 = 15,728,640 + q/k norms 512 +
    // MLP 3x2560x10240 78,643,200 + 4 norms 10,240 = 94,382,592; x34 = 3,209,008,128; embed
    // 262208x2560 671,252,480 (tied head); final 2,560 -> 3,880,263,168.
    // Vision (defaults): patch conv 3x14x14x1152 + 1152 = 678,528; positions 64^2x1152 4,718,592;
    // 27 layers x (2 LayerNorms 4,608 + q,k,v,o with bias 5,313,024 + fc1 4,962,512 + fc2 4,959,360)
    // = 411,466,608; post LayerNorm 2,304 -> 416,866,032. Projector 1152x2560 + norm 1,152 = 2,950,272.
    assert.equal(total({
      model_type: 'gemma3',
      text_config: {
        model_type: 'gemma3_text', hidden_size: 2560, num_hidden_layers: 34, num_attention_heads: 8, num_key_value_heads: 4,
        head_dim: 256, intermediate_size: 10240, vocab_size: 262208, sliding_window: 1024,
      },
      vision_config: { model_type: 'siglip_vision_model', hidden_size: 1152, intermediate_size: 4304, num_hidden_layers: 27, image_size: 896, patch_size: 14 },
    }), 4_300_079_472n);
  });

  it('gemma3_text: five sliding layers then one global, by sliding_window_pattern', () => {
    const doc = hf({
      model_type: 'gemma3_text', hidden_size: 64, num_hidden_layers: 7, num_attention_heads: 2, num_key_value_heads: 1, head_dim: 32,
      intermediate_size: 128, vocab_size: 100, sliding_window: 512,
    });
    const patterns = doc.model!.layerPatterns!.map((p) => p.attention[0]).join('');
    assert.equal(patterns, 'sssssgs');
    assert.equal(doc.model!.slidingWindow, 512);
  });

  it('starcoder2 (starcoder2-3b, biases and LayerNorms, tied): 3,030,371,328', () => {
    // Per layer: q 3072^2 + 3072, k,v 2x(3072x256 + 256), o 3072^2 + 3072 = 20,453,888; c_fc
    // 3072x12288 + 12288 + c_proj 12288x3072 + 3072 = 75,512,832; 2 LayerNorms 12,288 -> 95,979,008;
    // x30 = 2,879,370,240; embed 49152x3072 150,994,944 (tied); final LayerNorm 6,144.
    assert.equal(total({
      model_type: 'starcoder2', hidden_size: 3072, num_hidden_layers: 30, num_attention_heads: 24, num_key_value_heads: 2,
      intermediate_size: 12288, vocab_size: 49152, use_bias: true, sliding_window: 4096,
    }), 3_030_371_328n);
  });

  it('gpt_bigcode (StarCoder 15.5B, multi-query): 15,517,456,384', () => {
    // Per layer: c_attn 6144x(6144 + 2x128) + 6400 = 39,328,000; c_proj 6144^2 + 6144 = 37,754,880;
    // c_fc 6144x24576 + 24576 = 151,019,520; c_proj 24576x6144 + 6144 = 151,001,088; ln 24,576
    // -> 379,128,064; x40 = 15,165,122,560; wte 49152x6144 301,989,888 (tied); wpe 8192x6144
    // 50,331,648; ln_f 12,288.
    assert.equal(total({
      model_type: 'gpt_bigcode', n_embd: 6144, n_layer: 40, n_head: 48, n_inner: 24576, n_positions: 8192, vocab_size: 49152, multi_query: true,
    }), 15_517_456_384n);
  });

  it('cohere (Command-R shape: parallel block, one LayerNorm without bias, tied): 34,980,831,232', () => {
    // Per layer: 4x8192^2 268,435,456 + 3x8192x22528 553,648,128 + one norm weight 8,192 =
    // 822,091,776; x40 = 32,883,671,040; embed 256000x8192 2,097,152,000 (tied); final 8,192.
    assert.equal(total({
      model_type: 'cohere', hidden_size: 8192, num_hidden_layers: 40, num_attention_heads: 64, num_key_value_heads: 64,
      intermediate_size: 22528, vocab_size: 256000, use_qk_norm: false,
    }), 34_980_831_232n);
  });

  it('phimoe (Phi-3.5-MoE: biased attention, LayerNorms, LM head bias): 41,873,153,344', () => {
    // Per layer: q 4096^2 + 4096 16,781,312, k,v 2x(4096x1024 + 1024) 8,390,656, o 16,781,312
    // = 41,953,280; 2 LayerNorms 16,384; router 65,536; experts 16x3x4096x6400 1,258,291,200
    // -> 1,300,326,400; x32 = 41,610,444,800; + 2x32064x4096 262,668,288 + final LayerNorm 8,192
    // + lm_head bias 32,064.
    assert.equal(total({
      model_type: 'phimoe', hidden_size: 4096, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8,
      intermediate_size: 6400, num_local_experts: 16, num_experts_per_tok: 2, vocab_size: 32064, attention_bias: true,
      lm_head_bias: true, tie_word_embeddings: false,
    }), 41_873_153_344n);
  });

  it('llama4_text (Llama-4-Scout text model: every layer MoE with a shared expert): 107,769,861,120', () => {
    // Per layer: q 5120^2 + k,v 2x5120x1024 + o 5120^2 = 62,914,560; norms 10,240; router 5120x16
    // 81,920; experts 16x3x5120x8192 2,013,265,920; shared 3x5120x8192 125,829,120 -> 2,202,101,760;
    // x48 = 105,700,884,480; + 2x202048x5120 2,068,971,520 + 5,120. (L2 q/k norm: no parameters.)
    assert.equal(total({
      model_type: 'llama4_text', hidden_size: 5120, num_hidden_layers: 48, num_attention_heads: 40, num_key_value_heads: 8, head_dim: 128,
      intermediate_size: 8192, intermediate_size_mlp: 16384, num_local_experts: 16, num_experts_per_tok: 1, interleave_moe_layer_step: 1,
      vocab_size: 202048, tie_word_embeddings: false,
    }), 107_769_861_120n);
  });

  it('llama4_text: interleave_moe_layer_step 2 makes every other layer dense with intermediate_size_mlp', () => {
    const doc = hf({
      model_type: 'llama4_text', hidden_size: 64, num_hidden_layers: 4, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 16,
      intermediate_size: 32, intermediate_size_mlp: 256, num_local_experts: 4, num_experts_per_tok: 1, interleave_moe_layer_step: 2, vocab_size: 100,
    });
    const layers = buildModelStructure(doc.model!).layers;
    assert.deepEqual(layers.slice(1, 5).map((l) => l.name), ['decoder 0', 'decoder 1 (MoE)', 'decoder 2', 'decoder 3 (MoE)']);
    const dense = layers[1]!.tensors.find((t) => t.name === 'mlp.up')!;
    assert.deepEqual(dense.shape, [64, 256]);
  });

  it('falcon (Falcon-40B): the RefinedWeb remote-code config and the transformers one agree, 41,303,293,952', () => {
    // Per layer: fused QKV 8192 x (8192 + 2 x 8 x 64) 75,497,472 + dense 8192^2 67,108,864 + MLP
    // 2 x 8192 x 32768 536,870,912 + ln_attn and ln_mlp 32,768 = 679,510,016; x60 = 40,770,600,960;
    // embedding 65024 x 8192 532,676,608 (tied); ln_f 16,384.
    const shape = { hidden_size: 8192, n_layer: 60, n_head: 128, vocab_size: 65024, parallel_attn: true, bias: false };
    assert.equal(total({ ...shape, model_type: 'RefinedWeb', n_head_kv: 8 }), 41_303_293_952n);
    assert.equal(total({ ...shape, model_type: 'falcon', new_decoder_architecture: true, num_kv_heads: 8 }), 41_303_293_952n);
  });

  it('chatglm: the first-generation ChatGLM-6B layout is not read as ChatGLM2/3', () => {
    const doc = hf({ model_type: 'chatglm', hidden_size: 4096, num_layers: 28, num_attention_heads: 32, inner_hidden_size: 16384, vocab_size: 130528 });
    assert.equal(doc.model, undefined);
    assert.match(doc.diagnostics.find((d) => d.code === 'unsupported-model-type')!.message, /first-generation ChatGLM-6B/);
  });

  it('gpt_neox (Pythia-12B, the issue\'s example read wrongly before): 11,846,072,320', () => {
    // Per layer: fused QKV 5120 x 15360 + 15,360 = 78,658,560; dense 5120^2 + 5,120 = 26,219,520;
    // MLP 2 x 5120 x 20480 + 20,480 + 5,120 = 209,740,800; 2 LayerNorms 20,480 -> 314,639,360;
    // x36 = 11,327,016,960; untied embed_in + embed_out 2 x 50688 x 5120 = 519,045,120; final 10,240.
    assert.equal(total({
      model_type: 'gpt_neox', hidden_size: 5120, num_hidden_layers: 36, num_attention_heads: 40, intermediate_size: 20480,
      vocab_size: 50688, use_parallel_residual: true, tie_word_embeddings: false,
    }), 11_846_072_320n);
  });

  it('glm4_moe (GLM-4.5 without its MTP layer, which transformers does not build): 352,797,814,784', () => {
    // Attention: q 5120 x 12288 + bias 12,288, k,v 2 x (5120 x 1024 + 1,024), o 12288 x 5120 (no bias)
    // = 136,329,216; q/k norms 2 x 128; 2 norms 10,240 -> 136,339,712.
    // Dense layers 0-2: + 3 x 5120 x 12288 188,743,680 = 325,083,392; x3 = 975,250,176.
    // MoE layers: + router 5120 x 160 819,200 (its correction bias is a buffer) + experts 160 x 3 x
    // 5120 x 1536 3,774,873,600 + shared 3 x 5120 x 1536 23,592,960 = 3,935,625,472; x89 = 350,270,667,008.
    // + 2 x 151552 x 5120 1,551,892,480 + 5,120.
    assert.equal(total({
      model_type: 'glm4_moe', hidden_size: 5120, num_hidden_layers: 92, num_attention_heads: 96, num_key_value_heads: 8, head_dim: 128,
      intermediate_size: 12288, moe_intermediate_size: 1536, n_routed_experts: 160, n_shared_experts: 1, num_experts_per_tok: 8,
      first_k_dense_replace: 3, num_nextn_predict_layers: 1, attention_bias: true, use_qk_norm: true, partial_rotary_factor: 0.5,
      vocab_size: 151552, tie_word_embeddings: false,
    }), 352_797_814_784n);
  });

  it('stablelm (StableLM-2-1.6B: LayerNorms with bias, QKV bias): 1,644,515,328', () => {
    // Per layer: q,k,v with bias 3 x (2048^2 + 2048) 12,589,056 + o 4,194,304 + MLP 3 x 2048 x 5632
    // 34,603,008 + 2 LayerNorms 8,192 = 51,394,560; x24 = 1,233,469,440; + 2 x 100352 x 2048
    // 411,041,792 + final LayerNorm 4,096.
    assert.equal(total({
      model_type: 'stablelm', hidden_size: 2048, num_hidden_layers: 24, num_attention_heads: 32, num_key_value_heads: 32,
      intermediate_size: 5632, vocab_size: 100352, use_qkv_bias: true, qk_layernorm: false, use_parallel_residual: false, tie_word_embeddings: false,
    }), 1_644_515_328n);
  });

  it('exaone (EXAONE-3.0-7.8B, num_layers): 7,818,448,896', () => {
    // Per layer: attention 2 x 4096^2 + 2 x 4096 x 1024 = 41,943,040 + MLP 3 x 4096 x 14336
    // 176,160,768 + 2 RMSNorms 8,192 = 218,112,000; x32 = 6,979,584,000; + 2 x 102400 x 4096
    // 838,860,800 + 4,096.
    assert.equal(total({
      model_type: 'exaone', hidden_size: 4096, num_layers: 32, num_attention_heads: 32, num_key_value_heads: 8,
      intermediate_size: 14336, vocab_size: 102400, tie_word_embeddings: false,
    }), 7_818_448_896n);
  });

  it('internlm2: bias defaults to true (InternLM2Config), the fixture says false', () => {
    const shape = { model_type: 'internlm2', hidden_size: 64, num_hidden_layers: 1, num_attention_heads: 4, num_key_value_heads: 2, intermediate_size: 128, vocab_size: 100 };
    // wqkv 64 x (64 + 2 x 32) gets 128 bias values, wo 64.
    assert.equal(total(shape) - total({ ...shape, bias: false }), 192n);
  });

  it('num_key_value_heads: absent takes the configuration class default, null the query heads', () => {
    const mistral = { model_type: 'mistral', hidden_size: 4096, num_hidden_layers: 32, num_attention_heads: 32, intermediate_size: 14336, vocab_size: 32000 };
    assert.equal(hf(mistral).model!.numKvHeads, 8); // MistralConfig(num_key_value_heads=8)
    assert.equal(hf({ ...mistral, num_key_value_heads: null }).model!.numKvHeads, 32);
    assert.equal(hf({ ...mistral, model_type: 'llama' }).model!.numKvHeads, 32); // LlamaConfig: None -> heads
    assert.equal(hf({ ...mistral, model_type: 'starcoder2' }).model!.numKvHeads, 2);
  });

  it('unknown types are never counted, decoder-shaped or not', () => {
    const doc = hf({ model_type: 'minimax', hidden_size: 6144, num_hidden_layers: 80, num_attention_heads: 64, intermediate_size: 9216, vocab_size: 200064 });
    assert.equal(doc.model, undefined);
    assert.equal(doc.diagnostics.find((d) => d.code === 'unsupported-model-type')?.severity, 'warning');
  });
});
