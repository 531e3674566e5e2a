/**
 * A line diff of two texts for people (`-` removed, then `+` added, ` ` kept), by longest common
 * subsequence. Texts too long for the quadratic table are shown whole, old then new.
 */
const MAX_CELLS = 4_000_000;

export function lineDiff(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  // Common head and tail first: most edits touch a few lines.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const context = (lines: readonly string[]) => lines.map((l) => `  ${l}`);
  const head = context(a.slice(Math.max(0, start - 2), start));
  const tail = context(a.slice(endA, Math.min(a.length, endA + 2)));
  if ((midA.length + 1) * (midB.length + 1) > MAX_CELLS)
    return [...head, ...midA.map((l) => `- ${l}`), ...midB.map((l) => `+ ${l}`), ...tail];
  const n = midA.length;
  const m = midB.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = midA[i] === midB[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const mid: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && midA[i] === midB[j]) {
      mid.push(`  ${midA[i]}`);
      i++;
      j++;
    } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) mid.push(`- ${midA[i++]}`);
    else mid.push(`+ ${midB[j++]}`);
  }
  return [...head, ...mid, ...tail];
}
