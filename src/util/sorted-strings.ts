/**
 * Sorted lists of strings in JavaScript's default order (code units, what `Array.prototype.sort`
 * gives): a discovery's file list. Binary search, so that one path is found or placed among
 * 64,000 without a pass over them.
 */

/** The first index whose string is not before `value` (the list's length when every one is). */
export function insertionPoint(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

export function isListed(sorted: readonly string[], value: string): boolean {
  return sorted[insertionPoint(sorted, value)] === value;
}
