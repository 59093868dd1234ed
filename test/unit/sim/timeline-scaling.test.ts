import * as assert from 'node:assert/strict';
import { buildModelStructure } from '../../../language-server/core/model/structure';
import type { LayerStatic, PreparedLayers } from '../../../language-server/core/sim/layers';
import { mapLayer } from '../../../language-server/core/sim/mapping';
import { stepTiming, timeMicroBatch, treeDepth } from '../../../language-server/core/sim/timeline';
import { scalingCurve } from '../../../language-server/core/sim/scaling';
import { simulate, sweep } from '../../../language-server/core/sim/simulate';
import { cluster, gpt1t, gpt1tTraining, TB } from './fixtures';

function layer(kind: LayerStatic['kind'], weightBytes: number, forwardSecondsPerToken: number, backwardFactor: number, checkpointPerToken = 0): LayerStatic {
  return {
    index: 0,
    name: kind,
    kind,
    parameters: 0,
    weightBytes,
    vectorBytes: 0,
    sliceBytes: 0,
    gradientBytes: weightBytes,
    resident: { sequenceWide: 0, slice: 0, routing: 0, total: 0, peak: 'mlp' },
    checkpointPerToken,
    mapping: mapLayer([], 1, 1),
    forwardSecondsPerToken,
    backwardFactor,
    forwardModelFlopsPerToken: 0,
    attentionFlopsPerToken: 0,
  };
}

function preparedOf(layers: LayerStatic[]): PreparedLayers {
  return { layers, firstDecoder: 1, workspaceBytes: 0, weightElementBytes: 2, activationElementBytes: 2, recompute: 'full', perPeFlops: 1, systemFlops: 1 };
}

describe('timeline: event model of one micro-batch', () => {
  // Link 1 B/s, one token: embedding (2 B of weights, no compute), decoder (4 B, 1 s forward,
  // 3x backward), head (2 B, 3 s forward, fused backward 2x). Worked by hand:
  // forward  E: stream 0-2, compute 0-2 | D: stream 2-6, compute 2-6 | H: stream 6-8, compute 6-9
  // backward H: compute 9-15 (no re-stream), gradients 9-11
  //          D: stream 9-13, compute 15-18, gradients 15-19 -> ends 19
  //          E: stream 15-17, compute 19-19, gradients 19-21 -> ends 21
  // the next micro-batch's first 2 s of weights overlap this tail: steady 19 s.
  const toy = preparedOf([layer('embedding', 2, 0, 2), layer('decoder', 4, 1, 3), layer('head', 2, 3, 2)]);

  it('matches the hand-worked schedule', () => {
    const timing = timeMicroBatch(toy, 1, { ioBandwidth: 1, checkpointBandwidth: 1 }, false);
    assert.equal(timing.forwardSeconds, 9);
    assert.equal(timing.seconds, 21);
    assert.equal(timing.steadySeconds, 19);
    assert.equal(timing.streamForward, 8);
    assert.equal(timing.streamBackward, 6, 'the head is not streamed again');
    assert.equal(timing.computeBackward, 6 + 3);
  });

  it('step = first micro-batch + (n-1) steady ones + optimizer update + SwarmX latency', () => {
    const timing = timeMicroBatch(toy, 1, { ioBandwidth: 1, checkpointBandwidth: 1 }, false);
    assert.equal(stepTiming(timing, 3, 5, 0.5).stepSeconds, 21 + 2 * 19 + 5 + 0.5);
  });

  it('off-wafer checkpoints go out during the forward pass and come back before the recompute', () => {
    // As above, but the decoder keeps a 10 B input checkpoint off the wafer (the head's 1 B input is
    // used at once). By hand:
    // forward  D: checkpoint out 2-12, so its forward ends at 12 | H: compute 12-15
    // backward H: 15-21, gradients 15-17
    //          D: checkpoint then weights in 15-29, recompute + backward 25-28, gradients 25-29
    //          E: weights 29-31, gradients 29-31 -> ends 31, nothing left to overlap.
    const withCheckpoint = preparedOf([layer('embedding', 2, 0, 2), layer('decoder', 4, 1, 3, 10), layer('head', 2, 3, 2, 1)]);
    const timing = timeMicroBatch(withCheckpoint, 1, { ioBandwidth: 1, checkpointBandwidth: 1 }, true);
    assert.equal(timing.checkpointOut, 10, "the head's input is used at once, not written out");
    assert.equal(timing.checkpointIn, 10);
    assert.equal(timing.forwardSeconds, 15);
    assert.equal(timing.seconds, 31);
    assert.equal(timing.steadySeconds, 31);
  });

  it('is compute-bound when compute exceeds streaming, and then scales with tokens', () => {
    const heavy = preparedOf([layer('embedding', 1, 0, 2), layer('decoder', 1, 1, 3), layer('head', 1, 1, 2)]);
    const a = timeMicroBatch(heavy, 100, { ioBandwidth: 1, checkpointBandwidth: 1 }, false);
    const b = timeMicroBatch(heavy, 200, { ioBandwidth: 1, checkpointBandwidth: 1 }, false);
    // forward 100 + 100, head backward 200, decoder backward 300; the embedding has no compute.
    assert.equal(a.computeForward + a.computeBackward, 700);
    assert.ok(Math.abs(b.seconds / a.seconds - 2) < 0.02);
  });
});

describe('scaling over SwarmX', () => {
  it('tree depth is ceil(log4 N)', () => {
    assert.deepEqual([1, 2, 4, 5, 16, 17, 64, 2048].map((n) => treeDepth(n, 4)), [0, 1, 1, 2, 2, 3, 3, 6]);
  });

  it('never reports a slower step for more systems (the job leaves systems idle instead)', () => {
    const times: Record<number, number> = { 1: 10, 2: 6, 4: 7, 8: 3 };
    const curve = scalingCurve([1, 2, 4, 8], (n) => ({ stepSeconds: times[n], microBatchSize: 1, accumulationSteps: 1, systemsUsed: n }));
    assert.deepEqual(curve.map((p) => p.stepSeconds), [10, 6, 6, 3]);
    assert.equal(curve[2].systemsUsed, 2);
    assert.equal(curve[3].speedup, 10 / 3);
  });

  const structure = buildModelStructure(gpt1t);
  const one = simulate({ model: gpt1t, structure, training: gpt1tTraining, cluster: cluster(1, 55 * TB) });
  const sixteen = simulate({ model: gpt1t, structure, training: gpt1tTraining, cluster: cluster(16, 55 * TB) });

  it('1T: 16 CS-3 run a step 15.3x (+-0.3) faster than one, as Sandia measured', () => {
    const speedup = one.timeline.stepSeconds / sixteen.timeline.stepSeconds;
    assert.ok(Math.abs(speedup - 15.3) <= 0.3, `speedup ${speedup}`);
    const point = one.scaling.curve.find((p) => p.systems === 16)!;
    assert.ok(Math.abs(point.speedup - speedup) < 1e-9, 'the curve agrees with two separate simulations');
  });

  it('1T: speedup grows with N and stays below N, from 1 to 2,048 systems', () => {
    const curve = one.scaling.curve;
    assert.deepEqual(curve.map((p) => p.systems), [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048]);
    for (let i = 1; i < curve.length; i++) {
      assert.ok(curve[i].speedup >= curve[i - 1].speedup, `speedup fell at ${curve[i].systems}`);
      assert.ok(curve[i].speedup < curve[i].systems, `speedup ${curve[i].speedup} >= ${curve[i].systems}`);
    }
    assert.equal(curve[0].speedup, 1);
  });

  it('accumulation steps per system = ceil(global / (N x micro))', () => {
    const micro = one.training.microBatchSize;
    assert.equal(one.training.accumulationSteps, Math.ceil(1024 / micro));
    assert.equal(sixteen.training.accumulationSteps, Math.ceil(1024 / (16 * micro)));
  });

  // Counts that split the batch of 1,024 evenly: an uneven split (3, 12) is a batch-not-multiple
  // error whose balanced micro-batches need not be comparable with a divisor of the batch.
  it('more systems are never slower (simulate with --systems)', () => {
    let previous = Infinity;
    for (const systems of [1, 2, 4, 8, 16, 64, 256, 1024, 2048]) {
      const step = simulate({ model: gpt1t, structure, training: gpt1tTraining, cluster: cluster(2048, 55 * TB), systems }).timeline.stepSeconds;
      assert.ok(step <= previous * (1 + 1e-12), `slower at ${systems}`);
      previous = step;
    }
  });

  it('sweep returns the requested sizes with speedup against one system', () => {
    const points = sweep({ model: gpt1t, structure, training: gpt1tTraining, cluster: cluster(16, 55 * TB) }, [16, 4]);
    assert.deepEqual(points.map((p) => p.systems), [4, 16]);
    assert.ok(Math.abs(points[1].speedup - one.scaling.curve.find((p) => p.systems === 16)!.speedup) < 1e-9);
  });

  it('MFU = tokens/s x (6N + 6Lsh) / peak, with N the matmul parameters counted by hand', () => {
    const h = 25600;
    // Decoder matrices 12h^2 per layer, plus the tied LM head V x h (its matmul runs).
    const matmulParameters = 128 * 12 * h * h + 51200 * h;
    const flopsPerToken = 6 * matmulParameters + 6 * 128 * 2048 * h;
    const expected = (one.timeline.tokensPerSecond * flopsPerToken) / 15e15;
    assert.ok(Math.abs(one.timeline.mfu - expected) / expected < 1e-9);
    assert.ok(one.timeline.mfu > 0.2 && one.timeline.mfu < 0.75, `MFU ${one.timeline.mfu}`);
  });

  it('time to train: 20 tokens per parameter when the config sets no max_steps', () => {
    const tokens = 20 * 1_008_038_758_400;
    assert.equal(one.timeline.timeToTrain.tokens, tokens);
    assert.ok(Math.abs(one.timeline.timeToTrain.seconds - tokens / one.timeline.tokensPerSecond) < 1e-6 * one.timeline.timeToTrain.seconds);
    assert.match(one.timeline.timeToTrain.basis, /Chinchilla/);
  });

  it('draws one micro-batch per layer and lane, then the rest and the optimizer update', () => {
    const bars = sixteen.timeline.bars;
    const layers = 130;
    assert.equal(bars.filter((b) => b.lane === 'weights-fwd' && b.layer !== undefined).length, layers);
    assert.equal(bars.filter((b) => b.lane === 'forward' && b.layer !== undefined).length, layers);
    assert.equal(bars.filter((b) => b.lane === 'weights-bwd' && b.layer !== undefined).length, layers - 1, 'the head is not re-streamed');
    assert.equal(bars.filter((b) => b.lane === 'backward' && b.layer !== undefined).length, layers);
    assert.equal(bars.filter((b) => b.lane === 'optimizer').length, 1);
    const optimizer = bars.find((b) => b.lane === 'optimizer')!;
    assert.ok(Math.abs(optimizer.end - sixteen.timeline.stepSeconds) < 1e-6, 'the update ends the step');
    for (const bar of bars) assert.ok(bar.end >= bar.start && bar.start >= 0);
  });
});
