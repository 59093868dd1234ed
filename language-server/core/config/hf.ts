/**
 * Hugging Face `config.json` for every decoder family of the architecture table
 * (model/architectures.ts). Key names and defaults follow the transformers configuration class of
 * each model type; the table says which tensors they make. A model type outside the table gets
 * no count unless the user asks for an approximate reading (`readAs`), which is then marked.
 */
import type { LayerPattern, ModelDescription, MoeDescription, MlaDescription, NormVariant, Precision, Range, TrainingDescription, WeightTensor } from '../types';
import { architectureFor, ARCHITECTURE_CLASSES, SUPPORTED_MODEL_TYPES, type ArchitectureSpec, type Flag, type IntegerKey } from '../model/architectures';
import { checkHeadsDivideHidden, checkKvDividesHeads, checkTopK } from './checks';
import type { Field, IntegerOptions, Path, ReadContext } from './context';
import { LIMITS } from './limits';
import { entryOf, valueOf, type SourceMap, type SourceNode } from './source';

export interface HfResult {
  model?: ModelDescription;
  training?: TrainingDescription;
  unmodelledFamily?: string;
}

export interface HfReadOptions {
  /** `waferscope.readAs`: model type -> supported type to read it as (an approximation). */
  readAs?: Record<string, string>;
}

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


/** Where the decoder's keys are: the root, or `text_config` (Gemma 3 multimodal). */
interface Scope {
  node: SourceMap;
  path: Path;
}

export function readHfConfig(ctx: ReadContext, root: SourceMap, options: HfReadOptions = {}): HfResult {
  const blockRange = ctx.range(root.start, Math.min(root.end, root.start + 1));
  ctx.sources['model.block'] = { path: [], keyRange: blockRange, valueRange: ctx.valueRange(root) };

  const modelType = ctx.string(root, [], 'model_type');
  const architectures = valueOf(root, 'architectures');
  const firstArchitecture =
    architectures && architectures.kind === 'seq' && architectures.items[0]?.kind === 'scalar'
      ? String(architectures.items[0].value)
      : undefined;
  let typeName = modelType.value?.trim().toLowerCase();
  if (typeName === undefined && firstArchitecture) typeName = ARCHITECTURE_CLASSES[firstArchitecture];
  const family = typeName ?? firstArchitecture ?? 'unknown';
  const familyRange: Range = modelType.entry
    ? ctx.valueRange(modelType.entry.value)
    : architectures
      ? ctx.valueRange(architectures)
      : blockRange;

  let found = typeName !== undefined ? architectureFor(typeName) : undefined;
  let approximation: ModelDescription['approximation'];
  if (!found) {
    const textConfig = valueOf(root, 'text_config');
    const shape = textConfig?.kind === 'map' ? textConfig : root;
    const looksLikeDecoder = entryOf(shape, 'hidden_size') && entryOf(shape, 'num_attention_heads') && (entryOf(shape, 'num_hidden_layers') || entryOf(shape, 'num_layers'));
    if ((typeName !== undefined && NON_DECODER_MODEL_TYPES.has(typeName)) || !looksLikeDecoder) {
      ctx.diagnostics.length = 0;
      ctx.report(
        'information',
        'not-modelled',
        `The '${family}' model type is not modelled: WaferScope plans decoder-only language models (${SUPPORTED_MODEL_TYPES.join(', ')}).`,
        familyRange,
      );
      return { unmodelledFamily: family };
    }
    const readAs = typeName !== undefined ? options.readAs?.[typeName] : undefined;
    const target = readAs !== undefined ? architectureFor(readAs.trim().toLowerCase()) : undefined;
    if (!target) {
      const asked = readAs !== undefined ? ` The waferscope.readAs setting names '${readAs}', which is not a supported type either.` : '';
      ctx.report(
        'warning',
        'unsupported-model-type',
        `The '${family}' model type is not in WaferScope's architecture table, so it gets no parameter count and no verdict.${asked} ` +
          `Supported: ${SUPPORTED_MODEL_TYPES.join(', ')}. For an approximate reading, map it to the closest supported type ` +
          `in the waferscope.readAs setting, e.g. "waferscope.readAs": { "${family}": "llama" } (CLI: --read-as ${family}=llama).`,
        familyRange,
      );
      return { unmodelledFamily: family };
    }
    found = target;
    approximation = {
      readAs: target.type,
      reason: `the '${family}' model type is not in the architecture table; read as ${target.type} by the waferscope.readAs setting`,
    };
    ctx.report(
      'warning',
      'approximate-reading',
      `The '${family}' model type is read as ${target.type} (waferscope.readAs): the parameter count and everything built on it are approximate (shown with "≈").`,
      familyRange,
    );
  }
  // ChatGLM-6B's first generation shares the model_type but not the architecture (GLU with
  // biases, 2-D positions, inner_hidden_size): not in the table.
  if (found.type === 'chatglm' && entryOf(root, 'inner_hidden_size') && !entryOf(root, 'ffn_hidden_size')) {
    ctx.report(
      'warning',
      'unsupported-model-type',
      `This is a first-generation ChatGLM-6B config (inner_hidden_size, no ffn_hidden_size), which WaferScope does not model: no parameter count and no verdict. ` +
        `Supported: ${SUPPORTED_MODEL_TYPES.join(', ')} (chatglm means ChatGLM2/3 and GLM-4 chat).`,
      familyRange,
    );
    return { unmodelledFamily: family };
  }
  const model = readModel(ctx, root, found.type, found.spec, family, blockRange, approximation !== undefined);
  if (model && approximation) model.approximation = approximation;
  return { model, training: model ? defaultTraining(ctx, root, model) : undefined };
}

const isNull = (node: SourceNode | undefined): boolean => node === undefined || (node.kind === 'scalar' && node.value === null);

/** The first of `names` the config sets (a later alias name is used only when the first is absent). */
function pickInteger(ctx: ReadContext, scope: Scope, names: string[], options: IntegerOptions): Field<number> & { name: string } {
  for (const name of names) {
    const entry = entryOf(scope.node, name);
    if (entry && !isNull(entry.value)) {
      return { ...ctx.integer(scope.node, scope.path, name, options), name };
    }
  }
  const name = names[0] ?? '';
  return { value: undefined, entry: name ? entryOf(scope.node, name) : undefined, path: [...scope.path, name], bad: false, name };
}

function flagValue(ctx: ReadContext, scope: Scope, flag: Flag | undefined, field?: string): boolean {
  if (flag === undefined) return false;
  if (typeof flag === 'boolean') return flag;
  return ctx.boolean(scope.node, scope.path, flag.key, field).value ?? flag.default;
}

function integerKey(ctx: ReadContext, scope: Scope, spec: IntegerKey, options: IntegerOptions): { value: number | undefined; field: Field<number> & { name: string } } {
  const field = pickInteger(ctx, scope, spec.keys, options);
  return { value: field.value ?? (field.bad ? undefined : spec.default), field };
}

/** A list of whole numbers (mlp_only_layers, moe_layers); undefined when absent or not a list. */
function integerList(scope: Scope, key: string): number[] | undefined {
  const node = valueOf(scope.node, key);
  if (!node || node.kind !== 'seq') return undefined;
  return node.items.flatMap((item) => (item.kind === 'scalar' && typeof item.value === 'number' ? [item.value] : []));
}

function stringList(scope: Scope, key: string): string[] | undefined {
  const node = valueOf(scope.node, key);
  if (!node || node.kind !== 'seq') return undefined;
  return node.items.map((item) => (item.kind === 'scalar' ? String(item.value) : ''));
}

function readModel(
  ctx: ReadContext,
  root: SourceMap,
  type: string,
  spec: ArchitectureSpec,
  family: string,
  blockRange: Range,
  approximate: boolean,
): ModelDescription | undefined {
  const errorsBefore = ctx.diagnostics.filter((d) => d.severity === 'error').length;
  // Multimodal wrappers keep the decoder under text_config; an approximate reading of an unknown
  // wrapper reads its language model there too.
  const textConfig = spec.textConfig || approximate ? valueOf(root, 'text_config') : undefined;
  const scope: Scope = textConfig?.kind === 'map' ? { node: textConfig, path: ['text_config'] } : { node: root, path: [] };
  const keys = spec.keys ?? {};
  const hidden = pickInteger(ctx, scope, keys.hidden ?? ['hidden_size', 'n_embd', 'n_embed'], { max: LIMITS.hiddenSize, field: 'model.hiddenSize' });
  const layers = pickInteger(ctx, scope, keys.layers ?? ['num_hidden_layers', 'n_layer'], { max: LIMITS.numLayers, field: 'model.numLayers' });
  const heads = pickInteger(ctx, scope, keys.heads ?? ['num_attention_heads', 'n_head'], { max: LIMITS.numHeads, field: 'model.numHeads' });
  const vocab = pickInteger(ctx, scope, keys.vocab ?? ['vocab_size'], { max: LIMITS.vocabSize, field: 'model.vocabSize' });
  const positions = pickInteger(ctx, scope, keys.positions ?? ['max_position_embeddings', 'n_positions'], {
    max: LIMITS.maxPositionEmbeddings,
    field: 'model.maxPositionEmbeddings',
  });
  const ffnNames = keys.ffn ?? ['intermediate_size'];
  const ffn = ffnNames.length
    ? pickInteger(ctx, scope, ffnNames, { max: LIMITS.ffnSize, field: 'model.ffnSize' })
    : { value: undefined, path: [], bad: false, name: '' };
  const headDimField = spec.attention.mla ? undefined : pickInteger(ctx, scope, keys.headDim ?? ['head_dim'], { max: LIMITS.headDim, field: 'model.headDim' });
  const tiedScope = ctx.boolean(scope.node, scope.path, 'tie_word_embeddings', 'model.tiedEmbeddings');
  const tied = tiedScope.value ?? (scope.node !== root ? ctx.boolean(root, [], 'tie_word_embeddings', 'model.tiedEmbeddings').value : undefined);

  for (const field of [hidden, layers, heads, vocab]) {
    if (field.value === undefined && !field.bad) ctx.missing(field.name, 'the config', field.entry, blockRange);
  }
  const needsFfn = !spec.defaults.ffnFourTimesHidden;
  if (needsFfn && ffn.value === undefined && !ffn.bad) ctx.missing(ffn.name, 'the config', ffn.entry, blockRange);

  // Key/value heads.
  let kv: Field<number> = heads;
  const kvSpec = spec.kvHeads;
  let falconNames: string[] | undefined;
  if (kvSpec.kind === 'keys') {
    const kvField = pickInteger(ctx, scope, kvSpec.keys, { max: LIMITS.numHeads, field: 'model.numKvHeads' });
    // Absent: the class default (MistralConfig 8, ...); null or no class default: the query heads.
    const absent = kvSpec.keys.every((key) => entryOf(scope.node, key) === undefined);
    kv = kvField.value !== undefined || kvField.bad
      ? kvField
      : absent && kvSpec.default !== undefined
        ? { value: kvSpec.default, path: [...scope.path, kvSpec.keys[0]!], bad: false }
        : heads;
  } else if (kvSpec.kind === 'multi-query-flag') {
    if (flagValue(ctx, scope, { key: kvSpec.flag, default: kvSpec.default }, 'model.numKvHeads')) kv = { value: 1, path: [kvSpec.flag], bad: false };
  } else if (kvSpec.kind === 'groups-flag') {
    if (flagValue(ctx, scope, { key: kvSpec.flag, default: kvSpec.default }, 'model.numKvHeads')) {
      const groups = pickInteger(ctx, scope, [kvSpec.groups], { max: LIMITS.numHeads, field: 'model.numKvHeads' });
      kv = groups.value !== undefined || groups.bad ? groups : { value: 1, path: [kvSpec.groups], bad: false };
    }
  } else if (kvSpec.kind === 'falcon') {
    const newArchitecture = ctx.boolean(scope.node, scope.path, 'new_decoder_architecture', 'model.normsPerLayer');
    // The original Falcon-40B remote code (model_type RefinedWeb) is the new decoder architecture
    // with its key/value heads in n_head_kv; RefinedWebModel (7B) is the old one.
    if (newArchitecture.value ?? family === 'refinedweb') {
      // FalconConfig: num_kv_heads defaults to num_attention_heads; ln_attn and ln_mlp unless
      // num_ln_in_parallel_attn says one (Falcon2-11B).
      const kvField = pickInteger(ctx, scope, ['num_kv_heads', 'n_head_kv'], { max: LIMITS.numHeads, field: 'model.numKvHeads' });
      kv = kvField.value !== undefined || kvField.bad ? kvField : heads;
      const norms = pickInteger(ctx, scope, ['num_ln_in_parallel_attn'], { max: 2, field: 'model.normsPerLayer' }).value ?? 2;
      falconNames = norms === 2 ? ['ln_attn', 'ln_mlp'] : ['input_layernorm'];
    } else {
      // Falcon-7B: multi_query (default true) shares one key/value head; parallel_attn (default
      // true) means one input_layernorm, otherwise a second, post-attention one.
      if (ctx.boolean(scope.node, scope.path, 'multi_query', 'model.numKvHeads').value ?? true) kv = { value: 1, path: ['multi_query'], bad: false };
      falconNames = flagValue(ctx, scope, spec.parallel, 'model.normsPerLayer') ? ['input_layernorm'] : ['input_layernorm', 'post_attention_layernorm'];
    }
  }

  const parallel = flagValue(ctx, scope, spec.parallel, 'model.normsPerLayer');
  const normNames = falconNames ?? (parallel && spec.norm.parallelNames ? spec.norm.parallelNames : spec.norm.names);
  const variantSpec = spec.norm.variant;
  const normVariant: NormVariant = typeof variantSpec === 'string'
    ? variantSpec
    : flagValue(ctx, scope, { key: variantSpec.flag, default: variantSpec.default }, 'model.normKind') ? variantSpec.ifTrue : variantSpec.ifFalse;

  const qkvBias = flagValue(ctx, scope, spec.attention.qkvBias, 'model.bias.qkv');
  const bias: ModelDescription['bias'] = {
    qkv: qkvBias,
    attnOut: flagValue(ctx, scope, spec.attention.outBias, 'model.bias.attnOut'),
    mlp: flagValue(ctx, scope, spec.mlp.bias, 'model.bias.mlp'),
    lmHead: flagValue(ctx, scope, spec.lmHeadBias, 'model.bias.lmHead'),
  };
  // ChatGLM: query_key_value has a bias when add_bias_linear or add_qkv_bias is set.
  if (type === 'chatglm' && bias.attnOut) bias.qkv = true;
  const qkNormSpec = spec.attention.qkNorm;
  const qkNorm = qkNormSpec && (qkNormSpec.when === undefined || flagValue(ctx, scope, qkNormSpec.when)) ? { width: qkNormSpec.width, variant: qkNormSpec.variant } : undefined;

  // Mixture of experts and latent attention.
  let moe: MoeDescription | undefined;
  let mla: MlaDescription | undefined;
  let moeBad = false;
  let denseFfn: number | undefined;
  if (spec.moe?.deepseek) {
    const read = readDeepseek(ctx, scope, spec, blockRange);
    moe = read.moe;
    mla = read.mla;
    moeBad = read.bad;
  } else if (spec.moe) {
    const m = spec.moe;
    const experts = integerKey(ctx, scope, m.experts, { max: LIMITS.numExperts, field: 'moe.numExperts' });
    const topK = integerKey(ctx, scope, m.topK, { max: LIMITS.numExperts, field: 'moe.topK' });
    const expertFfn = m.expertFfn === 'ffn' ? { value: ffn.value, field: ffn } : integerKey(ctx, scope, m.expertFfn, { max: LIMITS.ffnSize, field: 'moe.expertFfnSize' });
    let sharedCount = 0;
    let sharedWidth = 0;
    if (m.shared) {
      const width = m.shared.ffn === 'expert' ? expertFfn.value : m.shared.ffn === 'ffn' ? ffn.value : integerKey(ctx, scope, m.shared.ffn, { min: 0, max: LIMITS.ffnSize, field: 'moe.sharedExpertFfnSize' }).value;
      sharedWidth = width ?? 0;
      sharedCount = m.shared.count === 'one-if-width' ? (sharedWidth > 0 ? 1 : 0) : integerKey(ctx, scope, m.shared.count, { min: 0, max: LIMITS.numExperts, field: 'moe.numSharedExperts' }).value ?? 0;
    }
    if (m.denseFfn) denseFfn = integerKey(ctx, scope, m.denseFfn, { max: LIMITS.ffnSize, field: 'model.ffnSize' }).value;
    const firstDense = m.firstDense ? integerKey(ctx, scope, m.firstDense, { min: 0, max: LIMITS.numLayers, field: 'moe.firstDenseLayers' }).value ?? 0 : 0;
    const expertsName = experts.field.name || m.experts.keys[0]!;
    moeBad = experts.field.bad || topK.field.bad ||
      !checkTopK(ctx, topK.field, { ...experts.field, value: experts.value }, { topK: topK.field.name || m.topK.keys[0]!, experts: expertsName }, blockRange);
    if (experts.value !== undefined && experts.value > 0 && topK.value !== undefined && expertFfn.value !== undefined) {
      moe = {
        numExperts: experts.value,
        topK: topK.value,
        numSharedExperts: sharedCount,
        expertFfnSize: expertFfn.value,
        sharedExpertFfnSize: sharedWidth,
        firstDenseLayers: firstDense,
        routerBias: m.routerBias,
      };
      if (m.expertBias) moe.expertBias = true;
      if (m.shared?.gate && sharedCount > 0) moe.sharedExpertGate = true;
    }
  }

  // Head width: head_dim when given (Llama-3.2, Mistral, Qwen3, Gemma), else the family default, else hidden / heads.
  const explicitHeadDim = headDimField?.value ?? (headDimField?.bad ? undefined : spec.defaults.headDim);
  if (!mla && explicitHeadDim === undefined) {
    checkHeadsDivideHidden(ctx, hidden, heads, { hidden: hidden.name, heads: heads.name }, blockRange);
  }
  const kvName = kvSpec.kind === 'keys' ? kvSpec.keys[0]! : kvSpec.kind === 'falcon' ? 'num_kv_heads' : kvSpec.kind === 'groups-flag' ? kvSpec.groups : 'num_key_value_heads';
  checkKvDividesHeads(ctx, heads, kv, { heads: heads.name, kv: kvName }, blockRange);

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
  const ffnSize = denseFfn ?? ffn.value ?? 4 * h;
  if (moe && spec.moe?.expertFfn === 'ffn') moe.expertFfnSize = ffn.value ?? 4 * h;
  const headDim = mla ? mla.qkNopeHeadDim + mla.qkRopeHeadDim : explicitHeadDim ?? h / heads.value;
  let positionEmbedding: ModelDescription['positionEmbedding'] = spec.positions;
  if (type === 'falcon' && ctx.boolean(scope.node, scope.path, 'alibi', 'model.positionEmbedding').value === true) positionEmbedding = 'alibi';
  const layerNorm = normVariant !== 'rmsnorm';

  const description: ModelDescription = {
    family,
    architecture: spec.architecture,
    hiddenSize: h,
    numLayers: layers.value,
    numHeads: heads.value,
    numKvHeads: kv.value,
    headDim,
    ffnSize,
    vocabSize: vocab.value,
    maxPositionEmbeddings: positions.value ?? spec.defaults.positions,
    positionEmbedding,
    mlpKind: spec.mlp.kind,
    normKind: layerNorm ? 'layernorm' : 'rmsnorm',
    normsPerLayer: normNames.length,
    tiedEmbeddings: tied ?? spec.defaults.tied,
    bias,
    embeddingNorm: spec.norm.embedding === true,
    normVariant,
    layerNormNames: [...normNames],
    fusedQkv: spec.attention.fused,
    definition: spec.definition,
  };
  if (parallel) description.parallelBlock = true;
  if (qkNorm) description.qkNorm = qkNorm;
  if (spec.attention.sinks) description.attentionSinks = true;
  if (spec.norm.final !== undefined && !flagValue(ctx, scope, spec.norm.final)) description.finalNorm = false;
  if (moe) description.moe = moe;
  if (mla) description.mla = mla;
  const patterns = layerPatterns(ctx, scope, spec, layers.value, moe);
  if (patterns) {
    description.layerPatterns = patterns.layers;
    if (patterns.window !== undefined) description.slidingWindow = patterns.window;
  }
  if (spec.textConfig?.visionTower === 'gemma3-siglip' && scope.node !== root) {
    description.extraTensors = gemma3VisionTensors(ctx, root, h);
  }
  return description;
}

/** Per-layer attention (global / sliding) and MLP (dense / MoE) kinds, as the configuration class derives them. */
function layerPatterns(ctx: ReadContext, scope: Scope, spec: ArchitectureSpec, numLayers: number, moe: MoeDescription | undefined): { layers: LayerPattern[]; window?: number } | undefined {
  const sliding = spec.sliding;
  let window: number | undefined;
  let slidingAt: (i: number) => boolean = () => false;
  if (sliding) {
    const entry = entryOf(scope.node, sliding.window);
    const field = entry && !isNull(entry.value) ? ctx.integer(scope.node, scope.path, sliding.window, { max: LIMITS.maxPositionEmbeddings, field: 'model.slidingWindow' }) : undefined;
    window = field ? field.value : entry ? undefined : sliding.defaultWindow;
    const types = stringList(scope, 'layer_types');
    const pattern = sliding.pattern;
    if (window !== undefined) {
      if (types && types.length >= numLayers) slidingAt = (i) => types[i] === 'sliding_attention' || types[i] === 'chunked_attention';
      else if (pattern === 'all') slidingAt = () => true;
      else if (pattern === 'even') slidingAt = (i) => i % 2 === 0;
      else if (pattern === 'qwen') {
        const use = ctx.boolean(scope.node, scope.path, 'use_sliding_window').value ?? false;
        const from = pickInteger(ctx, scope, ['max_window_layers'], { min: 0, max: LIMITS.numLayers }).value ?? 28;
        slidingAt = (i) => use && i >= from;
      } else {
        const every = pickInteger(ctx, scope, [pattern.everyKey], { max: LIMITS.numLayers }).value ?? pattern.default;
        slidingAt = (i) => (i + 1) % every !== 0;
      }
    }
  }
  let moeAt: (i: number) => boolean = () => moe !== undefined;
  const layerSpec = spec.moe?.layers;
  if (moe && layerSpec === 'sparse-step') {
    const only = new Set(integerList(scope, 'mlp_only_layers') ?? []);
    const step = pickInteger(ctx, scope, ['decoder_sparse_step'], { max: LIMITS.numLayers }).value ?? 1;
    moeAt = (i) => !only.has(i) && (i + 1) % step === 0;
  } else if (moe && layerSpec === 'first-k-dense') {
    const freq = pickInteger(ctx, scope, ['moe_layer_freq'], { max: LIMITS.numLayers }).value ?? 1;
    moeAt = (i) => i >= moe.firstDenseLayers && i % freq === 0;
  } else if (moe && layerSpec === 'interleave') {
    const listed = integerList(scope, 'moe_layers');
    const step = pickInteger(ctx, scope, ['interleave_moe_layer_step'], { max: LIMITS.numLayers }).value ?? 1;
    const set = new Set(listed ?? Array.from({ length: Math.ceil(numLayers / step) }, (_, k) => step - 1 + k * step));
    moeAt = (i) => set.has(i);
  }
  if (!sliding && !moe) return undefined;
  const layers: LayerPattern[] = Array.from({ length: numLayers }, (_, i) => ({
    attention: slidingAt(i) ? 'sliding' : 'global',
    mlp: moeAt(i) ? 'moe' : 'dense',
  }));
  return { layers, window };
}

/**
 * Gemma 3's SigLIP vision tower and multimodal projector, as Gemma3ForConditionalGeneration
 * builds them (vision_use_head false): patch embedding conv with bias, a position table of
 * (image_size / patch_size)^2 rows, encoder layers with LayerNorms, biased attention and a plain
 * biased MLP, a post LayerNorm; the projector is a vision x text matrix and an RMSNorm.
 * Absent keys take Gemma3Config's vision defaults (SigLIP so400m at 896 px).
 */
function gemma3VisionTensors(ctx: ReadContext, root: SourceMap, textHidden: number): WeightTensor[] {
  const node = valueOf(root, 'vision_config');
  const scope: Scope = node?.kind === 'map' ? { node, path: ['vision_config'] } : { node: root, path: ['vision_config'] };
  const read = (key: string, fallback: number): number =>
    node?.kind === 'map' ? pickInteger(ctx, scope, [key], { max: LIMITS.ffnSize }).value ?? fallback : fallback;
  const v = read('hidden_size', 1152);
  const inner = read('intermediate_size', 4304);
  const depth = read('num_hidden_layers', 27);
  const channels = read('num_channels', 3);
  const image = read('image_size', 896);
  const patch = read('patch_size', 14);
  const patches = Math.floor(image / patch) ** 2;
  const m = (name: string, rows: number, cols: number, copies = 1): WeightTensor => ({ name, shape: [rows, cols], copies, activeCopies: copies });
  const vec = (name: string, n: number, copies = 1): WeightTensor => ({ name, shape: [n], copies, activeCopies: copies });
  return [
    m('vision.patch_embedding', channels * patch * patch, v),
    vec('vision.patch_embedding.bias', v),
    m('vision.position_embedding', patches, v),
    // Encoder layers, all alike: listed once with `depth` copies, every copy used.
    vec('vision.layers.layer_norm1.weight', v, depth),
    vec('vision.layers.layer_norm1.bias', v, depth),
    m('vision.layers.qkvo_proj', v, 4 * v, depth),
    vec('vision.layers.qkvo_proj.bias', 4 * v, depth),
    vec('vision.layers.layer_norm2.weight', v, depth),
    vec('vision.layers.layer_norm2.bias', v, depth),
    m('vision.layers.fc1', v, inner, depth),
    vec('vision.layers.fc1.bias', inner, depth),
    m('vision.layers.fc2', inner, v, depth),
    vec('vision.layers.fc2.bias', v, depth),
    vec('vision.post_layernorm.weight', v),
    vec('vision.post_layernorm.bias', v),
    m('multi_modal_projector.mm_input_projection', v, textHidden),
    vec('multi_modal_projector.mm_soft_emb_norm.weight', v),
  ];
}

/**
 * DeepSeek-V2/V3 (and Kimi K2): multi-head latent attention, routed plus shared experts, the first
 * `first_k_dense_replace` layers dense. Absent keys take the configuration class's defaults.
 * V3's `e_score_correction_bias` is a buffer (not a parameter) and is not counted.
 */
function readDeepseek(ctx: ReadContext, scope: Scope, spec: ArchitectureSpec, blockRange: Range): { moe?: MoeDescription; mla?: MlaDescription; bad: boolean } {
  const m = spec.moe!;
  const rank = { max: LIMITS.loraRank };
  const dim = { max: LIMITS.headDim };
  const qLora = pickInteger(ctx, scope, ['q_lora_rank'], { ...rank, field: 'mla.qLoraRank' });
  const kvLora = pickInteger(ctx, scope, ['kv_lora_rank'], { ...rank, field: 'mla.kvLoraRank' });
  const nope = pickInteger(ctx, scope, ['qk_nope_head_dim'], { ...dim, field: 'mla.qkNopeHeadDim' });
  const rope = pickInteger(ctx, scope, ['qk_rope_head_dim'], { ...dim, field: 'mla.qkRopeHeadDim' });
  const vDim = pickInteger(ctx, scope, ['v_head_dim'], { ...dim, field: 'mla.vHeadDim' });
  const experts = integerKey(ctx, scope, m.experts, { max: LIMITS.numExperts, field: 'moe.numExperts' });
  const topK = integerKey(ctx, scope, m.topK, { max: LIMITS.numExperts, field: 'moe.topK' });
  const shared = integerKey(ctx, scope, (m.shared!.count as IntegerKey), { min: 0, max: LIMITS.numExperts, field: 'moe.numSharedExperts' });
  const expertFfn = integerKey(ctx, scope, m.expertFfn as IntegerKey, { max: LIMITS.ffnSize, field: 'moe.expertFfnSize' });
  const firstDense = pickInteger(ctx, scope, ['first_k_dense_replace'], { min: 0, max: LIMITS.numLayers, field: 'moe.firstDenseLayers' });
  const fields = [qLora, kvLora, nope, rope, vDim, experts.field, topK.field, shared.field, expertFfn.field, firstDense];
  if (fields.some((field) => field.bad)) return { bad: true };

  // q_lora_rank null in a config means a full-rank q_proj.
  const qLoraIsNull = isNull(entryOf(scope.node, 'q_lora_rank')?.value) && entryOf(scope.node, 'q_lora_rank') !== undefined;
  const numExperts = experts.value!;
  if (!checkTopK(ctx, topK.field, { ...experts.field, value: numExperts }, { topK: 'num_experts_per_tok', experts: 'n_routed_experts' }, blockRange)) {
    return { bad: true };
  }
  const expertSize = expertFfn.value!;
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
      topK: topK.value!,
      numSharedExperts: shared.value ?? 0,
      expertFfnSize: expertSize,
      sharedExpertFfnSize: expertSize,
      firstDenseLayers: firstDense.value ?? (m.deepseek === 'v3' ? 3 : 0),
      routerBias: false,
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
