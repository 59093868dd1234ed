import * as assert from 'node:assert/strict';
import { decodeRunsInto, encodeRuns, runsFromBytes, runsToBytes } from '../../../protocol/runLength';

/** Deterministic values with long and short runs, like a heatmap row. */
function sample(length: number, seed: number): Uint16Array {
  let x = seed;
  const out = new Uint16Array(length);
  let value = 0;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    if (x % 17 === 0) value = x % 65536;
    out[i] = value;
  }
  return out;
}

describe('run-length transport of heatmap arrays', () => {
  it('round-trips through bytes for any length, including 0 and 1', () => {
    for (const length of [0, 1, 2, 17, 1000, 893064]) {
      const values = sample(length, length + 1);
      const runs = runsFromBytes(runsToBytes(encodeRuns(values)))!;
      const back = new Uint16Array(length);
      assert.equal(decodeRunsInto(runs, back), true, `length ${length}`);
      assert.deepEqual(back, values);
    }
  });

  it('stores one run per change of value', () => {
    assert.deepEqual([...encodeRuns([5, 5, 5, 0, 0, 7])], [3, 5, 2, 0, 1, 7]);
  });

  it('rejects runs that do not cover the target exactly, overflow it, or carry values too large', () => {
    assert.equal(decodeRunsInto(Uint32Array.from([3, 1]), new Uint8Array(4)), false);
    assert.equal(decodeRunsInto(Uint32Array.from([5, 1]), new Uint8Array(4)), false);
    assert.equal(decodeRunsInto(Uint32Array.from([4, 256]), new Uint8Array(4)), false);
    assert.equal(decodeRunsInto(Uint32Array.from([0, 1, 4, 1]), new Uint8Array(4)), false);
    assert.equal(decodeRunsInto(Uint32Array.from([4]), new Uint8Array(4)), false);
    assert.equal(runsFromBytes(new Uint8Array(7)), null);
  });
});
