/**
 * Checks across several keys (impossible combinations), shared by the Model Zoo and Hugging Face
 * readers. Each reports on the value that has to change and returns whether the pair is usable.
 */
import type { MicroBatchSetting, Optimizer, Precision, Range } from '../types';
import { formatNumber, type Field, type ReadContext } from './context';

function rangeOf(ctx: ReadContext, field: Field<unknown>, fallback: Range): Range {
  return field.entry ? ctx.valueRange(field.entry.value) : fallback;
}

/** hidden_size must split evenly into num_heads heads (unless the head width is given). */
export function checkHeadsDivideHidden(
  ctx: ReadContext,
  hidden: Field<number>,
  heads: Field<number>,
  names: { hidden: string; heads: string },
  fallback: Range,
): boolean {
  if (hidden.value === undefined || heads.value === undefined) return true;
  if (hidden.value % heads.value === 0) return true;
  ctx.report(
    'error',
    'not-divisible',
    `${names.hidden} ${formatNumber(hidden.value)} is not divisible by ${names.heads} ${formatNumber(heads.value)}: ` +
      `heads would be ${formatNumber(hidden.value / heads.value)} wide.`,
    rangeOf(ctx, heads, fallback),
  );
  return false;
}

/** Query heads are shared out in equal groups over the key/value heads. */
export function checkKvDividesHeads(
  ctx: ReadContext,
  heads: Field<number>,
  kv: Field<number>,
  names: { heads: string; kv: string },
  fallback: Range,
): boolean {
  if (heads.value === undefined || kv.value === undefined) return true;
  if (kv.value <= heads.value && heads.value % kv.value === 0) return true;
  ctx.report(
    'error',
    'not-divisible',
    `${names.heads} ${formatNumber(heads.value)} is not divisible by ${names.kv} ${formatNumber(kv.value)}: ` +
      `each key/value head must serve the same number of query heads.`,
    rangeOf(ctx, kv, fallback),
  );
  return false;
}

export function checkTopK(ctx: ReadContext, topK: Field<number>, experts: Field<number>, names: { topK: string; experts: string }, fallback: Range): boolean {
  if (topK.value === undefined || experts.value === undefined) return true;
  if (topK.value <= experts.value) return true;
  ctx.report(
    'error',
    'top-k-exceeds-experts',
    `${names.topK} ${formatNumber(topK.value)} is larger than ${names.experts} ${formatNumber(experts.value)}: ` +
      `a token cannot use more experts than exist.`,
    rangeOf(ctx, topK, fallback),
  );
  return false;
}

/**
 * The global batch is split evenly over num_csx systems, each running micro-batches of
 * micro_batch_size with gradient accumulation. Checked only when the config names num_csx; the
 * analysis re-checks with the cluster's systems otherwise.
 */
export function checkBatch(
  ctx: ReadContext,
  batch: Field<number>,
  micro: MicroBatchSetting | undefined,
  numCsx: Field<number>,
  fallback: Range,
): void {
  if (batch.value === undefined || numCsx.value === undefined) return;
  const range = rangeOf(ctx, batch, fallback);
  for (const problem of batchProblems(batch.value, micro, numCsx.value, 'num_csx')) {
    ctx.report(problem.severity, problem.code, problem.message, range);
  }
}

export interface BatchProblem {
  severity: 'error' | 'warning';
  code: 'batch-below-systems' | 'batch-not-multiple';
  message: string;
}

/**
 * The global batch against the systems that share it. `systemsName` says where the system count
 * came from (`num_csx`, "the cluster's 16 systems", `--systems`), so the message names it.
 */
export function batchProblems(batch: number, micro: MicroBatchSetting | undefined, systems: number, systemsName: string): BatchProblem[] {
  if (batch < systems) {
    return [
      {
        severity: 'error',
        code: 'batch-below-systems',
        message:
          `batch_size ${formatNumber(batch)} is smaller than ${systemsName} ${formatNumber(systems)}: ` +
          `every system needs at least one sequence per step.`,
      },
    ];
  }
  if (typeof micro !== 'number') {
    if (batch % systems === 0) return [];
    return [
      {
        severity: 'warning',
        code: 'batch-not-multiple',
        message: `batch_size ${formatNumber(batch)} does not split evenly over ${systemsName} ${formatNumber(systems)}: some systems get one sequence more per step.`,
      },
    ];
  }
  const perStep = micro * systems;
  if (batch % perStep === 0) return [];
  const steps = Math.ceil(batch / perStep);
  return [
    {
      severity: 'warning',
      code: 'batch-not-multiple',
      message:
        `batch_size ${formatNumber(batch)} is not a multiple of micro_batch_size x ${systemsName} = ` +
        `${formatNumber(micro)} x ${formatNumber(systems)} = ${formatNumber(perStep)}: ` +
        `effective gradient accumulation steps = ${formatNumber(steps)} (the last one partly filled).`,
    },
  ];
}

const FP16_TO_PRECISION: Record<string, Precision> = {
  float16: 'fp16',
  bfloat16: 'bf16',
  cbfloat16: 'cbf16',
};

export function precisionOf(fp16Type: string | undefined): Precision {
  return FP16_TO_PRECISION[fp16Type ?? 'float16'] ?? 'fp16';
}

/**
 * The optimizer, by the state it keeps in MemoryX. Optimizers WaferScope does not model exactly
 * are counted like the modelled one with the same number of per-parameter buffers; `approximate`
 * says so.
 */
export function optimizerOf(name: string, momentum: number | undefined): { optimizer: Optimizer; approximate: boolean } {
  switch (name.toLowerCase()) {
    case 'adamw':
      return { optimizer: 'adamw', approximate: false };
    case 'adam':
      return { optimizer: 'adam', approximate: false };
    case 'sgd':
      return { optimizer: momentum !== undefined && momentum > 0 ? 'sgd-momentum' : 'sgd', approximate: false };
    case 'lamb':
      return { optimizer: 'lamb', approximate: false };
    case 'adafactor':
      return { optimizer: 'adafactor', approximate: false };
    // Two buffers per parameter, like Adam.
    case 'adamax':
    case 'nadam':
    case 'radam':
    case 'adadelta':
    case 'rprop':
      return { optimizer: 'adam', approximate: true };
    // One buffer per parameter, like SGD with momentum.
    case 'lion':
    case 'adagrad':
    case 'rmsprop':
    case 'asgd':
      return { optimizer: 'sgd-momentum', approximate: true };
    default:
      return { optimizer: 'adamw', approximate: true };
  }
}
