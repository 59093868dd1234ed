/**
 * How one layer spreads over the PE grid while it runs (weight-streaming mode maps one layer onto
 * the whole wafer at a time).
 *
 * Model (an assumption; the compiler's placement is not published):
 * - Every matrix multiply of the layer (and the attention score/value products, which have no
 *   weights) gets a vertical strip of PEs spanning the grid's height, its width proportional to
 *   its share of the layer's FLOPs, so all strips finish a token at about the same time when they
 *   run as a dataflow pipeline. A layer without FLOPs (the embedding lookup) is spread by weight
 *   bytes instead. Columns lost to rounding stay idle at the right edge.
 * - Inside a strip the matrix is cut into tileRows x tileCols tiles, one per PE in row-major order,
 *   with the tile grid chosen to minimise the largest tile. Remainder tiles (last tile row and
 *   column) are smaller; PEs beyond tileRows x tileCols are idle.
 * - A layer runs as fast as its busiest PE: compute time = largest per-PE FLOPs / per-PE peak, and
 *   the layer's compute utilization = total FLOPs / (all PEs x largest per-PE FLOPs).
 *
 * The summary (`mapLayer`) is closed form and cheap; the per-PE arrays (`layerHeatmap`) are built
 * lazily for one layer at a time.
 */
import type { LayerStructure, ModelDescription } from '../types';
import type { HeatmapPayload, HeatmapRegion } from '../../../protocol/index';

/** One unit of work of a layer. */
export interface LayerWork {
  label: string;
  kind: 'matmul' | 'attention' | 'lookup';
  /** Matrix shape (for attention: the s x s score matrix of one head). */
  rows: number;
  cols: number;
  /** Stored copies (routed experts) and copies one token uses. */
  copies: number;
  activeCopies: number;
  /** Forward FLOPs per token of the micro-batch. */
  flopsPerToken: number;
  /** Elements held on the wafer (rows x cols x copies; 0 for attention). */
  elements: number;
}

export interface MappedRegion extends HeatmapRegion {
  kind: LayerWork['kind'];
  /** PEs of the strip and PEs that hold a tile. */
  pes: number;
  busyPes: number;
  /** Rows x columns of the largest tile. */
  blockRows: number;
  blockCols: number;
  /** Forward FLOPs per token on the busiest PE of the strip. */
  maxPeFlopsPerToken: number;
  flopsPerToken: number;
  elements: number;
}

export interface LayerMapping {
  width: number;
  height: number;
  regions: MappedRegion[];
  busyPes: number;
  totalPes: number;
  /** Total FLOPs / (all PEs x busiest PE's FLOPs), 0..1 (0 for a layer without FLOPs). */
  computeUtilization: number;
  /** Forward FLOPs per token on the busiest PE of the layer. */
  maxPeFlopsPerToken: number;
  flopsPerToken: number;
}

function positiveInt(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

const EMBEDDING_TABLES = new Set(['embed_tokens', 'embed_positions']);

/**
 * The matmuls of a layer in forward order. Vectors (norms, biases) are not matmuls and are left
 * out. Attention adds its two products with a causal mask: per token, QK^T and AV each cost
 * 2 x (s/2) x heads x head_dim on average.
 */
export function layerWork(layer: LayerStructure, model: ModelDescription, sequenceLength: number): LayerWork[] {
  const work: LayerWork[] = [];
  let attentionAt = -1;
  for (const tensor of layer.tensors) {
    if (tensor.shape.length !== 2) continue;
    const rows = positiveInt(tensor.shape[0]);
    const cols = positiveInt(tensor.shape[1]);
    const copies = Math.max(1, positiveInt(tensor.copies));
    const active = Math.min(copies, positiveInt(tensor.activeCopies));
    if (layer.kind === 'embedding' && EMBEDDING_TABLES.has(tensor.name)) {
      work.push({ label: tensor.name, kind: 'lookup', rows, cols, copies, activeCopies: active, flopsPerToken: 0, elements: rows * cols * copies });
      continue;
    }
    work.push({
      label: tensor.name,
      kind: 'matmul',
      rows,
      cols,
      copies,
      activeCopies: active,
      flopsPerToken: 2 * rows * cols * active,
      elements: rows * cols * copies,
    });
    // The score and value products sit between the key/value projections and the output projection.
    if (layer.kind === 'decoder' && tensor.name === 'o_proj') attentionAt = work.length - 1;
  }
  if (layer.kind === 'decoder' && attentionAt >= 0) {
    const s = positiveInt(sequenceLength);
    const a = Math.max(1, positiveInt(model.numHeads));
    const qk = model.mla ? model.mla.qkNopeHeadDim + model.mla.qkRopeHeadDim : model.headDim;
    const v = model.mla ? model.mla.vHeadDim : model.headDim;
    const flops = s * a * (positiveInt(qk) + positiveInt(v));
    work.splice(attentionAt, 0, {
      label: 'attention (scores, values)',
      kind: 'attention',
      rows: s,
      cols: s,
      copies: 1,
      activeCopies: 1,
      flopsPerToken: flops,
      elements: 0,
    });
  }
  return work;
}

/** The tile grid for a matrix on `pes` PEs that minimises the largest tile. */
function chooseTiles(rows: number, cols: number, pes: number): { tileRows: number; tileCols: number; blockRows: number; blockCols: number } {
  if (rows <= 0 || cols <= 0 || pes <= 0) return { tileRows: 0, tileCols: 0, blockRows: 0, blockCols: 0 };
  let best = { tileRows: 1, tileCols: 1, blockRows: rows, blockCols: cols };
  let bestTile = rows * cols;
  let bestCount = 1;
  const maxTileRows = Math.min(rows, pes);
  // Walk the distinct block heights only: ceil(rows / t) takes O(sqrt(rows)) values.
  let t = 1;
  while (t <= maxTileRows) {
    const blockRows = Math.ceil(rows / t);
    const tileRows = Math.ceil(rows / blockRows);
    const tileColsCap = Math.min(cols, Math.floor(pes / tileRows));
    if (tileColsCap >= 1) {
      const blockCols = Math.ceil(cols / tileColsCap);
      const tileCols = Math.ceil(cols / blockCols);
      const tile = blockRows * blockCols;
      const count = tileRows * tileCols;
      if (tile < bestTile || (tile === bestTile && count < bestCount)) {
        best = { tileRows, tileCols, blockRows, blockCols };
        bestTile = tile;
        bestCount = count;
      }
    }
    // Next t with a smaller block height.
    const next = blockRows > 1 ? Math.ceil(rows / (blockRows - 1)) : maxTileRows + 1;
    t = Math.max(t + 1, next);
  }
  return best;
}

/** Strip widths proportional to `weights`, at least one column each, leftover columns idle. */
function stripWidths(weights: number[], width: number): number[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (weights.length === 0) return [];
  const widths = weights.map((w) => (total > 0 ? Math.max(1, Math.floor((width * w) / total)) : Math.max(1, Math.floor(width / weights.length))));
  let excess = widths.reduce((sum, w) => sum + w, 0) - width;
  // More strips than columns, or the one-column minimum overflowed: take columns from the widest.
  while (excess > 0) {
    let widest = 0;
    for (let i = 1; i < widths.length; i++) if (widths[i] > widths[widest]) widest = i;
    if (widths[widest] <= 1) break;
    widths[widest]--;
    excess--;
  }
  return widths;
}

/** The placement summary of one layer (no per-PE arrays). */
export function mapLayer(work: LayerWork[], gridWidth: number, gridHeight: number): LayerMapping {
  const width = Math.max(1, positiveInt(gridWidth));
  const height = Math.max(1, positiveInt(gridHeight));
  const totalPes = width * height;
  const totalFlops = work.reduce((sum, w) => sum + w.flopsPerToken, 0);
  const byFlops = totalFlops > 0;
  const shares = work.map((w) => (byFlops ? w.flopsPerToken : w.elements));
  const widths = stripWidths(shares, width);
  const regions: MappedRegion[] = [];
  let x = 0;
  let busyPes = 0;
  let maxPeFlops = 0;
  for (let i = 0; i < work.length; i++) {
    const item = work[i];
    const w = Math.min(widths[i], Math.max(0, width - x));
    if (w <= 0) continue;
    const pes = w * height;
    let tiles: { tileRows: number; tileCols: number; blockRows: number; blockCols: number };
    let busy: number;
    let peFlops: number;
    if (item.kind === 'attention') {
      // No weights: the products spread evenly over the strip.
      tiles = { tileRows: height, tileCols: w, blockRows: Math.ceil(item.rows / height), blockCols: Math.ceil(item.cols / w) };
      busy = pes;
      peFlops = item.flopsPerToken / pes;
    } else {
      // Expert copies sit side by side: the strip holds a rows x (cols x copies) matrix.
      tiles = chooseTiles(item.rows, item.cols * item.copies, pes);
      busy = tiles.tileRows * tiles.tileCols;
      const tileElements = tiles.blockRows * tiles.blockCols;
      peFlops = item.elements > 0 ? (item.flopsPerToken * tileElements) / item.elements : 0;
    }
    regions.push({
      x,
      y: 0,
      width: w,
      height,
      label: item.label,
      tileRows: tiles.tileRows,
      tileCols: tiles.tileCols,
      rows: item.rows,
      cols: item.kind === 'attention' ? item.cols : item.cols * item.copies,
      kind: item.kind,
      pes,
      busyPes: busy,
      blockRows: tiles.blockRows,
      blockCols: tiles.blockCols,
      maxPeFlopsPerToken: peFlops,
      flopsPerToken: item.flopsPerToken,
      elements: item.elements,
    });
    busyPes += busy;
    if (peFlops > maxPeFlops) maxPeFlops = peFlops;
    x += w;
  }
  return {
    width,
    height,
    regions,
    busyPes,
    totalPes,
    computeUtilization: maxPeFlops > 0 ? Math.min(1, totalFlops / (totalPes * maxPeFlops)) : 0,
    maxPeFlopsPerToken: maxPeFlops,
    flopsPerToken: totalFlops,
  };
}

/** What the layer holds on the wafer besides its matrix tiles, for the per-PE picture. */
export interface HeatmapMemory {
  /** Bytes of one weight element on the wafer (2 under mixed precision). */
  weightElementBytes: number;
  /** Activations, slice buffers, gradient buffers and vectors: spread over the busy PEs. */
  sharedBytes: number;
  /** Per-PE reserve on every PE (code, routing). */
  workspacePerPeBytes: number;
  /** Layer-input checkpoints kept on the wafer (0 when on the activation servers): spread over all PEs. */
  checkpointBytes: number;
}

export interface LayerHeatmap {
  width: number;
  height: number;
  /** Per-PE SRAM bytes used, row-major. */
  occupancyBytes: Float32Array;
  /** Per-PE compute utilization 0..1 (busy PE's FLOPs / busiest PE's FLOPs), row-major. */
  utilization: Float32Array;
  regions: HeatmapRegion[];
  summary: { busyPes: number; totalPes: number; sramUsedBytes: number; sramTotalBytes: number; idleFraction: number };
}

/**
 * Per-PE SRAM occupancy and compute utilization of one layer (about 893k PEs on a WSE-3; a few
 * milliseconds). Fills row segments, so the cost is one pass over the grid.
 */
export function layerHeatmap(mapping: LayerMapping, memory: HeatmapMemory, sramPerPeBytes: number): LayerHeatmap {
  const { width, height, totalPes } = mapping;
  const occupancy = new Float32Array(totalPes);
  const utilization = new Float32Array(totalPes);
  const everywhere = Math.max(0, memory.workspacePerPeBytes) + Math.max(0, memory.checkpointBytes) / totalPes;
  occupancy.fill(everywhere);
  const busyShare = mapping.busyPes > 0 ? Math.max(0, memory.sharedBytes) / mapping.busyPes : 0;
  const maxFlops = mapping.maxPeFlopsPerToken;
  const elementBytes = Math.max(0, memory.weightElementBytes);

  for (const region of mapping.regions) {
    if (region.kind === 'attention') {
      const util = maxFlops > 0 ? region.maxPeFlopsPerToken / maxFlops : 0;
      const value = everywhere + busyShare;
      for (let y = region.y; y < region.y + region.height; y++) {
        const start = y * width + region.x;
        occupancy.fill(value, start, start + region.width);
        utilization.fill(util, start, start + region.width);
      }
      continue;
    }
    const { tileRows, tileCols, blockRows, blockCols, rows, cols } = region;
    if (tileRows === 0 || tileCols === 0) continue;
    const lastRows = rows - blockRows * (tileRows - 1);
    const lastCols = cols - blockCols * (tileCols - 1);
    const flopsPerElement = region.elements > 0 ? region.flopsPerToken / region.elements : 0;
    const busy = tileRows * tileCols;
    // Tile k sits on the k-th PE of the strip in row-major order; walk both orders incrementally.
    const base = everywhere + busyShare;
    const utilPerElement = maxFlops > 0 ? flopsPerElement / maxFlops : 0;
    let tr = 0;
    let tc = 0;
    let localX = 0;
    let rowStart = region.y * width + region.x;
    for (let k = 0; k < busy; k++) {
      const elements = (tr === tileRows - 1 ? lastRows : blockRows) * (tc === tileCols - 1 ? lastCols : blockCols);
      const index = rowStart + localX;
      occupancy[index] = base + elements * elementBytes;
      utilization[index] = elements * utilPerElement;
      if (++tc === tileCols) {
        tc = 0;
        tr++;
      }
      if (++localX === region.width) {
        localX = 0;
        rowStart += width;
      }
    }
  }

  // Every PE carries the shared reserve, busy PEs their share, and the tiles add up to the matrices.
  let used = totalPes * everywhere + mapping.busyPes * busyShare;
  for (const region of mapping.regions) used += region.elements * elementBytes;
  const regions: HeatmapRegion[] = mapping.regions.map((r) => ({
    x: r.x,
    y: r.y,
    width: r.width,
    height: r.height,
    label: r.label,
    tileRows: r.tileRows,
    tileCols: r.tileCols,
    rows: r.rows,
    cols: r.cols,
  }));
  return {
    width,
    height,
    occupancyBytes: occupancy,
    utilization,
    regions,
    summary: {
      busyPes: mapping.busyPes,
      totalPes,
      sramUsedBytes: used,
      sramTotalBytes: totalPes * sramPerPeBytes,
      idleFraction: totalPes > 0 ? 1 - mapping.busyPes / totalPes : 1,
    },
  };
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** The protocol payload: Uint16 occupancy fractions of a PE's SRAM and Uint8 utilization, base64. */
export function encodeHeatmap(
  heatmap: LayerHeatmap,
  meta: { uri: string; layer: number; layerName: string; layerCount: number; sramPerPeBytes: number; dies: { columns: number; rows: number; assumption: boolean } },
): HeatmapPayload {
  const count = heatmap.width * heatmap.height;
  const occupancy = new Uint8Array(count * 2);
  const view = new DataView(occupancy.buffer);
  const utilization = new Uint8Array(count);
  const perPe = meta.sramPerPeBytes > 0 ? meta.sramPerPeBytes : 1;
  for (let i = 0; i < count; i++) {
    const fraction = heatmap.occupancyBytes[i] / perPe;
    view.setUint16(i * 2, fraction >= 1 ? 65535 : fraction > 0 ? Math.round(fraction * 65535) : 0, true);
    const u = heatmap.utilization[i];
    utilization[i] = u >= 1 ? 255 : u > 0 ? Math.round(u * 255) : 0;
  }
  return {
    uri: meta.uri,
    layer: meta.layer,
    layerName: meta.layerName,
    layerCount: meta.layerCount,
    width: heatmap.width,
    height: heatmap.height,
    sramPerPeBytes: meta.sramPerPeBytes,
    dies: meta.dies,
    occupancy: toBase64(occupancy),
    utilization: toBase64(utilization),
    regions: heatmap.regions,
    summary: heatmap.summary,
  };
}
