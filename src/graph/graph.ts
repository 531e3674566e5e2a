import { type KindName, linkSpec } from '../model/kinds.js';
import type { DossierRecord } from '../model/record.js';
import { LayeredMap } from '../util/layered-map.js';

/** A resolved link: `from.field` names `to`; `index` is the position in the list written. */
export interface Link {
  readonly from: DossierRecord;
  readonly field: string;
  readonly index: number;
  readonly to: DossierRecord;
}

/** A link whose target is missing or of a kind the link type does not allow. */
export interface BrokenLink {
  readonly from: DossierRecord;
  readonly field: string;
  readonly index: number;
  readonly target: string;
  /** Present when the target exists but has the wrong kind. */
  readonly found?: DossierRecord;
  readonly allowed: readonly KindName[];
}

/**
 * The trace graph: records indexed by id, typed links in both directions. Built once in O(records +
 * links); every query afterwards is a map lookup, never a scan (the naive O(n²) linker is what makes
 * other tracers slow on large projects).
 */
export class TraceGraph {
  readonly records: readonly DossierRecord[];
  /** The record that owns each id (the first one read when an id is duplicated). */
  readonly byId: ReadonlyMap<string, DossierRecord>;
  /** Ids written more than once, with every record that uses them. */
  readonly duplicates: ReadonlyMap<string, readonly DossierRecord[]>;
  readonly broken: readonly BrokenLink[];
  private readonly outgoingLinks: ReadonlyMap<DossierRecord, readonly Link[]>;
  private readonly incomingLinks: ReadonlyMap<DossierRecord, readonly Link[]>;
  private readonly kindIndex: ReadonlyMap<KindName, readonly DossierRecord[]>;
  /**
   * For a graph laid over a previous one ({@link TraceGraph.after}): that graph, and each record
   * replaced (old → new). What is computed from a graph can be updated from what was computed from
   * the previous one, for the records replaced and the records linked to them.
   */
  readonly update?: GraphUpdate;

  constructor(
    records: readonly DossierRecord[],
    parts: GraphParts = graphParts(records),
    update?: GraphUpdate,
  ) {
    this.records = records;
    if (update) this.update = update;
    this.byId = parts.byId;
    this.duplicates = parts.duplicates;
    this.broken = parts.broken;
    this.outgoingLinks = parts.outgoing;
    this.incomingLinks = parts.incoming;
    this.kindIndex = parts.kindIndex;
  }

  /**
   * The graph of `records`, a later load of the project `previous` was built from (`dossier serve`
   * after a file changed): when only the content of some records changed (each keeps its place,
   * id, kind and links) the previous graph is updated, in time proportional to what changed and
   * what links to it; otherwise it is built anew. Either way it equals `new TraceGraph(records)`:
   * the same records under the same ids, the same links in the same order (test/graph-update.test.ts).
   */
  static after(previous: TraceGraph, records: readonly DossierRecord[]): TraceGraph {
    const edit = contentEdit(previous, records);
    if (edit === undefined) return new TraceGraph(records);
    if (edit.size === 0) return previous;
    return new TraceGraph(records, updatedParts(previous.parts(), edit), {
      previous: new WeakRef(previous),
      replaced: edit,
    });
  }

  private parts(): GraphParts {
    return {
      byId: this.byId,
      duplicates: this.duplicates,
      broken: this.broken,
      outgoing: this.outgoingLinks,
      incoming: this.incomingLinks,
      kindIndex: this.kindIndex,
    };
  }

  get(id: string): DossierRecord | undefined {
    return this.byId.get(id);
  }

  ofKind(kind: KindName): readonly DossierRecord[] {
    return this.kindIndex.get(kind) ?? [];
  }

  /** Links written on `record` (upstream direction), optionally of one field. */
  outgoing(record: DossierRecord, field?: string): readonly Link[] {
    const links = this.outgoingLinks.get(record) ?? [];
    return field === undefined ? links : links.filter((l) => l.field === field);
  }

  /** Links written on other records that point at `record` (the computed reverse links). */
  incoming(record: DossierRecord, field?: string, fromKind?: KindName): readonly Link[] {
    const links = this.incomingLinks.get(record) ?? [];
    if (field === undefined && fromKind === undefined) return links;
    return links.filter(
      (l) =>
        (field === undefined || l.field === field) && (fromKind === undefined || l.from.kind === fromKind),
    );
  }

  // targets and sources are asked for every record of a large project, several times over (classes,
  // the gate, the gap scan): one pass over the links, without a filtered list of links to map.

  /** Records `record` links to through `field`. */
  targets(record: DossierRecord, field: string): DossierRecord[] {
    const found: DossierRecord[] = [];
    for (const l of this.outgoingLinks.get(record) ?? []) if (l.field === field) found.push(l.to);
    return found;
  }

  /** Records that link to `record` through `field` (optionally only of one kind). */
  sources(record: DossierRecord, field: string, fromKind?: KindName): DossierRecord[] {
    const found: DossierRecord[] = [];
    for (const l of this.incomingLinks.get(record) ?? [])
      if (l.field === field && (fromKind === undefined || l.from.kind === fromKind)) found.push(l.from);
    return found;
  }

  /** Everything `record` traces up to, transitively (not including itself). */
  upstream(record: DossierRecord, fields?: readonly string[]): DossierRecord[] {
    return this.closure(
      record,
      (r) => this.outgoing(r),
      (l) => l.to,
      fields,
    );
  }

  /** Everything that traces to `record`, transitively (not including itself). */
  downstream(record: DossierRecord, fields?: readonly string[]): DossierRecord[] {
    return this.closure(
      record,
      (r) => this.incoming(r),
      (l) => l.from,
      fields,
    );
  }

  // Queries later analyses need, named for what they answer.

  /** Tests that verify this record. */
  testsVerifying(record: DossierRecord): DossierRecord[] {
    return this.sources(record, 'verifies', 'test');
  }

  /** Hazardous situations this software item can contribute to (7.1.1). */
  hazardousSituationsOf(item: DossierRecord): DossierRecord[] {
    return this.targets(item, 'contributesTo');
  }

  /** The parent of a software item, if any. */
  parentOf(item: DossierRecord): DossierRecord | undefined {
    return this.targets(item, 'partOf')[0];
  }

  /** The direct children of a software item. */
  childrenOf(item: DossierRecord): DossierRecord[] {
    return this.sources(item, 'partOf', 'software-item');
  }

  /** Software requirements implementing a risk control (5.2.3, 7.2.2 a). */
  requirementsImplementing(control: DossierRecord): DossierRecord[] {
    return this.sources(control, 'implements', 'software-requirement');
  }

  private closure(
    start: DossierRecord,
    next: (r: DossierRecord) => readonly Link[],
    endOf: (l: Link) => DossierRecord,
    fields?: readonly string[],
  ): DossierRecord[] {
    const seen = new Set<DossierRecord>([start]);
    const queue: DossierRecord[] = [start];
    const result: DossierRecord[] = [];
    for (let i = 0; i < queue.length; i++) {
      for (const link of next(queue[i]!)) {
        if (fields && !fields.includes(link.field)) continue;
        const end = endOf(link);
        if (!seen.has(end)) {
          seen.add(end);
          queue.push(end);
          result.push(end);
        }
      }
    }
    return result;
  }
}

/** How a graph was laid over a previous one: only the content of the records replaced changed. */
export interface GraphUpdate {
  /**
   * Held weakly: a graph must not keep every graph before it alive (a server updates one per
   * edit). Gone, it only means that what was computed from it is computed again.
   */
  readonly previous: WeakRef<TraceGraph>;
  /** Old record → the new record in its place (same id, kind and links). */
  readonly replaced: ReadonlyMap<DossierRecord, DossierRecord>;
}

/**
 * A value computed once per graph (`check`, the gate and the site ask for the same): from the
 * previous graph's value when the graph was laid over one whose value is known (`fromPrevious`),
 * else from scratch.
 */
export function oncePerGraph<T>(
  cache: WeakMap<TraceGraph, T>,
  graph: TraceGraph,
  fromScratch: () => T,
  fromPrevious: (before: T, update: GraphUpdate) => T,
): T {
  const known = cache.get(graph);
  if (known !== undefined) return known;
  const previous = graph.update?.previous.deref();
  const before = previous && cache.get(previous);
  const value = before !== undefined ? fromPrevious(before, graph.update!) : fromScratch();
  cache.set(graph, value);
  return value;
}

/** What a graph is made of: indexes by id, by kind, and of the links in both directions. */
interface GraphParts {
  readonly byId: ReadonlyMap<string, DossierRecord>;
  readonly duplicates: ReadonlyMap<string, readonly DossierRecord[]>;
  readonly broken: readonly BrokenLink[];
  readonly outgoing: ReadonlyMap<DossierRecord, readonly Link[]>;
  readonly incoming: ReadonlyMap<DossierRecord, readonly Link[]>;
  readonly kindIndex: ReadonlyMap<KindName, readonly DossierRecord[]>;
}

function graphParts(records: readonly DossierRecord[]): GraphParts {
  const byId = new Map<string, DossierRecord>();
  const duplicates = new Map<string, DossierRecord[]>();
  const kindIndex = new Map<KindName, DossierRecord[]>();
  for (const record of records) {
    const first = byId.get(record.id);
    if (first) {
      const list = duplicates.get(record.id);
      if (list) list.push(record);
      else duplicates.set(record.id, [first, record]);
      continue;
    }
    byId.set(record.id, record);
    push(kindIndex, record.kind, record);
  }

  const broken: BrokenLink[] = [];
  const outgoing = new Map<DossierRecord, Link[]>();
  const incoming = new Map<DossierRecord, Link[]>();
  for (const from of byId.values()) {
    for (const [field, targets] of Object.entries(from.links)) {
      const spec = linkSpec(from.kind, field);
      if (!spec) continue;
      for (let index = 0; index < targets.length; index++) {
        const target = targets[index]!;
        const to = byId.get(target);
        if (!to) {
          broken.push({ from, field, index, target, allowed: spec.targets });
        } else if (!spec.targets.includes(to.kind)) {
          broken.push({ from, field, index, target, found: to, allowed: spec.targets });
        } else {
          const link: Link = { from, field, index, to };
          push(outgoing, from, link);
          push(incoming, to, link);
        }
      }
    }
  }
  return { byId, duplicates, broken, outgoing, incoming, kindIndex };
}

/**
 * How the layers of an updated graph may grow before it is built anew: past this share of the
 * records, reading through a layer costs more than building once.
 */
const MOST_LAYERED = 0.1;

/**
 * The records of `records` that replace one of `previous` in the same place with the same id, kind
 * and links (old → new), or undefined when the change is anything else (records added, removed or
 * moved, an id, kind or link changed, an id written twice) or too large to lay over the graph.
 */
function contentEdit(
  previous: TraceGraph,
  records: readonly DossierRecord[],
): Map<DossierRecord, DossierRecord> | undefined {
  const before = previous.records;
  if (before.length !== records.length || previous.duplicates.size > 0) return undefined;
  const layered = previous.byId instanceof LayeredMap ? previous.byId.layered : 0;
  const room = Math.floor(records.length * MOST_LAYERED) - layered;
  if (room <= 0) return undefined;
  const replaced = new Map<DossierRecord, DossierRecord>();
  for (let i = 0; i < records.length; i++) {
    const old = before[i]!;
    const now = records[i]!;
    if (old === now) continue;
    if (old.id !== now.id || old.kind !== now.kind || !sameLinks(old.links, now.links)) return undefined;
    replaced.set(old, now);
    if (replaced.size > room) return undefined;
  }
  return replaced;
}

function sameLinks(a: DossierRecord['links'], b: DossierRecord['links']): boolean {
  const fields = Object.keys(a);
  const others = Object.keys(b);
  if (fields.length !== others.length) return false;
  for (let f = 0; f < fields.length; f++) {
    const field = fields[f]!;
    if (others[f] !== field) return false;
    const x = a[field]!;
    const y = b[field];
    if (y === undefined || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  }
  return true;
}

/**
 * The parts of a graph with each replaced record's new object in its place: its links, and the
 * links of the records it links to or from, made anew (a link names both ends); every other entry
 * read through from the graph's.
 */
function updatedParts(parts: GraphParts, replaced: ReadonlyMap<DossierRecord, DossierRecord>): GraphParts {
  const now = (r: DossierRecord) => replaced.get(r) ?? r;
  const relinked = new Map<Link, Link>();
  const relink = (l: Link): Link => {
    if (!replaced.has(l.from) && !replaced.has(l.to)) return l;
    let link = relinked.get(l);
    if (!link) {
      link = { from: now(l.from), field: l.field, index: l.index, to: now(l.to) };
      relinked.set(l, link);
    }
    return link;
  };
  const byId = new Map<string, DossierRecord>();
  const outgoing = new Map<DossierRecord, readonly Link[]>();
  const incoming = new Map<DossierRecord, readonly Link[]>();
  const kinds = new Set<KindName>();
  for (const [old, record] of replaced) {
    byId.set(record.id, record);
    kinds.add(record.kind);
    const out = parts.outgoing.get(old);
    if (out) {
      outgoing.set(record, out.map(relink));
      for (const l of out) if (!replaced.has(l.to)) incoming.set(l.to, parts.incoming.get(l.to)!.map(relink));
    }
    const into = parts.incoming.get(old);
    if (into) {
      incoming.set(record, into.map(relink));
      for (const l of into)
        if (!replaced.has(l.from)) outgoing.set(l.from, parts.outgoing.get(l.from)!.map(relink));
    }
  }
  const kindIndex = new Map(parts.kindIndex);
  for (const kind of kinds) kindIndex.set(kind, kindIndex.get(kind)!.map(now));
  const broken = parts.broken.map((b) =>
    replaced.has(b.from) || (b.found !== undefined && replaced.has(b.found))
      ? { ...b, from: now(b.from), ...(b.found !== undefined ? { found: now(b.found) } : {}) }
      : b,
  );
  return {
    byId: LayeredMap.over(parts.byId, byId),
    duplicates: parts.duplicates,
    broken,
    outgoing: LayeredMap.over(parts.outgoing, outgoing),
    incoming: LayeredMap.over(parts.incoming, incoming),
    kindIndex,
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
