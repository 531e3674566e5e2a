/** "Did you mean" suggestions: the closest candidate by edit distance, when it is close enough. */
export function closest(input: string, candidateList: Iterable<string>): string | undefined {
  const candidates = [...candidateList];
  const needle = input.toLowerCase();
  // A unique candidate that extends what was typed ("inspect" → "inspection") is the likely intent.
  const extending = candidates.filter((c) => needle.length >= 3 && c.toLowerCase().startsWith(needle));
  if (extending.length === 1) return extending[0];
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  // At equal distance a candidate of the typed length wins (a mistyped letter is likelier than a
  // missing or extra one: "SRQ" is "SRS", not "SR"), then the alphabetically first.
  const lengthGap = (c: string) => Math.abs(c.length - input.length);
  for (const candidate of candidates) {
    const d = editDistance(needle, candidate.toLowerCase());
    const better =
      d < bestDistance ||
      (d === bestDistance &&
        best !== undefined &&
        (lengthGap(candidate) < lengthGap(best) ||
          (lengthGap(candidate) === lengthGap(best) && candidate < best)));
    if (better) {
      best = candidate;
      bestDistance = d;
    }
  }
  const allowed = Math.max(2, Math.floor(input.length / 3));
  return best !== undefined && bestDistance <= allowed ? best : undefined;
}

/** Damerau–Levenshtein distance (optimal string alignment), so swapped letters count once. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(
        d[(i - 1) * cols + j]! + 1,
        d[i * cols + j - 1]! + 1,
        d[(i - 1) * cols + j - 1]! + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      }
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1]!;
}

export function didYouMean(input: string, candidates: Iterable<string>): string {
  const match = closest(input, candidates);
  return match ? ` (did you mean "${match}"?)` : '';
}

/** Plain-words name of a YAML value's type, for "expected X, got Y" messages. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return value.trim() === '' ? 'empty text' : 'text';
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return `${value}`;
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}
