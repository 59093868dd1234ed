import * as assert from '../plainAssert';
import { interpolateViridis } from 'd3-scale-chromatic';
import {
  OCCUPANCY_LUT_BITS,
  OVER_CAPACITY_COLOUR,
  buildColourLut,
  colourDomain,
  colourInterpolator,
  colourScale,
  legendFor,
  packColour,
  paintCells,
  type DecodedHeatmap,
} from '../../../webview/viewModel';

const sram = { sramPerPeBytes: 48 * 1024 };

describe('webview heatmap colours', () => {
  it('spans 0 .. SRAM per PE for occupancy and 0 .. 1 for utilization', () => {
    assert.deepEqual(colourDomain(sram, 'sram'), [0, 49152]);
    assert.deepEqual(colourDomain(sram, 'compute'), [0, 1]);
    // A payload with no SRAM size still gets a usable domain.
    assert.deepEqual(colourDomain({ sramPerPeBytes: 0 }, 'sram'), [0, 1]);
  });

  it('maps the ends of the domain to the ends of the colour map', () => {
    const scale = colourScale(sram, 'sram');
    assert.equal(scale(0), interpolateViridis(0));
    assert.equal(scale(49152), interpolateViridis(1));
    assert.equal(scale(24576), interpolateViridis(0.5));
  });

  it('labels SRAM ticks in round KiB steps, with positions along the bar', () => {
    const legend = legendFor(sram, 'sram');
    // 48 KiB over 4 intervals is 12 KiB per step.
    assert.deepEqual(
      legend.ticks.map((t) => t.label),
      ['0 B', '12 KiB', '24 KiB', '36 KiB', '48 KiB'],
    );
    assert.deepEqual(
      legend.ticks.map((t) => t.position),
      [0, 0.25, 0.5, 0.75, 1],
    );
    assert.equal(legend.unit, 'bytes per PE');
    assert.equal(legend.stops.length, 11);
    assert.equal(legend.stops[0], interpolateViridis(0));
  });

  it('labels utilization in percent', () => {
    const legend = legendFor(sram, 'compute');
    assert.equal(legend.unit, '% of PE');
    assert.equal(legend.ticks[0].label, '0%');
    assert.equal(legend.ticks[legend.ticks.length - 1].label, '100%');
    for (const tick of legend.ticks) assert.equal(tick.position, tick.value);
  });

  it('packs CSS colours as little-endian RGBA', () => {
    // ImageData bytes are R, G, B, A; read as a little-endian Uint32 that is A<<24 | B<<16 | G<<8 | R.
    assert.equal(packColour('rgb(1, 2, 3)'), 0xff030201);
    assert.equal(packColour('#ff8000'), 0xff0080ff);
    assert.equal(packColour('#abc'), 0xffccbbaa);
    assert.equal(packColour('rgba(10, 20, 30, 0.5)'), ((128 << 24) | (30 << 16) | (20 << 8) | 10) >>> 0);
  });

  it('builds a lookup table of the colour map', () => {
    const lut = buildColourLut('sram');
    assert.equal(lut.length, 1 << OCCUPANCY_LUT_BITS);
    assert.equal(lut[0], packColour(interpolateViridis(0)));
    assert.equal(lut[lut.length - 1], packColour(interpolateViridis(1)));
    const compute = buildColourLut('compute');
    assert.equal(compute.length, 256);
    assert.equal(compute[255], packColour(colourInterpolator('compute')(1)));
  });

  it('paints idle PEs with the idle colour and others from the table', () => {
    const data: DecodedHeatmap = {
      width: 2,
      height: 2,
      occupancy: Uint16Array.from([0, 65535, 32768, 64]),
      utilization: Uint8Array.from([0, 255, 128, 1]),
    };
    const idle = 0xff123456;
    const sramLut = buildColourLut('sram');
    const pixels = new Uint32Array(4);
    const over = 0xff0000ff;
    paintCells(data, 'sram', sramLut, idle, pixels, over);
    // 65535 is the encoder's "over capacity"; the table keeps the top 10 bits: 32768 >> 6 = 512, 64 >> 6 = 1.
    assert.deepEqual([...pixels], [idle, over, sramLut[512], sramLut[1]]);
    assert.notEqual(packColour(OVER_CAPACITY_COLOUR), sramLut[1023], 'over capacity does not look like a full PE');

    const computeLut = buildColourLut('compute');
    paintCells(data, 'compute', computeLut, idle, pixels);
    assert.deepEqual([...pixels], [idle, computeLut[255], computeLut[128], computeLut[1]]);
  });
});
