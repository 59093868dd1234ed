/**
 * Does one layer at a time fit in the wafer's SRAM, and where do the layer-input checkpoints live?
 *
 * WAFER OCCUPANCY, the one figure every surface shows ("wafer 40.7 / 44 GB", the headroom warning,
 * the memory tab, the summary, the CLI): the peak, over the layers, of what is resident in SRAM
 * while that layer runs its backward pass with one micro-batch:
 *   - the layer's weights tile (vendor fit rule: one layer's weights fit on the wafer), a
 *     double-buffered stream slice of the next weights, a double-buffered slice of outgoing weight
 *     gradients, and the per-PE workspace (layers.ts `fixedBytes`);
 *   - the layer's activations for ONE micro-batch (activations.ts, under the recompute policy);
 *   - the layer-input checkpoints of the layers below it (still waiting for their backward pass),
 *     but only when the checkpoints live on the wafer.
 * It is `WaferResult.peakBytes`, at the layer `WaferResult.peakLayer`; headroom = 1 - peak / SRAM.
 *
 * Where checkpoints live (assumption, not published; wafer-scale.md: activation servers exist,
 * `max_act_per_csx`): the wafer keeps only each layer's input between its forward and backward
 * pass (2*s*b*h bytes per layer under mixed precision) and recomputes the layer's forward before
 * its backward. The checkpoints stay on the wafer when the peak with them stays inside the headroom
 * margin (SRAM x (1 - headroom), the part of SRAM WaferScope plans to use); otherwise all of them
 * go to the activation servers, which costs I/O time (timeline.ts). So a micro-batch keeps the
 * margin exactly when its working sets do, and the occupancy never counts checkpoints that could
 * have been moved off the wafer.
 *
 * A micro-batch FITS when every working set (checkpoints excluded: they can always move) fits in
 * SRAM. Everything is linear in the micro-batch, so the largest micro-batch that fits is closed form.
 */
import type { LayerMemory, WaferResult } from '../report';
import { fixedBytes, GRADIENT_SLICES, PREFETCH_SLICES, type LayerStatic, type PreparedLayers } from './layers';

export interface WaferEvaluation {
  /** Largest working set over the layers (checkpoints excluded). */
  peakWorkingSet: number;
  /** Layer of the largest working set. */
  peakLayer: number;
  /** Layer where the occupancy (`peakBytes`) peaks. */
  occupancyLayer: number;
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
  let peakWithCheckpointsLayer = 0;
  for (let i = 0; i < prepared.layers.length; i++) {
    const ws = workingSet(prepared.layers[i], prepared, tokens);
    if (ws > peakWorkingSet) {
      peakWorkingSet = ws;
      peakLayer = i;
    }
    const withCheckpoints = ws + below[i] * tokens;
    if (withCheckpoints > peakWithCheckpoints) {
      peakWithCheckpoints = withCheckpoints;
      peakWithCheckpointsLayer = i;
    }
  }
  const checkpointBytes = totalCheckpointPerToken(prepared) * tokens;
  const checkpointsOnWafer = peakWithCheckpoints <= placementBytes;
  const peakBytes = checkpointsOnWafer ? peakWithCheckpoints : peakWorkingSet;
  return {
    peakWorkingSet,
    peakLayer,
    occupancyLayer: checkpointsOnWafer ? peakWithCheckpointsLayer : peakLayer,
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

export function layerMemories(prepared: PreparedLayers, sequenceLength: number, microBatch: number, checkpointsOnWafer = false): LayerMemory[] {
  const tokens = tokensOf(sequenceLength, microBatch);
  const below = checkpointsBelow(prepared);
  return prepared.layers.map((layer, i) => {
    const activationBytes = layer.resident.total * tokens;
    const weightBytes = layer.weightBytes + PREFETCH_SLICES * layer.sliceBytes;
    const gradientBytes = GRADIENT_SLICES * layer.sliceBytes;
    const workingSetBytes = weightBytes + gradientBytes + activationBytes + prepared.workspaceBytes;
    const checkpointBytes = checkpointsOnWafer ? below[i] * tokens : 0;
    return {
      index: layer.index,
      name: layer.name,
      parameters: layer.parameters,
      workingSetBytes,
      checkpointBytes,
      residentBytes: workingSetBytes + checkpointBytes,
      weightBytes,
      gradientBytes,
      activationBytes,
      workspaceBytes: prepared.workspaceBytes,
    };
  });
}

/**
 * The wafer section of the report. `placementBytes` is the headroom budget (checkpoints stay on
 * the wafer only inside it); `limits` are the micro-batch figures the simulator resolved.
 */
export function waferResult(
  prepared: PreparedLayers,
  sequenceLength: number,
  microBatch: number,
  sramBytes: number,
  placementBytes: number,
  limits: { recommendedMicroBatch: number; largestFittingMicroBatch: number; headroomTarget: number },
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
    recommendedMicroBatch: limits.recommendedMicroBatch,
    largestFittingMicroBatch: limits.largestFittingMicroBatch,
    headroomTarget: limits.headroomTarget,
    largestLayer: largest
      ? { index: largest.index, name: largest.name, parameters: largest.parameters, bytes: largest.weightBytes }
      : { index: 0, name: '', parameters: 0, bytes: 0 },
    checkpoints: { bytes: evaluation.checkpointBytes, location: evaluation.checkpointsOnWafer ? 'wafer' : 'activation-servers' },
    layers: layerMemories(prepared, sequenceLength, microBatch, evaluation.checkpointsOnWafer),
    peakBytes: evaluation.peakBytes,
    peakLayer: { index: evaluation.occupancyLayer, name: prepared.layers[evaluation.occupancyLayer]?.name ?? '' },
    headroom: sramBytes > 0 ? 1 - evaluation.peakBytes / sramBytes : 0,
  };
}
