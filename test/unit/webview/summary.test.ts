import * as assert from '../plainAssert';
import {
  capacityCaption,
  checkpointsOnWafer,
  constantValueText,
  heatmapSummaryText,
  peakLayer,
  layerLabel,
  memoryxSegments,
  sortedConstants,
  sortedDiagnostics,
  summaryRows,
  typicalDecoderLayer,
  waferPeakBytes,
  waferSegments,
} from '../../../webview/viewModel';
import { layer, report } from './reportFixture';

describe('webview summaries', () => {
  it('summarises a heatmap in one line', () => {
    // Half the PEs busy, half the SRAM used, the other half idle.
    const text = heatmapSummaryText({ busyPes: 446532, totalPes: 893064, sramUsedBytes: 22e9, sramTotalBytes: 44e9, idleFraction: 0.5 });
    assert.equal(text, 'PEs busy 446,532 of 893,064 (50.0%) · SRAM used 22 GB of 44 GB (50.0%) · idle area 50.0%');
    // Zero totals do not divide by zero.
    assert.doesNotMatch(heatmapSummaryText({ busyPes: 0, totalPes: 0, sramUsedBytes: 0, sramTotalBytes: 0, idleFraction: 1 }), /NaN/);
  });

  it('labels layers from 1', () => {
    assert.equal(layerLabel(0, 138, 'embedding'), 'Layer 1 / 138: embedding');
    assert.equal(layerLabel(4, 5, undefined), 'Layer 5 / 5');
  });

  it('stacks MemoryX and layer memory in order, each segment starting where the last ended', () => {
    const mx = memoryxSegments(report().memoryx!);
    assert.deepEqual(
      mx.map((s) => [s.key, s.start, s.bytes]),
      [
        ['weights', 0, 2e12],
        ['gradients', 2e12, 2e12],
        ['master', 4e12, 4e12],
        ['optimizer', 8e12, 8e12],
      ],
    );
    const w = waferSegments(layer(1, 'decoder 0', 100));
    // 40/40/15/5 split of 100 bytes (see the fixture).
    assert.deepEqual(w.map((s) => s.start), [0, 40, 80, 95]);
    // Negative or NaN parts count as nothing rather than pulling the stack backwards.
    const odd = waferSegments({ ...layer(1, 'x', 100), activationBytes: NaN, workspaceBytes: -5 });
    assert.deepEqual(odd.map((s) => s.bytes), [40, 40, 0, 0]);
  });

  it('adds the checkpoints to every layer when they stay on the wafer', () => {
    const wafer = report().wafer!;
    // The fixture keeps 1 GB of checkpoints on the wafer: a 100-byte layer stacks them last.
    const segments = waferSegments(layer(1, 'decoder 0', 100), checkpointsOnWafer(wafer));
    assert.deepEqual(segments.map((s) => [s.key, s.start]).slice(-1), [['checkpoints', 100]]);
    assert.equal(checkpointsOnWafer({ ...wafer, checkpoints: { bytes: 1e9, location: 'activation-servers' } }), 0);
    // Largest working set 31 GB + 1 GB of checkpoints, when the report gives no peak of its own.
    assert.equal(waferPeakBytes(wafer), 32e9);
    assert.equal(waferPeakBytes({ ...wafer, peakBytes: 40e9 }), 40e9);
  });

  it('picks the peak working-set layer and a typical decoder layer', () => {
    const wafer = report().wafer!;
    // Working sets 30, 31, 29 GB for decoders 0..2: decoder 1 peaks.
    assert.equal(peakLayer(wafer)?.name, 'decoder 1');
    // Decoder working sets 30, 31, 29 GB: the median is 30 GB, decoder 0.
    assert.equal(typicalDecoderLayer(wafer)?.name, 'decoder 0');
    // The layer with the most parameters does not matter here: SRAM is decided by the working set.
    assert.equal(peakLayer({ ...wafer, largestLayer: { index: 0, name: 'embedding', parameters: 1e12, bytes: 0 } })?.name, 'decoder 1');
    assert.equal(typicalDecoderLayer({ ...wafer, layers: [] }), undefined);
  });

  it('captions a capacity comparison', () => {
    assert.equal(capacityCaption(16e12, 55e12, 'MemoryX capacity'), '16 TB needed · MemoryX capacity 55 TB · fits (29% used)');
    // 110 TB against 55 TB is twice the capacity.
    assert.equal(capacityCaption(110e12, 55e12, 'MemoryX capacity'), '110 TB needed · MemoryX capacity 55 TB · does not fit (2x over)');
  });

  it('lists the report as table rows, flagging what does not fit', () => {
    const rows = summaryRows(report());
    const value = (label: string) => rows.find((r) => r.label === label)?.value;
    assert.equal(value('Parameters'), '1,000,000,000,000 (1 T)');
    assert.equal(value('Required'), '16 TB of 55 TB (29.1%), 16.0 bytes/parameter');
    assert.equal(value('Capacity'), '55 TB');
    // The wafer occupancy (32 GB at decoder 1 in the fixture) against 44 GB.
    assert.equal(value('Occupancy'), '32 GB of 44 GB SRAM (72.7%)');
    assert.equal(value('Peak layer'), 'decoder 1');
    assert.equal(value('Largest micro-batch that fits'), '12');
    assert.equal(value('Recommended micro-batch'), '8 (keeps 10% headroom)');
    assert.equal(value('Step time'), '10 s');
    // The peak's name carries its value and "(assumption)" once.
    assert.equal(value('MFU'), '42.0% of dense FP16 15 PFLOP/s per CS-3 (assumption)');
    // The fixture is a 1 T model of another shape: the Sandia point is not its reference.
    assert.equal(value('Published reference'), undefined);
    const sandia = report();
    sandia.model = { ...sandia.model!, layers: 128, hiddenSize: 25600, parameters: 1008038758400 };
    assert.equal(summaryRows(sandia).find((r) => r.label === 'Published reference')?.value, 'Sandia/Cerebras 1T: 16 CS-3 = 15.3x (published)');
    assert.ok(rows.every((r) => !r.problem));

    const misfit = report();
    misfit.memoryx = { ...misfit.memoryx!, fits: false };
    const fitsRow = summaryRows(misfit).find((r) => r.section === 'MemoryX' && r.label === 'Fits');
    assert.deepEqual([fitsRow?.value, fitsRow?.problem], ['no', true]);

    // A cluster file's report: no model, no training, only the cluster rows.
    const bare = summaryRows(report({ model: null, training: undefined, memoryx: undefined, wafer: undefined, timeline: undefined, scaling: undefined }));
    assert.deepEqual(bare.map((r) => r.label), ['Cluster', 'Systems', 'From']);
    assert.equal(bare[1].value, '16 × CS-3, MemoryX 55 TB');

    // A 1-system job is the baseline of its own curve: the row quotes the 16-system point if any.
    const single = report();
    single.scaling = { systems: 1, speedupVs1: 1, efficiency: 1, curve: [{ systems: 16, stepSeconds: 1, speedup: 15.28, efficiency: 0.955 }] };
    assert.equal(summaryRows(single).find((r) => r.label === 'Speedup vs 1 system')?.value, '1 system is the baseline; 15.3× on 16 (95.5% efficiency)');
  });

  it('lists nothing, without throwing, for a report missing its parts', () => {
    const empty = { file: 'x', format: 'unknown', model: null } as unknown as Parameters<typeof summaryRows>[0];
    assert.deepEqual(summaryRows(empty), []);
    assert.deepEqual(sortedDiagnostics(empty), []);
    assert.deepEqual(sortedConstants(undefined), []);
  });

  it('orders diagnostics by severity and constants with assumptions first', () => {
    assert.deepEqual(sortedDiagnostics(report()).map((d) => d.severity), ['error', 'warning', 'hint']);
    assert.deepEqual(sortedConstants(report().constants).map((c) => c.name), ['denseFp16Peak', 'sramPerPe']);
  });

  it('shows constants in their units', () => {
    assert.equal(constantValueText({ name: 'a', value: 49152, unit: 'bytes', source: '', assumption: false }), '48 KiB');
    assert.equal(constantValueText({ name: 'b', value: 15e15, unit: 'FLOP/s', source: '', assumption: true }), '15 PFLOP/s');
    assert.equal(constantValueText({ name: 'c', value: 1.1e9, unit: 'Hz', source: '', assumption: true }), '1.1 GHz');
    assert.equal(constantValueText({ name: 'd', value: 0.5, unit: '', source: '', assumption: false }), '0.5');
    assert.equal(constantValueText({ name: 'e', value: 893064, unit: 'PEs', source: '', assumption: false }), '893,064 PEs');
    assert.equal(constantValueText({ name: 'f', value: 2.5e13, unit: 'FLOP', source: '', assumption: false }), '2.5e13 FLOP');
    assert.equal(constantValueText({ name: 'g', value: 150e9, unit: 'B/s', source: '', assumption: false }), '150 GB/s');
    assert.equal(constantValueText({ name: 'g2', value: 90e9, unit: 'B/s per TB', source: '', assumption: true }), '90 GB/s per TB');
    assert.equal(constantValueText({ name: 'g3', value: 4096, unit: 'B', source: '', assumption: true }), '4 KiB');
    assert.equal(constantValueText({ name: 'g4', value: 50, unit: 'B/param', source: '', assumption: false }), '50 B/param');
    assert.equal(constantValueText({ name: 'g5', value: 1e-4, unit: 's', source: '', assumption: true }), '100 µs');
    assert.equal(constantValueText({ name: 'h', value: NaN, unit: 'x', source: '', assumption: false }), '– x');
  });
});
