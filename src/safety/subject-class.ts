import type { TraceGraph } from '../graph/graph.js';
import type { KindName } from '../model/kinds.js';
import { type DossierRecord, isActive } from '../model/record.js';
import { higherClass } from './class-scheme.js';
import type { SafetyAnalysis } from './safety-analysis.js';

/**
 * The software safety class of the record a finding is about, which decides whether a clause's
 * obligation applies to it (Annex A, Table A.1):
 * - a software item: its computed class;
 * - SOUP: its class (the highest class of the items that use it);
 * - a software requirement: the highest class of the items it is allocated to (`implements`),
 *   else the class of the software system;
 * - a test: the highest class of what it verifies; a test run or verification report: the highest
 *   class of the tests or units it names, else the system's;
 * - a vulnerability evaluation: the class of the SOUP it evaluates;
 * - a plan, and a project-wide finding (a plan that is missing): the highest class in the project
 *   ({@link projectClass}): plans apply to the whole software, and a group takes its highest class
 *   (4.3 f);
 * - a review: the highest class of the records it reviewed (4.3 f), else the system's;
 * - everything else (needs, system requirements, risk records, problem reports, change requests,
 *   releases): the class of the software system.
 * Whatever cannot be determined (no system classification, a test that verifies nothing, an id that
 * is not a record) is class C: 4.3 g, until a class is assigned, never A.
 */
export type SubjectClassOf = (recordId: string | undefined) => string;

/**
 * The kinds whose class is read from their content (the ids a test run's results and a verification
 * report's units name), not from links and the safety analysis: an edit of one may change the class
 * its findings were judged at (src/analyze.ts keeps no finding then).
 */
export const CLASS_CONTENT_KINDS: ReadonlySet<KindName> = new Set(['test-run', 'verification-report']);

// One reading per analysis: `check`, the release gate and the gap scan ask for the same classes,
// and each class of a 100,000-record project costs a walk of its links.
const READINGS = new WeakMap<TraceGraph, WeakMap<SafetyAnalysis, SubjectClassOf>>();

export function subjectClasses(graph: TraceGraph, safety: SafetyAnalysis): SubjectClassOf {
  let bySafety = READINGS.get(graph);
  if (!bySafety) {
    bySafety = new WeakMap();
    READINGS.set(graph, bySafety);
  }
  const known = bySafety.get(safety);
  if (known) return known;
  const reading = classReading(graph, safety);
  bySafety.set(safety, reading);
  return reading;
}

function classReading(graph: TraceGraph, safety: SafetyAnalysis): SubjectClassOf {
  const scheme = safety.scheme;
  const unknown = scheme.unclassified;
  const computed = new Map<string, string>(safety.items.map((c) => [c.id, c.computedClass]));
  if (safety.system) computed.set(safety.system.id, safety.system.computedClass);
  for (const s of safety.soup) computed.set(s.soup.id, s.cls);
  const systemClass = safety.system?.computedClass ?? unknown;
  const wholeSoftware = projectClass(safety);
  const memo = new Map<DossierRecord, string>();

  const highest = (records: readonly DossierRecord[], none: string): string =>
    records.length === 0 ? none : records.map(classOf).reduce((a, b) => higherClass(scheme, a, b));

  function classOf(record: DossierRecord): string {
    const known = memo.get(record);
    if (known !== undefined) return known;
    memo.set(record, unknown); // a cycle of links cannot lower the class
    const cls = compute(record);
    memo.set(record, cls);
    return cls;
  }

  function compute(record: DossierRecord): string {
    switch (record.kind) {
      case 'software-item':
      case 'soup':
        return computed.get(record.id) ?? unknown;
      case 'software-requirement':
        return highest(graph.sources(record, 'implements', 'software-item').filter(isActive), systemClass);
      case 'test':
        return highest(
          [...graph.targets(record, 'verifies'), ...graph.targets(record, 'verifiesEffectiveness')],
          unknown,
        );
      case 'vulnerability-evaluation':
        return highest(graph.targets(record, 'soup'), unknown);
      case 'review':
        return highest(graph.targets(record, 'reviewed'), systemClass);
      case 'test-run':
        return highest(namedRecords(record, 'results', 'test'), systemClass);
      case 'verification-report':
        return highest(namedRecords(record, 'units', 'unit'), systemClass);
      case 'plan':
        return wholeSoftware;
      default:
        return systemClass;
    }
  }

  /** Records named by id inside a list field of an evidence record (`results[].test`, `units[].unit`). */
  function namedRecords(record: DossierRecord, field: string, key: string): DossierRecord[] {
    const entries = (record.fields[field] as Record<string, unknown>[] | undefined) ?? [];
    return entries
      .map((e) => (typeof e[key] === 'string' ? graph.get(e[key] as string) : undefined))
      .filter((r): r is DossierRecord => r !== undefined);
  }

  // Asked by id tens of thousands of times per scan (every selection of the gap scan, every gate
  // check): one lookup of the answer instead of the record's and then its class's.
  const byId = new Map<string, string>();
  return (recordId) => {
    if (recordId === undefined) return wholeSoftware;
    let cls = byId.get(recordId);
    if (cls === undefined) {
      const record = graph.get(recordId);
      cls = record ? classOf(record) : unknown;
      byId.set(recordId, cls);
    }
    return cls;
  };
}

/**
 * The highest class in the project: of the software system and of every software item (4.3 f: what
 * applies to a group of items uses the highest class in the group). Without a classified system it
 * is the unclassified class (C, 4.3 g), whatever the items say: nothing has classified the whole.
 */
export function projectClass(safety: SafetyAnalysis): string {
  const scheme = safety.scheme;
  if (!safety.system) return scheme.unclassified;
  return safety.items.reduce(
    (cls, item) => higherClass(scheme, cls, item.computedClass),
    safety.system.computedClass,
  );
}
