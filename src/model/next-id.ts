/**
 * Next free ids `PREFIX-NNN` after the highest number in use, zero-padded to the widest number
 * seen (at least three digits). One allocator for every command that creates records.
 */
export function idAllocator(ids: Iterable<string>, prefix: string): () => string {
  const pattern = new RegExp(`^${prefix}-(\\d+)$`);
  let highest = 0;
  let width = 3;
  for (const id of ids) {
    const m = pattern.exec(id);
    if (m) {
      highest = Math.max(highest, Number(m[1]));
      width = Math.max(width, m[1]!.length);
    }
  }
  return () => `${prefix}-${String(++highest).padStart(width, '0')}`;
}
