import * as assert from '../plainAssert';
import type { HeatmapRegion } from '../../../protocol/index';
import {
  buildRegionIndex,
  decodeHeatmap,
  dieBoundaries,
  fitTransform,
  hitTest,
  peAt,
  peDetails,
  visibleSource,
} from '../../../webview/viewModel';
import { payload } from './reportFixture';

function region(x: number, y: number, width: number, height: number, label: string, tileRows = height, tileCols = width, rows = 1000, cols = 1000): HeatmapRegion {
  return { x, y, width, height, label, tileRows, tileCols, rows, cols };
}

describe('webview heatmap geometry', () => {
  it('fits the WSE-3 grid into a canvas, centred', () => {
    const t = fitTransform(800, 600, 762, 1172, 8);
    // Height limits: (600 - 16) / 1172 PEs per pixel; width would allow (800 - 16) / 762.
    assert.equal(t.k, 584 / 1172);
    assert.equal(t.y, 8);
    assert.equal(t.x, (800 - 762 * t.k) / 2);
  });

  it('finds the PE under a point, and nothing outside the grid', () => {
    const t = { k: 4, x: 10, y: 20 };
    assert.deepEqual(peAt(t, 10, 20, 100, 50), { x: 0, y: 0 });
    // (10 + 4 * 7 + 3, 20 + 4 * 2) is inside PE (7, 2).
    assert.deepEqual(peAt(t, 41, 28, 100, 50), { x: 7, y: 2 });
    assert.equal(peAt(t, 9, 20, 100, 50), null);
    assert.equal(peAt(t, 10 + 4 * 100, 20, 100, 50), null);
    assert.equal(peAt(t, NaN, 20, 100, 50), null);
  });

  it('draws only the visible part of the grid', () => {
    // Zoomed to 10 px per PE, panned so PE (20, 5) is at the canvas origin.
    const source = visibleSource({ k: 10, x: -200, y: -50 }, 300, 100, 762, 1172);
    assert.deepEqual(source, { sx: 20, sy: 5, sw: 30, sh: 10, dx: 0, dy: 0, dw: 300, dh: 100 });
    // Panned entirely off the grid.
    assert.equal(visibleSource({ k: 1, x: 2000, y: 0 }, 300, 100, 762, 1172), null);
    // Whole grid smaller than the canvas: source is the whole grid.
    const whole = visibleSource({ k: 0.5, x: 10, y: 10 }, 800, 800, 762, 1172);
    assert.deepEqual(whole && [whole.sx, whole.sy, whole.sw, whole.sh], [0, 0, 762, 1172]);
  });

  it('places die boundaries between dies', () => {
    const { xs, ys } = dieBoundaries(700, 1200, { columns: 7, rows: 12, assumption: true });
    assert.deepEqual(xs, [100, 200, 300, 400, 500, 600]);
    assert.equal(ys.length, 11);
    assert.equal(ys[0], 100);
    // Nonsense die counts draw no lines rather than failing.
    assert.deepEqual(dieBoundaries(10, 10, { columns: -3, rows: 0.5, assumption: false }), { xs: [], ys: [] });
  });

  describe('hit-testing', () => {
    const regions = [
      // 20 x 10 PEs holding a 100 x 80 matrix as 5 x 4 tiles of 20 x 20: the 20 tiles fill the
      // first 20 PEs of the region in row-major order (its whole first row); the rest hold none.
      region(10, 0, 20, 10, 'q_proj', 5, 4, 100, 80),
      region(0, 20, 50, 30, 'mlp.up'),
    ];
    const index = buildRegionIndex(regions, 64, 64);

    it('names the tile of the matrix a PE holds, tiles in row-major order', () => {
      const first = hitTest(index, 10, 0);
      assert.equal(first?.region.label, 'q_proj');
      assert.deepEqual(first?.tile, { row: 0, col: 0, matrixRows: [0, 20], matrixCols: [0, 20] });
      // PE (13, 0) is the region's 4th PE: tile 3 = row 0, column 3 = matrix columns 60..80.
      assert.deepEqual(hitTest(index, 13, 0)?.tile, { row: 0, col: 3, matrixRows: [0, 20], matrixCols: [60, 80] });
      // PE (14, 0) is the 5th: tile 4 = row 1, column 0.
      assert.deepEqual(hitTest(index, 14, 0)?.tile, { row: 1, col: 0, matrixRows: [20, 40], matrixCols: [0, 20] });
      // PE (29, 0) is the 20th and last tile: row 4, column 3.
      assert.deepEqual(hitTest(index, 29, 0)?.tile, { row: 4, col: 3, matrixRows: [80, 100], matrixCols: [60, 80] });
    });

    it('knows PEs of a region past its last tile hold none', () => {
      const spare = hitTest(index, 10, 1); // the region's 21st PE
      assert.equal(spare?.region.label, 'q_proj');
      assert.equal(spare?.tile, null);
    });

    it('gives one tile per PE when the tile grid equals the region, remainder in the last tile', () => {
      const hit = hitTest(index, 7, 23);
      assert.equal(hit?.region.label, 'mlp.up');
      assert.deepEqual([hit?.tile?.row, hit?.tile?.col], [3, 7]);
      // 1000 rows in 30 tile rows: blocks of ceil(1000 / 30) = 34 rows, tile 3 holds rows 102..136.
      assert.deepEqual(hit?.tile?.matrixRows, [102, 136]);
      // The last tile row (29) starts at 29 * 34 = 986 and ends at the matrix edge, 1000.
      assert.deepEqual(hitTest(index, 7, 49)?.tile?.matrixRows, [986, 1000]);
    });

    it('finds nothing between regions or outside the grid', () => {
      assert.equal(hitTest(index, 5, 5), null);
      assert.equal(hitTest(index, 30, 0), null); // one past q_proj's right edge
      assert.equal(hitTest(index, -1, 0), null);
      assert.equal(hitTest(index, 1000, 1000), null);
    });

    it('agrees with a linear search over many random regions', () => {
      let seed = 12345;
      const next = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return Math.floor((seed / 2147483648) * n);
      };
      const many: HeatmapRegion[] = [];
      for (let i = 0; i < 300; i++) many.push(region(next(700), next(1100), 1 + next(80), 1 + next(80), `r${i}`));
      const big = buildRegionIndex(many, 762, 1172);
      for (let i = 0; i < 5000; i++) {
        const x = next(762);
        const y = next(1172);
        let expected: string | undefined;
        for (const r of many) if (x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height) expected = r.label;
        assert.equal(hitTest(big, x, y)?.region.label, expected, `PE (${x}, ${y})`);
      }
    });
  });

  it('describes a PE for the tooltip', () => {
    const width = 4;
    const height = 2;
    const occupancy = new Uint16Array(width * height);
    const utilization = new Uint8Array(width * height);
    // PE (1, 1): half of SRAM used (32768 / 65535 of 48 KiB) and 255 / 255 busy.
    occupancy[1 * width + 1] = 32768;
    utilization[1 * width + 1] = 255;
    const p = payload(width, height, occupancy, utilization, {
      regions: [region(0, 1, 2, 1, 'k_proj', 1, 2, 64, 128)],
    });
    const decoded = decodeHeatmap(p);
    assert.ok(decoded.ok);
    if (!decoded.ok) return;
    const index = buildRegionIndex(p.regions, width, height);
    const details = peDetails(p, decoded.data, index, 1, 1);
    assert.ok(details);
    assert.equal(details.sramUsedBytes, (32768 / 65535) * 49152);
    assert.equal(details.utilization, 1);
    assert.equal(details.lines[0], 'PE (1, 1)');
    assert.equal(details.lines[1], 'decoder 0');
    assert.match(details.lines[2], /^SRAM 24 KiB of 48 KiB \(50%\)$/);
    assert.equal(details.lines[3], 'compute 100%');
    assert.equal(details.lines[4], 'k_proj: 64 × 128');
    // Second of two column tiles: columns 64..127 of the 128.
    assert.equal(details.lines[5], 'tile (0, 1) of 1 × 2: rows 0–63, cols 64–127');

    // PE (0, 1) is the region's first PE: tile (0, 0), matrix columns 0..63.
    assert.equal(peDetails(p, decoded.data, index, 0, 1)?.lines[5], 'tile (0, 0) of 1 × 2: rows 0–63, cols 0–63');
    const idle = peDetails(p, decoded.data, index, 3, 0);
    assert.equal(idle?.lines[idle.lines.length - 1], 'idle');
    assert.equal(peDetails(p, decoded.data, index, 4, 0), null);

    // A region wider than its tiles: 3 PEs, 2 tiles; the third PE holds none.
    const wide = { ...p, regions: [region(0, 1, 3, 1, 'v_proj', 1, 2, 64, 128)] };
    const spare = peDetails(wide, decoded.data, buildRegionIndex(wide.regions, width, height), 2, 1);
    assert.equal(spare?.lines[5], 'no tile (the 2 tiles fill the first 2 of 3 PEs)');
  });
});
