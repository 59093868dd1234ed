/**
 * The GPU comparison the 1T result is about, as a bound: the fewest GPUs of a given memory whose
 * combined memory can hold the same training state, i.e.
 *
 *   GPUs >= (model state + activations of one micro-batch) / memory per GPU
 *
 * with the model state (weights, gradients, master weights, optimizer state: MemoryX's own count)
 * sharded perfectly (ZeRO-3 / FSDP) and the activations of the config's micro-batch under full
 * recompute (every layer keeps only its input, plus one layer's full set while it is recomputed
 * for its backward), also assumed to shard perfectly. Real runs need more: CUDA context,
 * allocator slack, communication buffers, the logits of the loss, and the parallelism that makes
 * the sharding possible are all left out, which is what makes it a lower bound. It says nothing
 * about how long such a run takes.
 */
import type { ModelDescription, ModelStructure } from '../types';
import { activationShapeFor, storedActivationBytes } from '../sim/activations';

export interface GpuModel {
  name: string;
  memoryBytes: number;
  source: string;
}

const GIB = 1024 ** 3;

/**
 * Device memory taken as GiB (80 GiB = 85.9 GB), at or above what the devices expose
 * (nvidia-smi shows 81,559 MiB and 143,771 MiB), so that the count stays a lower bound.
 */
export const GPU_MODELS: readonly GpuModel[] = [
  { name: '80 GB GPU (H100 / A100 80GB)', memoryBytes: 80 * GIB, source: 'NVIDIA H100 SXM / A100 80GB datasheets: 80 GB HBM, taken as 80 GiB' },
  { name: '141 GB GPU (H200)', memoryBytes: 141 * GIB, source: 'NVIDIA H200 datasheet: 141 GB HBM3e, taken as 141 GiB' },
];

export interface GpuBoundRow {
  name: string;
  memoryBytes: number;
  /** Fewest GPUs whose memory holds the state and the activations. */
  gpus: number;
  source: string;
}

export interface GpuBound {
  label: 'lower bound';
  /** Model state, as MemoryX holds it (sharded over the GPUs). */
  stateBytes: number;
  /** Activations of one micro-batch under full recompute. */
  activationBytes: number;
  microBatch: number;
  sequenceLength: number;
  rows: GpuBoundRow[];
  basis: string;
}

export function gpuBound(
  model: ModelDescription,
  structure: ModelStructure,
  options: { stateBytes: number; microBatch: number; sequenceLength: number; elementBytes: number },
): GpuBound {
  const { stateBytes, microBatch, sequenceLength, elementBytes } = options;
  let checkpoints = 0;
  let largestLayer = 0;
  for (const layer of structure.layers) {
    if (layer.kind !== 'decoder') continue;
    checkpoints += storedActivationBytes(activationShapeFor(model, layer, sequenceLength, microBatch, elementBytes, 'full'));
    largestLayer = Math.max(largestLayer, storedActivationBytes(activationShapeFor(model, layer, sequenceLength, microBatch, elementBytes, 'none')));
  }
  const activationBytes = checkpoints + largestLayer;
  const total = stateBytes + activationBytes;
  return {
    label: 'lower bound',
    stateBytes,
    activationBytes,
    microBatch,
    sequenceLength,
    rows: GPU_MODELS.map((gpu) => ({ name: gpu.name, memoryBytes: gpu.memoryBytes, gpus: Math.max(1, Math.ceil(total / gpu.memoryBytes)), source: gpu.source })),
    basis:
      'model state sharded over every GPU (ZeRO-3) plus the activations of one micro-batch with full recompute (layer inputs, ' +
      'and one layer recomputed for its backward), sharded too; CUDA context, allocator slack, communication buffers and the ' +
      'logits are left out, so any real GPU run needs more',
  };
}
