/**
 * Checks for every message that crosses a process or a webview boundary. Nothing that arrives is
 * trusted to have the shape its type claims: a request with null params or a webview message with a
 * string for a layer is answered with a typed error, never a throw inside a handler.
 *
 * No LSP or vscode imports: the server, the extension host and the tests share these.
 */
import type { HeatmapParams, PanelView, RunSimulationParams, TimelineParams, WebviewToHost } from './index';

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

const PANEL_VIEWS: readonly PanelView[] = ['heatmap', 'timeline', 'memory', 'summary'];

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
    default:
      throw new ProtocolError(method, 'type', 'is not one of ready, requestHeatmap, requestTimeline, rendered');
  }
}

/** Positions in LSP requests: whole numbers, not negative. */
export function isPosition(value: unknown): value is { line: number; character: number } {
  if (value === null || typeof value !== 'object') return false;
  const { line, character } = value as Record<string, unknown>;
  return typeof line === 'number' && Number.isInteger(line) && line >= 0 && typeof character === 'number' && Number.isInteger(character) && character >= 0;
}
