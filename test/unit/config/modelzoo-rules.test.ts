import * as assert from 'node:assert/strict';
import { readConfig } from '../../../language-server/core/config/read';
import { fixture, only, rangeAfter } from './helpers';

const BASE = fixture('test/data/modelzoo/pairs/gptj__gptj_6b.yaml').text;

function read(text: string) {
  return readConfig('/m/params.yaml', text);
}

describe("Model Zoo's own rules as diagnostics", () => {
  it('the base config is clean of these rules', () => {
    const codes = read(BASE).diagnostics.map((d) => d.code);
    for (const code of ['cbfloat16-loss-scaling', 'step-count-overflow', 'no-effect-on-csx']) assert.ok(!codes.includes(code as never), code);
  });

  it('cbfloat16 without dynamic loss scaling is an error, with a fix', () => {
    const text = BASE.replace('loss_scaling_factor: dynamic', 'loss_scaling_factor: 128.0');
    const error = only(read(text), 'cbfloat16-loss-scaling');
    assert.equal(error.severity, 'error');
    assert.equal(error.fixes?.[0]?.edits[0]?.newText, 'dynamic');
    assert.deepEqual(error.fixes?.[0]?.edits[0]?.range, rangeAfter(text, 'loss_scaling_factor:', '128.0'));
    // bfloat16 has no such rule.
    const bf16 = read(text.replaceAll('cbfloat16', 'bfloat16'));
    assert.ok(!bf16.diagnostics.some((d) => d.code === 'cbfloat16-loss-scaling'));
  });

  it('legacy layout: cbfloat16 in the model block needs optimizer.loss_scaling_factor: dynamic', () => {
    const legacy = fixture('test/data/modelzoo/legacy-2.2/llama__params_llama2_70b.yaml').text;
    const withCb = legacy.replace(/fp16_type: *"?\w+"?/, 'fp16_type: cbfloat16');
    assert.notEqual(withCb, legacy, 'the legacy fixture names an fp16_type');
    const scaling = /loss_scaling_factor: *"?dynamic"?/.test(withCb);
    const doc = read(withCb.replace(/loss_scaling_factor: *"?dynamic"?/, 'loss_scaling_factor: 1.0'));
    assert.equal(only(doc, 'cbfloat16-loss-scaling').severity, 'error');
    if (scaling) assert.ok(!read(withCb).diagnostics.some((d) => d.code === 'cbfloat16-loss-scaling'));
  });

  it('step counts above 2^31-1 are errors on the value', () => {
    const text = BASE.replace('max_steps: 1493333', 'max_steps: 2147483648');
    const error = only(read(text), 'step-count-overflow');
    assert.deepEqual(error.range, rangeAfter(text, 'max_steps:', '2147483648'));
    assert.ok(!read(BASE.replace('max_steps: 1493333', 'max_steps: 2147483647')).diagnostics.some((d) => d.code === 'step-count-overflow'));
  });

  it('grad_accum_steps has no effect on CS-X (information)', () => {
    const text = BASE.replace('      eval_frequency: 10000', '      eval_frequency: 10000\n      grad_accum_steps: 4');
    assert.equal(only(read(text), 'no-effect-on-csx').severity, 'information');
  });

  it('every field of Model Zoo GPT2ModelConfig (the base of its decoder configs) is a known key', () => {
    // The dataclass fields of cerebras.modelzoo.models.nlp.gpt2.config.GPT2ModelConfig (2.x).
    const fields = [
      'vocab_size', 'embedding_layer_norm', 'embedding_dropout_rate', 'share_embedding_weights', 'position_embedding_type',
      'max_position_embeddings', 'position_embedding_offset', 'num_relative_attention_buckets', 'rotary_dim', 'rope_theta', 'pad_rope',
      'alibi_trainable_slopes', 'pos_scaling_factor', 'pos_scaling_type', 'pos_scaling_extra_args', 'hidden_size', 'num_hidden_layers',
      'dropout_rate', 'norm_type', 'layer_norm_epsilon', 'num_heads', 'attention_module', 'extra_attention_params', 'extra_ffn_params',
      'attention_type', 'attention_dropout_rate', 'use_projection_bias_in_attention', 'use_ffn_bias_in_attention', 'attention_softmax_fp32',
      'attention_kernel', 'attention_sliding_window_length', 'scale_qk_dot_by_layer_idx', 'fixed_sparse_attention', 'filter_size',
      'nonlinearity', 'use_ffn_bias', 'use_bias_in_output', 'loss_scaling', 'loss_weight', 'mup_base_hidden_size', 'mup_base_filter_size',
      'embeddings_scale', 'output_logits_alpha', 'scale_qk_dot_by_d', 'attention_logits_alpha', 'scale_output_logits_by_d',
      'lr_adjustment_groups', 'output_logits_scale', 'initializer', 'initializer_range', 'embedding_initializer', 'output_layer_initializer',
      'ffn_initializer', 'ffn_output_layer_initializer', 'start_token', 'loop_dim', 'stop_sequences', 'max_tokens', 'temperature', 'top_k',
      'top_p', 'compute_eval_metrics', 'moe', 'moe_params', 'fp16_type', 'norm_first_sandwich', 'sliding_window_every_other_decoder_layer',
      'attention_logit_softcapping', 'final_logit_softcapping', 'attention_sink_tokens', 'attention_inner_dim', 'use_untied_layer_norm',
    ];
    const model = BASE.match(/    model:\n((?:      .*\n)+)/)![1]!;
    const present = new Set([...model.matchAll(/^      (\w+):/gm)].map((m) => m[1]));
    const added = fields.filter((field) => !present.has(field)).map((field) => `      ${field}: null\n`).join('');
    const doc = read(BASE.replace(model, model + added));
    assert.deepEqual(doc.diagnostics.filter((d) => d.code === 'unknown-key').map((d) => d.message), []);
  });
});
