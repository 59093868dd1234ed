/**
 * One config file in, one `Report` out: read, resolve the cluster, count, simulate, and turn the
 * simulator's findings into diagnostics on the keys that drive them. The CLI and the language
 * server both call this, so a diagnostic is the same wherever it is seen.
 */
import { dirname } from 'node:path';
import { batchProblems } from './config/checks';
import { formatNumber } from './config/context';
import { readConfig } from './config/read';
import { resolveCluster } from './config/cluster';
import { buildModelStructure } from './model/structure';
import { simulate, type SimulationInput, type Finding } from './sim/simulate';
import type { ClusterSummary, ConstantUse, FitStatus, ModelSummary, Report } from './report';
import { HF_TRAINING_ASSUMPTIONS } from './config/hf';
import type { ClusterDescription, ConfigDocument, CoreDiagnostic, FixData, ModelStructure, Range } from './types';
import { lensSummary } from './format/summary';
import { boundDiagnostics } from './diagnosticLimits';
import { closestConstantName, overridableConstantNames, presetName, resolveHardware } from './sim/hardware';

export interface AnalyzeOptions {
  /** Reads another file (a referenced cluster file); the server answers from open editors first. */
  readFile(absolutePath: string): string | undefined;
  /** `waferscope.cluster` setting (absolute, or relative to the config's folder). */
  settingClusterPath?: string;
  /** `--systems N` of the CLI. */
  systems?: number;
  /** Headroom under which a warning is given, as a fraction (0.10 = 10 %). */
  headroomWarning?: number;
  /** Whether a file lies inside the workspace (messages about files outside quote none of their text). */
  isWorkspaceFile?: (absolutePath: string) => boolean;
}

export interface Analysis {
  document: ConfigDocument;
  report: Report;
  status: FitStatus;
  /** One line: parameters, MemoryX, wafer, step time (the code lens and status bar tooltip). */
  summary: string;
  structure?: ModelStructure;
  /** What the simulator ran on; the heatmap and timeline requests rerun parts of it. */
  simulationInput?: SimulationInput;
  /** Absolute path of the cluster file the config used, for cross-file updates. */
  clusterFile?: string;
}

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function analyze(file: string, text: string, options: AnalyzeOptions): Analysis {
  const document = readConfig(file, text);
  const diagnostics: CoreDiagnostic[] = [...document.diagnostics];

  if (document.format === 'unknown') {
    return finish(document, diagnostics, emptyCluster(), 'not-a-config');
  }

  if (document.format === 'cluster') {
    const cluster = document.cluster;
    if (cluster) diagnostics.push(...overrideDiagnostics(document, cluster));
    const summary = cluster ? clusterSummary(cluster) : emptyCluster();
    const status: FitStatus = hasErrors(diagnostics) ? 'invalid' : 'cluster';
    return finish(document, diagnostics, summary, status);
  }

  const resolved = resolveCluster(document, {
    settingPath: options.settingClusterPath,
    readFile: options.readFile,
    systemsOverride: options.systems,
    isWorkspaceFile: options.isWorkspaceFile,
  });
  diagnostics.push(...resolved.diagnostics);
  const cluster = resolved.cluster;
  const clusterFile = cluster.origin.kind === 'default' ? undefined : cluster.origin.file;

  if (document.unmodelledFamily) {
    return { ...finish(document, diagnostics, clusterSummary(cluster), 'not-modelled'), clusterFile };
  }
  if (!document.model || !document.training) {
    return { ...finish(document, diagnostics, clusterSummary(cluster), 'invalid'), clusterFile };
  }

  const structure = buildModelStructure(document.model);
  const simulationInput: SimulationInput = {
    model: document.model,
    structure,
    training: document.training,
    cluster,
    systems: options.systems,
    headroomWarning: options.headroomWarning,
  };
  const output = simulate(simulationInput);
  const clusterDocument = resolved.clusterDocument;
  for (const finding of output.findings) diagnostics.push(findingToDiagnostic(finding, document, clusterDocument));
  // The reader checks the batch against num_csx when the config names it; otherwise the job runs
  // on the cluster's systems (or --systems), known only now.
  if (document.training.numCsx === undefined || options.systems !== undefined) {
    const systemsName = options.systems !== undefined ? '--systems' : "the cluster's systems";
    const range = document.sources['training.globalBatchSize']?.valueRange ?? document.sources['model.block']?.keyRange ?? START;
    for (const problem of batchProblems(document.training.globalBatchSize, document.training.microBatchSize, output.training.numCsx, systemsName)) {
      diagnostics.push({ ...problem, range });
    }
  }

  const report: Report = {
    file,
    format: document.format,
    model: modelSummary(document, structure),
    cluster: clusterSummary(cluster),
    training: output.training,
    memoryx: output.memoryx,
    wafer: output.wafer,
    timeline: output.timeline,
    scaling: output.scaling,
    constants: document.format === 'hf-config' ? [...output.constants, ...hfTrainingAssumptions()] : output.constants,
    diagnostics: sortDiagnostics(diagnostics),
  };
  const fits = output.memoryx.fits && output.wafer.fits;
  const status: FitStatus = !fits || hasErrors(diagnostics) ? 'does-not-fit' : 'fits';
  return { document, report, status, summary: lensSummary(report), structure, simulationInput, clusterFile };
}

function finish(document: ConfigDocument, diagnostics: CoreDiagnostic[], cluster: ClusterSummary, status: FitStatus): Analysis {
  const report: Report = {
    file: document.file,
    format: document.format,
    model: null,
    cluster,
    diagnostics: sortDiagnostics(diagnostics),
  };
  return { document, report, status, summary: lensSummary(report) };
}

function hasErrors(diagnostics: CoreDiagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sorted by position, at most 500 with a summary of the rest, control characters escaped. */
function sortDiagnostics(diagnostics: CoreDiagnostic[]): CoreDiagnostic[] {
  return boundDiagnostics(diagnostics);
}

function modelSummary(document: ConfigDocument, structure: ModelStructure): ModelSummary {
  const model = document.model!;
  const training = document.training!;
  return {
    family: model.family,
    architecture: model.architecture,
    parameters: Number(structure.totalParameters),
    activeParameters: Number(structure.activeParameters),
    embeddingParameters: Number(structure.embeddingParameters),
    layers: model.numLayers,
    hiddenSize: model.hiddenSize,
    numHeads: model.numHeads,
    numKvHeads: model.numKvHeads,
    ffnSize: model.ffnSize,
    vocabSize: model.vocabSize,
    sequenceLength: training.sequenceLength,
    experts: model.moe
      ? { routed: model.moe.numExperts, topK: model.moe.topK, shared: model.moe.numSharedExperts }
      : undefined,
  };
}

function clusterSummary(cluster: ClusterDescription): ClusterSummary {
  return {
    name: cluster.name,
    system: cluster.system,
    systems: cluster.systems,
    memoryxCapacityBytes: cluster.memoryxCapacityBytes,
    origin: cluster.origin.kind,
    file: cluster.origin.kind === 'default' ? undefined : cluster.origin.file,
  };
}

function emptyCluster(): ClusterSummary {
  return { name: '', system: '', systems: 0, memoryxCapacityBytes: 0, origin: 'default' };
}

/**
 * Places a simulator finding on the key that drives it. Cluster fields of another file land on the
 * model block here (the cluster file gets its own diagnostic when it is open), with a fix that edits
 * the cluster file.
 */
function findingToDiagnostic(finding: Finding, document: ConfigDocument, clusterDocument?: ConfigDocument): CoreDiagnostic {
  const local = document.sources[finding.field];
  const range = local?.keyRange ?? document.sources['model.block']?.keyRange ?? START;
  const diagnostic: CoreDiagnostic = { severity: finding.severity, code: finding.code, message: finding.message, range };
  if (finding.fix) {
    const fix = fixFor(finding.fix, document, clusterDocument);
    if (fix) diagnostic.fixes = [fix];
  }
  return diagnostic;
}

function fixFor(
  fix: NonNullable<Finding['fix']>,
  document: ConfigDocument,
  clusterDocument?: ConfigDocument,
): FixData | undefined {
  const newText = String(fix.value);
  const local = document.sources[fix.field];
  if (local) return { title: fix.title, edits: [{ range: local.valueRange, newText }] };
  const remote = clusterDocument?.sources[fix.field];
  if (remote && clusterDocument) {
    return { title: fix.title, edits: [{ file: clusterDocument.file, range: remote.valueRange, newText }] };
  }
  return undefined;
}

/** A config.json describes a model, not a run: the training settings WaferScope assumes for it, shown as such. */
function hfTrainingAssumptions(): ConstantUse[] {
  const source = 'assumption: a Hugging Face config.json has no training section';
  return [
    { name: 'hf_global_batch', value: HF_TRAINING_ASSUMPTIONS.globalBatchSize, unit: 'sequences', source, assumption: true },
    { name: 'hf_max_sequence_length', value: HF_TRAINING_ASSUMPTIONS.maxSequenceLength, unit: 'tokens (the context, capped)', source, assumption: true },
  ];
}

/** Overrides must name a documented hardware constant; a typo would silently change nothing. */
function overrideDiagnostics(document: ConfigDocument, cluster: ClusterDescription): CoreDiagnostic[] {
  const { unknownOverrides, invalidOverrides, outOfRangeOverrides } = resolveHardware(cluster);
  const preset = presetName(cluster.system) ?? 'cs-3';
  // Zero, negative or non-finite values are ignored by the simulator (the preset value stays): say so.
  const invalid: CoreDiagnostic[] = invalidOverrides.map((name) => ({
    severity: 'error',
    code: 'invalid-value',
    message: `overrides.${name} must be a positive number; the ${preset.toUpperCase()} preset value is used instead.`,
    range: document.sources[`cluster.overrides.${name}`]?.valueRange ?? document.sources['cluster.block']?.keyRange ?? START,
  }));
  const outOfRange: CoreDiagnostic[] = outOfRangeOverrides.map(({ name, min, max }) => ({
    severity: 'error',
    code: 'out-of-range',
    message: `overrides.${name} is outside the plausible range ${formatNumber(min)} to ${formatNumber(max)}; the ${preset.toUpperCase()} preset value is used instead.`,
    range: document.sources[`cluster.overrides.${name}`]?.valueRange ?? document.sources['cluster.block']?.keyRange ?? START,
  }));
  return [...invalid, ...outOfRange, ...unknownOverrides.map((name) => {
    const source = document.sources[`cluster.overrides.${name}`];
    const suggestion = closestConstantName(name, preset);
    const diagnostic: CoreDiagnostic = {
      severity: 'warning',
      code: 'unknown-override',
      message: `"${name}" is not a hardware constant of ${preset.toUpperCase()}, so it changes nothing.${suggestion ? ` Did you mean "${suggestion}"?` : ` Known constants: ${overridableConstantNames(preset).join(', ')}.`}`,
      range: source?.keyRange ?? document.sources['cluster.block']?.keyRange ?? START,
    };
    if (suggestion && source) diagnostic.fixes = [{ title: `Change to "${suggestion}"`, edits: [{ range: source.keyRange, newText: suggestion }] }];
    return diagnostic;
  })];
}

/** The folder a config's relative references resolve against. */
export function configFolder(file: string): string {
  return dirname(file);
}
