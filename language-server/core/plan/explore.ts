/**
 * `micro_batch_size: explore` answered instantly. Model Zoo's explore mode compiles candidate
 * micro-batches for hours; WaferScope's simulator prices each candidate in microseconds. The
 * candidates are what Model Zoo's search considers: the divisors of the per-system batch (within
 * `{explore: {min, max}}` when given) whose working set fits on the wafer, on the config's own
 * systems and MemoryX. The best is the micro-batch the report simulates for `explore` (auto's rule:
 * the fastest that keeps the headroom margin); Model Zoo advises pinning it once known.
 */
import type { MicroBatchExplore } from '../report';
import { stepEvaluator, type SimulationInput } from '../sim/simulate';

/** Rows shown at most (a huge per-system batch of a tiny model has thousands of divisors). */
const MAX_ROWS = 64;

function divisorsUpTo(n: number, limit: number): number[] {
  const small: number[] = [];
  const large: number[] = [];
  for (let d = 1; d * d <= n && d <= limit; d++) {
    if (n % d !== 0) continue;
    small.push(d);
    const pair = n / d;
    if (pair !== d && pair <= limit) large.push(pair);
  }
  return small.concat(large.reverse()).sort((a, b) => a - b);
}

export function exploreMicroBatches(input: SimulationInput): MicroBatchExplore | undefined {
  const evaluator = stepEvaluator(input);
  if (!evaluator) return undefined;
  const { systems, memoryxCapacityBytes } = evaluator.configRun;
  const split = evaluator.systemsSplit(systems);
  const updateSeconds = evaluator.memoryxAt(memoryxCapacityBytes).updateSeconds;
  const range = input.training?.microBatchExplore;
  const min = Math.max(1, range?.min ?? 1);
  const max = Math.min(range?.max ?? Infinity, evaluator.largestMicroBatch, split.perSystemBatch);
  const tokensPerStep = evaluator.globalBatch * evaluator.sequenceLength;
  let candidates = split.evenSplit ? divisorsUpTo(split.perSystemBatch, max) : Array.from({ length: Math.max(0, max) }, (_, i) => i + 1);
  candidates = candidates.filter((micro) => micro >= min && micro <= max);
  const rows = candidates.map((microBatch) => {
    const cost = evaluator.microBatchCost(microBatch);
    const step = evaluator.stepOf(cost, split, updateSeconds);
    return {
      microBatch,
      stepSeconds: step.stepSeconds,
      accumulationSteps: step.accumulationSteps,
      tokensPerSecond: step.stepSeconds > 0 ? tokensPerStep / step.stepSeconds : 0,
      headroom: cost.headroom,
    };
  });
  // The best is the micro-batch the report simulates for `explore`: the same rule as auto (the
  // fastest that keeps the headroom margin), so pinning it gives no warning.
  const bestMicroBatch = rows.some((row) => row.microBatch === evaluator.configRun.microBatch) ? evaluator.configRun.microBatch : null;
  // Keep the best and the largest rows when there are too many to show.
  const shown = rows.length > MAX_ROWS ? rows.filter((row, i) => i >= rows.length - MAX_ROWS + 1 || row.microBatch === bestMicroBatch) : rows;
  return {
    systems: split.systemsUsed,
    perSystemBatch: split.perSystemBatch,
    range: { min, max: Math.max(0, max) },
    largestThatFits: evaluator.largestMicroBatch,
    rows: shown,
    omittedRows: rows.length - shown.length,
    best: bestMicroBatch,
  };
}
