import { type KindName, linkSpec } from '../model/kinds.js';
import type { DossierRecord } from '../model/record.js';

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
  private readonly outgoingLinks = new Map<DossierRecord, Link[]>();
  private readonly incomingLinks = new Map<DossierRecord, Link[]>();
  private readonly kindIndex = new Map<KindName, DossierRecord[]>();

  constructor(records: readonly DossierRecord[]) {
    this.records = records;
    const byId = new Map<string, DossierRecord>();
    const duplicates = new Map<string, DossierRecord[]>();
    for (const record of records) {
      const first = byId.get(record.id);
      if (first) {
        const list = duplicates.get(record.id);
        if (list) list.push(record);
        else duplicates.set(record.id, [first, record]);
        continue;
      }
      byId.set(record.id, record);
      push(this.kindIndex, record.kind, record);
    }
    this.byId = byId;
    this.duplicates = duplicates;

    const broken: BrokenLink[] = [];
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
            push(this.outgoingLinks, from, link);
            push(this.incomingLinks, to, link);
          }
        }
      }
    }
    this.broken = broken;
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

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
