#!/usr/bin/env node
// `npm test`: every tier, in order, output streamed, then one table and one closing line
// `N passed, N failed` (tests across tiers; a tier that fails without counted tests, like a build
// or lint error, counts as one failure). Exits non-zero on any failure.
//
//   node test/run-all.mjs [--only unit,protocol] [--skip ui]
//
// Tier names: build, typecheck, lint, unit, protocol, integration, ui, packaged. When the build fails the
// test tiers do not run (they would test a stale dist/) and count as failed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parseSummary, repoRoot, summaryLine } from './launchers/lib/common.mjs';

const node = process.execPath;
const bin = (...parts) => join(repoRoot, 'node_modules', ...parts);

/** `counts`: the tier prints `N passed, N failed`; `needsBuild`: pointless on a failed build. */
const TIERS = [
  { name: 'build', label: 'build (esbuild)', args: ['esbuild.config.mjs'] },
  { name: 'typecheck', label: 'typecheck (tsc)', args: [bin('typescript', 'bin', 'tsc'), '--noEmit', '-p', '.'] },
  { name: 'lint', label: 'lint (eslint)', args: [bin('eslint', 'bin', 'eslint.js'), '.'] },
  { name: 'unit', label: 'unit', args: ['test/run-unit.mjs'], counts: true, needsBuild: true },
  { name: 'protocol', label: 'protocol (LSP over stdio)', args: ['test/run-protocol.mjs'], counts: true, needsBuild: true },
  {
    name: 'integration',
    label: 'integration (code-server)',
    args: ['test/launchers/code-server.mjs'],
    counts: true,
    needsBuild: true,
  },
  { name: 'ui', label: 'UI end-to-end (code-server)', args: ['test/launchers/ui-e2e.mjs'], counts: true, needsBuild: true },
  // Builds its own production package; runs the installed .vsix, not dist/.
  { name: 'packaged', label: 'packaged .vsix, installed (code-server)', args: ['test/launchers/packaged.mjs'], counts: true },
];
const NOT_RUN_HERE = [
  {
    label: 'integration (desktop VS Code)',
    note: 'not run here (needs a VS Code download; run npm run test:electron where possible)',
  },
];
/** A tier that takes longer than this is stuck; its own timeouts are shorter. */
const TIER_TIMEOUT_MS = 20 * 60 * 1000;

function listOption(flag) {
  const index = process.argv.indexOf(flag);
  if (index < 0) return undefined;
  const names = (process.argv[index + 1] ?? '').split(',').filter(Boolean);
  const unknown = names.filter((name) => !TIERS.some((tier) => tier.name === name));
  if (unknown.length > 0) {
    console.error(`Unknown tier(s) ${unknown.join(', ')}; tiers: ${TIERS.map((t) => t.name).join(', ')}`);
    process.exit(2);
  }
  return new Set(names);
}
const only = listOption('--only');
const skip = listOption('--skip') ?? new Set();
const selected = (tier) => (only ? only.has(tier.name) : !skip.has(tier.name));

/** Tiers that run in code-server and Chromium; they share the system prerequisites. */
const VSCODE_TIERS = new Set(['integration', 'ui', 'packaged']);
const MIN_NODE = [20, 19];

/**
 * What a fresh machine lacks, found before the first tier so the answer comes in seconds, one line
 * per missing piece with the command that fixes it. Returns why the VS Code tiers cannot run
 * (undefined when they can); exits at once when nothing could run.
 */
async function preflight() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1])) {
    console.error(`Node ${MIN_NODE.join('.')} or newer is needed (this is ${process.version}); install a newer Node, then run npm ci.`);
    process.exit(1);
  }
  if (!existsSync(bin('esbuild')) || !existsSync(bin('playwright-core'))) {
    console.error('The dependencies are not installed: run `npm ci` first.');
    process.exit(1);
  }
  if (![...VSCODE_TIERS].some((name) => selected({ name }))) return undefined;
  const { checkPrerequisites, codeServerDir, CODE_SERVER_VERSION } = await import('./launchers/lib/codeServer.mjs');
  try {
    checkPrerequisites();
  } catch (error) {
    console.error(`${error.message}\nThe integration, UI and packaged tiers will not run until then.`);
    return 'missing system packages (see the top of the output)';
  }
  if (!existsSync(join(codeServerDir, '.installed'))) {
    const compilers = ['python3', 'make', 'g++'].filter((tool) => !onPath(tool));
    if (compilers.length > 0) {
      console.error(
        `code-server ${CODE_SERVER_VERSION} is not installed yet and building it needs ${compilers.join(', ')}: sudo apt-get install -y build-essential python3`,
      );
      return 'code-server cannot be built (see the top of the output)';
    }
    console.log(`code-server ${CODE_SERVER_VERSION} is not in ${codeServerDir} yet: the integration tier installs it first (once, a few minutes).`);
  }
  return undefined;
}

function onPath(command) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));
}

const vscodeTiersBlocked = await preflight();

let interrupted = false;
let current;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    // Ctrl+C reaches the running tier too (same process group); it cleans up and exits, then we stop.
    interrupted = true;
    if (signal === 'SIGTERM') current?.kill('SIGTERM');
  });
}

/** Runs one tier, its output streamed through; resolves with { code, output, ms }. */
function runTier(tier) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(node, tier.args, { cwd: repoRoot, stdio: ['inherit', 'pipe', 'pipe'] });
    current = child;
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => process.stderr.write(chunk));
    const timer = setTimeout(() => {
      console.error(`\n${tier.label}: no end after ${TIER_TIMEOUT_MS / 60000} min; stopping it`);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 15000).unref();
    }, TIER_TIMEOUT_MS);
    child.on('error', (error) => {
      output += `\n${error.message}`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      resolve({ code: code ?? (signal ? 1 : 0), output, ms: Date.now() - started });
    });
  });
}

function header(text) {
  const line = '='.repeat(Math.max(20, text.length + 8));
  console.log(`\n${line}\n=== ${text}\n${line}`);
}

const rows = [];
let buildFailed = false;
for (const tier of TIERS) {
  if (!selected(tier)) {
    rows.push({ tier, status: 'skipped (option)', passed: 0, failed: 0 });
    continue;
  }
  if (interrupted) {
    rows.push({ tier, status: 'not run (interrupted)', passed: 0, failed: 1 });
    continue;
  }
  if (tier.needsBuild && buildFailed) {
    rows.push({ tier, status: 'not run (build failed)', passed: 0, failed: 1 });
    continue;
  }
  if (VSCODE_TIERS.has(tier.name) && vscodeTiersBlocked) {
    rows.push({ tier, status: `not run: ${vscodeTiersBlocked}`, passed: 0, failed: 1 });
    continue;
  }
  header(tier.label);
  const { code, output, ms } = await runTier(tier);
  const counts = tier.counts ? parseSummary(output) : undefined;
  const passed = counts?.passed ?? 0;
  let failed = counts?.failed ?? 0;
  // A non-zero exit with no counted failure (crash, lint/type errors, no tests) is one failure.
  if (code !== 0 && failed === 0) failed = 1;
  if (tier.counts && !counts && code === 0) failed = 1; // claimed success without reporting tests
  const status = failed === 0 ? 'ok' : 'FAILED';
  if (tier.name === 'build' && status !== 'ok') buildFailed = true;
  rows.push({ tier, status, passed, failed, ms });
}

header('Summary');
const width = Math.max(...[...TIERS, ...NOT_RUN_HERE].map((t) => t.label.length)) + 2;
console.log(`${'tier'.padEnd(width)}${'result'.padEnd(24)}${'passed'.padStart(8)}${'failed'.padStart(8)}${'time'.padStart(10)}`);
let totalPassed = 0;
let totalFailed = 0;
for (const row of rows) {
  totalPassed += row.passed;
  totalFailed += row.failed;
  const ran = row.ms !== undefined;
  const counts = (row.tier.counts && ran) || row.failed > 0 ? [String(row.passed), String(row.failed)] : ['-', '-'];
  const time = row.ms === undefined ? '' : `${(row.ms / 1000).toFixed(1)} s`;
  console.log(`${row.tier.label.padEnd(width)}${row.status.padEnd(24)}${counts[0].padStart(8)}${counts[1].padStart(8)}${time.padStart(10)}`);
}
for (const tier of NOT_RUN_HERE) console.log(`${tier.label.padEnd(width)}${tier.note}`);
console.log('');
console.log(summaryLine(totalPassed, totalFailed));
process.exit(totalFailed === 0 && !interrupted ? 0 : 1);
