/**
 * The same anchors through the project's config reader: every real Model Zoo and Hugging Face
 * fixture, and the 1T example with its cluster files, read by `readConfig` and simulated.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig } from '../../../language-server/core/config/read';
import { buildModelStructure } from '../../../language-server/core/model/structure';
import { simulate } from '../../../language-server/core/sim/simulate';
import { cluster, gpt1t, shipped } from './fixtures';

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else if (/\.(ya?ml|json)$/.test(name) && !name.startsWith('expected') && !name.startsWith('measured')) out.push(path);
  }
  return out.sort();
}

function read(path: string) {
  return readConfig(path, readFileSync(path, 'utf8'));
}

describe('every real fixture, read by readConfig, fits at the micro-batch it ships with', () => {
  for (const path of files('test/data')) {
    const document = read(path);
    if (!document.model || !document.training) continue;
    const model = document.model;
    const training = document.training;
    // Cerebras-GPT and GPT-3 XL were trained on CS-2; everything must also fit a CS-3.
    const systems = /gpt3/.test(path) ? ['cs-2', 'cs-3'] : ['cs-3'];
    for (const system of systems) {
      it(`${path} on ${system}`, () => {
        const out = simulate({ model, structure: buildModelStructure(model), training, cluster: cluster(1, 1.2e15, system) });
        assert.equal(out.wafer.fits, true, `working set ${out.wafer.perLayerPeakBytes} B at micro-batch ${out.training.microBatchSize}`);
        assert.ok(!out.findings.some((f) => f.code === 'wafer-sram' || f.code === 'internal-error'));
        if (typeof training.microBatchSize === 'number') assert.equal(out.training.microBatchSize, Math.min(training.microBatchSize, training.globalBatchSize));
      });
    }
  }
});

describe('the hand-written fixtures agree with the reader', () => {
  for (const config of shipped) {
    it(config.file, () => {
      const model = read(`test/data/modelzoo/current/${config.file}`).model!;
      for (const key of ['hiddenSize', 'numLayers', 'numHeads', 'numKvHeads', 'headDim', 'ffnSize', 'vocabSize', 'tiedEmbeddings', 'mlpKind', 'normKind'] as const) {
        assert.deepEqual(model[key], config.model[key], key);
      }
    });
  }
});

describe('the 1T example through the reader', () => {
  const document = read('examples/1t/gpt-1t.yaml');
  const clusterOf = (name: string) => read(`examples/1t/${name}`).cluster!;

  it('reads as the model the other tests use, with an automatic micro-batch and no num_csx', () => {
    assert.deepEqual(document.model, gpt1t);
    assert.equal(document.training!.microBatchSize, 'auto');
    assert.equal(document.training!.numCsx, undefined);
    assert.deepEqual(document.diagnostics.filter((d) => d.severity === 'error'), []);
  });

  it('fits on sandia-1x, fails MemoryX on small-12tb, and runs 15.3x faster on sandia-16x', () => {
    const structure = buildModelStructure(document.model!);
    const run = (name: string) => simulate({ model: document.model!, structure, training: document.training!, cluster: clusterOf(name) });
    const one = run('sandia-1x.cluster.yaml');
    const sixteen = run('sandia-16x.cluster.yaml');
    const small = run('small-12tb.cluster.yaml');
    assert.equal(one.memoryx.fits && one.wafer.fits, true);
    assert.equal(small.memoryx.fits, false);
    assert.ok(small.findings.some((f) => f.code === 'memoryx-capacity'));
    const speedup = one.timeline.stepSeconds / sixteen.timeline.stepSeconds;
    assert.ok(Math.abs(speedup - 15.3) <= 0.3, `speedup ${speedup}`);
  });
});
