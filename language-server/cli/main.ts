/**
 * `waferscope`: the same answers as the editor, in a terminal or CI.
 *
 *   waferscope report <file> [--cluster <file>] [--systems N] [--json]
 *   waferscope sweep  <file> [--systems 1,2,4,...] [--cluster <file>] [--json]
 *
 * Exit codes: 0 no error diagnostics, 1 error diagnostics, 2 unreadable input or bad usage.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyze, type Analysis } from '../core/analyze';
import { readRegularFile, WorkspaceFiles } from '../core/fileAccess';
import { MAX_CONFIG_BYTES } from '../core/config/read';
import { formatReport, formatScaling } from '../core/format/reportText';
import { sweep } from '../core/sim/simulate';

const USAGE = `Usage:
  waferscope report <file> [--cluster <file>] [--systems N] [--json]
  waferscope sweep  <file> [--systems 1,2,4,...,2048] [--cluster <file>] [--json]

<file> is a Cerebras Model Zoo YAML (trainer or legacy layout), a Hugging Face config.json
or a *.cluster.yaml. --cluster acts like the waferscope.cluster setting: a config's first-line
"# waferscope: cluster=<path>" comment still wins. Without either, the embedded default cluster
is used (one CS-3 with a 55 TB MemoryX). A cluster file named by a config must lie under the
current directory; --cluster may name any file.

Exit codes: 0 no errors, 1 error diagnostics, 2 unreadable input or bad usage.`;

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

function run(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      cluster: { type: 'string' },
      systems: { type: 'string' },
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
  if (!command) throw new UsageError('no command: use "waferscope report <file>" or "waferscope sweep <file>" (waferscope --help)');
  if (!['report', 'sweep'].includes(command)) throw new UsageError(`unknown command "${command ?? ''}" (waferscope --help lists the commands)`);
  if (!file) throw new UsageError(`${command} needs a file (waferscope --help)`);
  if (rest.length) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);

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
  });

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
