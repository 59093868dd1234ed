/**
 * MemoryX: the external store that holds the model state (weights, gradients being accumulated,
 * fp32 master weights, optimizer moments) and runs the optimizer update between iterations.
 *
 * Bytes per parameter (mixed precision = any 16-bit `precision`):
 *
 * | optimizer | weights | gradients | master | state | total mixed | total fp32 |
 * | --- | --- | --- | --- | --- | --- | --- |
 * | adamw, adam, lamb | 2 | 2 | 4 | 8 (m, v) | 16 | 16 |
 * | sgd-momentum | 2 | 2 | 4 | 4 (momentum) | 12 | 12 |
 * | sgd | 2 | 2 | 4 | 0 | 8 | 8 |
 * | adafactor | 2 | 2 | 4 | factored v: 4 B x (rows + cols) per matrix, 4 B per vector element | ~8 | ~8 |
 *
 * Under fp32 training the weights and gradients are 4 B and there is no separate master copy. The
 * gradients are kept at the precision they leave the wafer in (16-bit under mixed precision, as in
 * the ZeRO paper's 16 B/param recipe); Megatron's fp32 main-gradient variant (18 B/param) is not
 * what MemoryX is described as doing. Adafactor follows its default (no first moment, factored
 * second moment), which is exact per matrix given the model structure.
 */
import type { ModelStructure, Optimizer, Precision } from '../types';
import type { MemoryxBreakdown, MemoryxResult } from '../report';
import type { Hardware, MemoryxTier } from './hardware';

export function isMixedPrecision(precision: Precision | undefined): boolean {
  return precision !== 'fp32';
}

/** Bytes of one weight as streamed to the wafer. */
export function weightElementBytes(precision: Precision | undefined): number {
  return isMixedPrecision(precision) ? 2 : 4;
}

/** Bytes of optimizer state per parameter for the element-wise optimizers (Adafactor is per tensor). */
export function optimizerStateBytesPerParameter(optimizer: Optimizer): number {
  switch (optimizer) {
    case 'adamw':
    case 'adam':
    case 'lamb':
      return 8;
    case 'sgd-momentum':
      return 4;
    case 'sgd':
      return 0;
    case 'adafactor':
      return 0; // per tensor: see adafactorStateBytes
    default:
      return 8;
  }
}

/** Adafactor's factored second moment: a row and a column accumulator per matrix (fp32), full for vectors. */
export function adafactorStateBytes(structure: ModelStructure): bigint {
  let bytes = 0n;
  for (const layer of structure.layers) {
    for (const tensor of layer.tensors) {
      if (tensor.tiedTo !== undefined) continue;
      const copies = BigInt(Math.max(0, Math.trunc(tensor.copies)));
      if (tensor.shape.length === 2) {
        const rows = BigInt(Math.max(0, Math.trunc(tensor.shape[0])));
        const cols = BigInt(Math.max(0, Math.trunc(tensor.shape[1])));
        bytes += 4n * (rows + cols) * copies;
      } else {
        bytes += 4n * BigInt(Math.max(0, Math.trunc(tensor.shape[0]))) * copies;
      }
    }
  }
  return bytes;
}

/** Exact bigint product turned into a JSON number (exact below 2^53, i.e. below 9 PB). */
function bytesOf(parameters: bigint, bytesPerParameter: number): number {
  return Number(parameters * BigInt(bytesPerParameter));
}

export function memoryxBreakdown(structure: ModelStructure, optimizer: Optimizer, precision: Precision): MemoryxBreakdown {
  const parameters = structure.totalParameters > 0n ? structure.totalParameters : 0n;
  const mixed = isMixedPrecision(precision);
  const element = weightElementBytes(precision);
  const optimizerState =
    optimizer === 'adafactor' ? Number(adafactorStateBytes(structure)) : bytesOf(parameters, optimizerStateBytesPerParameter(optimizer));
  return {
    weights: bytesOf(parameters, element),
    gradients: bytesOf(parameters, element),
    masterWeights: mixed ? bytesOf(parameters, 4) : 0,
    optimizerState,
  };
}

/**
 * Bytes the optimizer update reads and writes in MemoryX per step: read the accumulated gradients,
 * read and write the master weights (or the fp32 weights) and the optimizer state, and write the
 * 16-bit copy that streams to the wafer next step. AdamW mixed: 2 + 4x2 + 8x2 + 2 = 28 B/param.
 */
export function updateBytesTouched(breakdown: MemoryxBreakdown, precision: Precision): number {
  const mixed = isMixedPrecision(precision);
  const master = mixed ? breakdown.masterWeights : breakdown.weights;
  return breakdown.gradients + 2 * master + 2 * breakdown.optimizerState + (mixed ? breakdown.weights : 0);
}

/** Smallest tier of the system that holds `bytes` (null when none does). */
export function smallestTier(tiers: MemoryxTier[], bytes: number): MemoryxTier | null {
  for (const tier of tiers) if (tier.bytes >= bytes) return tier;
  return null;
}

/** Aggregate streaming bandwidth of a MemoryX of this capacity for the optimizer update. */
export function memoryxUpdateBandwidth(hw: Hardware, capacityBytes: number): number {
  return hw.memoryxUpdateBandwidthPerTb * Math.max(capacityBytes, 0) / 1e12;
}

export function simulateMemoryx(
  structure: ModelStructure,
  optimizer: Optimizer,
  precision: Precision,
  capacityBytes: number,
  hw: Hardware,
): MemoryxResult {
  const breakdown = memoryxBreakdown(structure, optimizer, precision);
  const requiredBytes = breakdown.weights + breakdown.gradients + breakdown.masterWeights + breakdown.optimizerState;
  const capacity = Number.isFinite(capacityBytes) && capacityBytes > 0 ? capacityBytes : 0;
  const parameters = Number(structure.totalParameters > 0n ? structure.totalParameters : 0n);
  const tier = smallestTier(hw.memoryxTiers, requiredBytes);
  // A MemoryX too small to hold the state has no meaningful update time; size it as if it just fitted.
  const bandwidth = memoryxUpdateBandwidth(hw, Math.max(capacity, requiredBytes));
  const touched = updateBytesTouched(breakdown, precision);
  return {
    requiredBytes,
    capacityBytes: capacity,
    fits: requiredBytes <= capacity,
    breakdown,
    bytesPerParameter: parameters > 0 ? requiredBytes / parameters : 0,
    recommendedTierBytes: tier ? tier.bytes : null,
    vendorRuleBytes: parameters * hw.vendorBytesPerParameter,
    updateSeconds: touched > 0 && bandwidth > 0 ? touched / bandwidth : 0,
  };
}
