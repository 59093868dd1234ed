/**
 * Simulator bench (bundled by bench/run.mjs). On the 1T example (examples/1t/gpt-1t.yaml planned
 * for the 16-system Sandia cluster, both read with the project's own config reader):
 *
 *  - full simulation: structure built afresh each run (so nothing is cached), then `simulate`
 *    (MemoryX, wafer fit, auto micro-batch, timeline with bars, scaling curve, findings); heatmap
 *    arrays excluded. Target: median under 20 ms.
 *  - sweep: whole-config evaluations per second (`sweep` over 12 system counts). Target: at least
 *    10,000 per second.
 *  - heatmap: per-PE arrays of one decoder layer (893,064 PEs), and the same plus the base64
 *    protocol payload. Target for the arrays: median under 50 ms.
 *  - baseline: parsing the same YAML file with the `yaml` package in the same run; every time is
 *    also reported as a ratio to it, so results compare across machines.
 *
 * Warm-up first, many iterations, medians. Prints a human summary, then ONE JSON object on the
 * last stdout line.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { readConfig } from '../language-server/core/config/read';
import { buildModelStructure } from '../language-server/core/model/structure';
import { heatmapArrays, heatmapForLayer, simulate, sweep, type SimulationInput } from '../language-server/core/sim/simulate';
import { median, round, time } from './timing';

const SIMULATE_TARGET_MS = 20;
const SWEEP_TARGET_PER_SECOND = 10_000;
const HEATMAP_TARGET_MS = 50;

const root = process.cwd();
const modelFile = resolve(root, 'examples/1t/gpt-1t.yaml');
const clusterFile = resolve(root, 'examples/1t/sandia-16x.cluster.yaml');
const modelText = readFileSync(modelFile, 'utf8');


const document = readConfig(modelFile, modelText);
const clusterDocument = readConfig(clusterFile, readFileSync(clusterFile, 'utf8'));
if (!document.model || !document.training || !clusterDocument.cluster) {
  console.log(JSON.stringify({ name: 'simulator', pass: false, error: `could not read ${modelFile} or ${clusterFile}` }));
  process.exit(0);
}
const model = document.model;
const training = document.training;
const cluster = clusterDocument.cluster;
const input = (): SimulationInput => ({ model, structure: buildModelStructure(model), training, cluster });

// Baseline: the yaml package parsing the same file.
const parseTimes = time(200, 50, () => parse(modelText));
const parseMs = median(parseTimes);

// Full simulation, nothing cached between runs.
const simulateTimes = time(60, 15, () => simulate(input()));
const simulateMs = median(simulateTimes);
const cached = input();
simulate(cached);
const cachedMs = median(time(200, 20, () => simulate(cached)));
const result = simulate(cached);

// Sweep: evaluations per second.
const sizes = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048];
const sweepInput = input();
for (let i = 0; i < 200; i++) sweep(sweepInput, sizes);
const rates: number[] = [];
for (let round = 0; round < 5; round++) {
  const start = performance.now();
  let evaluations = 0;
  while (performance.now() - start < 200) {
    sweep(sweepInput, sizes);
    evaluations += sizes.length;
  }
  rates.push(evaluations / ((performance.now() - start) / 1000));
}
const sweepPerSecond = median(rates);

// Heatmap of one layer (decoder layers 1..3 in turn, so no result is reused).
const heatmapMs = median(time(15, 3, (i) => heatmapArrays(cached, 1 + (i % 3))));
const payloadMs = median(time(9, 2, (i) => heatmapForLayer(cached, { uri: 'bench', layer: 1 + (i % 3) })));

const output = {
  name: 'simulator',
  scenario: '1T GPT (examples/1t/gpt-1t.yaml) on 16 CS-3, 55 TB MemoryX (sandia-16x.cluster.yaml)',
  baseline: { yamlParseMs: round(parseMs, 4) },
  simulate: {
    medianMs: round(simulateMs),
    cachedMedianMs: round(cachedMs),
    ratioToYamlParse: round(simulateMs / parseMs, 2),
    targetMs: SIMULATE_TARGET_MS,
    pass: simulateMs < SIMULATE_TARGET_MS,
  },
  sweep: {
    evaluationsPerSecond: Math.round(sweepPerSecond),
    evaluationMs: round(1000 / sweepPerSecond, 4),
    ratioToYamlParse: round(1000 / sweepPerSecond / parseMs, 3),
    target: SWEEP_TARGET_PER_SECOND,
    pass: sweepPerSecond >= SWEEP_TARGET_PER_SECOND,
  },
  heatmap: {
    layerArraysMedianMs: round(heatmapMs, 2),
    withPayloadMedianMs: round(payloadMs, 2),
    ratioToYamlParse: round(heatmapMs / parseMs, 2),
    targetMs: HEATMAP_TARGET_MS,
    pass: heatmapMs < HEATMAP_TARGET_MS,
  },
  result: {
    microBatch: result.training.microBatchSize,
    stepSeconds: round(result.timeline.stepSeconds, 2),
    speedupVs1: round(result.scaling.speedupVs1, 3),
    memoryxTB: round(result.memoryx.requiredBytes / 1e12, 2),
  },
  pass: false,
};
output.pass = output.simulate.pass && output.sweep.pass && output.heatmap.pass;

const mark = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
console.log(`yaml.parse of ${join(dirname(modelFile).replace(root + '/', ''), 'gpt-1t.yaml')}: median ${parseMs.toFixed(3)} ms (baseline)`);
console.log(`full simulation: median ${simulateMs.toFixed(2)} ms (${output.simulate.ratioToYamlParse}x yaml.parse; cached ${cachedMs.toFixed(2)} ms) target < ${SIMULATE_TARGET_MS} ms ${mark(output.simulate.pass)}`);
console.log(`sweep: ${Math.round(sweepPerSecond).toLocaleString('en-US')} evaluations/s target >= ${SWEEP_TARGET_PER_SECOND.toLocaleString('en-US')} ${mark(output.sweep.pass)}`);
console.log(`heatmap, one layer: arrays ${heatmapMs.toFixed(1)} ms, with payload ${payloadMs.toFixed(1)} ms target < ${HEATMAP_TARGET_MS} ms ${mark(output.heatmap.pass)}`);
console.log(JSON.stringify(output));
