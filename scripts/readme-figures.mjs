#!/usr/bin/env node
// `npm run readme:figures [-- --only package,tests,bench] [--check] [--stdout]`: measures the
// figures the README quotes and writes them between their markers,
//   <!-- figure:NAME -->VALUE<!-- /figure -->
// so no size, count or timing in the README is typed by hand.
//
//   package  builds waferscope.vsix (as `npm run package` does) and reads its size and file count
//   tests    runs the unit and protocol tiers and counts their tests; counts the UI scenarios and
//            the packaged tier's checks (the tiers that need code-server are counted, not run)
//   panel    runs the integration tier in code-server and reads the panel's latency it logs
//   bench    runs `npm run bench` (a few minutes; the heatmap bench needs Chromium)
// `--check` only verifies that every figure has exactly one marker and every marker a figure (the
// unit test runs it); `--stdout` prints the updated README instead of writing it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const README = join(repoRoot, 'README.md');
const MARKER = /<!-- figure:([a-z0-9-]+) -->([\s\S]*?)<!-- \/figure -->/g;

const integer = (n) => Math.round(n).toLocaleString('en-US');
const fixed = (n, digits) => Number(n).toFixed(digits);

/** Runs node with `args` in the repository; returns stdout, throws with the output on failure. */
function node(args, what) {
  const run = spawnSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`${what} failed (exit ${run.status}):\n${(run.stdout ?? '').slice(-2000)}${run.stderr ?? ''}`);
  return run.stdout;
}

function countedTests(output, what) {
  const matches = [...output.matchAll(/^(\d+) passed, (\d+) failed\s*$/gm)];
  const last = matches.at(-1);
  if (!last) throw new Error(`${what} printed no "N passed, N failed" line`);
  if (Number(last[2]) !== 0) throw new Error(`${what}: ${last[2]} test(s) fail; fix them before quoting counts`);
  return Number(last[1]);
}

/** Each group measures once and yields its figures by marker name. */
const GROUPS = {
  async package() {
    const { buildVsix } = await import(pathToFileURL(join(repoRoot, 'scripts', 'package.mjs')).href);
    const dir = mkdtempSync(join(tmpdir(), 'waferscope-figures-'));
    try {
      const { bytes } = await buildVsix(join(dir, 'waferscope.vsix'), { toStderr: true });
      return { 'package-size': bytes >= 1 << 20 ? `${fixed(bytes / (1 << 20), 1)} MB` : `${integer(bytes / 1024)} KB` };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },

  async tests() {
    node(['esbuild.config.mjs'], 'the build');
    const unit = countedTests(node(['test/run-unit.mjs'], 'the unit tier'), 'the unit tier');
    const protocol = countedTests(node(['test/run-protocol.mjs'], 'the protocol tier'), 'the protocol tier');
    const { findFiles } = await import(pathToFileURL(join(repoRoot, 'test', 'launchers', 'lib', 'common.mjs')).href);
    let scenarios = 0;
    for (const file of findFiles(join(repoRoot, 'test', 'ui'), '.ui.mjs')) {
      scenarios += (await import(pathToFileURL(file).href)).scenarios?.length ?? 0;
    }
    const { PACKAGED_CHECK_COUNT } = await import(pathToFileURL(join(repoRoot, 'test', 'launchers', 'packaged.mjs')).href);
    return {
      'unit-tests': integer(unit),
      'protocol-tests': integer(protocol),
      'ui-scenarios': integer(scenarios),
      'packaged-checks': integer(PACKAGED_CHECK_COUNT),
    };
  },

  async panel() {
    // The integration suite logs this line from VS Code's extension host (browser console, verbose).
    const run = spawnSync(process.execPath, ['test/launchers/code-server.mjs'], {
      cwd: repoRoot,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      env: { ...process.env, WAFERSCOPE_VERBOSE: '1' },
    });
    const output = `${run.stdout}${run.stderr}`;
    if (run.status !== 0) throw new Error(`the integration tier failed (exit ${run.status}):\n${output.slice(-2000)}`);
    const match = /panel rendered (\d+) ms after the result reached the extension/.exec(output);
    if (!match) throw new Error('the integration suite logged no panel latency');
    return { 'panel-latency-ms': integer(Number(match[1])) };
  },

  async bench() {
    // Timings depend on what else the machine runs; the README says under which load they were taken.
    const loadBefore = loadavg()[0];
    const output = node(['bench/run.mjs'], 'npm run bench');
    const load = Math.max(loadBefore, loadavg()[0]);
    const { benches } = JSON.parse(output.trim().split('\n').at(-1));
    const { simulator, lsp, heatmap, plan } = benches;
    for (const [name, bench] of Object.entries({ simulator, lsp, heatmap, plan })) {
      if (!bench || bench.error) throw new Error(`bench ${name} did not run: ${bench?.error ?? 'missing'}`);
    }
    return {
      'bench-machine': `${cpus().length} cores, load average ${fixed(load, 1)}`,
      'bench-simulate-ms': fixed(simulator.simulate.medianMs, 1),
      'bench-simulate-ratio': fixed(simulator.simulate.ratioToYamlParse, 1),
      'bench-sweep-per-second': integer(Math.round(simulator.sweep.evaluationsPerSecond / 1000) * 1000),
      'bench-lsp-p50-ms': fixed(lsp.latency.p50Ms, 1),
      'bench-lsp-p95-ms': fixed(lsp.latency.p95Ms, 1),
      'bench-lsp-ratio': fixed(lsp.latency.p50RatioToYamlParse, 1),
      'bench-paint-ms': integer(heatmap.firstPaint.medianMs),
      'bench-pan-fps': fixed(heatmap.panZoom.fps, 1),
      'bench-plan-evaluations-per-second': integer(Math.round(plan.evaluations.perSecond / 1000) * 1000),
      'bench-plan-evaluations-ratio': integer(plan.evaluations.ratioToBaseline),
      'bench-plan-points': integer(plan.evaluations.perPlan),
      'bench-plan-ms': fixed(plan.plan.medianMs, 1),
      'bench-plan-analysed-ms': fixed(plan.plan.withReadAndAnalyseMedianMs, 1),
      'bench-plan-by-simulate-s': fixed(plan.plan.planByFullSimulateEstimateMs / 1000, 1),
    };
  },
};

/** Marker names of each group, so `--check` can verify the README without measuring. */
export const FIGURES = {
  package: ['package-size'],
  tests: ['unit-tests', 'protocol-tests', 'ui-scenarios', 'packaged-checks'],
  panel: ['panel-latency-ms'],
  bench: [
    'bench-machine',
    'bench-simulate-ms',
    'bench-simulate-ratio',
    'bench-sweep-per-second',
    'bench-lsp-p50-ms',
    'bench-lsp-p95-ms',
    'bench-lsp-ratio',
    'bench-paint-ms',
    'bench-pan-fps',
    'bench-plan-evaluations-per-second',
    'bench-plan-evaluations-ratio',
    'bench-plan-points',
    'bench-plan-ms',
    'bench-plan-analysed-ms',
    'bench-plan-by-simulate-s',
  ],
};

/** Problems with the README's markers: unknown names, figures without a marker, duplicates. */
export function markerProblems(readme) {
  const known = new Set(Object.values(FIGURES).flat());
  const seen = new Map();
  for (const [, name] of readme.matchAll(MARKER)) seen.set(name, (seen.get(name) ?? 0) + 1);
  const problems = [];
  for (const name of seen.keys()) if (!known.has(name)) problems.push(`unknown figure marker "${name}"`);
  for (const name of known) {
    const count = seen.get(name) ?? 0;
    if (count !== 1) problems.push(`figure "${name}" has ${count} markers (expected 1)`);
  }
  return problems;
}

export function substitute(readme, values) {
  return readme.replace(MARKER, (all, name) => (name in values ? `<!-- figure:${name} -->${values[name]}<!-- /figure -->` : all));
}

async function main() {
  const args = process.argv.slice(2);
  const readme = readFileSync(README, 'utf8');
  const problems = markerProblems(readme);
  if (problems.length > 0) {
    console.error(`README.md figure markers:\n  ${problems.join('\n  ')}`);
    return 1;
  }
  if (args.includes('--check')) {
    console.log(`README.md: ${Object.values(FIGURES).flat().length} figure markers, all known`);
    return 0;
  }
  const onlyFlag = args.indexOf('--only');
  const groups = onlyFlag >= 0 ? args[onlyFlag + 1].split(',') : Object.keys(GROUPS);
  const unknown = groups.filter((g) => !(g in GROUPS));
  if (unknown.length > 0) {
    console.error(`unknown figure group(s) ${unknown.join(', ')}; groups: ${Object.keys(GROUPS).join(', ')}`);
    return 2;
  }
  const values = {};
  for (const group of groups) {
    console.error(`measuring ${group} ...`);
    Object.assign(values, await GROUPS[group]());
  }
  const updated = substitute(readme, values);
  if (args.includes('--stdout')) process.stdout.write(updated);
  else writeFileSync(README, updated);
  for (const [name, value] of Object.entries(values)) console.error(`  ${name}: ${value}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exit(await main());
  } catch (error) {
    console.error(`readme:figures: ${error.message}`);
    process.exit(1);
  }
}
