#!/usr/bin/env node
/**
 * Writes the JSON fixtures the webview harness replays (test/webview-harness/fixtures/):
 *
 *   result-1t.json            a 'result' message for the 1T example
 *   heatmap-<layer>.json      'heatmap' payloads for a few layers (the fake host maps other layers
 *                             to the nearest fixture of the same kind, see fake-vscode.js)
 *   heatmaps.json             which layers have a fixture, and each layer's name
 *   timeline-<systems>.json   'timeline' payloads for 1, 2, 4, ... 2048 systems
 *   result-invalid.json, result-not-modelled.json, result-cluster.json   the other panel states
 *
 * Everything comes from the real simulator, through the same functions the language server calls
 * (analyze, heatmapFor, timelineFor), on real files of the repository.
 *
 * Usage: node test/webview-harness/make-fixtures.mjs [--out DIR]
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');

const SYSTEMS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048];

export async function makeFixtures({ out = join(here, 'fixtures'), quiet = false } = {}) {
  mkdirSync(out, { recursive: true });
  const log = quiet ? () => undefined : (...a) => console.log(...a);
  const source = 'simulator';
  const data = await fromRealSimulator();
  const write = (name, value) => writeFileSync(join(out, name), JSON.stringify(value));
  write('result-1t.json', data.result);
  for (const payload of data.heatmaps) write(`heatmap-${payload.layer}.json`, { type: 'heatmap', payload });
  write('heatmaps.json', {
    source,
    layers: data.heatmaps.map((p) => p.layer),
    names: data.result.result.report.wafer.layers.map((l) => l.name),
  });
  for (const payload of data.timelines) write(`timeline-${payload.systems}.json`, { type: 'timeline', payload });
  for (const [name, message] of Object.entries(data.states)) write(`result-${name}.json`, message);
  log(`make-fixtures: wrote ${source} fixtures to ${out}`);
  return { source, out };
}

// ---------------------------------------------------------------------------------------------
// The real simulator

/** Bundles the analysis and the panel-data functions the server uses, and runs them in-process. */
async function fromRealSimulator() {
  const esbuild = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'waferscope-fixtures-'));
  try {
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      [
        `export { analyze } from ${JSON.stringify(join(repo, 'language-server/core/analyze.ts'))};`,
        `export { heatmapFor, timelineFor } from ${JSON.stringify(join(repo, 'language-server/server/panelData.ts'))};`,
      ].join('\n'),
    );
    const outfile = join(dir, 'sim.cjs');
    await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile,
      logLevel: 'error',
      // jsonc-parser's "main" is a UMD build whose relative requires do not survive bundling.
      mainFields: ['module', 'main'],
    });
    const require = createRequire(import.meta.url);
    const sim = require(outfile);
    const readFile = (p) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined);

    const analyzeFile = (relative) => {
      const file = join(repo, relative);
      const analysis = sim.analyze(file, readFileSync(file, 'utf8'), { readFile });
      const uri = pathToFileURL(file).href;
      const message = {
        type: 'result',
        fileName: relative.split('/').pop(),
        result: { uri, version: 1, status: analysis.status, summary: analysis.summary, report: analysis.report },
      };
      return { analysis, uri, message };
    };

    const main = analyzeFile('examples/1t/gpt-1t.yaml');
    const layerCount = main.analysis.report.wafer?.layers.length ?? 0;
    if (!layerCount) throw new Error('the 1T example has no wafer layers');
    const heatmaps = pickLayers(main.analysis.report.wafer.layers).map((layer) => {
      const payload = sim.heatmapFor(main.uri, main.analysis, layer);
      if (!payload) throw new Error(`no heatmap for layer ${layer}`);
      return payload;
    });
    const timelines = SYSTEMS.map((systems) => sim.timelineFor(main.uri, main.analysis, systems)).filter(Boolean);

    const states = {};
    const others = {
      // A family we do not model, a file with errors, and a cluster file.
      'not-modelled': 'test/data/modelzoo/current/bert__bert_base_MSL128.yaml',
      invalid: 'test/workspace/broken.yaml',
      cluster: 'examples/1t/sandia-16x.cluster.yaml',
    };
    for (const [state, file] of Object.entries(others)) states[state] = analyzeFile(file).message;
    return { result: main.message, heatmaps, timelines, states };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The embedding, the first decoder layers, one in the middle, and the head. */
function pickLayers(layers) {
  const picks = new Set([0, 1, 2, Math.floor(layers.length / 2), layers.length - 1]);
  return [...picks].filter((i) => i >= 0 && i < layers.length).sort((a, b) => a - b);
}


if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  await makeFixtures({ out: outIndex >= 0 ? resolve(args[outIndex + 1]) : undefined });
}
