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
import { buildTimeline, stepTiming, timeMicroBatch, treeDepth, type StreamRates } from './timeline';
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
  memoryx: MemoryxResult;
  capacityBytes: number;
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
}

const cache = new WeakMap<ModelStructure, Map<string, Prepared>>();

function prepare(input: SimulationInput): Prepared {
  const job = jobSettings(input.model, input.training);
  const headroom = fraction(input.headroomWarning, DEFAULT_HEADROOM);
  const cluster = input.cluster;
  const capacityBytes = typeof cluster?.memoryxCapacityBytes === 'number' && Number.isFinite(cluster.memoryxCapacityBytes) && cluster.memoryxCapacityBytes > 0 ? cluster.memoryxCapacityBytes : 0;
  const key = JSON.stringify([job, headroom, cluster?.system, cluster?.overrides, capacityBytes]);
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
  const memoryx = simulateMemoryx(input.structure, job.optimizer, job.precision, capacityBytes, hw);
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
    memoryx,
    capacityBytes,
    headroom,
    sramBytes,
    budgetBytes,
    rates: { ioBandwidth: hw.systemIoBandwidth, checkpointBandwidth: hw.activationServerBandwidth },
    modelFlopsPerToken,
    maxMicroBudget: maxMicroBatch(layers, job.sequenceLength, budgetBytes),
    maxMicroWithCheckpoints: maxMicroBatch(layers, job.sequenceLength, budgetBytes, true),
    maxMicroSram: maxMicroBatch(layers, job.sequenceLength, sramBytes),
  };
  if (!byKey) {
    byKey = new Map();
    cache.set(input.structure, byKey);
  }
  if (byKey.size > 32) byKey.clear();
  byKey.set(key, prepared);
  return prepared;
}

// ------------------------------------------------------------------------------------------------
// Micro-batch and step time

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

interface Evaluation extends StepAt {
  microBatchSource: 'config' | 'auto';
  checkpointsOnWafer: boolean;
  updateSeconds: number;
  depth: number;
}

function stepSecondsFor(p: Prepared, micro: number, accumulation: number, checkpointsOnWafer: boolean, depth: number): number {
  const timing = timeMicroBatch(p.layers, micro * p.job.sequenceLength, p.rates, !checkpointsOnWafer);
  return stepTiming(timing, accumulation, p.memoryx.updateSeconds, 2 * depth * p.hw.swarmxLevelLatency).stepSeconds;
}

function checkpointsFit(p: Prepared, micro: number): boolean {
  return micro <= p.maxMicroWithCheckpoints;
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
  perSystemBatch: number,
  evenSplit: boolean,
  setting: MicroBatchSetting,
  depth: number,
): { micro: number; source: 'config' | 'auto' } {
  if (typeof setting === 'number') return { micro: Math.max(1, Math.min(setting, perSystemBatch)), source: 'config' };
  if (setting === 'none') return { micro: perSystemBatch, source: 'config' };
  const limit = p.maxMicroBudget >= 1 ? p.maxMicroBudget : p.maxMicroSram;
  const largest = largestDivisorAtMost(perSystemBatch, limit, evenSplit);
  // Not even one sequence fits: report the smallest micro-batch (the wafer-sram error follows).
  if (largest === 0) return { micro: 1, source: 'auto' };
  const onWafer = largestDivisorAtMost(perSystemBatch, Math.min(p.maxMicroWithCheckpoints, largest), evenSplit);
  if (onWafer === 0 || onWafer === largest) return { micro: largest, source: 'auto' };
  const spillSeconds = stepSecondsFor(p, largest, Math.ceil(perSystemBatch / largest), false, depth);
  const waferSeconds = stepSecondsFor(p, onWafer, Math.ceil(perSystemBatch / onWafer), true, depth);
  return { micro: waferSeconds < spillSeconds ? onWafer : largest, source: 'auto' };
}

function evaluateAt(p: Prepared, systems: number, setting: MicroBatchSetting): Evaluation {
  const systemsUsed = Math.max(1, Math.min(Math.floor(systems), p.job.globalBatch));
  const perSystemBatch = Math.ceil(p.job.globalBatch / systemsUsed);
  const depth = treeDepth(systemsUsed, p.hw.swarmxFanOut);
  const evenSplit = p.job.globalBatch % systemsUsed === 0;
  const { micro, source } = resolveMicro(p, perSystemBatch, evenSplit, setting, depth);
  const accumulationSteps = Math.max(1, Math.ceil(p.job.globalBatch / (systemsUsed * micro)));
  const checkpointsOnWafer = checkpointsFit(p, micro);
  return {
    stepSeconds: stepSecondsFor(p, micro, accumulationSteps, checkpointsOnWafer, depth),
    microBatchSize: micro,
    accumulationSteps,
    systemsUsed,
    microBatchSource: source,
    checkpointsOnWafer,
    updateSeconds: p.memoryx.updateSeconds,
    depth,
  };
}

function jobSystems(input: SimulationInput): { systems: number; source: TrainingSummary['numCsxSource'] } {
  if (typeof input.systems === 'number' && Number.isFinite(input.systems) && input.systems >= 1) return { systems: Math.floor(input.systems), source: 'cli' };
  const configured = input.training?.numCsx;
  if (typeof configured === 'number' && Number.isFinite(configured) && configured >= 1) return { systems: Math.floor(configured), source: 'config' };
  return { systems: positiveInt(input.cluster?.systems, 1), source: 'cluster' };
}

/** The curve's step time at each size, with the job's micro-batch held (capped by the per-system batch). */
function curveFor(p: Prepared, jobMicro: number, sizes: number[]): ScalingPoint[] {
  return scalingCurve(sizes, (systems) => evaluateAt(p, systems, jobMicro));
}

// ------------------------------------------------------------------------------------------------
// Public API

/** Step time (and what produced it) of the config on `systems` systems; cheap (one pass over the layers). */
export function evaluate(input: SimulationInput, systems: number): StepAt {
  try {
    const p = prepare(input);
    const e = evaluateAt(p, positiveInt(systems, 1), p.job.micro === 'explore' ? 'auto' : p.job.micro);
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
    const jobMicro = evaluateAt(p, job.systems, p.job.micro).microBatchSize;
    const wanted = new Set(systemsList.filter((n) => Number.isFinite(n) && n >= 1).map((n) => Math.floor(n)));
    return curveFor(p, jobMicro, [1, ...wanted]).filter((point) => wanted.has(point.systems));
  } catch {
    return [];
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

  const evaluation = evaluateAt(p, requested.systems, job.micro);
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

  const memoryx = p.memoryx;
  const perSystemBatch = Math.ceil(job.globalBatch / evaluation.systemsUsed);
  const evenSplit = job.globalBatch % evaluation.systemsUsed === 0;
  const recommended = p.maxMicroSram >= 1 ? resolveMicro(p, perSystemBatch, evenSplit, 'auto', evaluation.depth).micro : 0;
  const wafer = waferResult(p.layers, s, micro, p.sramBytes, p.budgetBytes, {
    recommendedMicroBatch: recommended,
    largestFittingMicroBatch: largestDivisorAtMost(perSystemBatch, p.maxMicroSram, evenSplit),
    headroomTarget: p.headroom,
  });

  const parameters = Number(input.structure.totalParameters > 0n ? input.structure.totalParameters : 0n);
  const timeToTrain = job.maxSteps
    ? { tokens: job.maxSteps * job.globalBatch * s, basis: `max_steps ${formatInteger(job.maxSteps)} x batch ${formatInteger(job.globalBatch)} x ${formatInteger(s)} tokens (from the config)` }
    : {
        tokens: hw.chinchillaTokensPerParameter * parameters,
        basis: `${hw.chinchillaTokensPerParameter} tokens per parameter (Chinchilla compute-optimal; the config sets no max_steps)`,
      };
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
  const curve = curveFor(p, micro, sizes);
  const scaling = scalingResult(requested.systems, curve);

  findings.push(...memoryxFindings(p));
  findings.push(...waferFindings(p, wafer, micro, perSystemBatch));
  // A run that cannot fit has no I/O balance to tune: the fit errors say what to change first.
  if (wafer.fits) findings.push(...ioFindings(p, tokensPerMicroBatch, evaluation.checkpointsOnWafer, evaluation.microBatchSource));
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

function memoryxFindings(p: Prepared): Finding[] {
  const m = p.memoryx;
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

function ioFindings(p: Prepared, tokens: number, checkpointsOnWafer: boolean, source: 'config' | 'auto'): Finding[] {
  const timing = timeMicroBatch(p.layers, tokens, p.rates, !checkpointsOnWafer);
  const streaming = timing.streamForward + timing.streamBackward;
  const compute = timing.computeForward + timing.computeBackward;
  if (!(streaming > compute) || compute <= 0) return [];
  const needed = Math.ceil((tokens * streaming) / compute);
  const sequences = Math.ceil(needed / Math.max(1, p.job.sequenceLength));
  return [
    {
      code: 'io-bound',
      severity: 'warning',
      message:
        `Weight streaming is not hidden by compute: a micro-batch of ${formatInteger(tokens)} tokens computes for ${formatSeconds(compute)} ` +
        `while its weights stream for ${formatSeconds(streaming)} at ${formatBytes(p.rates.ioBandwidth)}/s. About ${formatInteger(needed)} tokens ` +
        `per micro-batch (${formatInteger(sequences)} sequences) would be needed` +
        (sequences > p.maxMicroSram ? `, more than fit on the wafer (${formatInteger(p.maxMicroSram)}).` : '.') +
        (source === 'auto' ? ' (micro-batch chosen automatically)' : ''),
      field: 'training.microBatchSize',
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
    const evaluation = evaluateAt(p, requested.systems, p.job.micro);
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

