/**
 * Outputs of the release gate: the blocker report (text, JSON), the evidence manifest (5.8.7,
 * 5.8.8), and the FDA "Software Version History" and "Unresolved Software Anomalies" tables.
 */

import { describeLowering } from '../diagnostics/format.js';
import type { TraceGraph } from '../graph/graph.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { RELEASE_FORMATS } from '../report-formats.js';
import { needsEvaluation } from '../soup/scan.js';
import { joinChunks, LazyList, prettyJsonChunks } from '../util/json-chunks.js';
import { markdownCell, markdownTableLines } from '../util/markdown.js';
import type { GateResult } from './release-gate.js';

export { RELEASE_FORMATS };

export function renderGateText(result: GateResult): string {
  const lines: string[] = [];
  const title = result.release ? `${result.release.id} ${result.release.title}` : `version ${result.version}`;
  lines.push(`Release gate for ${result.version} (${title})`);
  lines.push(`Test runs on ${result.version}: ${result.runs.length > 0 ? result.runs.join(', ') : 'none'}`);
  const byClause = new Map<string, string[]>();
  for (const b of result.blockers) {
    const key = `${b.clauses.join(', ')}  ${b.code}`;
    // Push, not spread: copying the list per blocker made 100,000 blockers take 15 s.
    const messages = byClause.get(key);
    if (messages) messages.push(b.message);
    else byClause.set(key, [b.message]);
  }
  for (const [key, messages] of [...byClause].sort(
    ([a], [b]) => clauseOrder(a) - clauseOrder(b) || (a < b ? -1 : 1),
  )) {
    lines.push('', `✖ ${key} (${messages.length})`);
    for (const m of messages) lines.push(`  - ${m}`);
  }
  if (result.waived.length > 0) {
    lines.push('', 'Not required, by dossier.yaml (`release.approvals`):');
    for (const w of result.waived) lines.push(`  - ${w.code} for ${w.kind}: ${w.reason}`);
  }
  lines.push(...advisoryDataLines(result), ...postmarketLines(result), ...carriedForwardLines(result));
  if (result.lowered.length > 0) {
    lines.push('', 'Lowered by dossier.yaml (the verdict relies on these reasons):');
    for (const rule of result.lowered) lines.push(`  - ${describeLowering(rule)}`);
  }
  lines.push(
    '',
    result.blockers.length === 0
      ? `✔ ${result.version} may be released: no blockers`
      : `✖ ${result.version} is blocked: ${result.blockers.length} blocker(s)`,
  );
  return `${lines.join('\n')}\n`;
}

/** The advisory data the SOUP checks relied on (7.1.3), each ecosystem with its age at the reference date. */
function advisoryDataLines(result: GateResult): string[] {
  const used = result.advisoryData.filter((f) => f.status !== 'unused');
  const unused = result.advisoryData.filter((f) => f.status === 'unused').map((f) => f.ecosystem);
  const lines = [
    '',
    `Advisory data at ${result.referenceDate} (7.1.3; data must reach to within ${result.advisoryMaxAgeDays} days):`,
  ];
  if (used.length === 0) lines.push(`  no SOUP of ${result.version} can be matched against advisory data`);
  for (const f of used) {
    const items = `${f.items} SOUP item${f.items === 1 ? '' : 's'}`;
    lines.push(
      `  ${f.ecosystem}: ${items}, ${
        f.status === 'no-data'
          ? 'NOT CHECKED: no advisory data'
          : `${f.advisories} advisories, newest ${f.newestModified?.slice(0, 10) ?? 'unknown'}${f.ageDays !== null ? ` (${f.ageDays} days)` : ''}${f.status === 'stale' ? ' STALE' : ''}`
      }`,
    );
  }
  if (unused.length > 0)
    lines.push(`  also loaded, used by no SOUP of ${result.version}: ${unused.join(', ')}`);
  lines.push(
    result.kev
      ? `  CISA KEV: catalog ${result.kev.catalogVersion} (released ${result.kev.dateReleased.slice(0, 10)}, ${result.kev.ageDays} days)${result.kev.stale ? ` STALE: what CISA listed in the last ${result.kev.ageDays} days before ${result.referenceDate} was NOT CHECKED; import a current catalog` : ''}`
      : '  CISA KEV: NOT CHECKED: no catalog loaded, so known exploited vulnerabilities cannot block (release/kev-unevaluated)',
  );
  return lines;
}

/** Results reused from earlier versions, each with whether the assessment let it count. */
function carriedForwardLines(result: GateResult): string[] {
  const carried = result.carriedForward ?? [];
  if (carried.length === 0) return [];
  return [
    '',
    'Carried-forward results (reused from earlier versions; 5.6.6, 8.2.3):',
    ...carried.map(
      (c) =>
        `  ${c.valid ? '✔' : '✖'} ${c.run} (${c.tests.join(', ')}): ${
          c.valid
            ? `outside the impact of the ${c.changedRecords} record and ${c.changedFiles} source file change(s) between ${c.from?.slice(0, 12)} and ${c.to}; counted for ${result.version}`
            : 'not counted (see release/carried-forward-invalid)'
        }. Rationale: ${c.rationale}`,
    ),
  ];
}

/** Advisories published after the reference date: for postmarket surveillance, not blockers. */
function postmarketLines(result: GateResult): string[] {
  if (result.postmarket.length === 0) return [];
  return [
    '',
    `Postmarket findings (published after ${result.referenceDate}; evaluate them, they do not block ${result.version}):`,
    ...result.postmarket.map(
      (f) =>
        `  ${f.soupId} ${f.packageName} ${f.version}: ${f.advisory} published ${f.published?.slice(0, 10) ?? '?'}${f.evaluation ? `, evaluated in ${f.evaluation.id}` : ', not evaluated yet'}`,
    ),
  ];
}

/** The advisory data part of the JSON report and of the evidence manifest. */
function advisoryDataJson(result: GateResult) {
  return {
    referenceDate: result.referenceDate,
    maxAgeDays: result.advisoryMaxAgeDays,
    ecosystems: result.advisoryData,
  };
}

function postmarketJson(result: GateResult) {
  return result.postmarket.map((f) => ({
    soup: f.soupId,
    advisory: f.advisory,
    published: f.published ?? null,
    evaluation: f.evaluation?.id ?? null,
    needsEvaluation: needsEvaluation(f),
  }));
}

/** Orders "5.5.4" before "5.7.1" before "7.1.3" before "8.2.3". */
function clauseOrder(key: string): number {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(key);
  return m ? Number(m[1]) * 10_000 + Number(m[2]) * 100 + Number(m[3] ?? 0) : 1e9;
}

export function renderGateJson(result: GateResult): string {
  return joinChunks(gateJsonChunks(result));
}

/** The JSON report of the gate, in pieces: one blocker at a time (docs/json.md). */
export function gateJsonChunks(result: GateResult): Iterable<string> {
  return prettyJsonChunks({
    schemaVersion: 1,
    version: result.version,
    release: result.release?.id ?? null,
    releasable: result.blockers.length === 0,
    runs: result.runs,
    blockers: LazyList.of(result.blockers, (b) => ({
      code: b.code,
      clauses: b.clauses,
      message: b.message,
      record: b.recordId ?? null,
      ...(b.records ? { records: b.records } : {}),
    })),
    waived: result.waived,
    advisoryData: advisoryDataJson(result),
    kev: result.kev,
    postmarket: postmarketJson(result),
    lowered: result.lowered,
    ...(result.carriedForward
      ? {
          carriedForward: result.carriedForward.map((c) => ({
            run: c.run,
            tests: c.tests,
            valid: c.valid,
            from: c.from ?? null,
            to: c.to,
            problems: c.problems,
            rationale: c.rationale,
          })),
        }
      : {}),
  });
}

export interface ManifestEntry {
  readonly path: string;
  readonly sha256: string;
  readonly role: 'evidence' | 'document';
  /** For evidence: the hash recorded when it was imported, when it differs (the file changed since). */
  readonly recordedSha256?: string;
}

export function evidenceManifest(
  result: GateResult,
  entries: readonly ManifestEntry[],
  tool: { name: string; version: string },
): string {
  return `${JSON.stringify(
    {
      schemaVersion: 1,
      tool,
      version: result.version,
      release: result.release?.id ?? null,
      releasable: result.blockers.length === 0,
      advisoryData: advisoryDataJson(result),
      postmarket: postmarketJson(result),
      files: [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    },
    null,
    2,
  )}\n`;
}

/** The first paragraph of a record's text, on one line (a table cell's excerpt). */
export const firstParagraph = (text: string) =>
  text
    .trim()
    .split(/\n\s*\n/)[0]
    ?.replace(/\s+/g, ' ') ?? '';

/** The active releases, oldest first: by date, then id (an undated release sorts first). */
export function releasesInOrder(graph: TraceGraph): DossierRecord[] {
  return graph
    .ofKind('release')
    .filter(isActive)
    .sort(
      (a, b) => String(a.fields.date ?? '').localeCompare(String(b.fields.date ?? '')) || compareById(a, b),
    );
}

/** One release of the version history: what it changed and the anomalies it was released with. */
export interface VersionHistoryEntry {
  readonly release: DossierRecord;
  readonly version: string;
  readonly date: string | undefined;
  /** The change requests it includes (`includes`), as written; an id without a record stays an id. */
  readonly changes: readonly { readonly id: string; readonly record?: DossierRecord }[];
  /** Without change requests: the first paragraph of the release's text, which says what changed. */
  readonly summary: string;
  /** The known residual anomalies it lists (5.8.2). */
  readonly knownAnomalies: readonly string[];
}

/** FDA 2023 software guidance, "Software Version History": one entry per release, oldest first. */
export function versionHistory(graph: TraceGraph): VersionHistoryEntry[] {
  return releasesInOrder(graph).map((r) => ({
    release: r,
    version: String(r.fields.version),
    date: typeof r.fields.date === 'string' ? r.fields.date : undefined,
    changes: (r.links.includes ?? []).map((id) => {
      const record = graph.byId.get(id);
      return record ? { id, record } : { id };
    }),
    summary: firstParagraph(r.text),
    knownAnomalies: r.links.knownAnomalies ?? [],
  }));
}

/** The version history as table rows (the release report's table). */
export function versionHistoryRows(graph: TraceGraph): string[][] {
  return versionHistory(graph).map((entry) => {
    const changes = entry.changes.map((c) => (c.record ? `${c.id} ${c.record.title}` : c.id));
    return [
      entry.version,
      entry.date ?? '',
      entry.release.id,
      changes.length > 0 ? changes.join('; ') : entry.summary,
      String(entry.knownAnomalies.length),
    ];
  });
}

export const VERSION_HISTORY_HEADER = ['Version', 'Date', 'Release record', 'Changes', 'Known anomalies'];
export const ANOMALIES_HEADER = [
  'Problem report',
  'Title',
  'Criticality',
  'State',
  'Description',
  'Evaluation of residual risk (5.8.3)',
];

/** FDA 2023 software guidance, "Unresolved Software Anomalies": the known anomalies of one release. */
export function unresolvedAnomalyRows(graph: TraceGraph, release: DossierRecord | undefined): string[][] {
  return knownAnomaliesOf(graph, release).map((p) => [
    p.id,
    p.title,
    String(p.fields.criticality ?? ''),
    String(p.fields.state ?? ''),
    firstParagraph(p.text),
    String(p.fields.residualRisk ?? 'NOT EVALUATED'),
  ]);
}

/**
 * The known residual anomalies a release lists (5.8.2), by id; an id that names no record is left
 * to the link check (`dossier check` reports it as a broken link).
 */
export function knownAnomaliesOf(graph: TraceGraph, release: DossierRecord | undefined): DossierRecord[] {
  return (release?.links.knownAnomalies ?? [])
    .map((id) => graph.byId.get(id))
    .filter((p): p is DossierRecord => p !== undefined)
    .sort(compareById);
}

export function markdownTable(title: string, header: readonly string[], rows: readonly string[][]): string {
  const lines = [
    `# ${title}`,
    '',
    ...markdownTableLines(
      header,
      rows.map((row) => row.map(markdownCell)),
    ),
  ];
  if (rows.length === 0) lines.push('', '_None._');
  return `${lines.join('\n')}\n`;
}
