/**
 * The offset of the first byte that is not UTF-8: the end of the longest prefix that decodes
 * (allowing an incomplete last sequence), found by bisection. Exact enough for a diagnostic and
 * O(n log n); used only once a decode has already failed.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let low = 0;
  let high = bytes.length;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      low = mid;
    } catch {
      high = mid - 1;
    }
  }
  return low;
}
