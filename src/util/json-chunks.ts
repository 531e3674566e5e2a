/**
 * Pretty-printed JSON in pieces. Large documents (the classification, the trace matrices and the
 * release gate of a 100,000-record project are tens of megabytes each) are written and hashed piece
 * by piece, so no single string of the whole document has to exist.
 */

/**
 * An array whose elements are made only when written: `prettyJsonChunks` writes it as a JSON array,
 * building one element at a time (JSON.stringify would write `{}`: use it only through the chunks).
 */
export class LazyList<T = unknown> {
  constructor(
    readonly length: number,
    readonly at: (index: number) => T,
  ) {}

  static of<S, T>(items: readonly S[], map: (item: S) => T): LazyList<T> {
    return new LazyList(items.length, (i) => map(items[i]!));
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return (
    (proto === Object.prototype || proto === null) &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  );
};

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
const isOmitted = (value: unknown) =>
  value === undefined || typeof value === 'function' || typeof value === 'symbol';

/** `JSON.stringify(value, null, 2)` of a value nested at `indent`. */
function leaf(value: unknown, indent: string): string {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  // JSON strings never hold a raw newline, so every newline starts a line that needs the indent.
  return indent ? text.replaceAll('\n', `\n${indent}`) : text;
}

function* pieces(value: unknown, indent: string, depth: number, lazy = false): Generator<string> {
  if (value instanceof LazyList) {
    yield* pieces({ length: value.length, at: value.at }, indent, depth, true);
    return;
  }
  if (!lazy && (depth === 0 || !(Array.isArray(value) || isPlainObject(value)))) {
    yield leaf(value, indent);
    return;
  }
  const inner = `${indent}  `;
  if (lazy || Array.isArray(value)) {
    const list = lazy
      ? (value as { length: number; at: (i: number) => unknown })
      : { length: (value as unknown[]).length, at: (i: number) => (value as unknown[])[i] };
    if (list.length === 0) {
      yield '[]';
      return;
    }
    yield '[';
    for (let i = 0; i < list.length; i++) {
      yield `${i === 0 ? '' : ','}\n${inner}`;
      const element = list.at(i);
      // A lazily built element is one piece: made, written and let go one at a time.
      yield* pieces(isOmitted(element) ? null : element, inner, lazy ? 0 : depth - 1);
    }
    yield `\n${indent}]`;
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => !isOmitted(v));
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  yield '{';
  for (let i = 0; i < entries.length; i++) {
    const [key, v] = entries[i]!;
    yield `${i === 0 ? '' : ','}\n${inner}${JSON.stringify(key)}: `;
    yield* pieces(v, inner, depth - 1);
  }
  yield `\n${indent}}`;
}

/**
 * The exact text of `JSON.stringify(value, null, 2) + '\n'`, as pieces: objects and arrays down to
 * `depth` levels are walked, each deeper value is one piece.
 */
export function* prettyJsonChunks(value: unknown, depth = 3): Generator<string> {
  // Pieces are gathered into blocks of about 64 KB: a hash update or a write per small piece costs
  // more than the piece.
  let block = '';
  for (const piece of pieces(value, '', depth)) {
    block += piece;
    if (block.length >= BLOCK_CHARS) {
      yield block;
      block = '';
    }
  }
  yield `${block}\n`;
}

const BLOCK_CHARS = 64 * 1024;

/** Joins pieces of text (for callers that need the whole document as one string). */
export function joinChunks(chunks: Iterable<string>): string {
  let text = '';
  for (const chunk of chunks) text += chunk;
  return text;
}
