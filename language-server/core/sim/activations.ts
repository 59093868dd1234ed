/**
 * Activation memory of one transformer decoder layer, from its structure (s, b, h, heads, kv
 * heads, head dim, f, MLP kind, attention kind, MoE top-k, recompute policy). Two views of the
 * same layer:
 *
 * 1. `storedActivationBytes`: what an autograd framework keeps from the forward pass for the
 *    backward pass (the quantity Korthikanti et al. 2022 count and that
 *    test/data/measured-activations.json measured on a GPU). It is the sum of the tensor inventory
 *    below. It lands between the first-principles count and the measured bytes because it counts
 *    every tensor the maths needs plus the copies a mixed-precision implementation provably keeps
 *    (fp32 norm inputs, the activation-function output of a gated MLP, MoE dispatch buffers), but
 *    not allocator slack or framework-specific extras we cannot name.
 *
 * 2. `waferResidentBytesPerToken`: what the wafer must hold, per token of the micro-batch, while
 *    one layer runs in weight-streaming mode. This is not the GPU number, because the wafer does not
 *    keep a layer's intermediates for a later backward pass: it checkpoints only layer inputs (see
 *    wafer.ts) and recomputes the layer's forward just before its backward. While that happens
 *    (the peak phase) the wafer holds, for the whole micro-batch,
 *      - the layer input X, the mid-layer residual, the gradient arriving from the layer above and
 *        the current sub-block's normalised input (16-bit each), and
 *      - an fp32 accumulator for the gradient going to the layer below,
 *    i.e. (4e + 4)h bytes per token with e-byte activations (12h under mixed precision), plus, for
 *    only one streamed slice at a time,
 *      - attention: one key/value head group's Q, K, V, O and their gradients (flash-style: the
 *        s x s score matrix is never materialised on the wafer), and
 *      - MLP: `stream_slice_columns` columns of the up/gate outputs, the activation output and its
 *        gradient (each slice is consumed before the next one streams in), times top-k for MoE,
 *        plus the dispatch buffers (top-k copies of the token inputs and outputs) and router
 *        probabilities.
 *    Cerebras does not publish its kernels; this is a stated assumption, chosen because it is what
 *    weight streaming needs at minimum and because every shipped Model Zoo micro-batch (up to
 *    Llama-3.1-405B at 128k tokens) must fit.
 */
import type { MlaDescription, ModelDescription, LayerStructure } from '../types';

export type AttentionKind = 'flash' | 'eager';
export type RecomputePolicy = 'none' | 'selective' | 'full';

export interface MoeShape {
  numExperts: number;
  topK: number;
  expertFfnSize: number;
  numSharedExperts: number;
  sharedExpertFfnSize: number;
}

export interface ActivationShape {
  sequenceLength: number;
  microBatch: number;
  hiddenSize: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
  ffnSize: number;
  mlpKind: 'plain' | 'gated';
  /** 2 = attention and MLP each behind a norm; 1 = parallel block sharing one norm (Falcon-7B). */
  normsPerLayer: number;
  attention: AttentionKind;
  /** Dropout active (any rate > 0): masks are kept. */
  dropout: boolean;
  recompute: RecomputePolicy;
  /** Bytes of one activation element: 2 under mixed precision, 4 under fp32. */
  elementBytes: number;
  /** Present for an MoE layer. */
  moe?: MoeShape;
  mla?: MlaDescription;
  /** Keys a query can see: the sliding window when the layer has one, else the sequence. */
  attentionSpan?: number;
}

export type TermKind = 'first-principles' | 'implementation' | 'scores' | 'dropout';

/** One tensor kept for the backward pass, in bytes per token of the micro-batch. */
export interface ActivationTerm {
  name: string;
  subBlock: 'attention' | 'mlp';
  kind: TermKind;
  bytesPerToken: number;
}

/** Bytes an mixed-precision norm keeps in fp32 (its input, upcast) beyond the 16-bit tensor. */
const FP32_BYTES = 4;
/** A dropout mask: one byte per element (PyTorch bool). */
const MASK_BYTES = 1;

function positive(value: number, fallback = 0): number {
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Widths of the attention tensors per token (MLA expands K and V per head, as transformers does). */
function attentionWidths(shape: ActivationShape): { q: number; k: number; v: number; o: number; latent: number } {
  const a = positive(shape.numHeads, 1);
  const mla = shape.mla;
  if (mla) {
    const qk = positive(mla.qkNopeHeadDim) + positive(mla.qkRopeHeadDim);
    const v = positive(mla.vHeadDim);
    return { q: a * qk, k: a * qk, v: a * v, o: a * v, latent: positive(mla.kvLoraRank) + positive(mla.qkRopeHeadDim) + positive(mla.qLoraRank) };
  }
  const d = positive(shape.headDim, positive(shape.hiddenSize) / a);
  const k = positive(shape.numKvHeads, a);
  return { q: a * d, k: k * d, v: k * d, o: a * d, latent: 0 };
}

/**
 * The tensors one decoder layer keeps for its backward pass with no recompute, per token. Each
 * first-principles term is one the maths of backpropagation needs (Korthikanti et al. 2022,
 * section 4.1, minus what flash attention does not keep); implementation terms are copies a
 * mixed-precision framework keeps and can be named.
 */
export function activationTerms(shape: ActivationShape): ActivationTerm[] {
  const e = positive(shape.elementBytes, 2);
  const h = positive(shape.hiddenSize);
  const a = positive(shape.numHeads, 1);
  // Scores are only kept for the keys a query sees (the window of a sliding-window layer).
  const s = Math.min(positive(shape.sequenceLength), positive(shape.attentionSpan ?? shape.sequenceLength));
  const w = attentionWidths(shape);
  const mixed = e < FP32_BYTES;
  const terms: ActivationTerm[] = [];
  const add = (name: string, subBlock: ActivationTerm['subBlock'], kind: TermKind, bytesPerToken: number) => {
    if (bytesPerToken > 0) terms.push({ name, subBlock, kind, bytesPerToken });
  };

  // Attention sub-block.
  add('attn.input', 'attention', 'first-principles', e * h);
  if (mixed) add('attn.norm.fp32-input', 'attention', 'implementation', (FP32_BYTES - e) * h);
  add('attn.norm-out', 'attention', 'first-principles', e * h);
  if (w.latent > 0) add('attn.latents', 'attention', 'first-principles', e * w.latent);
  add('attn.q', 'attention', 'first-principles', e * w.q);
  add('attn.k', 'attention', 'first-principles', e * w.k);
  add('attn.v', 'attention', 'first-principles', e * w.v);
  if (shape.attention === 'eager') {
    // Softmax output a*s per token; with dropout also its mask and the dropped probabilities.
    add('attn.probs', 'attention', 'scores', e * a * s);
    if (shape.dropout) {
      add('attn.probs.dropout-mask', 'attention', 'scores', MASK_BYTES * a * s);
      add('attn.probs.dropout-out', 'attention', 'scores', e * a * s);
    }
  } else {
    // Flash attention keeps the row log-sum-exp (fp32) instead of the probabilities.
    add('attn.logsumexp', 'attention', 'implementation', FP32_BYTES * a);
  }
  add('attn.out', 'attention', 'first-principles', e * w.o);
  if (shape.dropout) add('attn.residual.dropout-mask', 'attention', 'dropout', MASK_BYTES * h);

  // MLP sub-block. A parallel block (one norm) feeds the MLP from the attention norm's output.
  if (positive(shape.normsPerLayer, 2) >= 2) {
    add('mlp.input', 'mlp', 'first-principles', e * h);
    if (mixed) add('mlp.norm.fp32-input', 'mlp', 'implementation', (FP32_BYTES - e) * h);
    add('mlp.norm-out', 'mlp', 'first-principles', e * h);
  }
  const mlpIntermediates = (prefix: string, width: number, copies: number) => {
    if (shape.mlpKind === 'gated') {
      add(`${prefix}.gate-out`, 'mlp', 'first-principles', e * width * copies);
      add(`${prefix}.up-out`, 'mlp', 'first-principles', e * width * copies);
      add(`${prefix}.product`, 'mlp', 'first-principles', e * width * copies);
      // The activation's output is a separate tensor the elementwise product saves.
      add(`${prefix}.act-out`, 'mlp', 'implementation', e * width * copies);
    } else {
      add(`${prefix}.up-out`, 'mlp', 'first-principles', e * width * copies);
      add(`${prefix}.act-out`, 'mlp', 'first-principles', e * width * copies);
    }
  };
  const moe = shape.moe;
  if (moe && positive(moe.numExperts) > 0) {
    const topK = positive(moe.topK, 1);
    mlpIntermediates('experts', positive(moe.expertFfnSize), topK);
    if (positive(moe.numSharedExperts) > 0) {
      mlpIntermediates('shared_experts', positive(moe.sharedExpertFfnSize), positive(moe.numSharedExperts));
    }
    // Router logits and probabilities in fp32 (router_fp32), the gathered expert inputs and the
    // expert outputs the weighted combine keeps for the router's gradient.
    add('moe.router', 'mlp', 'implementation', 2 * FP32_BYTES * positive(moe.numExperts));
    add('moe.dispatch-in', 'mlp', 'implementation', e * h * topK);
    add('moe.expert-out', 'mlp', 'implementation', e * h * topK);
  } else {
    mlpIntermediates('mlp', positive(shape.ffnSize), 1);
  }
  if (shape.dropout) add('mlp.residual.dropout-mask', 'mlp', 'dropout', MASK_BYTES * h);
  return terms;
}

/**
 * Activation bytes one layer keeps for backward for one micro-batch, under the recompute policy:
 * `none` keeps every term; `selective` (Korthikanti) recomputes the attention score terms;
 * `full` keeps only the layer input (the checkpoint).
 */
export function storedActivationBytes(shape: ActivationShape): number {
  const tokens = positive(shape.sequenceLength) * positive(shape.microBatch);
  if (shape.recompute === 'full') return tokens * positive(shape.elementBytes, 2) * positive(shape.hiddenSize);
  let perToken = 0;
  for (const term of activationTerms(shape)) {
    if (shape.recompute === 'selective' && term.kind === 'scores') continue;
    perToken += term.bytesPerToken;
  }
  return tokens * perToken;
}

/** The wafer's resident activations while one layer runs, per token of the micro-batch, by part. */
export interface ResidentActivations {
  /** Whole-micro-batch tensors of the peak phase (X, residual, gradients, normalised input). */
  sequenceWide: number;
  /** One streamed slice: a key/value head group, or MLP / LM-head columns. */
  slice: number;
  /** MoE dispatch buffers and router probabilities. */
  routing: number;
  total: number;
  /** Which phase is the peak. */
  peak: 'attention' | 'mlp' | 'head' | 'embedding';
}

/**
 * Per-token resident bytes of one decoder layer on the wafer during its backward pass (the peak
 * phase), see the module comment. `sliceColumns` is `stream_slice_columns`.
 */
export function waferResidentBytesPerToken(shape: ActivationShape, sliceColumns: number): ResidentActivations {
  const e = positive(shape.elementBytes, 2);
  const h = positive(shape.hiddenSize);
  const a = positive(shape.numHeads, 1);
  const slice = positive(sliceColumns, 1);
  const w = attentionWidths(shape);
  // Heads that share one key/value head form the attention slice (MLA: every head its own group).
  const groups = shape.mla ? a : Math.min(a, positive(shape.numKvHeads, a));
  const qPerGroup = w.q / groups;
  const oPerGroup = w.o / groups;
  const kPerGroup = w.k / groups;
  const vPerGroup = w.v / groups;
  const attentionSlice =
    e * (2 * qPerGroup + 2 * oPerGroup) + e * (2 * kPerGroup + 2 * vPerGroup) + FP32_BYTES * (a / groups);
  // X, gradient of the mid residual, normalised input, fp32 gradient accumulator (+ MLA latents).
  const attentionWide = 3 * e * h + FP32_BYTES * h + e * w.latent;

  const parallelBlock = positive(shape.normsPerLayer, 2) < 2;
  // X, mid residual, incoming gradient, normalised input, fp32 accumulator; a parallel block has no mid residual.
  const mlpWide = (parallelBlock ? 3 : 4) * e * h + FP32_BYTES * h;
  // Per column of a slice: plain keeps pre-activation, activation output and its gradient; gated adds the gate.
  const perColumn = shape.mlpKind === 'gated' ? 4 * e : 3 * e;
  let mlpSlice: number;
  let routing = 0;
  const moe = shape.moe;
  if (moe && positive(moe.numExperts) > 0) {
    const topK = positive(moe.topK, 1);
    mlpSlice = perColumn * Math.min(positive(moe.expertFfnSize), slice) * topK;
    if (positive(moe.numSharedExperts) > 0) {
      mlpSlice += perColumn * Math.min(positive(moe.sharedExpertFfnSize), slice) * positive(moe.numSharedExperts);
    }
    routing = 2 * e * h * topK + 2 * FP32_BYTES * positive(moe.numExperts);
  } else {
    mlpSlice = perColumn * Math.min(positive(shape.ffnSize), slice);
  }
  const attentionTotal = attentionWide + attentionSlice;
  const mlpTotal = mlpWide + mlpSlice + routing;
  if (attentionTotal > mlpTotal) {
    return { sequenceWide: attentionWide, slice: attentionSlice, routing: 0, total: attentionTotal, peak: 'attention' };
  }
  return { sequenceWide: mlpWide, slice: mlpSlice, routing, total: mlpTotal, peak: 'mlp' };
}

/**
 * The final norm + LM head on the wafer: its input, the normalised input, an fp32 accumulator for
 * the gradient, and one vocabulary slice of fp32 logits and their gradient, with online-softmax
 * statistics (running max, running sum, target logit: 3 fp32 per token). Materialising the full
 * logits would cost 4*s*b*V bytes (GPT-3 XL at micro-batch 88: 36 GB; Llama-3.1-405B at 128k: 67
 * GB) and could not be what runs; vocabulary-sliced cross-entropy is the assumption.
 */
export function headResidentBytesPerToken(hiddenSize: number, vocabSize: number, elementBytes: number, sliceColumns: number): ResidentActivations {
  const e = positive(elementBytes, 2);
  const h = positive(hiddenSize);
  const vocabSlice = Math.min(positive(vocabSize), positive(sliceColumns, 1));
  const sequenceWide = 2 * e * h + FP32_BYTES * h + 3 * FP32_BYTES;
  const slice = 2 * FP32_BYTES * vocabSlice;
  return { sequenceWide, slice, routing: 0, total: sequenceWide + slice, peak: 'head' };
}

/** The embedding on the wafer: the looked-up rows going out and their gradient coming back. */
export function embeddingResidentBytesPerToken(hiddenSize: number, elementBytes: number): ResidentActivations {
  const sequenceWide = 2 * positive(elementBytes, 2) * positive(hiddenSize);
  return { sequenceWide, slice: 0, routing: 0, total: sequenceWide, peak: 'embedding' };
}

/** True when a decoder layer of the structure carries routed experts. */
export function isMoeLayer(layer: LayerStructure): boolean {
  return layer.tensors.some((t) => t.copies > 1 || t.name.startsWith('experts.'));
}

/**
 * The activation shape of one decoder layer of a model as the wafer runs it: flash-style attention
 * (no score matrix on the wafer), no dropout (the descriptions carry none; Model Zoo LLM configs
 * set 0.0), the training's recompute policy.
 */
export function activationShapeFor(
  model: ModelDescription,
  layer: LayerStructure | undefined,
  sequenceLength: number,
  microBatch: number,
  elementBytes: number,
  recompute: RecomputePolicy,
): ActivationShape {
  const moe = model.moe && (layer === undefined || isMoeLayer(layer)) && positive(model.moe.numExperts) > 0 ? model.moe : undefined;
  return {
    sequenceLength,
    microBatch,
    hiddenSize: model.hiddenSize,
    numHeads: model.numHeads,
    numKvHeads: model.numKvHeads,
    headDim: model.headDim,
    ffnSize: model.ffnSize,
    mlpKind: model.mlpKind,
    normsPerLayer: model.normsPerLayer,
    attention: 'flash',
    dropout: false,
    recompute,
    elementBytes,
    moe: moe
      ? {
          numExperts: moe.numExperts,
          topK: moe.topK,
          expertFfnSize: moe.expertFfnSize,
          numSharedExperts: moe.numSharedExperts,
          sharedExpertFfnSize: moe.sharedExpertFfnSize,
        }
      : undefined,
    mla: model.mla,
    attentionSpan: layer ? layerWindowSpan(layer, model, sequenceLength) : undefined,
  };
}

function layerWindowSpan(layer: LayerStructure, model: ModelDescription, sequenceLength: number): number | undefined {
  const window = layer.pattern?.attention === 'sliding' ? model.slidingWindow : undefined;
  return window !== undefined && window > 0 && window < sequenceLength ? window : undefined;
}
