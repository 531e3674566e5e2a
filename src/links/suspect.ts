/**
 * Suspect links (docs/change-control.md): a tracked link (LinkSpec.suspect) remembers, on its
 * source record in `linkReviews`, the fingerprint its target had when the link was last reviewed.
 * When the target's fingerprint differs now, or the link was never reviewed, the link is suspect:
 * the source may no longer hold for what it depends on. Pure: reads no files and no git.
 */
import { type Link, oncePerGraph, type TraceGraph } from '../graph/graph.js';
import { KINDS, type KindName } from '../model/kinds.js';
import {
  formatStamp,
  isStampOf,
  type LinkStamp,
  parseStamp,
  stampFinder,
  stampIsFor,
  stampTarget,
} from '../model/link-stamp.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { fingerprintOf } from '../reviews/review.js';

export type { LinkStamp } from '../model/link-stamp.js';

export type LinkState =
  | { readonly state: 'current'; readonly stamp: LinkStamp }
  | { readonly state: 'unreviewed'; readonly now: string }
  | { readonly state: 'changed'; readonly stamp: LinkStamp; readonly now: string };

/** A tracked link that is not current: never reviewed, or its target changed since the review. */
export type SuspectLink = Link & Exclude<LinkState, { state: 'current' }>;

/** The link fields of each kind whose source depends on the target's content, from the kind data. */
const TRACKED = new Map<KindName, ReadonlySet<string>>(
  KINDS.filter((k) => k.links.some((l) => l.suspect)).map((k) => [
    k.name,
    new Set(k.links.filter((l) => l.suspect).map((l) => l.field)),
  ]),
);

/**
 * The clauses that make a change of the target matter to the source: a verification link asks for
 * invalidated verification to be repeated (8.2.3); a link of the risk analysis for the change to be
 * analysed for its effect on safety (7.4.1); a design link for the affected activities to be redone
 * (8.2.2). ISO 13485 7.3.9 (control of design changes) for all of them.
 */
const VERIFICATION_LINKS = new Set(['verifies', 'verifiesEffectiveness']);
const RISK_LINKS = new Set([
  'risk-control.mitigates',
  'hazardous-situation.arisesFrom',
  'software-requirement.implements',
  'vulnerability-evaluation.soup',
]);

export function linkClauses(kind: KindName, field: string): readonly string[] {
  if (VERIFICATION_LINKS.has(field)) return ['8.2.3', 'ISO 13485 7.3.9'];
  if (RISK_LINKS.has(`${kind}.${field}`)) return ['7.4.1', '8.2.2', 'ISO 13485 7.3.9'];
  return ['8.2.2', 'ISO 13485 7.3.9'];
}

/** Kinds that have tracked links (and so a `linkReviews` field), in the order of the kind data. */
export const KINDS_WITH_TRACKED_LINKS: readonly KindName[] = [...TRACKED.keys()];

export function trackedFieldsOf(kind: KindName): ReadonlySet<string> {
  return TRACKED.get(kind) ?? new Set();
}

/** The record's `linkReviews` as written: one stamp text per link (src/model/link-stamp.ts). */
export function linkReviewsOf(record: DossierRecord): readonly string[] {
  const stamps = record.fields.linkReviews;
  // Items that are not text are the schema's error; they hold no stamp.
  return Array.isArray(stamps) ? stamps.filter((s): s is string => typeof s === 'string') : [];
}

/** The parsed stamp of one link, or undefined when there is none (or it is not a stamp: a schema finding). */
export function stampOf(record: DossierRecord, targetId: string): LinkStamp | undefined {
  const stamps = record.fields.linkReviews;
  const text = Array.isArray(stamps) ? stamps.find((s) => isStampOf(s, targetId)) : undefined;
  return text === undefined ? undefined : parseStamp(text);
}

/** Where the stamp of the link to `targetId` stands in the record's `linkReviews` list, or -1. */
export function stampIndexOf(record: DossierRecord, targetId: string): number {
  const stamps = record.fields.linkReviews;
  return Array.isArray(stamps) ? stamps.findIndex((s) => isStampOf(s, targetId)) : -1;
}

/**
 * The tracked links written on a record whose targets exist and have an allowed kind (a dangling
 * or wrong-kind link is `link/dangling`'s or `link/wrong-kind`'s finding, not a suspect link).
 */
export function trackedLinksOf(graph: TraceGraph, record: DossierRecord): Link[] {
  const fields = TRACKED.get(record.kind);
  const tracked: Link[] = [];
  if (!fields) return tracked;
  for (const link of graph.outgoing(record)) if (fields.has(link.field)) tracked.push(link);
  return tracked;
}

/** How a tracked link stands against its target now. */
export function linkState(link: Link): LinkState {
  const now = fingerprintOf(link.to);
  const stamp = stampOf(link.from, link.to.id);
  if (!stamp) return { state: 'unreviewed', now };
  return stamp.fingerprint === now ? { state: 'current', stamp } : { state: 'changed', stamp, now };
}

/** Records whose tracked links are judged: active ones (an obsolete record depends on nothing now). */
function* judgedSources(graph: TraceGraph): Generator<DossierRecord> {
  for (const kind of KINDS_WITH_TRACKED_LINKS)
    for (const record of graph.ofKind(kind)) if (isActive(record)) yield record;
}

// One computation per graph: `check`, the release gate and `dossier suspect` ask for the same.
const SUSPECTS = new WeakMap<TraceGraph, readonly SuspectLink[]>();

/** Every suspect link of the active records, sorted by source id, field, position. */
export function suspectLinks(graph: TraceGraph): readonly SuspectLink[] {
  return oncePerGraph(
    SUSPECTS,
    graph,
    () => suspectLinksOf(graph, judgedSources(graph)),
    (before, update) => suspectLinksUpdated(graph, before, update.replaced),
  );
}

/** The suspect tracked links of `sources`, sorted. */
function suspectLinksOf(graph: TraceGraph, sources: Iterable<DossierRecord>): SuspectLink[] {
  const found: SuspectLink[] = [];
  // The hot loop of a large project (every tracked link): a current link costs a prefix comparison
  // of its stamp's text; only a suspect link's stamp is parsed.
  for (const record of sources) {
    const fields = TRACKED.get(record.kind)!;
    const stamps = record.fields.linkReviews;
    const stampText = stampFinder(Array.isArray(stamps) ? stamps : []);
    for (const link of graph.outgoing(record)) {
      if (!fields.has(link.field)) continue;
      const now = fingerprintOf(link.to);
      const text = stampText(link.to.id);
      if (stampIsFor(text, link.to.id, now)) continue;
      // A stamp that does not parse is the schema's error; the link counts as never reviewed.
      const stamp = parseStamp(text);
      found.push(stamp ? { ...link, state: 'changed', stamp, now } : { ...link, state: 'unreviewed', now });
    }
  }
  return found.sort(bySuspectOrder);
}

const bySuspectOrder = (a: SuspectLink, b: SuspectLink) =>
  compareById(a.from, b.from) || a.field.localeCompare(b.field) || a.index - b.index;

/**
 * The suspect links of a graph laid over a previous one whose suspect links are known: a link's
 * state depends on its source's stamps and its target's content, so only the links of the records
 * replaced and of the records that link to them are judged again; the rest are the previous ones.
 */
function suspectLinksUpdated(
  graph: TraceGraph,
  before: readonly SuspectLink[],
  replaced: ReadonlyMap<DossierRecord, DossierRecord>,
): SuspectLink[] {
  const again = new Set<DossierRecord>();
  for (const record of replaced.values()) {
    if (isJudged(record)) again.add(record);
    for (const link of graph.incoming(record)) if (isJudged(link.from)) again.add(link.from);
  }
  const kept = before.filter((s) => !replaced.has(s.from) && !again.has(s.from));
  return mergeSorted(kept, suspectLinksOf(graph, again), bySuspectOrder);
}

/** Whether a record's tracked links are judged: an active record of a kind that has them. */
const isJudged = (record: DossierRecord) => TRACKED.has(record.kind) && isActive(record);

/** Two sorted lists as one, in order (the first list's first among equals). */
function mergeSorted<T>(a: readonly T[], b: readonly T[], order: (x: T, y: T) => number): T[] {
  const merged: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) merged.push(order(b[j]!, a[i]!) < 0 ? b[j++]! : a[i++]!);
  while (i < a.length) merged.push(a[i++]!);
  while (j < b.length) merged.push(b[j++]!);
  return merged;
}

/** A stamp in `linkReviews` for an id the record no longer links to through a tracked link. */
export interface OrphanedStamp {
  readonly record: DossierRecord;
  readonly target: string;
  readonly stamp: LinkStamp;
  /** Its position in the record's `linkReviews` list (where the finding points). */
  readonly index: number;
}

const ORPHANED = new WeakMap<TraceGraph, readonly OrphanedStamp[]>();

/**
 * Stamps for ids the record no longer links to, sorted by record id. A record's orphaned stamps
 * depend on it alone: a graph laid over a previous one looks again only at the records replaced.
 */
export function orphanedStamps(graph: TraceGraph): readonly OrphanedStamp[] {
  return oncePerGraph(
    ORPHANED,
    graph,
    () => orphanedStampsOf(judgedSources(graph)),
    (before, { replaced }) =>
      mergeSorted(
        before.filter((o) => !replaced.has(o.record)),
        orphanedStampsOf([...replaced.values()].filter(isJudged)),
        byRecordId,
      ),
  );
}

const byRecordId = (a: OrphanedStamp, b: OrphanedStamp) => compareById(a.record, b.record);

function orphanedStampsOf(records: Iterable<DossierRecord>): OrphanedStamp[] {
  const found: OrphanedStamp[] = [];
  for (const record of records) {
    const stamps = record.fields.linkReviews;
    if (!Array.isArray(stamps)) continue;
    const orphans: OrphanedStamp[] = [];
    for (let index = 0; index < stamps.length; index++) {
      const text: unknown = stamps[index];
      if (typeof text !== 'string' || linksTo(record, stampTarget(text))) continue;
      const stamp = parseStamp(text);
      // One that does not parse is already the schema's error.
      if (stamp) orphans.push({ record, target: stamp.target, stamp, index });
    }
    found.push(...orphans.sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0)));
  }
  return found.sort(byRecordId);
}

/** Whether one of the record's tracked link fields names the id (resolved or not). */
function linksTo(record: DossierRecord, id: string): boolean {
  for (const field of TRACKED.get(record.kind) ?? []) if (record.links[field]?.includes(id)) return true;
  return false;
}

/** Ids written in the record's tracked link fields (resolved or not). */
function trackedTargetIds(record: DossierRecord): Set<string> {
  const fields = TRACKED.get(record.kind) ?? new Set<string>();
  return new Set(Object.entries(record.links).flatMap(([field, ids]) => (fields.has(field) ? ids : [])));
}

/** Who reviews links and when: the part of a stamp that is not the fingerprint. */
export interface Reviewer {
  readonly by: string;
  readonly on: string;
  readonly review?: string;
}

/** The `linkReviews` a record gets when some of its tracked links are reviewed now. */
export interface StampPlan {
  readonly record: DossierRecord;
  /** The tracked links stamped now (they were suspect). */
  readonly stamped: readonly SuspectLink[];
  /** Stamps dropped because the record no longer links to their target (when clearing the record). */
  readonly dropped: readonly string[];
  /** The new value of `linkReviews`: the stamp texts in target id order. */
  readonly linkReviews: readonly string[];
}

/**
 * Stamps the suspect tracked links of `record` (all of them, or only those to `targets`) with the
 * targets' current fingerprints. Stamps of links that are current are kept as they are (who
 * reviewed them and when stays true); when the whole record is cleared, stamps for ids it no longer
 * links to are dropped. Undefined when nothing would change.
 */
export function planStamps(
  graph: TraceGraph,
  record: DossierRecord,
  reviewer: Reviewer,
  targets?: ReadonlySet<string>,
): StampPlan | undefined {
  const existing = new Map(linkReviewsOf(record).map((text) => [stampTarget(text), text] as const));
  const stamped = trackedLinksOf(graph, record)
    .filter((link) => targets === undefined || targets.has(link.to.id))
    .flatMap((link): SuspectLink[] => {
      const state = linkState(link);
      return state.state === 'current' ? [] : [{ ...link, ...state }];
    });
  const linked = trackedTargetIds(record);
  const dropped = targets === undefined ? [...existing.keys()].filter((id) => !linked.has(id)).sort() : [];
  if (stamped.length === 0 && dropped.length === 0) return undefined;
  const next = new Map(existing);
  for (const id of dropped) next.delete(id);
  for (const link of stamped) {
    next.set(
      link.to.id,
      formatStamp({
        target: link.to.id,
        fingerprint: link.now,
        by: reviewer.by,
        on: reviewer.on,
        ...(reviewer.review !== undefined ? { review: reviewer.review } : {}),
      }),
    );
  }
  const ordered = [...next.keys()].sort().map((id) => next.get(id)!);
  return { record, stamped: dedupeByTarget(stamped), dropped, linkReviews: ordered };
}

/** A target linked through two tracked fields (verifies and verifiesEffectiveness) has one stamp. */
function dedupeByTarget(links: readonly SuspectLink[]): SuspectLink[] {
  const seen = new Set<string>();
  return links.filter((l) => !seen.has(l.to.id) && seen.add(l.to.id) !== undefined);
}
