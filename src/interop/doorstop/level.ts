/**
 * Doorstop levels (`1.2.10`): compared part by part as numbers, so 1.2.10 comes after 1.2.9.
 * A trailing `.0` marks a heading's level (1.2.0 is the heading of 1.2.x items) and is dropped.
 */
export function levelParts(level: string): number[] {
  const parts = level
    .split('.')
    .map((p) => Number.parseInt(p, 10))
    .filter((n) => Number.isFinite(n));
  while (parts.length > 1 && parts[parts.length - 1] === 0) parts.pop();
  return parts;
}

export function compareLevels(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Whether `heading` is a strict prefix of `item`: the item sits in that heading's section. */
export function isUnder(item: readonly number[], heading: readonly number[]): boolean {
  return heading.length < item.length && heading.every((part, i) => item[i] === part);
}
