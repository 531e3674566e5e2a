import type { TraceGraph } from '../graph/graph.js';
import type { TraceChainConfig } from '../model/config.js';
import { type KindName, kindSpec } from '../model/kinds.js';
import { type DossierRecord, isActive } from '../model/record.js';

/** One row of a matrix: ids per column; an empty column before the last is a gap in the chain. */
export interface TraceRow {
  readonly cells: readonly (readonly string[])[];
  /** Index of the first empty column, or -1 when the chain is complete. */
  readonly gapAt: number;
}

export interface StepCoverage {
  readonly from: KindName;
  readonly to: KindName;
  readonly total: number;
  readonly covered: number;
  /** Active records of `from` with no linked record of `to`. */
  readonly uncovered: readonly string[];
}

export interface TraceMatrix {
  readonly name: string;
  readonly title: string;
  readonly kinds: readonly KindName[];
  readonly columns: readonly string[];
  readonly rows: readonly TraceRow[];
  readonly coverage: readonly StepCoverage[];
  /** Titles of every id that appears, for renderers that show them. */
  readonly titles: Readonly<Record<string, string>>;
}

/** Records of kind `next` linked to `record` in either direction (links are written downstream). */
function linked(graph: TraceGraph, record: DossierRecord, next: KindName): DossierRecord[] {
  const found = new Set<DossierRecord>();
  for (const link of graph.incoming(record))
    if (link.from.kind === next && isActive(link.from)) found.add(link.from);
  for (const link of graph.outgoing(record))
    if (link.to.kind === next && isActive(link.to)) found.add(link.to);
  return [...found].sort(byId);
}

/**
 * A parent in a same-kind hierarchy (item → unit, system requirement → refinement) counts as reached
 * when one of its descendants is: the software system is traced through its items.
 */
function markHierarchyReached(graph: TraceGraph, reached: Set<DossierRecord>): void {
  const queue = [...reached];
  for (let i = 0; i < queue.length; i++) {
    const record = queue[i]!;
    for (const link of graph.outgoing(record)) {
      if (link.to.kind === record.kind && !reached.has(link.to)) {
        reached.add(link.to);
        queue.push(link.to);
      }
    }
  }
}

function byId(a: DossierRecord, b: DossierRecord): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Builds a traceability matrix for a chain of kinds. Rows follow every path from the first kind down
 * to the next-to-last kind; the last column lists all records linked at the end. Records of later
 * kinds that no upstream record reaches get rows of their own with the upstream columns empty,
 * so orphans show up as plainly as missing downstream links.
 */
export function traceMatrix(graph: TraceGraph, chain: TraceChainConfig): TraceMatrix {
  const kinds = chain.kinds;
  const last = kinds.length - 1;
  const rows: TraceRow[] = [];
  const reached = kinds.map(() => new Set<DossierRecord>());
  const titles: Record<string, string> = {};

  const walk = (
    level: number,
    record: DossierRecord,
    prefix: (readonly string[])[],
    path: DossierRecord[],
  ) => {
    reached[level]!.add(record);
    titles[record.id] = record.title;
    const cells = [...prefix, [record.id]];
    const onPath = [...path, record];
    // A record of the next kind belongs to this row when it links to any record on the row's path:
    // a test verifying the software requirement shows on the row of the item that implements it.
    const children = [...new Set(onPath.flatMap((r) => linked(graph, r, kinds[level + 1]!)))].sort(byId);
    if (level + 1 === last) {
      for (const child of children) {
        reached[last]!.add(child);
        titles[child.id] = child.title;
      }
      const lastCell = children.map((c) => c.id);
      rows.push({ cells: [...cells, lastCell], gapAt: lastCell.length === 0 ? last : -1 });
      return;
    }
    if (children.length === 0) {
      const empty = Array.from({ length: last - level }, () => [] as string[]);
      rows.push({ cells: [...cells, ...empty], gapAt: level + 1 });
      return;
    }
    for (const child of children) walk(level + 1, child, cells, onPath);
  };

  for (const record of [...graph.ofKind(kinds[0]!)].filter(isActive).sort(byId)) walk(0, record, [], []);
  // Orphans: records of a later kind that nothing upstream reached.
  for (let level = 1; level < last && chain.orphans !== false; level++) {
    markHierarchyReached(graph, reached[level]!);
    for (const record of [...graph.ofKind(kinds[level]!)].filter(isActive).sort(byId)) {
      if (reached[level]!.has(record)) continue;
      const before = Array.from({ length: level }, () => [] as string[]);
      const start = rows.length;
      walk(level, record, before, []);
      markHierarchyReached(graph, reached[level]!);
      for (let i = start; i < rows.length; i++) rows[i] = { ...rows[i]!, gapAt: 0 };
    }
  }

  // Coverage follows the rows: a record is covered when a row through it continues to the next column.
  const coverage: StepCoverage[] = [];
  for (let level = 0; level < last; level++) {
    const from = kinds[level]!;
    const to = kinds[level + 1]!;
    const inRows = new Set(rows.flatMap((row) => row.cells[level]!));
    // Without orphan rows, records no upstream record reaches are outside the chain (not gaps).
    const active = graph
      .ofKind(from)
      .filter((r) => isActive(r) && (level === 0 || chain.orphans !== false || inRows.has(r.id)));
    const coveredIds = new Set<string>();
    for (const row of rows) {
      if ((row.cells[level + 1]?.length ?? 0) > 0) for (const id of row.cells[level]!) coveredIds.add(id);
    }
    const covered = new Set(active.filter((r) => coveredIds.has(r.id)));
    markHierarchyReached(graph, covered);
    const uncovered = active
      .filter((r) => !covered.has(r))
      .map((r) => r.id)
      .sort();
    coverage.push({ from, to, total: active.length, covered: active.length - uncovered.length, uncovered });
  }

  return {
    name: chain.name,
    title: chain.title ?? kinds.map((k) => kindSpec(k).label).join(' → '),
    kinds,
    columns: kinds.map((k) => kindSpec(k).label),
    rows,
    coverage,
    titles,
  };
}
