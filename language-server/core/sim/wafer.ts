/**
 * Does one layer at a time fit in the wafer's SRAM, and where do the layer-input checkpoints live?
 *
 * Working set of a layer while it runs (bytes) = fixed + perToken x tokens, where
 *   fixed    = the layer's weights (vendor fit rule: one layer's weights fit on the wafer; held
 *              for the whole forward or backward of the layer), a double-buffered stream slice of
 *              the next weights, a double-buffered slice of outgoing weight gradients, and the
 *              per-PE workspace (layers.ts `fixedBytes`);
 *   perToken = the resident activations of activations.ts (one micro-batch).
 *
 * Checkpoints (assumption, not published): the wafer keeps only each layer's input between its
 * forward and backward pass (2*s*b*h bytes per layer under mixed precision) and recomputes the
 * layer's forward before its backward. The checkpoints of all layers live on the wafer when they
 * fit in SRAM beside every layer's working set (while a layer runs, the checkpoints of the layers
 * below it are still waiting for their backward pass); otherwise they go to the activation
 * servers, which costs I/O time (timeline.ts).
 *
 * Everything is linear in the micro-batch, so the largest micro-batch that fits is closed form.
 */
import type { LayerMemory, WaferResult } from '../report';
import { fixedBytes, GRADIENT_SLICES, PREFETCH_SLICES, type LayerStatic, type PreparedLayers } from './layers';

export interface WaferEvaluation {
  /** Largest working set over the layers (checkpoints excluded). */
  peakWorkingSet: number;
  peakLayer: number;
  /** Largest working set plus the checkpoints present while that layer runs, over the layers. */
  peakWithCheckpoints: number;
  checkpointBytes: number;
  checkpointsOnWafer: boolean;
  /** Peak SRAM use with checkpoints where they are placed. */
  peakBytes: number;
  fits: boolean;
}

function tokensOf(sequenceLength: number, microBatch: number): number {
  return Math.max(0, sequenceLength) * Math.max(0, microBatch);
}

export function workingSet(layer: LayerStatic, prepared: PreparedLayers, tokens: number): number {
  return fixedBytes(layer, prepared) + layer.resident.total * tokens;
}

/** Checkpoint bytes per token present while each layer runs its backward (the checkpoints below it). */
function checkpointsBelowPerToken(prepared: PreparedLayers): Float64Array {
  const below = new Float64Array(prepared.layers.length);
  let sum = 0;
  for (let i = 0; i < prepared.layers.length; i++) {
    below[i] = prepared.layers[i].kind === 'embedding' ? 0 : sum;
    sum += prepared.layers[i].checkpointPerToken;
  }
  return below;
}

const belowCache = new WeakMap<PreparedLayers, Float64Array>();
function checkpointsBelow(prepared: PreparedLayers): Float64Array {
  let below = belowCache.get(prepared);
  if (!below) {
    below = checkpointsBelowPerToken(prepared);
    belowCache.set(prepared, below);
  }
  return below;
}

export function totalCheckpointPerToken(prepared: PreparedLayers): number {
  let sum = 0;
  for (const layer of prepared.layers) sum += layer.checkpointPerToken;
  return sum;
}

/** Fit of one micro-batch; checkpoints stay on the wafer when everything fits in `placementBytes`. */
export function evaluateWafer(
  prepared: PreparedLayers,
  sequenceLength: number,
  microBatch: number,
  sramBytes: number,
  placementBytes: number,
): WaferEvaluation {
  const tokens = tokensOf(sequenceLength, microBatch);
  const below = checkpointsBelow(prepared);
  let peakWorkingSet = 0;
  let peakLayer = 0;
  let peakWithCheckpoints = 0;
  for (let i = 0; i < prepared.layers.length; i++) {
    const ws = workingSet(prepared.layers[i], prepared, tokens);
    if (ws > peakWorkingSet) {
      peakWorkingSet = ws;
      peakLayer = i;
    }
    const withCheckpoints = ws + below[i] * tokens;
    if (withCheckpoints > peakWithCheckpoints) peakWithCheckpoints = withCheckpoints;
  }
  const checkpointBytes = totalCheckpointPerToken(prepared) * tokens;
  const checkpointsOnWafer = peakWithCheckpoints <= placementBytes;
  const peakBytes = checkpointsOnWafer ? peakWithCheckpoints : peakWorkingSet;
  return {
    peakWorkingSet,
    peakLayer,
    peakWithCheckpoints,
    checkpointBytes,
    checkpointsOnWafer,
    peakBytes,
    fits: peakWorkingSet <= sramBytes,
  };
}

/** Largest micro-batch whose working sets all fit in `bytes` (0 when not even one sequence does). */
export function maxMicroBatch(prepared: PreparedLayers, sequenceLength: number, bytes: number, withCheckpoints = false): number {
  const s = Math.max(0, sequenceLength);
  const below = withCheckpoints ? checkpointsBelow(prepared) : undefined;
  let best = Infinity;
  for (let i = 0; i < prepared.layers.length; i++) {
    const layer = prepared.layers[i];
    const room = bytes - fixedBytes(layer, prepared);
    if (room < 0) return 0;
    const perSequence = (layer.resident.total + (below ? below[i] : 0)) * s;
    if (perSequence <= 0) continue;
    best = Math.min(best, Math.floor(room / perSequence));
  }
  // A model with no per-token cost (degenerate input) is not limited by activations.
  return Number.isFinite(best) ? Math.max(0, best) : Number.MAX_SAFE_INTEGER;
}

export function layerMemories(prepared: PreparedLayers, sequenceLength: number, microBatch: number): LayerMemory[] {
  const tokens = tokensOf(sequenceLength, microBatch);
  return prepared.layers.map((layer) => {
    const activationBytes = layer.resident.total * tokens;
    const weightBytes = layer.weightBytes + PREFETCH_SLICES * layer.sliceBytes;
    const gradientBytes = GRADIENT_SLICES * layer.sliceBytes;
    return {
      index: layer.index,
      name: layer.name,
      parameters: layer.parameters,
      workingSetBytes: weightBytes + gradientBytes + activationBytes + prepared.workspaceBytes,
      weightBytes,
      gradientBytes,
      activationBytes,
      workspaceBytes: prepared.workspaceBytes,
    };
  });
}

export function waferResult(
  prepared: PreparedLayers,
  sequenceLength: number,
  microBatch: number,
  sramBytes: number,
  placementBytes: number,
): WaferResult {
  const evaluation = evaluateWafer(prepared, sequenceLength, microBatch, sramBytes, placementBytes);
  const tokens = tokensOf(sequenceLength, microBatch);
  let largest: LayerStatic | undefined;
  for (const layer of prepared.layers) if (!largest || layer.weightBytes > largest.weightBytes) largest = layer;
  const decoder = prepared.firstDecoder >= 0 ? prepared.layers[prepared.firstDecoder] : undefined;
  let decoderActivation = 0;
  for (const layer of prepared.layers) {
    if (layer.kind === 'decoder') decoderActivation = Math.max(decoderActivation, layer.resident.total * tokens);
  }
  return {
    sramBytes,
    perLayerPeakBytes: evaluation.peakWorkingSet,
    activationBytesPerLayer: decoder ? decoderActivation : 0,
    fits: evaluation.fits,
    microBatch,
    maxMicroBatch: maxMicroBatch(prepared, sequenceLength, sramBytes),
    largestLayer: largest
      ? { index: largest.index, name: largest.name, parameters: largest.parameters, bytes: largest.weightBytes }
      : { index: 0, name: '', parameters: 0, bytes: 0 },
    checkpoints: { bytes: evaluation.checkpointBytes, location: evaluation.checkpointsOnWafer ? 'wafer' : 'activation-servers' },
    layers: layerMemories(prepared, sequenceLength, microBatch),
    peakBytes: evaluation.peakBytes,
    headroom: sramBytes > 0 ? 1 - evaluation.peakBytes / sramBytes : 0,
  };
}
