/**
 * The weight tensors of a decoder-only model, grouped into the layers the wafer runs one at a
 * time in weight-streaming mode, and the exact parameter counts derived from them.
 *
 * Counts follow Hugging Face transformers (the module tree it instantiates, tied embeddings
 * counted once, multi-token-prediction layers of DeepSeek-V3 not instantiated), so a figure
 * here can be compared with `sum(p.numel() for p in model.parameters())`.
 */
import type { LayerStructure, ModelDescription, ModelStructure, WeightTensor } from '../types';

/** The token-embedding tensor's name; a tied LM head points at it. */
export const TOKEN_EMBEDDING_TENSOR = 'embed_tokens';
export const POSITION_EMBEDDING_TENSOR = 'embed_positions';

function matrix(name: string, rows: number, cols: number, copies = 1, activeCopies = copies): WeightTensor {
  return { name, shape: [rows, cols], copies, activeCopies };
}

function vector(name: string, length: number, copies = 1, activeCopies = copies): WeightTensor {
  return { name, shape: [length], copies, activeCopies };
}

/** LayerNorm carries a weight and a bias; RMSNorm only a weight. */
function norm(prefix: string, size: number, kind: ModelDescription['normKind']): WeightTensor[] {
  const tensors = [vector(`${prefix}.weight`, size)];
  if (kind === 'layernorm') tensors.push(vector(`${prefix}.bias`, size));
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
  if (model.embeddingNorm) tensors.push(...norm('embed_norm', model.hiddenSize, model.normKind));
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
    tensors.push(...norm('q_a_norm', mla.qLoraRank, model.normKind));
    tensors.push(matrix('q_b_proj', mla.qLoraRank, a * qHeadDim));
  } else {
    tensors.push(matrix('q_proj', h, a * qHeadDim));
  }
  // The shared rotary key rides along with the compressed KV ("with MQA").
  tensors.push(matrix('kv_a_proj', h, mla.kvLoraRank + mla.qkRopeHeadDim));
  if (model.bias.qkv) tensors.push(vector('kv_a_proj.bias', mla.kvLoraRank + mla.qkRopeHeadDim));
  tensors.push(...norm('kv_a_norm', mla.kvLoraRank, model.normKind));
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
  const fused = model.architecture === 'gpt' || model.architecture === 'falcon' || model.architecture === 'bloom';
  if (fused) {
    tensors.push(matrix('qkv_proj', h, qWidth + 2 * kvWidth));
    if (model.bias.qkv) tensors.push(vector('qkv_proj.bias', qWidth + 2 * kvWidth));
  } else {
    tensors.push(matrix('q_proj', h, qWidth), matrix('k_proj', h, kvWidth), matrix('v_proj', h, kvWidth));
    if (model.bias.qkv) {
      tensors.push(vector('q_proj.bias', qWidth), vector('k_proj.bias', kvWidth), vector('v_proj.bias', kvWidth));
    }
  }
  tensors.push(matrix('o_proj', qWidth, h));
  if (model.bias.attnOut) tensors.push(vector('o_proj.bias', h));
  return tensors;
}

/** A dense MLP (or one expert, repeated `copies` times of which `activeCopies` run per token). */
function mlpTensors(
  prefix: string,
  model: ModelDescription,
  width: number,
  copies = 1,
  activeCopies = copies,
): WeightTensor[] {
  const h = model.hiddenSize;
  const tensors: WeightTensor[] = [];
  const withBias = model.bias.mlp;
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

function isMoeLayer(model: ModelDescription, layerIndex: number): boolean {
  return model.moe !== undefined && model.moe.numExperts > 0 && layerIndex >= model.moe.firstDenseLayers;
}

function decoderTensors(model: ModelDescription, layerIndex: number): WeightTensor[] {
  const h = model.hiddenSize;
  const tensors: WeightTensor[] = [];
  // Falcon-7B style parallel blocks share one input norm; everything else has two per layer.
  const normNames = ['input_norm', 'post_attention_norm'];
  for (let i = 0; i < model.normsPerLayer; i++) {
    tensors.push(...norm(normNames[i] ?? `norm_${i}`, h, model.normKind));
  }
  tensors.push(...attentionTensors(model));
  const moe = model.moe;
  if (moe && isMoeLayer(model, layerIndex)) {
    tensors.push(matrix('router', h, moe.numExperts));
    // DeepSeek-V3's e_score_correction_bias: one value per routed expert.
    if (moe.routerBias) tensors.push(vector('router.bias', moe.numExperts));
    tensors.push(...mlpTensors('experts', model, moe.expertFfnSize, moe.numExperts, moe.topK));
    if (moe.numSharedExperts > 0) {
      tensors.push(...mlpTensors('shared_experts', model, moe.sharedExpertFfnSize, moe.numSharedExperts));
    }
  } else {
    tensors.push(...mlpTensors('mlp', model, model.ffnSize));
  }
  return tensors;
}

function headTensors(model: ModelDescription): WeightTensor[] {
  const tensors = norm('final_norm', model.hiddenSize, model.normKind);
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
    const name = isMoeLayer(model, i) ? `decoder ${i} (MoE)` : `decoder ${i}`;
    layers.push(layer(i + 1, 'decoder', name, decoderTensors(model, i)));
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
