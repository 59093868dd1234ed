/**
 * One config file in, one `Report` out: read, resolve the cluster, count, simulate, and turn the
 * simulator's findings into diagnostics on the keys that drive them. The CLI and the language
 * server both call this, so a diagnostic is the same wherever it is seen.
 */
import { basename, dirname, join } from 'node:path';
import { batchProblems } from './config/checks';
import { formatNumber } from './config/context';
import { readConfig } from './config/read';
import { DEFAULT_CLUSTER, resolveCluster } from './config/cluster';
import { newClusterFileText } from './format/clusterFile';
import { buildModelStructure } from './model/structure';
import { simulate, type SimulationInput, type Finding } from './sim/simulate';
import { exploreMicroBatches } from './plan/explore';
import { pinScalarEdit } from './plan/applyPlan';
import { formatSeconds } from './format/units';
import type { ClusterSummary, ConstantUse, FitStatus, ModelSummary, Report } from './report';
import { HF_TRAINING_ASSUMPTIONS } from './config/hf';
import type { ClusterDescription, ConfigDocument, CoreDiagnostic, FixData, ModelStructure, Range, RelatedLocation } from './types';
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
  /** `waferscope.readAs`: HF model type -> supported type to read it as (an approximate count). */
  readAs?: Record<string, string>;
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
  /**
   * Fingerprint of every input the analysis read: the document, the cluster file's text, the
   * settings, `--systems`. Two analyses with the same fingerprint show the same figures, so a
   * surface can tell a stale result from the current one even when the document did not change.
   */
  inputs: string;
}

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function analyze(file: string, text: string, options: AnalyzeOptions): Analysis {
  const read: string[] = [];
  const tracked: AnalyzeOptions = {
    ...options,
    readFile: (path) => {
      const content = options.readFile(path);
      read.push(path, content ?? '\u0000missing');
      return content;
    },
  };
  const analysis = analyzeWith(file, text, tracked);
  analysis.inputs = fingerprint([text, ...read, options.settingClusterPath ?? '', String(options.systems ?? ''), String(options.headroomWarning ?? '')]);
  return analysis;
}

/** FNV-1a over the parts (with separators): cheap, and collisions only cost one skipped panel refresh. */
function fingerprint(parts: string[]): string {
  let hash = 0x811c9dc5;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      hash ^= part.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    hash = Math.imul(hash ^ 0xff, 0x01000193) >>> 0;
  }
  return `${hash.toString(16)}-${parts.reduce((n, p) => n + p.length, 0)}`;
}

function analyzeWith(file: string, text: string, options: AnalyzeOptions): Analysis {
  const document = readConfig(file, text, { readAs: options.readAs });
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
  for (const finding of output.findings) diagnostics.push(findingToDiagnostic(finding, document, cluster, options, clusterDocument));
  // The reader checks the batch against num_csx when the config names it; otherwise the job runs
  // on the cluster's systems (or --systems), known only now.
  if (document.training.numCsx === undefined || options.systems !== undefined) {
    const systemsName = options.systems !== undefined ? '--systems' : "the cluster's systems";
    const range = document.sources['training.globalBatchSize']?.valueRange ?? document.sources['model.block']?.keyRange ?? START;
    for (const problem of batchProblems(document.training.globalBatchSize, document.training.microBatchSize, output.training.numCsx, systemsName)) {
      diagnostics.push({ ...problem, range });
    }
  }

  addBatchFixes(diagnostics, document, output.training.numCsx, output.training.microBatchSize);
  const explore = document.training.microBatchSize === 'explore' ? exploreMicroBatches(simulationInput) : undefined;
  if (explore) diagnostics.push(...exploreDiagnostics(document, explore));

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
  if (explore) report.microBatchExplore = explore;
  const fits = output.memoryx.fits && output.wafer.fits;
  // A file that does not parse is invalid, whatever the part that parsed would give: the status
  // bar and the panel must not call a typo "does not fit".
  const syntaxError = diagnostics.some((d) => d.code === 'syntax' && d.severity === 'error');
  const status: FitStatus = syntaxError ? 'invalid' : !fits || hasErrors(diagnostics) ? 'does-not-fit' : 'fits';
  return { document, report, status, summary: lensSummary(report), structure, simulationInput, clusterFile, inputs: '' };
}

function finish(document: ConfigDocument, diagnostics: CoreDiagnostic[], cluster: ClusterSummary, status: FitStatus): Analysis {
  const report: Report = {
    file: document.file,
    format: document.format,
    model: null,
    cluster,
    diagnostics: sortDiagnostics(diagnostics),
  };
  return { document, report, status, summary: lensSummary(report), inputs: '' };
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
    ...(model.approximation ? { approximation: { ...model.approximation } } : {}),
    ...(model.definition ? { definition: model.definition } : {}),
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
 * Places a simulator finding on the key that drives it, with the other driving keys as related
 * information. A cluster field of another file lands on the first driving key written in this
 * config (the cluster file gets its own diagnostic when it is open), with a fix that edits the
 * cluster file.
 */
function findingToDiagnostic(finding: Finding, document: ConfigDocument, cluster: ClusterDescription, options: AnalyzeOptions, clusterDocument?: ConfigDocument): CoreDiagnostic {
  const local = document.sources[finding.field];
  const firstDriver = (finding.related ?? []).map((r) => document.sources[r.field]).find((source) => source);
  const range = local?.keyRange ?? firstDriver?.keyRange ?? document.sources['model.block']?.keyRange ?? START;
  const diagnostic: CoreDiagnostic = { severity: finding.severity, code: finding.code, message: finding.message, range };
  const related: RelatedLocation[] = [];
  for (const r of finding.related ?? []) {
    const source = document.sources[r.field];
    if (source && source.keyRange !== range) related.push({ range: source.keyRange, message: r.message });
  }
  const remote = clusterDocument?.sources[finding.field];
  if (!local && remote && clusterDocument) related.unshift({ file: clusterDocument.file, range: remote.valueRange, message: 'the cluster\'s value' });
  if (related.length) diagnostic.related = related;
  const fixes = (finding.fixes ?? []).map((fix) => fixFor(fix, document, clusterDocument)).filter((fix): fix is FixData => !!fix);
  if (finding.code === 'memoryx-capacity' && cluster.origin.kind === 'default') fixes.push(...defaultClusterFixes(finding, document, options));
  if (fixes.length) diagnostic.fixes = fixes;
  return diagnostic;
}

function fixFor(
  fix: NonNullable<Finding['fixes']>[number],
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

/**
 * The embedded default cluster has no file to edit: offer to write a cluster file with the
 * smallest tier that fits next to the config and name it on the first line (YAML only: a
 * config.json takes no comment), or to pick another cluster.
 */
function defaultClusterFixes(finding: Finding, document: ConfigDocument, options: AnalyzeOptions): FixData[] {
  const fixes: FixData[] = [];
  const tier = finding.fixes?.find((f) => f.field === 'cluster.memoryxCapacity')?.value;
  if (tier !== undefined && document.format !== 'hf-config') {
    const base = basename(document.file).replace(/\.(ya?ml|json)$/i, '');
    const name = `${base}.cluster.yaml`;
    const file = join(dirname(document.file), name);
    const modeline = { range: START, newText: `# waferscope: cluster=${name}\n` };
    let exists = false;
    try {
      exists = options.readFile(file) !== undefined;
    } catch {
      exists = false;
    }
    if (exists) {
      // Never overwrite the user's file: only name it.
      fixes.push({ title: `Use the existing ${name}`, edits: [modeline] });
    } else {
      const text = newClusterFileText(`${base}-${String(tier).replace(/\s+/g, '')}`, DEFAULT_CLUSTER.system, DEFAULT_CLUSTER.systems, String(tier));
      fixes.push({ title: `Create ${name} with a ${tier} MemoryX and use it`, edits: [{ file, create: true, range: START, newText: text }, modeline] });
    }
  }
  fixes.push({ title: 'Select another cluster…', edits: [], command: 'waferscope.selectCluster' });
  return fixes;
}

/**
 * A batch warning names the numbers that do not divide: offer the batch that does (the next
 * multiple of micro-batch x systems, or of the systems under `auto`), which clears it and leaves
 * the micro-batch, so nothing changes on the wafer.
 */
function addBatchFixes(diagnostics: CoreDiagnostic[], document: ConfigDocument, systems: number, simulatedMicro: number): void {
  const source = document.sources['training.globalBatchSize'];
  const training = document.training;
  if (!source || !training || !(systems >= 1)) return;
  const micro = training.microBatchSize;
  // A written micro-batch larger than the per-system batch runs capped: a bigger batch would make
  // it real and change the wafer, so that case gets no batch fix (its micro-batch warnings have theirs).
  if (typeof micro === 'number' && micro !== simulatedMicro) return;
  const unit = typeof micro === 'number' && micro >= 1 ? micro * systems : systems;
  const batch = training.globalBatchSize;
  if (!(batch >= 1) || batch % unit === 0) return;
  const value = Math.ceil(batch / unit) * unit;
  for (const diagnostic of diagnostics) {
    if (diagnostic.code !== 'batch-not-multiple' || diagnostic.fixes?.length) continue;
    diagnostic.fixes = [{ title: `Set batch_size to ${value} (a multiple of ${unit})`, edits: [{ range: source.valueRange, newText: String(value) }] }];
  }
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

/**
 * `micro_batch_size: explore` is answered here: an information note naming the fastest candidate,
 * with the fix Model Zoo advises once the value is known (pin it). The fix replaces the whole value,
 * a `{explore: {min, max}}` mapping included.
 */
function exploreDiagnostics(document: ConfigDocument, explore: NonNullable<Report['microBatchExplore']>): CoreDiagnostic[] {
  const source = document.sources['training.microBatchSize'];
  if (!source || explore.best === null) return [];
  const best = explore.rows.find((row) => row.microBatch === explore.best)!;
  const pin = pinScalarEdit(document, 'training.microBatchSize', String(explore.best));
  const diagnostic: CoreDiagnostic = {
    severity: 'information',
    code: 'micro-batch-explore',
    message:
      `explore: of ${explore.rows.length + explore.omittedRows} candidate micro-batch${explore.rows.length + explore.omittedRows === 1 ? '' : 'es'} (divisors of the per-system batch ` +
      `${explore.perSystemBatch} from ${explore.range.min} to ${explore.range.max} that fit), ${explore.best} gives the shortest step (${formatSeconds(best.stepSeconds)} on ${explore.systems} ` +
      `system${explore.systems === 1 ? '' : 's'}). Pin it, as Model Zoo advises once the value is known; hover micro_batch_size for the table.`,
    range: source.keyRange,
  };
  if (pin) diagnostic.fixes = [{ title: `Pin micro_batch_size to ${explore.best}`, edits: [pin] }];
  return [diagnostic];
}

/** The folder a config's relative references resolve against. */
export function configFolder(file: string): string {
  return dirname(file);
}
