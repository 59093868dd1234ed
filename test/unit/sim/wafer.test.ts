import * as assert from 'node:assert/strict';
import { buildModelStructure } from '../../../language-server/core/model/structure';
import { resolveHardware } from '../../../language-server/core/sim/hardware';
import { prepareLayers, fixedBytes } from '../../../language-server/core/sim/layers';
import { evaluateWafer, maxMicroBatch, workingSet } from '../../../language-server/core/sim/wafer';
import { simulate } from '../../../language-server/core/sim/simulate';
import { cluster, gpt1t, gpt1tTraining, shipped, TB } from './fixtures';

describe('wafer: every shipped Model Zoo micro-batch fits', () => {
  for (const config of shipped) {
    const structure = buildModelStructure(config.model);
    for (const system of new Set([config.system, 'cs-3'])) {
      it(`${config.file} at micro-batch ${config.training.microBatchSize ?? 'auto'} on ${system}`, () => {
        const out = simulate({ model: config.model, structure, training: config.training, cluster: cluster(config.systems, 1.2e15, system) });
        assert.equal(out.wafer.fits, true, `working set ${out.wafer.perLayerPeakBytes} > ${out.wafer.sramBytes}`);
        assert.equal(out.findings.filter((f) => f.code === 'wafer-sram').length, 0);
        if (typeof config.training.microBatchSize === 'number') {
          assert.equal(out.training.microBatchSize, config.training.microBatchSize);
          assert.equal(out.training.microBatchSource, 'config');
        } else {
          assert.ok(out.training.microBatchSize >= 1);
        }
      });
    }
  }

  it('GPT-3 XL with micro-batch auto picks the same order as the shipped 88 (between 44 and 264)', () => {
    const xl = shipped.find((c) => c.file === 'gpt3__params_gpt3_xl.yaml')!;
    const structure = buildModelStructure(xl.model);
    for (const system of ['cs-2', 'cs-3']) {
      const out = simulate({ model: xl.model, structure, training: { ...xl.training, microBatchSize: 'auto' }, cluster: cluster(1, 1.5 * TB, system) });
      const micro = out.training.microBatchSize;
      assert.ok(micro >= 44 && micro <= 264, `${system}: auto micro-batch ${micro}`);
      assert.equal(528 % micro, 0, 'auto divides the per-system batch');
      assert.equal(out.training.microBatchSource, 'auto');
    }
  });

  it('the 1T model fits on one CS-3 with an automatic micro-batch of the same order as shipped ones (8-64)', () => {
    const structure = buildModelStructure(gpt1t);
    const out = simulate({ model: gpt1t, structure, training: gpt1tTraining, cluster: cluster(1, 55 * TB) });
    assert.equal(out.wafer.fits, true);
    assert.equal(out.memoryx.fits, true);
    assert.ok(out.training.microBatchSize >= 8 && out.training.microBatchSize <= 64, `auto ${out.training.microBatchSize}`);
    assert.equal(1024 % out.training.microBatchSize, 0);
    // One decoder layer: 12h^2 + 13h parameters, 16-bit: 15.7 GB, the largest layer.
    assert.equal(out.wafer.largestLayer.parameters, 12 * 25600 * 25600 + 13 * 25600);
    assert.equal(out.wafer.largestLayer.bytes, 2 * (12 * 25600 * 25600 + 13 * 25600));
    // The layer-input checkpoints of 128 layers (and the head input) cannot stay on the wafer.
    assert.equal(out.wafer.checkpoints.location, 'activation-servers');
    assert.equal(out.wafer.checkpoints.bytes, 129 * 2 * 25600 * 2048 * out.training.microBatchSize);
  });
});

describe('wafer: working set', () => {
  const structure = buildModelStructure(gpt1t);
  const { hw } = resolveHardware(cluster(1, 55 * TB));
  const prepared = prepareLayers(gpt1t, structure, { sequenceLength: 2048, weightElementBytes: 2, activationElementBytes: 2, recompute: 'full' }, hw);
  const decoder = prepared.layers[1];

  it('decoder layer = weights + 2 slices in + 2 slices of gradients out + workspace + resident activations', () => {
    const h = 25600;
    const weights = 2 * (12 * h * h + 13 * h);
    // The widest matrix slice: 25600 rows x 2048 columns at 2 B.
    const slice = 2 * h * 2048;
    const workspace = 4096 * 762 * 1172;
    const perToken = 12 * h + 6 * 2048;
    const tokens = 16 * 2048;
    assert.equal(fixedBytes(decoder, prepared), weights + 4 * slice + workspace);
    assert.equal(workingSet(decoder, prepared, tokens), weights + 4 * slice + workspace + perToken * tokens);
  });

  it('the largest micro-batch is the closed form of the linear working set, and brute force agrees', () => {
    for (const bytes of [20e9, 30e9, 44e9, 60e9]) {
      const closed = maxMicroBatch(prepared, 2048, bytes);
      let brute = 0;
      while (evaluateWafer(prepared, 2048, brute + 1, bytes, bytes).peakWorkingSet <= bytes) brute++;
      assert.equal(closed, brute, `at ${bytes} B`);
    }
    assert.equal(maxMicroBatch(prepared, 2048, 10e9), 0, 'weights alone exceed 10 GB');
  });

  it('a larger micro-batch never has a smaller working set', () => {
    let previous = 0;
    for (let b = 1; b <= 64; b++) {
      const peak = evaluateWafer(prepared, 2048, b, 44e9, 39.6e9).peakWorkingSet;
      assert.ok(peak >= previous);
      previous = peak;
    }
  });

  it('keeps the checkpoints on the wafer only while they fit beside the working set', () => {
    const xl = shipped[0];
    const xlPrepared = prepareLayers(xl.model, buildModelStructure(xl.model), { sequenceLength: 2048, weightElementBytes: 2, activationElementBytes: 2, recompute: 'full' }, hw);
    const small = evaluateWafer(xlPrepared, 2048, 8, 44e9, 39.6e9);
    assert.equal(small.checkpointsOnWafer, true);
    assert.equal(small.peakBytes, small.peakWithCheckpoints);
    // GPT-3 XL: 24 decoder inputs + the head input, 2 B x 2048 hidden each, per token.
    assert.equal(small.checkpointBytes, 25 * 2 * 2048 * 2048 * 8);
    const large = evaluateWafer(xlPrepared, 2048, 400, 44e9, 39.6e9);
    assert.equal(large.checkpointsOnWafer, false);
    assert.equal(large.peakBytes, large.peakWorkingSet);
  });

  it('fp32 training doubles weights and activations on the wafer', () => {
    const fp32 = prepareLayers(gpt1t, structure, { sequenceLength: 2048, weightElementBytes: 4, activationElementBytes: 4, recompute: 'full' }, hw);
    assert.equal(fp32.layers[1].weightBytes, 2 * decoder.weightBytes);
    // (4e + 4)h with e = 4 is 20h, against 12h under mixed precision; the slice doubles.
    assert.equal(fp32.layers[1].resident.total, 20 * 25600 + 12 * 2048);
  });
});
