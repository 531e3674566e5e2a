/**
 * `dossier security report`: the postmarket side of the cybersecurity management plan (FD&C
 * 524B(b)(1), (b)(2); FDA premarket cybersecurity guidance V.A.4 and the TPLC metrics):
 *
 * - what is open, each with its deadline: SOUP vulnerability findings not evaluated (from the SOUP
 *   scan), problem reports with origin `vulnerability` not closed, and security-test findings
 *   still open. Deadlines come from dossier.yaml `security.patchDays` per criticality; an item whose
 *   criticality is not known takes the critical timeline (fail closed). Without advisory data the
 *   SOUP is "not checked", never "no findings".
 * - metrics: per vulnerability problem report, the days from identification (`reported`) to fix
 *   (the first dated `history` entry resolved or closed) and to the deployed update (the first dated
 *   release that includes a change request addressing it); each "not computable" with the reason
 *   when the records lack the data.
 *
 * Pure: records, config, the scan and the date in; the report out.
 */
import { z } from 'zod';
import type { TraceGraph } from '../graph/graph.js';
import type { DossierConfig } from '../model/config.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { cvssRatings } from '../soup/cvss/ratings.js';
import { needsEvaluation, type SoupScan } from '../soup/scan.js';
import { daysBetween } from '../util/clock.js';
import { DOSSIER_VERSION } from '../version.js';
import { securityReportHeader } from './report-header.js';

export const SECURITY_POSTMARKET_SCHEMA_VERSION = 1;
export const CRITICALITIES = ['critical', 'major', 'minor'] as const;
export type Criticality = (typeof CRITICALITIES)[number];

const notComputable = z.strictObject({ days: z.null(), reason: z.string() });
const computed = z.strictObject({
  days: z.number().int(),
  from: z.string(),
  to: z.string(),
  evidence: z.string(),
});
const measure = z.union([computed, notComputable]);

export const securityPostmarketSchema = z
  .strictObject({
    schemaVersion: z.literal(SECURITY_POSTMARKET_SCHEMA_VERSION),
    ...securityReportHeader,
    today: z.string().describe('The date deadlines are judged on'),
    patchDays: z
      .strictObject({ critical: z.number().int(), major: z.number().int(), minor: z.number().int() })
      .nullable()
      .describe('dossier.yaml security.patchDays; null: not configured, no deadline is computed'),
    soup: z
      .strictObject({
        checked: z.boolean().describe('false: no advisory data, the SOUP vulnerabilities were not checked'),
        reason: z.string().optional(),
        scanned: z.number().int(),
        notChecked: z
          .array(z.strictObject({ soup: z.string(), why: z.string() }))
          .describe('SOUP items no advisory data could match'),
      })
      .describe('Whether the SOUP was scanned against advisory data'),
    open: z.array(
      z.strictObject({
        source: z.enum(['soup-finding', 'problem-report', 'security-test-finding']),
        id: z.string().describe('SOUP id and advisory, problem report id, or security test id and finding'),
        title: z.string(),
        criticality: z.enum(CRITICALITIES),
        criticalityBasis: z.string().describe('Where the criticality comes from, or that it was assumed'),
        identified: z
          .string()
          .nullable()
          .describe('When the vulnerability was identified; null when not known'),
        deadline: z.string().nullable(),
        deadlineNote: z.string().optional().describe('Why there is no deadline'),
        daysLeft: z.number().int().nullable().describe('Negative: overdue'),
        overdue: z.boolean(),
        kev: z.boolean().optional().describe('SOUP findings: listed in CISA KEV'),
      }),
    ),
    metrics: z.strictObject({
      vulnerabilities: z.array(
        z.strictObject({
          problemReport: z.string(),
          title: z.string(),
          state: z.string(),
          toFix: measure.describe('Days from identification to the fix'),
          toDeployedUpdate: measure.describe('Days from identification to the first release with the fix'),
        }),
      ),
      summary: z.strictObject({
        count: z.number().int(),
        toFix: z.strictObject({
          computed: z.number().int(),
          notComputable: z.number().int(),
          medianDays: z.number().nullable(),
          maxDays: z.number().int().nullable(),
        }),
        toDeployedUpdate: z.strictObject({
          computed: z.number().int(),
          notComputable: z.number().int(),
          medianDays: z.number().nullable(),
          maxDays: z.number().int().nullable(),
        }),
        devicesUpdated: notComputable.describe(
          'Share of fielded devices updated: needs field data the records do not hold',
        ),
      }),
    }),
  })
  .describe('What `dossier security report` reports: open vulnerabilities with deadlines, and TPLC metrics');

export type SecurityPostmarket = z.infer<typeof securityPostmarketSchema>;
type OpenItem = SecurityPostmarket['open'][number];
type Measure = z.infer<typeof measure>;

function addDays(date: string, days: number): string {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/** The criticality of a CVSS base score: critical from 9.0, major from 7.0 (CVSS High), else minor. */
function fromScore(score: number): Criticality {
  return score >= 9 ? 'critical' : score >= 7 ? 'major' : 'minor';
}

/** A tester's severity text ("High", "critical", "7.5") as a criticality, when it reads as one. */
export function criticalityOfText(text: string | undefined): Criticality | undefined {
  if (text === undefined) return undefined;
  const t = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(t)) return fromScore(Number(t));
  if (t.startsWith('critical')) return 'critical';
  if (t.startsWith('high') || t.startsWith('major')) return 'major';
  if (/^(medium|moderate|low|minor|info)/.test(t)) return 'minor';
  return undefined;
}

export interface PostmarketInput {
  readonly graph: TraceGraph;
  readonly config: DossierConfig;
  readonly today: string;
  /** The SOUP scan; undefined when there is no advisory data (then "not checked"). */
  readonly scan?: SoupScan;
}

export function securityPostmarket(input: PostmarketInput): SecurityPostmarket {
  const { graph, config, today, scan } = input;
  const patchDays = config.security?.patchDays ?? null;
  const item = (base: Omit<OpenItem, 'deadline' | 'daysLeft' | 'overdue' | 'deadlineNote'>): OpenItem => {
    if (!patchDays) {
      return {
        ...base,
        deadline: null,
        deadlineNote: 'no patch timeline: dossier.yaml security.patchDays is not set',
        daysLeft: null,
        overdue: false,
      };
    }
    if (base.identified === null) {
      return {
        ...base,
        deadline: null,
        deadlineNote: 'not computable: the identification date is not recorded',
        daysLeft: null,
        overdue: false,
      };
    }
    const deadline = addDays(base.identified, patchDays[base.criticality]);
    const daysLeft = daysBetween(today, deadline);
    return { ...base, deadline, daysLeft, overdue: daysLeft < 0 };
  };

  const open: OpenItem[] = [];
  if (scan) {
    for (const f of scan.findings) {
      if (!needsEvaluation(f) || f.informational !== undefined) continue;
      const scores = cvssRatings(f.severity)
        .map((r) => r.baseScore)
        .filter((s): s is number => s !== null);
      const best = scores.length > 0 ? Math.max(...scores) : undefined;
      const [criticality, basis]: [Criticality, string] = f.kev
        ? ['critical', 'listed in CISA KEV']
        : best !== undefined
          ? [fromScore(best), `CVSS base score ${best.toFixed(1)}`]
          : ['critical', 'no CVSS score: assumed critical'];
      open.push(
        item({
          source: 'soup-finding',
          id: `${f.soupId} ${f.advisory}`,
          title: `${f.advisory} in ${f.packageName} ${f.version}${f.staleBecause ? ` (evaluation stale: ${f.staleBecause})` : ''}${f.summary ? `: ${f.summary}` : ''}`,
          criticality,
          criticalityBasis: basis,
          identified: f.published ? f.published.slice(0, 10) : null,
          kev: f.kev !== undefined,
        }),
      );
    }
  }

  const vulnerabilityReports = [...graph.ofKind('problem-report')]
    .filter((r) => isActive(r) && r.fields.origin === 'vulnerability')
    .sort(compareById);
  for (const pr of vulnerabilityReports) {
    if (pr.fields.state === 'closed') continue;
    const stated = str(pr.fields.criticality) as Criticality | undefined;
    open.push(
      item({
        source: 'problem-report',
        id: pr.id,
        title: `${pr.title} (${str(pr.fields.state) ?? 'no state'})`,
        criticality: stated ?? 'critical',
        criticalityBasis: stated ? 'criticality of the problem report' : 'no criticality: assumed critical',
        identified: str(pr.fields.reported) ?? null,
      }),
    );
  }

  for (const test of [...graph.ofKind('security-test')].filter(isActive).sort(compareById)) {
    const findings = Array.isArray(test.fields.findings)
      ? (test.fields.findings as { id?: string; title: string; severity?: string; disposition: string }[])
      : [];
    findings.forEach((f, index) => {
      if (f.disposition !== 'open') return;
      const read = criticalityOfText(f.severity);
      open.push(
        item({
          source: 'security-test-finding',
          id: `${test.id} ${f.id ?? `finding ${index + 1}`}`,
          title: f.title,
          criticality: read ?? 'critical',
          criticalityBasis: read
            ? `tester's severity "${f.severity}"`
            : f.severity
              ? `tester's severity "${f.severity}" not understood: assumed critical`
              : 'no severity: assumed critical',
          identified: str(test.fields.date) ?? null,
        }),
      );
    });
  }

  open.sort(
    (a, b) =>
      Number(b.overdue) - Number(a.overdue) ||
      (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999') ||
      CRITICALITIES.indexOf(a.criticality) - CRITICALITIES.indexOf(b.criticality) ||
      a.id.localeCompare(b.id),
  );

  const vulnerabilities = vulnerabilityReports.map((pr) => ({
    problemReport: pr.id,
    title: pr.title,
    state: str(pr.fields.state) ?? 'not recorded',
    toFix: timeToFix(pr),
    toDeployedUpdate: timeToDeploy(graph, pr),
  }));
  const stats = (list: Measure[]) => {
    const days = list.flatMap((m) => (m.days === null ? [] : [m.days])).sort((a, b) => a - b);
    const mid = Math.floor(days.length / 2);
    return {
      computed: days.length,
      notComputable: list.length - days.length,
      medianDays:
        days.length === 0 ? null : days.length % 2 === 1 ? days[mid]! : (days[mid - 1]! + days[mid]!) / 2,
      maxDays: days.length === 0 ? null : days[days.length - 1]!,
    };
  };

  return {
    schemaVersion: SECURITY_POSTMARKET_SCHEMA_VERSION,
    tool: { name: 'dossier' as const, version: DOSSIER_VERSION },
    device: config.device.name,
    today,
    patchDays: patchDays ? { ...patchDays } : null,
    soup: scan
      ? {
          checked: true,
          scanned: scan.scanned,
          notChecked: [
            ...scan.unmatchable.map((u) => ({ soup: u.soupId, why: u.why })),
            ...scan.notScanned.map((n) => ({ soup: n.soupId, why: `no advisory data for ${n.ecosystem}` })),
          ].sort((a, b) => a.soup.localeCompare(b.soup)),
        }
      : {
          checked: false,
          reason:
            'no advisory database: SOUP vulnerabilities not checked (dossier advisories import, or --advisories)',
          scanned: 0,
          notChecked: [],
        },
    open,
    metrics: {
      vulnerabilities,
      summary: {
        count: vulnerabilities.length,
        toFix: stats(vulnerabilities.map((v) => v.toFix)),
        toDeployedUpdate: stats(vulnerabilities.map((v) => v.toDeployedUpdate)),
        devicesUpdated: {
          days: null,
          reason: 'not computable: the records hold no field data on installed versions',
        },
      },
    },
  };
}

interface HistoryEntry {
  readonly date: string;
  readonly state: string;
}

function timeToFix(pr: DossierRecord): Measure {
  const reported = str(pr.fields.reported);
  if (!reported) return { days: null, reason: 'no `reported` date' };
  const history = Array.isArray(pr.fields.history) ? (pr.fields.history as HistoryEntry[]) : [];
  const fixed = history.find((h) => h.state === 'resolved' || h.state === 'closed');
  if (fixed) {
    return {
      days: daysBetween(reported, fixed.date),
      from: reported,
      to: fixed.date,
      evidence: `history: ${fixed.state} on ${fixed.date}`,
    };
  }
  const state = str(pr.fields.state);
  return state === 'resolved' || state === 'closed'
    ? { days: null, reason: `${state}, but no dated history entry says when` }
    : { days: null, reason: `not fixed yet (${state ?? 'no state'})` };
}

function timeToDeploy(graph: TraceGraph, pr: DossierRecord): Measure {
  const reported = str(pr.fields.reported);
  if (!reported) return { days: null, reason: 'no `reported` date' };
  const changes = graph.sources(pr, 'addresses', 'change-request').filter(isActive);
  if (changes.length === 0) return { days: null, reason: 'no change request addresses it' };
  const releases = [
    ...new Map(
      changes
        .flatMap((cr) => graph.sources(cr, 'includes', 'release').filter(isActive))
        .map((r) => [r.id, r]),
    ).values(),
  ];
  if (releases.length === 0)
    return {
      days: null,
      reason: `no release includes ${changes
        .map((c) => c.id)
        .sort()
        .join(', ')}`,
    };
  const dated = releases
    .filter((r) => str(r.fields.date) !== undefined)
    .sort((a, b) => String(a.fields.date).localeCompare(String(b.fields.date)) || compareById(a, b));
  const first = dated[0];
  if (!first)
    return {
      days: null,
      reason: `${releases
        .map((r) => r.id)
        .sort()
        .join(', ')} has no release date`,
    };
  const date = String(first.fields.date);
  return {
    days: daysBetween(reported, date),
    from: reported,
    to: date,
    evidence: `${first.id} (${String(first.fields.version ?? '')}) includes ${changes
      .map((c) => c.id)
      .sort()
      .join(', ')}`,
  };
}

/**
 * The report fails (exit 1) while an open item is overdue or, with patch timelines configured, has
 * no deadline because its identification date is not recorded: it cannot be shown to be in time.
 */
export function postmarketFails(report: SecurityPostmarket): boolean {
  return report.open.some((o) => o.overdue || (report.patchDays !== null && o.deadline === null));
}
