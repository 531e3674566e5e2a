/**
 * Software Version History (FDA 2023 software guidance, element I; IEC 62304 5.8.4, 6.3.2, 8.3):
 * every release with its version, date, the change requests it includes and the problem reports
 * they resolve, and the known anomalies it was released with (the release report's version history,
 * src/evidence/release-report.ts `versionHistory`); the versions tested, from the test-run records
 * (the guidance asks for the history of the versions tested, release candidates included); the
 * changes not released yet; and for the baseline, the final release version and the results it
 * reuses from other versions (tested version = released version, or a documented delta). What a
 * release does not record is said at the release.
 */
import { type VersionHistoryEntry, versionHistory } from '../evidence/release-report.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { type DocumentContext, documentOf, refs } from './context.js';
import type { Block, DocumentModel, Inline } from './model.js';
import { compareVersions, excerpt, LEVELS } from './verification-common.js';

export function softwareVersionHistory(context: DocumentContext): DocumentModel {
  const { analysis, baseline, release } = context;
  const { graph, project } = analysis;
  // The history up to the baseline: a document of 1.0.0 does not list 1.1.0.
  const upTo = (version: string) => baseline === 'unversioned' || compareVersions(version, baseline) <= 0;
  const history = versionHistory(graph).filter((e) => upTo(e.version));
  const included = new Set<string>();
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: '1 Purpose and scope' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `This document is the software version history of ${project.config.device.name} up to software version ${baseline} (FDA 2023 guidance element "Software Version History"; IEC 62304 5.8.4, 6.3.2): each release with its date, the change requests it includes and the problem reports they resolve, and the known anomalies it was released with; the versions tested; the changes not released yet; and the final release version with any difference between the versions tested and released.`,
        },
      ],
    },
    { kind: 'heading', level: 1, text: '2 Releases' },
  ];
  if (history.length === 0) {
    blocks.push({ kind: 'not-recorded', what: 'no release record', clause: '5.8.4' });
  } else {
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'Version', width: 2 },
        { title: 'Date', width: 2 },
        { title: 'Release', width: 2 },
        { title: 'Changes', width: 4 },
        { title: 'Problems resolved', width: 3 },
        { title: 'Known anomalies', width: 3 },
      ],
      rows: history.map((entry, i) => [
        [{ text: entry.version }],
        entry.date === undefined ? [{ strong: 'not recorded' }] : [{ text: entry.date }],
        [{ ref: entry.release.id }],
        changesCell(entry, i === 0),
        refsOrNone(resolvedBy(context, entry)),
        entry.release.links.knownAnomalies === undefined
          ? [{ strong: 'not recorded' }]
          : refsOrNone(entry.knownAnomalies.flatMap((id) => graph.byId.get(id) ?? [])),
      ]),
    });
    history.forEach((entry, i) => {
      blocks.push(...releaseBlocks(context, entry, `2.${i + 1}`, i === 0, included));
    });
  }

  blocks.push(
    { kind: 'heading', level: 1, text: '3 Versions tested' },
    ...testedVersions(context, upTo, included),
  );

  blocks.push({ kind: 'heading', level: 1, text: "4 Changes not released yet (on today's records)" });
  const released = new Set(history.flatMap((e) => e.changes.map((c) => c.id)));
  const pending = graph
    .ofKind('change-request')
    .filter((cr) => isActive(cr) && !released.has(cr.id))
    .sort(compareById);
  if (pending.length === 0) {
    blocks.push({
      kind: 'paragraph',
      inlines: [{ text: 'Every active change request is included in a release.' }],
    });
  } else {
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'Change request', width: 2 },
        { title: 'Title', width: 5 },
        { title: 'State', width: 2 },
        { title: 'Addresses', width: 3 },
      ],
      rows: pending.map((cr) => {
        included.add(cr.id);
        return [
          [{ ref: cr.id }],
          [{ text: cr.title }],
          [{ text: String(cr.fields.state ?? 'not recorded') }],
          refsOrNone(graph.targets(cr, 'addresses')),
        ];
      }),
    });
  }

  blocks.push({ kind: 'heading', level: 1, text: `5 Final release version (${baseline})` });
  if (!release) {
    blocks.push({
      kind: 'not-recorded',
      what: `a release record of version ${baseline}: it is not released, so there is no final release version to identify`,
      clause: '5.8.4; FDA element I',
    });
  } else {
    included.add(release.id);
    blocks.push({
      kind: 'paragraph',
      inlines: [
        { text: `The final release version is ${baseline}, released by ` },
        { ref: release.id },
        {
          text: `. Its verification counts only results on version ${baseline} itself (the release gate, IEC 62304 5.7.4, 5.8.1); results on other versions (release candidates, earlier releases) count only where the release record carries them forward with a rationale.`,
        },
      ],
    });
    const carried = (release.fields.carriedForward ?? []) as readonly {
      run: string;
      tests?: string[];
      rationale: string;
    }[];
    if (carried.length === 0) {
      blocks.push({
        kind: 'paragraph',
        inlines: [
          { ref: release.id },
          { text: ' carries no results forward: the version tested is the version released.' },
        ],
      });
    } else {
      blocks.push({
        kind: 'table',
        columns: [
          { title: 'Run', width: 2 },
          { title: 'Version tested', width: 2 },
          { title: 'Tests reused', width: 3 },
          { title: 'Rationale (5.6.6, 8.2.3)', width: 6 },
        ],
        rows: carried.map((c) => {
          const run = graph.byId.get(c.run);
          if (run) included.add(run.id);
          return [
            [{ ref: c.run }],
            run ? [{ text: String(run.fields.version) }] : [{ strong: 'no such run' }],
            c.tests && c.tests.length > 0
              ? [{ text: c.tests.join(', ') }]
              : [{ text: 'every test of the run' }],
            [{ text: c.rationale }],
          ];
        }),
      });
    }
  }
  return documentOf(context, 'VERSIONS', 'Software Version History', blocks, included);
}

function refsOrNone(records: readonly DossierRecord[]): Inline[] {
  return records.length > 0 ? refs(records) : [{ text: 'none' }];
}

function changesCell(entry: VersionHistoryEntry, first: boolean): Inline[] {
  if (entry.changes.length > 0)
    return entry.changes.flatMap((c, i) => [...(i > 0 ? [{ text: ', ' }] : []), { ref: c.id }]);
  if (entry.release.links.includes !== undefined) return [{ text: 'no change request (recorded as none)' }];
  if (entry.summary !== '') return [{ text: excerpt(entry.summary, 120) }];
  return first ? [{ text: 'first release' }] : [{ strong: 'not recorded' }];
}

/** The problem reports the release's change requests address (8.2.4 b): what it resolved. */
function resolvedBy(context: DocumentContext, entry: VersionHistoryEntry): DossierRecord[] {
  const { graph } = context.analysis;
  const problems = entry.changes.flatMap((c) => (c.record ? graph.targets(c.record, 'addresses') : []));
  return [...new Map(problems.map((p) => [p.id, p])).values()].sort(compareById);
}

function releaseBlocks(
  context: DocumentContext,
  entry: VersionHistoryEntry,
  number: string,
  first: boolean,
  included: Set<string>,
): Block[] {
  const { graph } = context.analysis;
  const r = entry.release;
  included.add(r.id);
  const cleared = r.fields.cleared as { kNumber: string; date: string } | undefined;
  const configuration = r.fields.configuration as
    | { tag?: string; commit?: string; buildId?: string }
    | undefined;
  const rows: (readonly [string, readonly Inline[]])[] = [
    ['Version (5.8.4)', [{ text: entry.version }]],
    ['Date', entry.date === undefined ? [{ strong: 'not recorded' }] : [{ text: entry.date }]],
    [
      'Authorised by',
      typeof r.fields.approvedBy === 'string'
        ? [
            {
              text: `${r.fields.approvedBy}${typeof r.fields.approvedOn === 'string' ? `, ${r.fields.approvedOn}` : ''}`,
            },
          ]
        : [{ strong: 'not recorded' }],
    ],
    [
      'Configuration (8.1.3)',
      configuration && (configuration.tag || configuration.commit || configuration.buildId)
        ? [
            {
              text: [
                configuration.tag ? `tag ${configuration.tag}` : '',
                configuration.commit ? `commit ${configuration.commit.slice(0, 12)}` : '',
                configuration.buildId ? `build ${configuration.buildId}` : '',
              ]
                .filter((s) => s !== '')
                .join(', '),
            },
          ]
        : [{ strong: 'not recorded' }],
    ],
  ];
  if (cleared) rows.push(['FDA clearance', [{ text: `${cleared.kNumber} (${cleared.date})` }]]);
  const blocks: Block[] = [
    { kind: 'heading', level: 2, text: `${number} Version ${entry.version}`, anchor: r.id },
    { kind: 'fields', rows },
    { kind: 'paragraph', inlines: [{ strong: 'Changes from the previous release' }] },
  ];
  if (entry.changes.length > 0) {
    blocks.push({
      kind: 'list',
      items: entry.changes.map((c) => {
        if (!c.record) return [{ ref: c.id }, { strong: ' (no such change request)' }];
        included.add(c.id);
        const addresses = graph.targets(c.record, 'addresses');
        for (const p of addresses) included.add(p.id);
        return [
          { ref: c.id },
          { text: ` ${c.record.title} (${String(c.record.fields.state ?? 'state not recorded')})` },
          ...(addresses.length > 0 ? [{ text: '; resolves ' }, ...refs(addresses)] : []),
        ];
      }),
    });
  } else if (r.links.includes !== undefined) {
    blocks.push({
      kind: 'paragraph',
      inlines: [{ text: 'The release record lists no change request (recorded as none).' }],
    });
  } else if (first) {
    blocks.push({
      kind: 'paragraph',
      inlines: [{ text: 'First release: there is no earlier release to compare with.' }],
    });
  } else {
    blocks.push({
      kind: 'not-recorded',
      what: `the change requests ${r.id} includes (includes); its text may describe the changes`,
      clause: '6.3.2, 8.2.4; FDA element I',
    });
  }
  blocks.push({ kind: 'paragraph', inlines: [{ strong: 'Known anomalies at release (5.8.2)' }] });
  if (r.links.knownAnomalies === undefined) {
    blocks.push({ kind: 'not-recorded', what: `the known anomalies of ${r.id}`, clause: '5.8.2' });
  } else if (entry.knownAnomalies.length === 0) {
    blocks.push({ kind: 'paragraph', inlines: [{ text: 'None (recorded as none).' }] });
  } else {
    blocks.push({
      kind: 'list',
      items: entry.knownAnomalies.map((id) => {
        const p = graph.byId.get(id);
        if (!p) return [{ ref: id }, { strong: ' (no such problem report)' }];
        included.add(id);
        return [{ ref: id }, { text: ` ${p.title} (today: ${String(p.fields.state ?? 'open')})` }];
      }),
    });
  }
  blocks.push({ kind: 'paragraph', inlines: [{ strong: 'Release notes (the release record)' }] });
  blocks.push(
    r.text.trim() === ''
      ? { kind: 'not-recorded', what: `a description of release ${entry.version}`, clause: 'FDA element I' }
      : { kind: 'record-text', recordId: r.id, markdown: r.text },
  );
  return blocks;
}

/** The versions tested, from the test-run records: FDA element I's "history of versions tested". */
function testedVersions(
  context: DocumentContext,
  upTo: (version: string) => boolean,
  included: Set<string>,
): Block[] {
  const { graph } = context.analysis;
  const runs = graph.ofKind('test-run').filter((r) => isActive(r) && upTo(String(r.fields.version)));
  if (runs.length === 0)
    return [{ kind: 'not-recorded', what: 'no test run on any version', clause: '5.7.5 c' }];
  const byVersion = new Map<string, DossierRecord[]>();
  for (const run of runs) {
    const version = String(run.fields.version);
    const list = byVersion.get(version);
    if (list) list.push(run);
    else byVersion.set(version, [run]);
  }
  const releases = new Map(
    graph
      .ofKind('release')
      .filter(isActive)
      .map((r) => [String(r.fields.version), r] as const),
  );
  const versions = [...byVersion.keys()].sort(compareVersions);
  return [
    {
      kind: 'paragraph',
      inlines: [
        {
          text: 'Every version a test run records (IEC 62304 5.7.5 c), in version order: release candidates and development builds as well as releases. Results are in the Software Verification Report.',
        },
      ],
    },
    {
      kind: 'table',
      columns: [
        { title: 'Version tested', width: 2 },
        { title: 'Dates', width: 3 },
        { title: 'Test runs', width: 4 },
        { title: 'Levels', width: 3 },
        { title: 'Release', width: 2 },
      ],
      rows: versions.map((version) => {
        const inVersion = byVersion.get(version)!.sort(compareById);
        for (const run of inVersion) included.add(run.id);
        const dates = inVersion.map((r) => String(r.fields.date)).sort();
        const levels = LEVELS.filter((l) => inVersion.some((r) => r.fields.level === l.level)).map(
          (l) => l.level,
        );
        const unlevelled = inVersion.some((r) => r.fields.level === undefined);
        const rel = releases.get(version);
        return [
          [{ text: version }],
          [{ text: dates[0] === dates.at(-1) ? dates[0]! : `${dates[0]} to ${dates.at(-1)}` }],
          refs(inVersion),
          [{ text: [...levels, ...(unlevelled ? ['level not given on a run'] : [])].join(', ') }],
          rel ? [{ ref: rel.id }] : [{ text: 'not released' }],
        ];
      }),
    },
  ];
}
