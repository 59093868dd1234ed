/** Timing helpers shared by the TypeScript benches: medians of repeated runs after a warm-up. */

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Milliseconds of each of `runs` calls of `body`, after `warmup` untimed ones. */
export function time(runs: number, warmup: number, body: (i: number) => void): number[] {
  for (let i = 0; i < warmup; i++) body(i);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    body(i);
    times.push(performance.now() - start);
  }
  return times;
}

export const round = (value: number, digits = 3) => Number(value.toFixed(digits));
