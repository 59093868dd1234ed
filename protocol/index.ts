/**
 * The one typed protocol shared by the language server, the extension and the webview.
 *
 * Two legs:
 *  - server <-> extension: custom LSP methods (names and payloads below; the server and the client
 *    wrap them in `RequestType` / `NotificationType` locally, so this module imports nothing from
 *    LSP packages and the browser bundle can use it too);
 *  - extension <-> webview: `postMessage` messages, with a ready handshake: the webview sends
 *    `ready` once its listeners exist, and only then does the host send state, so no first message
 *    is lost.
 */
import type { Report, TimelineResult, ScalingResult } from '../language-server/core/report';

export type { Report, TimelineResult, ScalingResult };
export type * from '../language-server/core/report';

import type { FitStatus } from '../language-server/core/report';
import type { PlanResult } from '../language-server/core/plan/plan';

export type { Plan, PlanResult, PlanDiagnostic } from '../language-server/core/plan/plan';
export type { GpuBound, GpuBoundRow } from '../language-server/core/plan/gpuBound';

// ---------------------------------------------------------------------------------------------
// Server <-> extension (LSP custom methods)

/** Server -> client notification after every (re)analysis of an open config document. */
export const ResultNotificationMethod = 'waferscope/result';
export interface ResultNotification {
  uri: string;
  version: number;
  /**
   * Fingerprint of every input behind this result (document, cluster file, settings): a new
   * cluster choice changes it without a new document version, so surfaces compare it, not the version.
   */
  inputs: string;
  status: FitStatus;
  /** One-line summary for the status bar tooltip. */
  summary: string;
  /** Null for files that are not configs we understand. */
  report: Report | null;
}

/** Client -> server: the full human-readable report (what the CLI prints) and the JSON report. */
export const RunSimulationMethod = 'waferscope/runSimulation';
export interface RunSimulationParams {
  uri: string;
}
export interface RunSimulationResult {
  text: string;
  report: Report | null;
  status: FitStatus;
}

/** Client -> server: per-PE data of one layer for the heatmap (computed lazily, one layer at a time). */
export const HeatmapMethod = 'waferscope/heatmap';
export interface HeatmapParams {
  uri: string;
  layer: number;
}

/** A rectangle of PEs that holds tiles of one matrix (or one kind of work) of the layer. */
export interface HeatmapRegion {
  x: number;
  y: number;
  width: number;
  height: number;
  /** What runs here, e.g. 'q_proj', 'mlp.up', 'attention scores'. */
  label: string;
  /** The matrix is cut into tileRows x tileCols tiles, one per PE of the region (row-major). */
  tileRows: number;
  tileCols: number;
  /** Matrix shape, for the tooltip. */
  rows: number;
  cols: number;
}

export interface HeatmapPayload {
  uri: string;
  layer: number;
  layerName: string;
  layerCount: number;
  /** PE grid (762 x 1172 on WSE-3). */
  width: number;
  height: number;
  sramPerPeBytes: number;
  /** Die grid drawn over the wafer; `assumption` when the layout is not published. */
  dies: { columns: number; rows: number; assumption: boolean };
  /**
   * Per-PE SRAM bytes used, row-major, as Uint16 fractions of sramPerPeBytes (x/65535),
   * run-length coded (protocol/runLength.ts: little-endian Uint32 pairs [count, value]), base64.
   */
  occupancy: string;
  /** Per-PE compute utilization, row-major, as Uint8 fractions (x/255), run-length coded like occupancy, base64. */
  utilization: string;
  regions: HeatmapRegion[];
  summary: {
    busyPes: number;
    totalPes: number;
    sramUsedBytes: number;
    sramTotalBytes: number;
    idleFraction: number;
  };
}

/** Client -> server: the timeline and scaling of the same config run on `systems` systems. */
export const TimelineMethod = 'waferscope/timeline';
export interface TimelineParams {
  uri: string;
  systems: number;
}
export interface TimelinePayload {
  uri: string;
  systems: number;
  timeline: TimelineResult;
  scaling: ScalingResult;
}

// ---------------------------------------------------------------------------------------------
// Extension <-> webview (postMessage)

export type PanelView = 'heatmap' | 'timeline' | 'memory' | 'summary' | 'plan';

export type HostToWebview =
  | { type: 'result'; fileName: string; result: ResultNotification }
  | { type: 'heatmap'; payload: HeatmapPayload }
  | { type: 'timeline'; payload: TimelinePayload }
  | { type: 'showView'; view: PanelView }
  | { type: 'error'; message: string }
  | { type: 'plan'; payload: PlanPayload }
  | { type: 'planApplied'; ok: boolean; message: string };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'requestHeatmap'; layer: number }
  | { type: 'requestTimeline'; systems: number }
  /** The webview finished drawing a result (tests and the latency bench wait on it). */
  | { type: 'rendered'; uri: string; version: number; view: PanelView }
  /** The Plan tab asks for a plan (inputs and what-if values; nothing is written). */
  | { type: 'requestPlan'; requestId: number; params: Omit<PlanParams, 'uri'> }
  /** The Plan tab's Apply: write the choice into the config and its cluster file. */
  | { type: 'applyPlan'; systems: number; microBatch: number; memoryxBytes: number }
  /** Export: copy text to the clipboard, save a file (text or base64 bytes) through a save dialog, or show a notice. */
  | { type: 'export'; action: 'copy'; text: string; what: string }
  | { type: 'export'; action: 'save'; fileName: string; text?: string; base64?: string }
  | { type: 'export'; action: 'notice'; text: string };

/** What the webview keeps in `vscode.setState` so it survives being hidden and VS Code restarting. */
export interface PanelState {
  uri?: string;
  view: PanelView;
  layer: number;
  metric: 'sram' | 'compute';
  systems: number;
}

export const PANEL_VIEW_TYPE = 'waferscope.panel';

// ---------------------------------------------------------------------------------------------
// The run planner (Plan tab, `waferscope plan`)

/** Client -> server: plan the config's run; `whatIf` values replace the config's for this request only. */
export const PlanMethod = 'waferscope/plan';
export interface PlanWhatIf {
  sequenceLength?: number;
  globalBatch?: number;
  microBatch?: number;
  systems?: number;
  memoryxBytes?: number;
}
export interface PlanParams {
  uri: string;
  requestId?: number;
  tokens?: number;
  deadlineDays?: number;
  maxSystems?: number;
  whatIf?: PlanWhatIf;
}
/** One configuration simulated in full (the what-if point). */
export interface PlanPoint {
  systems: number;
  microBatch: number;
  memoryxBytes: number;
  sequenceLength: number;
  globalBatch: number;
  stepSeconds: number;
  days: number;
  systemHours: number;
  energyKWh: number;
  fits: boolean;
  waferHeadroom: number;
  /** Error and warning messages of the simulation at this point. */
  problems: string[];
}
export interface PlanPayload {
  uri: string;
  requestId?: number;
  /** 'CS-3'. */
  preset: string;
  result: PlanResult;
  /** The config as written (what-if controls start here). */
  config: { sequenceLength: number; globalBatch: number; microBatch: number; systems: number; memoryxBytes: number };
  /** The what-if point with the request's values, simulated in full. */
  whatIf: PlanPoint;
  memoryxTiers: { bytes: number; label: string }[];
  milliseconds: number;
}

/** Client -> server: the edits that make the config run a plan (the client applies them as one WorkspaceEdit). */
export const PlanApplyMethod = 'waferscope/planApply';
export interface PlanApplyParams {
  uri: string;
  systems: number;
  microBatch: number;
  memoryxBytes: number;
}
export interface PlanApplyResult {
  /** `file` is an absolute path. */
  edits: { file: string; range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[];
  createFiles: { file: string; text: string }[];
  summary: string;
  error?: string;
}

// ---------------------------------------------------------------------------------------------
// Workspace overview (side-bar view)

/** Client -> server: analyse these files (open editors first, else the disk) for the overview. */
export const WorkspaceOverviewMethod = 'waferscope/workspaceOverview';
export interface WorkspaceOverviewParams {
  uris: string[];
}
export interface OverviewEntry {
  uri: string;
  status: FitStatus;
  /** The code lens line: parameters, MemoryX, wafer, step time (the one formatter). */
  summary: string;
  parameters: number | null;
  stepSeconds: number | null;
  systems: number | null;
  cluster: string;
}
export interface WorkspaceOverviewResult {
  /** Model configs only (cluster files and unrelated files are left out). */
  entries: OverviewEntry[];
}
