/**
 * Diagnostics of a cluster file that come from the models using it: when an open model config does
 * not fit this cluster's MemoryX, the cluster's `memoryx.capacity` says so too, with the same fix.
 */
import type { Analysis } from '../core/analyze';
import type { CoreDiagnostic } from '../core/types';
import { basename } from 'node:path';

export function clusterFileDiagnostics(cluster: Analysis, dependents: Analysis[]): CoreDiagnostic[] {
  const capacity = cluster.document.sources['cluster.memoryxCapacity'];
  const systems = cluster.document.sources['cluster.systems'];
  const out: CoreDiagnostic[] = [];
  for (const model of dependents) {
    const name = basename(model.document.file);
    const memoryx = model.report.memoryx;
    if (capacity && memoryx && !memoryx.fits) {
      const fromModel = model.report.diagnostics.find((d) => d.code === 'memoryx-capacity');
      out.push({
        severity: 'error',
        code: 'memoryx-capacity',
        message: `${name}: ${fromModel ? fromModel.message : 'needs more MemoryX than this cluster has'}`,
        range: capacity.valueRange,
        fixes: fromModel?.fixes
          ?.map((fix) => ({ ...fix, edits: fix.edits.map((edit) => ({ ...edit, file: undefined, range: capacity.valueRange })) })),
      });
    }
    const exceeds = model.report.diagnostics.find((d) => d.code === 'num-csx-exceeds-cluster');
    if (systems && exceeds) {
      out.push({ severity: 'warning', code: 'num-csx-exceeds-cluster', message: `${name}: ${exceeds.message}`, range: systems.valueRange });
    }
  }
  return out;
}
