/**
 * Search over ids, titles and text: every word of the query must appear (case-insensitive). Results
 * in id order, an exact id first; at most `limit` returned, with the total. The records' lower-case
 * id, title and text are one string, searched with indexOf from match to match (the engine's native
 * string search) rather than record by record: a word in 100,000 records is found in milliseconds.
 * For the static site the same entries are written as a script (`window.DOSSIER_SEARCH`) that
 * search.js filters the same way.
 */
import type { KindName } from '../model/kinds.js';
import type { DossierRecord } from '../model/record.js';
import type { SearchResults } from './pages.js';

/** Longest query considered, in characters: longer input is cut, never an error. */
export const MAX_QUERY = 200;

/** Between two records' text in the corpus: no query word can contain it (queries are trimmed words). */
const SEPARATOR = '\u0000';

export interface SearchIndex {
  readonly ids: readonly string[];
  readonly kinds: readonly KindName[];
  readonly titles: readonly string[];
  /** Every record's `id\ntitle\ntext` in lower case, separated by SEPARATOR, in id order. */
  readonly corpus: string;
  /** Where each record starts in the corpus; one more entry: the corpus's length + 1. */
  readonly starts: Int32Array | readonly number[];
}

/**
 * Each record's searchable text, made once per record object: records are not changed after loading,
 * and `dossier serve` keeps the records of unchanged files from one analysis to the next.
 */
const haystacks = new WeakMap<DossierRecord, string>();
function haystack(r: DossierRecord): string {
  let text = haystacks.get(r);
  if (text === undefined) {
    text = `${r.id}\n${r.title}\n${r.text}`.toLowerCase().replaceAll(SEPARATOR, ' ');
    haystacks.set(r, text);
  }
  return text;
}

export function searchIndex(records: readonly DossierRecord[]): SearchIndex {
  const starts = new Array<number>(records.length + 1);
  const parts: string[] = [];
  let offset = 0;
  records.forEach((r, i) => {
    starts[i] = offset;
    const text = haystack(r);
    parts.push(text);
    offset += text.length + 1;
  });
  starts[records.length] = offset;
  return {
    ids: records.map((r) => r.id),
    kinds: records.map((r) => r.kind),
    titles: records.map((r) => r.title),
    corpus: parts.join(SEPARATOR),
    starts,
  };
}

/** The lower-case text of entry `i`. */
export function haystackOf(index: SearchIndex, i: number): string {
  return index.corpus.slice(index.starts[i]!, index.starts[i + 1]! - 1);
}

/** The entry whose text holds corpus offset `at` (binary search over the starts). */
function entryAt(index: SearchIndex, at: number): number {
  let lo = 0;
  let hi = index.ids.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (index.starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function searchRecords(index: SearchIndex, query: string, limit = 200): SearchResults {
  const q = query.slice(0, MAX_QUERY).trim();
  const words = q
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '')
    .sort((a, b) => b.length - a.length); // the longest word first: the fewest candidates
  if (words.length === 0) return { query: q, total: 0, hits: [] };
  const [first, ...rest] = words as [string, ...string[]];
  const exact = q.toUpperCase();
  const hits: SearchResults['hits'][number][] = [];
  let total = 0;
  let at = index.corpus.indexOf(first);
  while (at >= 0) {
    const i = entryAt(index, at);
    const hay = rest.length > 0 ? haystackOf(index, i) : '';
    if (rest.every((w) => hay.includes(w))) {
      total++;
      const hit = { id: index.ids[i]!, kind: index.kinds[i]!, title: index.titles[i]! };
      if (hit.id === exact) hits.unshift(hit);
      else if (hits.length < limit) hits.push(hit);
    }
    at = index.corpus.indexOf(first, index.starts[i + 1]!); // next record
  }
  return { query: q, total, hits: hits.slice(0, limit) };
}

/** The static site's index: one array per record [id, kind, title, lower-case text], as a script. */
export function* searchIndexScript(index: SearchIndex): Generator<string> {
  yield '"use strict";\nwindow.DOSSIER_SEARCH = [\n';
  for (let i = 0; i < index.ids.length; i++)
    yield `${i === 0 ? '' : ',\n'}${JSON.stringify([index.ids[i], index.kinds[i], index.titles[i], haystackOf(index, i)])}`;
  yield '\n];\n';
}
