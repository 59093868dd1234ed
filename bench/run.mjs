#!/usr/bin/env node
/**
 * `npm run bench`: runs every bench of this folder and prints ONE JSON object with all results.
 *
 *  - `bench/*.bench.ts` are bundled with esbuild (platform node) into dist/bench/ and run, each in
 *    its own Node process;
 *  - `bench/*.bench.mjs` scripts run as they are (for example the browser benches).
 * Every bench prints one JSON object on its last stdout line; its other lines are passed through
 * to stderr, so stdout carries only the combined JSON.
 *
 *   node bench/run.mjs [--only <name>] [--strict]
 * `--strict` exits 1 when a bench misses a target or fails to run.
 */
import * as esbuild from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'bench');
const outDir = join(root, 'dist', 'bench');
const args = process.argv.slice(2);
const strict = args.includes('--strict');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;
const TIMEOUT_MS = 15 * 60 * 1000;

const nameOf = (file) => basename(file).replace(/\.bench\.(ts|mjs)$/, '');
const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts') || f.endsWith('.bench.mjs'))
  .filter((f) => !only || nameOf(f) === only)
  .sort();

/** Runs `node script`, streams its output to stderr, resolves with its last stdout line and exit code. */
function run(script) {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      process.stderr.write(chunk);
    });
    child.stderr.on('data', (chunk) => process.stderr.write(chunk));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const lines = stdout.trim().split('\n');
      resolveRun({ code, signal, last: lines[lines.length - 1] ?? '' });
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolveRun({ code: 1, signal: null, last: '', error: String(error) });
    });
  });
}

const results = {};
const failed = [];
mkdirSync(outDir, { recursive: true });

for (const file of files) {
  const name = nameOf(file);
  let script = join(benchDir, file);
  process.stderr.write(`\n== ${name} (${relative(root, script)})\n`);
  if (file.endsWith('.ts')) {
    const outfile = join(outDir, `${name}.bench.js`);
    try {
      await esbuild.build({
        entryPoints: [script],
        outfile,
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        mainFields: ['module', 'main'],
        logLevel: 'warning',
      });
    } catch (error) {
      results[name] = { pass: false, error: `bundle failed: ${error.message ?? error}` };
      failed.push(name);
      continue;
    }
    script = outfile;
  }
  const outcome = await run(script);
  let parsed;
  try {
    parsed = JSON.parse(outcome.last);
  } catch {
    parsed = undefined;
  }
  if (!parsed || typeof parsed !== 'object') {
    results[name] = { pass: false, error: outcome.error ?? `no JSON on the last line (exit ${outcome.code ?? outcome.signal})` };
    failed.push(name);
    continue;
  }
  results[name] = parsed;
  if (parsed.pass !== true || outcome.code !== 0) failed.push(name);
}

const combined = { pass: failed.length === 0 && files.length > 0, failed, benches: results };
console.log(JSON.stringify(combined));
process.exit(strict && !combined.pass ? 1 : 0);
