/**
 * The panel's view-model: everything the views compute from what the host sends, with no DOM.
 * The DOM and canvas code (`heatmap.ts`, `timeline.ts`, `memory.ts`, `summary.ts`) only draws what
 * these functions return, so the arithmetic is unit-tested in plain Node.
 *
 * Nothing here simulates: the numbers come from the language server's report and payloads.
 */
import { decodeRunsInto, runsFromBytes } from '../protocol/runLength';
import { scaleLinear, scaleSequential, type ScaleSequential } from 'd3-scale';
import { interpolateInferno, interpolateViridis } from 'd3-scale-chromatic';
import type {
  Bound,
  ConstantUse,
  FitStatus,
  HeatmapPayload,
  HeatmapRegion,
  Lane,
  LayerMemory,
  PanelState,
  PanelView,
  Report,
  ResultNotification,
  ScalingPoint,
  ScalingResult,
  TimelineBar,
  TimelineResult,
} from '../protocol/index';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatInteger,
  formatPercent,
  formatSeconds,
  formatSpeedup,
} from '../language-server/core/format/units';
import {
  bytesPair,
  checkpointsText,
  constantValueText as constantText,
  exactParametersText,
  largestLayerText,
  memoryxText,
  misfitReason,
  waferOccupancyText,
} from '../language-server/core/format/figures';

export type HeatmapMetric = PanelState['metric'];

export const PANEL_VIEWS: readonly PanelView[] = ['heatmap', 'timeline', 'memory', 'summary', 'plan'];

export const VIEW_TITLES: Record<PanelView, string> = {
  heatmap: 'Wafer heatmap',
  timeline: 'Timeline & scaling',
  memory: 'Memory',
  summary: 'Summary',
  plan: 'Plan',
};

// ---------------------------------------------------------------------------------------------
// Panel state

export const DEFAULT_STATE: PanelState = { view: 'heatmap', layer: 0, metric: 'sram', systems: 0 };

/**
 * What `getState()` returned, made safe: VS Code hands back whatever an older version of the panel
 * stored, so every field is checked. `systems: 0` means "as the job is configured".
 */
export function restoreState(raw: unknown): PanelState {
  const state: PanelState = { ...DEFAULT_STATE };
  if (!raw || typeof raw !== 'object') return state;
  const r = raw as Record<string, unknown>;
  if (typeof r.uri === 'string') state.uri = r.uri;
  if (typeof r.view === 'string' && (PANEL_VIEWS as readonly string[]).includes(r.view)) {
    state.view = r.view as PanelView;
  }
  if (typeof r.layer === 'number' && Number.isInteger(r.layer) && r.layer >= 0) state.layer = r.layer;
  if (r.metric === 'sram' || r.metric === 'compute') state.metric = r.metric;
  if (typeof r.systems === 'number' && Number.isInteger(r.systems) && r.systems >= 0 && r.systems <= 1 << 20) {
    state.systems = r.systems;
  }
  return state;
}

/** The layer index kept in range: a new result may have fewer layers than the one before. */
export function clampLayer(layer: number, layerCount: number): number {
  if (!Number.isFinite(layerCount) || layerCount < 1) return 0;
  if (!Number.isFinite(layer) || layer < 0) return 0;
  return Math.min(Math.floor(layer), Math.floor(layerCount) - 1);
}

/**
 * The layer a new document opens on: the one where the wafer occupancy peaks (the layer that
 * decides the fit, over capacity or not), else its first decoder layer, else the first layer.
 */
export function defaultLayer(report: Report | null | undefined): number {
  const peak = report?.wafer?.peakLayer?.index;
  if (typeof peak === 'number' && peak >= 0 && peak < (report?.wafer?.layers.length ?? 0)) return peak;
  const index = report?.wafer?.layers.findIndex((layer) => layer.name.startsWith('decoder')) ?? -1;
  return index >= 0 ? index : 0;
}

/** How many layers the heatmap slider spans, known from the report before any heatmap arrives. */
export function layerCountOf(report: Report | null | undefined): number {
  return report?.wafer?.layers.length ?? 0;
}

/** The systems the job runs on as configured (the timeline in the report is for this count). */
export function jobSystems(report: Report | null | undefined): number {
  return report?.training?.numCsx ?? report?.scaling?.systems ?? report?.cluster.systems ?? 1;
}

/** The systems the timeline view shows: the user's choice, else the job's own. */
export function effectiveSystems(state: PanelState, report: Report | null | undefined): number {
  return state.systems > 0 ? state.systems : jobSystems(report);
}

/** Largest cluster SwarmX builds (2,048 CS-3, wafer-scale.md "SwarmX"). */
export const MAX_SYSTEMS = 2048;

/** Powers of two up to 2,048, plus the job's own count when it is not a power of two (e.g. 12). */
export function systemsOptions(job: number): number[] {
  const options: number[] = [];
  for (let n = 1; n <= MAX_SYSTEMS; n *= 2) options.push(n);
  if (Number.isInteger(job) && job >= 1 && job <= MAX_SYSTEMS && !options.includes(job)) options.push(job);
  return options.sort((a, b) => a - b);
}

/**
 * A what-if above the cluster: the selector offers up to 2,048 systems, the cluster may have 16.
 * Say so, so a 64-system timeline is not read as something this cluster can run.
 */
export function systemsNote(selected: number, report: Report | null | undefined): string {
  const cluster = report?.cluster;
  if (!cluster || !(cluster.systems >= 1) || selected <= cluster.systems) return '';
  return `What-if: the cluster '${cluster.name}' has ${formatInteger(cluster.systems)} system${cluster.systems === 1 ? '' : 's'}; ${formatInteger(selected)} would need a larger one.`;
}

// ---------------------------------------------------------------------------------------------
// Status and empty states

export interface PanelStatusView {
  /** 'empty': nothing to show at all; 'blocked': a config we cannot simulate; 'ok': views have data. */
  kind: 'empty' | 'blocked' | 'ok';
  badge: string;
  badgeClass: 'fits' | 'does-not-fit' | 'invalid' | 'not-modelled' | 'cluster' | 'none';
  headline: string;
  detail?: string;
}

export const EMPTY_STATE_TEXT = 'Open a Model Zoo YAML, a Hugging Face config.json or a *.cluster.yaml';

export function panelStatus(result: ResultNotification | null | undefined): PanelStatusView {
  if (!result || result.status === 'not-a-config' || !result.report) {
    return { kind: 'empty', badge: '', badgeClass: 'none', headline: EMPTY_STATE_TEXT };
  }
  const status: FitStatus = result.status;
  const report = result.report;
  const hasSimulation = !!(report.memoryx || report.wafer || report.timeline);
  if (status === 'invalid') {
    const errors = (report.diagnostics ?? []).filter((d) => d?.severity === 'error').length;
    return {
      kind: hasSimulation ? 'ok' : 'blocked',
      badge: 'invalid',
      badgeClass: 'invalid',
      headline: 'This config has errors, so it cannot be simulated.',
      detail: `${errors} error${errors === 1 ? '' : 's'}: see the list below and the Problems view.`,
    };
  }
  if (status === 'not-modelled') {
    const family = report.model?.family;
    return {
      kind: hasSimulation ? 'ok' : 'blocked',
      badge: 'not modelled',
      badgeClass: 'not-modelled',
      headline: family
        ? `The model family “${family}” is not modelled yet.`
        : 'This kind of model is not modelled yet.',
      detail: result.summary,
    };
  }
  if (status === 'cluster' || !hasSimulation) {
    // A cluster file on its own: a summary of the cluster, nothing to simulate.
    const cluster = status === 'cluster' || !(status === 'fits' || status === 'does-not-fit');
    return {
      kind: 'blocked',
      badge: cluster ? 'cluster' : status === 'fits' ? 'fits' : 'does not fit',
      badgeClass: cluster ? 'cluster' : status,
      headline: status === 'cluster' ? `Cluster file: ${report.cluster?.name ?? ''}` : result.summary || 'No model in this file.',
      detail: 'The heatmap, timeline and memory views need a model config that uses this cluster.',
    };
  }
  return {
    kind: 'ok',
    badge: status === 'fits' ? 'fits' : 'does not fit',
    badgeClass: status,
    headline: result.summary,
  };
}

// ---------------------------------------------------------------------------------------------
// Heatmap payload decoding

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_LOOKUP = (() => {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < BASE64_ALPHABET.length; i++) table[BASE64_ALPHABET.charCodeAt(i)] = i;
  // Accept the URL-safe alphabet too: the producer is ours, but the decoder should not be fragile.
  table['-'.charCodeAt(0)] = 62;
  table['_'.charCodeAt(0)] = 63;
  return table;
})();

/**
 * Base64 to bytes without `atob` (which builds a binary string of the whole payload first); `null`
 * when the text is not base64. Whitespace is skipped; padding is optional.
 */
export function decodeBase64(text: string): Uint8Array | null {
  if (typeof text !== 'string') return null;
  // Newer engines decode natively (and an order of magnitude faster); older ones use the loop below.
  const native = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }).fromBase64;
  if (typeof native === 'function') {
    try {
      return native(text);
    } catch {
      // Fall through: the loop accepts what the strict native decoder rejects (URL-safe, no padding).
    }
  }
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61 /* = */) end--;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let bits = 0;
  let bitCount = 0;
  let written = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 32 || code === 10 || code === 13 || code === 9) continue;
    const value = code < 128 ? BASE64_LOOKUP[code] : -1;
    if (value < 0) return null;
    bits = ((bits << 6) | value) & 0xffffff;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      out[written++] = (bits >> bitCount) & 0xff;
    }
  }
  return written === out.length ? out : out.slice(0, written);
}

/** Bytes to base64 (the tests' round trip and the harness fixtures use it). */
export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out +=
      BASE64_ALPHABET[n >> 18] + BASE64_ALPHABET[(n >> 12) & 63] + BASE64_ALPHABET[(n >> 6) & 63] + BASE64_ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += BASE64_ALPHABET[n >> 18] + BASE64_ALPHABET[(n >> 12) & 63] + '==';
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += BASE64_ALPHABET[n >> 18] + BASE64_ALPHABET[(n >> 12) & 63] + BASE64_ALPHABET[(n >> 6) & 63] + '=';
  }
  return out;
}



/** One layer's per-PE data, decoded. */
export interface DecodedHeatmap {
  width: number;
  height: number;
  /** Fraction of SRAM per PE used, x / 65535. */
  occupancy: Uint16Array;
  /** Fraction of the PE's compute used, x / 255. */
  utilization: Uint8Array;
}

export type DecodeResult = { ok: true; data: DecodedHeatmap } | { ok: false; error: string };

/** The largest grid the panel accepts (WSE-3 is 893,064 PEs; leave room for a future wafer). */
export const MAX_HEATMAP_CELLS = 16_000_000;

/** Decodes a payload; a malformed one gives an error message, never an exception. */
function runsOf(text: string): Uint32Array | null {
  const bytes = decodeBase64(text);
  return bytes ? runsFromBytes(bytes) : null;
}

export function decodeHeatmap(payload: HeatmapPayload): DecodeResult {
  const { width, height } = payload ?? ({} as HeatmapPayload);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    return { ok: false, error: `Heatmap grid ${width} x ${height} is not a grid.` };
  }
  const cells = width * height;
  if (cells > MAX_HEATMAP_CELLS) return { ok: false, error: `Heatmap grid ${width} x ${height} is too large to draw.` };
  const occupancyRuns = runsOf(payload.occupancy);
  const utilizationRuns = runsOf(payload.utilization);
  if (!occupancyRuns || !utilizationRuns) return { ok: false, error: 'Heatmap data is not valid base64 run-length data.' };
  const occupancy = new Uint16Array(cells);
  const utilization = new Uint8Array(cells);
  if (!decodeRunsInto(occupancyRuns, occupancy)) {
    return { ok: false, error: `SRAM occupancy runs do not cover the ${cells} PEs of the grid.` };
  }
  if (!decodeRunsInto(utilizationRuns, utilization)) {
    return { ok: false, error: `Compute utilization runs do not cover the ${cells} PEs of the grid.` };
  }
  return { ok: true, data: { width, height, occupancy, utilization } };
}

// ---------------------------------------------------------------------------------------------
// Colour

/** Full scale of the quantised values in the payload. */
export const OCCUPANCY_FULL_SCALE = 65535;
/** The encoder's reserved value for a PE that needs more than its SRAM (mapping.ts `encodeHeatmap`). */
export const OCCUPANCY_OVER_CAPACITY = 65535;
/** Over capacity gets a colour of its own, outside viridis (which ends in yellow): a full PE and an overflowing one never look alike. */
export const OVER_CAPACITY_COLOUR = '#ff2d6f';
export const UTILIZATION_FULL_SCALE = 255;

/**
 * The colour scale's domain, in the legend's units: bytes per PE for SRAM (0 .. the PE's SRAM, so
 * a full PE always looks full and layers compare), a fraction for compute (0 .. 1).
 */
export function colourDomain(payload: Pick<HeatmapPayload, 'sramPerPeBytes'>, metric: HeatmapMetric): [number, number] {
  if (metric === 'compute') return [0, 1];
  const sram = payload.sramPerPeBytes;
  return [0, Number.isFinite(sram) && sram > 0 ? sram : 1];
}

/** Viridis for memory, Inferno (minus its near-black end, which vanishes on dark themes) for compute. */
export function colourInterpolator(metric: HeatmapMetric): (t: number) => string {
  return metric === 'compute' ? (t: number) => interpolateInferno(0.12 + 0.88 * t) : interpolateViridis;
}

export function colourScale(
  payload: Pick<HeatmapPayload, 'sramPerPeBytes'>,
  metric: HeatmapMetric,
): ScaleSequential<string> {
  return scaleSequential(colourInterpolator(metric)).domain(colourDomain(payload, metric));
}

export interface LegendTick {
  value: number;
  /** 0..1 along the legend bar. */
  position: number;
  label: string;
}

export interface Legend {
  title: string;
  unit: string;
  domain: [number, number];
  ticks: LegendTick[];
  /** Colour stops for the gradient, evenly spaced from 0 to 1. */
  stops: string[];
}

/** The legend of a metric: title with units, ticks at round values, gradient stops. */
export function legendFor(payload: Pick<HeatmapPayload, 'sramPerPeBytes'>, metric: HeatmapMetric, tickCount = 5): Legend {
  const domain = colourDomain(payload, metric);
  const interpolate = colourInterpolator(metric);
  const stops = Array.from({ length: 11 }, (_, i) => interpolate(i / 10));
  const position = scaleLinear().domain(domain).range([0, 1]);
  let values: number[];
  if (metric === 'compute') {
    values = position.ticks(tickCount);
  } else {
    // Round binary steps: 48 KiB splits into 0, 12, 24, 36, 48 KiB rather than 0, 10k, 20k, ...
    const kib = domain[1] / 1024;
    const step = niceBinaryStep(kib / (tickCount - 1));
    values = [];
    for (let v = 0; v <= kib + 1e-9; v += step) values.push(v * 1024);
    if (kib < 1) values = position.ticks(tickCount);
  }
  const ticks = values.map((value) => ({
    value,
    position: position(value),
    label: metric === 'compute' ? formatPercent(value, 0) : formatBytes(value, { binary: true }),
  }));
  return metric === 'compute'
    ? { title: 'Compute utilization', unit: '% of PE', domain, ticks, stops }
    : { title: 'SRAM used', unit: 'bytes per PE', domain, ticks, stops };
}

/** The smallest step of the form {1, 1.5, 2, 3} x 2^n that is at least `raw`. */
function niceBinaryStep(raw: number): number {
  let best = Infinity;
  for (let e = -10; e <= 40; e++) {
    for (const m of [1, 1.5, 2, 3]) {
      const step = m * Math.pow(2, e);
      if (step >= raw - 1e-9 && step < best) best = step;
    }
  }
  return best;
}

/** `rgb(…)`, `#rrggbb` or `#rgb` to packed RGBA for a little-endian Uint32 view of ImageData. */
export function packColour(css: string, alpha = 255): number {
  let r = 0;
  let g = 0;
  let b = 0;
  const text = (css ?? '').trim();
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/i.exec(text);
  if (rgb) {
    r = +rgb[1];
    g = +rgb[2];
    b = +rgb[3];
    if (rgb[4] !== undefined) {
      const a = rgb[4].endsWith('%') ? parseFloat(rgb[4]) / 100 : parseFloat(rgb[4]);
      alpha = Math.round(Math.max(0, Math.min(1, a)) * alpha);
    }
  } else if (/^#[0-9a-f]{6}([0-9a-f]{2})?$/i.test(text)) {
    r = parseInt(text.slice(1, 3), 16);
    g = parseInt(text.slice(3, 5), 16);
    b = parseInt(text.slice(5, 7), 16);
    if (text.length === 9) alpha = parseInt(text.slice(7, 9), 16);
  } else if (/^#[0-9a-f]{3}$/i.test(text)) {
    r = parseInt(text[1] + text[1], 16);
    g = parseInt(text[2] + text[2], 16);
    b = parseInt(text[3] + text[3], 16);
  }
  return (((alpha & 255) << 24) | ((b & 255) << 16) | ((g & 255) << 8) | (r & 255)) >>> 0;
}

/** Lookup table sizes: the Uint16 occupancy keeps its top 10 bits, the Uint8 utilization all 8. */
export const OCCUPANCY_LUT_BITS = 10;

/** Packed colours of `size` evenly spaced steps of the metric's colour scale. */
export function buildColourLut(metric: HeatmapMetric): Uint32Array {
  const size = metric === 'compute' ? UTILIZATION_FULL_SCALE + 1 : 1 << OCCUPANCY_LUT_BITS;
  const interpolate = colourInterpolator(metric);
  const lut = new Uint32Array(size);
  for (let i = 0; i < size; i++) lut[i] = packColour(interpolate(i / (size - 1)));
  return lut;
}

/**
 * Fills `pixels` (one packed RGBA per PE, row-major, the same layout as the payload) with the
 * metric's colours; PEs with nothing on them get `idle`, so idle area stands apart from "a little".
 */
export function paintCells(
  data: DecodedHeatmap,
  metric: HeatmapMetric,
  lut: Uint32Array,
  idle: number,
  pixels: Uint32Array,
  over: number = packColour(OVER_CAPACITY_COLOUR),
): void {
  const n = Math.min(pixels.length, data.width * data.height);
  if (metric === 'compute') {
    const values = data.utilization;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      pixels[i] = v === 0 ? idle : lut[v];
    }
  } else {
    const values = data.occupancy;
    const shift = 16 - OCCUPANCY_LUT_BITS;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      pixels[i] = v === 0 ? idle : v === OCCUPANCY_OVER_CAPACITY ? over : lut[v >> shift];
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Pan and zoom geometry (PE units <-> CSS pixels)

export interface ViewTransform {
  /** CSS pixels per PE. */
  k: number;
  x: number;
  y: number;
}

/** The transform that shows the whole grid centred in the canvas, with a margin. */
export function fitTransform(
  canvasWidth: number,
  canvasHeight: number,
  gridWidth: number,
  gridHeight: number,
  margin = 8,
): ViewTransform {
  const w = Math.max(1, canvasWidth - 2 * margin);
  const h = Math.max(1, canvasHeight - 2 * margin);
  const k = Math.max(1e-6, Math.min(w / Math.max(1, gridWidth), h / Math.max(1, gridHeight)));
  return { k, x: (canvasWidth - gridWidth * k) / 2, y: (canvasHeight - gridHeight * k) / 2 };
}

/** The PE under a canvas point, or null outside the grid. */
export function peAt(
  t: ViewTransform,
  px: number,
  py: number,
  gridWidth: number,
  gridHeight: number,
): { x: number; y: number } | null {
  const x = Math.floor((px - t.x) / t.k);
  const y = Math.floor((py - t.y) / t.k);
  if (!(x >= 0 && y >= 0 && x < gridWidth && y < gridHeight)) return null;
  return { x, y };
}

/**
 * The part of the grid that is on screen, in whole PEs, and where it lands: drawing only this
 * sub-rectangle keeps zoomed-in frames as cheap as zoomed-out ones.
 */
export function visibleSource(
  t: ViewTransform,
  canvasWidth: number,
  canvasHeight: number,
  gridWidth: number,
  gridHeight: number,
): { sx: number; sy: number; sw: number; sh: number; dx: number; dy: number; dw: number; dh: number } | null {
  const sx = Math.max(0, Math.floor(-t.x / t.k));
  const sy = Math.max(0, Math.floor(-t.y / t.k));
  const ex = Math.min(gridWidth, Math.ceil((canvasWidth - t.x) / t.k));
  const ey = Math.min(gridHeight, Math.ceil((canvasHeight - t.y) / t.k));
  if (ex <= sx || ey <= sy) return null;
  return {
    sx,
    sy,
    sw: ex - sx,
    sh: ey - sy,
    dx: t.x + sx * t.k,
    dy: t.y + sy * t.k,
    dw: (ex - sx) * t.k,
    dh: (ey - sy) * t.k,
  };
}

/** Die boundaries in PE units (interior lines only; the grid's own edge is drawn separately). */
export function dieBoundaries(
  gridWidth: number,
  gridHeight: number,
  dies: HeatmapPayload['dies'] | undefined,
): { xs: number[]; ys: number[] } {
  const columns = dies && Number.isInteger(dies.columns) && dies.columns > 0 ? Math.min(dies.columns, 1000) : 1;
  const rows = dies && Number.isInteger(dies.rows) && dies.rows > 0 ? Math.min(dies.rows, 1000) : 1;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 1; i < columns; i++) xs.push((i * gridWidth) / columns);
  for (let j = 1; j < rows; j++) ys.push((j * gridHeight) / rows);
  return { xs, ys };
}

// ---------------------------------------------------------------------------------------------
// Hit-testing PEs to regions and tiles

/** Regions bucketed on a coarse grid, so hover costs a handful of rectangle tests. */
export interface RegionIndex {
  regions: HeatmapRegion[];
  bucketSize: number;
  columns: number;
  rows: number;
  buckets: number[][];
}

export function buildRegionIndex(regions: HeatmapRegion[], gridWidth: number, gridHeight: number): RegionIndex {
  const valid = Array.isArray(regions) ? regions : [];
  const bucketSize = Math.max(8, Math.ceil(Math.max(gridWidth, gridHeight, 1) / 64));
  const columns = Math.max(1, Math.ceil(Math.max(1, gridWidth) / bucketSize));
  const rows = Math.max(1, Math.ceil(Math.max(1, gridHeight) / bucketSize));
  const buckets: number[][] = Array.from({ length: columns * rows }, () => []);
  valid.forEach((r, index) => {
    if (!(r.width > 0 && r.height > 0)) return;
    const c0 = Math.max(0, Math.floor(r.x / bucketSize));
    const r0 = Math.max(0, Math.floor(r.y / bucketSize));
    const c1 = Math.min(columns - 1, Math.floor((r.x + r.width - 1) / bucketSize));
    const r1 = Math.min(rows - 1, Math.floor((r.y + r.height - 1) / bucketSize));
    for (let row = r0; row <= r1; row++) for (let col = c0; col <= c1; col++) buckets[row * columns + col].push(index);
  });
  return { regions: valid, bucketSize, columns, rows, buckets };
}

export interface TileHit {
  /** The tile of the matrix this PE holds (0-based). */
  row: number;
  col: number;
  /** Its slice of the matrix, end exclusive. */
  matrixRows: [number, number];
  matrixCols: [number, number];
}

export interface RegionHit {
  regionIndex: number;
  region: HeatmapRegion;
  /** Null for a PE of the region past its last tile (the region has more PEs than tiles). */
  tile: TileHit | null;
}

/**
 * The region (and matrix tile) at PE (x, y); the last listed region wins where regions overlap.
 * Tiles sit one per PE in row-major order over the region (protocol: `HeatmapRegion`), so tile
 * k = (y - region.y) * region.width + (x - region.x) is tile (k div tileCols, k mod tileCols).
 * Tiles are ceil(rows / tileRows) x ceil(cols / tileCols) elements; the last row and column of
 * tiles take the remainder.
 */
export function hitTest(index: RegionIndex, x: number, y: number): RegionHit | null {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
  const col = Math.floor(x / index.bucketSize);
  const row = Math.floor(y / index.bucketSize);
  if (col < 0 || row < 0 || col >= index.columns || row >= index.rows) return null;
  const bucket = index.buckets[row * index.columns + col];
  for (let i = bucket.length - 1; i >= 0; i--) {
    const region = index.regions[bucket[i]];
    if (x >= region.x && x < region.x + region.width && y >= region.y && y < region.y + region.height) {
      return { regionIndex: bucket[i], region, tile: tileAt(region, x, y) };
    }
  }
  return null;
}

function tileAt(region: HeatmapRegion, x: number, y: number): TileHit | null {
  const tileRows = Math.floor(region.tileRows);
  const tileCols = Math.floor(region.tileCols);
  if (!(tileRows >= 1 && tileCols >= 1)) return null;
  const k = (y - region.y) * region.width + (x - region.x);
  if (k >= tileRows * tileCols) return null;
  const tileRow = Math.floor(k / tileCols);
  const tileCol = k - tileRow * tileCols;
  const slice = (index: number, tiles: number, size: number): [number, number] => {
    const block = Math.ceil(Math.max(0, size) / tiles);
    return [Math.min(size, index * block), Math.min(size, (index + 1) * block)];
  };
  return {
    row: tileRow,
    col: tileCol,
    matrixRows: slice(tileRow, tileRows, region.rows),
    matrixCols: slice(tileCol, tileCols, region.cols),
  };
}

export interface PeDetails {
  x: number;
  y: number;
  layerName: string;
  sramUsedBytes: number;
  sramPerPeBytes: number;
  utilization: number;
  hit: RegionHit | null;
  /** Lines for the tooltip, first one the title. */
  lines: string[];
}

/** Everything the tooltip says about one PE. */
export function peDetails(
  payload: HeatmapPayload,
  data: DecodedHeatmap,
  index: RegionIndex,
  x: number,
  y: number,
): PeDetails | null {
  if (!(x >= 0 && y >= 0 && x < data.width && y < data.height)) return null;
  const i = y * data.width + x;
  const sramUsedBytes = (data.occupancy[i] / OCCUPANCY_FULL_SCALE) * payload.sramPerPeBytes;
  const utilization = data.utilization[i] / UTILIZATION_FULL_SCALE;
  const hit = hitTest(index, x, y);
  const lines = [
    `PE (${x}, ${y})`,
    `${payload.layerName}`,
    `SRAM ${formatBytes(sramUsedBytes, { binary: true })} of ${formatBytes(payload.sramPerPeBytes, { binary: true })} (${formatPercent(
      sramUsedBytes / payload.sramPerPeBytes,
      0,
    )})`,
    `compute ${formatPercent(utilization, 0)}`,
  ];
  if (hit) {
    const r = hit.region;
    lines.push(`${r.label}: ${formatInteger(r.rows)} × ${formatInteger(r.cols)}`);
    const t = hit.tile;
    lines.push(
      t
        ? `tile (${formatInteger(t.row)}, ${formatInteger(t.col)}) of ${formatInteger(r.tileRows)} × ${formatInteger(r.tileCols)}: rows ${formatInteger(
            t.matrixRows[0],
          )}–${formatInteger(t.matrixRows[1] - 1)}, cols ${formatInteger(t.matrixCols[0])}–${formatInteger(t.matrixCols[1] - 1)}`
        : `no tile (the ${formatInteger(r.tileRows * r.tileCols)} tiles fill the first ${formatInteger(r.tileRows * r.tileCols)} of ${formatInteger(
            r.width * r.height,
          )} PEs)`,
    );
  } else {
    lines.push(data.occupancy[i] === 0 && data.utilization[i] === 0 ? 'idle' : 'no matrix tile');
  }
  return { x, y, layerName: payload.layerName, sramUsedBytes, sramPerPeBytes: payload.sramPerPeBytes, utilization, hit, lines };
}

/**
 * The heatmap's one-line summary. The SRAM figure is the report's (what the wafer holds while this
 * layer runs, against the wafer's SRAM), so the peak layer reads exactly as the header and memory tab.
 */
export function heatmapSummaryText(summary: HeatmapPayload['summary'], layer?: LayerMemory, sramBytes?: number): string {
  const busy = `PEs busy ${formatInteger(summary.busyPes)} of ${formatInteger(summary.totalPes)} (${formatPercent(
    summary.totalPes > 0 ? summary.busyPes / summary.totalPes : 0,
  )})`;
  const sram = layer && sramBytes
    ? `SRAM ${bytesPair(layer.residentBytes, sramBytes)} (${formatPercent(layer.residentBytes / sramBytes)})${layer.residentBytes > sramBytes ? ' over capacity' : ''}`
    : `SRAM used ${formatBytes(summary.sramUsedBytes)} of ${formatBytes(summary.sramTotalBytes)} (${formatPercent(
        summary.sramTotalBytes > 0 ? summary.sramUsedBytes / summary.sramTotalBytes : 0,
      )})`;
  const idle = `idle area ${formatPercent(summary.idleFraction)}`;
  return `${busy} · ${sram} · ${idle}`;
}

/** `Layer 3 / 131: decoder 2` */
export function layerLabel(layer: number, layerCount: number, name: string | undefined): string {
  return `Layer ${layer + 1} / ${layerCount}${name ? `: ${name}` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Timeline

export const LANES: readonly Lane[] = ['weights-fwd', 'forward', 'weights-bwd', 'backward', 'gradients', 'optimizer'];

export const LANE_LABELS: Record<Lane, string> = {
  'weights-fwd': 'Weights in (fwd)',
  forward: 'Forward',
  'weights-bwd': 'Weights in (bwd)',
  backward: 'Backward',
  gradients: 'Gradients out',
  optimizer: 'Optimizer (MemoryX)',
};

export const BOUND_LABELS: Record<Bound, string> = {
  compute: 'wafer compute',
  'weight-streaming': 'weight streaming (MemoryX → wafer)',
  swarmx: 'SwarmX broadcast/reduce',
  memoryx: 'MemoryX optimizer update',
  'activation-io': 'activation I/O',
};

export interface LaneBarGeometry {
  bar: TimelineBar;
  /** Index into `LANES`. */
  lane: number;
  x: number;
  width: number;
  y: number;
  height: number;
  bottleneck: boolean;
}

export interface LaneLayout {
  laneHeight: number;
  /** Space between lanes. */
  gap: number;
  /** Bars never get thinner than this, so a 1 µs bar is still visible and hoverable. */
  minWidth?: number;
  /** Skip bars entirely outside [min, max] pixels. */
  cull?: [number, number];
}

/** Where each bar goes, given the x scale (seconds -> pixels) of the current zoom. */
export function laneGeometry(
  timeline: Pick<TimelineResult, 'bars' | 'bottleneck'>,
  x: (seconds: number) => number,
  layout: LaneLayout,
): LaneBarGeometry[] {
  const out: LaneBarGeometry[] = [];
  const minWidth = layout.minWidth ?? 1;
  for (const bar of timeline.bars ?? []) {
    const lane = LANES.indexOf(bar.lane);
    if (lane < 0 || !Number.isFinite(bar.start) || !Number.isFinite(bar.end)) continue;
    const x0 = x(Math.min(bar.start, bar.end));
    const x1 = x(Math.max(bar.start, bar.end));
    if (layout.cull && (x1 < layout.cull[0] || x0 > layout.cull[1])) continue;
    out.push({
      bar,
      lane,
      x: x0,
      width: Math.max(minWidth, x1 - x0),
      y: lane * (layout.laneHeight + layout.gap),
      height: layout.laneHeight,
      bottleneck: bar.bound !== undefined && bar.bound === timeline.bottleneck,
    });
  }
  return out;
}

/** The time span the bars cover: [0, step end]. */
export function timelineExtent(timeline: Pick<TimelineResult, 'bars' | 'stepSeconds'>): [number, number] {
  let end = Number.isFinite(timeline.stepSeconds) ? timeline.stepSeconds : 0;
  for (const bar of timeline.bars ?? []) if (Number.isFinite(bar.end) && bar.end > end) end = bar.end;
  return [0, end > 0 ? end : 1];
}

/**
 * Axis ticks for a span of seconds at round values of the unit the labels use: seconds up to two
 * minutes (then formatSeconds writes minutes), minutes up to two hours, hours beyond. Plain linear
 * ticks would put marks at 200 s, 400 s and label them 3.33 min, 6.67 min.
 */
export function timeTicks(domain: [number, number], count: number): number[] {
  const [start, end] = domain[0] <= domain[1] ? domain : [domain[1], domain[0]];
  if (!Number.isFinite(start) || !Number.isFinite(end)) return [];
  const span = end - start;
  const unit = span >= 2 * 3600 ? 3600 : span >= 120 ? 60 : 1;
  return scaleLinear()
    .domain([start / unit, end / unit])
    .ticks(Math.max(1, count))
    .map((t) => t * unit);
}

export function bottleneckText(timeline: Pick<TimelineResult, 'bottleneck'>): string {
  const label = BOUND_LABELS[timeline.bottleneck] ?? timeline.bottleneck;
  return `Bottleneck: ${label}. Bars bound by it are marked and in full colour.`;
}

/** Hover text of a bar. */
export function barDetails(bar: TimelineBar): string[] {
  const lines = [bar.label, `${LANE_LABELS[bar.lane] ?? bar.lane}`];
  lines.push(`start ${formatSeconds(bar.start)}, duration ${formatSeconds(bar.end - bar.start)}`);
  if (bar.bound) lines.push(`bound by ${BOUND_LABELS[bar.bound] ?? bar.bound}`);
  return lines;
}

/** The headline numbers of a timeline. */
export function timelineHeadline(timeline: TimelineResult, systems: number): string[] {
  const out = [
    `${formatInteger(systems)} system${systems === 1 ? '' : 's'}: step ${formatSeconds(timeline.stepSeconds)}`,
    `${formatCount(timeline.tokensPerSecond)} tokens/s`,
    `MFU ${formatPercent(timeline.mfu)} of ${timeline.peak.name}`,
  ];
  if (timeline.timeToTrain && Number.isFinite(timeline.timeToTrain.seconds)) {
    out.push(`${formatCount(timeline.timeToTrain.tokens)} tokens in ${formatDuration(timeline.timeToTrain.seconds)}`);
  }
  return out;
}

/** `forward 3.1 s (wafer compute)` for each phase. */
export function phaseTexts(timeline: TimelineResult): string[] {
  return (timeline.phases ?? []).map(
    (p) => `${p.name} ${formatSeconds(p.seconds)} (${BOUND_LABELS[p.bound] ?? p.bound})`,
  );
}

// ---------------------------------------------------------------------------------------------
// Scaling

/**
 * Sandia National Laboratories with Cerebras, December 2024: a 1T-parameter model trained on
 * 16 CS-3 ran 15.3 times faster than on one (wafer-scale.md, "The headline").
 */
export const PUBLISHED_SCALING: { systems: number; speedup: number; label: string; shortLabel: string } = {
  systems: 16,
  speedup: 15.3,
  label: 'Sandia/Cerebras 1T: 16 CS-3 = 15.3x (published)',
  shortLabel: '15.3x published',
};

/**
 * The published point belongs to one model: the 1T GPT (1,008,038,758,400 parameters, 128 layers
 * of hidden 25,600). Drawn on another model's curve it would read as a claim about that model.
 */
export function publishedReferenceApplies(report: Report | null | undefined): boolean {
  const m = report?.model;
  return !!m && m.layers === 128 && m.hiddenSize === 25600 && Math.abs(m.parameters - 1.008e12) < 0.01e12;
}

/** The curve sorted by systems, with non-positive points dropped (the axes are logarithmic). */
export function speedupSeries(curve: ScalingPoint[] | undefined): ScalingPoint[] {
  return (curve ?? [])
    .filter((p) => p.systems > 0 && p.speedup > 0 && Number.isFinite(p.systems) && Number.isFinite(p.speedup))
    .sort((a, b) => a.systems - b.systems);
}

/** One line about the curve: the speedup where the job runs, and where scaling stops paying. */
export function scalingText(scaling: Pick<ScalingResult, 'systems' | 'speedupVs1' | 'efficiency' | 'curve'>): string {
  const here =
    scaling.systems === 1
      ? 'Speedups are relative to this 1-system run.'
      : `${formatSpeedup(scaling.speedupVs1)} on ${formatInteger(scaling.systems)} systems vs 1 (${formatPercent(scaling.efficiency)} scaling efficiency).`;
  const series = speedupSeries(scaling.curve);
  const firstPoor = series.find((p) => p.systems > 1 && p.efficiency < 0.5);
  // Why a curve flattens: past some size a system gets less than one micro-batch of the batch.
  const plateau = series.find((p) => p.systemsUsed !== undefined && p.systemsUsed < p.systems);
  const why = plateau
    ? ` It flattens from ${formatInteger(plateau.systems)} systems: the global batch leaves less than one micro-batch per system, so only ${formatInteger(plateau.systemsUsed ?? 0)} work.`
    : '';
  return firstPoor
    ? `${here} Efficiency falls below 50% from ${formatInteger(firstPoor.systems)} systems (${formatSpeedup(firstPoor.speedup)}).${why}`
    : `${here}${why}`;
}

/** Log2 domain covering the curve, the ideal line and the published point. */
export function speedupDomain(series: ScalingPoint[]): [number, number] {
  let max = PUBLISHED_SCALING.systems;
  for (const p of series) max = Math.max(max, p.systems, p.speedup);
  return [1, Math.pow(2, Math.ceil(Math.log2(max)))];
}

// ---------------------------------------------------------------------------------------------
// Memory

export interface Segment {
  key: string;
  label: string;
  bytes: number;
  /** Bytes before this segment in the stack. */
  start: number;
}

function stack(parts: [string, string, number][]): Segment[] {
  let start = 0;
  const out: Segment[] = [];
  for (const [key, label, raw] of parts) {
    const bytes = Number.isFinite(raw) && raw > 0 ? raw : 0;
    out.push({ key, label, bytes, start });
    start += bytes;
  }
  return out;
}

/** MemoryX requirement as a stack: weights, gradients, master weights, optimizer state. */
export function memoryxSegments(memoryx: NonNullable<Report['memoryx']>): Segment[] {
  const b = memoryx.breakdown;
  return stack([
    ['weights', 'weights', b.weights],
    ['gradients', 'gradients', b.gradients],
    ['master', 'master weights', b.masterWeights],
    ['optimizer', 'optimizer state', b.optimizerState],
  ]);
}

/**
 * A layer's on-wafer working set as a stack: weights, gradients, activations, workspace, plus the
 * layer-input checkpoints of all layers when they stay on the wafer (they are there all along).
 */
export function waferSegments(layer: LayerMemory, checkpointsOnWafer = 0): Segment[] {
  const parts: [string, string, number][] = [
    ['weights', 'weights', layer.weightBytes],
    ['gradients', 'gradients', layer.gradientBytes],
    ['activations', 'activations', layer.activationBytes],
    ['workspace', 'workspace', layer.workspaceBytes],
  ];
  if (checkpointsOnWafer > 0) parts.push(['checkpoints', 'checkpoints', checkpointsOnWafer]);
  return stack(parts);
}

/** Checkpoint bytes that share SRAM with every layer (0 when they live on the activation servers). */
export function checkpointsOnWafer(wafer: NonNullable<Report['wafer']>): number {
  return wafer.checkpoints?.location === 'wafer' && wafer.checkpoints.bytes > 0 ? wafer.checkpoints.bytes : 0;
}

/** The wafer occupancy (sim/wafer.ts): the report's one figure. */
export function waferPeakBytes(wafer: NonNullable<Report['wafer']>): number {
  return wafer.peakBytes;
}

/**
 * The layer where the occupancy peaks (the report names it): the one that decides the fit, not
 * necessarily the layer with the most parameters.
 */
export function peakLayer(wafer: NonNullable<Report['wafer']>): LayerMemory | undefined {
  const named = wafer.layers[wafer.peakLayer?.index ?? -1];
  if (named) return named;
  let best: LayerMemory | undefined;
  for (const l of wafer.layers) if (!best || l.residentBytes > best.residentBytes) best = l;
  return best;
}

/** The memory tab's wafer caption: the occupancy, where it peaks, and the micro-batch figures. */
export function waferCaption(wafer: NonNullable<Report['wafer']>): string {
  const recommended = wafer.recommendedMicroBatch >= 1 ? `recommended ${formatInteger(wafer.recommendedMicroBatch)}` : 'none keeps the margin';
  const largest = wafer.largestFittingMicroBatch >= 1 ? `largest that fits ${formatInteger(wafer.largestFittingMicroBatch)}` : 'none fits';
  return `${waferOccupancyText(wafer)}, peak in ${wafer.peakLayer.name} · micro-batch ${formatInteger(wafer.microBatch)} (${recommended}; ${largest})`;
}

/** The memory tab's stacked bars: the peak layer (its total is the occupancy) and a typical decoder layer. */
export function waferBarRows(wafer: NonNullable<Report['wafer']>): { label: string; detail: string; segments: Segment[] }[] {
  const rows: { label: string; detail: string; segments: Segment[] }[] = [];
  const peak = peakLayer(wafer);
  const typical = typicalDecoderLayer(wafer);
  if (peak) rows.push({ label: `Peak: ${peak.name}`, detail: formatBytes(peak.residentBytes), segments: waferSegments(peak, peak.checkpointBytes) });
  if (typical && typical !== peak) {
    rows.push({ label: `Typical: ${typical.name}`, detail: formatBytes(typical.residentBytes), segments: waferSegments(typical, typical.checkpointBytes) });
  }
  return rows;
}

/**
 * A typical decoder layer: the median working set among layers named "decoder …" (dense and MoE
 * layers differ, so the median is what most layers look like); any layer when none is so named.
 */
export function typicalDecoderLayer(wafer: NonNullable<Report['wafer']>): LayerMemory | undefined {
  const decoders = wafer.layers.filter((l) => /^decoder\b/i.test(l.name));
  const pool = decoders.length ? decoders : wafer.layers;
  if (!pool.length) return undefined;
  const sorted = [...pool].sort((a, b) => a.workingSetBytes - b.workingSetBytes || a.index - b.index);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** A stacked bar's caption: `1.02 PB needed · capacity 55 TB · does not fit (18.5x over)`. */
export function capacityCaption(total: number, capacity: number, capacityName: string): string {
  const fits = total <= capacity;
  const ratio = capacity > 0 ? total / capacity : Infinity;
  return `${formatBytes(total)} needed · ${capacityName} ${formatBytes(capacity)} · ${
    fits ? `fits (${formatPercent(ratio, 0)} used)` : `does not fit (${formatSpeedup(ratio).replace('×', 'x')} over)`
  }`;
}

// ---------------------------------------------------------------------------------------------
// Summary table

export interface SummaryRow {
  section: string;
  label: string;
  value: string;
  /** Highlight (red) a value that is a problem. */
  problem?: boolean;
}

/** The numbers of the report as label/value rows, in the order the summary table shows them. */
export function summaryRows(report: Report, timeline?: TimelineResult, systems?: number): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const add = (section: string, label: string, value: string, problem?: boolean) =>
    rows.push(problem ? { section, label, value, problem } : { section, label, value });
  const m = report.model;
  if (m) {
    add('Model', 'Model', `${m.family} (${m.architecture})`);
    add(
      'Model',
      'Parameters',
      m.activeParameters && m.activeParameters !== m.parameters
        ? `${exactParametersText(m)}, ${m.approximation ? '≈' : ''}${formatCount(m.activeParameters)} active`
        : exactParametersText(m),
    );
    if (m.approximation) add('Model', 'Approximation', `${m.approximation.readAs}: ${m.approximation.reason}`);
    add(
      'Model',
      'Shape',
      `${m.layers} layers, hidden ${formatInteger(m.hiddenSize)}, FFN ${formatInteger(m.ffnSize)}, ${m.numHeads} heads (${m.numKvHeads} KV), vocab ${formatInteger(
        m.vocabSize,
      )}, sequence ${formatInteger(m.sequenceLength)}`,
    );
    if (m.experts) add('Model', 'Experts', `${m.experts.routed} routed, top-${m.experts.topK}, ${m.experts.shared} shared`);
  }
  const c = report.cluster;
  if (c) {
    const origin = c.origin === 'file' ? `cluster file ${c.file ?? ''}`.trim() : c.origin === 'setting' ? `waferscope.cluster setting${c.file ? ` (${c.file})` : ''}` : 'built-in default';
    add('Cluster', 'Cluster', c.name || '(unnamed)');
    add('Cluster', 'Systems', `${formatInteger(c.systems)} × ${(c.system || '?').toUpperCase()}, MemoryX ${formatBytes(c.memoryxCapacityBytes)}`);
    add('Cluster', 'From', origin);
  }
  const t = report.training;
  if (t) {
    add('Training', 'Systems used', `${formatInteger(t.numCsx)} (${t.numCsxSource})`);
    add(
      'Training',
      'Batch',
      `global ${formatInteger(t.globalBatchSize)}, micro-batch ${formatInteger(t.microBatchSize)} (${t.microBatchSource}), ${formatInteger(
        t.accumulationSteps,
      )} accumulation step${t.accumulationSteps === 1 ? '' : 's'}`,
    );
    add('Training', 'Precision / optimizer', `${t.precision}, ${t.optimizer}`);
  }
  const mx = report.memoryx;
  if (mx) {
    add('MemoryX', 'Required', `${memoryxText(mx)}, ${mx.bytesPerParameter.toFixed(1)} bytes/parameter`, !mx.fits);
    add('MemoryX', 'Capacity', formatBytes(mx.capacityBytes));
    add('MemoryX', 'Fits', mx.fits ? 'yes' : 'no', !mx.fits);
    add(
      'MemoryX',
      'Smallest announced tier that holds it',
      mx.recommendedTierBytes === null ? 'none announced' : formatBytes(mx.recommendedTierBytes),
    );
    add('MemoryX', 'Vendor rule of thumb (~50 B/parameter)', formatBytes(mx.vendorRuleBytes));
  }
  const w = report.wafer;
  if (w) {
    add('Wafer', 'Occupancy', waferOccupancyText(w), !w.fits || w.headroom < w.headroomTarget);
    add('Wafer', 'Peak layer', w.peakLayer.name);
    add('Wafer', 'Fits', w.fits ? 'yes' : 'no', !w.fits);
    add('Wafer', 'Micro-batch', formatInteger(w.microBatch));
    add(
      'Wafer',
      'Recommended micro-batch',
      w.recommendedMicroBatch >= 1 ? `${formatInteger(w.recommendedMicroBatch)} (keeps ${formatPercent(w.headroomTarget, 0)} headroom)` : 'none fits',
      w.recommendedMicroBatch < 1,
    );
    add('Wafer', 'Largest micro-batch that fits', w.largestFittingMicroBatch >= 1 ? formatInteger(w.largestFittingMicroBatch) : 'none', w.largestFittingMicroBatch < 1);
    add('Wafer', 'Largest layer', largestLayerText(w));
    add('Wafer', 'Activation checkpoints', checkpointsText(w));
  }
  const tl = timeline ?? report.timeline;
  if (tl) {
    const label = systems !== undefined ? ` (${formatInteger(systems)} system${systems === 1 ? '' : 's'})` : '';
    const misfit = misfitReason(report);
    add('Performance', `Step time${label}`, misfit ? `none: does not fit (${misfit}); ${formatSeconds(tl.stepSeconds)} if it fitted` : formatSeconds(tl.stepSeconds), !!misfit);
    add('Performance', 'Tokens/s', `${formatInteger(tl.tokensPerSecond)} (${formatCount(tl.tokensPerSecond)})${misfit ? ' if it fitted' : ''}`);
    // The peak's name already carries its value and whether it is an assumption.
    add('Performance', 'MFU', `${formatPercent(tl.mfu)} of ${tl.peak.name}`);
    add('Performance', 'Bottleneck', BOUND_LABELS[tl.bottleneck] ?? tl.bottleneck);
    if (tl.timeToTrain) {
      add('Performance', 'Time to train', `${formatDuration(tl.timeToTrain.seconds)} for ${formatCount(tl.timeToTrain.tokens)} tokens (${tl.timeToTrain.basis})`);
    }
  }
  const s = report.scaling;
  if (s) {
    if (s.systems === 1) {
      // The job itself is the baseline: quote the curve where the published result is.
      const reference = speedupSeries(s.curve).find((p) => p.systems === PUBLISHED_SCALING.systems);
      add(
        'Scaling',
        'Speedup vs 1 system',
        reference
          ? `1 system is the baseline; ${formatSpeedup(reference.speedup)} on ${formatInteger(reference.systems)} (${formatPercent(reference.efficiency)} efficiency)`
          : '1 system is the baseline',
      );
    } else {
      add('Scaling', 'Speedup vs 1 system', `${formatSpeedup(s.speedupVs1)} on ${formatInteger(s.systems)} (${formatPercent(s.efficiency)} efficiency)`);
    }
    if (publishedReferenceApplies(report)) add('Scaling', 'Published reference', PUBLISHED_SCALING.label);
  }
  return rows;
}

const SEVERITY_ORDER = { error: 0, warning: 1, information: 2, hint: 3 } as const;

/** Diagnostics, errors first, then by line. */
export function sortedDiagnostics(report: Report): Report['diagnostics'] {
  return [...(report.diagnostics ?? [])].sort(
    (a, b) =>
      (SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9) ||
      (a.range?.start.line ?? 0) - (b.range?.start.line ?? 0),
  );
}

/** Constants, assumptions first (the user should see what is not published). */
export function sortedConstants(constants: ConstantUse[] | undefined): ConstantUse[] {
  return [...(constants ?? [])].sort((a, b) => Number(b.assumption) - Number(a.assumption) || a.name.localeCompare(b.name));
}

/** `15 PFLOP/s`, `48 KiB`, `1.1 GHz`: a constant's value in its own unit (the one formatter's). */
export function constantValueText(c: ConstantUse): string {
  return constantText(c);
}
