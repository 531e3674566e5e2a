import type { TraceGraph } from '../graph/graph.js';
import type { TraceChainConfig } from '../model/config.js';
import { type KindName, kindSpec } from '../model/kinds.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { runSteps, type Steps } from '../util/steps.js';

/**
 * A cell holds the ids in one column of a row; `null` means the column does not apply to the
 * record before it (a hardware risk control has no software requirement).
 */
export type TraceCell = readonly string[] | null;

/** One row of a matrix. An empty cell (not `null`) is a gap in the chain. */
export interface TraceRow {
  readonly cells: readonly TraceCell[];
  /** Index of the first empty column, 0 for orphans (nothing upstream), or -1 when complete. */
  readonly gapAt: number;
}

export interface StepCoverage {
  readonly from: KindName;
  readonly to: KindName;
  readonly total: number;
  readonly covered: number;
  /** Active records of `from` whose rows stop before reaching `to`. */
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
  /** With test results: for each row, whether its tests verify it on one version (src/evidence/trace-results.ts). */
  readonly verification?: { readonly version: string; readonly rows: readonly string[] };
}

/**
 * Steps of a chain that do not apply to some records, with the reason. Data, so that the
 * regulatory reasoning is stated once: IEC 62304 5.2.3 and 7.2.2 a) ask for software requirements
 * only for risk controls implemented in software.
 */
export const NOT_APPLICABLE: readonly {
  readonly from: KindName;
  readonly to: KindName;
  readonly applies: (record: DossierRecord) => boolean;
  readonly reason: string;
}[] = [
  {
    from: 'risk-control',
    to: 'software-requirement',
    applies: (control) =>
      control.fields.implementedIn !== undefined && control.fields.implementedIn !== 'software',
    reason: 'risk control implemented outside the software system (62304 5.2.3, 7.2.2 a)',
  },
];

function notApplicable(record: DossierRecord, to: KindName): boolean {
  return NOT_APPLICABLE.some((n) => n.from === record.kind && n.to === to && n.applies(record));
}

/** Active records of kind `next` linked to `record` in either direction (links are written downstream). */
function linked(graph: TraceGraph, record: DossierRecord, next: KindName): DossierRecord[] {
  const found = new Set<DossierRecord>();
  for (const link of graph.incoming(record))
    if (link.from.kind === next && isActive(link.from)) found.add(link.from);
  for (const link of graph.outgoing(record))
    if (link.to.kind === next && isActive(link.to)) found.add(link.to);
  return [...found];
}

/**
 * Records of `kind` that belong after `path` in a row: linked to any record on the path, so a test
 * that verifies the software requirement shows on the row of the item implementing it.
 */
function nextInRow(graph: TraceGraph, path: readonly DossierRecord[], kind: KindName): DossierRecord[] {
  const found = new Set<DossierRecord>();
  for (const record of path) for (const r of linked(graph, record, kind)) found.add(r);
  return [...found].sort(compareById);
}

/**
 * A parent in a same-kind hierarchy (item → unit, system requirement → refinement) counts as reached
 * when one of its descendants is: the software system is traced through its items.
 */
function markHierarchyReached(
  graph: TraceGraph,
  reached: Set<DossierRecord>,
  from: Iterable<DossierRecord> = reached,
): void {
  // Only `from` (records just reached) needs walking: what was reached before was walked before.
  const queue = [...from];
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

/**
 * Builds a traceability matrix for a chain of kinds. Rows follow every path from the first kind down
 * to the next-to-last kind; the last column lists all records linked at the end. Records of later
 * kinds that no upstream record reaches get rows of their own with the upstream columns empty,
 * so orphans show up as plainly as missing downstream links.
 */
export function traceMatrix(graph: TraceGraph, chain: TraceChainConfig): TraceMatrix {
  return runSteps(traceMatrixSteps(graph, chain));
}

/** Root records (and orphans) expanded between two pauses of {@link traceMatrixSteps}. */
const RECORDS_PER_STEP = 500;

/** {@link traceMatrix} in steps (src/util/steps.ts): a pause every {@link RECORDS_PER_STEP} records expanded, and before the coverage. */
export function* traceMatrixSteps(graph: TraceGraph, chain: TraceChainConfig): Steps<TraceMatrix> {
  const kinds = chain.kinds;
  const last = kinds.length - 1;
  const rows: TraceRow[] = [];
  const reached = kinds.map(() => new Set<DossierRecord>());
  const titles: Record<string, string> = {};
  // Records reached since the hierarchy was last marked, per column (see markHierarchyReached).
  const fresh = kinds.map(() => [] as DossierRecord[]);
  const note = (record: DossierRecord, column: number) => {
    if (!reached[column]!.has(record)) fresh[column]!.push(record);
    reached[column]!.add(record);
    titles[record.id] = record.title;
  };
  const markFresh = (column: number) => {
    markHierarchyReached(graph, reached[column]!, fresh[column]!);
    fresh[column] = [];
  };

  /** Fills the row from `column` on; `path` holds the records placed so far. */
  const expand = (column: number, path: DossierRecord[], cells: TraceCell[], orphan: boolean) => {
    const kind = kinds[column]!;
    const found = nextInRow(graph, path, kind);
    const owner = path[path.length - 1]!;
    if (column === last) {
      for (const r of found) note(r, column);
      const lastCell = found.length === 0 && notApplicable(owner, kind) ? null : found.map((r) => r.id);
      const gapAt = orphan ? 0 : lastCell !== null && lastCell.length === 0 ? last : -1;
      rows.push({ cells: [...cells, lastCell], gapAt });
      return;
    }
    if (found.length === 0) {
      if (notApplicable(owner, kind)) {
        expand(column + 1, path, [...cells, null], orphan);
        return;
      }
      const empty = Array.from({ length: kinds.length - column }, () => [] as string[]);
      rows.push({ cells: [...cells, ...empty], gapAt: orphan ? 0 : column });
      return;
    }
    for (const record of found) {
      note(record, column);
      expand(column + 1, [...path, record], [...cells, [record.id]], orphan);
    }
  };

  let expanded = 0;
  for (const record of graph.ofKind(kinds[0]!).filter(isActive).sort(compareById)) {
    if (++expanded % RECORDS_PER_STEP === 0) yield;
    note(record, 0);
    expand(1, [record], [[record.id]], false);
  }
  // Orphans: records of a later kind that nothing upstream reached.
  for (let column = 1; column < last && chain.orphans !== false; column++) {
    markFresh(column);
    for (const record of graph.ofKind(kinds[column]!).filter(isActive).sort(compareById)) {
      if (reached[column]!.has(record)) continue;
      if (++expanded % RECORDS_PER_STEP === 0) yield;
      note(record, column);
      const before = Array.from({ length: column }, () => [] as string[]);
      expand(column + 1, [record], [...before, [record.id]], true);
      markFresh(column);
    }
  }

  yield;
  return {
    name: chain.name,
    title: chain.title ?? kinds.map((k) => kindSpec(k).label).join(' → '),
    kinds,
    columns: kinds.map((k) => kindSpec(k).label),
    rows,
    coverage: stepCoverage(graph, chain, rows),
    titles,
  };
}

/**
 * Coverage follows the rows: a record is covered for a step when a row through it continues into
 * the next column (or the next column does not apply to it).
 */
function stepCoverage(graph: TraceGraph, chain: TraceChainConfig, rows: readonly TraceRow[]): StepCoverage[] {
  const coverage: StepCoverage[] = [];
  for (let column = 0; column < chain.kinds.length - 1; column++) {
    const from = chain.kinds[column]!;
    const to = chain.kinds[column + 1]!;
    const inRows = new Set(rows.flatMap((row) => row.cells[column] ?? []));
    // Without orphan rows, records no upstream record reaches are outside the chain (not gaps).
    const active = graph
      .ofKind(from)
      .filter((r) => isActive(r) && (column === 0 || chain.orphans !== false || inRows.has(r.id)));
    const coveredIds = new Set<string>();
    for (const row of rows) {
      const next = row.cells[column + 1];
      if (next === null || (next?.length ?? 0) > 0)
        for (const id of row.cells[column] ?? []) coveredIds.add(id);
    }
    const covered = new Set(active.filter((r) => coveredIds.has(r.id)));
    markHierarchyReached(graph, covered);
    const uncovered = active
      .filter((r) => !covered.has(r))
      .map((r) => r.id)
      .sort();
    coverage.push({ from, to, total: active.length, covered: active.length - uncovered.length, uncovered });
  }
  return coverage;
}
