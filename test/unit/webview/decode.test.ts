import * as assert from 'node:assert/strict';
import { decodeBase64, decodeHeatmap, encodeBase64 } from '../../../webview/viewModel';
import { payload } from './reportFixture';

/** A deterministic pseudo-random sequence (xorshift), so failures reproduce. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

describe('webview heatmap decoding', () => {
  it('decodes what Node encodes, for every length modulo 3', () => {
    const next = random(7);
    for (const length of [0, 1, 2, 3, 4, 5, 255, 1000, 4097]) {
      const bytes = Uint8Array.from({ length }, () => Math.floor(next() * 256));
      const text = Buffer.from(bytes).toString('base64');
      assert.deepEqual(decodeBase64(text), bytes, `length ${length}`);
      // And our encoder agrees with Node's, so fixtures written either way are the same.
      assert.equal(encodeBase64(bytes), text, `encode length ${length}`);
    }
  });

  it('accepts missing padding, line breaks and the URL-safe alphabet', () => {
    const bytes = Uint8Array.from([251, 255, 191, 0, 1]);
    const standard = Buffer.from(bytes).toString('base64'); // '+/+/AAE='
    assert.deepEqual(decodeBase64(standard.replace(/=+$/, '')), bytes);
    assert.deepEqual(decodeBase64(`${standard.slice(0, 4)}\n${standard.slice(4)}`), bytes);
    assert.deepEqual(decodeBase64(Buffer.from(bytes).toString('base64url')), bytes);
  });

  it('rejects text that is not base64', () => {
    assert.equal(decodeBase64('ab$d'), null);
    assert.equal(decodeBase64('ééé'), null);
    assert.equal(decodeBase64(42 as unknown as string), null);
  });

  it('round-trips a whole payload to typed arrays', () => {
    const next = random(11);
    const width = 37;
    const height = 23;
    const occupancy = Uint16Array.from({ length: width * height }, () => Math.floor(next() * 65536));
    const utilization = Uint8Array.from({ length: width * height }, () => Math.floor(next() * 256));
    const decoded = decodeHeatmap(payload(width, height, occupancy, utilization));
    assert.ok(decoded.ok);
    if (!decoded.ok) return;
    assert.equal(decoded.data.width, width);
    assert.equal(decoded.data.height, height);
    assert.deepEqual([...decoded.data.occupancy], [...occupancy]);
    assert.deepEqual([...decoded.data.utilization], [...utilization]);
  });

  it('reports a payload whose data does not match its grid, without throwing', () => {
    const short = payload(4, 4, new Uint16Array(15), new Uint8Array(16));
    const result = decodeHeatmap(short);
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.error, /SRAM occupancy runs do not cover the 16 PEs/);

    const badUtilization = decodeHeatmap(payload(4, 4, new Uint16Array(16), new Uint8Array(3)));
    assert.equal(badUtilization.ok, false);

    const notGrid = decodeHeatmap({ ...payload(1, 1, new Uint16Array(1), new Uint8Array(1)), width: 0 });
    assert.equal(notGrid.ok, false);

    const huge = decodeHeatmap({ ...payload(1, 1, new Uint16Array(1), new Uint8Array(1)), width: 1e6, height: 1e6 });
    assert.equal(huge.ok, false);

    const garbage = decodeHeatmap(null as unknown as Parameters<typeof decodeHeatmap>[0]);
    assert.equal(garbage.ok, false);
  });
});
