import type { ValuePath } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../load/source.js';
import type { KindName } from './kinds.js';
import type { RecordStatus } from './vocabulary.js';

/** A validated record. Kind-specific values are in `fields`, links (as written) in `links`. */
export interface DossierRecord {
  readonly id: string;
  readonly kind: KindName;
  readonly title: string;
  readonly status: RecordStatus;
  readonly tags: readonly string[];
  /** Markdown text: the body of a `.md` record or the `text` field of a collection record. */
  readonly text: string;
  readonly fields: Readonly<Record<string, unknown>>;
  /** Link field → target ids, in the order written. */
  readonly links: Readonly<Record<string, readonly string[]>>;
  readonly origin: RecordOrigin;
}

export interface RecordOrigin {
  readonly source: SourceFile;
  /** Path of the record's mapping inside the file's YAML. */
  readonly path: ValuePath;
  /** Link fields written as a single id rather than a list (affects where link diagnostics point). */
  readonly scalarLinks?: ReadonlySet<string>;
  /**
   * Where the parts of a long list that continue in companion files come from (src/model/continuation.ts):
   * the items of `list` from index `first` on were read from `file`, at `[list, index - first]`.
   */
  readonly continuations?: readonly ContinuationOrigin[];
}

export interface ContinuationOrigin {
  readonly list: string;
  /** Project-relative companion file. */
  readonly file: string;
  /** Index in the merged list of the first item read from this file. */
  readonly first: number;
}

/** Anchor of a value of a record, for diagnostics. */
export function fieldAnchor(record: DossierRecord, field?: string, index?: number) {
  const path: (string | number)[] = [...record.origin.path];
  if (field !== undefined) {
    path.push(field);
    if (index !== undefined && !record.origin.scalarLinks?.has(field)) path.push(index);
  }
  return { file: record.origin.source.path, path };
}

/** Anchor of a value nested inside a record, e.g. `causes[2].controls[0]`. */
export function valueAnchor(record: DossierRecord, ...path: (string | number)[]) {
  return { file: record.origin.source.path, path: [...record.origin.path, ...path] };
}

/** Anchor of an item of a list (or a value inside it), in the companion file it came from if any. */
export function listItemAnchor(
  record: DossierRecord,
  list: string,
  index: number,
  ...path: (string | number)[]
) {
  const from = record.origin.continuations
    ?.filter((c) => c.list === list && c.first <= index)
    .reduce<ContinuationOrigin | undefined>(
      (a, c) => (a === undefined || c.first > a.first ? c : a),
      undefined,
    );
  return from
    ? { file: from.file, path: [list, index - from.first, ...path] }
    : valueAnchor(record, list, index, ...path);
}

/** Anchor of a record's text: the body of a Markdown record, or its `text` field. */
export function textAnchor(record: DossierRecord) {
  const source = record.origin.source;
  if (source.bodyLine !== undefined) return { file: source.path, line: source.bodyLine, column: 1 };
  return fieldAnchor(record, record.origin.path.length > 0 ? 'text' : undefined);
}

export function isActive(record: DossierRecord): boolean {
  return record.status !== 'obsolete';
}

/** Orders records by id, the deterministic order of every output. */
export function compareById(a: { readonly id: string }, b: { readonly id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
