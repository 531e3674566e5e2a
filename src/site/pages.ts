/**
 * The pages, each a function of the site data and its page number: overview, record, kind lists,
 * trace matrices, risk, SOUP, diagnostics, releases, search. Record text goes through the documents'
 * Markdown renderer (raw HTML off, only http(s)/mailto/anchor links); every other value through
 * `e()`. What was not checked says "not checked", never a green mark.
 */

import { advisoryCoverageRows, advisoryCoverageSummary } from '../build/soup-stage.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { recordHtml } from '../docs/record-markdown.js';
import type { GateResult } from '../evidence/release-gate.js';
import { PERCENT_NOTE } from '../gap/summary.js';
import { type KindName, kindSpec } from '../model/kinds.js';
import type { DossierRecord } from '../model/record.js';
import { riskRows } from '../safety/risk-report.js';
import { ecosystemOf } from '../soup/coverage.js';
import type { TraceCell } from '../trace/matrix.js';
import type { GapOverview, SiteData, SiteMatrix, StepwisePart } from './data.js';
import { editorHref } from './editor.js';
import { badge, e, link, type Page, pager, table } from './layout.js';
import { neighbourhoodSvg } from './neighbourhood.js';
import {
  diagnosticsPath,
  kindPath,
  OVERVIEW,
  PAGE_SIZE,
  pageCount,
  RELEASES,
  RISK,
  recordPath,
  relative,
  SEARCH,
  SEARCH_INDEX,
  SEARCH_SCRIPT,
  type SitePath,
  SOUP,
  TRACE_INDEX,
  tracePath,
} from './paths.js';
import { approvalsSection, historyNote } from './record-history.js';

type Body = Omit<Page, 'device'>;

/** A record id as a link to its page (with its title as a tooltip), or as text when it has none. */
export function recordLink(data: SiteData, from: SitePath, id: string): string {
  const record = data.analysis.graph.get(id);
  const target = recordPath(id);
  if (!record || !target) return `<span class="missing">${e(id)} (no such record)</span>`;
  return `<a href="${e(relative(from, target))}" title="${e(record.title)}">${e(id)}</a>`;
}

function place(d: { file?: string; line?: number }): string {
  if (d.file === undefined) return '';
  return `${d.file}${d.line !== undefined ? `:${d.line}` : ''}`;
}

function severityBadge(s: Diagnostic['severity']): string {
  return badge(s === 'error' ? 'bad' : s === 'warning' ? 'warn' : 'unknown', s);
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

// ── Overview ────────────────────────────────────────────────────────────────────────────────────

export interface ProgressiveOptions {
  /**
   * Served while the server computes in the background: the release gates and the gap scan on the
   * overview, the trace matrices on the trace pages (src/site/site.ts), when not computed yet, are
   * shown as being computed (never as a result) instead of computed for this request, which at
   * 100,000 records would hold the page for seconds.
   */
  readonly progressive?: boolean;
}

export function overviewPage(data: SiteData, options: ProgressiveOptions = {}): Body {
  const path = OVERVIEW;
  const waiting = (part: StepwisePart) => options.progressive === true && !data.computed(part);
  const { analysis } = data;
  const config = analysis.project.config;
  const { safety, summary } = analysis;
  const incomplete = analysis.project.unloaded.length;
  const checks = [
    `<p class="verdict">${
      incomplete > 0
        ? badge('bad', `INCOMPLETE: ${plural(incomplete, 'record file')} did not load; nothing is complete`)
        : summary.errors > 0
          ? badge('bad', `${plural(summary.errors, 'error')}`)
          : badge('ok', 'no errors')
    } ${summary.warnings > 0 ? badge('warn', plural(summary.warnings, 'warning')) : ''} ${
      summary.infos > 0 ? badge('unknown', plural(summary.infos, 'note')) : ''
    }</p>`,
    `<p>${plural(summary.records, 'record')} in ${plural(summary.files, 'file')}. ${link(path, diagnosticsPath(1), 'All diagnostics')}</p>`,
  ];
  if (analysis.lowered.length > 0)
    checks.push(
      table(
        'Rules lowered by dossier.yaml',
        ['Rule', 'From', 'To', 'Findings', 'Reason'],
        analysis.lowered.map((l) => [
          `<code>${e(l.code)}</code>`,
          e(l.from),
          e(l.to),
          String(l.findings),
          e(l.reason ?? 'none given'),
        ]),
      ),
    );
  const device = `<dl class="facts">
<dt>Device</dt><dd>${e(config.device.name)}</dd>
<dt>Manufacturer</dt><dd>${e(config.device.manufacturer)}</dd>
<dt>Software system</dt><dd>${recordLink(data, path, config.software.system)}${config.software.version ? `, version ${e(config.software.version)}` : ''}</dd>
<dt>Declared safety class</dt><dd>${config.software.safetyClass ? e(config.software.safetyClass) : badge('unknown', 'not declared')}</dd>
<dt>Computed system class</dt><dd>${safety.system ? e(safety.system.computedClass) : badge('unknown', 'not computed')}</dd>
<dt>FDA documentation level</dt><dd>${e(safety.documentationLevel.level)}</dd>
</dl>`;
  const kinds = table(
    'Records by kind',
    ['Kind', 'Records'],
    [...data.byKind]
      .filter(([, list]) => list.length > 0)
      .map(([kind, list]) => [
        link(path, kindPath(kind), kindSpec(kind).label),
        list.length.toLocaleString('en-US'),
      ]),
    'narrow',
  );
  const coverage = advisoryCoverageSummary(analysis);
  const advisory =
    coverage.ecosystems.length === 0
      ? '<p>No SOUP in use with an ecosystem to check.</p>'
      : table(
          `Advisory data on ${coverage.date} (limit ${coverage.maxAgeDays} days)`,
          ['Ecosystem', 'SOUP items', 'Advisory data', 'Age'],
          advisoryCoverageRows(coverage).map((row) =>
            row.map((cell) =>
              /NOT CHECKED|STALE/.test(cell) ? badge(/STALE/.test(cell) ? 'warn' : 'bad', cell) : e(cell),
            ),
          ),
        );
  return {
    path,
    title: 'Overview',
    section: 'Overview',
    ...pendingOf((['releases', 'gapScan'] as const).filter(waiting)),
    body: `<h1>Overview</h1>
<section aria-labelledby="h-device"><h2 id="h-device">Device</h2>${device}</section>
<section aria-labelledby="h-check"><h2 id="h-check">Check results</h2>${checks.join('\n')}</section>
<section aria-labelledby="h-rel"><h2 id="h-rel">Release readiness</h2>${waiting('releases') ? beingComputed('The release gates are being computed') : releaseSummary(data, path)}</section>
<section aria-labelledby="h-gap"><h2 id="h-gap">Gap scan</h2>${waiting('gapScan') ? beingComputed('The gap scan is being computed') : gapSummary(data.gapScan(), path)}</section>
<section aria-labelledby="h-kinds"><h2 id="h-kinds">Records</h2>${kinds}</section>
${data.documentsIndex !== undefined ? `<section aria-labelledby="h-docs"><h2 id="h-docs">Documents</h2><p>The documentation package generated with this site: <a href="${e(relative(path, data.documentsIndex))}">documents</a> (HTML; Markdown, DOCX and PDF beside it).</p></section>` : ''}
<section aria-labelledby="h-adv"><h2 id="h-adv">SOUP advisory data</h2>${advisory}</section>`,
  };
}

/** The page's `pending` field: the parts it shows as being computed, when there are any. */
function pendingOf(parts: readonly StepwisePart[]): Pick<Body, 'pending'> {
  return parts.length > 0 ? { pending: parts } : {};
}

/** What stands for a part of a page the server is still computing: not a result, and it says when there will be one. */
function beingComputed(sentence: string): string {
  return `<p class="pending">${badge('unknown', 'being computed')} ${e(sentence)} in the background; this page reloads when it is done.</p>`;
}

/**
 * The gap scan's counts in its own words: evidence found, partial, no evidence. An assessment,
 * never "compliant" or "met"; a scan that could not run says why, in red.
 */
function gapSummary(gap: GapOverview, path: SitePath): string {
  if ('notRun' in gap) return `<p>${badge('bad', `gap scan not run: ${gap.notRun}`)}</p>`;
  const c = gap.counts;
  const rows = [
    ['Evidence found', c.evidenceFound, c.evidenceFound > 0 ? 'ok' : 'unknown'],
    ['Partial', c.partial, c.partial > 0 ? 'warn' : 'unknown'],
    ['No evidence', c.noEvidence, c.noEvidence > 0 ? 'bad' : 'unknown'],
    ['Not applicable', c.notApplicable, 'unknown'],
  ] as const;
  return `<p>${plural(c.applicable, 'applicable clause')} of IEC 62304${gap.version ? ` for version ${e(gap.version)}` : ''}: ${rows
    .map(([label, n, kind]) => badge(kind, `${label}: ${n.toLocaleString('en-US')}`))
    .join(' ')}${c.allowed > 0 ? ` ${badge('warn', `${c.allowed} accepted with --allow`)}` : ''}</p>
<p>Evidence found for ${c.evidenceFoundPercent}% of the applicable clauses. ${e(PERCENT_NOTE)} Evidence found is not a verdict: adequacy is for people to judge.</p>
<p>${gap.report !== undefined ? `The full report: <a href="${e(relative(path, gap.report))}">gap scan</a> (HTML; Markdown and JSON beside it).` : 'The full report: <code>dossier gap-scan</code>, or the gap-scan folder of <code>dossier build</code>.'}</p>`;
}

const VULNERABILITIES_NOT_CHECKED = 'release/vulnerabilities-not-checked';

/**
 * The gate's verdict: ready only when nothing blocks and everything was checked. SOUP vulnerabilities
 * not checked (no advisory data) is said on its own, grey, never green.
 */
function gateBadge(gate: GateResult | { readonly notChecked: string }): string {
  if ('notChecked' in gate) return badge('unknown', `not checked: ${gate.notChecked}`);
  const others = gate.blockers.filter((b) => b.code !== VULNERABILITIES_NOT_CHECKED).length;
  const unchecked = others < gate.blockers.length;
  return [
    others > 0 ? badge('bad', plural(others, 'blocker')) : unchecked ? '' : badge('ok', 'ready'),
    unchecked ? badge('unknown', 'SOUP vulnerabilities NOT CHECKED') : '',
  ]
    .filter((b) => b !== '')
    .join(' ');
}

function releaseSummary(data: SiteData, path: SitePath): string {
  const releases = data.releases();
  if (releases.length === 0) return '<p>No release record yet: no gate to run.</p>';
  return table(
    'Release gate per release (evidence files as the project holds them)',
    ['Release', 'Version', 'Date', 'Gate'],
    releases.map((r) => [
      recordLink(data, path, r.release.id),
      e(r.version),
      e(String(r.release.fields.date ?? '')),
      `${gateBadge(r.gate)} ${link(path, `${RELEASES}#v-${anchorOf(r.version)}`, 'details')}`,
    ]),
  );
}

function anchorOf(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, '_');
}

// ── Record ──────────────────────────────────────────────────────────────────────────────────────

function valueHtml(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return e(value);
  if (typeof value === 'number' || typeof value === 'boolean') return e(String(value));
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null))
      return e(value.map((v) => String(v)).join(', '));
    return `<ol class="values">${value.map((v) => `<li>${valueHtml(v)}</li>`).join('')}</ol>`;
  }
  if (typeof value === 'object')
    return `<dl class="values">${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `<dt>${e(k)}</dt><dd>${valueHtml(v)}</dd>`)
      .join('')}</dl>`;
  return e(String(value));
}

export function recordPage(data: SiteData, record: DossierRecord, live = false): Body {
  const path = recordPath(record.id)!;
  const { graph } = data.analysis;
  const spec = kindSpec(record.kind);
  const file = record.origin.source.path;
  const rows: [string, string][] = [
    ['Kind', link(path, kindPath(record.kind), spec.label)],
    ['Status', e(record.status)],
    ['Safety class', e(data.classOf(record.id))],
    ['File', fileCell(data, file, data.lineOf(record))],
  ];
  if (record.tags.length > 0) rows.push(['Tags', e(record.tags.join(', '))]);
  const classification = [
    ...(data.analysis.safety.system ? [data.analysis.safety.system] : []),
    ...data.analysis.safety.items,
  ].find((c) => c.id === record.id);
  if (classification) rows.push(['Why this class', e(classification.rationale)]);
  for (const [name, value] of Object.entries(record.fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    rows.push([name, valueHtml(value)]);
  const fields = `<table class="fields"><caption>Fields</caption><tbody>${rows
    .map(([k, v]) => `<tr><th scope="row">${e(k)}</th><td>${v}</td></tr>`)
    .join('')}</tbody></table>`;
  const text = record.text.trim()
    ? `<section aria-labelledby="h-text"><h2 id="h-text">Text</h2><div class="record-text">${recordHtml(record.text)}</div></section>`
    : '';
  const upRows: string[][] = [];
  const resolved = new Set<string>();
  for (const l of graph.outgoing(record)) {
    resolved.add(`${l.field}\u0000${l.index}`);
    upRows.push([e(l.field), recordLink(data, path, l.to.id), e(l.to.title), e(kindSpec(l.to.kind).label)]);
  }
  for (const [field, targets] of Object.entries(record.links))
    targets.forEach((t, i) => {
      if (!resolved.has(`${field}\u0000${i}`))
        upRows.push([e(field), recordLink(data, path, t), badge('bad', 'broken link'), '']);
    });
  const downRows = graph
    .incoming(record)
    .map((l) => [
      e(l.field),
      recordLink(data, path, l.from.id),
      e(l.from.title),
      e(kindSpec(l.from.kind).label),
    ]);
  const graphView = neighbourhoodSvg(
    graph,
    record,
    (id) => {
      const target = recordPath(id);
      return target ? relative(path, target) : undefined;
    },
    (id) => (data.diagnosticsByRecord.get(id) ?? []).some((d) => d.severity === 'error'),
  );
  const figure = graphView
    ? `<figure class="graph">${graphView}<figcaption>The records this one links to (left) and that link to it (right), two steps each way; a red border marks a record with errors. Select a record to go to it.</figcaption></figure>`
    : '';
  const links = `<section aria-labelledby="h-links"><h2 id="h-links">Trace</h2>
${figure}
${upRows.length ? table('Upstream: what this record links to', ['Link', 'Record', 'Title', 'Kind'], upRows) : '<p>Upstream: links to nothing.</p>'}
${downRows.length ? table('Downstream: records that link to this one', ['Link', 'Record', 'Title', 'Kind'], downRows) : '<p>Downstream: nothing links to this record.</p>'}
</section>`;
  const verdicts = record.kind === 'test' ? (data.verdicts().get(record.id) ?? []) : [];
  const results =
    record.kind !== 'test'
      ? ''
      : `<section aria-labelledby="h-results"><h2 id="h-results">Results</h2>${
          verdicts.length === 0
            ? `<p>${badge('unknown', 'not run')} No test run records a result for this test.</p>`
            : table(
                'Latest result per software version',
                ['Version', 'Outcome', 'Run', 'Date', 'Message'],
                verdicts.map((v) => [
                  e(v.version),
                  badge(
                    v.outcome === 'passed'
                      ? 'ok'
                      : v.outcome === 'skipped' || v.outcome === 'not-run'
                        ? 'unknown'
                        : 'bad',
                    v.outcome,
                  ),
                  recordLink(data, path, v.runId),
                  e(v.date),
                  e(v.message ?? ''),
                ]),
              )
        }</section>`;
  const risk = record.kind === 'hazardous-situation' ? riskSection(data, path, record.id) : '';
  const diags = data.diagnosticsByRecord.get(record.id) ?? [];
  const diagnostics = `<section aria-labelledby="h-diag"><h2 id="h-diag">Diagnostics</h2>${
    diags.length === 0
      ? `<p>${badge('ok', 'none')} The checks found nothing on this record.</p>`
      : diagnosticTable('Diagnostics on this record', diags, path, data, false)
  }</section>`;
  return {
    path,
    title: `${record.id} ${record.title}`,
    section: '',
    body: `<p class="crumbs">${link(path, kindPath(record.kind), spec.label)} ›</p>
<h1><span class="id">${e(record.id)}</span> ${e(record.title)}</h1>
${fields}
${text}
${links}
${results}
${risk}
${diagnostics}
${approvalsSection(data, record)}
${historyNote(path, record, live)}`,
  };
}

/** File and line, with a link that opens them in the editor when the site has editor links. */
function fileCell(data: SiteData, file: string, line: number): string {
  const place = `<code>${e(`${file}:${line}`)}</code>`;
  const href = data.editor ? editorHref(data.editor, file, line) : undefined;
  return href ? `${place} <a class="editor" href="${e(href)}">open in editor</a>` : place;
}

function riskSection(data: SiteData, path: SitePath, id: string): string {
  const risk = data.analysis.safety.risks.find((r) => r.situation.id === id);
  if (!risk) return '';
  const [row] = riskRows([risk]);
  if (!row) return '';
  return `<section aria-labelledby="h-risk"><h2 id="h-risk">Risk</h2><dl class="facts">
<dt>Initial risk</dt><dd>${e(row.initial)} (${e(row.initialAcceptability)})</dd>
<dt>Controls</dt><dd>${risk.controls.map((c) => recordLink(data, path, c.control.id)).join(', ') || badge('warn', 'none')}</dd>
<dt>Residual risk</dt><dd>${e(row.residual)} (${e(row.residualAcceptability)})</dd>
<dt>Implementation verified by</dt><dd>${row.implementationVerifiedBy.map((t) => recordLink(data, path, t)).join(', ') || badge('warn', 'nothing')}</dd>
<dt>Effectiveness verified by</dt><dd>${row.effectivenessVerifiedBy.map((t) => recordLink(data, path, t)).join(', ') || badge('warn', 'nothing')}</dd>
</dl></section>`;
}

// ── Kind lists ──────────────────────────────────────────────────────────────────────────────────

export function kindPage(data: SiteData, kind: KindName, page: number): Body | undefined {
  const list = data.byKind.get(kind) ?? [];
  if (page < 1 || page > pageCount(list.length)) return undefined;
  const path = kindPath(kind, page);
  const label = kindSpec(kind).label;
  const slice = list.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const rows = slice.map((r) => [
    recordLink(data, path, r.id),
    e(r.title),
    e(r.status),
    `<code>${e(r.origin.source.path)}</code>`,
    String((data.diagnosticsByRecord.get(r.id) ?? []).length || ''),
  ]);
  const nav = pager(path, page, list.length, (p) => kindPath(kind, p));
  return {
    path,
    title: `${label} records`,
    section: '',
    body: `<h1>${e(label)} records</h1><p>${plural(list.length, 'record')}.</p>${nav}${table(label, ['Id', 'Title', 'Status', 'File', 'Diagnostics'], rows)}${nav}`,
  };
}

// ── Trace ───────────────────────────────────────────────────────────────────────────────────────

export function traceIndexPage(data: SiteData): Body {
  const path = TRACE_INDEX;
  const items = data.matrices().map((m) => {
    const coverage = m.matrix.coverage
      .map((c) => {
        const pct = c.total === 0 ? 100 : Math.floor((c.covered / c.total) * 1000) / 10;
        return `<li>${e(kindSpec(c.from).label)} → ${e(kindSpec(c.to).label)}: ${c.covered}/${c.total} (${pct}%) ${
          c.covered === c.total ? badge('ok', 'covered') : badge('warn', `${c.total - c.covered} missing`)
        }</li>`;
      })
      .join('');
    return `<section><h2>${e(m.matrix.title)}</h2><p>${plural(m.matrix.rows.length, 'row')}, ${
      m.gapRows.length ? badge('bad', `${plural(m.gapRows.length, 'row')} with gaps`) : badge('ok', 'no gaps')
    } · ${link(path, tracePath(m.slug), 'all rows')} · ${link(path, tracePath(`${m.slug}-gaps`), 'rows with gaps only')}</p><ul>${coverage}</ul></section>`;
  });
  return {
    path,
    title: 'Trace',
    section: 'Trace',
    body: `<h1>Traceability</h1><p>One matrix per configured chain (dossier.yaml <code>trace.chains</code>). An empty cell is a gap.</p>${items.join('\n')}`,
  };
}

/** A trace page served before the matrices are computed: what it will show, and that it reloads then. */
export function matricesBeingComputed(path: SitePath, title: string, heading = title): Body {
  return {
    path,
    title,
    section: 'Trace',
    pending: ['matrices'],
    body: `<h1>${e(heading)}</h1>${beingComputed('The trace matrices are being computed')}`,
  };
}

export function tracePage(data: SiteData, m: SiteMatrix, gapsOnly: boolean, page: number): Body | undefined {
  const rows = gapsOnly ? m.gapRows : undefined;
  const total = rows ? rows.length : m.matrix.rows.length;
  if (page < 1 || page > pageCount(total)) return undefined;
  const slug = gapsOnly ? `${m.slug}-gaps` : m.slug;
  const path = tracePath(slug, page);
  const indexes = rows
    ? rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
    : Array.from(
        { length: Math.min(PAGE_SIZE, total - (page - 1) * PAGE_SIZE) },
        (_, i) => (page - 1) * PAGE_SIZE + i,
      );
  const matrix = m.matrix;
  const cell = (ids: TraceCell): string =>
    ids === null
      ? '<span class="na">n/a</span>'
      : ids.length === 0
        ? '<strong class="gap-mark">GAP</strong>'
        : ids.map((id) => recordLink(data, path, id)).join(', ');
  const headers = [
    ...matrix.columns,
    ...(matrix.verification ? [`Verified on ${matrix.verification.version}`] : []),
  ];
  const body = indexes
    .map((i) => {
      const row = matrix.rows[i]!;
      const cells = row.cells.map(
        (c) => `<td${c !== null && c.length === 0 ? ' class="gap"' : ''}>${cell(c)}</td>`,
      );
      if (matrix.verification) {
        const v = matrix.verification.rows[i]!;
        cells.push(`<td${/UNVERIFIED/.test(v) ? ' class="gap"' : ''}>${e(v)}</td>`);
      }
      return `<tr${row.gapAt >= 0 ? ' class="has-gap"' : ''}>${cells.join('')}</tr>`;
    })
    .join('\n');
  const nav = pager(path, page, total, (p) => tracePath(slug, p));
  const filter = gapsOnly
    ? `Showing rows with gaps only · ${link(path, tracePath(m.slug), 'show all rows')}`
    : `Showing all rows · ${link(path, tracePath(`${m.slug}-gaps`), 'show rows with gaps only')}`;
  return {
    path,
    title: matrix.title,
    section: 'Trace',
    body: `<p class="crumbs">${link(path, TRACE_INDEX, 'Trace')} ›</p><h1>${e(matrix.title)}</h1>
<p>${plural(total, 'row')}. ${filter}</p>${nav}
<div class="table-wrap"><table class="matrix"><caption>${e(matrix.title)}, page ${page}</caption><thead><tr>${headers
      .map((h) => `<th scope="col">${e(h)}</th>`)
      .join('')}</tr></thead><tbody>
${body || `<tr><td colspan="${headers.length}">No rows.</td></tr>`}
</tbody></table></div>${nav}`,
  };
}

// ── Risk ────────────────────────────────────────────────────────────────────────────────────────

export function riskPath(page: number): SitePath {
  return page === 1 ? RISK : `risk/${page}.html`;
}

/** Page 1 (risk.html): the matrices and the first hazardous situations; later pages: more rows. */
export function riskPage(data: SiteData, page = 1): Body | undefined {
  const path = riskPath(page);
  const all = data.analysis.safety.risks;
  if (page < 1 || page > pageCount(all.length)) return undefined;
  const { safety } = data.analysis;
  const svgs = data.riskSvgs();
  const matrices =
    page > 1
      ? ''
      : svgs
        ? `<div class="matrices"><figure>${svgs.initial}<figcaption>Before risk control</figcaption></figure><figure>${svgs.residual}<figcaption>After risk control</figcaption></figure></div>`
        : `<p>${badge('unknown', 'not evaluated')} No risk policy in dossier.yaml: risks cannot be placed in a matrix.</p>`;
  const rows = data
    .riskRows()
    .slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
    .map((r) => [
      recordLink(data, path, r.id),
      e(r.title),
      r.hazards.map((h) => recordLink(data, path, h)).join(', '),
      e(r.harm),
      `${e(r.initial)} ${r.initialAcceptability === 'UNACCEPTABLE' ? badge('bad', 'unacceptable') : r.initialAcceptability === '—' ? badge('unknown', 'not evaluated') : ''}`,
      r.controls.map((c) => e(c)).join('<br>'),
      `${e(r.residual)} ${r.residualAcceptability === 'UNACCEPTABLE' ? badge('bad', 'unacceptable') : r.residualAcceptability === '—' ? badge('unknown', 'not evaluated') : badge('ok', 'acceptable')}`,
    ]);
  const nav = pager(path, page, all.length, riskPath);
  const trace = safety.softwareRiskTrace.length
    ? `<p>The IEC 62304 7.3.3 software risk trace: ${link(path, riskTracePath(1), plural(safety.softwareRiskTrace.length, 'row'))} (hazardous situation → software item → cause → risk control → verification).</p>`
    : '';
  return {
    path,
    title: 'Risk',
    section: 'Risk',
    body: `<h1>Risk management</h1>
${matrices ? `<section aria-labelledby="h-m"><h2 id="h-m">Risk matrices</h2>${matrices}</section>` : ''}
<section aria-labelledby="h-hs"><h2 id="h-hs">Hazardous situations</h2><p>${plural(all.length, 'hazardous situation')}.</p>${nav}${table(
      'Hazardous situations, initial and residual risk',
      ['Id', 'Situation', 'Hazards', 'Harm', 'Initial risk', 'Risk controls', 'Residual risk'],
      rows,
    )}${nav}${page === 1 ? trace : ''}</section>`,
  };
}

export function riskTracePath(page: number): SitePath {
  return `risk/trace-${page}.html`;
}

/** The 7.3.3 software risk trace, a page at a time; a row without verification says so in red. */
export function riskTracePage(data: SiteData, page: number): Body | undefined {
  const all = data.analysis.safety.softwareRiskTrace;
  if (page < 1 || page > pageCount(all.length)) return undefined;
  const path = riskTracePath(page);
  const ids = (list: readonly string[]) => list.map((id) => recordLink(data, path, id)).join(', ');
  const rows = all
    .slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
    .map((r) => [
      recordLink(data, path, r.situation),
      recordLink(data, path, r.item),
      `${e(r.cause)} <small>(${e(r.category)}, ${e(r.clause)})</small>`,
      r.soup ? recordLink(data, path, r.soup) : '',
      r.controls.length ? ids(r.controls) : badge('bad', 'no control'),
      r.verifiedBy.length ? ids(r.verifiedBy) : badge('bad', 'not verified'),
    ]);
  const nav = pager(path, page, all.length, riskTracePath);
  return {
    path,
    title: 'Software risk trace',
    section: 'Risk',
    body: `<p class="crumbs">${link(path, RISK, 'Risk')} ›</p><h1>Software risk trace (7.3.3)</h1><p>${plural(all.length, 'row')}.</p>${nav}${table(
      'Hazardous situation, software item, cause, risk control, verification',
      ['Hazardous situation', 'Software item', 'Cause', 'SOUP', 'Risk controls', 'Verified by'],
      rows,
    )}${nav}`,
  };
}

// ── SOUP ────────────────────────────────────────────────────────────────────────────────────────

export function soupPage(data: SiteData): Body {
  const path = SOUP;
  const { analysis } = data;
  const scan = analysis.soupScan;
  const notScanned = new Set(scan?.notScanned.map((n) => n.soupId) ?? []);
  const unmatchable = new Map(scan?.unmatchable.map((u) => [u.soupId, u.why]) ?? []);
  const findingsOf = new Map<string, number>();
  for (const f of scan?.findings ?? []) findingsOf.set(f.soupId, (findingsOf.get(f.soupId) ?? 0) + 1);
  const status = (id: string): string => {
    if (!scan) return badge('unknown', 'not scanned: no advisory data');
    if (unmatchable.has(id)) return badge('unknown', `not matchable: ${unmatchable.get(id)}`);
    if (notScanned.has(id)) return badge('unknown', 'not scanned: no data for its ecosystem');
    const n = findingsOf.get(id) ?? 0;
    return n > 0 ? badge('warn', plural(n, 'finding')) : badge('ok', 'no known vulnerability');
  };
  const rows = [...analysis.safety.soup]
    .sort((a, b) => (a.soup.id < b.soup.id ? -1 : 1))
    .map(({ soup, cls }) => [
      recordLink(data, path, soup.id),
      e(soup.title),
      e(String(soup.fields.version ?? '')),
      e(ecosystemOf(soup) ?? 'none'),
      e(cls),
      e(String(soup.fields.supportLevel ?? '')),
      e(String(soup.fields.endOfSupport ?? '')),
      status(soup.id),
    ]);
  const findings = scan
    ? scan.findings.length === 0
      ? `<p>${badge('ok', 'none')} No advisory matches the SOUP versions scanned.</p>`
      : table(
          'Findings and their evaluations',
          ['SOUP', 'Advisory', 'Summary', 'Severity', 'Evaluation'],
          scan.findings.map((f) => [
            recordLink(data, path, f.soupId),
            e(f.advisory),
            e(f.summary ?? ''),
            e(f.severity.join(', ')),
            f.evaluation && !f.staleBecause
              ? recordLink(data, path, f.evaluation.id)
              : badge('bad', f.staleBecause ? `evaluation stale: ${f.staleBecause}` : 'not evaluated'),
          ]),
        )
    : `<p>${badge('unknown', 'NOT CHECKED')} No advisory data was loaded: known vulnerabilities of the SOUP were not checked. Run <code>dossier advisories sync</code>.</p>`;
  return {
    path,
    title: 'SOUP',
    section: 'SOUP',
    body: `<h1>SOUP</h1>
<section aria-labelledby="h-inv"><h2 id="h-inv">Inventory</h2>${table(
      `${plural(rows.length, 'SOUP item')}`,
      ['Id', 'Title', 'Version', 'Ecosystem', 'Class', 'Support', 'End of support', 'Vulnerabilities'],
      rows,
    )}</section>
<section aria-labelledby="h-find"><h2 id="h-find">Vulnerability findings</h2>${findings}</section>`,
  };
}

// ── Diagnostics ─────────────────────────────────────────────────────────────────────────────────

function diagnosticTable(
  caption: string,
  list: readonly Diagnostic[],
  path: SitePath,
  data: SiteData,
  withRecord: boolean,
  hideCaption = false,
): string {
  return table(
    caption,
    [...(withRecord ? ['Record'] : []), 'Severity', 'Rule', 'Message', 'Where'],
    list.map((d) => [
      ...(withRecord ? [d.recordId ? recordLink(data, path, d.recordId) : ''] : []),
      severityBadge(d.severity),
      `<code>${e(d.code)}</code>`,
      `${e(d.message)}${d.hint ? `<br><small>${e(d.hint)}</small>` : ''}`,
      `<code>${e(place(d))}</code>`,
    ]),
    '',
    hideCaption,
  );
}

export function diagnosticsPage(data: SiteData, page: number): Body | undefined {
  const all = data.diagnosticsByRule;
  if (page < 1 || page > pageCount(all.length)) return undefined;
  const path = diagnosticsPath(page);
  const slice = all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const groups: string[] = [];
  let i = 0;
  while (i < slice.length) {
    const code = slice[i]!.code;
    const files: string[] = [];
    while (i < slice.length && slice[i]!.code === code) {
      const file = slice[i]!.file ?? '(project)';
      const start = i;
      while (i < slice.length && slice[i]!.code === code && (slice[i]!.file ?? '(project)') === file) i++;
      files.push(
        `<h3><code>${e(file)}</code></h3>${diagnosticTable(`${code} in ${file}`, slice.slice(start, i), path, data, true, true)}`,
      );
    }
    groups.push(`<section><h2><code>${e(code)}</code></h2>${files.join('\n')}</section>`);
  }
  const summary = table(
    'Diagnostics by rule',
    ['Rule', 'Count', 'First page'],
    data.rules.map((r) => {
      const first = Math.floor(r.first / PAGE_SIZE) + 1;
      return [
        `<code>${e(r.code)}</code>`,
        r.count.toLocaleString('en-US'),
        link(path, diagnosticsPath(first), `page ${first}`),
      ];
    }),
    'narrow',
  );
  const nav = pager(path, page, all.length, diagnosticsPath);
  return {
    path,
    title: 'Diagnostics',
    section: 'Diagnostics',
    body: `<h1>Diagnostics</h1><p>${plural(all.length, 'diagnostic')}, grouped by rule and file.</p>${
      all.length === 0
        ? `<p>${badge('ok', 'none')}</p>`
        : `${page === 1 ? summary : ''}${nav}${groups.join('\n')}${nav}`
    }`,
  };
}

// ── Releases ────────────────────────────────────────────────────────────────────────────────────

export function releasesPage(data: SiteData): Body {
  const path = RELEASES;
  const releases = data.releases();
  const sections = releases.map((r) => {
    const gate = r.gate;
    let detail: string;
    if ('notChecked' in gate) detail = `<p>${gateBadge(gate)}</p>`;
    else if (gate.blockers.length === 0)
      detail = `<p>${gateBadge(gate)} Every check of the release gate passed.</p>`;
    else {
      const byClause = new Map<string, (typeof gate.blockers)[number][]>();
      for (const b of gate.blockers) {
        const key = b.clauses.length ? b.clauses.join(', ') : 'no clause';
        const list = byClause.get(key);
        if (list) list.push(b);
        else byClause.set(key, [b]);
      }
      detail = `<p>${gateBadge(gate)}</p>${table(
        `Blockers of ${r.version} by clause`,
        ['Clause', 'Check', 'Blocker', 'Record'],
        [...byClause]
          .flatMap(([clause, list]) => list.map((b) => [clause, b] as const))
          .slice(0, PAGE_SIZE)
          .map(([clause, b]) => [
            e(clause),
            `<code>${e(b.code)}</code>`,
            e(b.message),
            b.recordId ? recordLink(data, path, b.recordId) : String(b.records?.length ?? ''),
          ]),
      )}${
        gate.blockers.length > PAGE_SIZE
          ? `<p>The first ${PAGE_SIZE} of ${plural(gate.blockers.length, 'blocker')} are shown; <code>dossier release check ${e(r.version)}</code> lists them all.</p>`
          : ''
      }`;
    }
    return `<section id="v-${e(anchorOf(r.version))}"><h2>Release ${e(r.version)} ${recordLink(data, path, r.release.id)}</h2><p>Date: ${e(String(r.release.fields.date ?? 'not dated'))}. Status: ${e(r.release.status)}.</p>${detail}</section>`;
  });
  return {
    path,
    title: 'Releases',
    section: 'Releases',
    body: `<h1>Releases</h1>${sections.length ? sections.join('\n') : '<p>No release record yet: no gate to run.</p>'}`,
  };
}

// ── Search ──────────────────────────────────────────────────────────────────────────────────────

export interface SearchResults {
  readonly query: string;
  readonly total: number;
  readonly hits: readonly { readonly id: string; readonly kind: KindName; readonly title: string }[];
}

/**
 * The search page. With results (the server), they are in the page; without (the static site), a
 * script reads the query and the index and fills the list, with text nodes only.
 */
export function searchPage(data: SiteData, results?: SearchResults): Body {
  const path = SEARCH;
  const q = results?.query ?? '';
  const list = results
    ? `<p id="search-count">${results.query === '' ? 'Type a query.' : `${plural(results.total, 'record')} match${results.total === 1 ? 'es' : ''}${results.total > results.hits.length ? `; the first ${results.hits.length} are shown` : ''}.`}</p><ol id="search-results" class="results">${results.hits
        .map(
          (h) =>
            `<li>${recordLink(data, path, h.id)} <span class="kind">${e(kindSpec(h.kind).label)}</span> ${e(h.title)}</li>`,
        )
        .join('')}</ol>`
    : '<p id="search-count">Type a query.</p><ol id="search-results" class="results"></ol><noscript><p>Searching the static site needs JavaScript; every record is also listed by kind on the overview.</p></noscript>';
  return {
    path,
    title: 'Search',
    section: 'Search',
    body: `<h1>Search</h1><form role="search" action="${e(relative(path, SEARCH))}" method="get" class="big-search"><label for="q">Id, title or text</label> <input id="q" name="q" type="search" value="${e(q)}"> <button type="submit">Search</button></form>${list}`,
    ...(results ? {} : { scripts: [SEARCH_INDEX, SEARCH_SCRIPT] }),
  };
}
