// Every bundle WaferScope ships or tests, built by esbuild.
//   dist/extension.js  VS Code client (node, cjs, `vscode` external)
//   dist/server.js     language server (node), and dist/analysis-worker.js for large documents
//   dist/cli.js        `waferscope` command (node, executable)
//   dist/webview.js    the panel's UI (browser)
//   dist/diagnostics.md  the diagnostic-code reference (README's section), opened by code links
//   dist/test/*.js     test suites that run inside VS Code's extension host / the unit runner
// `--watch` rebuilds on change. `--production` minifies and skips the tests; `--outdir <dir>`
// (production only) writes the shipped bundles elsewhere, so packaging leaves dist/ alone.
import * as esbuild from 'esbuild';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnosticsReference } from './scripts/diagnostics-reference.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const outdirFlag = process.argv.indexOf('--outdir');
const outdir = outdirFlag > 0 && production ? process.argv[outdirFlag + 1] : 'dist';

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  // jsonc-parser's UMD build hides its requires from the bundler; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
};

/** Collects every `*.test.ts` under a folder, for the test bundles. */
function testFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const builds = [
  { ...node, entryPoints: { extension: 'extension/main.ts' }, outdir, external: ['vscode'] },
  {
    ...node,
    entryPoints: { server: 'language-server/server/main.ts', 'analysis-worker': 'language-server/server/workerMain.ts' },
    outdir,
  },
  {
    ...node,
    entryPoints: { cli: 'language-server/cli/main.ts' },
    outdir,
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    entryPoints: { webview: 'webview/main.ts' },
    outdir,
    sourcemap: false,
    minify: true,
    logLevel: 'warning',
  },
];

if (!production) {
  // A deleted test must not keep running from a stale bundle.
  rmSync('dist/test', { recursive: true, force: true });
  // Unit and protocol suites run in plain Node; the integration suite runs inside VS Code.
  const unit = [...testFiles('test/unit'), ...testFiles('test/protocol')];
  if (unit.length) {
    // test/fuzz/main.ts is `npm run fuzz`, the full-size protocol fuzz.
    builds.push({ ...node, entryPoints: [...unit, 'test/fuzz/main.ts'], outbase: 'test', outdir: 'dist/test', external: ['mocha'] });
  }
  const integration = testFiles('test/integration');
  if (integration.length) {
    builds.push({
      ...node,
      entryPoints: ['test/integration/index.ts', ...integration],
      outbase: 'test',
      outdir: 'dist/test',
      external: ['vscode', 'mocha'],
    });
  }
}

if (watch) {
  for (const options of builds) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  console.log('esbuild: watching for changes');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  chmodSync(join(outdir, 'cli.js'), 0o755);
}

// Diagnostic code links open this file (see language-server/server/convert.ts). It is cut from the
// README at every build, so the shipped reference is the README's and cannot drift from it.
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
mkdirSync(outdir, { recursive: true });
writeFileSync(join(outdir, 'diagnostics.md'), diagnosticsReference(readFileSync('README.md', 'utf8'), version));
