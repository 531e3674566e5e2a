/**
 * Change impact (IEC 62304 6.2.3, 7.4, 8.2.1; ISO 13485 7.3.9): from the records a change modifies,
 * what they trace to (upstream: what the change must still satisfy), what derives from them
 * (downstream: what must be revised with them), the safety classes involved, the risk analysis
 * entries to revisit (7.4.2 causes and controls, 7.4.3 existing controls) and the regression tests.
 *
 * Pure: reads the trace graph and the safety analysis, nothing from disk. Every walk is a
 * breadth-first search over the graph's link indexes (each link visited once), never a scan of all
 * records per record. Every record found carries the path that reached it, which is its reason.
 */

import type { TraceGraph } from '../graph/graph.js';
import { DESIGN_KINDS } from '../model/kinds.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { classRank } from '../safety/class-scheme.js';
import type { SafetyAnalysis } from '../safety/safety-analysis.js';
import { subjectClasses } from '../safety/subject-class.js';

/**
 * Links along which a record depends on the content of the record it names: followed backwards
 * (target → source) for what derives from a change, forwards for what a change traces to. Links
 * that only administer records (a change request's `changes`, a review's `reviewed`, a problem's
 * `affects`, a release's `includes`) are not dependencies; `partOf` is handled on its own (a parent
 * item integrates a changed child; a child does not derive from its parent's text).
 */
const DEPENDENCY_LINKS: ReadonlySet<string> = new Set([
  'derivesFrom',
  'implements',
  'mitigates',
  'arisesFrom',
  'contributesTo',
  'uses',
  'dependsOn',
  'soup',
  'hazardousSituations',
  'riskControls',
]);

/** Links by which a test verifies a record. */
const VERIFICATION_LINKS: ReadonlySet<string> = new Set(['verifies', 'verifiesEffectiveness']);

/** One step of a path: `from` reached `to` through the link `field` (written on `writtenOn`). */
export interface ImpactStep {
  readonly from: string;
  readonly field: string;
  readonly to: string;
  /** `forward`: the link is written on `from`; `backward`: on `to` (a computed reverse link). */
  readonly direction: 'forward' | 'backward';
}

export interface ImpactedRecord {
  readonly record: DossierRecord;
  /** From a changed record to this one; empty for a changed record. */
  readonly path: readonly ImpactStep[];
}

export interface SelectedTest {
  readonly test: DossierRecord;
  /** What the test verifies in the impact, and how that record is in it. */
  readonly reason: string;
  readonly path: readonly ImpactStep[];
}

export interface SituationToRevisit {
  readonly situation: DossierRecord;
  readonly path: readonly ImpactStep[];
  /** Severity and probability before and after control, as recorded (keys of the scales). */
  readonly severity?: string;
  readonly probability?: string;
  readonly residualSeverity?: string;
  readonly residualProbability?: string;
  readonly residualAcceptable?: boolean;
}

export interface ControlToRevisit {
  readonly control: DossierRecord;
  readonly path: readonly ImpactStep[];
  /** Tests that verify its implementation or effectiveness (all of them are selected). */
  readonly tests: readonly string[];
}

export interface ClassInvolved {
  readonly cls: string;
  /** Software items, requirements and SOUP in the impact held to this class. */
  readonly records: readonly string[];
}

export interface ImpactAnalysis {
  readonly changed: readonly DossierRecord[];
  /** What the changed records trace to: requirements, needs, controls, situations, SOUP they rely on. */
  readonly upstream: readonly ImpactedRecord[];
  /** What derives from the changed records and must be revised or re-verified with them. */
  readonly downstream: readonly ImpactedRecord[];
  /** Items that contain a changed item (its integration is affected, 5.6). */
  readonly containers: readonly ImpactedRecord[];
  readonly classes: readonly ClassInvolved[];
  /** 7.4.2 and 7.4.3: the hazardous situations and risk controls whose analysis to revisit. */
  readonly situations: readonly SituationToRevisit[];
  readonly controls: readonly ControlToRevisit[];
  /** The regression test selection, each with its reason. */
  readonly tests: readonly SelectedTest[];
  /** Links of records in the impact that do not resolve: the impact beyond them is not analysed. */
  readonly unresolved: readonly { readonly from: string; readonly field: string; readonly target: string }[];
}

export class ImpactInputError extends Error {}

/** The records named by id, or an {@link ImpactInputError} naming every id that is not a record. */
export function recordsNamed(graph: TraceGraph, ids: readonly string[]): DossierRecord[] {
  const unknown = ids.filter((id) => !graph.get(id));
  if (unknown.length > 0) throw new ImpactInputError(`no record has the id ${unknown.join(', ')}`);
  return [...new Set(ids)].map((id) => graph.get(id)!);
}

/** The records a change request changes (its `changes` links), or an error when it names none. */
export function changedBy(graph: TraceGraph, changeRequestId: string): DossierRecord[] {
  const cr = graph.get(changeRequestId);
  if (!cr) throw new ImpactInputError(`no record has the id ${changeRequestId}`);
  if (cr.kind !== 'change-request')
    throw new ImpactInputError(`${changeRequestId} is a ${cr.kind}, not a change request`);
  const ids = cr.links.changes ?? [];
  if (ids.length === 0)
    throw new ImpactInputError(
      `${changeRequestId} names no records in \`changes\`: record what it changes, then analyse its impact`,
    );
  return recordsNamed(graph, ids);
}

type Reached = Map<DossierRecord, readonly ImpactStep[]>;

/**
 * Breadth-first walk from `start` (paths from `seed`), following each link `next` yields once.
 * Shortest paths, so each reason is the most direct one.
 */
function walk(
  seed: ReadonlyMap<DossierRecord, readonly ImpactStep[]>,
  next: (r: DossierRecord) => Iterable<{ to: DossierRecord; step: ImpactStep }>,
  skip: ReadonlySet<DossierRecord> = new Set(),
): Reached {
  const reached: Reached = new Map(seed);
  const queue = [...seed.keys()];
  for (let i = 0; i < queue.length; i++) {
    const record = queue[i]!;
    for (const { to, step } of next(record)) {
      if (reached.has(to) || skip.has(to) || !DESIGN_KINDS.has(to.kind)) continue;
      reached.set(to, [...reached.get(record)!, step]);
      queue.push(to);
    }
  }
  return reached;
}

export function analyseImpact(
  graph: TraceGraph,
  safety: SafetyAnalysis,
  changedRecords: readonly DossierRecord[],
): ImpactAnalysis {
  const changed = [...new Set(changedRecords)].sort(compareById);
  const changedSet = new Set(changed);
  const seed = new Map<DossierRecord, readonly ImpactStep[]>(changed.map((r) => [r, []]));

  const backward = function* (record: DossierRecord) {
    for (const link of graph.incoming(record))
      if (DEPENDENCY_LINKS.has(link.field))
        yield {
          to: link.from,
          step: { from: record.id, field: link.field, to: link.from.id, direction: 'backward' as const },
        };
  };
  const forward = function* (record: DossierRecord) {
    for (const link of graph.outgoing(record))
      if (DEPENDENCY_LINKS.has(link.field) || VERIFICATION_LINKS.has(link.field))
        yield {
          to: link.to,
          step: { from: record.id, field: link.field, to: link.to.id, direction: 'forward' as const },
        };
  };

  // Tests are never downstream dependencies: they are selected below, with their reasons.
  const downstreamAll = walk(seed, function* (r) {
    for (const next of backward(r)) if (next.to.kind !== 'test') yield next;
  });
  const upstreamAll = walk(seed, forward, new Set(downstreamAll.keys()));

  // A parent item integrates its changed children: its integration tests are regression tests.
  const containersAll: Reached = new Map();
  for (const [record, path] of downstreamAll) {
    if (record.kind !== 'software-item') continue;
    let child = record;
    let steps = path;
    for (let parent = graph.parentOf(child); parent; parent = graph.parentOf(parent)) {
      steps = [...steps, { from: child.id, field: 'partOf', to: parent.id, direction: 'forward' }];
      if (containersAll.has(parent) || downstreamAll.has(parent)) break;
      containersAll.set(parent, steps);
      child = parent;
    }
  }

  // Records whose verification depends on a change: the changed and derived records themselves;
  // the requirements a changed item implements and the risk controls a changed requirement (or a
  // requirement of a changed item) implements, since their tests exercise the changed content; and
  // the items that contain a changed item. An item that only has to implement a changed
  // requirement is re-verified through its own tests, not through all its other requirements.
  const verificationDependents: Reached = new Map(downstreamAll);
  const implementedBy = (record: DossierRecord, path: readonly ImpactStep[]) => {
    for (const link of graph.outgoing(record, 'implements')) {
      const steps = [
        ...path,
        { from: record.id, field: 'implements', to: link.to.id, direction: 'forward' as const },
      ];
      if (!verificationDependents.has(link.to)) verificationDependents.set(link.to, steps);
      if (record.kind === 'software-item' && link.to.kind === 'software-requirement')
        implementedBy(link.to, steps);
    }
  };
  for (const record of changed)
    if (record.kind === 'software-item' || record.kind === 'software-requirement') implementedBy(record, []);
  for (const [record, path] of containersAll)
    if (!verificationDependents.has(record)) verificationDependents.set(record, path);

  const tests = selectTests(graph, changed, verificationDependents);

  const inImpact = [...new Map([...upstreamAll, ...containersAll, ...downstreamAll])];
  const situations = inImpact
    .filter(([r]) => r.kind === 'hazardous-situation')
    .map(([situation, path]) => situationToRevisit(safety, situation, path));
  // A changed item's written causes name situations (7.1.2) even where no link does.
  for (const item of changed) {
    if (item.kind !== 'software-item') continue;
    const path: readonly ImpactStep[] = [];
    for (const cause of (item.fields.causes as { situation?: string }[] | undefined) ?? []) {
      const situation = cause.situation === undefined ? undefined : graph.get(cause.situation);
      if (!situation || situations.some((s) => s.situation === situation)) continue;
      situations.push(
        situationToRevisit(safety, situation, [
          ...path,
          { from: item.id, field: 'causes', to: situation.id, direction: 'forward' },
        ]),
      );
    }
  }
  const testsOfControl = (control: DossierRecord) =>
    [
      ...graph.sources(control, 'verifies', 'test'),
      ...graph.sources(control, 'verifiesEffectiveness', 'test'),
    ]
      .filter(isActive)
      .map((t) => t.id);
  const controls = inImpact
    .filter(([r]) => r.kind === 'risk-control')
    .map(([control, path]) => ({ control, path, tests: [...new Set(testsOfControl(control))].sort() }));

  const classOf = subjectClasses(graph, safety);
  const byClass = new Map<string, string[]>();
  for (const [record] of inImpact) {
    if (record.kind !== 'software-item' && record.kind !== 'software-requirement' && record.kind !== 'soup')
      continue;
    const cls = classOf(record.id);
    const list = byClass.get(cls);
    if (list) list.push(record.id);
    else byClass.set(cls, [record.id]);
  }
  // Most rigorous class first.
  const classes = [...byClass]
    .map(([cls, ids]) => ({ cls, records: [...new Set(ids)].sort() }))
    .sort((a, b) => classRank(safety.scheme, b.cls) - classRank(safety.scheme, a.cls));

  const listed = (reached: Reached, exclude: ReadonlySet<DossierRecord>) =>
    [...reached]
      .filter(([r]) => !exclude.has(r))
      .map(([record, path]) => ({ record, path }))
      .sort((a, b) => compareById(a.record, b.record));
  const impactRecords = new Set(inImpact.map(([r]) => r));
  const unresolved = graph.broken
    .filter(
      (b) => impactRecords.has(b.from) && (DEPENDENCY_LINKS.has(b.field) || VERIFICATION_LINKS.has(b.field)),
    )
    .map((b) => ({ from: b.from.id, field: b.field, target: b.target }))
    .sort((a, b) => (a.from + a.field + a.target < b.from + b.field + b.target ? -1 : 1));

  return {
    changed,
    downstream: listed(downstreamAll, changedSet),
    upstream: listed(upstreamAll, changedSet),
    containers: listed(containersAll, new Set()),
    classes,
    situations: situations.sort((a, b) => compareById(a.situation, b.situation)),
    controls: controls.sort((a, b) => compareById(a.control, b.control)),
    tests,
    unresolved,
  };
}

/**
 * Tests that verify a changed record or a record whose verification depends on the change, and
 * changed tests themselves; obsolete tests are not selected. A class C unit's 5.5.4 evidence may
 * name tests in `unitVerification`: those are selected for a changed unit too.
 */
function selectTests(
  graph: TraceGraph,
  changed: readonly DossierRecord[],
  dependents: Reached,
): SelectedTest[] {
  const selected = new Map<DossierRecord, SelectedTest>();
  const select = (test: DossierRecord, reason: string, path: readonly ImpactStep[]) => {
    if (!isActive(test) || selected.has(test)) return;
    selected.set(test, { test, reason, path });
  };
  for (const record of changed) if (record.kind === 'test') select(record, 'the test itself is changed', []);
  // Shortest paths first, so each test's reason is its most direct one.
  const ordered = [...dependents].sort((a, b) => a[1].length - b[1].length || compareById(a[0], b[0]));
  for (const [record, path] of ordered) {
    const how = describePath(path, record);
    for (const link of graph.incoming(record)) {
      if (!VERIFICATION_LINKS.has(link.field) || link.from.kind !== 'test') continue;
      select(link.from, `${link.field} ${record.id}, ${how}`, [
        ...path,
        { from: record.id, field: link.field, to: link.from.id, direction: 'backward' },
      ]);
    }
    if (record.kind !== 'software-item') continue;
    const criteria = (record.fields.unitVerification ?? {}) as Record<string, { tests?: string[] }>;
    for (const [criterion, evidence] of Object.entries(criteria).sort(([a], [b]) => (a < b ? -1 : 1)))
      for (const id of evidence.tests ?? []) {
        const test = graph.get(id);
        if (test?.kind === 'test')
          select(test, `named for ${record.id} unitVerification.${criterion}, ${how}`, [
            ...path,
            { from: record.id, field: `unitVerification.${criterion}`, to: id, direction: 'forward' },
          ]);
      }
  }
  return [...selected.values()].sort((a, b) => compareById(a.test, b.test));
}

function situationToRevisit(
  safety: SafetyAnalysis,
  situation: DossierRecord,
  path: readonly ImpactStep[],
): SituationToRevisit {
  const risk = safety.risks.find((r) => r.situation === situation);
  const f = situation.fields;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const residual = risk?.residual;
  return {
    situation,
    path,
    ...optional('severity', text(f.severity)),
    ...optional('probability', risk?.initial?.probability.key ?? text(f.probability)),
    ...optional('residualSeverity', text(f.residualSeverity)),
    ...optional('residualProbability', text(f.residualProbability)),
    ...(residual ? { residualAcceptable: residual.acceptable } : {}),
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/** "SRS-067 is changed", "SI-014 implements SRS-067 (changed)": how a record is in the impact. */
export function describePath(path: readonly ImpactStep[], record: DossierRecord): string {
  if (path.length === 0) return `${record.id} is changed`;
  const origin = path[0]!.from;
  const links = path.map((s) =>
    s.direction === 'forward' ? `${s.from} ${s.field} ${s.to}` : `${s.to} ${s.field} ${s.from}`,
  );
  return `${links.join('; ')} (${origin} changed)`;
}

/** The structured `impact` field of a change request (kinds.ts), as `--write` records it. */
export function impactField(impact: ImpactAnalysis, analysed: string) {
  const records = [
    ...impact.changed,
    ...[...impact.upstream, ...impact.downstream, ...impact.containers].map((r) => r.record),
  ].map((r) => r.id);
  return {
    analysed,
    records: [...new Set(records)].sort(),
    tests: impact.tests.map((t) => t.test.id),
    classes: impact.classes.map((c) => c.cls),
    risk: [
      ...impact.situations.map((s) => s.situation.id),
      ...impact.controls.map((c) => c.control.id),
    ].sort(),
  };
}
