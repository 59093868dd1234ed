/**
 * The report: everything WaferScope knows about one config file, in the shape the CLI prints with
 * `--json` and the language server sends to the panel. One producer (`analyze.ts`) builds it for
 * both, so the CLI and the editor always agree.
 */
import type { ConfigFormat, CoreDiagnostic, Optimizer, Precision } from './types';

/** How the status bar and the panel summarise a document. */
export type FitStatus = 'fits' | 'does-not-fit' | 'invalid' | 'not-modelled' | 'cluster' | 'not-a-config';

export interface ModelSummary {
  family: string;
  architecture: string;
  /** JSON numbers; exact (below 2^53 for any model we accept). */
  parameters: number;
  activeParameters: number;
  embeddingParameters: number;
  layers: number;
  hiddenSize: number;
  numHeads: number;
  numKvHeads: number;
  ffnSize: number;
  vocabSize: number;
  sequenceLength: number;
  experts?: { routed: number; topK: number; shared: number };
  /** Present when the count is approximate (a model type read as another, `waferscope.readAs`); absent = exact. Every surface then prints "≈" before it. */
  approximation?: { readAs: string; reason: string };
  /** transformers class the architecture follows. */
  definition?: string;
}

export interface TrainingSummary {
  globalBatchSize: number;
  /** The micro-batch actually simulated (resolved when the config says auto/explore/none). */
  microBatchSize: number;
  microBatchSource: 'config' | 'auto';
  /** Systems the job runs on. */
  numCsx: number;
  numCsxSource: 'config' | 'cluster' | 'cli';
  /** Micro-batches per system per step (gradient accumulation). */
  accumulationSteps: number;
  optimizer: Optimizer;
  precision: Precision;
  sequenceLength: number;
}

export interface ClusterSummary {
  name: string;
  system: string;
  systems: number;
  memoryxCapacityBytes: number;
  origin: 'file' | 'setting' | 'default';
  file?: string;
}

export interface MemoryxBreakdown {
  /** 16-bit (or fp32) weights as streamed to the wafer. */
  weights: number;
  gradients: number;
  /** fp32 master copy (mixed precision only). */
  masterWeights: number;
  /** Optimizer moments (Adam m and v, SGD momentum, ...). */
  optimizerState: number;
}

export interface MemoryxResult {
  requiredBytes: number;
  capacityBytes: number;
  fits: boolean;
  breakdown: MemoryxBreakdown;
  bytesPerParameter: number;
  /** Smallest announced MemoryX tier for this system that holds requiredBytes (null: none does). */
  recommendedTierBytes: number | null;
  /** The vendor's ~50 bytes/parameter sizing, shown beside the model as a cross-check. */
  vendorRuleBytes: number;
  /** Time of the optimizer update inside MemoryX at the iteration boundary. */
  updateSeconds: number;
}

export interface LayerMemory {
  index: number;
  name: string;
  parameters: number;
  /** Peak on-wafer bytes of the layer's own work while it runs, and what makes it up. */
  workingSetBytes: number;
  /** Checkpoints of the layers below resident beside it (0 when they live on the activation servers). */
  checkpointBytes: number;
  /** What the wafer holds while this layer runs: working set + checkpoints; its maximum is `WaferResult.peakBytes`. */
  residentBytes: number;
  weightBytes: number;
  gradientBytes: number;
  activationBytes: number;
  workspaceBytes: number;
}

/**
 * The wafer at the simulated micro-batch. The figure every surface shows is `peakBytes` (wafer
 * occupancy, defined in sim/wafer.ts: the largest working set plus the checkpoints resident beside
 * it when they live on the wafer) at `peakLayer`.
 */
export interface WaferResult {
  sramBytes: number;
  /** Largest per-layer working set at the simulated micro-batch (checkpoints excluded). */
  perLayerPeakBytes: number;
  /** Activation bytes of one decoder layer at the simulated micro-batch. */
  activationBytesPerLayer: number;
  fits: boolean;
  microBatch: number;
  /** Largest micro-batch whose working set fits in SRAM (0: not even 1 fits), divisor of the batch or not. */
  maxMicroBatch: number;
  /**
   * What `auto` picks, the quick fixes write and completion offers first: the fastest micro-batch
   * that divides the per-system batch and keeps the headroom margin (0: none fits at all).
   */
  recommendedMicroBatch: number;
  /** Largest micro-batch that divides the per-system batch and fits in SRAM, margin or not (0: none). */
  largestFittingMicroBatch: number;
  /** The headroom margin the warnings use, as a fraction (the `headroomWarning` setting). */
  headroomTarget: number;
  largestLayer: { index: number; name: string; parameters: number; bytes: number };
  /** Layer-input checkpoints of all layers for one micro-batch, and where they live. */
  checkpoints: { bytes: number; location: 'wafer' | 'activation-servers' };
  layers: LayerMemory[];
  /** WAFER OCCUPANCY: peak SRAM use, the largest working set plus the checkpoints when they are kept on the wafer. */
  peakBytes: number;
  /** The layer where the occupancy peaks. */
  peakLayer: { index: number; name: string };
  /** 1 - peakBytes / sramBytes (negative: over capacity). */
  headroom: number;
}

export type Bound = 'compute' | 'weight-streaming' | 'swarmx' | 'memoryx' | 'activation-io';

export type Lane = 'weights-fwd' | 'forward' | 'weights-bwd' | 'backward' | 'gradients' | 'optimizer';

/** One bar of the weight-streaming timeline, in seconds from the start of the step. */
export interface TimelineBar {
  lane: Lane;
  start: number;
  end: number;
  /** Decoder/embedding/head layer index, absent for the optimizer update. */
  layer?: number;
  label: string;
  bound?: Bound;
}

export interface TimelinePhase {
  /** e.g. 'forward', 'backward', 'optimizer update'. */
  name: string;
  seconds: number;
  bound: Bound;
}

export interface TimelineResult {
  stepSeconds: number;
  tokensPerSecond: number;
  mfu: number;
  /** Which peak MFU is measured against (e.g. 'dense FP16 15 PFLOP/s per CS-3 (assumption)'). */
  peak: { flops: number; name: string };
  bottleneck: Bound;
  phases: TimelinePhase[];
  /** One micro-batch in detail (per layer), then the remaining micro-batches and the update. */
  bars: TimelineBar[];
  microBatchSeconds: number;
  accumulationSteps: number;
  /** Time to train a token budget (the config's max_steps, else 20 tokens/parameter). */
  timeToTrain: { tokens: number; seconds: number; basis: string };
}

export interface ScalingPoint {
  systems: number;
  stepSeconds: number;
  speedup: number;
  efficiency: number;
  /** Systems that actually work (fewer than `systems` when more would not be faster, or exceed the batch). */
  systemsUsed?: number;
  /** Micro-batch and gradient-accumulation steps per system at this size. */
  microBatchSize?: number;
  accumulationSteps?: number;
}

export interface ScalingResult {
  systems: number;
  speedupVs1: number;
  efficiency: number;
  curve: ScalingPoint[];
}

/** A constant the simulation used, with where it comes from; `assumption` ones are flagged to the user. */
export interface ConstantUse {
  name: string;
  value: number;
  unit: string;
  source: string;
  assumption: boolean;
  overridden?: boolean;
}

export interface Report {
  file: string;
  format: ConfigFormat | 'unknown';
  model: ModelSummary | null;
  cluster: ClusterSummary;
  training?: TrainingSummary;
  memoryx?: MemoryxResult;
  wafer?: WaferResult;
  timeline?: TimelineResult;
  scaling?: ScalingResult;
  /** Constants and assumptions behind the numbers above. */
  constants?: ConstantUse[];
  /** Present when the config says `micro_batch_size: explore`: the candidates, priced. */
  microBatchExplore?: MicroBatchExplore;
  diagnostics: CoreDiagnostic[];
}

/** One candidate of `micro_batch_size: explore`, on the config's systems and MemoryX. */
export interface MicroBatchCandidate {
  microBatch: number;
  stepSeconds: number;
  accumulationSteps: number;
  tokensPerSecond: number;
  /** 1 - peak / SRAM. */
  headroom: number;
}

export interface MicroBatchExplore {
  systems: number;
  perSystemBatch: number;
  /** The range searched (`{explore: {min, max}}`, capped by what fits and the per-system batch). */
  range: { min: number; max: number };
  largestThatFits: number;
  /** Divisors of the per-system batch in the range that fit, ascending. */
  rows: MicroBatchCandidate[];
  /** Candidates left out of `rows` (only for very large per-system batches). */
  omittedRows: number;
  /** The fastest candidate (the value the report simulates); null when none fits. */
  best: number | null;
}
