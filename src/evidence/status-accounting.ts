/**
 * Configuration status accounting between two releases (IEC 62304 8.3): the change requests a
 * release took in, the problem reports they resolved, the known anomalies that came and went, the
 * problems reported in between, the SOUP added, removed or changed in version, and the software
 * items added or retired. Built from the release records and their configuration (8.1.3); the
 * record-level diff of two git baselines is the change-control work, which can extend this.
 */
import type { Analysis } from '../analyze.js';
import { compareById, type DossierRecord } from '../model/record.js';
import { markdownCell } from '../util/markdown.js';
import {
  type ConfigurationEntry,
  configurationOf,
  identityOf,
  itemsOfVersion,
  soupBaseline,
} from './release-configuration.js';
import { releaseOf } from './release-gate.js';

export interface SoupChange {
  readonly id: string;
  readonly title: string;
  readonly from?: string;
  readonly to?: string;
  /** The change request that evaluated a version change (7.4.1), when the SOUP record names it. */
  readonly changeRequest?: string;
}

export interface StatusAccounting {
  readonly schemaVersion: 1;
  readonly from: { readonly version: string; readonly release: string; readonly date?: string };
  readonly to: { readonly version: string; readonly release: string; readonly date?: string };
  readonly changeRequests: readonly { id: string; title: string; state?: string; addresses: string[] }[];
  readonly problemsResolved: readonly { id: string; title: string; state?: string }[];
  readonly problemsReported: readonly { id: string; title: string; reported: string; state?: string }[];
  readonly knownAnomalies: { readonly added: readonly string[]; readonly removed: readonly string[] };
  readonly soup: readonly SoupChange[];
  readonly items: { readonly added: readonly string[]; readonly removed: readonly string[] };
  /** Where a baseline was computed from today's records because the release record has none. */
  readonly notes: readonly string[];
}

export class StatusAccountingError extends Error {}

const dateOf = (release: DossierRecord) =>
  typeof release.fields.date === 'string' ? release.fields.date : undefined;

const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

function releaseNamed(analysis: Analysis, version: string): DossierRecord {
  const release = releaseOf(analysis, version);
  if (!release) throw new StatusAccountingError(`no release record has version ${version}`);
  return release;
}

/** The SOUP baseline recorded in the release, or computed from the records (said in `notes`). */
function baselineOf(
  analysis: Analysis,
  release: DossierRecord,
  notes: string[],
): readonly ConfigurationEntry[] {
  const recorded = configurationOf(release).soup;
  if (recorded) return recorded;
  notes.push(
    `${release.id} records no SOUP baseline: computed from the SOUP records (run dossier release record ${String(release.fields.version)})`,
  );
  return soupBaseline(analysis, identityOf(release));
}

export function statusAccounting(
  analysis: Analysis,
  fromVersion: string,
  toVersion: string,
): StatusAccounting {
  const from = releaseNamed(analysis, fromVersion);
  const to = releaseNamed(analysis, toVersion);
  const byId = analysis.graph.byId;
  const notes: string[] = [];
  const title = (id: string) => byId.get(id)?.title ?? '(no such record)';

  const before = new Set(from.links.includes ?? []);
  const changeRequests = (to.links.includes ?? [])
    .filter((id) => !before.has(id))
    .map((id) => {
      const cr = byId.get(id);
      return {
        id,
        title: title(id),
        ...(str(cr?.fields.state) ? { state: str(cr?.fields.state)! } : {}),
        addresses: [...(cr?.links.addresses ?? [])].sort(),
      };
    })
    .sort(compareById);
  const resolvedIds = [...new Set(changeRequests.flatMap((cr) => cr.addresses))].sort();
  const problemsResolved = resolvedIds.map((id) => ({
    id,
    title: title(id),
    ...(str(byId.get(id)?.fields.state) ? { state: str(byId.get(id)?.fields.state)! } : {}),
  }));

  const fromDate = dateOf(from);
  const toDate = dateOf(to);
  const problemsReported = analysis.graph
    .ofKind('problem-report')
    .filter((pr) => {
      const reported = str(pr.fields.reported);
      return (
        reported !== undefined &&
        (fromDate === undefined || reported > fromDate) &&
        (toDate === undefined || reported <= toDate)
      );
    })
    .sort(compareById)
    .map((pr) => ({
      id: pr.id,
      title: pr.title,
      reported: String(pr.fields.reported),
      ...(str(pr.fields.state) ? { state: str(pr.fields.state)! } : {}),
    }));

  const knownBefore = new Set(from.links.knownAnomalies ?? []);
  const knownAfter = new Set(to.links.knownAnomalies ?? []);

  const soupBefore = new Map(baselineOf(analysis, from, notes).map((e) => [e.id, e.version]));
  const soupAfter = new Map(baselineOf(analysis, to, notes).map((e) => [e.id, e.version]));
  const soup: SoupChange[] = [...new Set([...soupBefore.keys(), ...soupAfter.keys()])]
    .sort()
    .filter((id) => soupBefore.get(id) !== soupAfter.get(id))
    .map((id) => {
      const was = soupBefore.get(id);
      const now = soupAfter.get(id);
      const changes =
        (byId.get(id)?.fields.versionChanges as { to: string; changeRequest?: string }[] | undefined) ?? [];
      const changeRequest = changes.find((c) => c.to === now)?.changeRequest;
      return {
        id,
        title: title(id),
        ...(was !== undefined ? { from: was } : {}),
        ...(now !== undefined ? { to: now } : {}),
        ...(changeRequest ? { changeRequest } : {}),
      };
    });

  const itemIds = (release: DossierRecord) =>
    new Set(
      configurationOf(release).items?.map((i) => i.id) ??
        itemsOfVersion(analysis, String(release.fields.version)).map((i) => i.id),
    );
  const itemsBefore = itemIds(from);
  const itemsAfter = itemIds(to);

  return {
    schemaVersion: 1,
    from: { version: fromVersion, release: from.id, ...(fromDate ? { date: fromDate } : {}) },
    to: { version: toVersion, release: to.id, ...(toDate ? { date: toDate } : {}) },
    changeRequests,
    problemsResolved,
    problemsReported,
    knownAnomalies: {
      added: [...knownAfter].filter((id) => !knownBefore.has(id)).sort(),
      removed: [...knownBefore].filter((id) => !knownAfter.has(id)).sort(),
    },
    soup,
    items: {
      added: [...itemsAfter].filter((id) => !itemsBefore.has(id)).sort(),
      removed: [...itemsBefore].filter((id) => !itemsAfter.has(id)).sort(),
    },
    notes,
  };
}

const soupLine = (s: SoupChange) =>
  `${s.id} ${s.title}: ${s.from === undefined ? `added at ${s.to}` : s.to === undefined ? `removed (was ${s.from})` : `${s.from} → ${s.to}`}${s.changeRequest ? ` (${s.changeRequest})` : ''}`;

const orNone = (lines: readonly string[]) => (lines.length > 0 ? lines : ['none']);

/** The report as Markdown (record text escaped for tables and lists). */
export function renderStatusAccountingMarkdown(report: StatusAccounting): string {
  const cell = markdownCell;
  const out = [
    `# Configuration status accounting: ${report.from.version} → ${report.to.version}`,
    '',
    `From ${report.from.release} (${report.from.date ?? 'no date'}) to ${report.to.release} (${report.to.date ?? 'no date'}), IEC 62304 8.3.`,
    '',
    '## Change requests',
    '',
    ...(report.changeRequests.length > 0
      ? [
          '| id | title | state | addresses |',
          '|---|---|---|---|',
          ...report.changeRequests.map(
            (cr) => `| ${cr.id} | ${cell(cr.title)} | ${cr.state ?? ''} | ${cr.addresses.join(', ')} |`,
          ),
        ]
      : ['none']),
    '',
    '## Problem reports resolved',
    '',
    ...orNone(
      report.problemsResolved.map((p) => `- ${p.id} ${cell(p.title)}${p.state ? ` (${p.state})` : ''}`),
    ),
    '',
    '## Problem reports reported between the releases',
    '',
    ...orNone(
      report.problemsReported.map(
        (p) => `- ${p.id} ${cell(p.title)}, reported ${p.reported}${p.state ? ` (${p.state})` : ''}`,
      ),
    ),
    '',
    '## Known anomalies',
    '',
    `- added: ${report.knownAnomalies.added.join(', ') || 'none'}`,
    `- no longer listed: ${report.knownAnomalies.removed.join(', ') || 'none'}`,
    '',
    '## SOUP',
    '',
    ...orNone(report.soup.map((s) => `- ${cell(soupLine(s))}`)),
    '',
    '## Software items',
    '',
    `- added: ${report.items.added.join(', ') || 'none'}`,
    `- removed: ${report.items.removed.join(', ') || 'none'}`,
    ...(report.notes.length > 0 ? ['', '## Notes', '', ...report.notes.map((n) => `- ${cell(n)}`)] : []),
  ];
  return `${out.join('\n')}\n`;
}

/** The report for a terminal. */
export function renderStatusAccountingText(report: StatusAccounting): string {
  const section = (title: string, lines: readonly string[]) => [title, ...orNone(lines).map((l) => `  ${l}`)];
  return `${[
    `Changes from ${report.from.version} (${report.from.release}) to ${report.to.version} (${report.to.release}), IEC 62304 8.3`,
    ...section(
      'Change requests:',
      report.changeRequests.map(
        (cr) =>
          `${cr.id} ${cr.title}${cr.state ? ` [${cr.state}]` : ''}${cr.addresses.length > 0 ? ` addresses ${cr.addresses.join(', ')}` : ''}`,
      ),
    ),
    ...section(
      'Problem reports resolved:',
      report.problemsResolved.map((p) => `${p.id} ${p.title}`),
    ),
    ...section(
      'Problem reports reported between the releases:',
      report.problemsReported.map((p) => `${p.id} ${p.title} (reported ${p.reported})`),
    ),
    ...section('Known anomalies:', [
      `added: ${report.knownAnomalies.added.join(', ') || 'none'}`,
      `no longer listed: ${report.knownAnomalies.removed.join(', ') || 'none'}`,
    ]),
    ...section('SOUP:', report.soup.map(soupLine)),
    ...section('Software items:', [
      `added: ${report.items.added.join(', ') || 'none'}`,
      `removed: ${report.items.removed.join(', ') || 'none'}`,
    ]),
    ...(report.notes.length > 0 ? section('Notes:', report.notes) : []),
  ].join('\n')}\n`;
}
