/**
 * The workspace overview: every model config the client found, analysed against the cluster it
 * would use (its own `# waferscope: cluster=` reference, else the selected cluster), so "which of
 * my configs fit the new cluster" is one glance. Open editors are reused; other files are read
 * from disk and analysed once per request.
 */
import { statSync } from 'node:fs';
import type { OverviewEntry, WorkspaceOverviewParams, WorkspaceOverviewResult } from '../../protocol';
import { analyze, type Analysis } from '../core/analyze';
import { filePath, type Settings } from './workspace';

/** Configs are small; a larger file is not one (and would slow the overview down). */
const MAX_OVERVIEW_FILE_BYTES = 2 * 1024 * 1024;
const MAX_OVERVIEW_FILES = 500;

export function workspaceOverview(
  params: WorkspaceOverviewParams,
  options: { openAnalysis(uri: string): Analysis | undefined; readFile(path: string): string | undefined; settings: Settings },
): WorkspaceOverviewResult {
  const entries: OverviewEntry[] = [];
  const uris = Array.isArray(params?.uris) ? params.uris.filter((u) => typeof u === 'string').slice(0, MAX_OVERVIEW_FILES) : [];
  for (const uri of uris) {
    let analysis = options.openAnalysis(uri);
    if (!analysis) {
      const path = filePath(uri);
      try {
        if (statSync(path).size > MAX_OVERVIEW_FILE_BYTES) continue;
      } catch {
        continue;
      }
      const text = options.readFile(path);
      if (text === undefined) continue;
      analysis = analyze(path, text, {
        readFile: options.readFile,
        settingClusterPath: options.settings.cluster || undefined,
        headroomWarning: options.settings.headroomWarning,
      });
    }
    const { status, report } = analysis;
    if (status === 'not-a-config' || status === 'cluster') continue;
    entries.push({
      uri,
      status,
      summary: analysis.summary,
      parameters: report.model?.parameters ?? null,
      stepSeconds: report.timeline?.stepSeconds ?? null,
      systems: report.training?.numCsx ?? null,
      cluster: report.cluster.name,
    });
  }
  return { entries };
}
