/**
 * The webview's side of the host connection: `acquireVsCodeApi()` (callable once per page), typed
 * with the protocol's messages.
 */
import type { PanelState, WebviewToHost } from '../protocol/index';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface Host {
  post(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: PanelState): void;
}

export function connectHost(): Host {
  let api: VsCodeApi;
  try {
    api = acquireVsCodeApi();
  } catch {
    // Outside VS Code (a plain page): keep working, talk to nobody.
    let stored: unknown;
    api = {
      postMessage: () => undefined,
      getState: () => stored,
      setState: (s) => {
        stored = s;
      },
    };
  }
  return {
    post: (message) => api.postMessage(message),
    getState: () => {
      try {
        return api.getState();
      } catch {
        return undefined;
      }
    },
    setState: (state) => api.setState(state),
  };
}

/**
 * Measurements for the bench: present only when the page defines `window.__waferscopePerf` before
 * the bundle runs (the harness does; VS Code never does), so the panel itself records nothing.
 */
export interface PerfRecord {
  /** Milliseconds from a heatmap message arriving to its first full-grid paint being drawn. */
  heatmapPaints: { layer: number; decodeMs: number; paintMs: number; totalMs: number; frameMs?: number }[];
  /** Count and durations of pan/zoom redraws. */
  redraws: number;
  redrawMs: number[];
}

export function perfRecord(): PerfRecord | undefined {
  const record = (globalThis as { __waferscopePerf?: PerfRecord }).__waferscopePerf;
  return record && typeof record === 'object' ? record : undefined;
}
