/**
 * Everything about one layer that does not depend on the micro-batch, computed once per model,
 * so that fitting, timing and sweeping are a few multiply-adds per layer.
 *
 * Per layer: the 16-bit (or fp32) weights the wafer holds while it runs (all expert copies, the
 * tied LM head too, since its matmul runs), one stream slice of its widest matrix, the resident
 * activation bytes per token (activations.ts), what it adds to the layer-input checkpoint store per
 * token, its placement on the PE grid (mapping.ts) and from that its forward compute time per
 * token, and its model FLOPs per token.
 */
import type { LayerStructure, ModelDescription, ModelStructure } from '../types';
import type { Hardware } from './hardware';
import {
  activationShapeFor,
  embeddingResidentBytesPerToken,
  headResidentBytesPerToken,
  storedActivationBytes,
  waferResidentBytesPerToken,
  type RecomputePolicy,
  type ResidentActivations,
} from './activations';
import { layerWork, mapLayer, type LayerMapping } from './mapping';

export interface LayerStatic {
  index: number;
  name: string;
  kind: LayerStructure['kind'];
  parameters: number;
  /** Weight bytes resident on the wafer while the layer runs (= bytes streamed in per pass). */
  weightBytes: number;
  /** Vector (norm, bias) bytes among weightBytes; spread over the busy PEs in the heatmap. */
  vectorBytes: number;
  /** One stream slice of the widest matrix, in weight precision. */
  sliceBytes: number;
  /** Weight-gradient bytes streamed out per micro-batch. */
  gradientBytes: number;
  resident: ResidentActivations;
  /** Bytes per token this layer keeps in the checkpoint store between its forward and backward. */
  checkpointPerToken: number;
  mapping: LayerMapping;
  /** Forward compute seconds per token on one system (busiest PE / per-PE peak). */
  forwardSecondsPerToken: number;
  /** Backward compute as a multiple of forward (2, plus 1 for the forward recompute under full recompute). */
  backwardFactor: number;
  /** Model FLOPs per token, forward only (matmuls at active copies + causal attention). */
  forwardModelFlopsPerToken: number;
  /** Attention share of forward FLOPs (recomputed under selective recompute). */
  attentionFlopsPerToken: number;
}

export interface PreparedLayers {
  layers: LayerStatic[];
  /** Index of the first decoder layer in `layers` (for "activation bytes of one decoder layer"). */
  firstDecoder: number;
  workspaceBytes: number;
  weightElementBytes: number;
  activationElementBytes: number;
  recompute: RecomputePolicy;
  /** Peak per-PE compute in FLOP/s for the training precision. */
  perPeFlops: number;
  /** Whole-system peak used for time (FLOP/s) at the training precision. */
  systemFlops: number;
}

function positive(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

function tensorSignature(layer: LayerStructure): string {
  // Sliding and global layers with the same tensors still differ in attention work.
  let text = `${layer.kind}:${layer.pattern?.attention ?? ''}`;
  for (const t of layer.tensors) text += `|${t.name}:${t.shape.join('x')}:${t.copies}:${t.activeCopies}:${t.tiedTo ?? ''}`;
  return text;
}

export function prepareLayers(
  model: ModelDescription,
  structure: ModelStructure,
  options: { sequenceLength: number; weightElementBytes: number; activationElementBytes: number; recompute: RecomputePolicy },
  hw: Hardware,
): PreparedLayers {
  const { sequenceLength, weightElementBytes, activationElementBytes, recompute } = options;
  const totalPes = hw.peGridWidth * hw.peGridHeight;
  const systemFlops = hw.denseFp16Flops * (weightElementBytes > 2 ? hw.fp32RateFraction : 1);
  // The dense peak is quoted for the whole wafer; spread it over the addressable grid.
  const perPeFlops = totalPes > 0 ? systemFlops / totalPes : 0;
  const slice = hw.streamSliceColumns;
  const mappings = new Map<string, LayerMapping>();
  const layers: LayerStatic[] = [];
  let firstDecoder = -1;

  for (const layer of structure.layers) {
    let weightElements = 0;
    let vectorElements = 0;
    let widestSliceElements = 0;
    for (const tensor of layer.tensors) {
      const copies = positive(tensor.copies);
      if (tensor.shape.length === 2) {
        const rows = positive(tensor.shape[0]);
        const cols = positive(tensor.shape[1]);
        weightElements += rows * cols * copies;
        const sliceElements = Math.min(rows, cols) * Math.min(slice, Math.max(rows, cols));
        if (sliceElements > widestSliceElements) widestSliceElements = sliceElements;
      } else {
        const n = positive(tensor.shape[0]) * copies;
        weightElements += n;
        vectorElements += n;
      }
    }

    let resident: ResidentActivations;
    let checkpointPerToken = 0;
    let backwardFactor = 2;
    if (layer.kind === 'embedding') {
      resident = embeddingResidentBytesPerToken(model.hiddenSize, activationElementBytes);
    } else if (layer.kind === 'head') {
      resident = headResidentBytesPerToken(model.hiddenSize, model.vocabSize, activationElementBytes, slice);
      // The head's input is kept from the last decoder's output until the head's backward.
      checkpointPerToken = activationElementBytes * positive(model.hiddenSize);
    } else {
      if (firstDecoder < 0) firstDecoder = layers.length;
      const shape = activationShapeFor(model, layer, sequenceLength, 1, activationElementBytes, recompute);
      resident = waferResidentBytesPerToken(shape, slice);
      // Full recompute keeps the layer input; otherwise the layer's own stored activations.
      checkpointPerToken = storedActivationBytes(shape) / Math.max(1, positive(sequenceLength));
      backwardFactor = recompute === 'full' ? 3 : 2;
    }

    const signature = tensorSignature(layer);
    let mapping = mappings.get(signature);
    if (!mapping) {
      mapping = mapLayer(layerWork(layer, model, sequenceLength), hw.peGridWidth, hw.peGridHeight);
      mappings.set(signature, mapping);
    }
    const attentionFlops = mapping.regions.filter((r) => r.kind === 'attention').reduce((sum, r) => sum + r.flopsPerToken, 0);
    if (layer.kind === 'decoder' && recompute === 'selective' && mapping.flopsPerToken > 0) {
      backwardFactor = 2 + attentionFlops / mapping.flopsPerToken;
    }

    layers.push({
      index: layer.index,
      name: layer.name,
      kind: layer.kind,
      parameters: Number(layer.parameters),
      weightBytes: weightElements * weightElementBytes,
      vectorBytes: vectorElements * weightElementBytes,
      sliceBytes: widestSliceElements * weightElementBytes,
      gradientBytes: weightElements * weightElementBytes,
      resident,
      checkpointPerToken,
      mapping,
      forwardSecondsPerToken: perPeFlops > 0 ? mapping.maxPeFlopsPerToken / perPeFlops : 0,
      backwardFactor,
      forwardModelFlopsPerToken: mapping.flopsPerToken,
      attentionFlopsPerToken: attentionFlops,
    });
  }

  return {
    layers,
    firstDecoder,
    workspaceBytes: hw.workspacePerPeBytes * totalPes,
    weightElementBytes,
    activationElementBytes,
    recompute,
    perPeFlops,
    systemFlops,
  };
}

/** Incoming weight slices buffered beyond the resident layer: one arriving, one ready (double buffering). */
export const PREFETCH_SLICES = 2;
/** Outgoing weight-gradient slices buffered: one being computed, one leaving. */
export const GRADIENT_SLICES = 2;

/**
 * On-wafer bytes of a layer that do not grow with the micro-batch: its resident weights, a
 * double-buffered stream slice of the next weights, a double-buffered slice of outgoing weight
 * gradients (gradients leave slice by slice and are accumulated in MemoryX, not on the wafer),
 * and the per-PE workspace.
 */
export function fixedBytes(layer: LayerStatic, prepared: PreparedLayers): number {
  return layer.weightBytes + (PREFETCH_SLICES + GRADIENT_SLICES) * layer.sliceBytes + prepared.workspaceBytes;
}
