/**
 * Which cluster a model config is planned for: the file named by its
 * `# waferscope: cluster=<path>` comment, else the `waferscope.clusterFile` setting, else the
 * embedded default (the Sandia 1T run: one CS-3 with a 55 TB MemoryX).
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ClusterDescription, ConfigDocument, CoreDiagnostic, Range } from '../types';
import { defaultName } from './cluster-file';
import { readConfig } from './read';

export { parseCapacity, readClusterFile } from './cluster-file';

/**
 * One CS-3 with a 55 TB MemoryX: the configuration on which Sandia National Laboratories and
 * Cerebras trained a 1-trillion-parameter model (December 2024; wafer-scale.md, headline).
 */
export const DEFAULT_CLUSTER: ClusterDescription = Object.freeze({
  name: 'default: 1 x CS-3, 55 TB MemoryX (Sandia 1T run)',
  system: 'cs-3',
  systems: 1,
  memoryxCapacityBytes: 55e12,
  overrides: Object.freeze({}) as Record<string, number>,
  origin: Object.freeze({ kind: 'default' }) as ClusterDescription['origin'],
}) as ClusterDescription;

export interface ResolveClusterOptions {
  /** The `waferscope.clusterFile` setting: absolute, or relative to the config's folder. */
  settingPath?: string;
  /** Returns the file's text, or undefined when it cannot be read. */
  readFile: (absPath: string) => string | undefined;
  /** `--systems N` on the command line: overrides the cluster's system count. */
  systemsOverride?: number;
  /**
   * Whether a file lies inside the workspace. Of a file outside it (read only because the user named
   * it explicitly) no message quotes content and no quick fix edits it. Absent: every file is inside.
   */
  isWorkspaceFile?: (absPath: string) => boolean;
}

export interface ResolvedCluster {
  cluster: ClusterDescription;
  diagnostics: CoreDiagnostic[];
  /** The cluster file as read, when the cluster came from one (for cross-file quick fixes). */
  clusterDocument?: ConfigDocument;
}

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function defaultCluster(): ClusterDescription {
  return { ...DEFAULT_CLUSTER, overrides: {}, origin: { kind: 'default' } };
}

function safeRead(readFile: ResolveClusterOptions['readFile'], path: string): string | undefined {
  try {
    const text = readFile(path);
    return typeof text === 'string' ? text : undefined;
  } catch {
    return undefined;
  }
}

/** What is wrong with a cluster file; of a file outside the workspace only where and of what kind, never its text. */
function firstError(document: ConfigDocument, inside: boolean): string {
  const error = document.diagnostics.find((d) => d.severity === 'error');
  if (!error) return document.format === 'cluster' ? 'it has no usable cluster block' : 'it is not a cluster file';
  const where = `line ${error.range.start.line + 1}`;
  return inside ? `${where}: ${error.message}` : `${where}: ${error.code}; open the file to see the problem`;
}

/** Reads one candidate cluster file; a diagnostic at `range` when it cannot be used. */
function load(
  path: string,
  kind: 'file' | 'setting',
  options: ResolveClusterOptions,
  range: Range,
  severity: CoreDiagnostic['severity'],
): ResolvedCluster | undefined {
  const fallbackNote = `using the default cluster (${DEFAULT_CLUSTER.name}) instead.`;
  const text = safeRead(options.readFile, path);
  if (text === undefined) {
    return {
      cluster: defaultCluster(),
      diagnostics: [{ severity, code: 'cluster-not-found', message: `Cluster file ${path} cannot be read; ${fallbackNote}`, range }],
    };
  }
  const inside = options.isWorkspaceFile?.(path) ?? true;
  const document = readConfig(path, text);
  if (document.format !== 'cluster' || !document.cluster) {
    return {
      cluster: defaultCluster(),
      diagnostics: [
        { severity, code: 'invalid-value', message: `Cluster file ${path} is not valid (${firstError(document, inside)}); ${fallbackNote}`, range },
      ],
    };
  }
  if (!inside) {
    // Named explicitly by the user, yet outside the workspace: its numbers are used, its text is not
    // repeated (the name comes from the file name) and no quick fix edits it (no clusterDocument).
    const cluster: ClusterDescription = { ...document.cluster, name: defaultName(path), origin: { kind, file: path } };
    return { cluster, diagnostics: [] };
  }
  const cluster: ClusterDescription = { ...document.cluster, origin: { kind, file: path } };
  return { cluster, diagnostics: [], clusterDocument: document };
}

export function resolveCluster(doc: ConfigDocument, options: ResolveClusterOptions): ResolvedCluster {
  let resolved: ResolvedCluster | undefined;
  if (doc.clusterReference) {
    resolved = load(doc.clusterReference.path, 'file', options, doc.clusterReference.range, 'error');
  } else if (options.settingPath && options.settingPath.trim() !== '') {
    const setting = options.settingPath.trim();
    const path = isAbsolute(setting) ? setting : resolve(dirname(doc.file), setting);
    resolved = load(path, 'setting', options, START, 'warning');
  }
  if (!resolved) resolved = { cluster: defaultCluster(), diagnostics: [] };
  const override = options.systemsOverride;
  if (override !== undefined && Number.isInteger(override) && override >= 1) {
    resolved = { ...resolved, cluster: { ...resolved.cluster, systems: override } };
  }
  return resolved;
}
