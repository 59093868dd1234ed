import * as assert from 'node:assert/strict';
import { buildModelStructure } from '../../../language-server/core/model/structure';
import { layerWork, mapLayer, layerHeatmap, encodeHeatmap, type LayerMapping, type LayerWork, type PeRect } from '../../../language-server/core/sim/mapping';
import { heatmapArrays, heatmapForLayer, simulate } from '../../../language-server/core/sim/simulate';
import { cluster, gpt1t, gpt1tTraining, shipped, TB } from './fixtures';

const W = 762;
const H = 1172;
/** 48 KiB per PE (Cerebras: 48 KB per core). */
const SRAM_PER_PE = 48 * 1024;

function matmul(label: string, rows: number, cols: number): LayerWork {
  return { label, kind: 'matmul', rows, cols, copies: 1, activeCopies: 1, flopsPerToken: 2 * rows * cols, elements: rows * cols };
}

function overlaps(a: PeRect, b: PeRect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function inside(inner: PeRect, outer: PeRect): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

/** Regions inside the grid and pairwise disjoint (some kernels may have been left out). */
function assertPartitionOfPlaced(mapping: LayerMapping): void {
  const grid = { x: 0, y: 0, width: mapping.width, height: mapping.height };
  mapping.regions.forEach((region, i) => {
    assert.ok(inside(region.cell, grid) && inside(region, region.cell), region.label);
    for (let j = 0; j < i; j++) assert.ok(!overlaps(region.cell, mapping.regions[j].cell));
  });
}

/** Cells inside the grid, pairwise disjoint and tiling it; each box inside its cell; busy PEs the boxes. */
function assertPartition(mapping: LayerMapping, what: string): void {
  const grid = { x: 0, y: 0, width: mapping.width, height: mapping.height };
  let cellArea = 0;
  let boxArea = 0;
  mapping.regions.forEach((region, i) => {
    assert.ok(region.cell.width >= 1 && region.cell.height >= 1, `${what}: ${region.label} has an empty cell`);
    assert.ok(inside(region.cell, grid), `${what}: ${region.label} leaves the grid`);
    assert.ok(inside(region, region.cell), `${what}: ${region.label}'s tiles leave its cell`);
    assert.equal(region.pes, region.cell.width * region.cell.height);
    assert.equal(region.busyPes, region.width * region.height);
    for (let j = 0; j < i; j++) assert.ok(!overlaps(region.cell, mapping.regions[j].cell), `${what}: ${region.label} overlaps ${mapping.regions[j].label}`);
    cellArea += region.pes;
    boxArea += region.busyPes;
  });
  assert.equal(cellArea, mapping.totalPes, `${what}: the cells tile the grid`);
  assert.equal(boxArea, mapping.busyPes, `${what}: busy PEs are the tile boxes`);
}

describe('layer-to-wafer mapping', () => {
  const structure = buildModelStructure(gpt1t);
  const decoder = structure.layers[1];
  const work = layerWork(decoder, gpt1t, 2048);
  const mapping = mapLayer(work, W, H);

  it('lists the matmuls of a GPT layer in forward order, attention between QKV and the projection', () => {
    assert.deepEqual(
      work.map((w) => w.label),
      ['qkv_proj', 'attention (scores, values)', 'o_proj', 'mlp.up', 'mlp.down'],
    );
    // Causal attention per token: QK^T and AV, each 2 x (s/2) x a x d.
    assert.equal(work[1].flopsPerToken, 2 * 2 * (2048 / 2) * 25600);
    assert.equal(work[0].flopsPerToken, 2 * 25600 * 76800);
  });

  it('partitions the grid into one rectangle per kernel, in forward order, none overlapping', () => {
    assertPartition(mapping, '1T decoder');
    assert.deepEqual(
      mapping.regions.map((r) => r.label.replace(' (transposed)', '')),
      work.map((w) => w.label),
    );
    // A layout, not strips: some kernel neither spans the grid's height nor its width.
    assert.ok(mapping.regions.some((r) => r.cell.height < H && r.cell.width < W));
    for (const config of shipped) {
      const layers = buildModelStructure(config.model).layers;
      for (const layer of [layers[0], layers[1], layers[layers.length - 1]]) {
        const seq = config.training.sequenceLength ?? 2048;
        for (const [w, h] of [
          [W, H],
          [757, 996],
        ]) {
          assertPartition(mapLayer(layerWork(layer, config.model, seq), w, h), `${config.file} ${layer.name} on ${w}x${h}`);
        }
      }
    }
  });

  it('stays a partition on odd and tiny grids, merging kernels when there are fewer PEs than kernels', () => {
    for (const [w, h] of [
      [1, 1],
      [2, 3],
      [5, 1],
      [1, 7],
      [13, 7],
      [3, 1000],
    ]) {
      const small = mapLayer(work, w, h);
      assertPartition(small, `${w}x${h}`);
      // Every FLOP is placed somewhere.
      assert.ok(Math.abs(small.regions.reduce((s, r) => s + r.flopsPerToken, 0) - mapping.flopsPerToken) <= 1e-9 * mapping.flopsPerToken);
      assert.equal(small.regions.length, Math.min(work.length, w * h));
    }
    assert.equal(mapLayer(work, 1, 1).regions[0].label, 'qkv_proj + attention (scores, values) + o_proj + mlp.up + mlp.down');
    assert.deepEqual(mapLayer([], W, H).regions, []);
  });

  it('never throws or hangs on absurd work: huge, empty or non-finite matrices', () => {
    const absurd: LayerWork[] = [
      matmul('huge', 1e12, 1e12),
      matmul('empty', 0, 4096),
      { ...matmul('nan', 10, 10), flopsPerToken: NaN, elements: NaN },
      { ...matmul('infinite', 10, 10), flopsPerToken: Infinity },
      { label: 'lookup', kind: 'lookup', rows: 5e9, cols: 3, copies: 1, activeCopies: 0, flopsPerToken: 0, elements: 1.5e10 },
      matmul('small', 3, 5),
    ];
    for (let n = 1; n <= absurd.length; n++) {
      const result = mapLayer(absurd.slice(0, n), W, H);
      assertPartitionOfPlaced(result);
      assert.doesNotThrow(() => layerHeatmap(result, { weightElementBytes: 2, sharedBytes: 1e9, workspacePerPeBytes: 4096, checkpointBytes: 0 }, SRAM_PER_PE));
    }
  });

  it('gives a kernel PEs in proportion to its work: 2x the matrix, 2x the PEs', () => {
    // Two independent kernels; the second matrix has twice the rows, so twice the FLOPs.
    const pair = mapLayer([matmul('a', 25600, 25600), matmul('b', 51200, 25600)], W, H);
    const ratio = pair.regions[1].pes / pair.regions[0].pes;
    assert.ok(Math.abs(ratio - 2) < 0.04, `PE ratio ${ratio}`);
    // In the 1T layer mlp.up has 4x the FLOPs of o_proj (4h x h vs h x h).
    const up = mapping.regions.find((r) => r.label.startsWith('mlp.up'))!;
    const o = mapping.regions.find((r) => r.label.startsWith('o_proj'))!;
    assert.ok(Math.abs(up.pes / o.pes - 4) < 0.1, `PE ratio ${up.pes / o.pes}`);
  });

  it('tiles cover each matrix exactly once, one per PE of the box, partial tiles only in the last row and column', () => {
    for (const region of mapping.regions) {
      if (region.tiling !== 'matrix') continue;
      assert.equal(region.rows * region.cols, region.elements, region.label);
      assert.equal(region.lastRows, region.rows - region.blockRows * (region.tileRows - 1));
      assert.equal(region.lastCols, region.cols - region.blockCols * (region.tileCols - 1));
      assert.ok(region.lastRows >= 1 && region.lastRows <= region.blockRows && region.lastCols >= 1 && region.lastCols <= region.blockCols);
      const covered =
        (region.tileRows - 1) * (region.tileCols - 1) * region.blockRows * region.blockCols +
        (region.tileRows - 1) * region.blockRows * region.lastCols +
        (region.tileCols - 1) * region.blockCols * region.lastRows +
        region.lastRows * region.lastCols;
      assert.equal(covered, region.rows * region.cols, region.label);
      // Row-major over the box is the geometric tile grid (the protocol's tile k = PE k).
      assert.equal(region.width, region.tileCols);
      assert.equal(region.height, region.tileRows);
    }
  });

  it('cuts a matrix into equal blocks of ceil(dimension / PEs) in the orientation with the smaller block', () => {
    for (const region of mapping.regions) {
      if (region.tiling !== 'matrix') continue;
      // Recomputed from the cell: rows along its height (or, transposed, along its width).
      const [r, c] = region.transposed ? [region.cols, region.rows] : [region.rows, region.cols];
      const block = (size: number, pes: number) => Math.ceil(size / Math.min(size, pes));
      const upright = block(r, region.cell.height) * block(c, region.cell.width);
      const turned = block(c, region.cell.height) * block(r, region.cell.width);
      assert.equal(region.blockRows * region.blockCols, Math.min(upright, turned), region.label);
      assert.equal(region.label.endsWith('(transposed)'), region.transposed);
    }
  });

  it('keeps the 1T layer within 2 % of an even split of its FLOPs; a small layer leaves more idle', () => {
    // An even split: 2 x 12h^2 + attention FLOPs over all 893,064 PEs.
    const even = mapping.flopsPerToken / (W * H);
    assert.ok(mapping.maxPeFlopsPerToken >= even && mapping.maxPeFlopsPerToken < 1.02 * even, `${mapping.maxPeFlopsPerToken / even}`);
    assert.ok(mapping.computeUtilization > 0.98 && mapping.computeUtilization <= 1);
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
    const region = mapLayer(layerWork(moe, mixtral, 4096), W, H).regions.find((r) => r.label.startsWith('experts.up'))!;
    assert.equal(region.rows * region.cols, 4096 * 14336 * 8);
  });
});

describe('per-PE heatmap of one layer', () => {
  const structure = buildModelStructure(gpt1t);
  const input = { model: gpt1t, structure, training: gpt1tTraining, cluster: cluster(16, 55 * TB) };
  const xl = shipped.find((c) => c.file === 'gpt3__params_gpt3_xl.yaml')!;
  const xlInput = { model: xl.model, structure: buildModelStructure(xl.model), training: xl.training, cluster: cluster(1, 1.5 * TB) };

  it('counts as busy exactly the PEs that compute; busy + idle = the grid', () => {
    for (const [name, source, layer] of [
      ['1T embedding', input, 0],
      ['1T decoder', input, 1],
      ['1T head', input, 129],
      ['XL decoder', xlInput, 1],
    ] as const) {
      const { heatmap } = heatmapArrays(source, layer)!;
      let computing = 0;
      for (let i = 0; i < heatmap.utilization.length; i++) if (heatmap.utilization[i] > 0) computing++;
      assert.equal(heatmap.summary.busyPes, computing, name);
      const idle = Math.round(heatmap.summary.idleFraction * heatmap.summary.totalPes);
      assert.equal(heatmap.summary.busyPes + idle, W * H, name);
      assert.equal(heatmap.regions.reduce((s, r) => s + r.width * r.height, 0), heatmap.summary.busyPes, name);
    }
  });

  it('draws the 1T decoder as a picture: several utilization levels, idle leftovers, partial edge tiles', () => {
    const { heatmap } = heatmapArrays(input, 1)!;
    const levels = new Set<number>();
    let idle = 0;
    for (let i = 0; i < heatmap.utilization.length; i++) {
      if (heatmap.utilization[i] > 0) levels.add(heatmap.utilization[i]);
      else idle++;
    }
    assert.ok(levels.size >= 5, `${levels.size} utilization levels`);
    assert.ok(idle > 0 && idle < heatmap.utilization.length / 100, `${idle} idle PEs`);
  });

  it('is stream-bound for the 1T decoder at the simulated micro-batch: every PE waits, the busiest at compute / stream', () => {
    const micro = simulate(input).training.microBatchSize;
    const tokens = micro * 2048;
    const { heatmap } = heatmapArrays(input, 1)!;
    let max = 0;
    for (let i = 0; i < heatmap.utilization.length; i++) max = Math.max(max, heatmap.utilization[i]);
    // Decoder 0's weights (2 B x (12h^2 + 13h)) stream at 150 GB/s. Its stream starts when the
    // embedding's ends, and so does its compute (the embedding has no FLOPs), so its forward bar
    // lasts max(compute, stream). Compute: the busiest PE's FLOPs (2 x its tile, the largest
    // block over the kernels) per token at 15 PFLOP/s spread over 762 x 1172 PEs.
    const h = 25600;
    const stream = (2 * (12 * h * h + 13 * h)) / 150e9;
    const busiest = Math.max(...mapping1t().regions.filter((r) => r.tiling === 'matrix').map((r) => 2 * r.blockRows * r.blockCols));
    const compute = (tokens * busiest * W * H) / 15e15;
    assert.ok(compute < stream, `compute ${compute} s, stream ${stream} s`);
    assert.ok(Math.abs(max - compute / stream) < 1e-6, `${max} vs ${compute / stream}`);
    // An even split of 2 x 12h^2 FLOPs per token would compute for 24h^2 x tokens / 15e15.
    const even = (24 * h * h * tokens) / 15e15 / stream;
    assert.ok(max >= even && max < even * 1.02 && max < 1, `${max} vs even ${even}`);
  });

  function mapping1t(): LayerMapping {
    return mapLayer(layerWork(structure.layers[1], gpt1t, 2048), W, H);
  }

  it('scales by compute / wall time: the critical kernel at 1 when compute-bound, every PE waiting when stream-bound', () => {
    const pair = mapLayer([matmul('a', 30, 40), matmul('b', 64, 40)], 20, 10);
    const memory = { weightElementBytes: 2, sharedBytes: 0, workspacePerPeBytes: 0, checkpointBytes: 0 };
    const max = (u: Float32Array) => u.reduce((m, v) => Math.max(m, v), 0);
    const bound = layerHeatmap(pair, memory, SRAM_PER_PE, { computeSeconds: 68, wallSeconds: 68, tokens: 1, lookupSecondsPerElement: 0 });
    assert.ok(Math.abs(max(bound.utilization) - 1) < 1e-6);
    const streamed = layerHeatmap(pair, memory, SRAM_PER_PE, { computeSeconds: 68, wallSeconds: 105, tokens: 1, lookupSecondsPerElement: 0 });
    assert.ok(Math.abs(max(streamed.utilization) - 68 / 105) < 1e-6);
    for (let i = 0; i < bound.utilization.length; i++) assert.ok(Math.abs(streamed.utilization[i] - (bound.utilization[i] * 68) / 105) < 1e-6);
    // The kernel whose full tiles are not the busiest waits below 1 even when compute-bound.
    const waiting = pair.regions.find((r) => r.maxPeFlopsPerToken < pair.maxPeFlopsPerToken);
    assert.ok(waiting, 'the two kernels are not perfectly balanced on 200 PEs');
    assert.ok(bound.utilization[waiting.y * 20 + waiting.x] < 1);
  });

  it('gives partial edge tiles fewer bytes and less compute than full tiles', () => {
    const { heatmap } = heatmapArrays(xlInput, 1)!;
    const mapping = mapLayer(layerWork(xlInput.structure.layers[1], xl.model, 2048), W, H);
    let checked = 0;
    for (const region of mapping.regions) {
      if (region.tiling !== 'matrix' || (region.lastRows === region.blockRows && region.lastCols === region.blockCols)) continue;
      const full = region.y * W + region.x;
      const corner = (region.y + region.height - 1) * W + region.x + region.width - 1;
      const missing = region.blockRows * region.blockCols - region.lastRows * region.lastCols;
      // 2 B per missing element (bf16 weights); nothing else differs between the two PEs.
      assert.ok(Math.abs(heatmap.occupancyBytes[full] - heatmap.occupancyBytes[corner] - 2 * missing) < 0.05, region.label);
      const fraction = (region.lastRows * region.lastCols) / (region.blockRows * region.blockCols);
      assert.ok(Math.abs(heatmap.utilization[corner] - heatmap.utilization[full] * fraction) < 1e-6, region.label);
      checked++;
    }
    assert.ok(checked > 0, 'GPT-3 XL has partial tiles');
  });

  it('never puts more than 48 KiB on a PE in the shipped configs that fit', () => {
    for (const config of [...shipped.map((c) => ({ file: c.file, input: { model: c.model, structure: buildModelStructure(c.model), training: c.training, cluster: cluster(c.systems, 1.2e15, c.system) } })), { file: '1T', input }]) {
      if (!simulate(config.input).wafer.fits) continue;
      const count = config.input.structure.layers.length;
      for (const layer of [0, 1, count - 1]) {
        const { heatmap } = heatmapArrays(config.input, layer)!;
        let fullest = 0;
        for (let i = 0; i < heatmap.occupancyBytes.length; i++) fullest = Math.max(fullest, heatmap.occupancyBytes[i]);
        assert.ok(fullest <= SRAM_PER_PE, `${config.file} layer ${layer}: ${fullest} B`);
      }
    }
  });

  it('moves activations that would overflow a PE to PEs with room, keeping the total', () => {
    // A 2 x 3 matrix on 2 x 2 PEs: blocks 1 x 2, so tiles of 2, 1, 2, 1 elements at 10 B. 40 B of
    // activations add 10 B each: 30, 20, 30, 20 against 25 B per PE. The 5 B over on each full PE
    // go to the two half-full ones, which have exactly 5 B of room each.
    const small = mapLayer([matmul('m', 2, 3)], 2, 2);
    const heatmap = layerHeatmap(small, { weightElementBytes: 10, sharedBytes: 40, workspacePerPeBytes: 0, checkpointBytes: 0 }, 25);
    assert.deepEqual([...heatmap.occupancyBytes], [25, 25, 25, 25]);
    assert.equal(heatmap.summary.sramUsedBytes, 100);
  });

  it('shows the embedding lookups as nearly idle: the tables stream in far longer than rows take to send', () => {
    const { heatmap } = heatmapArrays(input, 0)!;
    let max = 0;
    for (let i = 0; i < heatmap.utilization.length; i++) max = Math.max(max, heatmap.utilization[i]);
    assert.ok(max > 0 && max < 0.01, `${max}`);
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

  it('encodes Uint16 occupancy fractions and Uint8 utilization as run-length base64, clamped at a full PE', () => {
    const mapping = mapLayer([{ label: 'm', kind: 'matmul', rows: 4, cols: 4, copies: 1, activeCopies: 1, flopsPerToken: 32, elements: 16 }], 2, 2);
    const heatmap = layerHeatmap(mapping, { weightElementBytes: 2, sharedBytes: 0, workspacePerPeBytes: 0, checkpointBytes: 0 }, 8);
    // 4 PEs each hold a 2 x 2 tile at 2 B = 8 B: exactly full.
    assert.deepEqual([...heatmap.occupancyBytes], [8, 8, 8, 8]);
    const payload = encodeHeatmap(heatmap, { uri: 'u', layer: 0, layerName: 'x', layerCount: 1, sramPerPeBytes: 16, dies: { columns: 1, rows: 1, assumption: true } });
    // Run-length coded: little-endian Uint32 pairs [count, value]; 4 equal PEs are one run.
    const occupancy = Buffer.from(payload.occupancy, 'base64');
    const utilization = Buffer.from(payload.utilization, 'base64');
    assert.equal(occupancy.length, 8);
    assert.deepEqual([occupancy.readUInt32LE(0), occupancy.readUInt32LE(4)], [4, Math.round(0.5 * 65535)]);
    assert.deepEqual([utilization.readUInt32LE(0), utilization.readUInt32LE(4)], [4, 255]);
    const full = encodeHeatmap(heatmap, { uri: 'u', layer: 0, layerName: 'x', layerCount: 1, sramPerPeBytes: 4, dies: { columns: 1, rows: 1, assumption: true } });
    assert.equal(Buffer.from(full.occupancy, 'base64').readUInt32LE(4), 65535);
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
    const runs = Buffer.from(payload.utilization, 'base64');
    let covered = 0;
    for (let i = 0; i < runs.length; i += 8) covered += runs.readUInt32LE(i);
    assert.equal(covered, W * H, 'the runs cover every PE');
    // The payload's regions are exactly the fields of the protocol, nothing more.
    assert.deepEqual(Object.keys(payload.regions[0]).sort(), ['cols', 'height', 'label', 'rows', 'tileCols', 'tileRows', 'width', 'x', 'y']);
  });

  it('reuses the mapping of the same work on the same grid (it is cached, not recomputed)', () => {
    const decoderLayer = structure.layers[1];
    const a = mapLayer(layerWork(decoderLayer, gpt1t, 2048), W, H);
    assert.equal(mapLayer(layerWork(decoderLayer, gpt1t, 2048), W, H), a);
    assert.notEqual(mapLayer(layerWork(decoderLayer, gpt1t, 4096), W, H), a);
    assert.notEqual(mapLayer(layerWork(decoderLayer, gpt1t, 2048), 757, 996), a);
  });
});
