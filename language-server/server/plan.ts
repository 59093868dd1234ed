/**
 * The Plan tab's requests: a plan of the open config with what-if values applied for this request
 * only (the file is not touched), and the edits that make the config run a chosen plan.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PlanApplyParams, PlanApplyResult, PlanParams, PlanPayload, PlanPoint } from '../../protocol';
import type { Analysis } from '../core/analyze';
import { readConfig } from '../core/config/read';
import { planEdits } from '../core/plan/applyPlan';
import { planRun } from '../core/plan/plan';
import { resolveHardware } from '../core/sim/hardware';
import { simulate, type SimulationInput } from '../core/sim/simulate';

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

function wholeNumber(value: unknown): number | undefined {
  const n = positive(value);
  return n === undefined ? undefined : Math.max(1, Math.floor(n));
}

export function planFor(uri: string, analysis: Analysis, params: PlanParams): PlanPayload | null {
  const input = analysis.simulationInput;
  const report = analysis.report;
  if (!input || !report.training || !report.memoryx) return null;
  const start = performance.now();
  const whatIf = params.whatIf ?? {};
  const sequenceLength = wholeNumber(whatIf.sequenceLength);
  const globalBatch = wholeNumber(whatIf.globalBatch);
  // The job as changed by the what-if values: the planner searches systems, micro-batch and MemoryX itself.
  const job: SimulationInput = {
    ...input,
    training: {
      ...input.training,
      ...(sequenceLength !== undefined ? { sequenceLength } : {}),
      ...(globalBatch !== undefined ? { globalBatchSize: globalBatch } : {}),
    },
  };
  const result = planRun(job, { tokens: positive(params.tokens), deadlineDays: positive(params.deadlineDays), maxSystems: wholeNumber(params.maxSystems) });

  const config = {
    sequenceLength: report.training.sequenceLength,
    globalBatch: report.training.globalBatchSize,
    microBatch: report.training.microBatchSize,
    systems: report.training.numCsx,
    memoryxBytes: report.memoryx.capacityBytes,
  };
  const point = {
    systems: wholeNumber(whatIf.systems) ?? config.systems,
    microBatch: wholeNumber(whatIf.microBatch) ?? config.microBatch,
    memoryxBytes: positive(whatIf.memoryxBytes) ?? config.memoryxBytes,
  };
  const output = simulate({
    ...job,
    systems: point.systems,
    training: { ...job.training, microBatchSize: point.microBatch },
    cluster: { ...job.cluster, memoryxCapacityBytes: point.memoryxBytes },
  });
  const tokensPerSecond = output.timeline.tokensPerSecond;
  const seconds = tokensPerSecond > 0 ? result.tokens / tokensPerSecond : 0;
  const systemHours = (output.training.numCsx * seconds) / 3600;
  const hw = resolveHardware(job.cluster).hw;
  const planPoint: PlanPoint = {
    systems: output.training.numCsx,
    microBatch: output.training.microBatchSize,
    memoryxBytes: point.memoryxBytes,
    sequenceLength: output.training.sequenceLength,
    globalBatch: output.training.globalBatchSize,
    stepSeconds: output.timeline.stepSeconds,
    days: seconds / 86400,
    systemHours,
    energyKWh: (systemHours * hw.systemPowerWatts) / 1000,
    fits: output.memoryx.fits && output.wafer.fits,
    waferHeadroom: output.wafer.headroom ?? 0,
    problems: output.findings.filter((f) => f.severity !== 'information').map((f) => f.message),
  };
  return {
    uri,
    requestId: params.requestId,
    preset: hw.preset.toUpperCase(),
    result,
    config,
    whatIf: planPoint,
    memoryxTiers: hw.memoryxTiers.map((tier) => ({ bytes: tier.bytes, label: tier.label })),
    milliseconds: performance.now() - start,
  };
}

/** A cluster file name next to the config that does not exist yet. */
function freshClusterFile(folder: string, base: string): string {
  for (let n = 0; n < 100; n++) {
    const file = join(folder, `${base}.plan${n ? `-${n + 1}` : ''}.cluster.yaml`);
    if (!existsSync(file)) return file;
  }
  return join(folder, `${base}.plan-${Date.now()}.cluster.yaml`);
}

export function planApplyFor(analysis: Analysis, readFile: (path: string) => string | undefined, params: PlanApplyParams): PlanApplyResult {
  const fail = (error: string): PlanApplyResult => ({ edits: [], createFiles: [], summary: '', error });
  const systems = wholeNumber(params.systems);
  const microBatch = wholeNumber(params.microBatch);
  const memoryxBytes = positive(params.memoryxBytes);
  if (!systems || !microBatch || !memoryxBytes) return fail('The plan to apply needs systems, a micro-batch and a MemoryX capacity.');
  const clusterFile = analysis.clusterFile;
  let clusterDocument;
  if (clusterFile) {
    const text = readFile(clusterFile);
    if (text === undefined) return fail(`Cannot read the cluster file ${clusterFile}.`);
    clusterDocument = readConfig(clusterFile, text);
  }
  const file = analysis.document.file;
  const edits = planEdits(
    analysis.document,
    { document: clusterDocument, file: clusterFile, systems: analysis.report.cluster.systems, system: analysis.report.cluster.system },
    { systems, microBatch, memoryxBytes },
    (base) => freshClusterFile(dirname(file), base),
  );
  if ('error' in edits) return fail(edits.error);
  return {
    edits: edits.edits.map((edit) => ({ file: edit.file ?? file, range: edit.range, newText: edit.newText })),
    createFiles: edits.createFiles,
    summary: edits.summary,
  };
}
