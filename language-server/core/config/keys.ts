/**
 * Every configuration key WaferScope reads, with a one-sentence description, its type, allowed
 * values and the normalised field it feeds. The readers take enum values and known-key lists from
 * here, and the language server uses the same table for hover and completion.
 */
import { SUPPORTED_MODEL_TYPES } from '../model/architectures';
import type { ConfigFormat } from '../types';

export type KeyType =
  | 'integer'
  | 'number'
  | 'boolean'
  | 'string'
  | 'enum'
  | 'map'
  | 'list'
  /** Bytes as a number, or a number with a unit ('55 TB', '2 TiB'). */
  | 'capacity'
  /** A positive integer or one of auto / explore / none. */
  | 'micro-batch';

export interface KeyDoc {
  /** The key as written in the file. */
  name: string;
  layouts: ConfigFormat[];
  /**
   * Where the key lives, one pattern per place: segments separated by '/', '*' matches any one
   * key, '[]' any list item. Model Zoo trainer files that hold a list of trainers are looked up
   * as if they held the first one.
   */
  paths: string[];
  /** One sentence, for hover. */
  doc: string;
  type: KeyType;
  /** Allowed values of an enum (compared case-insensitively where the Model Zoo does). */
  values?: string[];
  /** The canonical field it feeds (a key of ConfigDocument.sources). */
  field?: string;
  /** What WaferScope assumes when the key is absent. */
  default?: string;
}

// ---------------------------------------------------------------------------------------------
// Enumerations

export const FP16_TYPES = ['float16', 'bfloat16', 'cbfloat16'] as const;

/** Gated (three-matrix) MLP activations of the Model Zoo. */
export const GATED_NONLINEARITIES = ['swiglu', 'geglu', 'reglu', 'liglu', 'glu', 'biglu', 'bilinear'] as const;
/** Two-matrix MLP activations. */
export const PLAIN_NONLINEARITIES = [
  'gelu',
  'relu',
  'silu',
  'swish',
  'gelu_new',
  'gelu_fast',
  'gelu_pytorch_tanh',
  'quick_gelu',
  'tanh',
  'sigmoid',
  'relu6',
  'leaky_relu',
  'squared_gelu',
  'squared_relu',
  'linear',
] as const;
export const NONLINEARITIES = [...PLAIN_NONLINEARITIES, ...GATED_NONLINEARITIES];

/** `biasless-layernorm` has a weight only, like RMSNorm. */
export const NORM_TYPES = ['layernorm', 'rmsnorm', 'biasless-layernorm'] as const;
/** `fixed` is sinusoidal: no parameters. */
export const POSITION_EMBEDDING_TYPES = ['learned', 'rotary', 'alibi', 'fixed'] as const;
export const ATTENTION_MODULES = ['aiayn_attention', 'multiquery_attention'] as const;

/** Optimizer names as the Model Zoo spells them (trainer: key under `optimizer`; legacy: optimizer_type). */
export const OPTIMIZER_NAMES = [
  'AdamW',
  'Adam',
  'SGD',
  'Lamb',
  'Adafactor',
  'Adadelta',
  'Adagrad',
  'Adamax',
  'ASGD',
  'Lion',
  'NAdam',
  'RAdam',
  'RMSprop',
  'Rprop',
] as const;

export const MICRO_BATCH_WORDS = ['auto', 'explore', 'none'] as const;

export const SYSTEM_PRESETS = ['cs-3', 'cs-2'] as const;

/** Hugging Face model types the architecture table counts exactly (model/architectures.ts). */
export const HF_MODEL_TYPES: readonly string[] = SUPPORTED_MODEL_TYPES;

// ---------------------------------------------------------------------------------------------
// The table

const TRAINER: ConfigFormat[] = ['modelzoo-trainer'];
const LEGACY: ConfigFormat[] = ['modelzoo-legacy'];
const MODELZOO: ConfigFormat[] = ['modelzoo-trainer', 'modelzoo-legacy'];
const HF: ConfigFormat[] = ['hf-config'];
const CLUSTER: ConfigFormat[] = ['cluster'];

/** A key of the Model Zoo `model:` block, which sits in a different place in each layout. */
function modelKey(name: string, doc: string, type: KeyType, extra: Partial<KeyDoc> = {}, subPath = ''): KeyDoc {
  const tail = subPath ? `${subPath}/${name}` : name;
  return {
    name,
    layouts: MODELZOO,
    paths: [`trainer/init/model/${tail}`, `model/${tail}`],
    doc,
    type,
    ...extra,
  };
}

function hfKey(name: string, doc: string, type: KeyType, extra: Partial<KeyDoc> = {}): KeyDoc {
  return { name, layouts: HF, paths: [name], doc, type, ...extra };
}

export const MODELZOO_MODEL_KEYS: KeyDoc[] = [
  modelKey('name', 'Model family (gpt3, llama, mixtral, falcon, bloom, ...); non-decoder families are not modelled.', 'string'),
  modelKey('hidden_size', 'Width of the residual stream (model dimension h).', 'integer', { field: 'model.hiddenSize' }),
  modelKey('num_hidden_layers', 'Number of decoder blocks (L); each is streamed to the wafer as one layer.', 'integer', {
    field: 'model.numLayers',
  }),
  modelKey('num_heads', 'Attention (query) heads; hidden_size must be divisible by it.', 'integer', { field: 'model.numHeads' }),
  modelKey('filter_size', 'Intermediate (FFN) size of the MLP; for gated MLPs the width of each of the three matrices.', 'integer', {
    field: 'model.ffnSize',
  }),
  modelKey('vocab_size', 'Vocabulary size: rows of the token embedding and columns of the LM head.', 'integer', {
    field: 'model.vocabSize',
  }),
  modelKey('max_position_embeddings', 'Longest sequence; the size of the learned position table, and the sequence length when the dataloader names none.', 'integer', {
    field: 'model.maxPositionEmbeddings',
    default: '1024 (Model Zoo GPT-2 default)',
  }),
  modelKey('share_embedding_weights', 'Ties the LM head to the token embedding (counted once).', 'boolean', {
    field: 'model.tiedEmbeddings',
    default: 'true for GPT-style families, false for Llama-style ones',
  }),
  modelKey('position_embedding_type', 'How positions are encoded: a learned table, rotary (RoPE), ALiBi or fixed sinusoids; only learned adds parameters.', 'enum', {
    values: [...POSITION_EMBEDDING_TYPES],
    field: 'model.positionEmbedding',
  }),
  modelKey('nonlinearity', 'MLP activation; swiglu, geglu and reglu are gated (three matrices instead of two).', 'enum', {
    values: NONLINEARITIES,
    field: 'model.mlpKind',
  }),
  modelKey('norm_type', 'Normalisation: layernorm has a weight and a bias, rmsnorm only a weight.', 'enum', {
    values: [...NORM_TYPES],
    field: 'model.normKind',
  }),
  modelKey('attention_module', 'multiquery_attention with extra_attention_params.num_kv_groups is grouped-query attention.', 'enum', {
    values: [...ATTENTION_MODULES],
    field: 'model.numKvHeads',
    default: 'aiayn_attention (one key/value head per query head)',
  }),
  modelKey('extra_attention_params', 'Extra attention settings; num_kv_groups sets the key/value heads of multiquery_attention.', 'map'),
  modelKey('num_kv_groups', 'Key/value heads of multiquery_attention (GQA); num_heads must be divisible by it.', 'integer', {
    field: 'model.numKvHeads',
    default: '1 (multi-query) when attention_module is multiquery_attention',
  }, 'extra_attention_params'),
  modelKey('attention_inner_dim', 'Total width of the query/key/value projections when it differs from hidden_size.', 'integer', {
    field: 'model.headDim',
    default: 'hidden_size',
  }),
  modelKey('use_projection_bias_in_attention', 'Bias on the query, key and value projections.', 'boolean', { field: 'model.bias.qkv' }),
  modelKey('use_ffn_bias_in_attention', 'Bias on the attention output projection.', 'boolean', { field: 'model.bias.attnOut' }),
  modelKey('use_ffn_bias', 'Bias on the MLP matrices.', 'boolean', { field: 'model.bias.mlp' }),
  modelKey('use_bias_in_output', 'Bias on the LM head (its own parameters even when the weight is tied).', 'boolean', {
    field: 'model.bias.lmHead',
    default: 'false',
  }),
  modelKey('embedding_layer_norm', 'LayerNorm right after the token embedding (BLOOM).', 'boolean', {
    field: 'model.embeddingNorm',
    default: 'true for bloom, false otherwise',
  }),
  modelKey('use_untied_layer_norm', 'Parallel attention/MLP blocks with a separate norm for each branch (Falcon-40B/180B, GPT-NeoX).', 'boolean', {
    field: 'model.normsPerLayer',
    default: 'false',
  }),
  modelKey('moe', 'Mixture-of-experts settings: num_experts, top_k, num_shared_experts.', 'map'),
  modelKey('num_experts', 'Routed experts per MoE layer.', 'integer', { field: 'moe.numExperts' }, 'moe'),
  modelKey('top_k', 'Routed experts each token uses; at most num_experts.', 'integer', { field: 'moe.topK', default: '1' }, 'moe'),
  modelKey('num_shared_experts', 'Always-on shared experts (DeepSeek style).', 'integer', { field: 'moe.numSharedExperts', default: '0' }, 'moe'),
  modelKey('fp16_type', '16-bit type of mixed precision (legacy layout: in the model block).', 'enum', {
    values: [...FP16_TYPES],
    field: 'training.precision',
    default: 'float16 (assumption)',
  }),
  modelKey('mixed_precision', 'Legacy layout: train in mixed precision (16-bit weights and activations, fp32 master weights).', 'boolean', {
    field: 'training.precision',
    default: 'false (fp32)',
  }),
  modelKey('use_bfloat16', 'Model Zoo 1.x: bfloat16 as the 16-bit type of mixed precision.', 'boolean', { field: 'training.precision' }),
  modelKey('norm_first_sandwich', 'Gemma 2: a norm before and after both attention and MLP (four norms per decoder layer).', 'boolean', {
    field: 'model.normsPerLayer',
    default: 'false',
  }),
  modelKey('attention_sliding_window_length', 'Sliding-window attention: each token attends to this many previous tokens (Mistral, Gemma 2).', 'integer', {
    field: 'model.slidingWindow',
    default: 'none (global attention)',
  }),
  modelKey('sliding_window_every_other_decoder_layer', 'Gemma 2: only every other decoder layer uses the sliding window; the others attend globally.', 'boolean', {
    field: 'model.slidingWindow',
    default: 'false (every layer)',
  }),
];

/**
 * Model-block keys the Model Zoo accepts that do not change the parameter count or the memory
 * WaferScope estimates (dropout, initializers, loss settings, RoPE scaling, ...). Listed so they
 * are never reported as unknown. Collected from the shipped configs, the Model Zoo docs and
 * GPT2ModelConfig (muP `mup_base_*`, inference-only `start_token`/`max_tokens`/`temperature`/`top_k`/`top_p`, ...).
 */
export const MODELZOO_IGNORED_MODEL_KEYS = [
  'alibi_trainable_slopes',
  'attention_dropout_rate',
  'attention_kernel',
  'attention_logit_softcapping',
  'attention_logits_alpha',
  'attention_output_logits_alpha',
  'attention_qk_norm_eps',
  'attention_qk_norm_layer',
  'attention_sink_tokens',
  'attention_softmax_fp32',
  'attention_type',
  'boundary_casting',
  'compute_eval_metrics',
  'dropout_rate',
  'embedding_dropout_rate',
  'embedding_initializer',
  'embeddings_scale',
  'extra_ffn_params',
  'ffn_initializer',
  'ffn_output_layer_initializer',
  'final_logit_softcapping',
  'fixed_sparse_attention',
  'initializer',
  'initializer_range',
  'label_smoothing',
  'layer_norm_epsilon',
  'loop_dim',
  'lora_params',
  'loss_scaling',
  'loss_weight',
  'lr_adjustment_groups',
  'max_tokens',
  'memory_tokens_config',
  'moe_params',
  'mup_base_filter_size',
  'mup_base_hidden_size',
  'norm_first',
  'num_relative_attention_buckets',
  'output_layer_initializer',
  'output_logits_alpha',
  'output_logits_scale',
  'pad_rope',
  'pos_scaling_extra_args',
  'pos_scaling_factor',
  'pos_scaling_type',
  'position_embedding_offset',
  'precision_opt_level',
  'residual_dropout_rate',
  'rope_theta',
  'rotary_dim',
  'scale_by_layer_index',
  'scale_encoder_qk_dot_by_d',
  'scale_output_logits_by_d',
  'scale_qk_dot_by_d',
  'scale_qk_dot_by_layer_idx',
  'start_token',
  'stop_sequences',
  'temperature',
  'tf_summary',
  'top_k',
  'top_p',
  'use_ff_layer1_dropout',
  'use_position_embedding',
  'z_loss_coefficient',
];

export const MODELZOO_TRAINING_KEYS: KeyDoc[] = [
  {
    name: 'batch_size',
    layouts: MODELZOO,
    paths: ['trainer/fit/train_dataloader/batch_size', 'train_input/batch_size'],
    doc: 'Global batch in sequences, split evenly across the num_csx systems (Model Zoo 1.9.1 and later).',
    type: 'integer',
    field: 'training.globalBatchSize',
  },
  {
    name: 'max_sequence_length',
    layouts: MODELZOO,
    paths: ['trainer/fit/train_dataloader/max_sequence_length', 'train_input/max_sequence_length'],
    doc: 'Tokens per sequence; without it the model max_position_embeddings is used.',
    type: 'integer',
    field: 'training.sequenceLength',
  },
  {
    name: 'csx.performance.micro_batch_size',
    layouts: TRAINER,
    paths: [
      'trainer/init/callbacks/[]/ScopedTrainFlags/csx.performance.micro_batch_size',
      'trainer/init/callbacks/[]/ScopedTrainFlags/csx/performance/micro_batch_size',
      'trainer/init/callbacks/[]/GlobalFlags/csx.performance.micro_batch_size',
    ],
    doc: 'Sequences one system processes at once; the rest of its share of the batch is gradient accumulation (an integer, auto, explore or none).',
    type: 'micro-batch',
    values: [...MICRO_BATCH_WORDS],
    field: 'training.microBatchSize',
    default: 'auto',
  },
  {
    name: 'micro_batch_size',
    layouts: MODELZOO,
    paths: [
      'train_input/micro_batch_size',
      'runconfig/micro_batch_size',
      'trainer/fit/train_dataloader/micro_batch_size',
      'trainer/init/backend/cluster_config/micro_batch_size',
    ],
    doc: 'Sequences one system processes at once; the rest of its share of the batch is gradient accumulation (an integer, auto, explore or none).',
    type: 'micro-batch',
    values: [...MICRO_BATCH_WORDS],
    field: 'training.microBatchSize',
    default: 'auto',
  },
  {
    name: 'num_csx',
    layouts: MODELZOO,
    paths: ['trainer/init/backend/cluster_config/num_csx', 'runconfig/num_csx'],
    doc: 'CS-X systems the job runs on (data parallel); often given on the command line instead.',
    type: 'integer',
    field: 'training.numCsx',
    default: "all of the cluster's systems",
  },
  {
    name: 'max_steps',
    layouts: MODELZOO,
    paths: ['trainer/init/loop/max_steps', 'runconfig/max_steps'],
    doc: 'Training steps (optimizer updates) of the run.',
    type: 'integer',
    field: 'training.maxSteps',
  },
  {
    name: 'optimizer',
    layouts: TRAINER,
    paths: ['trainer/init/optimizer'],
    doc: 'The optimizer, as a single key naming it (AdamW, SGD, ...); its state lives in MemoryX.',
    type: 'map',
    values: [...OPTIMIZER_NAMES],
    field: 'training.optimizer',
    default: 'AdamW (assumption)',
  },
  {
    name: 'optimizer_type',
    layouts: LEGACY,
    paths: ['optimizer/optimizer_type'],
    doc: 'The optimizer (AdamW, SGD, ...); its state lives in MemoryX.',
    type: 'enum',
    values: [...OPTIMIZER_NAMES],
    field: 'training.optimizer',
    default: 'AdamW (assumption)',
  },
  {
    name: 'momentum',
    layouts: MODELZOO,
    paths: ['trainer/init/optimizer/SGD/momentum', 'trainer/init/optimizer/sgd/momentum', 'optimizer/momentum'],
    doc: 'SGD momentum; above 0 the optimizer keeps one momentum buffer per parameter.',
    type: 'number',
    field: 'training.optimizer',
    default: '0',
  },
  {
    name: 'enabled',
    layouts: TRAINER,
    paths: ['trainer/init/precision/enabled'],
    doc: 'Mixed precision on (16-bit weights and activations, fp32 master weights) or off (fp32).',
    type: 'boolean',
    field: 'training.precision',
    default: 'true when the precision block is present; fp32 without one',
  },
  {
    name: 'fp16_type',
    layouts: TRAINER,
    paths: ['trainer/init/precision/fp16_type'],
    doc: '16-bit type of mixed precision: float16, bfloat16 or cbfloat16 (Cerebras bfloat16 variant).',
    type: 'enum',
    values: [...FP16_TYPES],
    field: 'training.precision',
    default: 'float16 (assumption)',
  },
];

export const HF_KEYS: KeyDoc[] = [
  hfKey('model_type', 'Model family as transformers names it; selects the architecture.', 'enum', { values: [...HF_MODEL_TYPES] }),
  hfKey('architectures', 'Model classes this checkpoint was saved from.', 'list'),
  hfKey('hidden_size', 'Width of the residual stream (model dimension h).', 'integer', { field: 'model.hiddenSize' }),
  hfKey('n_embd', 'GPT-2: width of the residual stream.', 'integer', { field: 'model.hiddenSize' }),
  hfKey('n_embed', 'BLOOM (older configs): width of the residual stream.', 'integer', { field: 'model.hiddenSize' }),
  hfKey('num_hidden_layers', 'Number of decoder blocks.', 'integer', { field: 'model.numLayers' }),
  hfKey('n_layer', 'GPT-2, BLOOM: number of decoder blocks.', 'integer', { field: 'model.numLayers' }),
  hfKey('num_attention_heads', 'Attention (query) heads.', 'integer', { field: 'model.numHeads' }),
  hfKey('n_head', 'GPT-2, BLOOM: attention heads.', 'integer', { field: 'model.numHeads' }),
  hfKey('num_key_value_heads', 'Key/value heads (grouped-query attention).', 'integer', {
    field: 'model.numKvHeads',
    default: 'num_attention_heads',
  }),
  hfKey('num_kv_heads', 'Falcon: key/value heads with new_decoder_architecture.', 'integer', { field: 'model.numKvHeads' }),
  hfKey('multi_query', 'Falcon-7B style: one shared key/value head.', 'boolean', { field: 'model.numKvHeads', default: 'true' }),
  hfKey('new_decoder_architecture', 'Falcon-40B/180B: grouped KV heads and two LayerNorms per parallel block.', 'boolean', {
    field: 'model.normsPerLayer',
    default: 'false',
  }),
  hfKey('parallel_attn', 'Falcon: attention and MLP side by side, sharing one input LayerNorm.', 'boolean', {
    field: 'model.normsPerLayer',
    default: 'true',
  }),
  hfKey('num_ln_in_parallel_attn', 'Falcon: LayerNorms per parallel block with new_decoder_architecture.', 'integer', {
    field: 'model.normsPerLayer',
    default: '2',
  }),
  hfKey('bias', 'Falcon: biases on all linear layers.', 'boolean', { field: 'model.bias.qkv', default: 'false' }),
  hfKey('alibi', 'Falcon: ALiBi instead of rotary positions.', 'boolean', { field: 'model.positionEmbedding', default: 'false' }),
  hfKey('intermediate_size', 'Intermediate size of the (dense) MLP.', 'integer', { field: 'model.ffnSize' }),
  hfKey('n_inner', 'GPT-2: MLP intermediate size (null = 4 x n_embd).', 'integer', { field: 'model.ffnSize', default: '4 x n_embd' }),
  hfKey('ffn_hidden_size', 'Falcon: MLP intermediate size.', 'integer', { field: 'model.ffnSize', default: '4 x hidden_size' }),
  hfKey('vocab_size', 'Vocabulary size.', 'integer', { field: 'model.vocabSize' }),
  hfKey('max_position_embeddings', 'Longest sequence the positions cover.', 'integer', { field: 'model.maxPositionEmbeddings' }),
  hfKey('n_positions', 'GPT-2: rows of the learned position table.', 'integer', { field: 'model.maxPositionEmbeddings' }),
  hfKey('head_dim', 'Width of one attention head (null = hidden_size / num_attention_heads).', 'integer', {
    field: 'model.headDim',
    default: 'hidden_size / num_attention_heads',
  }),
  hfKey('tie_word_embeddings', 'Ties the LM head to the token embedding (counted once).', 'boolean', {
    field: 'model.tiedEmbeddings',
    default: "the model type's own default (architecture table: e.g. true for gpt2, gemma, bloom, falcon; false for llama, mistral, qwen2)",
  }),
  hfKey('attention_bias', 'Bias on the attention projections.', 'boolean', { field: 'model.bias.qkv', default: 'false' }),
  hfKey('mlp_bias', 'Llama: bias on the MLP matrices.', 'boolean', { field: 'model.bias.mlp', default: 'false' }),
  hfKey('num_local_experts', 'Mixtral: routed experts per layer.', 'integer', { field: 'moe.numExperts' }),
  hfKey('num_experts_per_tok', 'Routed experts each token uses.', 'integer', { field: 'moe.topK' }),
  hfKey('n_routed_experts', 'DeepSeek: routed experts per MoE layer.', 'integer', { field: 'moe.numExperts' }),
  hfKey('n_shared_experts', 'DeepSeek: always-on shared experts per MoE layer.', 'integer', { field: 'moe.numSharedExperts' }),
  hfKey('moe_intermediate_size', 'DeepSeek: intermediate size of one expert.', 'integer', { field: 'moe.expertFfnSize' }),
  hfKey('first_k_dense_replace', 'DeepSeek: the first k layers use a dense MLP instead of experts.', 'integer', {
    field: 'moe.firstDenseLayers',
    default: '0',
  }),
  hfKey('topk_method', 'DeepSeek: expert selection; noaux_tc adds a per-expert correction bias.', 'string', {
    default: 'noaux_tc for deepseek_v3',
  }),
  hfKey('q_lora_rank', 'DeepSeek MLA: rank of the low-rank query projection (null = full q_proj).', 'integer', { field: 'mla.qLoraRank' }),
  hfKey('kv_lora_rank', 'DeepSeek MLA: rank of the compressed key/value projection.', 'integer', { field: 'mla.kvLoraRank' }),
  hfKey('qk_nope_head_dim', 'DeepSeek MLA: per-head query/key width without rotary.', 'integer', { field: 'mla.qkNopeHeadDim' }),
  hfKey('qk_rope_head_dim', 'DeepSeek MLA: per-head query/key width with rotary.', 'integer', { field: 'mla.qkRopeHeadDim' }),
  hfKey('v_head_dim', 'DeepSeek MLA: per-head value width.', 'integer', { field: 'mla.vHeadDim' }),
  hfKey('text_config', 'Multimodal wrappers (Gemma 3): the language model\'s own config; its keys are read there.', 'map'),
  hfKey('vision_config', 'Gemma 3: the SigLIP vision tower, counted with the model (defaults: so400m at 896 px).', 'map'),
  hfKey('num_layers', 'ChatGLM, EXAONE: number of decoder blocks.', 'integer', { field: 'model.numLayers' }),
  hfKey('padded_vocab_size', 'ChatGLM: embedding and output rows (the vocabulary padded).', 'integer', { field: 'model.vocabSize' }),
  hfKey('kv_channels', 'ChatGLM: width of one attention head.', 'integer', { field: 'model.headDim' }),
  hfKey('multi_query_attention', 'ChatGLM: share key/value heads in multi_query_group_num groups.', 'boolean', { field: 'model.numKvHeads', default: 'false' }),
  hfKey('multi_query_group_num', 'ChatGLM: key/value groups with multi_query_attention.', 'integer', { field: 'model.numKvHeads', default: '1' }),
  hfKey('add_qkv_bias', 'ChatGLM: bias on the fused QKV projection.', 'boolean', { field: 'model.bias.qkv', default: 'false' }),
  hfKey('add_bias_linear', 'ChatGLM: bias on every linear layer.', 'boolean', { field: 'model.bias.attnOut', default: 'false' }),
  hfKey('rmsnorm', 'ChatGLM: RMSNorm (true) or LayerNorm with bias (false).', 'boolean', { field: 'model.normKind', default: 'true' }),
  hfKey('post_layer_norm', 'ChatGLM: a final norm before the output layer.', 'boolean', { default: 'true' }),
  hfKey('qkv_bias', 'Qwen2-MoE: bias on the query, key and value projections.', 'boolean', { field: 'model.bias.qkv', default: 'true' }),
  hfKey('use_bias', 'Starcoder2: biases on the attention and MLP projections.', 'boolean', { field: 'model.bias.qkv', default: 'true' }),
  hfKey('use_qkv_bias', 'StableLM: bias on the query, key and value projections.', 'boolean', { field: 'model.bias.qkv', default: 'false' }),
  hfKey('qk_layernorm', 'Phi, StableLM: LayerNorms on queries and keys.', 'boolean', { default: 'false' }),
  hfKey('use_qk_norm', 'Cohere: LayerNorms (without bias) on queries and keys, one weight per head.', 'boolean', { default: 'false' }),
  hfKey('use_parallel_residual', 'GPT-NeoX, StableLM: attention and MLP side by side (StableLM then has one norm per layer).', 'boolean', {
    default: 'true for gpt_neox, false for stablelm',
  }),
  hfKey('lm_head_bias', 'PhiMoE: bias on the LM head.', 'boolean', { field: 'model.bias.lmHead', default: 'false' }),
  hfKey('sliding_window', 'Sliding-window width of the layers that use one (null: none).', 'integer', { field: 'model.slidingWindow' }),
  hfKey('use_sliding_window', 'Qwen2/Qwen3: turn the sliding window on (for layers from max_window_layers on).', 'boolean', { default: 'false' }),
  hfKey('max_window_layers', 'Qwen2/Qwen3: first layer index that uses the sliding window.', 'integer', { default: '28' }),
  hfKey('sliding_window_pattern', 'Gemma 3, Cohere 2: every n-th layer attends globally, the others through the window.', 'integer', {
    default: '6 for gemma3, 4 for cohere2',
  }),
  hfKey('layer_types', 'Per-layer attention kind (sliding_attention / full_attention); overrides the pattern.', 'list'),
  hfKey('num_experts', 'Qwen-MoE, OLMoE: routed experts per MoE layer.', 'integer', { field: 'moe.numExperts' }),
  hfKey('experts_per_token', 'gpt-oss: routed experts each token uses (older name of num_experts_per_tok).', 'integer', { field: 'moe.topK' }),
  hfKey('shared_expert_intermediate_size', 'Qwen2-MoE: width of the shared expert (0: none); it has a sigmoid gate.', 'integer', {
    field: 'moe.sharedExpertFfnSize',
  }),
  hfKey('decoder_sparse_step', 'Qwen-MoE: every n-th layer holds experts.', 'integer', { default: '1' }),
  hfKey('mlp_only_layers', 'Qwen-MoE: layer indices that keep a dense MLP.', 'list', { default: '[]' }),
  hfKey('moe_layer_freq', 'DeepSeek: every n-th layer after first_k_dense_replace holds experts.', 'integer', { default: '1' }),
  hfKey('intermediate_size_mlp', 'Llama 4: width of the dense MLP of the non-MoE layers.', 'integer', { field: 'model.ffnSize' }),
  hfKey('interleave_moe_layer_step', 'Llama 4: every n-th layer holds experts (unless moe_layers lists them).', 'integer', { default: '1' }),
  hfKey('moe_layers', 'Llama 4: the layer indices that hold experts.', 'list'),
];

export const CLUSTER_KEYS: KeyDoc[] = [
  {
    name: 'cluster',
    layouts: CLUSTER,
    paths: ['cluster'],
    doc: 'The cluster the model is planned for: CS-X systems and MemoryX capacity.',
    type: 'map',
    field: 'cluster.block',
  },
  {
    name: 'name',
    layouts: CLUSTER,
    paths: ['cluster/name'],
    doc: 'A name shown in reports.',
    type: 'string',
    default: 'the file name',
  },
  {
    name: 'system',
    layouts: CLUSTER,
    paths: ['cluster/system'],
    doc: 'Hardware preset of each system (cs-3 or cs-2); any of its constants can be overridden.',
    type: 'enum',
    values: [...SYSTEM_PRESETS],
    field: 'cluster.system',
    default: 'cs-3',
  },
  {
    name: 'systems',
    layouts: CLUSTER,
    paths: ['cluster/systems'],
    doc: 'CS-X systems available, joined by SwarmX (data parallel).',
    type: 'integer',
    field: 'cluster.systems',
    default: '1',
  },
  {
    name: 'memoryx',
    layouts: CLUSTER,
    paths: ['cluster/memoryx'],
    doc: 'The external weight store that holds weights, gradients and optimizer state.',
    type: 'map',
  },
  {
    name: 'capacity',
    layouts: CLUSTER,
    paths: ['cluster/memoryx/capacity'],
    doc: "MemoryX capacity: bytes, or a number with a unit (TB = 1e12 bytes, TiB = 2^40 bytes; also GB, GiB, PB, PiB).",
    type: 'capacity',
    field: 'cluster.memoryxCapacity',
  },
  {
    name: 'overrides',
    layouts: CLUSTER,
    paths: ['cluster/overrides'],
    doc: 'Hardware constants to replace, by their documented name (numbers only).',
    type: 'map',
  },
];

export const ALL_KEYS: KeyDoc[] = [...MODELZOO_MODEL_KEYS, ...MODELZOO_TRAINING_KEYS, ...HF_KEYS, ...CLUSTER_KEYS];

/** Names accepted in a Model Zoo `model:` block (read or known-and-ignored). */
export const KNOWN_MODEL_BLOCK_KEYS: ReadonlySet<string> = new Set([
  ...MODELZOO_MODEL_KEYS.filter((key) => key.paths.some((p) => /^model\/[^/]+$/.test(p))).map((key) => key.name),
  ...MODELZOO_IGNORED_MODEL_KEYS,
]);

/** Names accepted under `cluster:` and `cluster.memoryx:`. */
export const CLUSTER_BLOCK_KEYS = ['name', 'system', 'systems', 'memoryx', 'overrides'] as const;
export const MEMORYX_BLOCK_KEYS = ['capacity'] as const;

function normalisePath(format: ConfigFormat, path: readonly (string | number)[]): string[] {
  let segments = [...path];
  // `trainer: [ {trainer: {...}}, ... ]` reads like a single trainer.
  if (format === 'modelzoo-trainer' && segments[0] === 'trainer' && typeof segments[1] === 'number' && segments[2] === 'trainer') {
    segments = ['trainer', ...segments.slice(3)];
  }
  return segments.map((segment) => (typeof segment === 'number' ? '[]' : segment));
}

function matches(pattern: string[], path: string[]): boolean {
  if (pattern.length !== path.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i]!;
    if (want === '*') continue;
    if (want !== path[i]) return false;
  }
  return true;
}

const PATTERNS = ALL_KEYS.map((key) => ({ key, patterns: key.paths.map((p) => p.split('/')) }));

/**
 * The documentation of the key at `path` (the YAML/JSON path of a key, e.g.
 * ['trainer','init','model','hidden_size']), or undefined when WaferScope does not read it.
 * For the trainer's optimizer the name key itself (['trainer','init','optimizer','AdamW']) maps
 * to the optimizer entry.
 */
export function lookupKey(format: ConfigFormat, path: readonly (string | number)[]): KeyDoc | undefined {
  const segments = normalisePath(format, path);
  for (const { key, patterns } of PATTERNS) {
    if (!key.layouts.includes(format)) continue;
    if (patterns.some((pattern) => matches(pattern, segments))) return key;
  }
  if (format === 'modelzoo-trainer' && segments.length === 4 && segments.slice(0, 3).join('/') === 'trainer/init/optimizer') {
    return MODELZOO_TRAINING_KEYS.find((key) => key.name === 'optimizer');
  }
  return undefined;
}

/**
 * Keys WaferScope reads directly under `parentPath` in this layout (for completion). The trainer's
 * optimizer names are offered under ['trainer','init','optimizer'].
 */
export function keysAt(format: ConfigFormat, parentPath: readonly (string | number)[]): KeyDoc[] {
  const parent = normalisePath(format, parentPath);
  const found: KeyDoc[] = [];
  for (const { key, patterns } of PATTERNS) {
    if (!key.layouts.includes(format)) continue;
    if (patterns.some((pattern) => pattern.length === parent.length + 1 && matches(pattern.slice(0, -1), parent))) found.push(key);
  }
  return found;
}
