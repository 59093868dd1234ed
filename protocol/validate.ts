/**
 * Checks for every message that crosses a process or a webview boundary. Nothing that arrives is
 * trusted to have the shape its type claims: a request with null params or a webview message with a
 * string for a layer is answered with a typed error, never a throw inside a handler.
 *
 * No LSP or vscode imports: the server, the extension host and the tests share these.
 */
import type { HeatmapParams, PanelView, PlanApplyParams, PlanParams, PlanWhatIf, RunSimulationParams, TimelineParams, WebviewToHost } from './index';

/** What was wrong with a message: the parameter and the reason, for an InvalidParams response. */
export class ProtocolError extends Error {
  constructor(
    readonly method: string,
    readonly field: string,
    reason: string,
  ) {
    super(`${method}: ${field} ${reason}`);
    this.name = 'ProtocolError';
  }
}

/** Layer indexes and system counts are small integers; past this a number is not one. */
const MAX_INDEX = 1_000_000_000;
/** A document uri is short; a megabyte-long "uri" is not one. */
const MAX_URI_LENGTH = 8192;

const PANEL_VIEWS: readonly PanelView[] = ['heatmap', 'timeline', 'memory', 'summary', 'plan'];
/** Tokens, days and bytes of a plan are large but finite; past this a number is not one. */
const MAX_PLAN_NUMBER = 1e30;
/** Exported text (a report, a plan, an SVG or a PNG as base64) stays well under this. */
const MAX_EXPORT_CHARS = 64 << 20;

function record(method: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ProtocolError(method, 'params', 'must be an object');
  return value as Record<string, unknown>;
}

function uriField(method: string, params: Record<string, unknown>): string {
  const uri = params.uri;
  if (typeof uri !== 'string' || uri === '' || uri.length > MAX_URI_LENGTH) throw new ProtocolError(method, 'uri', 'must be a document uri');
  return uri;
}

function integerField(method: string, params: Record<string, unknown>, field: string, min: number): number {
  const value = params[field];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > MAX_INDEX) {
    throw new ProtocolError(method, field, `must be a whole number from ${min} to ${MAX_INDEX}`);
  }
  return value;
}

export function parseRunSimulationParams(method: string, value: unknown): RunSimulationParams {
  const params = record(method, value);
  return { uri: uriField(method, params) };
}

export function parseHeatmapParams(method: string, value: unknown): HeatmapParams {
  const params = record(method, value);
  return { uri: uriField(method, params), layer: integerField(method, params, 'layer', 0) };
}

export function parseTimelineParams(method: string, value: unknown): TimelineParams {
  const params = record(method, value);
  return { uri: uriField(method, params), systems: integerField(method, params, 'systems', 1) };
}

/** An optional positive finite number (a plan input); absent or null stays absent. */
function optionalPositive(method: string, params: Record<string, unknown>, field: string): number | undefined {
  const value = params[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_PLAN_NUMBER) {
    throw new ProtocolError(method, field, 'must be a positive number');
  }
  return value;
}

function stringField(method: string, params: Record<string, unknown>, field: string, max = MAX_EXPORT_CHARS): string {
  const value = params[field];
  if (typeof value !== 'string' || value.length > max) throw new ProtocolError(method, field, 'must be a string');
  return value;
}

/** The inputs of a plan request (what the Plan tab sends; the uri is the shown document's). */
function planInputs(method: string, value: unknown): Omit<PlanParams, 'uri' | 'requestId'> {
  const params = record(method, value);
  const out: Omit<PlanParams, 'uri' | 'requestId'> = {};
  for (const field of ['tokens', 'deadlineDays', 'maxSystems'] as const) {
    const number = optionalPositive(method, params, field);
    if (number !== undefined) out[field] = number;
  }
  if (params.whatIf !== undefined && params.whatIf !== null) {
    const raw = record(method, params.whatIf);
    const whatIf: PlanWhatIf = {};
    for (const field of ['sequenceLength', 'globalBatch', 'microBatch', 'systems', 'memoryxBytes'] as const) {
      const number = optionalPositive(method, raw, field);
      if (number !== undefined) whatIf[field] = number;
    }
    out.whatIf = whatIf;
  }
  return out;
}

export function parsePlanParams(method: string, value: unknown): PlanParams {
  const params = record(method, value);
  const requestId = params.requestId === undefined ? undefined : integerField(method, params, 'requestId', 0);
  return { uri: uriField(method, params), ...(requestId === undefined ? {} : { requestId }), ...planInputs(method, params) };
}

export function parsePlanApplyParams(method: string, value: unknown): PlanApplyParams {
  const params = record(method, value);
  return {
    uri: uriField(method, params),
    systems: integerField(method, params, 'systems', 1),
    microBatch: integerField(method, params, 'microBatch', 1),
    memoryxBytes: optionalPositive(method, params, 'memoryxBytes') ?? 0,
  };
}

/** A webview message, or a ProtocolError naming what is wrong with it. */
export function parseWebviewMessage(value: unknown): WebviewToHost {
  const method = 'webview message';
  const message = record(method, value);
  switch (message.type) {
    case 'ready':
      return { type: 'ready' };
    case 'requestHeatmap':
      return { type: 'requestHeatmap', layer: integerField(method, message, 'layer', 0) };
    case 'requestTimeline':
      return { type: 'requestTimeline', systems: integerField(method, message, 'systems', 1) };
    case 'rendered': {
      const view = message.view;
      if (!PANEL_VIEWS.includes(view as PanelView)) throw new ProtocolError(method, 'view', `must be one of ${PANEL_VIEWS.join(', ')}`);
      const version = message.version;
      if (typeof version !== 'number' || !Number.isInteger(version)) throw new ProtocolError(method, 'version', 'must be a whole number');
      return { type: 'rendered', uri: uriField(method, message), version, view: view as PanelView };
    }
    case 'requestPlan':
      return { type: 'requestPlan', requestId: integerField(method, message, 'requestId', 0), params: planInputs(method, message.params) };
    case 'applyPlan':
      return {
        type: 'applyPlan',
        systems: integerField(method, message, 'systems', 1),
        microBatch: integerField(method, message, 'microBatch', 1),
        memoryxBytes: optionalPositive(method, message, 'memoryxBytes') ?? 0,
      };
    case 'export':
      if (message.action === 'copy') return { type: 'export', action: 'copy', text: stringField(method, message, 'text'), what: stringField(method, message, 'what', 200) };
      if (message.action === 'notice') return { type: 'export', action: 'notice', text: stringField(method, message, 'text', 2000) };
      if (message.action === 'save') {
        const fileName = stringField(method, message, 'fileName', 255);
        const text = message.text === undefined ? undefined : stringField(method, message, 'text');
        const base64 = message.base64 === undefined ? undefined : stringField(method, message, 'base64');
        return { type: 'export', action: 'save', fileName, ...(text === undefined ? {} : { text }), ...(base64 === undefined ? {} : { base64 }) };
      }
      throw new ProtocolError(method, 'action', 'is not one of copy, save, notice');
    default:
      throw new ProtocolError(method, 'type', 'is not one of ready, requestHeatmap, requestTimeline, rendered, requestPlan, applyPlan, export');
  }
}

/** Positions in LSP requests: whole numbers, not negative. */
export function isPosition(value: unknown): value is { line: number; character: number } {
  if (value === null || typeof value !== 'object') return false;
  const { line, character } = value as Record<string, unknown>;
  return typeof line === 'number' && Number.isInteger(line) && line >= 0 && typeof character === 'number' && Number.isInteger(character) && character >= 0;
}
