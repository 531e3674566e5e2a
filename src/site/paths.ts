/**
 * The site's URL scheme, shared by the static site (`<out>/site/`) and `dossier serve`: the same
 * relative paths in both, so every link works from `file://` and from the server. A record's page is
 * `records/<ID>.html`; ids become file names only when they match the record id pattern, so no id
 * can name a path outside `records/`.
 */
import { ID_PATTERN } from '../load/validate-record.js';
import { KIND_NAMES, type KindName } from '../model/kinds.js';

/** Rows per page of every list (trace matrices, kinds, diagnostics, search): never 100,000 at once. */
export const PAGE_SIZE = 200;

/** A page's path, relative to the site root, forward slashes, never starting with `/`. */
export type SitePath = string;

export const OVERVIEW = 'index.html';
export const TRACE_INDEX = 'trace.html';
export const RISK = 'risk.html';
export const SOUP = 'soup.html';
export const RELEASES = 'releases.html';
export const SECURITY = 'security.html';
export const SEARCH = 'search.html';
export const STYLE = 'assets/site.css';
export const SEARCH_SCRIPT = 'assets/search.js';
export const SEARCH_INDEX = 'assets/search-index.js';
export const LIVE_SCRIPT = 'assets/live.js';

/** Whether an id may name a file: the record id pattern (letters, digits, one hyphen, digits). */
export function isSafeId(id: string): boolean {
  return ID_PATTERN.test(id) && id.length <= 64;
}

export function recordPath(id: string): SitePath | undefined {
  return isSafeId(id) ? `records/${id}.html` : undefined;
}

/** A record's history page: served only (`dossier serve`), built from git when asked for. */
export function historyPath(id: string): SitePath | undefined {
  return isSafeId(id) ? `history/${id}.html` : undefined;
}

export function kindPath(kind: KindName, page = 1): SitePath {
  return `kinds/${kind}-${page}.html`;
}

export function isKind(name: string): name is KindName {
  return (KIND_NAMES as readonly string[]).includes(name);
}

/** A chain's name as a file name part; a name that is not one is replaced by its position. */
export function chainSlug(name: string, index: number): string {
  return /^[a-z0-9][a-z0-9-]{0,63}$/.test(name) ? name : `chain-${index + 1}`;
}

/** The trace pages' slug of each chain, in order: its name when it can be one, unique. */
export function chainSlugs(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name, i) => {
    let slug = chainSlug(name, i);
    if (used.has(slug)) slug = `chain-${i + 1}`;
    used.add(slug);
    return slug;
  });
}

export function tracePath(slug: string, page = 1): SitePath {
  return `trace/${slug}-${page}.html`;
}

export function diagnosticsPath(page = 1): SitePath {
  return `diagnostics/${page}.html`;
}

/** How many pages `rows` rows take (at least one: an empty list still has its page). */
export function pageCount(rows: number): number {
  return Math.max(1, Math.ceil(rows / PAGE_SIZE));
}

/** The link from the page at `from` to `to`: relative, so the site works from any folder. */
export function relative(from: SitePath, to: string): string {
  const depth = from.split('/').length - 1;
  return `${'../'.repeat(depth)}${to}`;
}
