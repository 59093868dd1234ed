/**
 * Hugging Face `config.json` for the decoder families WaferScope models: gpt2, llama, mistral,
 * mixtral, qwen2, falcon, bloom, deepseek_v3 / deepseek_v2 and kimi_k2 (DeepSeek-V3 layout). Key
 * names and defaults follow the transformers configuration classes of each model type.
 */
import type { Architecture, ModelDescription, MoeDescription, MlaDescription, Precision, Range, TrainingDescription } from '../types';
import { checkHeadsDivideHidden, checkKvDividesHeads, checkTopK } from './checks';
import type { Field, IntegerOptions, ReadContext } from './context';
import { LIMITS } from './limits';
import { entryOf, valueOf, type SourceMap } from './source';

export interface HfResult {
  model?: ModelDescription;
  training?: TrainingDescription;
  unmodelledFamily?: string;
}

type HfKind = 'gpt2' | 'llama' | 'mistral' | 'mixtral' | 'qwen2' | 'falcon' | 'bloom' | 'deepseek_v3' | 'deepseek_v2' | 'generic';

const MODEL_TYPE_KIND: Record<string, HfKind> = {
  gpt2: 'gpt2',
  llama: 'llama',
  mistral: 'mistral',
  mixtral: 'mixtral',
  qwen2: 'qwen2',
  falcon: 'falcon',
  // Falcon checkpoints saved before it joined transformers.
  refinedweb: 'falcon',
  refinedwebmodel: 'falcon',
  bloom: 'bloom',
  deepseek_v3: 'deepseek_v3',
  kimi_k2: 'deepseek_v3',
  deepseek_v2: 'deepseek_v2',
};

const ARCHITECTURE_KIND: Record<string, HfKind> = {
  GPT2LMHeadModel: 'gpt2',
  GPT2Model: 'gpt2',
  LlamaForCausalLM: 'llama',
  MistralForCausalLM: 'mistral',
  MixtralForCausalLM: 'mixtral',
  Qwen2ForCausalLM: 'qwen2',
  FalconForCausalLM: 'falcon',
  RWForCausalLM: 'falcon',
  BloomForCausalLM: 'bloom',
  DeepseekV3ForCausalLM: 'deepseek_v3',
  DeepseekV2ForCausalLM: 'deepseek_v2',
};

/** Model types that are not decoder-only language models. */
const NON_DECODER_MODEL_TYPES = new Set([
  'bert',
  'roberta',
  'xlm-roberta',
  'distilbert',
  'albert',
  'electra',
  'deberta',
  'deberta-v2',
  't5',
  'mt5',
  'umt5',
  'bart',
  'mbart',
  'pegasus',
  'vit',
  'deit',
  'beit',
  'swin',
  'convnext',
  'resnet',
  'clip',
  'siglip',
  'whisper',
  'wav2vec2',
  'hubert',
  'sam',
  'dinov2',
]);

/** transformers' `tie_word_embeddings` default for each model type. */
const TIED_BY_DEFAULT: Record<HfKind, boolean> = {
  gpt2: true,
  bloom: true,
  falcon: true,
  llama: false,
  mistral: false,
  mixtral: false,
  qwen2: false,
  deepseek_v3: false,
  deepseek_v2: false,
  generic: false,
};

/** transformers' `max_position_embeddings` default when a config omits it. */
const DEFAULT_POSITIONS: Record<HfKind, number> = {
  gpt2: 1024,
  llama: 2048,
  mistral: 131_072,
  mixtral: 131_072,
  qwen2: 32_768,
  falcon: 2048,
  // BLOOM has no position table (ALiBi); it was trained at 2,048 tokens.
  bloom: 2048,
  deepseek_v3: 4096,
  deepseek_v2: 2048,
  generic: 2048,
};

/**
 * A config.json describes only the model. WaferScope plans it with these training settings
 * (assumptions, shown in the report): AdamW, bf16 mixed precision (fp16 when the checkpoint is
 * float16), the model's context capped at 8,192 tokens (long contexts are usually reached by a
 * short extension phase, not pre-training), and a global batch of 512 sequences.
 */
export const HF_TRAINING_ASSUMPTIONS = {
  globalBatchSize: 512,
  maxSequenceLength: 8192,
  optimizer: 'adamw',
} as const;

export function readHfConfig(ctx: ReadContext, root: SourceMap): HfResult {
  const blockRange = ctx.range(root.start, Math.min(root.end, root.start + 1));
  ctx.sources['model.block'] = { path: [], keyRange: blockRange, valueRange: ctx.valueRange(root) };

  const modelType = ctx.string(root, [], 'model_type');
  const architectures = valueOf(root, 'architectures');
  const firstArchitecture =
    architectures && architectures.kind === 'seq' && architectures.items[0]?.kind === 'scalar'
      ? String(architectures.items[0].value)
      : undefined;
  const typeName = modelType.value?.trim().toLowerCase();
  let kind: HfKind | undefined = typeName !== undefined ? MODEL_TYPE_KIND[typeName] : undefined;
  if (!kind && typeName === undefined && firstArchitecture) kind = ARCHITECTURE_KIND[firstArchitecture];
  const family = typeName ?? (kind && kind !== 'generic' ? kind : firstArchitecture ?? 'unknown');
  const familyRange: Range = modelType.entry
    ? ctx.valueRange(modelType.entry.value)
    : architectures
      ? ctx.valueRange(architectures)
      : blockRange;

  if (!kind) {
    const looksLikeDecoder =
      entryOf(root, 'hidden_size') && entryOf(root, 'num_hidden_layers') && entryOf(root, 'num_attention_heads') && entryOf(root, 'intermediate_size');
    if ((typeName !== undefined && NON_DECODER_MODEL_TYPES.has(typeName)) || !looksLikeDecoder) {
      ctx.diagnostics.length = 0;
      ctx.report(
        'information',
        'not-modelled',
        `The '${family}' model type is not modelled yet: WaferScope plans decoder-only language models (gpt2, llama, mistral, mixtral, qwen2, falcon, bloom, deepseek_v3).`,
        familyRange,
      );
      return { unmodelledFamily: family };
    }
    kind = 'generic';
    ctx.report(
      'information',
      'assumed-architecture',
      `The '${family}' model type is read as a Llama-style decoder (RMSNorm, gated MLP, no biases): an assumption, check the parameter count.`,
      familyRange,
    );
  }
  const model = readModel(ctx, root, kind, family, blockRange);
  return { model, training: model ? defaultTraining(ctx, root, model) : undefined };
}

/** The first of `names` the config sets (a later alias name is used only when the first is absent). */
function pickInteger(ctx: ReadContext, root: SourceMap, names: string[], options: IntegerOptions): Field<number> & { name: string } {
  for (const name of names) {
    const entry = entryOf(root, name);
    if (entry && !(entry.value.kind === 'scalar' && entry.value.value === null)) {
      return { ...ctx.integer(root, [], name, options), name };
    }
  }
  const name = names[0]!;
  return { value: undefined, entry: entryOf(root, name), path: [name], bad: false, name };
}

function readModel(ctx: ReadContext, root: SourceMap, kind: HfKind, family: string, blockRange: Range): ModelDescription | undefined {
  const errorsBefore = ctx.diagnostics.filter((d) => d.severity === 'error').length;
  const hidden = pickInteger(ctx, root, ['hidden_size', 'n_embd', 'n_embed'], { max: LIMITS.hiddenSize, field: 'model.hiddenSize' });
  const layers = pickInteger(ctx, root, ['num_hidden_layers', 'n_layer'], { max: LIMITS.numLayers, field: 'model.numLayers' });
  const heads = pickInteger(ctx, root, ['num_attention_heads', 'n_head'], { max: LIMITS.numHeads, field: 'model.numHeads' });
  const vocab = pickInteger(ctx, root, ['vocab_size'], { max: LIMITS.vocabSize, field: 'model.vocabSize' });
  const positions = pickInteger(ctx, root, kind === 'bloom' ? ['seq_length', 'max_position_embeddings'] : ['max_position_embeddings', 'n_positions'], {
    max: LIMITS.maxPositionEmbeddings,
    field: 'model.maxPositionEmbeddings',
  });
  const ffnNames = kind === 'gpt2' ? ['n_inner'] : kind === 'falcon' ? ['ffn_hidden_size'] : kind === 'bloom' ? [] : ['intermediate_size'];
  const ffn = ffnNames.length
    ? pickInteger(ctx, root, ffnNames, { max: LIMITS.ffnSize, field: 'model.ffnSize' })
    : { value: undefined, path: [], bad: false, name: '' };
  const headDimField = kind === 'deepseek_v3' || kind === 'deepseek_v2' || kind === 'gpt2' || kind === 'bloom'
    ? undefined
    : pickInteger(ctx, root, ['head_dim'], { max: LIMITS.headDim, field: 'model.headDim' });
  const tied = ctx.boolean(root, [], 'tie_word_embeddings', 'model.tiedEmbeddings');

  for (const field of [hidden, layers, heads, vocab]) {
    if (field.value === undefined && !field.bad) ctx.missing(field.name, 'the config', field.entry, blockRange);
  }
  // GPT-2 (n_inner: null), Falcon (no ffn_hidden_size in older configs) and BLOOM: 4 x hidden.
  const needsFfn = kind !== 'gpt2' && kind !== 'falcon' && kind !== 'bloom';
  if (needsFfn && ffn.value === undefined && !ffn.bad) ctx.missing(ffn.name, 'the config', ffn.entry, blockRange);

  // Key/value heads.
  let kv: Field<number> = heads;
  let normsPerLayer = 2;
  let falconBias = false;
  let positionEmbedding: ModelDescription['positionEmbedding'] = 'rotary';
  if (kind === 'falcon') {
    const newArchitecture = ctx.boolean(root, [], 'new_decoder_architecture', 'model.normsPerLayer');
    const multiQuery = ctx.boolean(root, [], 'multi_query');
    const parallel = ctx.boolean(root, [], 'parallel_attn');
    const lnCount = pickInteger(ctx, root, ['num_ln_in_parallel_attn'], { max: 2 });
    const bias = ctx.boolean(root, [], 'bias', 'model.bias.qkv');
    const alibi = ctx.boolean(root, [], 'alibi', 'model.positionEmbedding');
    falconBias = bias.value ?? false;
    if (alibi.value === true) positionEmbedding = 'alibi';
    if (newArchitecture.value === true) {
      // FalconConfig: num_kv_heads defaults to num_attention_heads.
      const kvField = pickInteger(ctx, root, ['num_kv_heads'], { max: LIMITS.numHeads, field: 'model.numKvHeads' });
      kv = kvField.value !== undefined || kvField.bad ? kvField : heads;
      // ln_attn and ln_mlp, unless num_ln_in_parallel_attn says one (Falcon2-11B).
      normsPerLayer = lnCount.value ?? 2;
    } else {
      // Falcon-7B: multi_query (default true) shares one key/value head.
      if (multiQuery.value ?? true) kv = { value: 1, path: ['multi_query'], bad: false };
      // parallel_attn (default true): one input_layernorm; otherwise a second, post-attention one.
      normsPerLayer = (parallel.value ?? true) ? 1 : 2;
    }
  } else if (kind !== 'gpt2' && kind !== 'bloom') {
    const kvField = pickInteger(ctx, root, ['num_key_value_heads'], { max: LIMITS.numHeads, field: 'model.numKvHeads' });
    kv = kvField.value !== undefined || kvField.bad ? kvField : heads;
  }
  if (kind === 'gpt2') positionEmbedding = 'learned';
  if (kind === 'bloom') positionEmbedding = 'alibi';

  // Biases.
  let bias: ModelDescription['bias'] = { qkv: false, attnOut: false, mlp: false, lmHead: false };
  if (kind === 'gpt2' || kind === 'bloom') bias = { qkv: true, attnOut: true, mlp: true, lmHead: false };
  else if (kind === 'falcon') bias = { qkv: falconBias, attnOut: falconBias, mlp: falconBias, lmHead: false };
  else if (kind === 'qwen2') bias = { qkv: true, attnOut: false, mlp: false, lmHead: false };
  else if (kind === 'llama' || kind === 'generic' || kind === 'deepseek_v3' || kind === 'deepseek_v2') {
    const attentionBias = ctx.boolean(root, [], 'attention_bias', 'model.bias.qkv');
    const value = attentionBias.value ?? false;
    bias = { qkv: value, attnOut: value, mlp: false, lmHead: false };
    if (kind === 'llama' || kind === 'generic') {
      const mlpBias = ctx.boolean(root, [], 'mlp_bias', 'model.bias.mlp');
      bias.mlp = mlpBias.value ?? false;
    }
  }

  // Mixture of experts and latent attention.
  let moe: MoeDescription | undefined;
  let mla: MlaDescription | undefined;
  let moeBad = false;
  if (kind === 'mixtral') {
    const experts = pickInteger(ctx, root, ['num_local_experts'], { max: LIMITS.numExperts, field: 'moe.numExperts' });
    const topK = pickInteger(ctx, root, ['num_experts_per_tok'], { max: LIMITS.numExperts, field: 'moe.topK' });
    // MixtralConfig defaults: 8 experts, 2 per token.
    const numExperts = experts.value ?? 8;
    const k = topK.value ?? 2;
    moeBad = experts.bad || topK.bad || !checkTopK(ctx, topK, { ...experts, value: numExperts }, { topK: 'num_experts_per_tok', experts: 'num_local_experts' }, blockRange);
    moe = {
      numExperts,
      topK: k,
      numSharedExperts: 0,
      expertFfnSize: ffn.value ?? 0,
      sharedExpertFfnSize: 0,
      firstDenseLayers: 0,
      routerBias: false,
    };
  }
  if (kind === 'deepseek_v3' || kind === 'deepseek_v2') {
    const read = readDeepseek(ctx, root, kind, blockRange);
    moe = read.moe;
    mla = read.mla;
    moeBad = read.bad;
  }

  // Head width: head_dim when given (Llama-3.2, Mistral), else hidden / heads; MLA has its own.
  const explicitHeadDim = headDimField?.value;
  if (!mla && explicitHeadDim === undefined) {
    checkHeadsDivideHidden(ctx, hidden, heads, { hidden: hidden.name, heads: heads.name }, blockRange);
  }
  checkKvDividesHeads(ctx, heads, kv, { heads: heads.name, kv: kind === 'falcon' ? 'num_kv_heads' : 'num_key_value_heads' }, blockRange);

  const errorsAfter = ctx.diagnostics.filter((d) => d.severity === 'error').length;
  if (
    errorsAfter > errorsBefore ||
    moeBad ||
    hidden.value === undefined ||
    layers.value === undefined ||
    heads.value === undefined ||
    vocab.value === undefined ||
    kv.value === undefined ||
    (needsFfn && ffn.value === undefined)
  ) {
    return undefined;
  }
  const h = hidden.value;
  const ffnSize = ffn.value ?? 4 * h;
  if (moe && kind === 'mixtral') moe.expertFfnSize = ffnSize;
  const headDim = mla ? mla.qkNopeHeadDim + mla.qkRopeHeadDim : explicitHeadDim ?? h / heads.value;

  let architecture: Architecture = 'llama';
  if (kind === 'gpt2') architecture = 'gpt';
  else if (kind === 'falcon') architecture = 'falcon';
  else if (kind === 'bloom') architecture = 'bloom';
  else if (kind === 'deepseek_v3' || kind === 'deepseek_v2') architecture = 'deepseek';
  const layernorm = kind === 'gpt2' || kind === 'falcon' || kind === 'bloom';

  const description: ModelDescription = {
    family,
    architecture,
    hiddenSize: h,
    numLayers: layers.value,
    numHeads: heads.value,
    numKvHeads: kv.value,
    headDim,
    ffnSize,
    vocabSize: vocab.value,
    maxPositionEmbeddings: positions.value ?? DEFAULT_POSITIONS[kind],
    positionEmbedding,
    mlpKind: layernorm ? 'plain' : 'gated',
    normKind: layernorm ? 'layernorm' : 'rmsnorm',
    normsPerLayer,
    tiedEmbeddings: tied.value ?? TIED_BY_DEFAULT[kind],
    bias,
    embeddingNorm: kind === 'bloom',
  };
  if (moe) description.moe = moe;
  if (mla) description.mla = mla;
  return description;
}

/**
 * DeepSeek-V2/V3 (and Kimi K2): multi-head latent attention, routed plus shared experts, the first
 * `first_k_dense_replace` layers dense. Absent keys take DeepseekV3Config's defaults.
 */
function readDeepseek(
  ctx: ReadContext,
  root: SourceMap,
  kind: 'deepseek_v3' | 'deepseek_v2',
  blockRange: Range,
): { moe?: MoeDescription; mla?: MlaDescription; bad: boolean } {
  const rank = { max: LIMITS.loraRank };
  const dim = { max: LIMITS.headDim };
  const qLora = pickInteger(ctx, root, ['q_lora_rank'], { ...rank, field: 'mla.qLoraRank' });
  const kvLora = pickInteger(ctx, root, ['kv_lora_rank'], { ...rank, field: 'mla.kvLoraRank' });
  const nope = pickInteger(ctx, root, ['qk_nope_head_dim'], { ...dim, field: 'mla.qkNopeHeadDim' });
  const rope = pickInteger(ctx, root, ['qk_rope_head_dim'], { ...dim, field: 'mla.qkRopeHeadDim' });
  const vDim = pickInteger(ctx, root, ['v_head_dim'], { ...dim, field: 'mla.vHeadDim' });
  const experts = pickInteger(ctx, root, ['n_routed_experts'], { max: LIMITS.numExperts, field: 'moe.numExperts' });
  const topK = pickInteger(ctx, root, ['num_experts_per_tok'], { max: LIMITS.numExperts, field: 'moe.topK' });
  const shared = pickInteger(ctx, root, ['n_shared_experts'], { min: 0, max: LIMITS.numExperts, field: 'moe.numSharedExperts' });
  const expertFfn = pickInteger(ctx, root, ['moe_intermediate_size'], { max: LIMITS.ffnSize, field: 'moe.expertFfnSize' });
  const firstDense = pickInteger(ctx, root, ['first_k_dense_replace'], { min: 0, max: LIMITS.numLayers, field: 'moe.firstDenseLayers' });
  const topkMethod = ctx.string(root, [], 'topk_method');
  const fields = [qLora, kvLora, nope, rope, vDim, experts, topK, shared, expertFfn, firstDense];
  if (fields.some((field) => field.bad)) return { bad: true };

  // DeepseekV3Config defaults (q_lora_rank null in a config means a full-rank q_proj).
  const qLoraEntry = entryOf(root, 'q_lora_rank');
  const qLoraIsNull = qLoraEntry !== undefined && qLoraEntry.value.kind === 'scalar' && qLoraEntry.value.value === null;
  const numExperts = experts.value ?? 256;
  const k = topK.value ?? 8;
  if (!checkTopK(ctx, topK, { ...experts, value: numExperts }, { topK: 'num_experts_per_tok', experts: 'n_routed_experts' }, blockRange)) {
    return { bad: true };
  }
  const expertSize = expertFfn.value ?? 2048;
  // V3 routing (noaux_tc) adds e_score_correction_bias; V2's greedy routing has none.
  const method = topkMethod.value ?? (kind === 'deepseek_v3' ? 'noaux_tc' : 'greedy');
  return {
    bad: false,
    mla: {
      qLoraRank: qLoraIsNull ? 0 : qLora.value ?? 1536,
      kvLoraRank: kvLora.value ?? 512,
      qkNopeHeadDim: nope.value ?? 128,
      qkRopeHeadDim: rope.value ?? 64,
      vHeadDim: vDim.value ?? 128,
    },
    moe: {
      numExperts,
      topK: k,
      numSharedExperts: shared.value ?? 1,
      expertFfnSize: expertSize,
      sharedExpertFfnSize: expertSize,
      firstDenseLayers: firstDense.value ?? (kind === 'deepseek_v3' ? 3 : 0),
      routerBias: method === 'noaux_tc',
    },
  };
}

function defaultTraining(ctx: ReadContext, root: SourceMap, model: ModelDescription): TrainingDescription {
  const dtype = ctx.string(root, [], 'torch_dtype').value ?? ctx.string(root, [], 'dtype').value;
  const precision: Precision = dtype === 'float16' ? 'fp16' : 'bf16';
  return {
    globalBatchSize: HF_TRAINING_ASSUMPTIONS.globalBatchSize,
    sequenceLength: Math.min(model.maxPositionEmbeddings, HF_TRAINING_ASSUMPTIONS.maxSequenceLength),
    precision,
    optimizer: HF_TRAINING_ASSUMPTIONS.optimizer,
  };
}
