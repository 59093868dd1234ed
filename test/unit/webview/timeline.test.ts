import * as assert from '../plainAssert';
import {
  systemsNote,
  LANES,
  PUBLISHED_SCALING,
  barDetails,
  bottleneckText,
  laneGeometry,
  scalingText,
  speedupDomain,
  speedupSeries,
  systemsOptions,
  timeTicks,
  timelineExtent,
  timelineHeadline,
} from '../../../webview/viewModel';
import { report, timeline } from './reportFixture';

const tenPixelsPerSecond = (s: number) => 10 * s;

describe('webview timeline view-model', () => {
  it('puts each bar in its lane, at its time', () => {
    const bars = laneGeometry(timeline, tenPixelsPerSecond, { laneHeight: 20, gap: 5 });
    assert.equal(bars.length, 4);
    const forward = bars.find((b) => b.bar.lane === 'forward')!;
    // 'forward' is lane 1: y = 1 * (20 + 5); it runs from 1 s to 3 s: x 10, width 20.
    assert.deepEqual([forward.lane, forward.x, forward.width, forward.y, forward.height], [1, 10, 20, 25, 20]);
    const optimizer = bars.find((b) => b.bar.lane === 'optimizer')!;
    assert.equal(optimizer.lane, LANES.indexOf('optimizer'));
    assert.equal(optimizer.y, 5 * 25);
  });

  it('flags the bars bound by the bottleneck', () => {
    const bars = laneGeometry(timeline, tenPixelsPerSecond, { laneHeight: 20, gap: 5 });
    // Only the weights-in bar is bound by weight streaming, the fixture's bottleneck.
    assert.deepEqual(
      bars.filter((b) => b.bottleneck).map((b) => b.bar.lane),
      ['weights-fwd'],
    );
  });

  it('keeps tiny bars visible and skips unknown lanes and bad times', () => {
    const odd = {
      bottleneck: timeline.bottleneck,
      bars: [
        { lane: 'forward' as const, start: 2, end: 2, label: 'instant' },
        { lane: 'nonsense' as never, start: 0, end: 1, label: 'x' },
        { lane: 'backward' as const, start: NaN, end: 1, label: 'nan' },
        { lane: 'gradients' as const, start: 5, end: 4, label: 'reversed' },
      ],
    };
    const bars = laneGeometry(odd, tenPixelsPerSecond, { laneHeight: 10, gap: 0, minWidth: 2 });
    assert.deepEqual(
      bars.map((b) => [b.bar.label, b.x, b.width]),
      [
        ['instant', 20, 2],
        ['reversed', 40, 10],
      ],
    );
  });

  it('culls bars outside the visible range', () => {
    const bars = laneGeometry(timeline, tenPixelsPerSecond, { laneHeight: 20, gap: 5, cull: [35, 200] });
    // Visible: 3.5 s .. 20 s, so only the backward (3..9 s) and optimizer (9..10 s) bars remain.
    assert.deepEqual(
      bars.map((b) => b.bar.lane),
      ['backward', 'optimizer'],
    );
  });

  it('spans the whole step', () => {
    assert.deepEqual(timelineExtent(timeline), [0, 10]);
    assert.deepEqual(timelineExtent({ stepSeconds: 4, bars: [{ lane: 'forward', start: 0, end: 6, label: '' }] }), [0, 6]);
    assert.deepEqual(timelineExtent({ stepSeconds: NaN, bars: [] }), [0, 1]);
  });

  it('puts time ticks at round values of the unit shown', () => {
    // Under two minutes: plain seconds.
    assert.deepEqual(timeTicks([0, 10], 5), [0, 2, 4, 6, 8, 10]);
    // 30 minutes: ticks every 5 minutes (in seconds), not every 200 s.
    assert.deepEqual(timeTicks([0, 1800], 6), [0, 300, 600, 900, 1200, 1500, 1800]);
    // 10 hours: every 2 hours.
    assert.deepEqual(timeTicks([0, 36000], 5), [0, 7200, 14400, 21600, 28800, 36000]);
    assert.deepEqual(timeTicks([NaN, 1], 5), []);
  });

  it('describes the scaling curve', () => {
    const curve = [
      { systems: 1, stepSeconds: 64, speedup: 1, efficiency: 1 },
      { systems: 16, stepSeconds: 4.2, speedup: 15.3, efficiency: 0.956 },
      { systems: 128, stepSeconds: 1.28, speedup: 50, efficiency: 0.39 },
    ];
    assert.equal(scalingText({ systems: 1, speedupVs1: 1, efficiency: 1, curve }), 'Speedups are relative to this 1-system run. Efficiency falls below 50% from 128 systems (50×).');
    assert.equal(
      scalingText({ systems: 16, speedupVs1: 15.3, efficiency: 0.956, curve: curve.slice(0, 2) }),
      '15.3× on 16 systems vs 1 (95.6% scaling efficiency).',
    );
  });

  it('says what the bottleneck is and describes bars', () => {
    assert.match(bottleneckText(timeline), /^Bottleneck: weight streaming/);
    const lines = barDetails(timeline.bars[1]);
    assert.deepEqual(lines, ['layer 0 forward', 'Forward', 'start 1 s, duration 2 s', 'bound by wafer compute']);
  });

  it('summarises the step', () => {
    const headline = timelineHeadline(timeline, 4);
    assert.equal(headline[0], '4 systems: step 10 s');
    assert.equal(headline[1], '4.1 k tokens/s');
    assert.equal(headline[2], 'MFU 42.0% of dense FP16 15 PFLOP/s per CS-3 (assumption)');
    // 86,400 s is one day, below the 2-day switch from hours to days.
    assert.equal(headline[3], '1 B tokens in 24 h');
  });

  it('offers powers of two up to 2,048 systems, plus the job when it is not one', () => {
    const powers = systemsOptions(16);
    assert.deepEqual(powers, [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048]);
    assert.deepEqual(systemsOptions(12).slice(3, 6), [8, 12, 16]);
    assert.equal(systemsOptions(5000).length, 12);
  });

  it('sorts the speedup curve and sizes a log domain that holds the published point', () => {
    const series = speedupSeries([
      { systems: 4, stepSeconds: 1, speedup: 3.9, efficiency: 0.975 },
      { systems: 1, stepSeconds: 4, speedup: 1, efficiency: 1 },
      { systems: 0, stepSeconds: 4, speedup: 0, efficiency: 0 },
    ]);
    assert.deepEqual(series.map((p) => p.systems), [1, 4]);
    // Up to 4 systems, but the published point is at 16: the domain reaches 16.
    assert.deepEqual(speedupDomain(series), [1, PUBLISHED_SCALING.systems]);
    assert.deepEqual(speedupDomain([{ systems: 2048, stepSeconds: 1, speedup: 1900, efficiency: 0.93 }]), [1, 2048]);
    assert.equal(PUBLISHED_SCALING.label, 'Sandia/Cerebras 1T: 16 CS-3 = 15.3x (published)');
  });
});

describe('webview systems selector note', () => {
  it('says when the selected count is above the cluster, and nothing otherwise', () => {
    const r = report();
    assert.equal(systemsNote(r.cluster.systems, r), '');
    assert.match(systemsNote(r.cluster.systems * 4, r), new RegExp(`has ${r.cluster.systems} systems; ${r.cluster.systems * 4} would need a larger one`));
    assert.equal(systemsNote(64, null), '');
  });
});

describe('webview scaling text explains a plateau', () => {
  it('names where the batch runs out of micro-batches per system', () => {
    const curve = [
      { systems: 1, stepSeconds: 100, speedup: 1, efficiency: 1, systemsUsed: 1 },
      { systems: 1024, stepSeconds: 1, speedup: 100, efficiency: 0.098, systemsUsed: 1024 },
      { systems: 2048, stepSeconds: 1, speedup: 100, efficiency: 0.049, systemsUsed: 1024 },
    ];
    const text = scalingText({ systems: 1, speedupVs1: 1, efficiency: 1, curve });
    assert.match(text, /flattens from 2,048 systems: the global batch leaves less than one micro-batch per system, so only 1,024 work/);
    assert.doesNotMatch(scalingText({ systems: 1, speedupVs1: 1, efficiency: 1, curve: curve.slice(0, 2) }), /flattens/);
  });
});
