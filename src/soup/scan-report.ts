/**
 * `dossier soup scan` output: every finding with its evaluation, what could not be matched, and the
 * postmarket view (what is new or changed since a date or since the last scan).
 */
import type { Analysis } from '../analyze.js';
import { listIds, plural } from '../diagnostics/format.js';
import { SCAN_FORMATS } from '../report-formats.js';
import { loadDataHint, notScannedText } from './coverage.js';
import { cvssRatings, cvssText } from './cvss/ratings.js';
import { kevText } from './kev/catalog.js';
import { epssText } from './kev/epss.js';
import { NVD_SOURCE } from './nvd/types.js';
import { GIT_SOURCE } from './osv/git.js';
import { kevUnevaluated, needsEvaluation, type SoupFinding, type SoupScan } from './scan.js';

export { SCAN_FORMATS };

/** A finding as seen by postmarket monitoring. */
export interface MonitoredFinding {
  readonly finding: SoupFinding;
  /** Published (or first seen) on or after the date / absent from the last scan. */
  readonly isNew: boolean;
  /** The advisory was modified after its evaluation was written: the evaluation must be reviewed. */
  readonly changedSinceEvaluation: boolean;
}

export interface ScanReportInput {
  readonly scan: SoupScan;
  /** Class of each SOUP id. */
  readonly classes: ReadonlyMap<string, string>;
  readonly titles: ReadonlyMap<string, string>;
  /** Advisory data loaded, per ecosystem: snapshot date. */
  readonly snapshots: readonly {
    readonly ecosystem: string;
    readonly snapshot?: string;
    readonly advisories: number;
  }[];
  /** Postmarket mode: only findings that are new or changed since this point. */
  readonly since?: { readonly label: string; readonly findings: readonly MonitoredFinding[] };
}

/** The report input for an analysis that scanned its SOUP: classes and titles come from the records. */
export function scanReportInput(
  analysis: Pick<Analysis, 'safety' | 'graph'>,
  scan: SoupScan,
  snapshots: ScanReportInput['snapshots'],
  since?: ScanReportInput['since'],
): ScanReportInput {
  return {
    scan,
    classes: new Map(analysis.safety.soup.map((s) => [s.soup.id, s.cls])),
    titles: new Map(analysis.graph.ofKind('soup').map((s) => [s.id, s.title])),
    snapshots,
    ...(since ? { since } : {}),
  };
}

/** The findings that should fail a CI job: unevaluated, stale, or (when monitoring) changed since evaluation. */
export function actionable(input: ScanReportInput): SoupFinding[] {
  if (input.since) {
    return input.since.findings
      .filter((m) => needsEvaluation(m.finding) || m.changedSinceEvaluation)
      .map((m) => m.finding);
  }
  return input.scan.findings.filter(needsEvaluation);
}

/** The SOUP not scanned, per ecosystem (sorted by name, ids sorted): the data holds nothing for it. */
export function notScannedByEcosystem(
  scan: SoupScan,
): { ecosystem: string; soup: string[]; reason: string }[] {
  const byEcosystem = new Map<string, string[]>();
  for (const n of scan.notScanned)
    byEcosystem.set(n.ecosystem, [...(byEcosystem.get(n.ecosystem) ?? []), n.soupId]);
  return [...byEcosystem]
    .sort(([a], [b]) => a.toLowerCase().localeCompare(b.toLowerCase()))
    .map(([ecosystem, soup]) => ({ ecosystem, soup: soup.sort(), reason: `no ${ecosystem} advisory data` }));
}

/**
 * Whether `dossier soup scan` fails (exit 1): a finding needs evaluation, or SOUP was not scanned
 * because the data holds nothing for its ecosystem ("not checked" is never "none").
 */
export function scanFails(input: ScanReportInput): boolean {
  return actionable(input).length > 0 || input.scan.notScanned.length > 0;
}

/** Postmarket view against a date: advisories published or modified on or after it. */
export function monitorSince(scan: SoupScan, since: string): MonitoredFinding[] {
  return scan.findings
    .filter((f) => (f.published ?? f.modified) >= since || f.modified >= since)
    .map((f) => ({
      finding: f,
      isNew: (f.published ?? f.modified) >= since,
      changedSinceEvaluation: evaluationOlderThanAdvisory(f),
    }));
}

/** Postmarket view against the last saved scan: findings whose key was not there, or whose advisory changed. */
export function monitorAgainst(scan: SoupScan, last: SavedScan): MonitoredFinding[] {
  const before = new Map(last.findings.map((f) => [`${f.soupId} ${f.advisory}`, f.modified]));
  return scan.findings
    .filter((f) => before.get(`${f.soupId} ${f.advisory}`) !== f.modified)
    .map((f) => ({
      finding: f,
      isNew: !before.has(`${f.soupId} ${f.advisory}`),
      changedSinceEvaluation: evaluationOlderThanAdvisory(f),
    }));
}

function evaluationOlderThanAdvisory(f: SoupFinding): boolean {
  const date = f.evaluation?.fields.date;
  return typeof date === 'string' && f.modified.slice(0, 10) > date;
}

/** What `soup scan` remembers between runs, for `--since last`. */
export interface SavedScan {
  readonly scannedAt: string;
  readonly findings: readonly {
    readonly soupId: string;
    readonly advisory: string;
    readonly modified: string;
  }[];
}

export function savedScan(scan: SoupScan, scannedAt: string): SavedScan {
  return {
    scannedAt,
    findings: scan.findings.map((f) => ({ soupId: f.soupId, advisory: f.advisory, modified: f.modified })),
  };
}

function evaluationLine(f: SoupFinding): string {
  const e = f.evaluation;
  if (!e) return 'NOT EVALUATED: write a vulnerability-evaluation record (7.1.3)';
  const justification = typeof e.fields.justification === 'string' ? ` (${e.fields.justification})` : '';
  const who = [e.fields.reviewer, e.fields.date].filter((x) => typeof x === 'string').join(', ');
  const stale = f.staleBecause ? ` — STALE: ${f.staleBecause}` : '';
  return `${e.id}: ${String(e.fields.state)}${justification}${who ? `, ${who}` : ''}${stale}`;
}

export function renderScanText(input: ScanReportInput): string {
  const { scan } = input;
  const lines: string[] = [];
  const data = input.snapshots
    .map(
      (s) =>
        `${s.ecosystem} ${s.advisories.toLocaleString('en-US')}${s.snapshot ? ` as of ${s.snapshot.slice(0, 10)}` : ''}`,
    )
    .join('; ');
  lines.push(`SOUP scan: ${plural(scan.scanned, 'SOUP item')} against ${data || 'no advisory data'}`);
  lines.push(
    scan.kev
      ? `KEV: CISA catalog ${scan.kev.catalogVersion} (released ${scan.kev.dateReleased.slice(0, 10)}); ${scan.findings.filter((f) => f.kev).length} of the findings listed`
      : 'KEV NOT CHECKED: no CISA KEV catalog loaded, so no finding is known to be exploited or not (dossier advisories import known_exploited_vulnerabilities.json)',
    scan.epss
      ? `EPSS: FIRST scores of ${scan.epss.scoreDate.slice(0, 10)} (model ${scan.epss.modelVersion})`
      : 'EPSS: no scores loaded (optional: dossier advisories import epss_scores.csv)',
  );
  for (const n of notScannedByEcosystem(scan)) {
    lines.push(
      `NOT CHECKED: ${notScannedText(n.ecosystem, n.soup.length)} (${listIds(n.soup)}); ${n.ecosystem === NVD_SOURCE || n.ecosystem === GIT_SOURCE ? `import it (${loadDataHint(n.ecosystem)})` : `import it (dossier advisories import <${n.ecosystem}-all.zip>) or run dossier advisories sync`}`,
    );
  }
  const optional = scan.notScannedOptional ?? [];
  if (optional.length > 0) {
    const ids = optional.map((n) => n.soupId).sort();
    lines.push(
      `not checked (optional): ${plural(ids.length, 'SOUP item')} with a repository purl (${listIds(ids)}) could also be matched against OSV advisories keyed by git repository; none loaded (${loadDataHint(GIT_SOURCE)}), or give them a repository field to require it`,
    );
  }
  const shown = input.since ? input.since.findings.map((m) => m.finding) : scan.findings;
  const monitor = new Map(input.since?.findings.map((m) => [m.finding, m]) ?? []);
  if (input.since)
    lines.push(
      `Postmarket view: ${plural(shown.length, 'finding')} new or changed since ${input.since.label}`,
    );
  let current = '';
  for (const f of shown) {
    if (f.soupId !== current) {
      current = f.soupId;
      const cls = input.classes.get(f.soupId);
      lines.push(
        '',
        `${f.soupId} ${input.titles.get(f.soupId) ?? f.packageName} ${f.version} (${f.ecosystem}${cls ? `, class ${cls}` : ''})`,
      );
    }
    const aka = f.ids.filter((id) => id !== f.advisory);
    const m = monitor.get(f);
    const tag = m ? (m.isNew ? ' [new]' : ' [changed]') : '';
    lines.push(
      `  ${f.advisory}${aka.length ? ` (${aka.join(', ')})` : ''}${tag}${f.summary ? `: ${f.summary}` : ''}`,
    );
    if (f.kev)
      lines.push(
        `    ${kevText(f.kev)}${kevUnevaluated(f) ? ' — KNOWN EXPLOITED and not evaluated: blocks the release' : ''}`,
      );
    for (const rating of cvssRatings(f.severity)) lines.push(`    ${cvssText(rating)}`);
    if (f.epss && scan.epss) lines.push(`    ${epssText(f.epss, scan.epss)}`);
    if (f.informational) lines.push(`    RustSec informational: ${f.informational}`);
    if (f.conditional) lines.push(`    CONDITIONAL: ${f.conditional}`);
    for (const reason of f.reasons) lines.push(`    ${reason}`);
    lines.push(`    ${evaluationLine(f)}`);
    if (m?.changedSinceEvaluation)
      lines.push(`    the advisory was modified ${f.modified.slice(0, 10)}, after the evaluation: review it`);
  }
  if (scan.supportSuggestions.length > 0) {
    lines.push('', 'Support level suggestions (FDA cybersecurity; RustSec "unmaintained" notices):');
    for (const s of scan.supportSuggestions) {
      lines.push(
        `  ${s.soupId}: ${s.advisory} says unmaintained; supportLevel is ${s.current ?? 'not set'}, suggested ${s.suggested}`,
      );
    }
  }
  if (scan.withdrawn.length > 0) {
    lines.push('', 'Withdrawn advisories naming SOUP in use (not matched; listed for the audit trail):');
    for (const w of scan.withdrawn)
      lines.push(`  ${w.soupId}: ${w.advisory} withdrawn ${w.withdrawn.slice(0, 10)}`);
  }
  if (scan.unmatchable.length > 0) {
    lines.push('', 'Not matched against advisories (review their anomaly lists by hand, 7.1.3):');
    for (const u of scan.unmatchable) {
      const reviewed = u.anomalyReview
        ? `anomaly list reviewed ${u.anomalyReview.date}${u.anomalyReview.reviewer ? ` by ${u.anomalyReview.reviewer}` : ''}`
        : 'NO anomaly review recorded';
      const vulnerabilities = u.vulnerabilitiesUnreviewed
        ? u.anomalyReview
          ? `; vulnerabilities NOT CHECKED: ${u.vulnerabilitiesUnreviewed}`
          : '; vulnerabilities NOT CHECKED'
        : ', vulnerabilities included';
      lines.push(
        `  ${u.soupId} ${input.titles.get(u.soupId) ?? ''}: ${u.why}; ${reviewed}${vulnerabilities}`,
      );
    }
  }
  const open = actionable(input).length;
  const evaluated = shown.filter((f) => !needsEvaluation(f)).length;
  lines.push(
    '',
    `${plural(shown.length, 'finding')}: ${evaluated} evaluated, ${open} need${open === 1 ? 's' : ''} evaluation${
      scan.orphanEvaluations.length
        ? `; ${plural(scan.orphanEvaluations.length, 'evaluation')} match no current finding`
        : ''
    }`,
  );
  return `${lines.join('\n')}\n`;
}

/** `listed`, `not-listed` (a catalog was checked) or `not-checked` (no catalog loaded). */
export function kevStatusOf(scan: SoupScan, f: SoupFinding): 'listed' | 'not-listed' | 'not-checked' {
  return f.kev ? 'listed' : scan.kev ? 'not-listed' : 'not-checked';
}

/** The JSON contract of `dossier soup scan --format json` (docs/json.md). */
export function renderScanJson(input: ScanReportInput): string {
  const monitor = new Map(input.since?.findings.map((m) => [m.finding, m]) ?? []);
  const shown = input.since ? input.since.findings.map((m) => m.finding) : input.scan.findings;
  const out = {
    schemaVersion: 1,
    advisoryData: input.snapshots,
    kev: input.scan.kev,
    epss: input.scan.epss ?? null,
    ...(input.since ? { since: input.since.label } : {}),
    scanned: input.scan.scanned,
    notScanned: notScannedByEcosystem(input.scan),
    notScannedOptional: (input.scan.notScannedOptional ?? []).map((n) => ({
      soup: n.soupId,
      source: n.ecosystem,
    })),
    findings: shown.map((f) => ({
      soup: f.soupId,
      class: input.classes.get(f.soupId) ?? null,
      ecosystem: f.ecosystem,
      package: f.packageName,
      version: f.version,
      advisory: f.advisory,
      ids: f.ids,
      summary: f.summary ?? null,
      published: f.published ?? null,
      modified: f.modified,
      severity: f.severity,
      cvss: cvssRatings(f.severity),
      informational: f.informational ?? null,
      conditional: f.conditional ?? null,
      kevStatus: kevStatusOf(input.scan, f),
      kev: f.kev ?? null,
      epss: f.epss ?? null,
      reasons: f.reasons,
      evaluation: f.evaluation
        ? {
            id: f.evaluation.id,
            state: f.evaluation.fields.state,
            justification: f.evaluation.fields.justification ?? null,
            reviewer: f.evaluation.fields.reviewer ?? null,
            date: f.evaluation.fields.date ?? null,
          }
        : null,
      stale: f.staleBecause ?? null,
      needsEvaluation: needsEvaluation(f),
      ...(monitor.has(f)
        ? { new: monitor.get(f)!.isNew, changedSinceEvaluation: monitor.get(f)!.changedSinceEvaluation }
        : {}),
    })),
    supportSuggestions: input.scan.supportSuggestions,
    withdrawn: input.scan.withdrawn,
    unmatchable: input.scan.unmatchable,
    unmatchedEvaluations: input.scan.orphanEvaluations.map((e) => e.id),
    actionable: actionable(input).length,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
