/**
 * `waferscope`: the same answers as the editor, in a terminal or CI.
 *
 *   waferscope report <file> [--cluster <file>] [--systems N] [--read-as type=supported,...] [--json]
 *   waferscope sweep  <file> [--systems 1,2,4,...] [--cluster <file>] [--read-as ...] [--json]
 *   waferscope plan   <file> [--tokens N] [--days D] [--max-systems N] [--cluster <file>] [--read-as ...] [--json]
 *
 * Exit codes: 0 no error diagnostics, 1 error diagnostics, 2 unreadable input or bad usage.
 * `plan` exits 1 when no plan meets the deadline (or none can run at all).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyze, type Analysis } from '../core/analyze';
import { readRegularFile, WorkspaceFiles } from '../core/fileAccess';
import { MAX_CONFIG_BYTES } from '../core/config/read';
import { formatReport, formatScaling } from '../core/format/reportText';
import { sweep } from '../core/sim/simulate';
import { planRun, type PlanOptions } from '../core/plan/plan';
import { formatPlan } from '../core/format/planText';

const USAGE = `Usage:
  waferscope report <file> [--cluster <file>] [--systems N] [--read-as type=supported,...] [--json]
  waferscope sweep  <file> [--systems 1,2,4,...,2048] [--cluster <file>] [--read-as ...] [--json]
  waferscope plan   <file> [--tokens N] [--days D] [--max-systems N] [--cluster <file>] [--read-as ...] [--json]

<file> is a Cerebras Model Zoo YAML (trainer or legacy layout), a Hugging Face config.json
or a *.cluster.yaml. --cluster acts like the waferscope.cluster setting: a config's first-line
"# waferscope: cluster=<path>" comment still wins. Without either, the embedded default cluster
is used (one CS-3 with a 55 TB MemoryX). --read-as acts like the waferscope.readAs setting: a
Hugging Face model_type outside the architecture table is read as a supported one, approximately
(marked ≈); without it such a config gets no count.
is used (one CS-3 with a 55 TB MemoryX). A cluster file named by a config must lie under the
current directory; --cluster may name any file.

plan searches 1 to --max-systems systems (default: the preset's maximum), every micro-batch
that fits and every MemoryX tier that holds the model, for --tokens (default: the config's
max_steps x batch x sequence, else 20 per parameter) and prints the Pareto frontier of days
against system-hours, the cheapest plan that meets --days and the fastest. --tokens takes
2e13, 20000000000000 or 20T (k, M, B, T).

Exit codes: 0 no errors, 1 error diagnostics (plan: no plan meets the deadline), 2 unreadable
input or bad usage.`;

const DEFAULT_SWEEP = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048];
/** SwarmX connects up to 2,048 CS-3 (wafer-scale.md); more is not a cluster that exists. */
const MAX_SYSTEMS = 2048;

class UsageError extends Error {}

function fail(message: string, code: number): never {
  // One line, so scripts and CI logs can quote it.
  process.stderr.write(`waferscope: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(code);
}

/** The file named on the command line: a regular file of at most MAX_CONFIG_BYTES, never a FIFO or a device. */
function readInput(path: string): string {
  const result = readRegularFile(path, MAX_CONFIG_BYTES);
  if ('text' in result) return result.text;
  if (result.refused === 'missing') throw new UsageError(`cannot read ${path}: no such file`);
  if (result.refused === 'not-a-regular-file') throw new UsageError(`${path} is not a regular file; configs are small text files`);
  throw new UsageError(`${path} is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MB; configs are small text files`);
}

function parseSystems(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const values = text.split(',').map((part) => Number(part.trim()));
  if (!values.length || values.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_SYSTEMS)) {
    throw new UsageError(`--systems takes whole numbers from 1 to ${MAX_SYSTEMS} (got "${text}")`);
  }
  return values;
}

/** `minimax=mixtral,foo=llama` -> { minimax: 'mixtral', foo: 'llama' }. */
function parseReadAs(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const [type, target, ...extra] = pair.split('=').map((part) => part.trim().toLowerCase());
    if (!type || !target || extra.length) throw new UsageError(`--read-as takes type=supported pairs separated by commas (got "${text}")`);
    out[type] = target;
  }
  return out;
}

function run(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      cluster: { type: 'string' },
      systems: { type: 'string' },
      'read-as': { type: 'string' },
      tokens: { type: 'string' },
      days: { type: 'string' },
      'max-systems': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.version) {
    process.stdout.write('waferscope 0.1.0\n');
    return 0;
  }
  const [command, file, ...rest] = positionals;
  if (!command) throw new UsageError('no command: use "waferscope report <file>", "waferscope sweep <file>" or "waferscope plan <file>" (waferscope --help)');
  if (!['report', 'sweep', 'plan'].includes(command)) throw new UsageError(`unknown command "${command ?? ''}" (waferscope --help lists the commands)`);
  if (!file) throw new UsageError(`${command} needs a file (waferscope --help)`);
  if (rest.length) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);

  if (command !== 'plan') {
    for (const option of ['tokens', 'days', 'max-systems'] as const) if (values[option] !== undefined) throw new UsageError(`--${option} is an option of plan, not of ${command}`);
  } else if (values.systems !== undefined) {
    throw new UsageError('plan searches the system count itself: use --max-systems N to bound it');
  }
  const planOptions = command === 'plan' ? parsePlanOptions(values.tokens, values.days, values['max-systems']) : undefined;
  const path = resolve(file);
  const text = readInput(path);
  const systems = parseSystems(values.systems);
  if (command === 'report' && systems && systems.length !== 1) throw new UsageError('report takes one --systems N');
  const clusterPath = values.cluster ? resolve(values.cluster) : undefined;
  // The workspace of a CI job is the directory it runs in; a config from a pull request cannot make
  // the CLI read (and print) a file outside it. --cluster, typed by whoever runs the CLI, may.
  const files = new WorkspaceFiles({ roots: [process.cwd()], explicit: clusterPath ? [clusterPath] : [] });
  const analysis = analyze(path, text, {
    readFile: (p) => files.read(p),
    isWorkspaceFile: (p) => files.isInside(p),
    settingClusterPath: clusterPath,
    systems: command === 'report' ? systems?.[0] : undefined,
    readAs: parseReadAs(values['read-as']),
  });

  if (command === 'plan') return printPlan(analysis, planOptions ?? {}, values.json ?? false);
  if (command === 'report') {
    process.stdout.write(values.json ? `${JSON.stringify(analysis.report, null, 2)}\n` : formatReport(analysis.report));
  } else {
    printSweep(analysis, systems ?? DEFAULT_SWEEP, values.json ?? false);
  }
  return analysis.report.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

function printSweep(analysis: Analysis, systems: number[], json: boolean): void {
  if (!analysis.simulationInput) {
    const reason = analysis.report.diagnostics.find((d) => d.severity === 'error')?.message ?? 'not a model config';
    throw new UsageError(`cannot sweep ${analysis.report.file}: ${reason}`);
  }
  const curve = sweep(analysis.simulationInput, systems);
  if (json) process.stdout.write(`${JSON.stringify({ file: analysis.report.file, curve }, null, 2)}\n`);
  else process.stdout.write(`${formatScaling(curve)}\n`);
}

const TOKEN_SUFFIXES: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9, g: 1e9, t: 1e12 };

function parseTokens(text: string): number {
  const match = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([kmbgt]?)\s*$/i.exec(text);
  const value = match ? Number(match[1]) * (match[2] ? TOKEN_SUFFIXES[match[2].toLowerCase()] : 1) : NaN;
  if (!Number.isFinite(value) || value < 1 || value > 1e18) throw new UsageError(`--tokens takes a positive count such as 2e13 or 20T (got "${text}")`);
  return value;
}

function parsePlanOptions(tokens: string | undefined, days: string | undefined, maxSystems: string | undefined): PlanOptions {
  const options: PlanOptions = {};
  if (tokens !== undefined) options.tokens = parseTokens(tokens);
  if (days !== undefined) {
    const value = Number(days);
    if (!Number.isFinite(value) || value <= 0 || days.trim() === '') throw new UsageError(`--days takes a positive number of days (got "${days}")`);
    options.deadlineDays = value;
  }
  if (maxSystems !== undefined) options.maxSystems = parseSystems(maxSystems)?.length === 1 ? Number(maxSystems) : NaN;
  if (maxSystems !== undefined && !Number.isFinite(options.maxSystems)) throw new UsageError(`--max-systems takes one whole number from 1 to ${MAX_SYSTEMS} (got "${maxSystems}")`);
  return options;
}

function printPlan(analysis: Analysis, options: PlanOptions, json: boolean): number {
  if (!analysis.simulationInput) {
    const reason = analysis.report.diagnostics.find((d) => d.severity === 'error')?.message ?? 'not a model config';
    throw new UsageError(`cannot plan ${analysis.report.file}: ${reason}`);
  }
  const start = performance.now();
  const result = planRun(analysis.simulationInput, options);
  const milliseconds = performance.now() - start;
  if (json) process.stdout.write(`${JSON.stringify({ file: analysis.report.file, ...result }, null, 2)}\n`);
  else process.stdout.write(formatPlan(result, { file: analysis.report.file, preset: analysis.report.cluster.system.toUpperCase() || 'CS-3', milliseconds }));
  return result.recommended === null ? 1 : 0;
}

// `waferscope report x --json | head` closes the pipe early; that is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

try {
  process.exitCode = run(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) fail(error.message, 2);
  if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) fail(error.message, 2);
  fail(`internal error: ${error instanceof Error ? error.message : String(error)}`, 2);
}
