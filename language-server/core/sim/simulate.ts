/**
 * The simulator's entry points: `simulate` (everything the report shows for one config),
 * `evaluate` / `sweep` (step time only, for many system counts), and `heatmapForLayer` (the per-PE
 * picture of one layer, on demand).
 *
 * Work that does not depend on the system count or the micro-batch (per-layer weights, resident
 * activation bytes per token, PE mappings, FLOPs) is prepared once per model structure and cached,
 * so a whole-config evaluation is a pass over the layers with a few operations each.
 *
 * Public functions never throw: bad numbers are sanitised, and an unexpected failure turns into an
 * 'internal-error' finding with an empty result.
 */
import type { DiagnosticCode } from '../diagnosticCodes';
import type { ClusterDescription, MicroBatchSetting, ModelDescription, ModelStructure, Optimizer, Precision, TrainingDescription } from '../types';
import type { ConstantUse, MemoryxResult, ScalingPoint, ScalingResult, TimelineBar, TimelineResult, TrainingSummary, WaferResult } from '../report';
import type { HeatmapPayload } from '../../../protocol/index';
import { formatBytes, formatFlops, formatPercent, formatSeconds } from '../format/units';
import { resolveHardware, type Hardware, type ResolvedHardware } from './hardware';
import { simulateMemoryx, weightElementBytes } from './memoryx';
import { prepareLayers, fixedBytes, GRADIENT_SLICES, PREFETCH_SLICES, type PreparedLayers } from './layers';
import { evaluateWafer, maxMicroBatch, waferResult } from './wafer';
import { buildTimeline, stepTiming, timeMicroBatch, treeDepth, type MicroBatchTiming, type StreamRates } from './timeline';
import { scalingCurve, scalingResult, scalingSizes, type StepAt } from './scaling';
import { encodeHeatmap, layerHeatmap, lookupSecondsPerElement, type LayerHeatmap } from './mapping';
import type { RecomputePolicy } from './activations';

export interface SimulationInput {
  model: ModelDescription;
  structure: ModelStructure;
  training: TrainingDescription;
  cluster: ClusterDescription;
  /** `--systems N` of the CLI: overrides the config's num_csx and the cluster's size. */
  systems?: number;
  /** Headroom under which a warning is given, as a fraction (default 0.10). */
  headroomWarning?: number;
}

export interface Finding {
  code: DiagnosticCode;
  severity: 'error' | 'warning' | 'information';
  message: string;
  /** Canonical source field, e.g. 'training.microBatchSize', 'cluster.memoryxCapacity'. */
  field: string;
  /** Quick fixes, most useful first. */
  fixes?: { field: string; value: number | string; title: string }[];
  /** Other keys that drive the figure (shown as related information where they are written). */
  related?: { field: string; message: string }[];
}

export interface SimulationOutput {
  training: TrainingSummary;
  memoryx: MemoryxResult;
  wafer: WaferResult;
  timeline: TimelineResult;
  scaling: ScalingResult;
  constants: ConstantUse[];
  findings: Finding[];
  /** Cluster override names that are no constant (the cluster reader reports them with did-you-mean). */
  unknownOverrides: string[];
}

/**
 * 123,456,789. Written out because `toLocaleString` initialises ICU on first use (tens of
 * milliseconds), which would dominate a simulation.
 */
function formatInteger(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = String(Math.round(Math.abs(value)));
  if (digits.includes('e')) return String(Math.round(value));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return value < 0 ? `-${grouped}` : grouped;
}

const DEFAULT_HEADROOM = 0.1;
const DEFAULT_RECOMPUTE: RecomputePolicy = 'full';
/** Above this the per-system batch is not searched for divisors (absurd input; stay fast). */
const DIVISOR_SEARCH_LIMIT = 1e12;

// ------------------------------------------------------------------------------------------------
// Sanitising

function positiveInt(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}

function fraction(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value < 1 ? value : fallback;
}

const OPTIMIZERS: Optimizer[] = ['adamw', 'adam', 'sgd', 'sgd-momentum', 'lamb', 'adafactor'];
const PRECISIONS: Precision[] = ['fp32', 'fp16', 'bf16', 'cbf16'];

interface JobSettings {
  globalBatch: number;
  sequenceLength: number;
  precision: Precision;
  optimizer: Optimizer;
  recompute: RecomputePolicy;
  micro: MicroBatchSetting;
  /** `{explore: {max}}`: the automatic choice stays at or below it. */
  exploreMax?: number;
  maxSteps?: number;
}

function jobSettings(model: ModelDescription, training: TrainingDescription): JobSettings {
  const micro = training?.microBatchSize;
  const microSetting: MicroBatchSetting =
    typeof micro === 'number' ? positiveInt(micro, 1) : micro === 'none' || micro === 'explore' || micro === 'auto' ? micro : 'auto';
  const recompute = training?.recompute;
  return {
    globalBatch: positiveInt(training?.globalBatchSize, 1),
    sequenceLength: positiveInt(training?.sequenceLength, positiveInt(model?.maxPositionEmbeddings, 2048)),
    precision: PRECISIONS.includes(training?.precision) ? training.precision : 'bf16',
    optimizer: OPTIMIZERS.includes(training?.optimizer) ? training.optimizer : 'adamw',
    recompute: recompute === 'none' || recompute === 'selective' || recompute === 'full' ? recompute : DEFAULT_RECOMPUTE,
    micro: microSetting,
    exploreMax: microSetting === 'explore' ? positiveInt(training?.microBatchExplore?.max, Infinity) : undefined,
    maxSteps: typeof training?.maxSteps === 'number' && Number.isFinite(training.maxSteps) && training.maxSteps > 0 ? Math.floor(training.maxSteps) : undefined,
  };
}

// ------------------------------------------------------------------------------------------------
// Preparation (cached per structure)

interface Prepared {
  model: ModelDescription;
  structure: ModelStructure;
  job: JobSettings;
  resolved: ResolvedHardware;
  hw: Hardware;
  layers: PreparedLayers;
  headroom: number;
  sramBytes: number;
  budgetBytes: number;
  rates: StreamRates;
  modelFlopsPerToken: number;
  /** Largest micro-batch that keeps the headroom margin (for the warning's suggestion). */
  maxMicroBudget: number;
  /** Largest micro-batch whose working sets and the checkpoints stay inside the headroom budget. */
  maxMicroWithCheckpoints: number;
  /** Largest micro-batch whose working sets fit in SRAM (checkpoints on the activation servers). */
  maxMicroSram: number;
  /** Filled on demand: one entry per micro-batch size evaluated (see `microBatchCost`). */
  microBatchCosts: Map<number, MicroBatchCost>;
  /** Filled on demand: the MemoryX result per capacity (the update time depends on it). */
  memoryxByCapacity: Map<number, MemoryxResult>;
}

const cache = new WeakMap<ModelStructure, Map<string, Prepared>>();

function capacityOf(cluster: ClusterDescription | undefined): number {
  const bytes = cluster?.memoryxCapacityBytes;
  return typeof bytes === 'number' && Number.isFinite(bytes) && bytes > 0 ? bytes : 0;
}

/**
 * Everything that depends on neither the system count, the micro-batch nor the MemoryX capacity,
 * cached per structure and job: a planner varying those three reuses one preparation.
 */
function prepare(input: SimulationInput): Prepared {
  const job = jobSettings(input.model, input.training);
  const headroom = fraction(input.headroomWarning, DEFAULT_HEADROOM);
  const cluster = input.cluster;
  const key = JSON.stringify([job, headroom, cluster?.system, cluster?.overrides]);
  let byKey = cache.get(input.structure);
  const hit = byKey?.get(key);
  if (hit && hit.model === input.model) return hit;

  const resolved = resolveHardware(cluster);
  const hw = resolved.hw;
  const element = weightElementBytes(job.precision);
  const layers = prepareLayers(input.model, input.structure, {
    sequenceLength: job.sequenceLength,
    weightElementBytes: element,
    activationElementBytes: element,
    recompute: job.recompute,
  }, hw);
  const sramBytes = hw.sramBytes;
  const budgetBytes = sramBytes * (1 - headroom);
  let modelFlopsPerToken = 0;
  for (const layer of layers.layers) modelFlopsPerToken += 3 * layer.forwardModelFlopsPerToken;
  const prepared: Prepared = {
    model: input.model,
    structure: input.structure,
    job,
    resolved,
    hw,
    layers,
    headroom,
    sramBytes,
    budgetBytes,
    rates: { ioBandwidth: hw.systemIoBandwidth, checkpointBandwidth: hw.activationServerBandwidth },
    modelFlopsPerToken,
    maxMicroBudget: maxMicroBatch(layers, job.sequenceLength, budgetBytes),
    maxMicroWithCheckpoints: maxMicroBatch(layers, job.sequenceLength, budgetBytes, true),
    maxMicroSram: maxMicroBatch(layers, job.sequenceLength, sramBytes),
    microBatchCosts: new Map(),
    memoryxByCapacity: new Map(),
  };
  if (!byKey) {
    byKey = new Map();
    cache.set(input.structure, byKey);
  }
  if (byKey.size > 32) byKey.clear();
  byKey.set(key, prepared);
  return prepared;
}

/** MemoryX fit and update time for a capacity (cached: a planner asks for a few tiers many times). */
function memoryxAt(p: Prepared, capacityBytes: number): MemoryxResult {
  let result = p.memoryxByCapacity.get(capacityBytes);
  if (!result) {
    result = simulateMemoryx(p.structure, p.job.optimizer, p.job.precision, capacityBytes, p.hw);
    if (p.memoryxByCapacity.size > 64) p.memoryxByCapacity.clear();
    p.memoryxByCapacity.set(capacityBytes, result);
  }
  return result;
}

// ------------------------------------------------------------------------------------------------
// Micro-batch and step time
//
// A step time is built from two parts that do not depend on each other:
//   - `MicroBatchCost`: what one micro-batch of b sequences costs on one system (the wafer working
//     set and where the checkpoints live, the per-layer stream/compute pass of timeline.ts),
//     computed once per micro-batch size whatever the system count;
//   - `SystemsSplit`: how N systems share the global batch and the SwarmX tree latency they add,
//     computed once per system count.
// `stepOf` combines them with the MemoryX update time in a few operations. `simulate`, `sweep`,
// `evaluate` and the planner all go through it, so a plan's step time is the report's.

const divisorCache = new Map<number, number[]>();

/** Divisors of n in increasing order (n up to DIVISOR_SEARCH_LIMIT). */
function divisors(n: number): number[] {
  let list = divisorCache.get(n);
  if (list) return list;
  const small: number[] = [];
  const large: number[] = [];
  for (let d = 1; d * d <= n; d++) {
    if (n % d === 0) {
      small.push(d);
      if (d * d !== n) large.push(n / d);
    }
  }
  list = small.concat(large.reverse());
  if (divisorCache.size > 1024) divisorCache.clear();
  divisorCache.set(n, list);
  return list;
}

/**
 * Largest micro-batch <= limit that divides the per-system batch (0 when limit < 1). When the
 * global batch does not split evenly over the systems (already a configuration error reported
 * elsewhere) there is no exact divisor to respect; the micro-batches are then balanced instead:
 * the fewest accumulation steps the limit allows, each as small as that count permits.
 */
function largestDivisorAtMost(perSystemBatch: number, limit: number, evenSplit = true): number {
  if (limit < 1) return 0;
  if (limit >= perSystemBatch) return perSystemBatch;
  if (!evenSplit) {
    const steps = Math.ceil(perSystemBatch / Math.floor(limit));
    return Math.ceil(perSystemBatch / steps);
  }
  if (perSystemBatch > DIVISOR_SEARCH_LIMIT) return Math.floor(limit);
  const list = divisors(perSystemBatch);
  let best = 1;
  for (const d of list) {
    if (d > limit) break;
    best = d;
  }
  return best;
}

/** One micro-batch size on one system; independent of the system count and the MemoryX capacity. */
export interface MicroBatchCost {
  microBatch: number;
  /** The layer-input checkpoints of every layer fit on the wafer beside the working sets. */
  checkpointsOnWafer: boolean;
  /** The first and the steady micro-batch of a step, from the per-layer pass. */
  timing: MicroBatchTiming;
  /** Peak SRAM use (working set, plus checkpoints when they stay on the wafer). */
  peakBytes: number;
  /** Every layer's working set fits in SRAM. */
  fits: boolean;
  /** 1 - peak / SRAM. */
  headroom: number;
}

/** How many systems share the global batch and what the SwarmX tree adds per step. */
export interface SystemsSplit {
  /** Systems that get work (at most the global batch). */
  systemsUsed: number;
  /** Sequences per system per step (the busiest system when the split is uneven). */
  perSystemBatch: number;
  evenSplit: boolean;
  treeDepth: number;
  /** Broadcast fill plus reduce drain, paid once per step. */
  swarmxSeconds: number;
}

function checkpointsFit(p: Prepared, micro: number): boolean {
  return micro <= p.maxMicroWithCheckpoints;
}

const MICRO_BATCH_COST_CACHE_LIMIT = 4096;

function microBatchCost(p: Prepared, micro: number): MicroBatchCost {
  let cost = p.microBatchCosts.get(micro);
  if (cost) return cost;
  const checkpointsOnWafer = checkpointsFit(p, micro);
  // The same wafer evaluation the report's occupancy comes from, so a plan's fit and headroom are the report's.
  const wafer = evaluateWafer(p.layers, p.job.sequenceLength, micro, p.sramBytes, p.budgetBytes);
  cost = {
    microBatch: micro,
    checkpointsOnWafer,
    timing: timeMicroBatch(p.layers, micro * p.job.sequenceLength, p.rates, !checkpointsOnWafer),
    peakBytes: wafer.peakBytes,
    fits: wafer.fits,
    headroom: p.sramBytes > 0 ? 1 - wafer.peakBytes / p.sramBytes : 0,
  };
  if (p.microBatchCosts.size >= MICRO_BATCH_COST_CACHE_LIMIT) p.microBatchCosts.clear();
  p.microBatchCosts.set(micro, cost);
  return cost;
}

function systemsSplit(p: Prepared, systems: number): SystemsSplit {
  const systemsUsed = Math.max(1, Math.min(Math.floor(systems), p.job.globalBatch));
  const depth = treeDepth(systemsUsed, p.hw.swarmxFanOut);
  return {
    systemsUsed,
    perSystemBatch: Math.ceil(p.job.globalBatch / systemsUsed),
    evenSplit: p.job.globalBatch % systemsUsed === 0,
    treeDepth: depth,
    swarmxSeconds: 2 * depth * p.hw.swarmxLevelLatency,
  };
}

/** Accumulation steps: the busiest system's share of the batch in micro-batches. */
function accumulationStepsOf(p: Prepared, split: SystemsSplit, micro: number): number {
  return Math.max(1, Math.ceil(p.job.globalBatch / (split.systemsUsed * micro)));
}

function stepOf(p: Prepared, cost: MicroBatchCost, split: SystemsSplit, updateSeconds: number): { stepSeconds: number; accumulationSteps: number } {
  const accumulationSteps = accumulationStepsOf(p, split, cost.microBatch);
  return { stepSeconds: stepTiming(cost.timing, accumulationSteps, updateSeconds, split.swarmxSeconds).stepSeconds, accumulationSteps };
}

interface Evaluation extends StepAt {
  microBatchSource: 'config' | 'auto';
  checkpointsOnWafer: boolean;
  updateSeconds: number;
  depth: number;
}

/**
 * The micro-batch for `systems` systems. An explicit number is used as written (capped at the
 * per-system batch); `none` means one micro-batch per system; `auto`/`explore` pick, among the
 * divisors of the per-system batch that keep the headroom margin (so writing auto's choice gives
 * no warning: one rule for auto, the quick fixes and completion), the one with the shortest step;
 * when not even one sequence keeps the margin, the fastest that fits in SRAM at all. Among
 * micro-batches that keep the checkpoints in the same place a larger one is never slower
 * (step = n x T(b) with T(b)/b non-increasing), so only the largest with on-wafer checkpoints and
 * the largest overall are compared.
 */
function resolveMicro(
  p: Prepared,
  split: SystemsSplit,
  setting: MicroBatchSetting,
  updateSeconds: number,
): { micro: number; source: 'config' | 'auto' } {
  const { perSystemBatch, evenSplit } = split;
  if (typeof setting === 'number') return { micro: Math.max(1, Math.min(setting, perSystemBatch)), source: 'config' };
  if (setting === 'none') return { micro: perSystemBatch, source: 'config' };
  const fitLimit = p.maxMicroBudget >= 1 ? p.maxMicroBudget : p.maxMicroSram;
  const limit = setting === 'explore' && p.job.exploreMax !== undefined ? Math.min(fitLimit, p.job.exploreMax) : fitLimit;
  const largest = largestDivisorAtMost(perSystemBatch, limit, evenSplit);
  // Not even one sequence fits: report the smallest micro-batch (the wafer-sram error follows).
  if (largest === 0) return { micro: 1, source: 'auto' };
  const onWafer = largestDivisorAtMost(perSystemBatch, Math.min(p.maxMicroWithCheckpoints, largest), evenSplit);
  if (onWafer === 0 || onWafer === largest) return { micro: largest, source: 'auto' };
  const spillSeconds = stepOf(p, microBatchCost(p, largest), split, updateSeconds).stepSeconds;
  const waferSeconds = stepOf(p, microBatchCost(p, onWafer), split, updateSeconds).stepSeconds;
  return { micro: waferSeconds < spillSeconds ? onWafer : largest, source: 'auto' };
}

function evaluateAt(p: Prepared, systems: number, setting: MicroBatchSetting, updateSeconds: number): Evaluation {
  const split = systemsSplit(p, systems);
  const { micro, source } = resolveMicro(p, split, setting, updateSeconds);
  const cost = microBatchCost(p, micro);
  const step = stepOf(p, cost, split, updateSeconds);
  return {
    stepSeconds: step.stepSeconds,
    microBatchSize: micro,
    accumulationSteps: step.accumulationSteps,
    systemsUsed: split.systemsUsed,
    microBatchSource: source,
    checkpointsOnWafer: cost.checkpointsOnWafer,
    updateSeconds,
    depth: split.treeDepth,
  };
}

function jobSystems(input: SimulationInput): { systems: number; source: TrainingSummary['numCsxSource'] } {
  if (typeof input.systems === 'number' && Number.isFinite(input.systems) && input.systems >= 1) return { systems: Math.floor(input.systems), source: 'cli' };
  const configured = input.training?.numCsx;
  if (typeof configured === 'number' && Number.isFinite(configured) && configured >= 1) return { systems: Math.floor(configured), source: 'config' };
  return { systems: positiveInt(input.cluster?.systems, 1), source: 'cluster' };
}

/** The curve's step time at each size, with the job's micro-batch held (capped by the per-system batch). */
function curveFor(p: Prepared, jobMicro: number, sizes: number[], updateSeconds: number): ScalingPoint[] {
  return scalingCurve(sizes, (systems) => evaluateAt(p, systems, jobMicro, updateSeconds));
}

/** Tokens a run trains on: the config's max_steps x batch x sequence, or Chinchilla's tokens per parameter. */
export interface TrainingTokens {
  tokens: number;
  source: 'config' | 'chinchilla';
  basis: string;
}

function trainingTokens(p: Prepared, structure: ModelStructure): TrainingTokens {
  const { job, hw } = p;
  const s = job.sequenceLength;
  if (job.maxSteps) {
    return {
      tokens: job.maxSteps * job.globalBatch * s,
      source: 'config',
      basis: `max_steps ${formatInteger(job.maxSteps)} x batch ${formatInteger(job.globalBatch)} x ${formatInteger(s)} tokens (from the config)`,
    };
  }
  const parameters = Number(structure.totalParameters > 0n ? structure.totalParameters : 0n);
  return {
    tokens: hw.chinchillaTokensPerParameter * parameters,
    source: 'chinchilla',
    basis: `${hw.chinchillaTokensPerParameter} tokens per parameter (Chinchilla compute-optimal; the config sets no max_steps)`,
  };
}

function updateSecondsOf(p: Prepared, input: SimulationInput): number {
  return memoryxAt(p, capacityOf(input.cluster)).updateSeconds;
}

// ------------------------------------------------------------------------------------------------
// Public API

/** Step time (and what produced it) of the config on `systems` systems; cheap (one pass over the layers). */
export function evaluate(input: SimulationInput, systems: number): StepAt {
  try {
    const p = prepare(input);
    const e = evaluateAt(p, positiveInt(systems, 1), p.job.micro, updateSecondsOf(p, input));
    return { stepSeconds: e.stepSeconds, microBatchSize: e.microBatchSize, accumulationSteps: e.accumulationSteps, systemsUsed: e.systemsUsed };
  } catch {
    return { stepSeconds: 0, microBatchSize: 1, accumulationSteps: 1, systemsUsed: 1 };
  }
}

/** Speedup and efficiency of the config for each system count (the job's micro-batch held fixed). */
export function sweep(input: SimulationInput, systemsList: number[]): ScalingPoint[] {
  try {
    const p = prepare(input);
    const job = jobSystems(input);
    const updateSeconds = updateSecondsOf(p, input);
    const jobMicro = evaluateAt(p, job.systems, p.job.micro, updateSeconds).microBatchSize;
    const wanted = new Set(systemsList.filter((n) => Number.isFinite(n) && n >= 1).map((n) => Math.floor(n)));
    return curveFor(p, jobMicro, [1, ...wanted], updateSeconds).filter((point) => wanted.has(point.systems));
  } catch {
    return [];
  }
}

/**
 * The simulator's step time as a function of (systems, micro-batch, MemoryX capacity), for a
 * planner that evaluates thousands of points: the preparation is shared, each micro-batch size is
 * costed once (`MicroBatchCost`) and each system count split once (`SystemsSplit`), so a point is a
 * few operations. `stepAt` returns exactly what `simulate` reports for the same config with
 * `micro_batch_size` pinned, `--systems` and the cluster's MemoryX set to the capacity.
 */
export interface StepEvaluator {
  globalBatch: number;
  sequenceLength: number;
  hw: Hardware;
  /** Bytes of model state MemoryX must hold (independent of the capacity). */
  memoryxRequiredBytes: number;
  /** Largest micro-batch whose working sets fit in SRAM (0: none fits). */
  largestMicroBatch: number;
  /**
   * Largest micro-batch that also keeps the headroom margin (0: none does). The one micro-batch
   * rule: what auto picks, what a fix or a plan writes, stays at or under it when it is >= 1.
   */
  largestMicroBatchWithHeadroom: number;
  /** The config's own run: its systems, MemoryX capacity and the micro-batch the report shows. */
  configRun: { systems: number; memoryxCapacityBytes: number; microBatch: number };
  /** Bytes of one activation element (2 under mixed precision). */
  activationElementBytes: number;
  /** The hardware constants in use, with their sources (cluster overrides applied). */
  constants: ConstantUse[];
  trainingTokens: TrainingTokens;
  memoryxAt(capacityBytes: number): MemoryxResult;
  microBatchCost(microBatch: number): MicroBatchCost;
  systemsSplit(systems: number): SystemsSplit;
  /** Step time of `microBatch` (at most the per-system batch) on `systems` systems with `updateSeconds` of MemoryX update. */
  stepOf(cost: MicroBatchCost, split: SystemsSplit, updateSeconds: number): { stepSeconds: number; accumulationSteps: number };
}

export function stepEvaluator(input: SimulationInput): StepEvaluator | undefined {
  try {
    const p = prepare(input);
    const systems = jobSystems(input).systems;
    const capacity = capacityOf(input.cluster);
    return {
      globalBatch: p.job.globalBatch,
      sequenceLength: p.job.sequenceLength,
      hw: p.hw,
      memoryxRequiredBytes: memoryxAt(p, 0).requiredBytes,
      largestMicroBatch: p.maxMicroSram,
      largestMicroBatchWithHeadroom: p.maxMicroBudget,
      configRun: { systems, memoryxCapacityBytes: capacity, microBatch: evaluateAt(p, systems, p.job.micro, memoryxAt(p, capacity).updateSeconds).microBatchSize },
      activationElementBytes: p.layers.activationElementBytes,
      constants: p.resolved.constants,
      trainingTokens: trainingTokens(p, input.structure),
      memoryxAt: (capacity) => memoryxAt(p, capacity),
      microBatchCost: (micro) => microBatchCost(p, positiveInt(micro, 1)),
      systemsSplit: (systems) => systemsSplit(p, positiveInt(systems, 1)),
      stepOf: (cost, split, updateSeconds) => stepOf(p, cost, split, updateSeconds),
    };
  } catch {
    return undefined;
  }
}

export function simulate(input: SimulationInput): SimulationOutput {
  try {
    return simulateUnsafe(input);
  } catch (error) {
    return failedSimulation(input, error);
  }
}

function simulateUnsafe(input: SimulationInput): SimulationOutput {
  const p = prepare(input);
  const { job, hw } = p;
  const requested = jobSystems(input);
  const findings: Finding[] = [];

  const memoryx = memoryxAt(p, capacityOf(input.cluster));
  const evaluation = evaluateAt(p, requested.systems, job.micro, memoryx.updateSeconds);
  const micro = evaluation.microBatchSize;
  const s = job.sequenceLength;
  const tokensPerMicroBatch = micro * s;

  const training: TrainingSummary = {
    globalBatchSize: job.globalBatch,
    microBatchSize: micro,
    microBatchSource: evaluation.microBatchSource,
    numCsx: requested.systems,
    numCsxSource: requested.source,
    accumulationSteps: evaluation.accumulationSteps,
    optimizer: job.optimizer,
    precision: job.precision,
    sequenceLength: s,
  };

  const split = systemsSplit(p, evaluation.systemsUsed);
  const perSystemBatch = split.perSystemBatch;
  const recommended = p.maxMicroSram >= 1 ? resolveMicro(p, split, 'auto', memoryx.updateSeconds).micro : 0;
  const wafer = waferResult(p.layers, s, micro, p.sramBytes, p.budgetBytes, {
    recommendedMicroBatch: recommended,
    largestFittingMicroBatch: largestDivisorAtMost(perSystemBatch, p.maxMicroSram, split.evenSplit),
    headroomTarget: p.headroom,
  });

  const timeToTrain = trainingTokens(p, input.structure);
  const peakName = `dense FP16 ${formatFlops(hw.denseFp16Flops)} per ${hw.preset.toUpperCase()}${hw.denseFp16PeakIsAssumption ? ' (assumption)' : ''}`;
  const timeline = buildTimeline({
    prepared: p.layers,
    tokensPerMicroBatch,
    rates: p.rates,
    checkpointsOffWafer: !evaluation.checkpointsOnWafer,
    accumulationSteps: evaluation.accumulationSteps,
    updateSeconds: memoryx.updateSeconds,
    swarmxLevelLatency: hw.swarmxLevelLatency,
    treeDepth: evaluation.depth,
    systems: evaluation.systemsUsed,
    tokensPerStep: job.globalBatch * s,
    modelFlopsPerToken: p.modelFlopsPerToken,
    peak: { flops: hw.denseFp16Flops, name: peakName },
    timeToTrain,
  });

  const sizes = scalingSizes(hw.maxSystems, requested.systems);
  const curve = curveFor(p, micro, sizes, memoryx.updateSeconds);
  const scaling = scalingResult(requested.systems, curve);

  findings.push(...memoryxFindings(p, memoryx));
  findings.push(...waferFindings(p, wafer, micro, perSystemBatch));
  // A run that cannot fit has no I/O balance to tune: the fit errors say what to change first.
  if (wafer.fits) findings.push(...ioFindings(p, microBatchCost(p, micro), evaluation.microBatchSource, split));
  const configured = input.training?.numCsx;
  const clusterSystems = positiveInt(input.cluster?.systems, 1);
  if (typeof configured === 'number' && Number.isFinite(configured) && configured > clusterSystems) {
    findings.push({
      code: 'num-csx-exceeds-cluster',
      severity: 'error',
      message: `num_csx is ${formatInteger(configured)} but the cluster '${input.cluster?.name ?? ''}' has ${formatInteger(clusterSystems)} ${hw.preset.toUpperCase()} system${clusterSystems === 1 ? '' : 's'}.`,
      field: 'training.numCsx',
      fixes: [{ field: 'training.numCsx', value: clusterSystems, title: `Use the cluster's ${clusterSystems} system${clusterSystems === 1 ? '' : 's'}` }],
    });
  }

  return {
    training,
    memoryx,
    wafer,
    timeline,
    scaling,
    constants: p.resolved.constants,
    findings,
    unknownOverrides: p.resolved.unknownOverrides,
  };
}

// ------------------------------------------------------------------------------------------------
// Findings

function memoryxFindings(p: Prepared, m: MemoryxResult): Finding[] {
  const findings: Finding[] = [];
  const b = m.breakdown;
  const parts = `weights ${formatBytes(b.weights)} + gradients ${formatBytes(b.gradients)} + master weights ${formatBytes(b.masterWeights)} + optimizer state ${formatBytes(b.optimizerState)}`;
  if (!m.fits) {
    const tier = m.recommendedTierBytes !== null ? p.hw.memoryxTiers.find((t) => t.bytes === m.recommendedTierBytes) : undefined;
    const finding: Finding = {
      code: 'memoryx-capacity',
      severity: 'error',
      message:
        `The model state needs ${formatBytes(m.requiredBytes)} in MemoryX (${parts}; ${m.bytesPerParameter.toFixed(1)} B/parameter) ` +
        `but the cluster has ${formatBytes(m.capacityBytes)}.` +
        (tier ? ` The smallest MemoryX that holds it is ${tier.label}${tier.deployedOnly ? ' (the configuration of the 1T run, not a catalogue tier)' : ''}.` : ' No announced MemoryX tier is that large.'),
      field: 'cluster.memoryxCapacity',
      related: MODEL_STATE_DRIVERS,
    };
    if (tier) finding.fixes = [{ field: 'cluster.memoryxCapacity', value: tier.label, title: `Use a ${tier.label} MemoryX` }];
    findings.push(finding);
  } else if (m.capacityBytes > 0 && 1 - m.requiredBytes / m.capacityBytes < p.headroom) {
    const finding: Finding = {
      code: 'memoryx-headroom',
      severity: 'warning',
      message: `The model state uses ${formatPercent(m.requiredBytes / m.capacityBytes)} of MemoryX (${formatBytes(m.requiredBytes)} of ${formatBytes(m.capacityBytes)}); less than ${formatPercent(p.headroom, 0)} headroom.`,
      field: 'cluster.memoryxCapacity',
      related: MODEL_STATE_DRIVERS,
    };
    // The next tier up that restores the margin (a bigger one that still warns would be no fix).
    const next = p.hw.memoryxTiers.find((t) => t.bytes > m.capacityBytes && 1 - m.requiredBytes / t.bytes >= p.headroom);
    if (next) finding.fixes = [{ field: 'cluster.memoryxCapacity', value: next.label, title: `Use a ${next.label} MemoryX` }];
    findings.push(finding);
  }
  return findings;
}

/** The keys whose values make up the model state in MemoryX (related information of its diagnostics). */
const MODEL_STATE_DRIVERS: NonNullable<Finding['related']> = [
  { field: 'model.numLayers', message: 'layers: the model state grows with each one' },
  { field: 'model.hiddenSize', message: 'hidden size: parameters per layer grow with its square' },
  { field: 'model.ffnSize', message: 'FFN size: the MLP parameters of every layer' },
  { field: 'model.vocabSize', message: 'vocabulary: the embedding (and an untied LM head)' },
  { field: 'training.optimizer', message: 'optimizer: its state in bytes per parameter' },
  { field: 'training.precision', message: 'precision: bytes of weights, gradients and master copy' },
];

/** The keys whose values make up a layer's working set on the wafer. */
const WAFER_DRIVERS: NonNullable<Finding['related']> = [
  { field: 'training.microBatchSize', message: 'micro-batch: activations grow with it' },
  { field: 'training.sequenceLength', message: 'sequence length: activations grow with it' },
  { field: 'model.hiddenSize', message: "hidden size: the layer's weights and activations" },
  { field: 'model.ffnSize', message: "FFN size: the layer's weights and activations" },
];

function waferFindings(p: Prepared, wafer: WaferResult, micro: number, perSystemBatch: number): Finding[] {
  const sram = p.sramBytes;
  const peak = wafer.peakLayer.name;
  const recommended = wafer.recommendedMicroBatch;
  const largest = wafer.largestFittingMicroBatch;
  const margin = formatPercent(p.headroom, 0);
  const relatedTo = (field: string) => WAFER_DRIVERS.filter((r) => r.field !== field);
  const microFixes = (): NonNullable<Finding['fixes']> => {
    const fixes: NonNullable<Finding['fixes']> = [];
    if (recommended >= 1 && recommended !== micro) {
      fixes.push({ field: 'training.microBatchSize', value: recommended, title: `Set micro_batch_size to ${recommended} (keeps ${margin} headroom)` });
    }
    if (largest >= 1 && largest !== micro && largest !== recommended) {
      fixes.push({ field: 'training.microBatchSize', value: largest, title: `Set micro_batch_size to ${largest} (largest that fits)` });
    }
    return fixes;
  };
  if (!wafer.fits) {
    const layerFixed = p.layers.layers.reduce((max, l) => Math.max(max, fixedBytes(l, p.layers)), 0);
    if (p.maxMicroSram === 0 && layerFixed > sram) {
      return [{
        code: 'wafer-sram',
        severity: 'error',
        message: `Layer '${peak}' needs ${formatBytes(wafer.peakBytes)} on the wafer at micro-batch ${formatInteger(micro)}, ${formatBytes(layerFixed)} of it for its weights and buffers alone, more than the ${formatBytes(sram)} of SRAM: no micro-batch fits.`,
        field: 'model.hiddenSize',
        related: relatedTo('model.hiddenSize').filter((r) => r.field.startsWith('model.')),
      }];
    }
    if (p.maxMicroSram === 0) {
      return [{
        code: 'wafer-sram',
        severity: 'error',
        message: `Layer '${peak}' needs ${formatBytes(wafer.peakBytes)} on the wafer at micro-batch ${formatInteger(micro)} (SRAM ${formatBytes(sram)}); even one sequence of ${formatInteger(p.job.sequenceLength)} tokens does not fit.`,
        field: 'training.sequenceLength',
        related: relatedTo('training.sequenceLength'),
      }];
    }
    return [{
      code: 'wafer-sram',
      severity: 'error',
      message:
        `Layer '${peak}' needs ${formatBytes(wafer.peakBytes)} on the wafer at micro-batch ${formatInteger(micro)} (SRAM ${formatBytes(sram)}). ` +
        (recommended >= 1 ? `Micro-batch ${formatInteger(recommended)} fits with ${margin} headroom` : '') +
        (largest >= 1 && largest !== recommended ? `; ${formatInteger(largest)} is the largest that fits (per-system batch ${formatInteger(perSystemBatch)}).` : '.'),
      field: 'training.microBatchSize',
      fixes: microFixes(),
      related: relatedTo('training.microBatchSize'),
    }];
  }
  if (wafer.headroom >= p.headroom) return [];
  const keeps = p.maxMicroBudget >= 1 && recommended >= 1 && recommended !== micro;
  return [{
    code: 'wafer-headroom',
    severity: 'warning',
    message:
      `At micro-batch ${formatInteger(micro)} the wafer is ${formatPercent(1 - wafer.headroom)} full (${formatBytes(wafer.peakBytes)} of ${formatBytes(sram)}, ` +
      `peak in '${peak}'); less than ${margin} headroom.` +
      (keeps ? ` Micro-batch ${formatInteger(recommended)} keeps the margin.` : ' Not even micro-batch 1 keeps the margin.'),
    field: 'training.microBatchSize',
    fixes: keeps ? [{ field: 'training.microBatchSize', value: recommended, title: `Set micro_batch_size to ${recommended} (keeps ${margin} headroom)` }] : [],
    related: relatedTo('training.microBatchSize'),
  }];
}

function ioFindings(p: Prepared, cost: MicroBatchCost, source: 'config' | 'auto', split: SystemsSplit): Finding[] {
  const timing = cost.timing;
  const tokens = cost.microBatch * p.job.sequenceLength;
  const streaming = timing.streamForward + timing.streamBackward;
  const compute = timing.computeForward + timing.computeBackward;
  if (!(streaming > compute) || compute <= 0) return [];
  const needed = Math.ceil((tokens * streaming) / compute);
  const sequences = Math.ceil(needed / Math.max(1, p.job.sequenceLength));
  // Advice the user can follow is a warning; a micro-batch that would bring a wafer error or a
  // headroom warning is no advice, so then it is a note of what bounds the step.
  const beyondWafer = sequences > p.maxMicroSram;
  // The micro-batches the one rule allows: divisors of the per-system batch that keep the margin.
  const allowed = p.maxMicroBudget >= 1 ? largestDivisorAtMost(split.perSystemBatch, p.maxMicroBudget, split.evenSplit) : 0;
  const beyondMargin = !beyondWafer && allowed < sequences;
  const margin = formatPercent(p.headroom, 0);
  return [
    {
      code: 'io-bound',
      severity: beyondWafer || beyondMargin ? 'information' : 'warning',
      message:
        `Weight streaming is not hidden by compute: a micro-batch of ${formatInteger(tokens)} tokens computes for ${formatSeconds(compute)} ` +
        `while its weights stream for ${formatSeconds(streaming)} at ${formatBytes(p.rates.ioBandwidth)}/s. About ${formatInteger(needed)} tokens ` +
        `per micro-batch (${formatInteger(sequences)} sequences) would be needed` +
        (beyondWafer
          ? `, more than fit on the wafer (${formatInteger(p.maxMicroSram)}): the step stays bound by the weight stream.`
          : beyondMargin
            ? `; the largest micro-batch that divides the per-system batch of ${formatInteger(split.perSystemBatch)} and keeps ${margin} headroom is ${formatInteger(allowed)}, so the step stays bound by the weight stream at this batch and headroom.`
            : `; micro-batch ${formatInteger(allowed)} (the largest that keeps ${margin} headroom) carries enough.`) +
        (source === 'auto' ? ' (micro-batch chosen automatically)' : ''),
      field: 'training.microBatchSize',
      fixes:
        beyondWafer || beyondMargin || allowed === cost.microBatch
          ? []
          : [{ field: 'training.microBatchSize', value: allowed, title: `Set micro_batch_size to ${allowed} (hides the weight stream, keeps ${margin} headroom)` }],
    },
  ];
}

// ------------------------------------------------------------------------------------------------
// Heatmap

export interface HeatmapRequest {
  uri: string;
  layer: number;
}

/**
 * Per-PE arrays of one layer at the simulated micro-batch (lazy: one layer per call). Utilization
 * is measured against the layer's forward bar on the timeline the report shows (same micro-batch,
 * same checkpoint placement), so a layer that waits for its weights shows the wait on every PE.
 */
export function heatmapArrays(input: SimulationInput, layerIndex: number): { heatmap: LayerHeatmap; layerName: string; layerCount: number; layer: number } | undefined {
  try {
    const p = prepare(input);
    const count = p.layers.layers.length;
    if (count === 0) return undefined;
    const index = Math.max(0, Math.min(count - 1, Math.floor(Number.isFinite(layerIndex) ? layerIndex : 0)));
    const layer = p.layers.layers[index];
    const requested = jobSystems(input);
    const evaluation = evaluateAt(p, requested.systems, p.job.micro, updateSecondsOf(p, input));
    const tokens = evaluation.microBatchSize * p.job.sequenceLength;
    const wafer = evaluateWafer(p.layers, p.job.sequenceLength, evaluation.microBatchSize, p.sramBytes, p.budgetBytes);
    const shared = layer.resident.total * tokens + (PREFETCH_SLICES + GRADIENT_SLICES) * layer.sliceBytes + layer.vectorBytes;
    const bars: TimelineBar[] = [];
    timeMicroBatch(p.layers, tokens, p.rates, !evaluation.checkpointsOnWafer, bars);
    const forward = bars.filter((bar) => bar.lane === 'forward')[index];
    const computeSeconds = layer.forwardSecondsPerToken * tokens;
    const heatmap = layerHeatmap(
      layer.mapping,
      {
        weightElementBytes: p.layers.weightElementBytes,
        sharedBytes: shared,
        workspacePerPeBytes: p.hw.workspacePerPeBytes,
        checkpointBytes: wafer.checkpointsOnWafer ? checkpointsPresent(p, index) * tokens : 0,
      },
      p.hw.sramPerCoreBytes,
      {
        computeSeconds,
        wallSeconds: forward ? forward.end - forward.start : computeSeconds,
        tokens,
        lookupSecondsPerElement: lookupSecondsPerElement(p.layers.weightElementBytes, p.hw.clockHz),
      },
    );
    return { heatmap, layerName: layer.name, layerCount: count, layer: index };
  } catch {
    return undefined;
  }
}

function checkpointsPresent(p: Prepared, index: number): number {
  let sum = 0;
  for (let i = 0; i < index; i++) sum += p.layers.layers[i].checkpointPerToken;
  return p.layers.layers[index].kind === 'embedding' ? 0 : sum;
}

/** The protocol payload for one layer's heatmap. */
export function heatmapForLayer(input: SimulationInput, request: HeatmapRequest): HeatmapPayload | undefined {
  const result = heatmapArrays(input, request.layer);
  if (!result) return undefined;
  const hw = resolveHardware(input.cluster).hw;
  return encodeHeatmap(result.heatmap, {
    uri: request.uri,
    layer: result.layer,
    layerName: result.layerName,
    layerCount: result.layerCount,
    sramPerPeBytes: hw.sramPerCoreBytes,
    dies: { columns: hw.dieColumns, rows: hw.dieRows, assumption: hw.dieLayoutAssumed },
  });
}

// ------------------------------------------------------------------------------------------------
// Failure

function failedSimulation(input: SimulationInput, error: unknown): SimulationOutput {
  const resolved = resolveHardware(input?.cluster);
  const hw = resolved.hw;
  const message = error instanceof Error ? error.message : String(error);
  return {
    training: {
      globalBatchSize: 0,
      microBatchSize: 0,
      microBatchSource: 'auto',
      numCsx: 1,
      numCsxSource: 'cluster',
      accumulationSteps: 0,
      optimizer: 'adamw',
      precision: 'bf16',
      sequenceLength: 0,
    },
    memoryx: {
      requiredBytes: 0,
      capacityBytes: 0,
      fits: false,
      breakdown: { weights: 0, gradients: 0, masterWeights: 0, optimizerState: 0 },
      bytesPerParameter: 0,
      recommendedTierBytes: null,
      vendorRuleBytes: 0,
      updateSeconds: 0,
    },
    wafer: {
      sramBytes: hw.sramBytes,
      perLayerPeakBytes: 0,
      activationBytesPerLayer: 0,
      fits: false,
      microBatch: 0,
      maxMicroBatch: 0,
      recommendedMicroBatch: 0,
      largestFittingMicroBatch: 0,
      headroomTarget: DEFAULT_HEADROOM,
      peakBytes: 0,
      peakLayer: { index: 0, name: '' },
      headroom: 1,
      largestLayer: { index: 0, name: '', parameters: 0, bytes: 0 },
      checkpoints: { bytes: 0, location: 'wafer' },
      layers: [],
    },
    timeline: {
      stepSeconds: 0,
      tokensPerSecond: 0,
      mfu: 0,
      peak: { flops: hw.denseFp16Flops, name: 'dense FP16' },
      bottleneck: 'compute',
      phases: [],
      bars: [],
      microBatchSeconds: 0,
      accumulationSteps: 0,
      timeToTrain: { tokens: 0, seconds: 0, basis: '' },
    },
    scaling: { systems: 1, speedupVs1: 1, efficiency: 1, curve: [] },
    constants: resolved.constants,
    findings: [{ code: 'internal-error', severity: 'error', message: `The simulator could not run: ${message}`, field: 'model.block' }],
    unknownOverrides: resolved.unknownOverrides,
  };
}

