/**
 * Search over ids, titles and text: every word of the query must appear (case-insensitive). Results
 * in id order, an exact id first; at most `limit` returned, with the total. For the static site the
 * same entries are written as a script (`window.DOSSIER_SEARCH`) that search.js filters the same way.
 */
import type { SearchEntry } from './data.js';
import type { SearchResults } from './pages.js';

/** Longest query considered, in characters: longer input is cut, never an error. */
export const MAX_QUERY = 200;

export function searchRecords(entries: readonly SearchEntry[], query: string, limit = 200): SearchResults {
  const q = query.slice(0, MAX_QUERY).trim();
  const words = q
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  if (words.length === 0) return { query: q, total: 0, hits: [] };
  const exact = q.toUpperCase();
  const hits: SearchResults['hits'][number][] = [];
  let total = 0;
  for (const entry of entries) {
    if (!words.every((w) => entry.haystack.includes(w))) continue;
    total++;
    const hit = { id: entry.id, kind: entry.kind, title: entry.title };
    if (entry.id === exact) hits.unshift(hit);
    else if (hits.length < limit) hits.push(hit);
  }
  return { query: q, total, hits: hits.slice(0, limit) };
}

/** The static site's index: one array per record [id, kind, title, lower-case text], as a script. */
export function* searchIndexScript(entries: readonly SearchEntry[]): Generator<string> {
  yield '"use strict";\nwindow.DOSSIER_SEARCH = [\n';
  let first = true;
  for (const entry of entries) {
    yield `${first ? '' : ',\n'}${JSON.stringify([entry.id, entry.kind, entry.title, entry.haystack])}`;
    first = false;
  }
  yield '\n];\n';
}
