/**
 * Model descriptions written out by hand from each model's published Hugging Face config, so the
 * structure tests do not depend on the config readers.
 */
import type { ModelDescription } from '../../../language-server/core/types';

const noBias = { qkv: false, attnOut: false, mlp: false, lmHead: false };
const allBias = { qkv: true, attnOut: true, mlp: true, lmHead: false };

/** Llama-style block: RMSNorm, no biases, SwiGLU, RoPE. */
export function llamaLike(fields: Partial<ModelDescription>): ModelDescription {
  const base: ModelDescription = {
    family: 'llama',
    architecture: 'llama',
    hiddenSize: 4096,
    numLayers: 32,
    numHeads: 32,
    numKvHeads: 8,
    headDim: 128,
    ffnSize: 14336,
    vocabSize: 128256,
    maxPositionEmbeddings: 8192,
    positionEmbedding: 'rotary',
    mlpKind: 'gated',
    normKind: 'rmsnorm',
    normsPerLayer: 2,
    tiedEmbeddings: false,
    bias: { ...noBias },
    embeddingNorm: false,
  };
  return { ...base, ...fields };
}

export const gpt2Small: ModelDescription = {
  family: 'gpt2',
  architecture: 'gpt',
  hiddenSize: 768,
  numLayers: 12,
  numHeads: 12,
  numKvHeads: 12,
  headDim: 64,
  ffnSize: 3072,
  vocabSize: 50257,
  maxPositionEmbeddings: 1024,
  positionEmbedding: 'learned',
  mlpKind: 'plain',
  normKind: 'layernorm',
  normsPerLayer: 2,
  tiedEmbeddings: true,
  bias: { ...allBias },
  embeddingNorm: false,
};

export const llama2_70b = llamaLike({
  hiddenSize: 8192, numLayers: 80, numHeads: 64, numKvHeads: 8, headDim: 128, ffnSize: 28672, vocabSize: 32000,
  maxPositionEmbeddings: 4096,
});
export const llama3_8b = llamaLike({});
export const llama3p2_1b = llamaLike({
  hiddenSize: 2048, numLayers: 16, numHeads: 32, numKvHeads: 8, headDim: 64, ffnSize: 8192, tiedEmbeddings: true,
  maxPositionEmbeddings: 131072,
});
export const mistral7b = llamaLike({ family: 'mistral', vocabSize: 32000, maxPositionEmbeddings: 32768 });
export const mixtral8x7b = llamaLike({
  family: 'mixtral', vocabSize: 32000, maxPositionEmbeddings: 32768,
  moe: {
    numExperts: 8, topK: 2, numSharedExperts: 0, expertFfnSize: 14336, sharedExpertFfnSize: 0,
    firstDenseLayers: 0, routerBias: false,
  },
});
export const qwen2_7b = llamaLike({
  family: 'qwen2', hiddenSize: 3584, numLayers: 28, numHeads: 28, numKvHeads: 4, headDim: 128, ffnSize: 18944,
  vocabSize: 152064, maxPositionEmbeddings: 131072, bias: { ...noBias, qkv: true },
});

export const falcon180b: ModelDescription = {
  family: 'falcon',
  architecture: 'falcon',
  hiddenSize: 14848,
  numLayers: 80,
  numHeads: 232,
  numKvHeads: 8,
  headDim: 64,
  ffnSize: 59392,
  vocabSize: 65024,
  maxPositionEmbeddings: 2048,
  positionEmbedding: 'rotary',
  mlpKind: 'plain',
  normKind: 'layernorm',
  normsPerLayer: 2,
  tiedEmbeddings: true,
  bias: { ...noBias },
  embeddingNorm: false,
};

export const falcon7b: ModelDescription = {
  ...falcon180b,
  hiddenSize: 4544,
  numLayers: 32,
  numHeads: 71,
  numKvHeads: 1,
  headDim: 64,
  ffnSize: 18176,
  normsPerLayer: 1,
};

export const bloom7b1: ModelDescription = {
  family: 'bloom',
  architecture: 'bloom',
  hiddenSize: 4096,
  numLayers: 30,
  numHeads: 32,
  numKvHeads: 32,
  headDim: 128,
  ffnSize: 16384,
  vocabSize: 250880,
  maxPositionEmbeddings: 2048,
  positionEmbedding: 'alibi',
  mlpKind: 'plain',
  normKind: 'layernorm',
  normsPerLayer: 2,
  tiedEmbeddings: true,
  bias: { ...allBias },
  embeddingNorm: true,
};

export const deepseekV3: ModelDescription = {
  family: 'deepseek_v3',
  architecture: 'deepseek',
  hiddenSize: 7168,
  numLayers: 61,
  numHeads: 128,
  numKvHeads: 128,
  headDim: 192,
  ffnSize: 18432,
  vocabSize: 129280,
  maxPositionEmbeddings: 163840,
  positionEmbedding: 'rotary',
  mlpKind: 'gated',
  normKind: 'rmsnorm',
  normsPerLayer: 2,
  tiedEmbeddings: false,
  bias: { ...noBias },
  embeddingNorm: false,
  moe: {
    numExperts: 256, topK: 8, numSharedExperts: 1, expertFfnSize: 2048, sharedExpertFfnSize: 2048,
    firstDenseLayers: 3, routerBias: false,
  },
  mla: { qLoraRank: 1536, kvLoraRank: 512, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128 },
};
