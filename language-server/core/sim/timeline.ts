/**
 * The weight-streaming timeline of one training step on one system (all systems run the same
 * timeline on their share of the batch; scaling.ts adds what grows with the system count).
 *
 * One micro-batch, layer by layer (embedding, decoders, head), as an event simulation over three
 * resources - the ingress half of the system I/O, the wafer's compute, the egress half:
 *  - forward: the layer's weights stream in (MemoryX -> SwarmX -> wafer). Streaming is
 *    slice-granular, so a layer's compute starts with its first slice and cannot end before its
 *    last slice arrived; the next layer's weights start streaming as soon as the link is free and
 *    the current layer computes (the slices it has consumed free room: double buffering). When the
 *    layer-input checkpoints do not fit on the wafer, each layer's input leaves on the egress link
 *    to the activation servers.
 *  - the head (final norm + LM head + loss) runs its backward right after its forward with its
 *    weights and activations still on the wafer: no second stream, no recompute.
 *  - backward, top layer first: the checkpoint (when off-wafer) and the weights stream in again,
 *    the layer recomputes its forward and runs its backward (3x forward FLOPs under full
 *    recompute, 2x otherwise), and its weight gradients stream out to SwarmX/MemoryX while it
 *    computes (egress).
 * Consecutive micro-batches follow back to back (the next one's first weights stream in during
 * the previous one's tail). At the iteration boundary the optimizer update runs in MemoryX and
 * cannot overlap: the next step's weights are the updated ones.
 *
 * FLOPs convention for MFU: model FLOPs = 6 x N x tokens + 6 x L x s x (heads x head_dim) x tokens,
 * where N counts the parameters that multiply activations (decoder matrices at their active expert
 * copies, and the LM head, tied or not; embedding lookups and vectors excluded) and the attention
 * term is PaLM's 12*L*s*h halved for the causal mask. Recompute FLOPs are hardware FLOPs and
 * count against MFU, not towards it. MFU is measured against the dense FP16 peak.
 */
import type { Bound, TimelineBar, TimelinePhase, TimelineResult } from '../report';
import type { PreparedLayers } from './layers';

export interface StreamRates {
  /** Weight stream and gradient egress, per direction (B/s). */
  ioBandwidth: number;
  /** Checkpoint traffic to and from the activation servers (B/s). */
  checkpointBandwidth: number;
}

export interface MicroBatchTiming {
  /** First micro-batch of a step, from the first weight byte to the last gradient byte. */
  seconds: number;
  /** Each following micro-batch (its first weights overlap the previous one's tail). */
  steadySeconds: number;
  forwardSeconds: number;
  backwardSeconds: number;
  streamForward: number;
  computeForward: number;
  checkpointOut: number;
  streamBackward: number;
  checkpointIn: number;
  computeBackward: number;
  gradientsOut: number;
}

function label(name: string, what: string): string {
  return `${name}: ${what}`;
}

/**
 * Times one micro-batch of `tokens` tokens; fills `bars` (if given) with the per-layer bars. The
 * cost is a few operations per layer, so callers may run it for many candidate micro-batches.
 */
export function timeMicroBatch(
  prepared: PreparedLayers,
  tokens: number,
  rates: StreamRates,
  checkpointsOffWafer: boolean,
  bars?: TimelineBar[],
): MicroBatchTiming {
  const layers = prepared.layers;
  const io = rates.ioBandwidth > 0 ? rates.ioBandwidth : Infinity;
  const ckBandwidth = Math.min(io, rates.checkpointBandwidth > 0 ? rates.checkpointBandwidth : Infinity);
  const n = layers.length;
  const fusedHead = n > 0 && layers[n - 1].kind === 'head';

  let inFree = 0;
  let outFree = 0;
  let computeFree = 0;
  let previousComputeStart = 0;
  let streamForward = 0;
  let computeForward = 0;
  let checkpointOut = 0;
  let streamBackward = 0;
  let checkpointIn = 0;
  let computeBackward = 0;
  let gradientsOut = 0;
  let firstStream = 0;

  for (let i = 0; i < n; i++) {
    const layer = layers[i];
    const stream = layer.weightBytes / io;
    const streamStart = Math.max(inFree, previousComputeStart);
    const streamEnd = streamStart + stream;
    inFree = streamEnd;
    if (i === 0) firstStream = stream;
    const computeStart = Math.max(computeFree, streamStart);
    const compute = layer.forwardSecondsPerToken * tokens;
    let checkpointEnd = 0;
    const keepsInput = checkpointsOffWafer && !(fusedHead && i === n - 1);
    if (keepsInput && layer.checkpointPerToken > 0) {
      const out = (layer.checkpointPerToken * tokens) / ckBandwidth;
      const start = Math.max(outFree, computeStart);
      checkpointEnd = start + out;
      outFree = checkpointEnd;
      checkpointOut += out;
    }
    const computeEnd = Math.max(computeStart + compute, streamEnd, checkpointEnd);
    streamForward += stream;
    computeForward += compute;
    if (bars) {
      bars.push({ lane: 'weights-fwd', start: streamStart, end: streamEnd, layer: layer.index, label: label(layer.name, 'weights in'), bound: 'weight-streaming' });
      bars.push({
        lane: 'forward',
        start: computeStart,
        end: computeEnd,
        layer: layer.index,
        label: label(layer.name, 'forward'),
        bound: compute >= stream && compute >= checkpointEnd - computeStart ? 'compute' : stream >= checkpointEnd - computeStart ? 'weight-streaming' : 'activation-io',
      });
    }
    computeFree = computeEnd;
    previousComputeStart = computeStart;
  }
  const forwardEnd = computeFree;

  for (let i = n - 1; i >= 0; i--) {
    const layer = layers[i];
    const forward = layer.forwardSecondsPerToken * tokens;
    let computeStart: number;
    let streamEnd: number;
    let stream = 0;
    let checkpoint = 0;
    let factor = layer.backwardFactor;
    if (fusedHead && i === n - 1) {
      // Weights and activations are still on the wafer: backward follows the forward directly.
      computeStart = computeFree;
      streamEnd = computeStart;
      factor = 2;
    } else {
      stream = layer.weightBytes / io;
      checkpoint = checkpointsOffWafer ? (layer.checkpointPerToken * tokens) / ckBandwidth : 0;
      const streamStart = Math.max(inFree, previousComputeStart);
      streamEnd = streamStart + checkpoint + stream;
      inFree = streamEnd;
      computeStart = Math.max(computeFree, streamStart + checkpoint);
      if (bars) {
        bars.push({
          lane: 'weights-bwd',
          start: streamStart,
          end: streamEnd,
          layer: layer.index,
          label: label(layer.name, checkpoint > 0 ? 'checkpoint + weights in' : 'weights in'),
          bound: checkpoint > stream ? 'activation-io' : 'weight-streaming',
        });
      }
    }
    const compute = forward * factor;
    const gradients = layer.gradientBytes / io;
    const gradientStart = Math.max(outFree, computeStart);
    const gradientEnd = gradientStart + gradients;
    outFree = gradientEnd;
    const computeEnd = Math.max(computeStart + compute, streamEnd, gradientEnd);
    streamBackward += stream;
    checkpointIn += checkpoint;
    computeBackward += compute;
    gradientsOut += gradients;
    if (bars) {
      const ingress = stream + checkpoint;
      bars.push({
        lane: 'backward',
        start: computeStart,
        end: computeEnd,
        layer: layer.index,
        label: label(layer.name, factor > 2.5 ? 'recompute + backward' : 'backward'),
        bound: compute >= ingress && compute >= gradients ? 'compute' : gradients > ingress ? 'swarmx' : checkpoint > stream ? 'activation-io' : 'weight-streaming',
      });
      bars.push({ lane: 'gradients', start: gradientStart, end: gradientEnd, layer: layer.index, label: label(layer.name, 'gradients out'), bound: 'swarmx' });
    }
    computeFree = computeEnd;
    previousComputeStart = computeStart;
  }
  const end = Math.max(computeFree, outFree);
  // The next micro-batch's first weights may stream while this one finishes.
  const overlap = Math.max(0, Math.min(firstStream, end - inFree));
  return {
    seconds: end,
    steadySeconds: Math.max(0, end - overlap),
    forwardSeconds: forwardEnd,
    backwardSeconds: end - forwardEnd,
    streamForward,
    computeForward,
    checkpointOut,
    streamBackward,
    checkpointIn,
    computeBackward,
    gradientsOut,
  };
}

export interface StepTiming {
  stepSeconds: number;
  microBatch: MicroBatchTiming;
  accumulationSteps: number;
  /** Optimizer update in MemoryX at the iteration boundary. */
  updateSeconds: number;
  /** SwarmX tree latency paid per step (broadcast fill + reduce drain). */
  swarmxSeconds: number;
}

/** Depth of a 1:fanOut broadcast/reduce tree over `systems` systems (0 for one system). */
export function treeDepth(systems: number, fanOut: number): number {
  if (!(systems > 1)) return 0;
  const f = fanOut >= 2 ? fanOut : 2;
  let depth = 0;
  let reach = 1;
  while (reach < systems && depth < 64) {
    reach *= f;
    depth++;
  }
  return depth;
}

export function stepTiming(
  microBatch: MicroBatchTiming,
  accumulationSteps: number,
  updateSeconds: number,
  swarmxSeconds: number,
): StepTiming {
  const n = Math.max(1, accumulationSteps);
  return {
    stepSeconds: microBatch.seconds + (n - 1) * microBatch.steadySeconds + updateSeconds + swarmxSeconds,
    microBatch,
    accumulationSteps: n,
    updateSeconds,
    swarmxSeconds,
  };
}

function boundOf(candidates: [Bound, number][]): Bound {
  let best = candidates[0];
  for (const c of candidates) if (c[1] > best[1]) best = c;
  return best[0];
}

export interface TimelineContext {
  prepared: PreparedLayers;
  tokensPerMicroBatch: number;
  rates: StreamRates;
  checkpointsOffWafer: boolean;
  accumulationSteps: number;
  updateSeconds: number;
  swarmxLevelLatency: number;
  treeDepth: number;
  systems: number;
  /** Global batch x sequence length. */
  tokensPerStep: number;
  modelFlopsPerToken: number;
  peak: { flops: number; name: string };
  timeToTrain: { tokens: number; basis: string };
}

/**
 * Past this many layers one bar per layer and lane is more than a timeline can show (a chart a few
 * hundred pixels wide) or a panel should receive: 10,000 layers made a 9 MB result.
 */
export const MAX_DETAILED_TIMELINE_LAYERS = 256;

/**
 * Merges runs of consecutive layers into one bar per lane when a model has more than
 * MAX_DETAILED_TIMELINE_LAYERS layers: the bar spans the run, names it ("layers 1-40: forward") and
 * carries the bound of its longest member. Times are unchanged; only the picture gets coarser.
 */
export function aggregateLayerBars(bars: TimelineBar[], maxLayers = MAX_DETAILED_TIMELINE_LAYERS): void {
  let layerCount = 0;
  for (const bar of bars) if (bar.layer !== undefined) layerCount = Math.max(layerCount, bar.layer + 1);
  if (layerCount <= maxLayers) return;
  const perGroup = Math.ceil(layerCount / maxLayers);
  const groups = new Map<string, { bar: TimelineBar; first: number; last: number; longest: number }>();
  const merged: TimelineBar[] = [];
  for (const bar of bars) {
    if (bar.layer === undefined) {
      merged.push(bar);
      continue;
    }
    const group = Math.floor(bar.layer / perGroup);
    const key = `${bar.lane}:${group}`;
    const what = bar.label.slice(bar.label.indexOf(': ') + 2);
    const existing = groups.get(key);
    if (!existing) {
      const copy: TimelineBar = { ...bar, label: what };
      groups.set(key, { bar: copy, first: bar.layer, last: bar.layer, longest: bar.end - bar.start });
      merged.push(copy);
      continue;
    }
    existing.bar.start = Math.min(existing.bar.start, bar.start);
    existing.bar.end = Math.max(existing.bar.end, bar.end);
    existing.first = Math.min(existing.first, bar.layer);
    existing.last = Math.max(existing.last, bar.layer);
    if (bar.end - bar.start > existing.longest) {
      existing.longest = bar.end - bar.start;
      existing.bar.bound = bar.bound;
    }
  }
  for (const { bar, first, last } of groups.values()) {
    bar.layer = first;
    bar.label = `layers ${first + 1}-${last + 1}: ${bar.label}`;
  }
  bars.splice(0, bars.length, ...merged);
}

/** The full timeline result with bars for one micro-batch in detail. */
export function buildTimeline(context: TimelineContext): TimelineResult {
  const bars: TimelineBar[] = [];
  const swarmxSeconds = 2 * context.treeDepth * context.swarmxLevelLatency;
  const broadcastLatency = context.treeDepth * context.swarmxLevelLatency;
  const micro = timeMicroBatch(context.prepared, context.tokensPerMicroBatch, context.rates, context.checkpointsOffWafer, bars);
  if (broadcastLatency > 0) for (const bar of bars) {
    bar.start += broadcastLatency;
    bar.end += broadcastLatency;
  }
  aggregateLayerBars(bars);
  const step = stepTiming(micro, context.accumulationSteps, context.updateSeconds, swarmxSeconds);
  const n = step.accumulationSteps;
  let cursor = broadcastLatency + micro.seconds;
  if (n > 1) {
    const rest = (n - 1) * micro.steadySeconds;
    const text = n === 2 ? 'micro-batch 2 (same pattern)' : `micro-batches 2-${n} (same pattern)`;
    for (const lane of ['weights-fwd', 'forward', 'weights-bwd', 'backward', 'gradients'] as const) {
      bars.push({ lane, start: cursor, end: cursor + rest, label: text });
    }
    cursor += rest;
  }
  cursor += broadcastLatency; // the last gradients pass the reduce tree
  bars.push({ lane: 'optimizer', start: cursor, end: cursor + step.updateSeconds, label: 'optimizer update in MemoryX', bound: 'memoryx' });

  const forwardBound = boundOf([
    ['compute', micro.computeForward],
    ['weight-streaming', micro.streamForward],
    ['activation-io', micro.checkpointOut],
  ]);
  const backwardBound = boundOf([
    ['compute', micro.computeBackward],
    ['weight-streaming', micro.streamBackward + (micro.checkpointIn <= micro.streamBackward ? micro.checkpointIn : 0)],
    ['activation-io', micro.checkpointIn > micro.streamBackward ? micro.checkpointIn + micro.streamBackward : 0],
    ['swarmx', micro.gradientsOut],
  ]);
  const forwardSeconds = micro.forwardSeconds + (n - 1) * micro.forwardSeconds;
  const backwardSeconds = step.stepSeconds - forwardSeconds - step.updateSeconds - swarmxSeconds;
  const phases: TimelinePhase[] = [
    { name: 'forward', seconds: forwardSeconds, bound: forwardBound },
    { name: 'backward', seconds: Math.max(0, backwardSeconds), bound: backwardBound },
    { name: 'optimizer update', seconds: step.updateSeconds, bound: 'memoryx' },
  ];
  if (swarmxSeconds > 0) phases.push({ name: 'SwarmX tree latency', seconds: swarmxSeconds, bound: 'swarmx' });
  let bottleneck = phases[0];
  for (const phase of phases) if (phase.seconds > bottleneck.seconds) bottleneck = phase;

  const stepSeconds = step.stepSeconds;
  const tokensPerSecond = stepSeconds > 0 ? context.tokensPerStep / stepSeconds : 0;
  const peakTotal = context.peak.flops * Math.max(1, context.systems);
  const mfu = peakTotal > 0 ? (tokensPerSecond * context.modelFlopsPerToken) / peakTotal : 0;
  return {
    stepSeconds,
    tokensPerSecond,
    mfu,
    peak: context.peak,
    bottleneck: bottleneck.bound,
    phases,
    bars,
    microBatchSeconds: micro.seconds,
    accumulationSteps: n,
    timeToTrain: {
      tokens: context.timeToTrain.tokens,
      seconds: tokensPerSecond > 0 ? context.timeToTrain.tokens / tokensPerSecond : 0,
      basis: context.timeToTrain.basis,
    },
  };
}
