/**
 * "Did you mean" suggestions: optimal-string-alignment edit distance (Levenshtein plus swapping
 * two neighbouring characters, the commonest typo), compared case-insensitively.
 */

/** Edit distance with adjacent transpositions; stops early once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  let previousPrevious = new Array<number>(cols).fill(0);
  let previous = Array.from({ length: cols }, (_, j) => j);
  let current = new Array<number>(cols).fill(0);
  for (let i = 1; i < rows; i++) {
    current[0] = i;
    let rowMin = current[0];
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, previousPrevious[j - 2]! + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    [previousPrevious, previous, current] = [previous, current, previousPrevious];
  }
  return previous[cols - 1]!;
}

/**
 * How far a word may be from a candidate and still be suggested: one edit for short words, up to
 * a third of the length for longer ones (so `hiden_size` finds `hidden_size`, while `batch`
 * does not suggest `patch_size`).
 */
export function suggestionThreshold(word: string): number {
  if (word.length <= 3) return word.length <= 1 ? 0 : 1;
  return Math.min(3, Math.max(1, Math.floor(word.length / 3)));
}

/** The closest candidate within the threshold, or undefined. Ties go to the earlier candidate. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const lowered = word.toLowerCase();
  const limit = suggestionThreshold(lowered);
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const distance = editDistance(lowered, candidate.toLowerCase(), bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
