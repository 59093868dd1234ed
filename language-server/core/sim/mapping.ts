/**
 * How one layer spreads over the PE grid while it runs (weight-streaming mode maps one layer onto
 * the whole wafer at a time).
 *
 * The Cerebras compiler's placement is not published. This is a structural model, every part of it
 * an assumption:
 * - Kernels. Every matrix multiply of the layer, the attention score/value products (no weights)
 *   and the embedding lookups are kernels. Each kernel gets its own rectangle of PEs and the kernels
 *   run as a dataflow pipeline, so the layer computes as fast as its slowest PE.
 * - Sizes. A kernel's share of the grid follows its forward FLOPs, so that all keep pace. Kernels
 *   without FLOPs (lookups) next to kernels with FLOPs get a share in proportion to their weights,
 *   at the matmuls' weight density; a layer without FLOPs (the embedding) is split by weights.
 * - Layout. The rectangles come from an ordered treemap after the squarified one (Bruls, Huizing
 *   and van Wijk, "Squarified Treemaps", 2000), kept in forward order so that kernels which pass
 *   activations to each other are neighbours: bands stack across the free area, and the next
 *   kernel joins the current band while that does not worsen the band's worst aspect ratio. Band
 *   thicknesses and the kernels' lengths along a band are whole PEs chosen for the tiles, not only
 *   the areas: the lengths minimise the band's busiest PE, and the thickness is where that meets
 *   the load the kernels still to place would have. Several candidate layouts are made (bands
 *   along the shorter side, all rows or all columns; several expectations for the rest) and the
 *   one whose busiest PE has the least to do is kept, as a compiler's search would. The rectangles
 *   tile the grid; a kernel's PE count is its share, moved by whole tiles.
 * - Tiles. In its rectangle a matrix is cut into equal blocks, one per PE, aligned with the PE rows
 *   and columns (inputs flow along one axis, partial sums along the other): ceil(rows / PE rows) x
 *   ceil(cols / PE columns) elements, with the last tile row and column holding the remainder
 *   (partial tiles: fewer bytes, fewer FLOPs). Of the two orientations (matrix rows along the
 *   rectangle's height or its width) the one with the smaller block is used. PE rows and columns
 *   the tiles do not reach are leftover and idle: the reported region is the box the tiles cover.
 *   Routed experts sit side by side: the kernel holds a rows x (cols x copies) matrix.
 * - Attention has no weights: its work (query blocks x heads) is dealt evenly over its rectangle,
 *   which also balances the causal mask; one PE per element of the s x s score matrix at most.
 * - Time. A PE computes for its tile's FLOPs / per-PE peak; the layer's compute time is its busiest
 *   PE's. A PE's utilization is its compute time over the layer's forward wall time on the
 *   timeline (the compute time, or longer while the layer waits for its weight stream): the
 *   critical kernel shows 1 when the layer is compute-bound, and every PE shows the wait when it
 *   is stream-bound. A lookup PE works while it sends its part of each token's table row onto the
 *   fabric (`FABRIC_WAVELET_BYTES`); the timeline leaves that out, it is tiny next to the stream.
 *
 * The summary (`mapLayer`) is cheap and cached per layer shape; the per-PE arrays (`layerHeatmap`)
 * are built lazily for one layer at a time.
 */
import { encodeRuns, runsToBytes } from '../../../protocol/runLength';
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

/** A rectangle of PEs: columns [x, x + width), rows [y, y + height). */
export interface PeRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * One kernel on the grid. The HeatmapRegion part is the box its tiles cover; `rows` x `cols` is the
 * matrix as laid out (transposed when its rows run along the box's width), cut into `tileRows` x
 * `tileCols` tiles, tile (i, j) on PE (x + j, y + i): row-major over the box, as the protocol says.
 */
export interface MappedRegion extends HeatmapRegion {
  kind: LayerWork['kind'];
  /** 'matrix': one tile per PE; 'spread': work and bytes dealt evenly (attention, or kernels sharing PEs). */
  tiling: 'matrix' | 'spread';
  /** The matrix's rows run along the box's width (its label says so). */
  transposed: boolean;
  /** The rectangle the layout gave the kernel; the box is its top-left part. */
  cell: PeRect;
  /** PEs of the cell and PEs of the box (each holds a tile). */
  pes: number;
  busyPes: number;
  /** Rows x columns of a full tile, and of the last tile row / column (the remainder), as laid out. */
  blockRows: number;
  blockCols: number;
  lastRows: number;
  lastCols: number;
  /** Rows of the table as stored (lookups: one row is read per token). */
  tableRows: number;
  /** Forward FLOPs per token on the busiest PE of the region. */
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
 * Tensors of a vision tower that rides in the embedding layer (Gemma 3). Assumption: planning is
 * for text tokens; the tower's weights are held, streamed and updated like any other, but its
 * compute runs per image patch, which a config.json does not size, so it adds no per-token work.
 */
const VISION_TOWER_PREFIXES = ['vision.', 'multi_modal_projector.'];

function isVisionTower(name: string): boolean {
  return VISION_TOWER_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/**
 * Keys one query attends to on average over a causal sequence of `s` tokens: s/2 for global
 * attention (the convention of the FLOP count below); with a sliding window of `w` < s tokens,
 * token i sees min(i, w) keys, (w(w+1)/2 + (s-w)w) / s on average (exact sum, no assumption).
 */
export function attendedKeys(s: number, window?: number): number {
  if (window === undefined || !(window > 0) || window >= s) return s / 2;
  return (window * (window + 1) / 2 + (s - window) * window) / s;
}

/** The window a decoder layer attends through, undefined for global attention. */
export function layerWindow(layer: LayerStructure, model: ModelDescription): number | undefined {
  return layer.pattern?.attention === 'sliding' && model.slidingWindow !== undefined && model.slidingWindow > 0 ? model.slidingWindow : undefined;
}

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
    if (layer.kind === 'embedding' && (EMBEDDING_TABLES.has(tensor.name) || isVisionTower(tensor.name))) {
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
    // QK^T and AV: 2 FLOPs per multiply-add, over the keys each query attends to.
    const window = layerWindow(layer, model);
    const flops = 2 * attendedKeys(s, window) * a * (positiveInt(qk) + positiveInt(v));
    work.splice(attentionAt, 0, {
      label: window !== undefined ? `attention (scores, values; window ${window})` : 'attention (scores, values)',
      kind: 'attention',
      rows: s,
      cols: window !== undefined ? Math.min(s, window) : s,
      copies: 1,
      activeCopies: 1,
      flopsPerToken: flops,
      elements: 0,
    });
  }
  return work;
}

// ------------------------------------------------------------------------------------------------
// Sizes and layout

/** A kernel as the layout sees it (several kernels merge when the grid has fewer PEs than kernels). */
interface Placeable {
  label: string;
  kind: LayerWork['kind'];
  tiling: MappedRegion['tiling'];
  rows: number;
  cols: number;
  tableRows: number;
  flopsPerToken: number;
  elements: number;
  share: number;
}

function sum(values: number[], from = 0, to = values.length): number {
  let total = 0;
  for (let i = from; i < to; i++) total += values[i];
  return total;
}

/**
 * Each kernel's share of the grid: FLOPs for kernels that compute, and for lookups beside them
 * their weights at the density of the matmuls; weights alone in a layer without FLOPs. Kernels
 * with neither (an empty matrix) get no PEs.
 */
function shares(work: LayerWork[]): number[] {
  const flops = sum(work.map((w) => (w.flopsPerToken > 0 ? w.flopsPerToken : 0)));
  const elements = sum(work.map((w) => (w.elements > 0 ? w.elements : 0)));
  if (!(flops > 0)) return work.map((w) => (elements > 0 && w.elements > 0 ? w.elements / elements : 0));
  const idleElements = sum(work.map((w) => (w.flopsPerToken > 0 ? 0 : Math.max(0, w.elements))));
  // Lookups take their part of all weights; the computing kernels split the rest by FLOPs. (When
  // the computing kernels hold no weights there is no density to match: half each, arbitrarily.)
  const computingElements = elements - idleElements;
  const computingPart = computingElements > 0 ? computingElements / elements : idleElements > 0 ? 0.5 : 1;
  return work.map((w) => {
    if (w.flopsPerToken > 0) return (computingPart * w.flopsPerToken) / flops;
    return idleElements > 0 && w.elements > 0 ? ((1 - computingPart) * w.elements) / idleElements : 0;
  });
}

/**
 * Whole numbers summing to `total`, each at least `minimum`, in proportion to `weights` (largest
 * remainder); needs weights.length x minimum <= total.
 */
function apportion(weights: number[], total: number, minimum: number): number[] {
  const n = weights.length;
  if (n === 0) return [];
  const weightSum = sum(weights);
  const exact = weights.map((w) => (weightSum > 0 ? (total * w) / weightSum : total / n));
  const parts = exact.map((e) => Math.max(minimum, Math.floor(e)));
  let assigned = sum(parts);
  if (assigned < total) {
    const order = exact.map((e, i) => i).sort((a, b) => exact[b] - parts[b] - (exact[a] - parts[a]) || a - b);
    for (let k = 0; assigned < total; k++, assigned++) parts[order[k % n]]++;
  }
  // The minimum overflowed: take from the largest.
  while (assigned > total) {
    let largest = 0;
    for (let i = 1; i < n; i++) if (parts[i] > parts[largest]) largest = i;
    if (parts[largest] <= minimum) break;
    parts[largest]--;
    assigned--;
  }
  return parts;
}

/** Worst aspect ratio of a band of `areas[from..to)` laid along a side of `side` PEs (squarified treemap). */
function worstAspect(areas: number[], from: number, to: number, side: number): number {
  let total = 0;
  let largest = 0;
  let smallest = Infinity;
  for (let i = from; i < to; i++) {
    total += areas[i];
    if (areas[i] > largest) largest = areas[i];
    if (areas[i] < smallest) smallest = areas[i];
  }
  if (!(total > 0 && smallest > 0)) return Infinity;
  const sideSquared = side * side;
  const totalSquared = total * total;
  return Math.max((sideSquared * largest) / totalSquared, totalSquared / (sideSquared * smallest));
}

/** Elements per tile along a dimension of `size` elements cut over at most `pes` PEs. */
function blockOf(size: number, pes: number): number {
  return Math.ceil(size / Math.min(size, pes));
}

/**
 * The busiest PE's part of the layer's work when a kernel runs on a cell of a x b PEs (either way
 * round; the smaller block wins, as in `fitTiles`): its share x the largest tile's fraction of its
 * matrix, or its share over its PEs when spread. The layout balances this load.
 */
function peLoad(kernel: Placeable, a: number, b: number): number {
  if (kernel.tiling === 'spread') {
    const along = kernel.rows > 0 ? Math.min(a, kernel.rows) : a;
    const across = kernel.cols > 0 ? Math.min(b, kernel.cols) : b;
    return kernel.share / (along * across);
  }
  const r = kernel.rows;
  const c = kernel.cols;
  return (kernel.share * Math.min(blockOf(r, a) * blockOf(c, b), blockOf(c, a) * blockOf(r, b))) / (r * c);
}

/** Loads within this relative distance count as equal (they come from the same few integers). */
const LOAD_TOLERANCE = 1e-12;

/**
 * The shortest length (1..side) at which a kernel in a band of `thickness` keeps its load at or
 * under `target`, in closed form (side + 1 if no length does). A matrix block of br x bc elements
 * meets the target when bc <= floor(budget / br); ceil(cols / length) <= m needs length >= ceil(cols / m).
 */
function shortestLength(kernel: Placeable, thickness: number, side: number, target: number): number {
  const allowed = target * (1 + LOAD_TOLERANCE);
  let length: number;
  if (kernel.tiling === 'spread') {
    const along = kernel.rows > 0 ? Math.min(thickness, kernel.rows) : thickness;
    length = Math.max(1, Math.ceil((kernel.share / (allowed * along)) * (1 - LOAD_TOLERANCE)));
    if (kernel.cols > 0 && length > kernel.cols) length = peLoad(kernel, thickness, kernel.cols) <= allowed ? kernel.cols : Infinity;
  } else {
    const r = kernel.rows;
    const c = kernel.cols;
    const budget = (allowed * r * c) / kernel.share;
    const upright = Math.floor(budget / blockOf(r, thickness));
    const turned = Math.floor(budget / blockOf(c, thickness));
    length = Math.min(upright >= 1 ? Math.ceil(c / upright) : Infinity, turned >= 1 ? Math.ceil(r / turned) : Infinity);
  }
  return length <= side ? Math.max(1, length) : side + 1;
}

/** Relative width of the bracket at which the bisection on a band's load stops. */
const BALANCE_PRECISION = 1e-7;
/** Bisection steps at most (each halves the bracket). */
const BALANCE_STEPS = 64;

/**
 * Lengths along the band's side for kernels[from..to) at a given thickness that minimise the band's
 * largest load (bisection on the load; each kernel takes the shortest length that meets it). PEs
 * left over go to the kernels by share (more PEs never slow a kernel down).
 */
function balanceBand(kernels: Placeable[], from: number, to: number, thickness: number, side: number): { load: number; lengths: number[] } {
  const count = to - from;
  const proportional = apportion(
    kernels.slice(from, to).map((k) => k.share),
    side,
    1,
  );
  let lo = 0;
  let hi = 0;
  for (let j = 0; j < count; j++) {
    lo = Math.max(lo, peLoad(kernels[from + j], thickness, side));
    hi = Math.max(hi, peLoad(kernels[from + j], thickness, proportional[j]));
  }
  for (let step = 0; step < BALANCE_STEPS && hi - lo > hi * BALANCE_PRECISION; step++) {
    const mid = (lo + hi) / 2;
    let total = 0;
    for (let j = from; j < to && total <= side; j++) total += shortestLength(kernels[j], thickness, side, mid);
    if (total <= side) hi = mid;
    else lo = mid;
  }
  const lengths: number[] = [];
  for (let j = from; j < to; j++) lengths.push(shortestLength(kernels[j], thickness, side, hi));
  if (sum(lengths) > side) lengths.splice(0, count, ...proportional);
  const spare = side - sum(lengths);
  if (spare > 0) {
    const extra = apportion(
      kernels.slice(from, to).map((k) => k.share),
      spare,
      0,
    );
    for (let j = 0; j < count; j++) lengths[j] += extra[j];
  }
  let load = 0;
  for (let j = 0; j < count; j++) load = Math.max(load, peLoad(kernels[from + j], thickness, lengths[j]));
  return { load, lengths };
}

/**
 * How much slower than an even division of their work the kernels still to place are expected to
 * be, when a band's thickness is chosen: a search grid (the layout keeps the best result), not a
 * property of the hardware.
 */
const REST_LOAD_FACTORS = [1, 1.03, 1.06, 1.1, 1.15, 1.2, 1.3, 1.45, 1.7];

/**
 * Which way the bands run: along the shorter side of the free area (squarified), or always as
 * full-width rows or full-height columns. The layout tries all three.
 */
type BandDirection = 'shorter-side' | 'rows' | 'columns';
const BAND_DIRECTIONS: BandDirection[] = ['shorter-side', 'rows', 'columns'];

/**
 * The layout: an ordered squarified treemap whose band thicknesses and lengths are chosen for the
 * tiles, not only the areas. A band's members come from the aspect-ratio rule; its thickness is the
 * one where the band's balanced load meets the load the kernels still to place would have if
 * their work divided evenly over the rest; lengths balance the loads within the band. One cell per
 * kernel, in order, tiling the width x height grid exactly. Needs kernels.length <= width x height.
 */
function layoutCells(kernels: Placeable[], width: number, height: number, restFactor: number, bands: BandDirection): PeRect[] {
  const n = kernels.length;
  const shareList = kernels.map((k) => k.share);
  const cells: PeRect[] = [];
  let freeX = 0;
  let freeY = 0;
  let freeWidth = width;
  let freeHeight = height;
  let i = 0;
  while (i < n && freeWidth > 0 && freeHeight > 0) {
    const remaining = sum(shareList, i);
    const scale = (freeWidth * freeHeight) / remaining;
    const areas = shareList.map((s) => s * scale);
    // A band runs along `side` and bands stack across `depth`.
    const columnBand = bands === 'columns' || (bands === 'shorter-side' && freeWidth > freeHeight);
    const side = columnBand ? freeHeight : freeWidth;
    const depth = columnBand ? freeWidth : freeHeight;
    let k = i + 1;
    let worst = worstAspect(areas, i, k, side);
    while (k < n && k - i < side) {
      const next = worstAspect(areas, i, k + 1, side);
      if (next > worst) break;
      worst = next;
      k++;
    }
    // Leave at least one PE for each kernel still to place (only tight on tiny grids).
    while (k < n && k - i < side && depth - Math.ceil((n - k) / side) < 1) k++;

    let thickness = depth;
    let band: { load: number; lengths: number[] };
    if (k === n) {
      band = balanceBand(kernels, i, k, thickness, side);
    } else {
      const restShare = sum(shareList, k);
      const thickest = Math.max(1, depth - Math.ceil((n - k) / side));
      const tried = new Map<number, { load: number; lengths: number[] }>();
      const bandAt = (t: number) => {
        let result = tried.get(t);
        if (!result) {
          result = balanceBand(kernels, i, k, t, side);
          tried.set(t, result);
        }
        return result;
      };
      const restLoad = (t: number) => (restFactor * restShare) / ((depth - t) * side);
      // The band's load falls and the rest's rises with the thickness: find where they cross.
      let lo = 1;
      let hi = thickest;
      if (bandAt(hi).load > restLoad(hi)) lo = hi;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (bandAt(mid).load <= restLoad(mid)) hi = mid;
        else lo = mid + 1;
      }
      thickness = lo;
      if (lo > 1 && Math.max(bandAt(lo - 1).load, restLoad(lo - 1)) < Math.max(bandAt(lo).load, restLoad(lo))) thickness = lo - 1;
      band = bandAt(thickness);
    }
    let offset = 0;
    for (const length of band.lengths) {
      cells.push(
        columnBand
          ? { x: freeX, y: freeY + offset, width: thickness, height: length }
          : { x: freeX + offset, y: freeY, width: length, height: thickness },
      );
      offset += length;
    }
    if (columnBand) {
      freeX += thickness;
      freeWidth -= thickness;
    } else {
      freeY += thickness;
      freeHeight -= thickness;
    }
    i = k;
  }
  return cells;
}

/** Equal blocks of a dimension of `size` elements over at most `pes` PEs: block length and blocks used. */
function split(size: number, pes: number): { block: number; tiles: number; last: number } {
  const block = Math.ceil(size / Math.min(size, pes));
  const tiles = Math.ceil(size / block);
  return { block, tiles, last: size - block * (tiles - 1) };
}

interface TileGrid {
  transposed: boolean;
  /** As laid out: along the cell's height (rows) and its width (cols). */
  rows: number;
  cols: number;
  tileRows: number;
  tileCols: number;
  blockRows: number;
  blockCols: number;
  lastRows: number;
  lastCols: number;
}

/** The tile grid of a rows x cols matrix in a cell, in the orientation with the smaller block. */
function fitTiles(rows: number, cols: number, cell: PeRect): TileGrid {
  const grid = (r: number, c: number, transposed: boolean): TileGrid => {
    const down = split(r, cell.height);
    const across = split(c, cell.width);
    return {
      transposed,
      rows: r,
      cols: c,
      tileRows: down.tiles,
      tileCols: across.tiles,
      blockRows: down.block,
      blockCols: across.block,
      lastRows: down.last,
      lastCols: across.last,
    };
  };
  const upright = grid(rows, cols, false);
  if (rows === cols) return upright;
  const turned = grid(cols, rows, true);
  return turned.blockRows * turned.blockCols < upright.blockRows * upright.blockCols ? turned : upright;
}

function placeables(work: LayerWork[], totalPes: number): Placeable[] {
  const share = shares(work);
  const list: Placeable[] = [];
  work.forEach((w, i) => {
    if (!(share[i] > 0) || w.rows <= 0 || w.cols <= 0) return;
    const attention = w.kind === 'attention';
    list.push({
      label: w.label,
      kind: w.kind,
      tiling: attention ? 'spread' : 'matrix',
      rows: w.rows,
      // Expert copies sit side by side.
      cols: attention ? w.cols : w.cols * w.copies,
      tableRows: w.rows,
      flopsPerToken: Math.max(0, w.flopsPerToken),
      elements: Math.max(0, w.elements),
      share: share[i],
    });
  });
  // Fewer PEs than kernels (a tiny grid override): the last kernels share the last PEs.
  if (list.length > totalPes) {
    const rest = list.splice(Math.max(0, totalPes - 1));
    list.push({
      label: rest.map((p) => p.label).join(' + '),
      kind: rest.some((p) => p.kind === 'matmul') ? 'matmul' : rest[0].kind,
      tiling: 'spread',
      rows: 0,
      cols: 0,
      tableRows: 0,
      flopsPerToken: sum(rest.map((p) => p.flopsPerToken)),
      elements: sum(rest.map((p) => p.elements)),
      share: sum(rest.map((p) => p.share)),
    });
  }
  return list;
}

/** Mappings already made: a pure function of the work and the grid, searched over many layouts. */
const mappingCache = new Map<string, LayerMapping>();
/** Entries kept before the cache starts over (a few layer shapes per model, a few models open). */
const MAPPING_CACHE_SIZE = 256;

/**
 * The placement summary of one layer (no per-PE arrays). The result is shared between callers
 * asking for the same work on the same grid: treat it as read-only.
 */
export function mapLayer(work: LayerWork[], gridWidth: number, gridHeight: number): LayerMapping {
  const width = Math.max(1, positiveInt(gridWidth));
  const height = Math.max(1, positiveInt(gridHeight));
  let key = `${width}x${height}`;
  for (const w of work) key += `|${w.label}:${w.kind}:${w.rows}:${w.cols}:${w.copies}:${w.activeCopies}:${w.flopsPerToken}:${w.elements}`;
  let mapping = mappingCache.get(key);
  if (!mapping) {
    mapping = computeMapping(work, width, height);
    if (mappingCache.size >= MAPPING_CACHE_SIZE) mappingCache.clear();
    mappingCache.set(key, mapping);
  }
  return mapping;
}

function computeMapping(work: LayerWork[], width: number, height: number): LayerMapping {
  const totalPes = width * height;
  const totalFlops = sum(work.map((w) => (w.flopsPerToken > 0 ? w.flopsPerToken : 0)));
  const kernels = placeables(work, totalPes);
  // The kernels placed later are quantised too: try layouts that expect them to be slower than
  // an even division, and keep the one whose busiest PE has the least to do.
  let cells: PeRect[] = [];
  let bestLoad = Infinity;
  for (const candidate of BAND_DIRECTIONS.flatMap((bands) => REST_LOAD_FACTORS.map((factor) => layoutCells(kernels, width, height, factor, bands)))) {
    if (candidate.length !== kernels.length) continue;
    let load = 0;
    for (let i = 0; i < candidate.length; i++) load = Math.max(load, peLoad(kernels[i], candidate[i].height, candidate[i].width));
    if (load < bestLoad) {
      bestLoad = load;
      cells = candidate;
    }
  }
  const regions: MappedRegion[] = [];
  let busyPes = 0;
  let maxPeFlops = 0;
  for (let i = 0; i < cells.length; i++) {
    const kernel = kernels[i];
    const cell = cells[i];
    let grid: TileGrid;
    if (kernel.tiling === 'matrix') {
      grid = fitTiles(kernel.rows, kernel.cols, cell);
    } else {
      // Dealt evenly: at most one PE per score element, the box as large as the cell allows.
      const tileRows = kernel.rows > 0 ? Math.min(cell.height, kernel.rows) : cell.height;
      const tileCols = kernel.cols > 0 ? Math.min(cell.width, kernel.cols) : cell.width;
      const blockRows = Math.ceil(kernel.rows / tileRows);
      const blockCols = Math.ceil(kernel.cols / tileCols);
      grid = {
        transposed: false,
        rows: kernel.rows,
        cols: kernel.cols,
        tileRows,
        tileCols,
        blockRows,
        blockCols,
        lastRows: kernel.rows - blockRows * (tileRows - 1),
        lastCols: kernel.cols - blockCols * (tileCols - 1),
      };
    }
    const busy = grid.tileRows * grid.tileCols;
    const peFlops =
      kernel.tiling === 'spread'
        ? kernel.flopsPerToken / busy
        : kernel.elements > 0
          ? (kernel.flopsPerToken * grid.blockRows * grid.blockCols) / kernel.elements
          : 0;
    regions.push({
      x: cell.x,
      y: cell.y,
      width: grid.tileCols,
      height: grid.tileRows,
      label: grid.transposed ? `${kernel.label} (transposed)` : kernel.label,
      tileRows: grid.tileRows,
      tileCols: grid.tileCols,
      rows: grid.rows,
      cols: grid.cols,
      kind: kernel.kind,
      tiling: kernel.tiling,
      transposed: grid.transposed,
      cell,
      pes: cell.width * cell.height,
      busyPes: busy,
      blockRows: grid.blockRows,
      blockCols: grid.blockCols,
      lastRows: grid.lastRows,
      lastCols: grid.lastCols,
      tableRows: kernel.tableRows,
      maxPeFlopsPerToken: peFlops,
      flopsPerToken: kernel.flopsPerToken,
      elements: kernel.elements,
    });
    busyPes += busy;
    if (peFlops > maxPeFlops) maxPeFlops = peFlops;
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

// ------------------------------------------------------------------------------------------------
// Per-PE arrays

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

/** The layer's forward pass on the timeline, for per-PE utilization. */
export interface HeatmapTiming {
  /** The timeline's forward compute time of the layer (its busiest PE's), seconds. */
  computeSeconds: number;
  /** The timeline's forward bar of the layer: compute, or longer while it waits for its weight stream. */
  wallSeconds: number;
  /** Tokens of the micro-batch (lookups are timed here; the timeline leaves them out). */
  tokens: number;
  /** Seconds a PE takes to send one table element to the fabric (`lookupSecondsPerElement`). */
  lookupSecondsPerElement: number;
}

/**
 * The fabric moves data in 32-bit wavelets (Cerebras SDK documentation). That a PE sends one
 * wavelet per clock cycle while serving a lookup is an assumption.
 */
export const FABRIC_WAVELET_BYTES = 4;

/** Time to send one table element of `elementBytes` at one wavelet per cycle of `clockHz`. */
export function lookupSecondsPerElement(elementBytes: number, clockHz: number): number {
  if (!(clockHz > 0) || !(elementBytes > 0)) return 0;
  return 1 / (clockHz * Math.max(1, Math.floor(FABRIC_WAVELET_BYTES / elementBytes)));
}

export interface LayerHeatmap {
  width: number;
  height: number;
  /** Per-PE SRAM bytes used, row-major. */
  occupancyBytes: Float32Array;
  /** Per-PE compute utilization 0..1 (time the PE computes / the layer's forward wall time), row-major. */
  utilization: Float32Array;
  regions: HeatmapRegion[];
  summary: { busyPes: number; totalPes: number; sramUsedBytes: number; sramTotalBytes: number; idleFraction: number };
}

/**
 * Per-PE SRAM occupancy and compute utilization of one layer (about 893k PEs on a WSE-3; a few
 * milliseconds). Fills row segments of each box, so the cost is about one pass over the grid.
 *
 * SRAM: every PE holds the workspace and its share of on-wafer checkpoints; busy PEs hold their
 * tile and an even share of the activations and stream buffers. Where that share would overflow a
 * PE (a dense tile), the excess goes to PEs with room, in proportion to their room: activations
 * and buffers can live anywhere, tiles cannot. Without `timing` utilization is relative to the
 * busiest PE (a compute-bound layer).
 */
export function layerHeatmap(mapping: LayerMapping, memory: HeatmapMemory, sramPerPeBytes: number, timing?: HeatmapTiming): LayerHeatmap {
  const { width, height, totalPes } = mapping;
  const occupancy = new Float32Array(totalPes);
  const utilization = new Float32Array(totalPes);
  const everywhere = Math.max(0, memory.workspacePerPeBytes) + Math.max(0, memory.checkpointBytes) / totalPes;
  occupancy.fill(everywhere);
  const busyShare = mapping.busyPes > 0 ? Math.max(0, memory.sharedBytes) / mapping.busyPes : 0;
  const elementBytes = Math.max(0, memory.weightElementBytes);
  const base = everywhere + busyShare;
  // Utilization of a PE computing f FLOPs per token: (f / busiest) x (compute time / wall time).
  const wallRatio = timing ? (timing.wallSeconds > 0 ? Math.min(1, Math.max(0, timing.computeSeconds) / timing.wallSeconds) : 0) : 1;
  const utilPerFlop = mapping.maxPeFlopsPerToken > 0 ? wallRatio / mapping.maxPeFlopsPerToken : 0;
  const lookupWork = timing && timing.wallSeconds > 0 ? (Math.max(0, timing.tokens) * Math.max(0, timing.lookupSecondsPerElement)) / timing.wallSeconds : 0;
  let fullest = everywhere;

  const fillBox = (region: MappedRegion, valueAt: (tileRow: number, tileCol: number) => [number, number]): void => {
    for (let r = 0; r < region.tileRows; r++) {
      const start = (region.y + r) * width + region.x;
      const end = start + region.tileCols;
      const [bytes, util] = valueAt(r, 0);
      occupancy.fill(bytes, start, end - 1);
      utilization.fill(util, start, end - 1);
      const [lastBytes, lastUtil] = valueAt(r, region.tileCols - 1);
      occupancy[end - 1] = lastBytes;
      utilization[end - 1] = lastUtil;
      if (bytes > fullest) fullest = bytes;
      if (lastBytes > fullest) fullest = lastBytes;
    }
  };

  for (const region of mapping.regions) {
    if (region.tileRows <= 0 || region.tileCols <= 0) continue;
    if (region.tiling === 'spread') {
      const bytes = base + (region.elements * elementBytes) / region.busyPes;
      const util = (region.flopsPerToken / region.busyPes) * utilPerFlop;
      fillBox(region, () => [bytes, util]);
      continue;
    }
    const { blockRows, blockCols, lastRows, lastCols, tileRows, tileCols } = region;
    const flopsPerElement = region.elements > 0 ? region.flopsPerToken / region.elements : 0;
    // A lookup PE sends its part of each token's table row: elements / table rows per token.
    const lookupPerElement = region.kind === 'lookup' && region.tableRows > 0 ? lookupWork / region.tableRows : 0;
    fillBox(region, (r, c) => {
      const elements = (r === tileRows - 1 ? lastRows : blockRows) * (c === tileCols - 1 ? lastCols : blockCols);
      return [base + elements * elementBytes, Math.min(1, elements * (flopsPerElement * utilPerFlop + lookupPerElement))];
    });
  }

  if (sramPerPeBytes > 0 && fullest > sramPerPeBytes && busyShare > 0) moveOverflow(mapping, occupancy, busyShare, sramPerPeBytes);

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

/**
 * Moves the activation/buffer bytes that overflow a busy PE (at most its even share) to PEs with
 * room, in proportion to their room. When the layer does not fit at all, what is left is spread
 * evenly (the picture then shows every PE full).
 */
function moveOverflow(mapping: LayerMapping, occupancy: Float32Array, busyShare: number, cap: number): void {
  const { width } = mapping;
  let moved = 0;
  for (const region of mapping.regions) {
    for (let r = 0; r < region.tileRows; r++) {
      const start = (region.y + r) * width + region.x;
      for (let i = start; i < start + region.tileCols; i++) {
        const excess = occupancy[i] - cap;
        if (excess > 0) {
          const take = Math.min(excess, busyShare);
          occupancy[i] -= take;
          moved += take;
        }
      }
    }
  }
  let room = 0;
  for (let i = 0; i < occupancy.length; i++) if (occupancy[i] < cap) room += cap - occupancy[i];
  if (room > 0) {
    const fraction = Math.min(1, moved / room);
    for (let i = 0; i < occupancy.length; i++) if (occupancy[i] < cap) occupancy[i] += (cap - occupancy[i]) * fraction;
    moved -= Math.min(moved, room);
  }
  if (moved > 0) {
    const each = moved / occupancy.length;
    for (let i = 0; i < occupancy.length; i++) occupancy[i] += each;
  }
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
  const occupancy = new Uint16Array(count);
  const utilization = new Uint8Array(count);
  const perPe = meta.sramPerPeBytes > 0 ? meta.sramPerPeBytes : 1;
  for (let i = 0; i < count; i++) {
    const fraction = heatmap.occupancyBytes[i] / perPe;
    // 65535 is reserved for "over capacity" (the PE needs more than its SRAM); a full PE is 65534.
    occupancy[i] = fraction > 1 ? 65535 : fraction > 0 ? Math.max(1, Math.min(65534, Math.round(fraction * 65535))) : 0;
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
    occupancy: toBase64(runsToBytes(encodeRuns(occupancy))),
    utilization: toBase64(runsToBytes(encodeRuns(utilization))),
    regions: heatmap.regions,
    summary: heatmap.summary,
  };
}
