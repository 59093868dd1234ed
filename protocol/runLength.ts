/**
 * Run-length coding of the heatmap's per-PE arrays for the trip server -> extension -> webview.
 *
 * A layer's per-PE values are constant over long runs (a matrix tile repeats across its region),
 * so a WSE-3 layer of 893,064 PEs is a few thousand runs: ~50 kB on the wire instead of ~3.6 MB of
 * raw base64, which is what kept the panel from updating within 200 ms of an edit. Runs are stored
 * as little-endian Uint32 pairs [count, value]; plain functions, no Node `Buffer`, so the browser
 * bundle shares them.
 */

/** Runs of equal values, as [count0, value0, count1, value1, ...]. Values must fit in 32 bits. */
export function encodeRuns(values: ArrayLike<number>): Uint32Array {
  const out: number[] = [];
  let i = 0;
  while (i < values.length) {
    const value = values[i];
    let end = i + 1;
    while (end < values.length && values[end] === value) end++;
    out.push(end - i, value);
    i = end;
  }
  return Uint32Array.from(out);
}

/**
 * Expands runs into `target` (which fixes the length and element type). Returns false, leaving
 * `target` partly filled, when the runs are malformed or do not cover it exactly.
 */
export function decodeRunsInto(runs: Uint32Array, target: Uint8Array | Uint16Array): boolean {
  if (runs.length % 2 !== 0) return false;
  const max = target instanceof Uint8Array ? 0xff : 0xffff;
  let at = 0;
  for (let r = 0; r < runs.length; r += 2) {
    const count = runs[r];
    const value = runs[r + 1];
    if (count === 0 || value > max || at + count > target.length) return false;
    target.fill(value, at, at + count);
    at += count;
  }
  return at === target.length;
}

/** Little-endian bytes of a Uint32Array (the payload's base64 is taken over these). */
export function runsToBytes(runs: Uint32Array): Uint8Array {
  const bytes = new Uint8Array(runs.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < runs.length; i++) view.setUint32(i * 4, runs[i], true);
  return bytes;
}

/** The inverse of runsToBytes; null when the byte count is not a whole number of Uint32s. */
export function runsFromBytes(bytes: Uint8Array): Uint32Array | null {
  if (bytes.length % 4 !== 0) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const runs = new Uint32Array(bytes.length / 4);
  for (let i = 0; i < runs.length; i++) runs[i] = view.getUint32(i * 4, true);
  return runs;
}
