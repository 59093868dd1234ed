import * as assert from 'node:assert/strict';
import { buildModelStructure } from '../../../language-server/core/model/structure';
import { layerWork, mapLayer, layerHeatmap, encodeHeatmap } from '../../../language-server/core/sim/mapping';
import { heatmapArrays, heatmapForLayer, simulate } from '../../../language-server/core/sim/simulate';
import { cluster, gpt1t, gpt1tTraining, shipped, TB } from './fixtures';

const W = 762;
const H = 1172;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

describe('layer-to-wafer mapping', () => {
  const structure = buildModelStructure(gpt1t);
  const decoder = structure.layers[1];
  const work = layerWork(decoder, gpt1t, 2048);
  const mapping = mapLayer(work, W, H);

  it('lists the matmuls of a GPT layer in forward order, attention between QKV and the projection', () => {
    assert.deepEqual(work.map((w) => w.label), ['qkv_proj', 'attention (scores, values)', 'o_proj', 'mlp.up', 'mlp.down']);
    // Causal attention per token: QK^T and AV, each 2 x (s/2) x a x d.
    assert.equal(work[1].flopsPerToken, 2 * 2 * (2048 / 2) * 25600);
    assert.equal(work[0].flopsPerToken, 2 * 25600 * 76800);
  });

  it('gives each matmul a strip inside the grid, strips not overlapping, widths in proportion to FLOPs', () => {
    let x = 0;
    for (const region of mapping.regions) {
      assert.equal(region.x, x, 'strips are laid side by side');
      assert.ok(region.width >= 1 && region.x + region.width <= W && region.height === H);
      assert.ok(region.tileRows * region.tileCols <= region.width * region.height);
      x += region.width;
    }
    const up = mapping.regions.find((r) => r.label === 'mlp.up')!;
    const o = mapping.regions.find((r) => r.label === 'o_proj')!;
    // mlp.up has 4x the FLOPs of o_proj: its strip is 4x as wide, to within rounding.
    assert.ok(Math.abs(up.width / o.width - 4) < 0.1);
  });

  it('tiles cover each matrix exactly once', () => {
    for (const region of mapping.regions) {
      if (region.label.startsWith('attention')) continue;
      const lastRows = region.rows - region.blockRows * (region.tileRows - 1);
      const lastCols = region.cols - region.blockCols * (region.tileCols - 1);
      const covered =
        (region.tileRows - 1) * (region.tileCols - 1) * region.blockRows * region.blockCols +
        (region.tileRows - 1) * region.blockRows * lastCols +
        (region.tileCols - 1) * region.blockCols * lastRows +
        lastRows * lastCols;
      assert.equal(covered, region.rows * region.cols, region.label);
      assert.ok(lastRows >= 1 && lastCols >= 1);
    }
  });

  it('a big layer uses nearly every PE; a small one leaves more idle', () => {
    assert.ok(mapping.computeUtilization > 0.9 && mapping.computeUtilization <= 1, `1T utilization ${mapping.computeUtilization}`);
    const tiny = mapLayer(layerWork(buildModelStructure({ ...gpt1t, hiddenSize: 256, numHeads: 4, headDim: 64, ffnSize: 1024 }).layers[1], gpt1t, 2048), W, H);
    assert.ok(tiny.busyPes < tiny.totalPes);
    assert.ok(tiny.computeUtilization < mapping.computeUtilization);
  });

  it('routed experts sit side by side and hold all copies, but compute only top-k of them per token', () => {
    const mixtral = shipped.find((c) => c.file.startsWith('mixtral'))!.model;
    const moe = buildModelStructure(mixtral).layers[1];
    const experts = layerWork(moe, mixtral, 4096).find((w) => w.label === 'experts.up')!;
    assert.equal(experts.elements, 4096 * 14336 * 8);
    assert.equal(experts.flopsPerToken, 2 * 4096 * 14336 * 2);
  });
});

describe('per-PE heatmap of one layer', () => {
  const structure = buildModelStructure(gpt1t);
  const input = { model: gpt1t, structure, training: gpt1tTraining, cluster: cluster(16, 55 * TB) };

  it('builds the 893,064-PE arrays of one layer in under 50 ms (median of 7)', () => {
    heatmapArrays(input, 1);
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const start = performance.now();
      const result = heatmapArrays(input, 1 + (i % 3))!;
      times.push(performance.now() - start);
      assert.equal(result.heatmap.occupancyBytes.length, W * H);
    }
    assert.ok(median(times) < 50, `median ${median(times).toFixed(1)} ms`);
  });

  it('is non-uniform: matrices with different tiles, fuller and emptier PEs, idle PEs at the edge', () => {
    const { heatmap } = heatmapArrays(input, 1)!;
    const occupancy = new Set<number>();
    let idle = 0;
    for (let i = 0; i < heatmap.occupancyBytes.length; i++) {
      if (occupancy.size < 64) occupancy.add(Math.round(heatmap.occupancyBytes[i]));
      if (heatmap.utilization[i] === 0) idle++;
    }
    assert.ok(occupancy.size >= 5, `${occupancy.size} distinct occupancies`);
    assert.ok(idle > 0 && idle < heatmap.occupancyBytes.length / 10);
    // The rightmost column is beyond the last strip (rounding leftover) or a remainder tile.
    const lastRegion = heatmap.regions[heatmap.regions.length - 1];
    assert.ok(lastRegion.x + lastRegion.width <= W);
  });

  it('adds up to the working set the wafer model reports (weights + buffers + activations + workspace)', () => {
    const { heatmap } = heatmapArrays(input, 1)!;
    const simulated = heatmapArrays(input, 1)!;
    assert.equal(simulated.layerName, 'decoder 0');
    let sum = 0;
    for (let i = 0; i < heatmap.occupancyBytes.length; i++) sum += heatmap.occupancyBytes[i];
    assert.ok(Math.abs(sum - heatmap.summary.sramUsedBytes) / sum < 1e-6, 'the summary is the sum of the per-PE bytes');
    // The 1T checkpoints live on the activation servers, so the picture is the working set alone.
    // 2 B x (12h^2 + 13h) weights, 4 slices of 2 x 25600 x 2048 B, 4 KiB x PEs, (12h + 6 x 2048) B x micro-batch x 2048 tokens.
    const h = 25600;
    const tokens = simulate(input).training.microBatchSize * 2048;
    const expected = 2 * (12 * h * h + 13 * h) + 4 * 2 * h * 2048 + 4096 * W * H + (12 * h + 6 * 2048) * tokens;
    assert.ok(Math.abs(sum - expected) / expected < 1e-6, `${sum} vs ${expected}`);
  });

  it('encodes Uint16 occupancy fractions and Uint8 utilization as base64, clamped at a full PE', () => {
    const mapping = mapLayer([{ label: 'm', kind: 'matmul', rows: 4, cols: 4, copies: 1, activeCopies: 1, flopsPerToken: 32, elements: 16 }], 2, 2);
    const heatmap = layerHeatmap(mapping, { weightElementBytes: 2, sharedBytes: 0, workspacePerPeBytes: 0, checkpointBytes: 0 }, 8);
    // 4 PEs each hold a 2 x 2 tile at 2 B = 8 B: exactly full.
    assert.deepEqual([...heatmap.occupancyBytes], [8, 8, 8, 8]);
    const payload = encodeHeatmap(heatmap, { uri: 'u', layer: 0, layerName: 'x', layerCount: 1, sramPerPeBytes: 16, dies: { columns: 1, rows: 1, assumption: true } });
    const occupancy = Buffer.from(payload.occupancy, 'base64');
    const utilization = Buffer.from(payload.utilization, 'base64');
    assert.equal(occupancy.length, 8);
    assert.equal(occupancy.readUInt16LE(0), Math.round(0.5 * 65535));
    assert.deepEqual([...utilization], [255, 255, 255, 255]);
    const full = encodeHeatmap(heatmap, { uri: 'u', layer: 0, layerName: 'x', layerCount: 1, sramPerPeBytes: 4, dies: { columns: 1, rows: 1, assumption: true } });
    assert.equal(Buffer.from(full.occupancy, 'base64').readUInt16LE(6), 65535);
  });

  it('serves the protocol payload for a layer, clamping an out-of-range index', () => {
    const payload = heatmapForLayer(input, { uri: 'file:///x.yaml', layer: 9999 })!;
    assert.equal(payload.layer, 129);
    assert.equal(payload.layerName, 'final norm + LM head');
    assert.equal(payload.layerCount, 130);
    assert.equal(payload.width, W);
    assert.equal(payload.height, H);
    assert.equal(payload.dies.columns * payload.dies.rows, 84);
    assert.equal(payload.dies.assumption, true);
    assert.equal(Buffer.from(payload.utilization, 'base64').length, W * H);
  });
});
