/**
 * The architecture table: one declarative entry per Hugging Face `model_type`, saying how that
 * type's config keys map to the tensors transformers builds (its modelling file, counted as
 * `model.num_parameters()` counts: tied weights once, buffers not at all).
 *
 * The config reader (config/hf.ts) interprets an entry; the structure builder (structure.ts) turns
 * the resulting `ModelDescription` into per-layer tensors, which the parameter count, the layer
 * list and the simulator all use. A model type outside this table is not counted (no silent
 * fallback); see `readAs` in config/hf.ts for an explicitly approximate reading.
 */
import type { Architecture, NormVariant } from '../types';

/** A boolean the config may set (`key`), with transformers' default when it does not. */
export type Flag = boolean | { key: string; default: boolean };

/** An integer the config may set under one of `keys` (first present wins), with a default. */
export interface IntegerKey {
  keys: string[];
  default?: number;
}

export type KvHeadsSpec =
  /**
   * num_key_value_heads (or the names given). Absent: the configuration class's default when it
   * has a number there (MistralConfig: 8), else the query heads; null: the query heads.
   */
  | { kind: 'keys'; keys: string[]; default?: number }
  /** Plain multi-head attention: as many key/value heads as query heads. */
  | { kind: 'mha' }
  /** One shared key/value head when the flag is set (GPT-BigCode `multi_query`). */
  | { kind: 'multi-query-flag'; flag: string; default: boolean }
  /** ChatGLM: `multi_query_attention` turns on `multi_query_group_num` key/value groups. */
  | { kind: 'groups-flag'; flag: string; groups: string; default: boolean }
  /** Falcon: `new_decoder_architecture` reads num_kv_heads, else `multi_query` (default true) means 1. */
  | { kind: 'falcon' };

/** Which decoder layers attend through a sliding window (the rest attend globally). */
export type SlidingPattern =
  /** Every layer, when the window key is set (Mistral, Mixtral, Phi-3, Starcoder2). */
  | 'all'
  /** Layers 0, 2, 4, ... (Gemma 2, gpt-oss without layer_types). */
  | 'even'
  /** `use_sliding_window` and layer index >= `max_window_layers` (Qwen2/Qwen3). */
  | 'qwen'
  /** All but every n-th layer: sliding unless (i + 1) % n == 0 (Gemma 3: 6, Cohere 2: 4). */
  | { everyKey: string; default: number };

export interface SlidingSpec {
  /** Config key of the window width (null/absent = no sliding window). */
  window: string;
  /** transformers' default when the key is absent (null default: no sliding window). */
  defaultWindow?: number;
  pattern: SlidingPattern;
}

/** Which decoder layers hold the experts (the rest hold the dense MLP). */
export type MoeLayerSpec =
  | 'all'
  /** Qwen-MoE: not in `mlp_only_layers` and (i + 1) % `decoder_sparse_step` == 0. */
  | 'sparse-step'
  /** DeepSeek: i >= `first_k_dense_replace` and i % `moe_layer_freq` == 0. */
  | 'first-k-dense'
  /** Llama 4: the `moe_layers` list, else every `interleave_moe_layer_step`-th layer. */
  | 'interleave';

export interface MoeSpec {
  experts: IntegerKey;
  topK: IntegerKey;
  /** Width of one routed expert; `'ffn'` = the model's intermediate_size (Mixtral style). */
  expertFfn: IntegerKey | 'ffn';
  /** Always-on shared experts: how many, how wide, and a sigmoid gate in front (Qwen2-MoE). */
  shared?: { count: IntegerKey | 'one-if-width'; ffn: IntegerKey | 'expert' | 'ffn'; gate?: boolean };
  /** Leading dense layers (`first_k_dense_replace`) for the non-DeepSeek readers (GLM-4.5). */
  firstDense?: IntegerKey;
  /** Width of the dense MLP of the non-MoE layers when it differs from `intermediate_size` (Llama 4). */
  denseFfn?: IntegerKey;
  /** The router Linear has a bias parameter (gpt-oss). */
  routerBias: boolean;
  /** Expert matrices carry biases (gpt-oss). */
  expertBias?: boolean;
  layers: MoeLayerSpec;
  /** DeepSeek routing with the e_score_correction_bias buffer (never counted). */
  deepseek?: 'v2' | 'v3';
}

export interface NormSpec {
  /** Flavour of every norm; a flag picks between two (ChatGLM `rmsnorm`). */
  variant: NormVariant | { flag: string; default: boolean; ifTrue: NormVariant; ifFalse: NormVariant };
  /** Norms in each decoder layer, by transformers name. */
  names: string[];
  /** The names when the block is parallel (StableLM with use_parallel_residual drops the second norm). */
  parallelNames?: string[];
  /** A final norm before the LM head (default true; ChatGLM: `post_layer_norm`). */
  final?: Flag;
  /** LayerNorm on the embeddings (BLOOM's word_embeddings_layernorm). */
  embedding?: boolean;
}

export interface ArchitectureSpec {
  /** transformers (or the checkpoint's remote code) class whose module tree this follows. */
  definition: string;
  /** Coarse kind the simulator and the report use. */
  architecture: Architecture;
  /** Key names when they differ from the Llama names, first present wins. */
  keys?: Partial<Record<'hidden' | 'layers' | 'heads' | 'ffn' | 'vocab' | 'positions' | 'headDim', string[]>>;
  defaults: {
    /** `tie_word_embeddings` default of the configuration class. */
    tied: boolean;
    /** `max_position_embeddings` default (the planned context when a config omits it). */
    positions: number;
    /** `head_dim` default when absent or null; undefined = hidden / heads. */
    headDim?: number;
    /** Intermediate size when absent or null: four times the hidden size (GPT-2, GPT-J, BLOOM, Falcon). */
    ffnFourTimesHidden?: boolean;
  };
  kvHeads: KvHeadsSpec;
  attention: {
    /** One fused QKV matrix in the module tree. */
    fused: boolean;
    qkvBias: Flag;
    outBias: Flag;
    qkNorm?: { width: 'per-head' | 'full-width'; variant: NormVariant; when?: Flag };
    /** gpt-oss attention sinks (one logit per head). */
    sinks?: boolean;
    /** Multi-head latent attention (DeepSeek-V2/V3). */
    mla?: boolean;
  };
  norm: NormSpec;
  mlp: { kind: 'gated' | 'plain'; bias: Flag };
  /** Parallel attention + MLP (one residual add). */
  parallel?: Flag;
  positions: 'learned' | 'rotary' | 'alibi';
  /** The LM head Linear has a bias (Phi, GPT-J). */
  lmHeadBias?: Flag;
  moe?: MoeSpec;
  sliding?: SlidingSpec;
  /** The decoder's config sits under `text_config` (Gemma 3 multimodal); a SigLIP vision tower comes with it. */
  textConfig?: { visionTower: 'gemma3-siglip' };
}

const rms = (names: string[]): NormSpec => ({ variant: 'rmsnorm', names });
const LLAMA_NORMS = ['input_layernorm', 'post_attention_layernorm'];
const GEMMA2_NORMS = ['input_layernorm', 'post_attention_layernorm', 'pre_feedforward_layernorm', 'post_feedforward_layernorm'];
const GQA: KvHeadsSpec = { kind: 'keys', keys: ['num_key_value_heads'] };
/** GQA whose configuration class defaults num_key_value_heads to a number. */
const gqaDefault = (heads: number): KvHeadsSpec => ({ kind: 'keys', keys: ['num_key_value_heads'], default: heads });
const attentionBias: Flag = { key: 'attention_bias', default: false };
const GPT2_KEYS: ArchitectureSpec['keys'] = {
  hidden: ['n_embd', 'hidden_size'],
  layers: ['n_layer', 'num_hidden_layers'],
  heads: ['n_head', 'num_attention_heads'],
  ffn: ['n_inner'],
  positions: ['n_positions', 'max_position_embeddings'],
};

const llama: ArchitectureSpec = {
  definition: 'LlamaForCausalLM',
  architecture: 'llama',
  defaults: { tied: false, positions: 2048 },
  kvHeads: GQA,
  attention: { fused: false, qkvBias: attentionBias, outBias: attentionBias },
  norm: rms(LLAMA_NORMS),
  mlp: { kind: 'gated', bias: { key: 'mlp_bias', default: false } },
  positions: 'rotary',
};

const mistral: ArchitectureSpec = {
  ...llama,
  definition: 'MistralForCausalLM',
  kvHeads: gqaDefault(8),
  defaults: { tied: false, positions: 4096 * 32 },
  attention: { fused: false, qkvBias: false, outBias: false },
  mlp: { kind: 'gated', bias: false },
  sliding: { window: 'sliding_window', pattern: 'all' },
};

const qwen2: ArchitectureSpec = {
  ...mistral,
  definition: 'Qwen2ForCausalLM',
  kvHeads: gqaDefault(32),
  defaults: { tied: false, positions: 32_768 },
  attention: { fused: false, qkvBias: true, outBias: false },
  sliding: { window: 'sliding_window', defaultWindow: 4096, pattern: 'qwen' },
};

const qwen3: ArchitectureSpec = {
  ...qwen2,
  definition: 'Qwen3ForCausalLM',
  kvHeads: gqaDefault(8),
  defaults: { tied: false, positions: 32_768, headDim: 128 },
  attention: { fused: false, qkvBias: attentionBias, outBias: attentionBias, qkNorm: { width: 'per-head', variant: 'rmsnorm' } },
};

const gemma: ArchitectureSpec = {
  ...llama,
  definition: 'GemmaForCausalLM',
  kvHeads: gqaDefault(16),
  defaults: { tied: true, positions: 8192, headDim: 256 },
  mlp: { kind: 'gated', bias: false },
};

const gemma2: ArchitectureSpec = {
  ...gemma,
  definition: 'Gemma2ForCausalLM',
  kvHeads: gqaDefault(8),
  norm: rms(GEMMA2_NORMS),
  sliding: { window: 'sliding_window', defaultWindow: 4096, pattern: 'even' },
};

const gemma3Text: ArchitectureSpec = {
  ...gemma2,
  definition: 'Gemma3ForCausalLM',
  kvHeads: gqaDefault(4),
  defaults: { tied: true, positions: 131_072, headDim: 256 },
  attention: { fused: false, qkvBias: attentionBias, outBias: attentionBias, qkNorm: { width: 'per-head', variant: 'rmsnorm' } },
  sliding: { window: 'sliding_window', defaultWindow: 4096, pattern: { everyKey: 'sliding_window_pattern', default: 6 } },
};

const gpt2: ArchitectureSpec = {
  definition: 'GPT2LMHeadModel',
  architecture: 'gpt',
  keys: GPT2_KEYS,
  defaults: { tied: true, positions: 1024, ffnFourTimesHidden: true },
  kvHeads: { kind: 'mha' },
  attention: { fused: true, qkvBias: true, outBias: true },
  norm: { variant: 'layernorm', names: ['ln_1', 'ln_2'] },
  mlp: { kind: 'plain', bias: true },
  positions: 'learned',
};

const deepseekV3: ArchitectureSpec = {
  ...llama,
  definition: 'DeepseekV3ForCausalLM',
  architecture: 'deepseek',
  defaults: { tied: false, positions: 4096 },
  attention: { fused: false, qkvBias: attentionBias, outBias: attentionBias, mla: true },
  mlp: { kind: 'gated', bias: false },
  moe: {
    experts: { keys: ['n_routed_experts'], default: 256 },
    topK: { keys: ['num_experts_per_tok'], default: 8 },
    expertFfn: { keys: ['moe_intermediate_size'], default: 2048 },
    shared: { count: { keys: ['n_shared_experts'], default: 1 }, ffn: 'expert' },
    routerBias: false,
    layers: 'first-k-dense',
    deepseek: 'v3',
  },
};

/** Mixtral-style experts in every layer, each as wide as intermediate_size, an unbiased router. */
function everyLayerExperts(expertsKey: string, experts: number, topK: number): MoeSpec {
  return {
    experts: { keys: [expertsKey], default: experts },
    topK: { keys: ['num_experts_per_tok'], default: topK },
    expertFfn: 'ffn',
    routerBias: false,
    layers: 'all',
  };
}

const qwenMoeBase = {
  experts: { keys: ['num_experts'] },
  topK: { keys: ['num_experts_per_tok'] },
  routerBias: false,
  layers: 'sparse-step' as const,
};

/** The table. Aliases (kimi_k2, refinedweb, glm) point at an entry of their own layout. */
export const ARCHITECTURES: Record<string, ArchitectureSpec> = {
  llama,
  mistral,
  mixtral: {
    ...mistral,
    definition: 'MixtralForCausalLM',
    kvHeads: gqaDefault(8),
    moe: everyLayerExperts('num_local_experts', 8, 2),
  },
  qwen2,
  qwen2_moe: {
    ...qwen2,
    definition: 'Qwen2MoeForCausalLM',
    kvHeads: gqaDefault(16),
    attention: { fused: false, qkvBias: { key: 'qkv_bias', default: true }, outBias: false },
    moe: {
      ...qwenMoeBase,
      experts: { keys: ['num_experts'], default: 60 },
      topK: { keys: ['num_experts_per_tok'], default: 4 },
      expertFfn: { keys: ['moe_intermediate_size'], default: 1408 },
      shared: { count: 'one-if-width', ffn: { keys: ['shared_expert_intermediate_size'], default: 5632 }, gate: true },
    },
  },
  qwen3,
  qwen3_moe: {
    ...qwen3,
    definition: 'Qwen3MoeForCausalLM',
    kvHeads: gqaDefault(4),
    moe: {
      ...qwenMoeBase,
      experts: { keys: ['num_experts'], default: 128 },
      topK: { keys: ['num_experts_per_tok'], default: 8 },
      expertFfn: { keys: ['moe_intermediate_size'], default: 768 },
    },
  },
  gemma,
  gemma2,
  gemma3_text: gemma3Text,
  gemma3: { ...gemma3Text, definition: 'Gemma3ForConditionalGeneration', textConfig: { visionTower: 'gemma3-siglip' } },
  phi: {
    definition: 'PhiForCausalLM',
    architecture: 'gpt',
    defaults: { tied: false, positions: 2048 },
    kvHeads: GQA,
    attention: {
      fused: false,
      qkvBias: true,
      outBias: true,
      qkNorm: { width: 'per-head', variant: 'layernorm', when: { key: 'qk_layernorm', default: false } },
    },
    norm: { variant: 'layernorm', names: ['input_layernorm'] },
    mlp: { kind: 'plain', bias: true },
    parallel: true,
    positions: 'rotary',
    lmHeadBias: true,
  },
  phi3: {
    ...mistral,
    definition: 'Phi3ForCausalLM',
    kvHeads: GQA,
    defaults: { tied: false, positions: 4096 },
    attention: { fused: true, qkvBias: false, outBias: false },
  },
  phimoe: {
    ...mistral,
    definition: 'PhimoeForCausalLM',
    kvHeads: gqaDefault(8),
    attention: { fused: false, qkvBias: attentionBias, outBias: attentionBias },
    norm: { variant: 'layernorm', names: LLAMA_NORMS },
    lmHeadBias: { key: 'lm_head_bias', default: false },
    moe: everyLayerExperts('num_local_experts', 16, 2),
  },
  gpt2,
  gpt_neox: {
    definition: 'GPTNeoXForCausalLM',
    architecture: 'gpt',
    defaults: { tied: false, positions: 2048 },
    kvHeads: { kind: 'mha' },
    attention: { fused: true, qkvBias: { key: 'attention_bias', default: true }, outBias: { key: 'attention_bias', default: true } },
    norm: { variant: 'layernorm', names: LLAMA_NORMS },
    mlp: { kind: 'plain', bias: true },
    parallel: { key: 'use_parallel_residual', default: true },
    positions: 'rotary',
  },
  gptj: {
    definition: 'GPTJForCausalLM',
    architecture: 'gpt',
    keys: GPT2_KEYS,
    defaults: { tied: false, positions: 2048, ffnFourTimesHidden: true },
    kvHeads: { kind: 'mha' },
    attention: { fused: false, qkvBias: false, outBias: false },
    norm: { variant: 'layernorm', names: ['ln_1'] },
    mlp: { kind: 'plain', bias: true },
    parallel: true,
    positions: 'rotary',
    lmHeadBias: true,
  },
  gpt_bigcode: {
    ...gpt2,
    definition: 'GPTBigCodeForCausalLM',
    defaults: { tied: true, positions: 1024, ffnFourTimesHidden: true },
    kvHeads: { kind: 'multi-query-flag', flag: 'multi_query', default: true },
  },
  starcoder2: {
    definition: 'Starcoder2ForCausalLM',
    architecture: 'gpt',
    defaults: { tied: true, positions: 4096 },
    kvHeads: gqaDefault(2),
    attention: { fused: false, qkvBias: { key: 'use_bias', default: true }, outBias: { key: 'use_bias', default: true } },
    norm: { variant: 'layernorm', names: LLAMA_NORMS },
    mlp: { kind: 'plain', bias: { key: 'use_bias', default: true } },
    positions: 'rotary',
    sliding: { window: 'sliding_window', pattern: 'all' },
  },
  falcon: {
    definition: 'FalconForCausalLM',
    architecture: 'falcon',
    keys: { layers: ['num_hidden_layers', 'n_layer'], heads: ['num_attention_heads', 'n_head'], ffn: ['ffn_hidden_size'] },
    defaults: { tied: true, positions: 2048, ffnFourTimesHidden: true },
    kvHeads: { kind: 'falcon' },
    attention: { fused: true, qkvBias: { key: 'bias', default: false }, outBias: { key: 'bias', default: false } },
    norm: { variant: 'layernorm', names: ['ln_attn', 'ln_mlp'] },
    mlp: { kind: 'plain', bias: { key: 'bias', default: false } },
    parallel: { key: 'parallel_attn', default: true },
    positions: 'rotary',
  },
  bloom: {
    definition: 'BloomForCausalLM',
    architecture: 'bloom',
    keys: { hidden: ['hidden_size', 'n_embed'], layers: ['n_layer', 'num_hidden_layers'], heads: ['n_head', 'num_attention_heads'], ffn: [], positions: ['seq_length', 'max_position_embeddings'] },
    defaults: { tied: true, positions: 2048, ffnFourTimesHidden: true },
    kvHeads: { kind: 'mha' },
    attention: { fused: true, qkvBias: true, outBias: true },
    norm: { variant: 'layernorm', names: LLAMA_NORMS, embedding: true },
    mlp: { kind: 'plain', bias: true },
    positions: 'alibi',
  },
  olmo: {
    ...llama,
    definition: 'OlmoForCausalLM',
    norm: { variant: 'non-parametric', names: LLAMA_NORMS },
    mlp: { kind: 'gated', bias: false },
  },
  olmo2: {
    ...llama,
    definition: 'Olmo2ForCausalLM',
    attention: { fused: false, qkvBias: attentionBias, outBias: attentionBias, qkNorm: { width: 'full-width', variant: 'rmsnorm' } },
    norm: rms(['post_attention_layernorm', 'post_feedforward_layernorm']),
    mlp: { kind: 'gated', bias: false },
  },
  olmoe: {
    ...llama,
    definition: 'OlmoeForCausalLM',
    defaults: { tied: false, positions: 4096 },
    attention: { fused: false, qkvBias: attentionBias, outBias: attentionBias, qkNorm: { width: 'full-width', variant: 'rmsnorm' } },
    mlp: { kind: 'gated', bias: false },
    moe: everyLayerExperts('num_experts', 64, 8),
  },
  granite: { ...llama, definition: 'GraniteForCausalLM' },
  granitemoe: {
    ...llama,
    definition: 'GraniteMoeForCausalLM',
    mlp: { kind: 'gated', bias: false },
    moe: everyLayerExperts('num_local_experts', 8, 2),
  },
  cohere: {
    ...llama,
    definition: 'CohereForCausalLM',
    defaults: { tied: true, positions: 8192 },
    attention: {
      fused: false,
      qkvBias: attentionBias,
      outBias: attentionBias,
      qkNorm: { width: 'full-width', variant: 'layernorm-no-bias', when: { key: 'use_qk_norm', default: false } },
    },
    norm: { variant: 'layernorm-no-bias', names: ['input_layernorm'] },
    mlp: { kind: 'gated', bias: false },
    parallel: true,
  },
  cohere2: {
    ...llama,
    definition: 'Cohere2ForCausalLM',
    defaults: { tied: true, positions: 8192 },
    norm: { variant: 'layernorm-no-bias', names: ['input_layernorm'] },
    mlp: { kind: 'gated', bias: false },
    parallel: true,
    sliding: { window: 'sliding_window', defaultWindow: 4096, pattern: { everyKey: 'sliding_window_pattern', default: 4 } },
  },
  deepseek_v2: {
    ...deepseekV3,
    definition: 'DeepseekV2ForCausalLM',
    defaults: { tied: false, positions: 2048 },
    moe: {
      ...deepseekV3.moe!,
      experts: { keys: ['n_routed_experts'], default: 64 },
      topK: { keys: ['num_experts_per_tok'], default: 6 },
      expertFfn: { keys: ['moe_intermediate_size'], default: 1407 },
      shared: { count: { keys: ['n_shared_experts'], default: 2 }, ffn: 'expert' },
      deepseek: 'v2',
    },
  },
  deepseek_v3: deepseekV3,
  kimi_k2: { ...deepseekV3, definition: 'DeepseekV3ForCausalLM (Kimi K2 remote code)' },
  glm4_moe: {
    ...llama,
    definition: 'Glm4MoeForCausalLM',
    defaults: { tied: false, positions: 131_072, headDim: 128 },
    kvHeads: gqaDefault(8),
    attention: {
      fused: false,
      qkvBias: attentionBias,
      outBias: false,
      qkNorm: { width: 'per-head', variant: 'rmsnorm', when: { key: 'use_qk_norm', default: false } },
    },
    mlp: { kind: 'gated', bias: false },
    moe: {
      // Early releases named them num_experts; the router's e_score_correction_bias is a buffer.
      experts: { keys: ['n_routed_experts', 'num_experts'], default: 128 },
      topK: { keys: ['num_experts_per_tok'], default: 8 },
      expertFfn: { keys: ['moe_intermediate_size'], default: 1408 },
      shared: { count: { keys: ['n_shared_experts'], default: 1 }, ffn: 'expert' },
      firstDense: { keys: ['first_k_dense_replace'], default: 1 },
      routerBias: false,
      layers: 'first-k-dense',
    },
  },
  internlm2: {
    ...llama,
    definition: 'InternLM2ForCausalLM (remote code)',
    // InternLM2Config(bias=True): wqkv and wo carry biases unless the config says bias: false.
    attention: { fused: true, qkvBias: { key: 'bias', default: true }, outBias: { key: 'bias', default: true } },
    norm: rms(['attention_norm', 'ffn_norm']),
    mlp: { kind: 'gated', bias: false },
  },
  chatglm: {
    definition: 'ChatGLMForConditionalGeneration (remote code, ChatGLM2/3, GLM-4 chat)',
    architecture: 'llama',
    keys: { layers: ['num_layers', 'num_hidden_layers'], vocab: ['padded_vocab_size', 'vocab_size'], ffn: ['ffn_hidden_size'], positions: ['seq_length'], headDim: ['kv_channels'] },
    defaults: { tied: false, positions: 2048 },
    kvHeads: { kind: 'groups-flag', flag: 'multi_query_attention', groups: 'multi_query_group_num', default: false },
    attention: { fused: true, qkvBias: { key: 'add_qkv_bias', default: false }, outBias: { key: 'add_bias_linear', default: false } },
    norm: {
      variant: { flag: 'rmsnorm', default: true, ifTrue: 'rmsnorm', ifFalse: 'layernorm' },
      names: LLAMA_NORMS,
      final: { key: 'post_layer_norm', default: true },
    },
    mlp: { kind: 'gated', bias: { key: 'add_bias_linear', default: false } },
    positions: 'rotary',
  },
  glm: {
    ...llama,
    definition: 'GlmForCausalLM',
    defaults: { tied: false, positions: 131_072, headDim: 128 },
    attention: { fused: false, qkvBias: { key: 'attention_bias', default: true }, outBias: false },
    mlp: { kind: 'gated', bias: false },
  },
  glm4: {
    ...llama,
    definition: 'Glm4ForCausalLM',
    kvHeads: gqaDefault(2),
    defaults: { tied: false, positions: 131_072, headDim: 128 },
    attention: { fused: false, qkvBias: { key: 'attention_bias', default: true }, outBias: false },
    norm: rms(['input_layernorm', 'post_self_attn_layernorm', 'post_attention_layernorm', 'post_mlp_layernorm']),
    mlp: { kind: 'gated', bias: false },
  },
  exaone: {
    ...llama,
    definition: 'ExaoneForCausalLM (remote code)',
    keys: { layers: ['num_layers', 'num_hidden_layers'] },
    defaults: { tied: true, positions: 2048, ffnFourTimesHidden: true },
    attention: { fused: false, qkvBias: false, outBias: false },
    norm: rms(['ln_1', 'ln_2']),
    mlp: { kind: 'gated', bias: false },
  },
  stablelm: {
    ...llama,
    definition: 'StableLmForCausalLM',
    defaults: { tied: false, positions: 4096 },
    attention: {
      fused: false,
      qkvBias: { key: 'use_qkv_bias', default: false },
      outBias: false,
      qkNorm: { width: 'full-width', variant: 'layernorm-no-bias', when: { key: 'qk_layernorm', default: false } },
    },
    norm: { variant: 'layernorm', names: LLAMA_NORMS, parallelNames: ['input_layernorm'] },
    mlp: { kind: 'gated', bias: false },
    parallel: { key: 'use_parallel_residual', default: false },
  },
  nemotron: {
    ...llama,
    definition: 'NemotronForCausalLM',
    architecture: 'gpt',
    defaults: { tied: false, positions: 4096 },
    norm: { variant: 'layernorm', names: LLAMA_NORMS },
    mlp: { kind: 'plain', bias: { key: 'mlp_bias', default: false } },
  },
  gpt_oss: {
    ...llama,
    definition: 'GptOssForCausalLM',
    kvHeads: gqaDefault(8),
    defaults: { tied: false, positions: 131_072, headDim: 64 },
    attention: { fused: false, qkvBias: { key: 'attention_bias', default: true }, outBias: { key: 'attention_bias', default: true }, sinks: true },
    mlp: { kind: 'gated', bias: false },
    moe: {
      experts: { keys: ['num_local_experts'], default: 128 },
      topK: { keys: ['num_experts_per_tok', 'experts_per_token'], default: 4 },
      expertFfn: 'ffn',
      routerBias: true,
      expertBias: true,
      layers: 'all',
    },
    sliding: { window: 'sliding_window', defaultWindow: 128, pattern: 'even' },
  },
  llama4_text: {
    ...llama,
    definition: 'Llama4ForCausalLM',
    kvHeads: gqaDefault(8),
    defaults: { tied: false, positions: 4096 * 32, headDim: 128 },
    mlp: { kind: 'gated', bias: false },
    moe: {
      experts: { keys: ['num_local_experts'], default: 16 },
      topK: { keys: ['num_experts_per_tok'], default: 1 },
      expertFfn: 'ffn',
      shared: { count: 'one-if-width', ffn: 'ffn' },
      denseFfn: { keys: ['intermediate_size_mlp'], default: 16_384 },
      routerBias: false,
      layers: 'interleave',
    },
  },
};

/** Other spellings of a type that share an entry's layout. */
export const MODEL_TYPE_ALIASES: Record<string, string> = {
  // Falcon checkpoints saved before it joined transformers.
  refinedweb: 'falcon',
  refinedwebmodel: 'falcon',
};

/** First `architectures` class -> model type, for configs that name no model_type. */
export const ARCHITECTURE_CLASSES: Record<string, string> = Object.fromEntries(
  Object.entries(ARCHITECTURES).map(([type, spec]) => [spec.definition.split(' ')[0]!, type]),
);

export function architectureFor(modelType: string): { type: string; spec: ArchitectureSpec } | undefined {
  const type = MODEL_TYPE_ALIASES[modelType] ?? modelType;
  const spec = ARCHITECTURES[type];
  return spec ? { type, spec } : undefined;
}

/** Every model type WaferScope counts exactly, sorted (diagnostics, completion, README). */
export const SUPPORTED_MODEL_TYPES: string[] = Object.keys(ARCHITECTURES).sort();
