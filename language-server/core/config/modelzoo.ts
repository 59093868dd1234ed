/**
 * Cerebras Model Zoo configs, both layouts:
 *  - trainer (2.3+): `trainer.init.model`, `trainer.init.optimizer.<Name>`, `trainer.init.precision`,
 *    `trainer.init.loop`, `trainer.init.backend.cluster_config`, `trainer.init.callbacks`,
 *    `trainer.fit.train_dataloader` (also `trainer: [ {trainer: ...}, ... ]`, read as its first entry);
 *  - legacy (up to 2.2): top-level `model`, `train_input`, `optimizer`, `runconfig`.
 * The Model Zoo maps one onto the other in TRAINER_PARAMS_TO_LEGACY (trainer/utils.py).
 */
import type {
  Architecture,
  MicroBatchSetting,
  ModelDescription,
  MoeDescription,
  Precision,
  Range,
  TrainingDescription,
} from '../types';
import { checkBatch, checkHeadsDivideHidden, checkKvDividesHeads, checkTopK, optimizerOf, precisionOf } from './checks';
import type { Field, Path, ReadContext } from './context';
import {
  ATTENTION_MODULES,
  FP16_TYPES,
  GATED_NONLINEARITIES,
  KNOWN_MODEL_BLOCK_KEYS,
  MICRO_BATCH_WORDS,
  NONLINEARITIES,
  NORM_TYPES,
  OPTIMIZER_NAMES,
  POSITION_EMBEDDING_TYPES,
} from './keys';
import { LIMITS } from './limits';
import { checkModelZooRules } from './modelzooRules';
import { asMap, entryOf, valueOf, type SourceEntry, type SourceMap, type SourceNode } from './source';

export type ModelZooLayout = 'modelzoo-trainer' | 'modelzoo-legacy';

export interface ModelZooResult {
  model?: ModelDescription;
  training?: TrainingDescription;
  unmodelledFamily?: string;
}

/**
 * Model Zoo families that are not decoder-only language models (matched as prefixes of `name`):
 * encoders, encoder-decoders, vision and multimodal models.
 */
const NON_DECODER_FAMILY_PREFIXES = [
  'bert',
  'roberta',
  't5',
  'transformer',
  'bart',
  'vit',
  'vision',
  'dit',
  'dpr',
  'esm',
  'mae',
  'clip',
  'llava',
  'multimodal',
  'dino',
  'unet',
  'resnet',
  'mnist',
  'fc_mnist',
  'simclr',
  'whisper',
  'wav2vec',
  'diffusion',
];

/** Families whose published architecture is the Llama block (RMSNorm, SwiGLU, RoPE, no biases). */
const LLAMA_STYLE_FAMILIES = new Set(['llama', 'mistral', 'mixtral', 'qwen', 'qwen2', 'gemma', 'gemma2', 'phi3', 'dbrx']);

interface FamilyDefaults {
  position: (typeof POSITION_EMBEDDING_TYPES)[number];
  nonlinearity: string;
  norm: (typeof NORM_TYPES)[number];
  tied: boolean;
  qkvBias: boolean;
  attnOutBias: boolean;
  mlpBias: boolean;
  outputBias: boolean;
  embeddingNorm: boolean;
  /** Attention and MLP side by side; with `use_untied_layer_norm` false they share one norm. */
  parallel: boolean;
  untiedLayerNorm: boolean;
}

/**
 * What a family's model block means when a key is left out. The Model Zoo's own defaults for
 * GPT-2-based models (learned positions, GELU, LayerNorm, biases, tied embeddings) apply to the
 * GPT family; for the others we assume the published architecture of the family (assumption: the
 * Model Zoo configs we have seen always spell these keys out).
 */
function familyDefaults(family: string): FamilyDefaults {
  const gpt: FamilyDefaults = {
    position: 'learned',
    nonlinearity: 'gelu',
    norm: 'layernorm',
    tied: true,
    qkvBias: true,
    attnOutBias: true,
    mlpBias: true,
    outputBias: false,
    embeddingNorm: false,
    parallel: false,
    untiedLayerNorm: false,
  };
  if (LLAMA_STYLE_FAMILIES.has(family)) {
    return {
      ...gpt,
      position: 'rotary',
      nonlinearity: 'swiglu',
      norm: 'rmsnorm',
      tied: false,
      qkvBias: false,
      attnOutBias: false,
      mlpBias: false,
    };
  }
  switch (family) {
    case 'falcon':
      // Falcon: rotary, GELU, LayerNorm, no linear biases, tied, parallel attention/MLP.
      return { ...gpt, position: 'rotary', qkvBias: false, attnOutBias: false, mlpBias: false, parallel: true };
    case 'bloom':
      // BLOOM: ALiBi, LayerNorm after the embedding, biases everywhere, tied.
      return { ...gpt, position: 'alibi', embeddingNorm: true };
    case 'gptj':
      // GPT-J: rotary, one LayerNorm per parallel block, bias only on the MLP and the LM head.
      return { ...gpt, position: 'rotary', tied: false, qkvBias: false, attnOutBias: false, outputBias: true, parallel: true };
    case 'gpt_neox':
    case 'gptneox':
    case 'neox':
      // GPT-NeoX: rotary, parallel with two LayerNorms, biases, untied.
      return { ...gpt, position: 'rotary', tied: false, parallel: true, untiedLayerNorm: true };
    default:
      return gpt;
  }
}

function isNonDecoderFamily(family: string): boolean {
  return NON_DECODER_FAMILY_PREFIXES.some((prefix) => family.startsWith(prefix));
}

/** Legacy model blocks carry no `name`; recognise the family from the keys it uses. */
function inferLegacyFamily(model: SourceMap): string {
  const has = (key: string) => entryOf(model, key) !== undefined;
  const text = (key: string) => {
    const node = valueOf(model, key);
    return node && node.kind === 'scalar' && typeof node.value === 'string' ? node.value.toLowerCase() : undefined;
  };
  if (has('encoder_nonlinearity') || has('pooler_nonlinearity') || has('mlm_loss_weight') || has('disable_nsp')) return 'bert';
  if (has('d_model') || has('encoder_num_hidden_layers') || has('d_kv')) return 't5';
  if (has('image_size') || has('patch_size') || has('num_channels')) return 'vit';
  if (has('moe')) return 'mixtral';
  // use_untied_layer_norm only means something for Model Zoo's parallel-block models: Falcon
  // (multi-query) or the GPT-J/NeoX family.
  if (has('use_untied_layer_norm')) return text('attention_module') === 'multiquery_attention' ? 'falcon' : 'gptj';
  if (text('position_embedding_type') === 'alibi' && has('embedding_layer_norm')) return 'bloom';
  const nonlinearity = text('nonlinearity');
  if (text('norm_type') === 'rmsnorm' || (nonlinearity !== undefined && (GATED_NONLINEARITIES as readonly string[]).includes(nonlinearity))) {
    return 'llama';
  }
  return 'gpt3';
}

interface Blocks {
  /** Path of the trainer mapping (['trainer'] or ['trainer', i, 'trainer']). */
  trainerPath: Path;
  trainer?: SourceMap;
  model?: SourceMap;
  modelEntry?: SourceEntry;
  modelPath: Path;
  /** Where a missing block is reported. */
  anchor: Range;
}

function locateTrainer(ctx: ReadContext, root: SourceMap): Blocks {
  const trainerEntry = entryOf(root, 'trainer')!;
  const anchor = ctx.keyRange(trainerEntry);
  let trainer: SourceMap | undefined;
  let trainerPath: Path = ['trainer'];
  const value = trainerEntry.value;
  if (value.kind === 'map') {
    trainer = value;
  } else if (value.kind === 'seq') {
    // Multi-phase files list several trainers; the first one with a model is the one planned.
    let first: { map: SourceMap; index: number } | undefined;
    value.items.forEach((item, index) => {
      const inner = asMap(valueOf(item, 'trainer'));
      if (!inner) return;
      if (!first || (!asMap(valueOf(valueOf(first.map, 'init'), 'model')) && asMap(valueOf(valueOf(inner, 'init'), 'model')))) {
        first = { map: inner, index };
      }
    });
    if (first) {
      trainer = first.map;
      trainerPath = ['trainer', first.index, 'trainer'];
    }
  }
  const init = valueOf(trainer, 'init');
  const modelEntry = entryOf(init, 'model');
  return {
    trainerPath,
    trainer,
    model: asMap(modelEntry?.value),
    modelEntry,
    modelPath: [...trainerPath, 'init', 'model'],
    anchor,
  };
}

export function readModelZoo(ctx: ReadContext, root: SourceMap, layout: ModelZooLayout): ModelZooResult {
  const blocks: Blocks =
    layout === 'modelzoo-trainer'
      ? locateTrainer(ctx, root)
      : {
          trainerPath: [],
          model: asMap(valueOf(root, 'model')),
          modelEntry: entryOf(root, 'model'),
          modelPath: ['model'],
          anchor: ctx.range(root.start, root.start),
        };

  if (!blocks.model) {
    if (blocks.modelEntry) {
      ctx.report('error', 'wrong-type', 'model must be a mapping of model settings.', ctx.valueRange(blocks.modelEntry.value));
    } else {
      const where = layout === 'modelzoo-trainer' ? 'trainer.init' : 'the file';
      ctx.report('error', 'missing-key', `No model block: model is missing from ${where}.`, blocks.anchor);
    }
    return {};
  }
  const model = blocks.model;
  const modelEntry = blocks.modelEntry!;
  ctx.sources['model.block'] = {
    path: blocks.modelPath,
    keyRange: ctx.keyRange(modelEntry),
    valueRange: ctx.valueRange(model),
  };

  // Family: the `name` key, or (legacy files have none) inferred from the keys.
  const nameField = ctx.string(model, blocks.modelPath, 'name');
  const family = (nameField.value ?? inferLegacyFamily(model)).trim().toLowerCase();
  if (isNonDecoderFamily(family)) {
    // Exactly one diagnostic for a family we do not model: drop anything reported so far.
    ctx.diagnostics.length = 0;
    ctx.report(
      'information',
      'not-modelled',
      `The '${family}' family is not modelled yet: WaferScope plans decoder-only language models (GPT, Llama, Mixtral, Falcon, BLOOM, ...).`,
      nameField.entry ? ctx.valueRange(nameField.entry.value) : ctx.keyRange(modelEntry),
    );
    return { unmodelledFamily: family };
  }

  ctx.unknownKeys(model, KNOWN_MODEL_BLOCK_KEYS, 'the model block');
  const modelResult = readModelBlock(ctx, model, blocks.modelPath, family, ctx.keyRange(modelEntry));
  const training =
    layout === 'modelzoo-trainer'
      ? readTrainerTraining(ctx, blocks, modelResult.maxPositionEmbeddings)
      : readLegacyTraining(ctx, root, model, modelResult.maxPositionEmbeddings);
  checkModelZooRules(ctx, layout, layout === 'modelzoo-trainer' ? blocks.trainer : root, model);
  return { model: modelResult.model, training };
}

// ---------------------------------------------------------------------------------------------
// The model block

/** The four norms of a sandwich block, by the names transformers' Gemma2DecoderLayer gives them. */
const SANDWICH_NORM_NAMES = ['input_layernorm', 'post_attention_layernorm', 'pre_feedforward_layernorm', 'post_feedforward_layernorm'];

/** Position table size when the block names none: the Model Zoo GPT-2 default. */
const DEFAULT_MAX_POSITION_EMBEDDINGS = 1024;

function readModelBlock(
  ctx: ReadContext,
  model: SourceMap,
  path: Path,
  family: string,
  blockRange: Range,
): { model?: ModelDescription; maxPositionEmbeddings: number } {
  const defaults = familyDefaults(family);
  const errorsBefore = ctx.diagnostics.filter((d) => d.severity === 'error').length;

  const hidden = ctx.integer(model, path, 'hidden_size', { max: LIMITS.hiddenSize, field: 'model.hiddenSize' });
  const layers = ctx.integer(model, path, 'num_hidden_layers', { max: LIMITS.numLayers, field: 'model.numLayers' });
  const heads = ctx.integer(model, path, 'num_heads', { max: LIMITS.numHeads, field: 'model.numHeads' });
  const ffn = ctx.integer(model, path, 'filter_size', { max: LIMITS.ffnSize, field: 'model.ffnSize' });
  const vocab = ctx.integer(model, path, 'vocab_size', { max: LIMITS.vocabSize, field: 'model.vocabSize' });
  const maxPos = ctx.integer(model, path, 'max_position_embeddings', {
    max: LIMITS.maxPositionEmbeddings,
    field: 'model.maxPositionEmbeddings',
  });
  const innerDim = ctx.integer(model, path, 'attention_inner_dim', { max: LIMITS.hiddenSize });
  for (const [field, key] of [
    [hidden, 'hidden_size'],
    [layers, 'num_hidden_layers'],
    [heads, 'num_heads'],
    [ffn, 'filter_size'],
    [vocab, 'vocab_size'],
  ] as const) {
    if (field.value === undefined && !field.bad) ctx.missing(key, 'the model block', field.entry, blockRange);
  }

  const tied = ctx.boolean(model, path, 'share_embedding_weights', 'model.tiedEmbeddings');
  const position = readPositionEmbedding(ctx, model, path);
  const nonlinearity = ctx.enumeration(model, path, 'nonlinearity', NONLINEARITIES, 'warning', 'model.mlpKind');
  const norm = ctx.enumeration(model, path, 'norm_type', NORM_TYPES, 'error', 'model.normKind');
  const attentionModule = ctx.enumeration(model, path, 'attention_module', ATTENTION_MODULES, 'warning');
  const qkvBias = ctx.boolean(model, path, 'use_projection_bias_in_attention', 'model.bias.qkv');
  const attnOutBias = ctx.boolean(model, path, 'use_ffn_bias_in_attention', 'model.bias.attnOut');
  const mlpBias = ctx.boolean(model, path, 'use_ffn_bias', 'model.bias.mlp');
  const outputBias = ctx.boolean(model, path, 'use_bias_in_output', 'model.bias.lmHead');
  const embeddingNorm = ctx.boolean(model, path, 'embedding_layer_norm', 'model.embeddingNorm');
  const untiedNorm = ctx.boolean(model, path, 'use_untied_layer_norm', 'model.normsPerLayer');
  const sandwich = ctx.boolean(model, path, 'norm_first_sandwich', 'model.normsPerLayer');
  const slidingWindow = ctx.integer(model, path, 'attention_sliding_window_length', { max: LIMITS.maxPositionEmbeddings, field: 'model.slidingWindow' });
  const everyOther = ctx.boolean(model, path, 'sliding_window_every_other_decoder_layer', 'model.slidingWindow');

  // Grouped-query attention: multiquery_attention with extra_attention_params.num_kv_groups.
  const extraEntry = entryOf(model, 'extra_attention_params');
  const extraPath = [...path, 'extra_attention_params'];
  let extra: SourceNode | undefined = extraEntry?.value;
  if (extraEntry && extra && extra.kind !== 'map' && !(extra.kind === 'scalar' && extra.value === null)) {
    ctx.report('error', 'wrong-type', 'extra_attention_params must be a mapping.', ctx.valueRange(extra));
    extra = undefined;
  }
  const kvGroups = ctx.integer(extra, extraPath, 'num_kv_groups', { max: LIMITS.numHeads });
  const multiQuery = attentionModule.value === 'multiquery_attention';
  let numKv: Field<number> = heads;
  if (multiQuery) {
    // multiquery_attention without num_kv_groups is plain multi-query attention: one KV head.
    numKv = kvGroups.value !== undefined || kvGroups.bad ? kvGroups : { value: 1, path: kvGroups.path, bad: false };
    if (kvGroups.entry && kvGroups.value !== undefined) ctx.record('model.numKvHeads', kvGroups.path, kvGroups.entry);
  }

  const moe = readMoe(ctx, model, path, ffn);

  const attentionWidth = innerDim.value ?? hidden.value;
  const attentionWidthField: Field<number> = innerDim.value !== undefined ? innerDim : hidden;
  checkHeadsDivideHidden(
    ctx,
    attentionWidthField,
    heads,
    { hidden: innerDim.value !== undefined ? 'attention_inner_dim' : 'hidden_size', heads: 'num_heads' },
    blockRange,
  );
  if (multiQuery) checkKvDividesHeads(ctx, heads, numKv, { heads: 'num_heads', kv: 'num_kv_groups' }, blockRange);

  const maxPositionEmbeddings = maxPos.value ?? DEFAULT_MAX_POSITION_EMBEDDINGS;
  const errorsAfter = ctx.diagnostics.filter((d) => d.severity === 'error').length;
  if (
    errorsAfter > errorsBefore ||
    hidden.value === undefined ||
    layers.value === undefined ||
    heads.value === undefined ||
    ffn.value === undefined ||
    vocab.value === undefined ||
    attentionWidth === undefined ||
    numKv.value === undefined ||
    moe.bad
  ) {
    return { maxPositionEmbeddings };
  }

  const nonlinearityName = nonlinearity.value ?? defaults.nonlinearity;
  const gated = (GATED_NONLINEARITIES as readonly string[]).includes(nonlinearityName);
  const normName = norm.value ?? defaults.norm;
  // biasless-layernorm has a weight only: the same parameters as RMSNorm.
  const normKind = normName === 'layernorm' ? 'layernorm' : 'rmsnorm';
  const positionName = position.value ?? defaults.position;
  const parallel = defaults.parallel;
  const untied = untiedNorm.value ?? defaults.untiedLayerNorm;
  // Gemma 2's sandwich: a norm before and after attention and before and after the MLP.
  const normsPerLayer = sandwich.value === true ? 4 : parallel && !untied ? 1 : 2;

  let architecture: Architecture;
  if (family === 'falcon') architecture = 'falcon';
  else if (family === 'bloom') architecture = 'bloom';
  else if (normKind === 'rmsnorm' || gated) architecture = 'llama';
  else architecture = 'gpt';

  const description: ModelDescription = {
    family,
    architecture,
    hiddenSize: hidden.value,
    numLayers: layers.value,
    numHeads: heads.value,
    numKvHeads: numKv.value,
    headDim: attentionWidth / heads.value,
    ffnSize: ffn.value,
    vocabSize: vocab.value,
    maxPositionEmbeddings,
    positionEmbedding: toPositionEmbedding(positionName),
    mlpKind: gated ? 'gated' : 'plain',
    normKind,
    normsPerLayer,
    tiedEmbeddings: tied.value ?? defaults.tied,
    bias: {
      qkv: qkvBias.value ?? defaults.qkvBias,
      attnOut: attnOutBias.value ?? defaults.attnOutBias,
      mlp: mlpBias.value ?? defaults.mlpBias,
      lmHead: outputBias.value ?? defaults.outputBias,
    },
    embeddingNorm: embeddingNorm.value ?? defaults.embeddingNorm,
  };
  if (moe.description) description.moe = moe.description;
  if (parallel && !untied) description.parallelBlock = true;
  if (sandwich.value === true) description.layerNormNames = [...SANDWICH_NORM_NAMES];
  if (slidingWindow.value !== undefined || moe.description) {
    // Model Zoo (like Gemma2 in transformers) slides the window on the even layers when only
    // every other layer uses it (assumption: the Model Zoo source is not published layer by layer).
    description.layerPatterns = Array.from({ length: layers.value }, (_, i) => ({
      attention: slidingWindow.value !== undefined && (everyOther.value !== true || i % 2 === 0) ? ('sliding' as const) : ('global' as const),
      mlp: moe.description ? ('moe' as const) : ('dense' as const),
    }));
    if (slidingWindow.value !== undefined) description.slidingWindow = slidingWindow.value;
  }
  return { model: description, maxPositionEmbeddings };
}

/** Sinusoidal (`fixed`) positions and none at all add no parameters. */
function toPositionEmbedding(name: string): ModelDescription['positionEmbedding'] {
  if (name === 'learned' || name === 'rotary' || name === 'alibi') return name;
  return 'none';
}

function readPositionEmbedding(ctx: ReadContext, model: SourceMap, path: Path): Field<string> {
  const entry = entryOf(model, 'position_embedding_type');
  // `position_embedding_type: null` (None) means no position embedding at all.
  if (entry && entry.value.kind === 'scalar' && entry.value.value === null) {
    ctx.record('model.positionEmbedding', [...path, 'position_embedding_type'], entry);
    return { value: 'none', entry, path: [...path, 'position_embedding_type'], bad: false };
  }
  return ctx.enumeration(model, path, 'position_embedding_type', POSITION_EMBEDDING_TYPES, 'error', 'model.positionEmbedding');
}

function readMoe(
  ctx: ReadContext,
  model: SourceMap,
  path: Path,
  ffn: Field<number>,
): { description?: MoeDescription; bad: boolean } {
  const entry = entryOf(model, 'moe');
  if (!entry || (entry.value.kind === 'scalar' && entry.value.value === null)) return { bad: false };
  const moePath = [...path, 'moe'];
  if (entry.value.kind !== 'map') {
    ctx.report('error', 'wrong-type', 'moe must be a mapping (num_experts, top_k, ...).', ctx.valueRange(entry.value));
    return { bad: true };
  }
  const moe = entry.value;
  const experts = ctx.integer(moe, moePath, 'num_experts', { max: LIMITS.numExperts, field: 'moe.numExperts' });
  const topK = ctx.integer(moe, moePath, 'top_k', { max: LIMITS.numExperts, field: 'moe.topK' });
  const shared = ctx.integer(moe, moePath, 'num_shared_experts', { min: 0, max: LIMITS.numExperts, field: 'moe.numSharedExperts' });
  if (experts.bad || topK.bad || shared.bad) return { bad: true };
  if (experts.value === undefined) {
    ctx.missing('num_experts', 'the moe block', experts.entry, ctx.keyRange(entry));
    return { bad: true };
  }
  if (!checkTopK(ctx, topK, experts, { topK: 'top_k', experts: 'num_experts' }, ctx.keyRange(entry))) return { bad: true };
  // One expert is a dense MLP.
  if (experts.value <= 1) return { bad: false };
  const ffnSize = ffn.value ?? 0;
  return {
    bad: false,
    description: {
      numExperts: experts.value,
      // Model Zoo default: one expert per token.
      topK: topK.value ?? 1,
      numSharedExperts: shared.value ?? 0,
      expertFfnSize: ffnSize,
      // Shared experts are as wide as the routed ones (assumption: the Model Zoo has one filter_size).
      sharedExpertFfnSize: ffnSize,
      firstDenseLayers: 0,
      routerBias: false,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Training settings

/** A micro-batch field; `{explore: {min, max}}` also carries its search range. */
type MicroBatchField = Field<MicroBatchSetting> & { exploreRange?: { min?: number; max?: number } };

/** `auto`, `explore`, `{explore: {min, max}}`, `none` or a positive integer. */
function readMicroBatch(ctx: ReadContext, map: SourceNode | undefined, mapPath: Path, key: string): MicroBatchField {
  const path = [...mapPath, key];
  const entry = entryOf(map, key);
  if (!entry) return { value: undefined, path, bad: false };
  const node = entry.value;
  if (node.kind === 'scalar' && node.value === null) return { value: undefined, entry, path, bad: false };
  if (node.kind === 'map') {
    // The explore mode can carry its search range as a mapping.
    ctx.record('training.microBatchSize', path, entry);
    const range = valueOf(node, 'explore');
    const min = ctx.integer(range, [...path, 'explore'], 'min', { max: LIMITS.batchSize });
    const max = ctx.integer(range, [...path, 'explore'], 'max', { max: LIMITS.batchSize });
    const exploreRange = min.value !== undefined || max.value !== undefined ? { min: min.value, max: max.value } : undefined;
    return { value: 'explore', entry, path, bad: false, exploreRange };
  }
  if (node.kind === 'scalar' && typeof node.value === 'string') {
    const word = node.value.trim().toLowerCase();
    const match = MICRO_BATCH_WORDS.find((w) => w === word);
    if (match) {
      ctx.record('training.microBatchSize', path, entry);
      return { value: match, entry, path, bad: false };
    }
    if (/^\s*[\d.eE+-]+\s*$/.test(node.value)) {
      ctx.report('error', 'wrong-type', `${key} must be a number or one of ${MICRO_BATCH_WORDS.join(', ')}, not the string "${node.value}".`, ctx.valueRange(node));
      return { value: undefined, entry, path, bad: true };
    }
    ctx.unknownValue(entry, key, node.value, ['a positive integer', ...MICRO_BATCH_WORDS], 'error');
    return { value: undefined, entry, path, bad: true };
  }
  const read = ctx.integer(map, mapPath, key, { max: LIMITS.batchSize, field: 'training.microBatchSize' });
  return read;
}

/** The first place that sets the micro-batch wins. */
function firstMicroBatch(candidates: MicroBatchField[]): MicroBatchField | undefined {
  return candidates.find((candidate) => candidate.value !== undefined || candidate.bad);
}

/** Finds `csx.performance.micro_batch_size` in a flags mapping, dotted or nested. */
function flagMicroBatch(ctx: ReadContext, flags: SourceNode | undefined, flagsPath: Path): MicroBatchField {
  const dotted = 'csx.performance.micro_batch_size';
  if (entryOf(flags, dotted)) return readMicroBatch(ctx, flags, flagsPath, dotted);
  const performance = valueOf(valueOf(flags, 'csx'), 'performance');
  return readMicroBatch(ctx, performance, [...flagsPath, 'csx', 'performance'], 'micro_batch_size');
}

function readOptimizerName(
  ctx: ReadContext,
  nameEntry: SourceEntry | undefined,
  name: string | undefined,
  namePath: Path,
  momentum: number | undefined,
  valueRangeIsKey: boolean,
): TrainingDescription['optimizer'] {
  if (!nameEntry || name === undefined) return 'adamw';
  const known = OPTIMIZER_NAMES.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  const range = valueRangeIsKey ? ctx.keyRange(nameEntry) : ctx.valueRange(nameEntry.value);
  if (!known) {
    ctx.report(
      'warning',
      'invalid-value',
      `Optimizer '${name}' is not one WaferScope knows (${OPTIMIZER_NAMES.join(', ')}); its state is counted like AdamW.`,
      range,
    );
    ctx.record('training.optimizer', namePath, nameEntry);
    return 'adamw';
  }
  ctx.record('training.optimizer', namePath, nameEntry);
  const { optimizer, approximate } = optimizerOf(known, momentum);
  if (approximate) {
    ctx.report(
      'information',
      'not-modelled',
      `${known} is not modelled exactly: its MemoryX state is counted like ${optimizer} (same number of buffers per parameter).`,
      range,
    );
  }
  return optimizer;
}

function readTrainerTraining(ctx: ReadContext, blocks: Blocks, maxPositionEmbeddings: number): TrainingDescription | undefined {
  const tp = blocks.trainerPath;
  const trainer = blocks.trainer;
  const init = valueOf(trainer, 'init');
  const initPath = [...tp, 'init'];
  const fit = valueOf(trainer, 'fit');
  const loaderEntry = entryOf(fit, 'train_dataloader');
  const loader = loaderEntry?.value;
  const loaderPath = [...tp, 'fit', 'train_dataloader'];
  const backend = valueOf(init, 'backend');
  const clusterConfig = valueOf(backend, 'cluster_config');
  const clusterConfigPath = [...initPath, 'backend', 'cluster_config'];
  const anchor = loaderEntry ? ctx.keyRange(loaderEntry) : blocks.anchor;
  if (loaderEntry) {
    ctx.sources['training.block'] = { path: loaderPath, keyRange: ctx.keyRange(loaderEntry), valueRange: ctx.valueRange(loaderEntry.value) };
  }

  const batch = ctx.integer(loader, loaderPath, 'batch_size', { max: LIMITS.batchSize, field: 'training.globalBatchSize' });
  const sequence = ctx.integer(loader, loaderPath, 'max_sequence_length', { max: LIMITS.sequenceLength, field: 'training.sequenceLength' });
  const numCsx = ctx.integer(clusterConfig, clusterConfigPath, 'num_csx', { max: LIMITS.systems, field: 'training.numCsx' });
  const maxSteps = ctx.integer(valueOf(init, 'loop'), [...initPath, 'loop'], 'max_steps', {
    max: LIMITS.maxSteps,
    field: 'training.maxSteps',
  });

  // Micro-batch: ScopedTrainFlags callback first, then GlobalFlags, then the older places.
  const candidates: Field<MicroBatchSetting>[] = [];
  const callbacks = valueOf(init, 'callbacks');
  if (callbacks && callbacks.kind === 'seq') {
    for (const flagsName of ['ScopedTrainFlags', 'GlobalFlags']) {
      callbacks.items.forEach((item, index) => {
        const flags = valueOf(item, flagsName);
        if (flags) candidates.push(flagMicroBatch(ctx, flags, [...initPath, 'callbacks', index, flagsName]));
      });
    }
  }
  candidates.push(readMicroBatch(ctx, loader, loaderPath, 'micro_batch_size'));
  candidates.push(readMicroBatch(ctx, clusterConfig, clusterConfigPath, 'micro_batch_size'));
  const micro = firstMicroBatch(candidates);

  // Optimizer: a single key naming it under `optimizer:` (or, leniently, a plain name).
  const optimizerEntry = entryOf(init, 'optimizer');
  let optimizer: TrainingDescription['optimizer'] = 'adamw';
  if (optimizerEntry) {
    const node = optimizerEntry.value;
    if (node.kind === 'map' && node.entries.length > 0) {
      const nameEntry = node.entries[0]!;
      const momentum = ctx.number(nameEntry.value, [...initPath, 'optimizer', nameEntry.key], 'momentum');
      optimizer = readOptimizerName(ctx, nameEntry, nameEntry.key, [...initPath, 'optimizer', nameEntry.key], momentum.value, true);
    } else if (node.kind === 'scalar' && typeof node.value === 'string') {
      optimizer = readOptimizerName(ctx, optimizerEntry, node.value, [...initPath, 'optimizer'], undefined, false);
    } else if (!(node.kind === 'scalar' && node.value === null)) {
      ctx.report('error', 'wrong-type', 'optimizer must be a mapping with one key naming the optimizer (for example AdamW).', ctx.valueRange(node));
    }
  }

  // Precision: without a precision block we assume mixed precision (every shipped Model Zoo
  // config enables it; assumption); fp16_type defaults to float16 as in the Model Zoo docs.
  const precisionEntry = entryOf(init, 'precision');
  const precisionNode = precisionEntry?.value;
  const precisionPath = [...initPath, 'precision'];
  const enabled = ctx.boolean(precisionNode, precisionPath, 'enabled');
  const fp16 = ctx.enumeration(precisionNode, precisionPath, 'fp16_type', FP16_TYPES, 'error');
  let precision: Precision = enabled.value === false ? 'fp32' : precisionOf(fp16.value);
  if (fp16.entry && fp16.value !== undefined && enabled.value !== false) ctx.record('training.precision', fp16.path, fp16.entry);
  else if (enabled.entry) ctx.record('training.precision', enabled.path, enabled.entry);
  if (!precisionNode) precision = precisionOf(undefined);

  return finishTraining(ctx, { batch, micro, numCsx, maxSteps, sequence, precision, optimizer, maxPositionEmbeddings, anchor, batchBlock: 'trainer.fit.train_dataloader' });
}

function readLegacyTraining(
  ctx: ReadContext,
  root: SourceMap,
  model: SourceMap,
  maxPositionEmbeddings: number,
): TrainingDescription | undefined {
  const inputEntry = entryOf(root, 'train_input');
  const input = inputEntry?.value;
  const runconfig = valueOf(root, 'runconfig');
  const optimizerBlock = valueOf(root, 'optimizer');
  const anchor = inputEntry ? ctx.keyRange(inputEntry) : ctx.range(root.start, root.start);
  if (inputEntry) {
    ctx.sources['training.block'] = { path: ['train_input'], keyRange: ctx.keyRange(inputEntry), valueRange: ctx.valueRange(inputEntry.value) };
  }

  const batch = ctx.integer(input, ['train_input'], 'batch_size', { max: LIMITS.batchSize, field: 'training.globalBatchSize' });
  const sequence = ctx.integer(input, ['train_input'], 'max_sequence_length', { max: LIMITS.sequenceLength, field: 'training.sequenceLength' });
  const numCsx = ctx.integer(runconfig, ['runconfig'], 'num_csx', { max: LIMITS.systems, field: 'training.numCsx' });
  const maxSteps = ctx.integer(runconfig, ['runconfig'], 'max_steps', { max: LIMITS.maxSteps, field: 'training.maxSteps' });
  const micro = firstMicroBatch([
    readMicroBatch(ctx, input, ['train_input'], 'micro_batch_size'),
    readMicroBatch(ctx, runconfig, ['runconfig'], 'micro_batch_size'),
  ]);

  const optimizerType = ctx.string(optimizerBlock, ['optimizer'], 'optimizer_type');
  const momentum = ctx.number(optimizerBlock, ['optimizer'], 'momentum');
  const optimizer = readOptimizerName(ctx, optimizerType.entry, optimizerType.value, optimizerType.path, momentum.value, false);

  // Legacy precision lives in the model block: mixed_precision (Model Zoo default false, fp32),
  // fp16_type (default float16), and in 1.x use_bfloat16.
  const mixed = ctx.boolean(model, ['model'], 'mixed_precision');
  const fp16 = ctx.enumeration(model, ['model'], 'fp16_type', FP16_TYPES, 'error');
  const bfloat = ctx.boolean(model, ['model'], 'use_bfloat16');
  let precision: Precision = 'fp32';
  if (mixed.value === true) {
    precision = precisionOf(fp16.value ?? (bfloat.value === true ? 'bfloat16' : undefined));
    const ref = fp16.value !== undefined ? fp16 : bfloat.value === true ? bfloat : mixed;
    if (ref.entry) ctx.record('training.precision', ref.path, ref.entry);
  } else if (mixed.entry) {
    ctx.record('training.precision', mixed.path, mixed.entry);
  }

  return finishTraining(ctx, { batch, micro, numCsx, maxSteps, sequence, precision, optimizer, maxPositionEmbeddings, anchor, batchBlock: 'train_input' });
}

/** What both layouts do once their keys are read: require the batch, check it, assemble. */
function finishTraining(
  ctx: ReadContext,
  read: {
    batch: ReturnType<ReadContext['integer']>;
    micro: ReturnType<typeof firstMicroBatch>;
    numCsx: ReturnType<ReadContext['integer']>;
    maxSteps: ReturnType<ReadContext['integer']>;
    sequence: ReturnType<ReadContext['integer']>;
    precision: Precision;
    optimizer: TrainingDescription['optimizer'];
    maxPositionEmbeddings: number;
    anchor: Range;
    /** Where batch_size belongs in this layout, for the missing-key message. */
    batchBlock: string;
  },
): TrainingDescription | undefined {
  const { batch, micro, numCsx, maxSteps, sequence } = read;
  if (batch.value === undefined) {
    if (!batch.bad) ctx.missing('batch_size', read.batchBlock, batch.entry, read.anchor);
    return undefined;
  }
  checkBatch(ctx, batch, micro?.value, numCsx, read.anchor);
  const training: TrainingDescription = {
    globalBatchSize: batch.value,
    sequenceLength: sequence.value ?? read.maxPositionEmbeddings,
    precision: read.precision,
    optimizer: read.optimizer,
  };
  if (micro?.value !== undefined) training.microBatchSize = micro.value;
  if (micro?.exploreRange) training.microBatchExplore = micro.exploreRange;
  if (numCsx.value !== undefined) training.numCsx = numCsx.value;
  if (maxSteps.value !== undefined) training.maxSteps = maxSteps.value;
  return training;
}
