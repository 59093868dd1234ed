/**
 * Data parallelism over SwarmX: N systems run the same layer mapping on their shares of the global
 * batch. MemoryX broadcasts every layer's weights through a tree of SwarmX nodes (1:4 fan-out per
 * node) and the gradients are summed on the way back, at line rate, so each system still streams
 * at its own system I/O rate. What changes with N:
 *   - micro-batches per system per step: ceil(global / (N x micro)) (fewer with more systems);
 *   - SwarmX tree depth ceil(log4 N): its per-level latency is paid when a step's first weights
 *     are broadcast and when its last gradients are reduced;
 * and what does not: the optimizer update in MemoryX at the iteration boundary, and the pipeline
 * fill (first layer's weights) and drain (last layer's gradients) of each step. Those fixed costs
 * are why 16 CS-3 run the 1T model 15.3x, not 16x, faster than one (calibration:
 * docs/calibration.md).
 *
 * The micro-batch stays the job's (capped by the per-system batch when N grows past
 * global / micro). A job never has to use more systems than help: with N available it uses the
 * number <= N that is fastest, so the curve never gets slower as N grows (`systemsUsed` says when
 * fewer systems than available do the work, e.g. beyond the global batch size).
 */
import type { ScalingPoint, ScalingResult } from '../report';

/** Step time of the job on `systems` systems, with the micro-batch and accumulation used. */
export interface StepAt {
  stepSeconds: number;
  microBatchSize: number;
  accumulationSteps: number;
  systemsUsed: number;
}

/** Powers of two up to `maxSystems`, plus `maxSystems` and the job's own size. */
export function scalingSizes(maxSystems: number, jobSystems: number): number[] {
  const sizes = new Set<number>();
  const limit = Math.max(1, Math.floor(maxSystems));
  for (let n = 1; n <= limit; n *= 2) sizes.add(n);
  sizes.add(limit);
  if (Number.isFinite(jobSystems) && jobSystems >= 1) sizes.add(Math.floor(jobSystems));
  return [...sizes].sort((a, b) => a - b);
}

/**
 * Speedup and efficiency against one system for each size. `stepAt` evaluates one size; sizes are
 * visited in increasing order and a size never reports a slower step than a smaller one (the job
 * would leave the extra systems idle).
 */
export function scalingCurve(sizes: number[], stepAt: (systems: number) => StepAt): ScalingPoint[] {
  const sorted = [...new Set(sizes.filter((n) => Number.isFinite(n) && n >= 1).map((n) => Math.floor(n)))].sort((a, b) => a - b);
  if (sorted[0] !== 1) sorted.unshift(1);
  const points: ScalingPoint[] = [];
  let best: StepAt | undefined;
  let baseline = 0;
  for (const systems of sorted) {
    const at = stepAt(systems);
    if (!best || at.stepSeconds < best.stepSeconds) best = at;
    if (systems === 1) baseline = best.stepSeconds;
    const speedup = best.stepSeconds > 0 ? baseline / best.stepSeconds : 1;
    points.push({
      systems,
      stepSeconds: best.stepSeconds,
      speedup,
      efficiency: speedup / systems,
      systemsUsed: best.systemsUsed,
      microBatchSize: best.microBatchSize,
      accumulationSteps: best.accumulationSteps,
    });
  }
  return points;
}

export function scalingResult(jobSystems: number, curve: ScalingPoint[]): ScalingResult {
  const point = curve.find((p) => p.systems === jobSystems) ?? curve[curve.length - 1];
  return {
    systems: jobSystems,
    speedupVs1: point ? point.speedup : 1,
    efficiency: point ? point.efficiency : 1,
    curve,
  };
}
