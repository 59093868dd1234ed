/**
 * The shipped Model Zoo configs of test/data/modelzoo/current, written out by hand (values read
 * from each YAML file; the line that gives each value is named in the comment), so the simulator
 * tests do not depend on the config readers. Each entry carries the micro-batch the config ships
 * with, which is known to run on real hardware.
 */
import type { ClusterDescription, ModelDescription, TrainingDescription } from '../../../language-server/core/types';
import { bloom7b1, falcon180b, llamaLike } from '../model/descriptions';

const gptBias = { qkv: true, attnOut: true, mlp: true, lmHead: false };

export interface ShippedConfig {
  file: string;
  model: ModelDescription;
  training: TrainingDescription;
  /** Systems the config was shipped for (comment or README), 1 when it does not say. */
  systems: number;
  /** Which system generation it ran on. */
  system: 'cs-2' | 'cs-3';
}

function gpt(fields: Partial<ModelDescription>): ModelDescription {
  return {
    family: 'gpt3',
    architecture: 'gpt',
    hiddenSize: 2048,
    numLayers: 24,
    numHeads: 16,
    numKvHeads: 16,
    headDim: 128,
    ffnSize: 8192,
    vocabSize: 50257,
    maxPositionEmbeddings: 2048,
    positionEmbedding: 'learned',
    mlpKind: 'plain',
    normKind: 'layernorm',
    normsPerLayer: 2,
    tiedEmbeddings: true,
    bias: { ...gptBias },
    embeddingNorm: false,
    ...fields,
  };
}

/** A Llama-2-70B-shaped block (the shared Llama builder, 70B dimensions), then the fields given. */
function llama(fields: Partial<ModelDescription>): ModelDescription {
  return llamaLike({ hiddenSize: 8192, numLayers: 80, numHeads: 64, ffnSize: 28672, ...fields });
}

function training(fields: Partial<TrainingDescription>): TrainingDescription {
  return { globalBatchSize: 1, sequenceLength: 2048, precision: 'cbf16', optimizer: 'adamw', ...fields };
}

export const shipped: ShippedConfig[] = [
  {
    // gpt3__params_gpt3_xl.yaml: hidden 2048, 24 layers, 16 heads, filter 8192, vocab 50257,
    // batch_size 528, ScopedTrainFlags micro_batch_size 88, max_position_embeddings 2048.
    file: 'gpt3__params_gpt3_xl.yaml',
    model: gpt({}),
    training: training({ globalBatchSize: 528, microBatchSize: 88, sequenceLength: 2048 }),
    systems: 1,
    system: 'cs-2',
  },
  {
    // gpt3__Cerebras_GPT_6p7b.yaml: hidden 4096, 32 layers, 32 heads, filter 16384; "1040 global =
    // (65 micro)*(num_csx)*(grad accum steps)" on 8 CS-2 (header comment), bfloat16.
    file: 'gpt3__Cerebras_GPT_6p7b.yaml',
    model: gpt({ hiddenSize: 4096, numLayers: 32, numHeads: 32, numKvHeads: 32, headDim: 128, ffnSize: 16384 }),
    training: training({ globalBatchSize: 1040, microBatchSize: 65, numCsx: 8, precision: 'bf16' }),
    systems: 8,
    system: 'cs-2',
  },
  {
    // llama__params_llama3p1_70b_msl_8k.yaml: hidden 8192, 80 layers, 64 heads, kv groups 8,
    // filter 28672, vocab 128256, max_position_embeddings 8192, batch 8, micro 8.
    file: 'llama__params_llama3p1_70b_msl_8k.yaml',
    model: llama({}),
    training: training({ globalBatchSize: 8, microBatchSize: 8, sequenceLength: 8192 }),
    systems: 1,
    system: 'cs-3',
  },
  {
    // llama__params_llama3p1_405b_msl_128k.yaml: hidden 16384, 126 layers, 128 heads, kv groups 16,
    // filter 53248, vocab 128256, max_position_embeddings 131072, batch 2, micro 1.
    file: 'llama__params_llama3p1_405b_msl_128k.yaml',
    model: llama({ hiddenSize: 16384, numLayers: 126, numHeads: 128, numKvHeads: 16, ffnSize: 53248, maxPositionEmbeddings: 131072 }),
    training: training({ globalBatchSize: 2, microBatchSize: 1, sequenceLength: 131072 }),
    systems: 1,
    system: 'cs-3',
  },
  {
    // llama__params_llama3p2_1b_msl_8k.yaml: hidden 2048, 16 layers, 32 heads, kv 8, filter 8192,
    // tied, batch 1024, micro 8, max_position_embeddings 8192.
    file: 'llama__params_llama3p2_1b_msl_8k.yaml',
    model: llama({ hiddenSize: 2048, numLayers: 16, numHeads: 32, numKvHeads: 8, headDim: 64, ffnSize: 8192, tiedEmbeddings: true }),
    training: training({ globalBatchSize: 1024, microBatchSize: 8, sequenceLength: 8192 }),
    systems: 1,
    system: 'cs-3',
  },
  {
    // llama__params_llama2_70b.yaml: hidden 8192, 80 layers, 64 heads, kv 8, filter 28672, vocab
    // 32000, untied, max_position_embeddings 4096, batch 55, no micro-batch flag (auto).
    file: 'llama__params_llama2_70b.yaml',
    model: llama({ vocabSize: 32000, maxPositionEmbeddings: 4096 }),
    training: training({ globalBatchSize: 55, sequenceLength: 4096 }),
    systems: 1,
    system: 'cs-3',
  },
  {
    // falcon__params_falcon_180b.yaml: hidden 14848, filter 59392, 232 heads, 80 layers, kv groups
    // 8, gelu, no biases, tied, vocab 65024, max_position_embeddings 2048, batch 30, no micro flag.
    file: 'falcon__params_falcon_180b.yaml',
    model: falcon180b,
    training: training({ globalBatchSize: 30, sequenceLength: 2048 }),
    systems: 1,
    system: 'cs-3',
  },
  {
    // mixtral__params_mixtral_8x7b.yaml: hidden 4096, 32 layers, 32 heads, kv 8, filter 14336,
    // 8 experts top-2, vocab 32000, max_position_embeddings 32768, batch 256, micro 4.
    file: 'mixtral__params_mixtral_8x7b.yaml',
    model: llama({
      family: 'mixtral',
      hiddenSize: 4096,
      numLayers: 32,
      numHeads: 32,
      numKvHeads: 8,
      ffnSize: 14336,
      vocabSize: 32000,
      maxPositionEmbeddings: 32768,
      moe: { numExperts: 8, topK: 2, numSharedExperts: 0, expertFfnSize: 14336, sharedExpertFfnSize: 0, firstDenseLayers: 0, routerBias: false },
    }),
    training: training({ globalBatchSize: 256, microBatchSize: 4, sequenceLength: 32768 }),
    systems: 1,
    system: 'cs-3',
  },
  {
    // bloom__params_bloom_7b.yaml: hidden 4096, 30 layers, 32 heads, filter 16384, vocab 250880,
    // alibi, embedding_layer_norm, tied, biases, batch 135, micro 135, max_position_embeddings 2048.
    file: 'bloom__params_bloom_7b.yaml',
    model: bloom7b1,
    training: training({ globalBatchSize: 135, microBatchSize: 135, sequenceLength: 2048 }),
    systems: 1,
    system: 'cs-3',
  },
];

/**
 * The 1T GPT-style model of examples/1t/gpt-1t.yaml: hidden 25600, 128 layers, 160 heads (head dim
 * 160), filter 102400, vocab 51200, learned positions 2048, tied embeddings, GPT-3 biases.
 */
export const gpt1t: ModelDescription = gpt({
  family: 'gpt3',
  hiddenSize: 25600,
  numLayers: 128,
  numHeads: 160,
  numKvHeads: 160,
  headDim: 160,
  ffnSize: 102400,
  vocabSize: 51200,
  maxPositionEmbeddings: 2048,
});

export const gpt1tTraining: TrainingDescription = {
  globalBatchSize: 1024,
  microBatchSize: 'auto',
  sequenceLength: 2048,
  precision: 'bf16',
  optimizer: 'adamw',
};

export function cluster(systems: number, memoryxCapacityBytes: number, system = 'cs-3', overrides: Record<string, number> = {}): ClusterDescription {
  return {
    name: `${systems}x ${system}`,
    system,
    systems,
    memoryxCapacityBytes,
    overrides,
    origin: { kind: 'default' },
  };
}

export const TB = 1e12;
