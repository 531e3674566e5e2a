/**
 * The site as paths: what page or file each path is, for the server (one path at a time) and the
 * static site (every path). A path is matched against the URL scheme (paths.ts) and nothing else:
 * no file is ever read from a path, so no path can reach outside the site.
 */
import { traceChains } from '../model/config.js';
import { KIND_NAMES } from '../model/kinds.js';
import { LIVE_JS, SEARCH_JS, SITE_CSS } from './assets.js';
import type { SiteData } from './data.js';
import { type PageOptions, renderPage } from './layout.js';
import {
  diagnosticsPage,
  kindPage,
  matricesBeingComputed,
  overviewPage,
  type ProgressiveOptions,
  recordLink,
  recordPage,
  releasesPage,
  riskPage,
  riskPath,
  riskTracePage,
  riskTracePath,
  type SearchResults,
  searchPage,
  soupPage,
  traceIndexPage,
  tracePage,
} from './pages.js';
import {
  chainSlugs,
  diagnosticsPath,
  isKind,
  isSafeId,
  kindPath,
  LIVE_SCRIPT,
  OVERVIEW,
  pageCount,
  RELEASES,
  RISK,
  recordPath,
  SEARCH,
  SEARCH_INDEX,
  SEARCH_SCRIPT,
  SECURITY,
  type SitePath,
  SOUP,
  STYLE,
  TRACE_INDEX,
  tracePath,
} from './paths.js';
import { historyPage } from './record-history.js';
import { searchIndexScript } from './search.js';
import { securityPage } from './security-page.js';

export interface SiteFile {
  readonly type: 'text/html' | 'text/css' | 'text/javascript';
  readonly body: string | Iterable<string>;
}

export interface RenderOptions extends PageOptions, ProgressiveOptions {
  /** Server-side search results for the search page. */
  readonly search?: SearchResults;
}

const html = (data: SiteData, page: ReturnType<typeof overviewPage> | undefined, options: PageOptions) =>
  page
    ? ({
        type: 'text/html',
        body: renderPage({ ...page, device: data.analysis.project.config.device.name }, options),
      } as const)
    : undefined;

/** The file at `path` (relative, no leading slash), or undefined when the site has none. */
export function siteFile(data: SiteData, path: string, options: RenderOptions = {}): SiteFile | undefined {
  const pageOptions: PageOptions = {
    ...(options.live ? { live: true } : {}),
    ...(options.generation !== undefined ? { generation: options.generation } : {}),
  };
  // Under the server, every trace page stands in for the matrices until they are computed.
  const matricesPending = options.progressive === true && !data.computed('matrices');
  switch (path) {
    case '':
    case OVERVIEW:
      return html(data, overviewPage(data, options), pageOptions);
    case TRACE_INDEX:
      return html(
        data,
        matricesPending ? matricesBeingComputed(TRACE_INDEX, 'Trace', 'Traceability') : traceIndexPage(data),
        pageOptions,
      );
    case RISK:
      return html(data, riskPage(data), pageOptions);
    case SOUP:
      return html(data, soupPage(data), pageOptions);
    case RELEASES:
      return html(data, releasesPage(data), pageOptions);
    case SECURITY:
      return html(
        data,
        securityPage(data, (from, id) => recordLink(data, from, id)),
        pageOptions,
      );
    case SEARCH:
      return html(data, searchPage(data, options.search), pageOptions);
    case STYLE:
      return { type: 'text/css', body: SITE_CSS };
    case SEARCH_SCRIPT:
      return { type: 'text/javascript', body: SEARCH_JS };
    case SEARCH_INDEX:
      return options.live ? undefined : { type: 'text/javascript', body: searchIndexScript(data.search) };
    case LIVE_SCRIPT:
      return options.live ? { type: 'text/javascript', body: LIVE_JS } : undefined;
  }
  let m = /^records\/([^/]+)\.html$/.exec(path);
  if (m) {
    const id = m[1]!;
    const record = isSafeId(id) ? data.analysis.graph.get(id) : undefined;
    return record ? html(data, recordPage(data, record, options.live === true), pageOptions) : undefined;
  }
  // The history reads git's log: built on request under the server, not written to the static site.
  m = /^history\/([^/]+)\.html$/.exec(path);
  if (m)
    return options.live && isSafeId(m[1]!) ? html(data, historyPage(data, m[1]!), pageOptions) : undefined;
  m = /^kinds\/([a-z-]+)-([1-9][0-9]{0,6})\.html$/.exec(path);
  if (m && isKind(m[1]!)) return html(data, kindPage(data, m[1], Number(m[2])), pageOptions);
  m = /^trace\/([a-z0-9-]+)-([1-9][0-9]{0,6})\.html$/.exec(path);
  if (m) {
    const slug = m[1]!;
    const page = Number(m[2]);
    if (matricesPending) {
      const names = traceChains(data.analysis.project.config).map((c) => c.name);
      const known = chainSlugs(names).some((s) => slug === s || slug === `${s}-gaps`);
      return known
        ? html(data, matricesBeingComputed(path as SitePath, 'Trace matrix'), pageOptions)
        : undefined;
    }
    for (const matrix of data.matrices()) {
      if (slug === matrix.slug) return html(data, tracePage(data, matrix, false, page), pageOptions);
      if (slug === `${matrix.slug}-gaps`) return html(data, tracePage(data, matrix, true, page), pageOptions);
    }
    return undefined;
  }
  m = /^risk\/trace-([1-9][0-9]{0,6})\.html$/.exec(path);
  if (m) return html(data, riskTracePage(data, Number(m[1])), pageOptions);
  m = /^risk\/([2-9]|[1-9][0-9]{1,6})\.html$/.exec(path);
  if (m) return html(data, riskPage(data, Number(m[1])), pageOptions);
  m = /^diagnostics\/([1-9][0-9]{0,6})\.html$/.exec(path);
  if (m) return html(data, diagnosticsPage(data, Number(m[1])), pageOptions);
  return undefined;
}

/** Every path of the static site, in a fixed order. */
export function* sitePaths(data: SiteData): Generator<SitePath> {
  yield OVERVIEW;
  yield STYLE;
  yield SEARCH_SCRIPT;
  yield SEARCH_INDEX;
  yield SEARCH;
  yield TRACE_INDEX;
  yield RISK;
  for (let p = 2; p <= pageCount(data.analysis.safety.risks.length); p++) yield riskPath(p);
  if (data.analysis.safety.softwareRiskTrace.length > 0)
    for (let p = 1; p <= pageCount(data.analysis.safety.softwareRiskTrace.length); p++)
      yield riskTracePath(p);
  yield SOUP;
  yield SECURITY;
  yield RELEASES;
  for (let p = 1; p <= pageCount(data.diagnosticsByRule.length); p++) yield diagnosticsPath(p);
  for (const kind of KIND_NAMES) {
    const n = data.byKind.get(kind)?.length ?? 0;
    for (let p = 1; p <= pageCount(n); p++) yield kindPath(kind, p);
  }
  for (const m of data.matrices()) {
    for (let p = 1; p <= pageCount(m.matrix.rows.length); p++) yield tracePath(m.slug, p);
    for (let p = 1; p <= pageCount(m.gapRows.length); p++) yield tracePath(`${m.slug}-gaps`, p);
  }
  for (const r of data.records) {
    const path = recordPath(r.id);
    if (path) yield path;
  }
}
