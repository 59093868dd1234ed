import * as assert from '../plainAssert';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { buildModelStructure } from '../../../language-server/core/model/structure';
import type { ModelDescription, TrainingDescription } from '../../../language-server/core/types';
import { simulate, sweep, type SimulationInput } from '../../../language-server/core/sim/simulate';
import { cluster, gpt1t, gpt1tTraining, shipped, TB } from './fixtures';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function codes(input: SimulationInput): string[] {
  return simulate(input).findings.map((f) => f.code);
}

describe('simulate: findings', () => {
  const structure = buildModelStructure(gpt1t);

  it('1T on one CS-3 with 55 TB: fits, no errors', () => {
    const out = simulate({ model: gpt1t, structure, training: gpt1tTraining, cluster: cluster(1, 55 * TB) });
    assert.equal(out.memoryx.fits && out.wafer.fits, true);
    assert.deepEqual(out.findings.filter((f) => f.severity === 'error'), []);
    assert.equal(out.training.numCsxSource, 'cluster');
    assert.equal(out.training.microBatchSource, 'auto');
  });

  it('1T with 12 TB: memoryx-capacity error on the cluster capacity, fixed by the 55 TB of the 1T run', () => {
    const out = simulate({ model: gpt1t, structure, training: gpt1tTraining, cluster: cluster(1, 12 * TB) });
    const finding = out.findings.find((f) => f.code === 'memoryx-capacity')!;
    assert.equal(finding.severity, 'error');
    assert.equal(finding.field, 'cluster.memoryxCapacity');
    assert.deepEqual(finding.fixes, [{ field: 'cluster.memoryxCapacity', value: '55 TB', title: 'Use a 55 TB MemoryX' }]);
    assert.match(finding.message, /16\.1 TB/);
  });

  it('beyond every tier: no fix is offered', () => {
    const huge = { ...gpt1t, numLayers: 10000 };
    const out = simulate({ model: huge, structure: buildModelStructure(huge), training: gpt1tTraining, cluster: cluster(1, 55 * TB) });
    const finding = out.findings.find((f) => f.code === 'memoryx-capacity')!;
    assert.equal(finding.fixes, undefined);
  });

  it('memoryx-headroom below 10 % free', () => {
    const required = simulate({ model: gpt1t, structure, training: gpt1tTraining, cluster: cluster(1, 55 * TB) }).memoryx.requiredBytes;
    assert.ok(codes({ model: gpt1t, structure, training: gpt1tTraining, cluster: cluster(1, required * 1.05) }).includes('memoryx-headroom'));
    assert.ok(!codes({ model: gpt1t, structure, training: gpt1tTraining, cluster: cluster(1, required * 1.2) }).includes('memoryx-headroom'));
    assert.ok(codes({ model: gpt1t, structure, training: gpt1tTraining, cluster: cluster(1, required * 1.2), headroomWarning: 0.25 }).includes('memoryx-headroom'));
  });

  it('wafer-sram at a micro-batch that does not fit, naming and fixing the largest that does', () => {
    const training: TrainingDescription = { ...gpt1tTraining, microBatchSize: 128 };
    const out = simulate({ model: gpt1t, structure, training, cluster: cluster(1, 55 * TB) });
    const finding = out.findings.find((f) => f.code === 'wafer-sram')!;
    assert.equal(finding.severity, 'error');
    assert.equal(finding.field, 'training.microBatchSize');
    const fix = finding.fixes![0];
    assert.equal(fix.field, 'training.microBatchSize');
    assert.equal(typeof fix.value, 'number');
    assert.match(finding.message, new RegExp(`Micro-batch ${out.wafer.recommendedMicroBatch} fits with 10% headroom`));
    // The fix divides the per-system batch and really fits.
    assert.equal(1024 % (fix.value as number), 0);
    const fixed = simulate({ model: gpt1t, structure, training: { ...training, microBatchSize: fix.value as number }, cluster: cluster(1, 55 * TB) });
    assert.equal(fixed.wafer.fits, true);
    assert.ok(!fixed.findings.some((f) => f.code === 'wafer-sram' || f.code === 'wafer-headroom'), 'the first fix keeps the margin too');
  });

  it('wafer-sram on the model when one layer alone is too big for the wafer', () => {
    const giant: ModelDescription = { ...gpt1t, hiddenSize: 65536, numHeads: 256, numKvHeads: 256, headDim: 256, ffnSize: 262144, numLayers: 2 };
    const out = simulate({ model: giant, structure: buildModelStructure(giant), training: gpt1tTraining, cluster: cluster(1, 1.2e15) });
    const finding = out.findings.find((f) => f.code === 'wafer-sram')!;
    assert.equal(finding.field, 'model.hiddenSize');
    assert.equal(out.wafer.maxMicroBatch, 0);
  });

  it('wafer-headroom when the configured micro-batch leaves under 10 % of SRAM, with a fix to a value that keeps it', () => {
    const out = simulate({ model: gpt1t, structure, training: { ...gpt1tTraining, microBatchSize: 32 }, cluster: cluster(1, 55 * TB) });
    assert.equal(out.wafer.fits, true);
    assert.ok(out.wafer.headroom < 0.1);
    const finding = out.findings.find((f) => f.code === 'wafer-headroom' && f.field === 'training.microBatchSize')!;
    const value = finding.fixes![0].value as number;
    assert.notEqual(value, 32);
    assert.match(finding.message, new RegExp(`Micro-batch ${value} keeps the margin`));
    const fixed = simulate({ model: gpt1t, structure, training: { ...gpt1tTraining, microBatchSize: value }, cluster: cluster(1, 55 * TB) });
    assert.ok(!fixed.findings.some((f) => f.code === 'wafer-headroom' || f.code === 'wafer-sram'));
  });

  it("auto respects the headroom margin: its choice written out gives the same (no fit) warnings", () => {
    const auto = simulate({ model: gpt1t, structure, training: gpt1tTraining, cluster: cluster(1, 55 * TB) });
    assert.ok(auto.wafer.headroom >= 0.1, `auto leaves ${auto.wafer.headroom}`);
    assert.equal(auto.wafer.recommendedMicroBatch, auto.training.microBatchSize);
    const written = simulate({ model: gpt1t, structure, training: { ...gpt1tTraining, microBatchSize: auto.training.microBatchSize }, cluster: cluster(1, 55 * TB) });
    assert.deepEqual(written.findings.map((f) => f.code), auto.findings.map((f) => f.code));
    assert.ok(!written.findings.some((f) => f.code.startsWith('wafer')));
    // With no margin asked for, auto may use the whole wafer.
    const full = simulate({ model: gpt1t, structure, training: gpt1tTraining, cluster: cluster(1, 55 * TB), headroomWarning: 0 });
    assert.ok(full.training.microBatchSize >= auto.training.microBatchSize);
  });

  it('io-bound when a micro-batch carries too few tokens to hide the weight stream, saying how many are needed', () => {
    const llama70b = shipped.find((c) => c.file === 'llama__params_llama3p1_70b_msl_8k.yaml')!;
    const s70 = buildModelStructure(llama70b.model);
    const small = simulate({ model: llama70b.model, structure: s70, training: { ...llama70b.training, microBatchSize: 1, sequenceLength: 2048 }, cluster: cluster(1, 12 * TB) });
    const finding = small.findings.find((f) => f.code === 'io-bound')!;
    assert.equal(finding.field, 'training.microBatchSize');
    // Tokens needed = weight-streaming time / compute time per token. Per parameter: two passes of
    // 2 B at 150 GB/s = 2.67e-11 s; compute 8 FLOP per token (forward, recompute, backward = 2 + 2
    // + 4) at 15 PFLOP/s = 5.33e-16 s. Ratio: 50,000 tokens (less than full PE utilization and
    // the attention FLOPs move it by some percent), far more than 2,048.
    const needed = Number(/About ([\d,]+) tokens/.exec(finding.message)![1].replace(/,/g, ''));
    assert.ok(needed > 40_000 && needed < 70_000, `needed ${needed}`);
    const shippedRun = simulate({ model: llama70b.model, structure: s70, training: llama70b.training, cluster: cluster(1, 12 * TB) });
    assert.ok(!shippedRun.findings.some((f) => f.code === 'io-bound'), 'the shipped 8 x 8192 tokens hide the stream');
  });

  it('io-bound advice the rules allow is a warning with a fix that clears it; advice they forbid is a note', () => {
    const llama70b = shipped.find((c) => c.file === 'llama__params_llama3p1_70b_msl_8k.yaml')!;
    const s70 = buildModelStructure(llama70b.model);
    const run = (microBatchSize: number) =>
      simulate({ model: llama70b.model, structure: s70, training: { ...llama70b.training, microBatchSize }, cluster: cluster(1, 12 * TB) });
    const small = run(1);
    const finding = small.findings.find((f) => f.code === 'io-bound')!;
    assert.equal(finding.severity, 'warning', finding.message);
    const fix = finding.fixes?.[0];
    assert.ok(fix && typeof fix.value === 'number' && fix.value > 1, finding.message);
    const fixed = run(fix.value as number);
    assert.deepEqual(fixed.findings.filter((f) => f.code === 'io-bound' || f.code.startsWith('wafer')).map((f) => f.code), []);
    // The 1T example at auto: the tokens needed exceed what keeps the margin, so no fix, a note.
    const oneT = simulate({ model: gpt1t, structure, training: gpt1tTraining, cluster: cluster(1, 55 * TB) });
    const note = oneT.findings.find((f) => f.code === 'io-bound');
    if (note) {
      assert.equal(note.severity, 'information', note.message);
      assert.deepEqual(note.fixes ?? [], []);
    }
  });

  it('num-csx-exceeds-cluster when the config asks for more systems than the cluster has', () => {
    const out = simulate({ model: gpt1t, structure, training: { ...gpt1tTraining, numCsx: 32 }, cluster: cluster(16, 55 * TB) });
    const finding = out.findings.find((f) => f.code === 'num-csx-exceeds-cluster')!;
    assert.equal(finding.severity, 'error');
    assert.equal(finding.field, 'training.numCsx');
    assert.deepEqual(finding.fixes?.[0].value, 16);
    assert.equal(out.training.numCsxSource, 'config');
  });

  it('the CLI system count wins over the config and the cluster', () => {
    const out = simulate({ model: gpt1t, structure, training: { ...gpt1tTraining, numCsx: 4 }, cluster: cluster(16, 55 * TB), systems: 8 });
    assert.equal(out.training.numCsx, 8);
    assert.equal(out.training.numCsxSource, 'cli');
  });

  it('lists every constant it used, assumptions flagged', () => {
    const out = simulate({ model: gpt1t, structure, training: gpt1tTraining, cluster: cluster(1, 55 * TB) });
    for (const name of ['dense_fp16_peak', 'system_io', 'memoryx_update_bandwidth_per_tb', 'swarmx_level_latency', 'workspace_per_pe', 'stream_slice_columns']) {
      assert.ok(out.constants.some((c) => c.name === name), name);
    }
    assert.equal(out.constants.find((c) => c.name === 'memoryx_update_bandwidth_per_tb')!.assumption, true);
  });
});

describe('simulate: bad input never throws', () => {
  const structure = buildModelStructure(gpt1t);
  const bad: [string, SimulationInput][] = [
    ['NaN batch and sequence', { model: gpt1t, structure, training: { ...gpt1tTraining, globalBatchSize: NaN, sequenceLength: -5 }, cluster: cluster(1, 55 * TB) }],
    ['zero capacity, zero systems', { model: gpt1t, structure, training: gpt1tTraining, cluster: cluster(0, 0) }],
    ['absurd batch and systems', { model: gpt1t, structure, training: { ...gpt1tTraining, globalBatchSize: 1e15, numCsx: 1e15 }, cluster: cluster(1e15, 1e18) }],
    ['strings where numbers belong', { model: gpt1t, structure, training: { ...gpt1tTraining, microBatchSize: 'lots' as never, optimizer: 'rmsprop' as never, precision: 'int3' as never }, cluster: { ...cluster(1, 55 * TB), overrides: { system_io: 'fast' as never } } }],
    ['empty model', { model: { ...gpt1t, hiddenSize: 0, numLayers: 0, vocabSize: 0 }, structure: { layers: [], totalParameters: 0n, activeParameters: 0n, embeddingParameters: 0n }, training: gpt1tTraining, cluster: cluster(1, 55 * TB) }],
    ['missing pieces', { model: undefined as never, structure: undefined as never, training: undefined as never, cluster: undefined as never }],
  ];
  for (const [name, input] of bad) {
    it(name, () => {
      const out = simulate(input);
      assert.ok(out && Array.isArray(out.findings));
      assert.doesNotThrow(() => JSON.stringify(out));
      for (const value of [out.timeline.stepSeconds, out.memoryx.requiredBytes, out.wafer.perLayerPeakBytes]) {
        assert.ok(Number.isFinite(value), `${name}: ${value}`);
      }
      assert.ok(Array.isArray(sweep(input, [1, 2, 4])));
    });
  }
});

describe('simulate: speed', () => {
  it('the 1T example on 16 systems in under 20 ms (median, fresh model structure each run)', () => {
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const structure = buildModelStructure(gpt1t);
      const start = performance.now();
      simulate({ model: gpt1t, structure, training: gpt1tTraining, cluster: cluster(16, 55 * TB) });
      times.push(performance.now() - start);
    }
    assert.ok(median(times) < 20, `median ${median(times).toFixed(2)} ms`);
  });

  it('at least 10,000 whole-config evaluations per second in a sweep', () => {
    const input = { model: gpt1t, structure: buildModelStructure(gpt1t), training: gpt1tTraining, cluster: cluster(16, 55 * TB) };
    const sizes = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048];
    sweep(input, sizes);
    const start = performance.now();
    let evaluations = 0;
    while (performance.now() - start < 300) {
      sweep(input, sizes);
      evaluations += sizes.length;
    }
    const perSecond = evaluations / ((performance.now() - start) / 1000);
    assert.ok(perSecond >= 10_000, `${Math.round(perSecond)} evaluations/s`);
  });
});

describe('examples/1t', () => {
  const read = (name: string) => parse(readFileSync(`examples/1t/${name}`, 'utf8'));

  it('gpt-1t.yaml is the model the tests simulate (trainer layout, auto micro-batch, no num_csx)', () => {
    const doc = read('gpt-1t.yaml');
    const model = doc.trainer.init.model;
    assert.equal(model.hidden_size, gpt1t.hiddenSize);
    assert.equal(model.num_hidden_layers, gpt1t.numLayers);
    assert.equal(model.num_heads, gpt1t.numHeads);
    assert.equal(model.filter_size, gpt1t.ffnSize);
    assert.equal(model.vocab_size, gpt1t.vocabSize);
    assert.equal(model.max_position_embeddings, 2048);
    assert.equal(model.share_embedding_weights, true);
    assert.equal(doc.trainer.init.precision.fp16_type, 'bfloat16');
    assert.ok('AdamW' in doc.trainer.init.optimizer);
    assert.equal(doc.trainer.fit.train_dataloader.batch_size, gpt1tTraining.globalBatchSize);
    const flags = doc.trainer.init.callbacks.find((c: Record<string, unknown>) => 'ScopedTrainFlags' in c).ScopedTrainFlags;
    assert.equal(flags['csx.performance.micro_batch_size'], 'auto');
    assert.equal(doc.trainer.init.backend.cluster_config, undefined);
    assert.ok(!readFileSync('examples/1t/gpt-1t.yaml', 'utf8').startsWith('# waferscope:'));
    assert.ok(readFileSync('examples/1t/gpt-1t-16x.yaml', 'utf8').startsWith('# waferscope: cluster=sandia-16x.cluster.yaml'));
  });

  it('the cluster files: Sandia 1x and 16x with 55 TB, and a 12 TB one-system cluster', () => {
    assert.deepEqual(read('sandia-1x.cluster.yaml').cluster, { name: 'sandia-1x', system: 'cs-3', systems: 1, memoryx: { capacity: '55 TB' } });
    assert.deepEqual(read('sandia-16x.cluster.yaml').cluster, { name: 'sandia-16x', system: 'cs-3', systems: 16, memoryx: { capacity: '55 TB' } });
    assert.deepEqual(read('small-12tb.cluster.yaml').cluster, { name: 'small-12tb', system: 'cs-3', systems: 1, memoryx: { capacity: '12 TB' } });
  });
});
