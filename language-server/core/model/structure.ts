/**
 * The weight tensors of a decoder-only model, grouped into the layers the wafer runs one at a
 * time in weight-streaming mode, and the exact parameter counts derived from them.
 *
 * Counts follow Hugging Face transformers (the module tree it instantiates, tied embeddings
 * counted once, multi-token-prediction layers of DeepSeek-V3 not instantiated), so a figure
 * here can be compared with `sum(p.numel() for p in model.parameters())`.
 */
import type { LayerPattern, LayerStructure, ModelDescription, ModelStructure, NormVariant, WeightTensor } from '../types';

/** The token-embedding tensor's name; a tied LM head points at it. */
export const TOKEN_EMBEDDING_TENSOR = 'embed_tokens';
export const POSITION_EMBEDDING_TENSOR = 'embed_positions';

function matrix(name: string, rows: number, cols: number, copies = 1, activeCopies = copies): WeightTensor {
  return { name, shape: [rows, cols], copies, activeCopies };
}

function vector(name: string, length: number, copies = 1, activeCopies = copies): WeightTensor {
  return { name, shape: [length], copies, activeCopies };
}

/** The exact norm flavour of a model (its `normVariant`, else what `normKind` implies). */
export function normVariantOf(model: ModelDescription): NormVariant {
  return model.normVariant ?? (model.normKind === 'layernorm' ? 'layernorm' : 'rmsnorm');
}

/** LayerNorm carries a weight and a bias; RMSNorm and Cohere's LayerNorm only a weight; OLMo's none. */
function norm(prefix: string, size: number, variant: NormVariant): WeightTensor[] {
  if (variant === 'non-parametric') return [];
  const tensors = [vector(`${prefix}.weight`, size)];
  if (variant === 'layernorm') tensors.push(vector(`${prefix}.bias`, size));
  return tensors;
}

function elements(tensor: WeightTensor): bigint {
  let product = 1n;
  for (const dim of tensor.shape) product *= BigInt(Math.max(0, Math.trunc(dim)));
  return product;
}

/** Parameters a tensor adds to the model (0 for a tensor tied to another one). */
export function tensorParameters(tensor: WeightTensor): bigint {
  if (tensor.tiedTo !== undefined) return 0n;
  return elements(tensor) * BigInt(Math.max(0, Math.trunc(tensor.copies)));
}

/** Parameters of a tensor that one token touches (routed experts: only the top-k). */
export function tensorActiveParameters(tensor: WeightTensor): bigint {
  if (tensor.tiedTo !== undefined) return 0n;
  return elements(tensor) * BigInt(Math.max(0, Math.trunc(tensor.activeCopies)));
}

function layer(index: number, kind: LayerStructure['kind'], name: string, tensors: WeightTensor[]): LayerStructure {
  let parameters = 0n;
  let activeParameters = 0n;
  for (const tensor of tensors) {
    parameters += tensorParameters(tensor);
    activeParameters += tensorActiveParameters(tensor);
  }
  return { index, kind, name, tensors, parameters, activeParameters };
}

function embeddingTensors(model: ModelDescription): WeightTensor[] {
  const tensors = [matrix(TOKEN_EMBEDDING_TENSOR, model.vocabSize, model.hiddenSize)];
  if (model.positionEmbedding === 'learned') {
    tensors.push(matrix(POSITION_EMBEDDING_TENSOR, model.maxPositionEmbeddings, model.hiddenSize));
  }
  // BLOOM normalises the embeddings before the first block (word_embeddings_layernorm).
  if (model.embeddingNorm) tensors.push(...norm('embed_norm', model.hiddenSize, normVariantOf(model)));
  // Parts of the model outside the decoder stack (Gemma 3's vision tower) run before the first block.
  if (model.extraTensors) tensors.push(...model.extraTensors);
  return tensors;
}

/** Multi-head latent attention as DeepseekV3Attention builds it. */
function latentAttentionTensors(model: ModelDescription): WeightTensor[] {
  const mla = model.mla!;
  const h = model.hiddenSize;
  const a = model.numHeads;
  const qHeadDim = mla.qkNopeHeadDim + mla.qkRopeHeadDim;
  const tensors: WeightTensor[] = [];
  if (mla.qLoraRank > 0) {
    tensors.push(matrix('q_a_proj', h, mla.qLoraRank));
    if (model.bias.qkv) tensors.push(vector('q_a_proj.bias', mla.qLoraRank));
    tensors.push(...norm('q_a_norm', mla.qLoraRank, normVariantOf(model)));
    tensors.push(matrix('q_b_proj', mla.qLoraRank, a * qHeadDim));
  } else {
    tensors.push(matrix('q_proj', h, a * qHeadDim));
  }
  // The shared rotary key rides along with the compressed KV ("with MQA").
  tensors.push(matrix('kv_a_proj', h, mla.kvLoraRank + mla.qkRopeHeadDim));
  if (model.bias.qkv) tensors.push(vector('kv_a_proj.bias', mla.kvLoraRank + mla.qkRopeHeadDim));
  tensors.push(...norm('kv_a_norm', mla.kvLoraRank, normVariantOf(model)));
  tensors.push(matrix('kv_b_proj', mla.kvLoraRank, a * (mla.qkNopeHeadDim + mla.vHeadDim)));
  tensors.push(matrix('o_proj', a * mla.vHeadDim, h));
  if (model.bias.attnOut) tensors.push(vector('o_proj.bias', h));
  return tensors;
}

/**
 * GPT-2, Falcon and BLOOM keep Q, K and V in one fused matrix (one matmul on the wafer); Llama,
 * Mistral, Qwen2 and Mixtral keep three. The parameter count is the same either way.
 */
function attentionTensors(model: ModelDescription): WeightTensor[] {
  if (model.mla) return latentAttentionTensors(model);
  const h = model.hiddenSize;
  const qWidth = model.numHeads * model.headDim;
  const kvWidth = model.numKvHeads * model.headDim;
  const tensors: WeightTensor[] = [];
  const fused = model.fusedQkv ?? (model.architecture === 'gpt' || model.architecture === 'falcon' || model.architecture === 'bloom');
  if (fused) {
    tensors.push(matrix('qkv_proj', h, qWidth + 2 * kvWidth));
    if (model.bias.qkv) tensors.push(vector('qkv_proj.bias', qWidth + 2 * kvWidth));
  } else {
    tensors.push(matrix('q_proj', h, qWidth), matrix('k_proj', h, kvWidth), matrix('v_proj', h, kvWidth));
    if (model.bias.qkv) {
      tensors.push(vector('q_proj.bias', qWidth), vector('k_proj.bias', kvWidth), vector('v_proj.bias', kvWidth));
    }
  }
  if (model.qkNorm) {
    const perHead = model.qkNorm.width === 'per-head';
    tensors.push(...norm('q_norm', perHead ? model.headDim : qWidth, model.qkNorm.variant));
    tensors.push(...norm('k_norm', perHead ? model.headDim : kvWidth, model.qkNorm.variant));
  }
  tensors.push(matrix('o_proj', qWidth, h));
  if (model.bias.attnOut) tensors.push(vector('o_proj.bias', h));
  // gpt-oss: a learned sink logit per head joins the softmax.
  if (model.attentionSinks) tensors.push(vector('sinks', model.numHeads));
  return tensors;
}

/** A dense MLP (or one expert, repeated `copies` times of which `activeCopies` run per token). */
function mlpTensors(
  prefix: string,
  model: ModelDescription,
  width: number,
  copies = 1,
  activeCopies = copies,
  withBias = model.bias.mlp,
): WeightTensor[] {
  const h = model.hiddenSize;
  const tensors: WeightTensor[] = [];
  if (model.mlpKind === 'gated') {
    tensors.push(matrix(`${prefix}.gate`, h, width, copies, activeCopies));
    if (withBias) tensors.push(vector(`${prefix}.gate.bias`, width, copies, activeCopies));
  }
  tensors.push(matrix(`${prefix}.up`, h, width, copies, activeCopies));
  if (withBias) tensors.push(vector(`${prefix}.up.bias`, width, copies, activeCopies));
  tensors.push(matrix(`${prefix}.down`, width, h, copies, activeCopies));
  if (withBias) tensors.push(vector(`${prefix}.down.bias`, h, copies, activeCopies));
  return tensors;
}

/** Layer `layerIndex`'s attention and MLP kind: its pattern entry, else global and MoE from `firstDenseLayers` on. */
export function layerPatternOf(model: ModelDescription, layerIndex: number): LayerPattern {
  const given = model.layerPatterns?.[layerIndex];
  const moe = model.moe !== undefined && model.moe.numExperts > 0;
  if (given) return { attention: given.attention, mlp: moe ? given.mlp : 'dense' };
  return { attention: 'global', mlp: moe && layerIndex >= model.moe!.firstDenseLayers ? 'moe' : 'dense' };
}

function isMoeLayer(model: ModelDescription, layerIndex: number): boolean {
  return layerPatternOf(model, layerIndex).mlp === 'moe';
}

/** The norms of one decoder layer, by their transformers names where the description gives them. */
function layerNormNames(model: ModelDescription): string[] {
  const count = Math.max(0, Math.trunc(model.normsPerLayer));
  const given = model.layerNormNames ?? [];
  const fallback = ['input_norm', 'post_attention_norm'];
  return Array.from({ length: count }, (_, i) => given[i] ?? fallback[i] ?? `norm_${i}`);
}

function decoderTensors(model: ModelDescription, layerIndex: number): WeightTensor[] {
  const h = model.hiddenSize;
  const tensors: WeightTensor[] = [];
  const variant = normVariantOf(model);
  for (const name of layerNormNames(model)) tensors.push(...norm(name, h, variant));
  tensors.push(...attentionTensors(model));
  const moe = model.moe;
  if (moe && isMoeLayer(model, layerIndex)) {
    tensors.push(matrix('router', h, moe.numExperts));
    if (moe.routerBias) tensors.push(vector('router.bias', moe.numExperts));
    tensors.push(...mlpTensors('experts', model, moe.expertFfnSize, moe.numExperts, moe.topK, moe.expertBias ?? model.bias.mlp));
    if (moe.numSharedExperts > 0) {
      tensors.push(...mlpTensors('shared_experts', model, moe.sharedExpertFfnSize, moe.numSharedExperts));
      if (moe.sharedExpertGate) tensors.push(matrix('shared_expert_gate', h, 1));
    }
  } else {
    tensors.push(...mlpTensors('mlp', model, model.ffnSize));
  }
  return tensors;
}

/** 'decoder 3', 'decoder 3 (MoE)', 'decoder 4 (sliding 4,096)', 'decoder 5 (MoE, sliding 128)'. */
function decoderName(model: ModelDescription, layerIndex: number): string {
  const pattern = layerPatternOf(model, layerIndex);
  const kinds: string[] = [];
  if (pattern.mlp === 'moe') kinds.push('MoE');
  if (pattern.attention === 'sliding' && model.slidingWindow !== undefined) kinds.push(`sliding ${model.slidingWindow.toLocaleString('en-US')}`);
  return kinds.length ? `decoder ${layerIndex} (${kinds.join(', ')})` : `decoder ${layerIndex}`;
}

function headTensors(model: ModelDescription): WeightTensor[] {
  const tensors = model.finalNorm === false ? [] : norm('final_norm', model.hiddenSize, normVariantOf(model));
  const lmHead = matrix('lm_head', model.hiddenSize, model.vocabSize);
  if (model.tiedEmbeddings) lmHead.tiedTo = TOKEN_EMBEDDING_TENSOR;
  tensors.push(lmHead);
  // Only the weight is shared with the embedding; an output bias is its own parameter.
  if (model.bias.lmHead) tensors.push(vector('lm_head.bias', model.vocabSize));
  return tensors;
}

/** Layers in weight-streaming order: embedding, one per decoder block, final norm + LM head. */
export function buildModelStructure(model: ModelDescription): ModelStructure {
  const layers: LayerStructure[] = [];
  const embedding = embeddingTensors(model);
  layers.push(layer(0, 'embedding', 'embedding', embedding));
  const numLayers = Math.max(0, Math.trunc(model.numLayers));
  for (let i = 0; i < numLayers; i++) {
    const decoder = layer(i + 1, 'decoder', decoderName(model, i), decoderTensors(model, i));
    decoder.pattern = layerPatternOf(model, i);
    layers.push(decoder);
  }
  layers.push(layer(numLayers + 1, 'head', 'final norm + LM head', headTensors(model)));

  let totalParameters = 0n;
  let activeParameters = 0n;
  for (const l of layers) {
    totalParameters += l.parameters;
    activeParameters += l.activeParameters;
  }
  let embeddingParameters = 0n;
  for (const tensor of embedding) {
    if (tensor.name === TOKEN_EMBEDDING_TENSOR || tensor.name === POSITION_EMBEDDING_TENSOR) {
      embeddingParameters += tensorParameters(tensor);
    }
  }
  return { layers, totalParameters, activeParameters, embeddingParameters };
}

/** Total, per-token active and embedding parameters, exact. */
export function countParameters(model: ModelDescription): { total: bigint; active: bigint; embedding: bigint } {
  const structure = buildModelStructure(model);
  return {
    total: structure.totalParameters,
    active: structure.activeParameters,
    embedding: structure.embeddingParameters,
  };
}
