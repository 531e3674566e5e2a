/**
 * What changed in a project between two revisions (`dossier diff`): records added, changed and
 * removed, matched by id (a record moved to another file, or between a Markdown file and a
 * collection, is the same record: a move alone is not a change, though the diff says where it went);
 * links added and removed; and what Dossier computes from the records: software safety classes,
 * risk estimates, SOUP versions and, with advisory data, the state of each SOUP vulnerability.
 *
 * Pure over two loaded projects (src/history/project-at.ts reads them): nothing is read here.
 */
import { TraceGraph } from '../graph/graph.js';
import type { Project } from '../load/project.js';
import { idsOf } from '../load/unloaded.js';
import { canonicalContentJson, fingerprint, NOT_CONTENT } from '../model/fingerprint.js';
import { compareById, type DossierRecord } from '../model/record.js';
import { type PartChange, partChanges } from '../reviews/changes.js';
import { type RiskEstimate, residualRiskOf } from '../safety/risk-evaluation.js';
import { analyzeSafety, type SafetyAnalysis } from '../safety/safety-analysis.js';
import { type AdvisorySource, scanSoup } from '../soup/scan.js';
import { inUse } from '../soup/scope.js';
import { canonicalJson } from '../util/canonical-json.js';

/** One side of a diff: the revision as named, and the commit read (none for the working tree). */
export interface DiffSide {
  readonly revision: string;
  readonly commit?: string;
}

export interface RecordRef {
  readonly id: string;
  readonly kind: string;
  readonly title: string;
  /** Project-relative file (on the side the record is on; for a changed record, the later side). */
  readonly file: string;
}

export interface RecordChange extends RecordRef {
  /** The file it was in before, when it moved. */
  readonly movedFrom?: string;
  /** Whether its content fingerprint changed (else only its status or approval fields did). */
  readonly contentChanged: boolean;
  readonly fingerprintBefore: string;
  readonly fingerprintAfter: string;
  readonly changes: readonly PartChange[];
}

export interface RecordMove extends RecordRef {
  readonly movedFrom: string;
}

export interface LinkRef {
  readonly source: string;
  readonly field: string;
  readonly target: string;
}

/** A computed value of one record that differs; `before`/`after` absent: the record is not there. */
export interface ValueChange<T> {
  readonly id: string;
  readonly title: string;
  readonly before?: T;
  readonly after?: T;
}

export interface EstimateValue {
  readonly severity: string;
  readonly probability: string;
  readonly acceptable: boolean;
}

/** A risk estimate of a hazardous situation; `null`: not estimated. */
export interface RiskChange extends ValueChange<EstimateValue | null> {
  readonly phase: 'initial' | 'residual';
}

export interface VulnerabilityChange {
  readonly soup: string;
  readonly advisory: string;
  /** `not evaluated`, `evaluation stale` or the evaluation's state; absent: not a finding then. */
  readonly before?: string;
  readonly after?: string;
}

/** A record file that did not load on one side: the diff cannot be complete. */
export interface NotLoaded {
  readonly side: 'before' | 'after';
  readonly file: string;
  readonly reason: string;
  /** Ids the file is known to hold: left out of added and removed. */
  readonly ids: readonly string[];
}

export interface ProjectDiff {
  readonly before: DiffSide;
  readonly after: DiffSide;
  /** Empty when both sides loaded completely. */
  readonly notLoaded: readonly NotLoaded[];
  readonly records: {
    readonly added: readonly RecordRef[];
    readonly removed: readonly RecordRef[];
    readonly changed: readonly RecordChange[];
    /** Moved to another file with nothing else changed. */
    readonly moved: readonly RecordMove[];
  };
  readonly links: { readonly added: readonly LinkRef[]; readonly removed: readonly LinkRef[] };
  /** Computed software safety classes (system, items, SOUP) that differ. */
  readonly classes: readonly ValueChange<string>[];
  readonly risks: readonly RiskChange[];
  /** Versions of the SOUP in use that differ (added and removed SOUP included). */
  readonly soup: readonly ValueChange<string>[];
  /** Undefined when no advisory data was given: vulnerability states were not compared. */
  readonly vulnerabilities?: readonly VulnerabilityChange[];
}

export interface DiffOptions {
  /** Advisory data to match the SOUP of both sides against, as `check --advisories` does. */
  readonly advisories?: AdvisorySource;
}

export function diffProjects(
  before: { readonly side: DiffSide; readonly project: Project },
  after: { readonly side: DiffSide; readonly project: Project },
  options: DiffOptions = {},
): ProjectDiff {
  const a = sideOf(before.project, options);
  const b = sideOf(after.project, options);
  const notLoaded = [...notLoadedOf('before', before.project), ...notLoadedOf('after', after.project)];
  const unknownAfter = new Set(notLoaded.filter((n) => n.side === 'after').flatMap((n) => n.ids));
  const unknownBefore = new Set(notLoaded.filter((n) => n.side === 'before').flatMap((n) => n.ids));

  // With the same configuration, a record read from the same file content (shared by the loads'
  // cache) is the same record.
  const sameConfig = canonicalJson(before.project.config) === canonicalJson(after.project.config);
  const added: RecordRef[] = [];
  const removed: RecordRef[] = [];
  const changed: RecordChange[] = [];
  const moved: RecordMove[] = [];
  for (const [id, record] of b.graph.byId) {
    const old = a.graph.byId.get(id);
    if (!old) {
      if (!unknownBefore.has(id)) added.push(refOf(record));
      continue;
    }
    const changes =
      (sameConfig && sameSource(old, record)) || sameVersion(old, record)
        ? []
        : partChanges(old, record, { administrative: true });
    const from = old.origin.source.path;
    const movedFrom = from !== record.origin.source.path ? { movedFrom: from } : {};
    if (changes.length === 0) {
      if ('movedFrom' in movedFrom) moved.push({ ...refOf(record), movedFrom: from });
      continue;
    }
    const fingerprintBefore = fingerprint(old);
    const fingerprintAfter = fingerprint(record);
    changed.push({
      ...refOf(record),
      ...movedFrom,
      contentChanged: fingerprintBefore !== fingerprintAfter,
      fingerprintBefore,
      fingerprintAfter,
      changes,
    });
  }
  for (const [id, record] of a.graph.byId) {
    if (!b.graph.byId.has(id) && !unknownAfter.has(id)) removed.push(refOf(record));
  }

  const linksBefore = linkKeys(a.graph);
  const linksAfter = linkKeys(b.graph);
  const link = (key: string): LinkRef => {
    const [source, field, target] = key.split('\u0000') as [string, string, string];
    return { source, field, target };
  };
  const onlyIn = (x: ReadonlySet<string>, y: ReadonlySet<string>) =>
    [...x]
      .filter((k) => !y.has(k))
      .sort()
      .map(link);

  return {
    before: before.side,
    after: after.side,
    notLoaded,
    records: {
      added: added.sort(compareById),
      removed: removed.sort(compareById),
      changed: changed.sort(compareById),
      moved: moved.sort(compareById),
    },
    links: { added: onlyIn(linksAfter, linksBefore), removed: onlyIn(linksBefore, linksAfter) },
    classes: valueChanges(a.classes, b.classes),
    risks: riskChanges(a, b),
    soup: valueChanges(a.soupVersions, b.soupVersions),
    ...(a.vulnerabilities && b.vulnerabilities
      ? { vulnerabilities: vulnerabilityChanges(a.vulnerabilities, b.vulnerabilities) }
      : {}),
  };
}

interface Side {
  readonly graph: TraceGraph;
  readonly safety: SafetyAnalysis;
  readonly classes: Map<string, { title: string; value: string }>;
  readonly soupVersions: Map<string, { title: string; value: string }>;
  readonly vulnerabilities?: Map<string, string>;
}

function sideOf(project: Project, options: DiffOptions): Side {
  const graph = new TraceGraph(project.records);
  const safety = analyzeSafety(graph, project.config);
  const classes = new Map<string, { title: string; value: string }>();
  for (const c of [...(safety.system ? [safety.system] : []), ...safety.items])
    classes.set(c.id, { title: c.title, value: c.computedClass });
  for (const s of safety.soup) classes.set(s.soup.id, { title: s.soup.title, value: s.cls });
  const soups = graph.ofKind('soup');
  const soupVersions = new Map(
    soups.filter(inUse).map((s) => [s.id, { title: s.title, value: String(s.fields.version) }]),
  );
  if (!options.advisories) return { graph, safety, classes, soupVersions };
  const scan = scanSoup(soups, graph.ofKind('vulnerability-evaluation'), options.advisories);
  const vulnerabilities = new Map<string, string>();
  for (const f of scan.findings) {
    const state = !f.evaluation
      ? 'not evaluated'
      : f.staleBecause
        ? 'evaluation stale'
        : String(f.evaluation.fields.state);
    vulnerabilities.set(`${f.soupId}\u0000${f.advisory}`, state);
  }
  return { graph, safety, classes, soupVersions, vulnerabilities };
}

/** Read from the same file content at the same place in it. */
function sameSource(a: DossierRecord, b: DossierRecord): boolean {
  return (
    a.origin.source === b.origin.source &&
    a.origin.path.length === b.origin.path.length &&
    a.origin.path.every((step, i) => step === b.origin.path[i]) &&
    a.origin.continuations === undefined &&
    b.origin.continuations === undefined
  );
}

/**
 * The same content, status and approval fields: the quick test before a part-by-part comparison
 * (comparing every part of every record cost a quarter of a 10,000-record diff).
 */
function sameVersion(a: DossierRecord, b: DossierRecord): boolean {
  if (a === b) return true;
  if (a.status !== b.status || canonicalContentJson(a) !== canonicalContentJson(b)) return false;
  for (const field of NOT_CONTENT)
    if (canonicalJson(a.fields[field] ?? null) !== canonicalJson(b.fields[field] ?? null)) return false;
  return true;
}

function refOf(record: DossierRecord): RecordRef {
  return { id: record.id, kind: record.kind, title: record.title, file: record.origin.source.path };
}

function notLoadedOf(side: 'before' | 'after', project: Project): NotLoaded[] {
  return project.unloaded.map((u) => ({
    side,
    file: u.file,
    reason: u.finding.message,
    ids: [...idsOf(u)].sort(),
  }));
}

/** Every link written, as "source\0field\0target", of the records of the graph (each id once). */
function linkKeys(graph: TraceGraph): Set<string> {
  const keys = new Set<string>();
  for (const record of graph.byId.values())
    for (const [field, targets] of Object.entries(record.links))
      for (const target of targets) keys.add(`${record.id}\u0000${field}\u0000${target}`);
  return keys;
}

function valueChanges(
  before: ReadonlyMap<string, { title: string; value: string }>,
  after: ReadonlyMap<string, { title: string; value: string }>,
): ValueChange<string>[] {
  const out: ValueChange<string>[] = [];
  for (const id of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const x = before.get(id);
    const y = after.get(id);
    if (x?.value === y?.value) continue;
    out.push({
      id,
      title: (y ?? x)!.title,
      ...(x ? { before: x.value } : {}),
      ...(y ? { after: y.value } : {}),
    });
  }
  return out;
}

const estimateOf = (e: RiskEstimate | undefined): EstimateValue | null =>
  e ? { severity: e.severity.key, probability: e.probability.key, acceptable: e.acceptable } : null;

function riskChanges(a: Side, b: Side): RiskChange[] {
  const byId = (side: Side) =>
    new Map(
      side.safety.risks.map((r) => [
        r.situation.id,
        { title: r.situation.title, initial: estimateOf(r.initial), residual: estimateOf(residualRiskOf(r)) },
      ]),
    );
  const before = byId(a);
  const after = byId(b);
  const out: RiskChange[] = [];
  for (const id of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const x = before.get(id);
    const y = after.get(id);
    for (const phase of ['initial', 'residual'] as const) {
      if (JSON.stringify(x?.[phase]) === JSON.stringify(y?.[phase])) continue;
      out.push({
        id,
        title: (y ?? x)!.title,
        phase,
        ...(x ? { before: x[phase] } : {}),
        ...(y ? { after: y[phase] } : {}),
      });
    }
  }
  return out;
}

function vulnerabilityChanges(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): VulnerabilityChange[] {
  const out: VulnerabilityChange[] = [];
  for (const key of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const x = before.get(key);
    const y = after.get(key);
    if (x === y) continue;
    const [soup, advisory] = key.split('\u0000') as [string, string];
    out.push({ soup, advisory, ...(x ? { before: x } : {}), ...(y ? { after: y } : {}) });
  }
  return out;
}

/** Whether anything at all differs. */
export function isEmptyDiff(diff: ProjectDiff): boolean {
  const r = diff.records;
  return (
    r.added.length + r.removed.length + r.changed.length + r.moved.length === 0 &&
    diff.links.added.length + diff.links.removed.length === 0 &&
    diff.classes.length + diff.risks.length + diff.soup.length === 0 &&
    (diff.vulnerabilities?.length ?? 0) === 0
  );
}
