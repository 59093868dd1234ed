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
 * With the real simulator present (language-server/core/sim/mapping.ts, config/read.ts and
 * examples/1t/gpt-1t.yaml), everything comes from it, through the same functions the language
 * server calls. Without it, a synthetic but plausible 1T model is written instead, so the panel
 * can be developed before the simulator exists. `--synthetic` forces the synthetic data.
 *
 * Usage: node test/webview-harness/make-fixtures.mjs [--synthetic] [--out DIR]
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');

const SYSTEMS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048];

export async function makeFixtures({ out = join(here, 'fixtures'), synthetic = false, quiet = false } = {}) {
  mkdirSync(out, { recursive: true });
  const log = quiet ? () => undefined : (...a) => console.log(...a);
  let source = 'synthetic';
  let data;
  if (!synthetic && realSimulatorAvailable()) {
    try {
      data = await fromRealSimulator();
      source = 'simulator';
    } catch (error) {
      log(`make-fixtures: the real simulator failed (${error?.message ?? error}); writing synthetic fixtures instead`);
    }
  }
  data ??= syntheticData();
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

function realSimulatorAvailable() {
  return [
    'language-server/core/sim/mapping.ts',
    'language-server/core/config/read.ts',
    'language-server/core/analyze.ts',
    'language-server/server/panelData.ts',
    'examples/1t/gpt-1t.yaml',
  ].every(
    (p) => existsSync(join(repo, p)),
  );
}

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
      // A family we do not model, a file with errors, and a cluster file, when the repo has them.
      'not-modelled': ['test/data/modelzoo/current/bert__bert_base_MSL128.yaml'],
      cluster: ['examples/1t/sandia-1x.cluster.yaml', 'examples/1t/sandia-16x.cluster.yaml'],
    };
    for (const [state, candidates] of Object.entries(others)) {
      const found = candidates.find((p) => existsSync(join(repo, p)));
      if (found) states[state] = analyzeFile(found).message;
    }
    const synthetic = syntheticData();
    for (const [state, message] of Object.entries(synthetic.states)) states[state] ??= message;
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

// ---------------------------------------------------------------------------------------------
// Synthetic data: a GPT-style 1T model on 16 CS-3. Plausible orders of magnitude (see
// /work/shared/reference notes: 48 KiB per PE, 762 x 1172 PEs, 44 GB SRAM), not a simulation.

function syntheticData() {
  const uri = 'file:///workspace/examples/1t/gpt-1t.yaml';
  const h = 24576;
  const heads = 192;
  const ffn = 4 * h;
  const layers = 136;
  const vocab = 50304;
  const seq = 2048;
  const microBatch = 16;
  const systems = 16;
  const globalBatch = 1024;
  const accumulation = globalBatch / systems / microBatch;
  const decoderParams = 12 * h * h + 13 * h;
  const embeddingParams = vocab * h + seq * h;
  const params = layers * decoderParams + embeddingParams + 2 * h;
  const sramPerPe = 48 * 1024;
  const width = 762;
  const height = 1172;
  const sram = width * height * sramPerPe;

  const layerMemory = [];
  const addLayer = (index, name, parameters, activations) => {
    const weightBytes = parameters * 2;
    const gradientBytes = parameters * 2;
    const workspaceBytes = Math.round(0.04 * sram);
    layerMemory.push({
      index,
      name,
      parameters,
      weightBytes,
      gradientBytes,
      activationBytes: activations,
      workspaceBytes,
      workingSetBytes: weightBytes + gradientBytes + activations + workspaceBytes,
    });
  };
  const tokens = microBatch * seq;
  addLayer(0, 'embedding', embeddingParams, 2 * tokens * h);
  for (let i = 0; i < layers; i++) addLayer(i + 1, `decoder ${i}`, decoderParams, 34 * tokens * h / 4);
  addLayer(layers + 1, 'final norm + LM head', vocab * h + 2 * h, 4 * tokens * vocab / 8);
  const largest = layerMemory.reduce((a, b) => (b.workingSetBytes > a.workingSetBytes ? b : a));

  // Timeline: weights stream at the system I/O rate while the previous layer computes.
  const ioBytesPerSecond = 150e9;
  const peak = 15e15;
  const bars = [];
  let weightsFree = 0;
  let computeFree = 0;
  const fwdCompute = (p) => (2 * p * tokens) / (peak * 0.62);
  const stream = (p) => (2 * p) / ioBytesPerSecond / 1.0;
  for (const l of layerMemory) {
    const ws = weightsFree;
    const we = ws + stream(l.parameters) * (l.index === 0 ? 0.02 : 1);
    bars.push({ lane: 'weights-fwd', start: ws, end: we, layer: l.index, label: `${l.name}: weights in`, bound: 'weight-streaming' });
    weightsFree = we;
    const cs = Math.max(computeFree, we);
    const ce = cs + fwdCompute(l.parameters);
    bars.push({ lane: 'forward', start: cs, end: ce, layer: l.index, label: `${l.name}: forward`, bound: ce - cs > we - ws ? 'compute' : 'weight-streaming' });
    computeFree = ce;
  }
  const forwardEnd = computeFree;
  weightsFree = forwardEnd;
  for (const l of [...layerMemory].reverse()) {
    const ws = weightsFree;
    const we = ws + stream(l.parameters) * (l.index === 0 ? 0.02 : 1);
    bars.push({ lane: 'weights-bwd', start: ws, end: we, layer: l.index, label: `${l.name}: weights in (backward)`, bound: 'weight-streaming' });
    weightsFree = we;
    const cs = Math.max(computeFree, we);
    const ce = cs + 2 * fwdCompute(l.parameters);
    bars.push({ lane: 'backward', start: cs, end: ce, layer: l.index, label: `${l.name}: backward`, bound: ce - cs > we - ws ? 'compute' : 'weight-streaming' });
    computeFree = ce;
    const gs = ce;
    const ge = gs + stream(l.parameters) * 1.06;
    bars.push({ lane: 'gradients', start: gs, end: ge, layer: l.index, label: `${l.name}: gradients out (SwarmX reduce)`, bound: 'swarmx' });
  }
  const microBatchSeconds = Math.max(computeFree, bars[bars.length - 1].end);
  const rest = microBatchSeconds * (accumulation - 1);
  bars.push({ lane: 'forward', start: microBatchSeconds, end: microBatchSeconds + rest, label: `${accumulation - 1} more micro-batches`, bound: 'weight-streaming' });
  const updateSeconds = (params * 16) / 2.4e12;
  const stepBeforeUpdate = microBatchSeconds + rest;
  bars.push({ lane: 'optimizer', start: stepBeforeUpdate, end: stepBeforeUpdate + updateSeconds, label: 'AdamW update in MemoryX', bound: 'memoryx' });
  const stepSeconds = stepBeforeUpdate + updateSeconds;

  const efficiency = (n) => 1 / (1 + 0.0145 * Math.log2(n));
  const timelineFor = (n) => {
    const scale = (systems / n) * (efficiency(systems) / efficiency(n));
    const step = stepSeconds * scale;
    const tokensPerSecond = (globalBatch * seq) / step;
    const scaledBars = bars.map((b) => ({ ...b, start: b.start * scale, end: b.end * scale }));
    return {
      stepSeconds: step,
      tokensPerSecond,
      mfu: (6 * params * tokensPerSecond) / (peak * n),
      peak: { flops: peak, name: 'dense FP16 15 PFLOP/s per CS-3 (assumption)' },
      bottleneck: 'weight-streaming',
      phases: [
        { name: 'forward', seconds: forwardEnd * scale, bound: 'weight-streaming' },
        { name: 'backward', seconds: (microBatchSeconds - forwardEnd) * scale, bound: 'weight-streaming' },
        { name: 'other micro-batches', seconds: rest * scale, bound: 'weight-streaming' },
        { name: 'optimizer update', seconds: updateSeconds * scale, bound: 'memoryx' },
      ],
      bars: scaledBars,
      microBatchSeconds: microBatchSeconds * scale,
      accumulationSteps: accumulation,
      timeToTrain: { tokens: 20 * params, seconds: (20 * params) / tokensPerSecond, basis: '20 tokens per parameter' },
    };
  };
  const curve = SYSTEMS.map((n) => ({
    systems: n,
    stepSeconds: timelineFor(n).stepSeconds,
    speedup: n * efficiency(n),
    efficiency: efficiency(n),
  }));
  const scalingFor = (n) => ({ systems: n, speedupVs1: n * efficiency(n), efficiency: efficiency(n), curve });

  const memoryxCapacity = 55e12;
  const breakdown = { weights: params * 2, gradients: params * 2, masterWeights: params * 4, optimizerState: params * 8 };
  const required = breakdown.weights + breakdown.gradients + breakdown.masterWeights + breakdown.optimizerState;
  const range = (line) => ({ start: { line, character: 4 }, end: { line, character: 20 } });
  const report = {
    file: '/workspace/examples/1t/gpt-1t.yaml',
    format: 'modelzoo-trainer',
    model: {
      family: 'gpt3',
      architecture: 'gpt',
      parameters: params,
      activeParameters: params,
      embeddingParameters: embeddingParams,
      layers,
      hiddenSize: h,
      numHeads: heads,
      numKvHeads: heads,
      ffnSize: ffn,
      vocabSize: vocab,
      sequenceLength: seq,
    },
    cluster: { name: 'sandia-1t', system: 'cs-3', systems, memoryxCapacityBytes: memoryxCapacity, origin: 'file', file: '/workspace/examples/1t/sandia.cluster.yaml' },
    training: {
      globalBatchSize: globalBatch,
      microBatchSize: microBatch,
      microBatchSource: 'config',
      numCsx: systems,
      numCsxSource: 'config',
      accumulationSteps: accumulation,
      optimizer: 'adamw',
      precision: 'bf16',
      sequenceLength: seq,
    },
    memoryx: {
      requiredBytes: required,
      capacityBytes: memoryxCapacity,
      fits: required <= memoryxCapacity,
      breakdown,
      bytesPerParameter: required / params,
      recommendedTierBytes: 1.2e15,
      vendorRuleBytes: params * 50,
      updateSeconds,
    },
    wafer: {
      sramBytes: sram,
      perLayerPeakBytes: largest.workingSetBytes,
      activationBytesPerLayer: layerMemory[1].activationBytes,
      fits: largest.workingSetBytes <= sram,
      microBatch,
      maxMicroBatch: 22,
      largestLayer: { index: largest.index, name: largest.name, parameters: largest.parameters, bytes: largest.workingSetBytes },
      checkpoints: { bytes: layers * 2 * tokens * h, location: 'activation-servers' },
      layers: layerMemory,
    },
    timeline: timelineFor(systems),
    scaling: scalingFor(systems),
    constants: [
      { name: 'wse3.peGrid', value: width * height, unit: 'PEs', source: 'Cerebras SDK: 762 x 1172 addressable fabric', assumption: false },
      { name: 'wse3.sramPerPe', value: sramPerPe, unit: 'bytes', source: 'Cerebras: 48 KB per core', assumption: false },
      { name: 'wse3.denseFp16Peak', value: peak, unit: 'FLOP/s', source: 'WSE-2 dense/sparse ratio applied to 125 PFLOP/s', assumption: true },
      { name: 'wse3.clock', value: 1.1e9, unit: 'Hz', source: 'not published', assumption: true },
      { name: 'wse3.dies', value: 84, unit: 'dies', source: '7 x 12 grid consistent with the wafer edge', assumption: true },
      { name: 'csx.systemIo', value: ioBytesPerSecond, unit: 'B/s', source: 'SwarmX glossary: 1.2 Tb/s', assumption: false },
      { name: 'memoryx.capacity', value: memoryxCapacity, unit: 'bytes', source: 'cluster file', assumption: false, overridden: true },
      { name: 'recompute', value: 1, unit: 'policy', source: 'activation checkpointing policy not published', assumption: true },
    ],
    diagnostics: [
      { severity: 'information', code: 'memoryx-fit', message: `MemoryX holds the model state: 16.0 TB of 55 TB.`, range: range(3) },
      { severity: 'warning', code: 'assumed-constant', message: 'Dense FP16 peak of the WSE-3 is not published; MFU uses 15 PFLOP/s (assumption).', range: range(12) },
      { severity: 'hint', code: 'micro-batch-headroom', message: 'Micro-batch 16 leaves room: up to 22 fits in SRAM.', range: range(40) },
    ],
  };
  const summary = `1.0 T params · MemoryX 16.0 TB of 55 TB · wafer ${Math.round((100 * largest.workingSetBytes) / sram)}% · step ${report.timeline.stepSeconds.toFixed(1)} s on 16 CS-3`;
  const result = { type: 'result', fileName: 'gpt-1t.yaml', result: { uri, version: 1, status: 'fits', summary, report } };

  const heatmaps = pickLayers(layerMemory).map((layer) => syntheticHeatmap(uri, layerMemory, layer, { width, height, sramPerPe, h, ffn, vocab, tokens }));
  const timelines = SYSTEMS.map((n) => ({ uri, systems: n, timeline: timelineFor(n), scaling: scalingFor(n) }));

  const states = {
    invalid: {
      type: 'result',
      fileName: 'broken.yaml',
      result: {
        uri: 'file:///workspace/broken.yaml',
        version: 3,
        status: 'invalid',
        summary: '2 errors',
        report: {
          file: '/workspace/broken.yaml',
          format: 'modelzoo-trainer',
          model: null,
          cluster: { name: 'default', system: 'cs-3', systems: 1, memoryxCapacityBytes: 12e12, origin: 'default' },
          diagnostics: [
            { severity: 'error', code: 'yaml-syntax', message: 'Unexpected indentation.', range: range(7) },
            { severity: 'error', code: 'missing-key', message: 'trainer.init.model.hidden_size is required.', range: range(2) },
          ],
        },
      },
    },
    'not-modelled': {
      type: 'result',
      fileName: 'bert__bert_base_MSL128.yaml',
      result: {
        uri: 'file:///workspace/bert__bert_base_MSL128.yaml',
        version: 1,
        status: 'not-modelled',
        summary: 'BERT is not modelled yet',
        report: {
          file: '/workspace/bert__bert_base_MSL128.yaml',
          format: 'modelzoo-trainer',
          model: null,
          cluster: { name: 'default', system: 'cs-3', systems: 1, memoryxCapacityBytes: 12e12, origin: 'default' },
          diagnostics: [{ severity: 'information', code: 'not-modelled', message: 'Model family “bert” is not modelled yet: only decoder LLMs are.', range: range(0) }],
        },
      },
    },
    cluster: {
      type: 'result',
      fileName: 'sandia.cluster.yaml',
      result: {
        uri: 'file:///workspace/examples/1t/sandia.cluster.yaml',
        version: 1,
        status: 'cluster',
        summary: '16 × CS-3, MemoryX 55 TB',
        report: {
          file: '/workspace/examples/1t/sandia.cluster.yaml',
          format: 'cluster',
          model: null,
          cluster: { name: 'sandia-1t', system: 'cs-3', systems: 16, memoryxCapacityBytes: 55e12, origin: 'file', file: '/workspace/examples/1t/sandia.cluster.yaml' },
          diagnostics: [],
        },
      },
    },
  };
  return { result, heatmaps, timelines, states };
}

/** Lays the layer's matrices out as rectangles and fills per-PE bytes and utilization. */
function syntheticHeatmap(uri, layerMemory, layer, g) {
  const { width, height, sramPerPe, h, ffn, vocab, tokens } = g;
  const entry = layerMemory[layer];
  const regions = [];
  const margin = 3;
  const usableW = width - 2 * margin;
  const usableH = height - 2 * margin;
  const place = (x, y, w, hh, label, rows, cols) =>
    regions.push({ x: margin + x, y: margin + y, width: w, height: hh, label, tileRows: hh, tileCols: w, rows, cols });
  if (entry.name === 'embedding') {
    const w = Math.floor(usableW * 0.8);
    const hh = Math.floor(usableH * 0.45);
    place(0, 0, w, hh, 'token embedding', vocab, h);
    place(0, hh + 6, Math.floor(w / 4), Math.floor(usableH * 0.05), 'position embedding', 2048, h);
  } else if (entry.name.startsWith('final')) {
    const w = usableW;
    const hh = Math.floor(usableH * 0.5);
    place(0, 0, w, hh, 'lm_head', h, vocab);
    place(0, hh + 4, Math.floor(w / 3), 40, 'logits + softmax', tokens, 1);
  } else {
    const attnH = Math.floor(usableH / 3);
    const quarter = Math.floor(usableW / 4);
    ['q_proj', 'k_proj', 'v_proj', 'o_proj'].forEach((label, i) => place(i * quarter, 0, quarter - 2, attnH - 2, label, h, h));
    const mlpH = usableH - attnH;
    const half = Math.floor(usableW / 2);
    place(0, attnH, half - 2, mlpH - 24, 'mlp.up', h, ffn);
    place(half, attnH, half - 2, mlpH - 24, 'mlp.down', ffn, h);
    place(0, usableH - 20, Math.floor(usableW * 0.6), 20, 'attention scores', tokens, 2048);
  }
  const occupancy = new Uint16Array(width * height);
  const utilization = new Uint8Array(width * height);
  let busy = 0;
  let used = 0;
  const activationShare = entry.activationBytes / Math.max(1, regions.reduce((s, r) => s + r.width * r.height, 0));
  for (const r of regions) {
    const work = (r.rows * r.cols) / (r.width * r.height);
    for (let y = 0; y < r.height; y++) {
      const rowSpan = Math.floor(((y + 1) * r.rows) / r.tileRows) - Math.floor((y * r.rows) / r.tileRows);
      for (let x = 0; x < r.width; x++) {
        const colSpan = Math.floor(((x + 1) * r.cols) / r.tileCols) - Math.floor((x * r.cols) / r.tileCols);
        const weights = rowSpan * colSpan * 2;
        // Gradients of the tile, plus this PE's share of activations and a little workspace.
        const bytes = Math.min(sramPerPe, weights * 2 + activationShare + 1024 + ((x * 7 + y * 13) % 5) * 96);
        const i = (r.y + y) * width + (r.x + x);
        occupancy[i] = Math.round((bytes / sramPerPe) * 65535);
        const u = Math.min(1, (0.55 + 0.4 * ((rowSpan * colSpan) / Math.max(1, work))) * (r.label.includes('scores') ? 0.6 : 1));
        utilization[i] = Math.max(1, Math.round(u * 255 * (0.92 + 0.08 * Math.sin((x + y) / 9))));
        busy++;
        used += bytes;
      }
    }
  }
  return {
    uri,
    layer,
    layerName: entry.name,
    layerCount: layerMemory.length,
    width,
    height,
    sramPerPeBytes: sramPerPe,
    dies: { columns: 7, rows: 12, assumption: true },
    occupancy: Buffer.from(occupancy.buffer).toString('base64'),
    utilization: Buffer.from(utilization.buffer).toString('base64'),
    regions,
    summary: {
      busyPes: busy,
      totalPes: width * height,
      sramUsedBytes: used,
      sramTotalBytes: width * height * sramPerPe,
      idleFraction: 1 - busy / (width * height),
    },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  await makeFixtures({ synthetic: args.includes('--synthetic'), out: outIndex >= 0 ? resolve(args[outIndex + 1]) : undefined });
}
