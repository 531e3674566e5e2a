/**
 * Running a local rule again only for the records an edit can have changed the findings of.
 *
 * A rule declares itself local ({@link Rule.local}) when it finds by looking at one record at a
 * time: it takes its records from `graph.ofKind`, every finding names the record it is about
 * (`recordId`), and that record's findings depend only on the record, the records within `reach`
 * links of it (either direction), their safety classes, dossier.yaml and the date. After an edit
 * that kept every record's id, kind, links and status and left the safety analysis as it was
 * (src/graph/graph.ts `TraceGraph.after`, src/safety/safety-analysis.ts `safetyAfterEdit`), such a
 * rule's findings about records more than `reach` links away from every record replaced cannot
 * have changed: they are taken from the previous analysis, with their diagnostics, and the rule is
 * run over the others only (a graph whose `ofKind` lists only them).
 */
import { isDeepStrictEqual } from 'node:util';
import type { Diagnostic, Finding } from '../diagnostics/diagnostic.js';
import type { TraceGraph } from '../graph/graph.js';
import type { KindName } from '../model/kinds.js';
import type { DossierRecord, RecordOrigin } from '../model/record.js';

/** One finding of a rule and what became of it: its diagnostic, or none when its class or dossier.yaml turned it off. */
export interface JudgedFinding {
  readonly finding: Finding;
  readonly diagnostic?: Diagnostic;
  /** Whether dossier.yaml lowered it (counted in the report's list of lowered rules). */
  readonly lowered: boolean;
}

/** The records within `reach` links (either direction) of a record replaced by the graph's update. */
export function recordsNear(graph: TraceGraph, reach: number): ReadonlySet<DossierRecord> {
  const near = new Set<DossierRecord>(graph.update?.replaced.values() ?? []);
  let frontier = [...near];
  for (let step = 0; step < reach; step++) {
    const next: DossierRecord[] = [];
    for (const record of frontier) {
      for (const link of graph.outgoing(record))
        if (!near.has(link.to)) {
          near.add(link.to);
          next.push(link.to);
        }
      for (const link of graph.incoming(record))
        if (!near.has(link.from)) {
          near.add(link.from);
          next.push(link.from);
        }
    }
    frontier = next;
  }
  return near;
}

/** The graph with `ofKind` listing only the records given; everything else as it is. */
export function graphListing(graph: TraceGraph, records: ReadonlySet<DossierRecord>): TraceGraph {
  // Grouped from the records, not filtered from the lists (a kind can hold 40,000 records): the
  // order of a rule's findings does not matter, the diagnostics are sorted.
  const byKind = new Map<KindName, DossierRecord[]>();
  for (const record of records) {
    const list = byKind.get(record.kind);
    if (list) list.push(record);
    else byKind.set(record.kind, [record]);
  }
  const none: readonly DossierRecord[] = [];
  return Object.create(graph, {
    ofKind: { value: (kind: KindName) => byKind.get(kind) ?? none },
  }) as TraceGraph;
}

/**
 * The kinds of the records the graph's update replaced, when each kept its status and its place
 * (file, path in the file, the line its Markdown body starts on, links written as one id, companion
 * files): then every anchor made from the new record is the one made from the old. Undefined when one did not, or the graph is not an
 * update: no rule's findings are kept by kind ({@link Rule.reads}).
 */
export function kindsEdited(graph: TraceGraph): ReadonlySet<KindName> | undefined {
  const replaced = graph.update?.replaced;
  if (!replaced) return undefined;
  const kinds = new Set<KindName>();
  for (const [old, now] of replaced) {
    if (old.status !== now.status || !samePlace(old.origin, now.origin)) return undefined;
    kinds.add(now.kind);
  }
  return kinds;
}

function samePlace(a: RecordOrigin, b: RecordOrigin): boolean {
  return (
    a.source.path === b.source.path &&
    // Anchors on a Markdown body carry its line (textAnchor), not a path to look up again.
    a.source.bodyLine === b.source.bodyLine &&
    a.source.yamlLine === b.source.yamlLine &&
    isDeepStrictEqual(a.path, b.path) &&
    isDeepStrictEqual(a.scalarLinks, b.scalarLinks) &&
    isDeepStrictEqual(a.continuations, b.continuations)
  );
}

/**
 * The previous findings of a local rule that stay (the records they are about are not within
 * `near`), or undefined when one of them names no record (it cannot be placed: run the rule again
 * in full).
 */
export function findingsKept(
  previous: readonly JudgedFinding[],
  near: ReadonlySet<DossierRecord>,
): JudgedFinding[] | undefined {
  const ids = new Set<string>();
  for (const record of near) ids.add(record.id);
  const kept: JudgedFinding[] = [];
  for (const judged of previous) {
    const id = judged.finding.recordId;
    if (id === undefined) return undefined;
    if (!ids.has(id)) kept.push(judged);
  }
  return kept;
}
