import { isDeepStrictEqual } from 'node:util';
import type { TraceGraph } from '../graph/graph.js';
import type { DossierConfig } from '../model/config.js';
import type { KindName } from '../model/kinds.js';
import { type DossierRecord, isActive } from '../model/record.js';
import { type SoupClass, soupClasses } from '../soup/soup-class.js';
import { notePlaces, withRecordsReplaced } from '../util/replace-records.js';
import { type ClassScheme, IEC_62304_ED1_1 } from './class-scheme.js';
import { type Classification, classify } from './classify.js';
import {
  type DocumentationLevel,
  documentationLevel,
  type LevelOfConcern,
  levelOfConcern,
} from './documentation-level.js';
import { evaluateRisks, type SituationRisk } from './risk-evaluation.js';
import { type RiskPolicy, riskPolicy } from './risk-policy.js';
import { type SoftwareRiskTraceRow, softwareRiskTrace } from './software-risk-trace.js';

/** Everything the risk and classification stages, rules and documents need, computed once. */
export interface SafetyAnalysis {
  readonly scheme: ClassScheme;
  readonly policy?: RiskPolicy;
  readonly risks: readonly SituationRisk[];
  /** IEC 62304 7.3.3: hazardous situation → item → cause → control → verification. */
  readonly softwareRiskTrace: readonly SoftwareRiskTraceRow[];
  readonly system?: Classification;
  readonly items: readonly Classification[];
  /** Class of every SOUP item, from the items that use it. */
  readonly soup: readonly SoupClass[];
  readonly documentationLevel: DocumentationLevel;
  readonly levelOfConcern?: LevelOfConcern;
}

/**
 * Kinds whose content (fields, title, text) the safety analysis reads: the items, the hazardous
 * situations and risk controls, the SOUP. Of requirements and tests it reads only their links and
 * whether they are active; it never reaches records of other kinds. So an edit that changes only
 * the content of records of other kinds, and keeps their status, cannot change the analysis, only
 * the record objects it names (see {@link safetyAfterEdit}). What src/safety/ and
 * src/soup/soup-class.ts read decides this list; test/graph-update.test.ts edits records of several
 * kinds and compares with an analysis made anew.
 */
export const SAFETY_CONTENT_KINDS: ReadonlySet<KindName> = new Set([
  'software-item',
  'hazardous-situation',
  'risk-control',
  'soup',
]);

/**
 * The safety analysis of a graph laid over a previous one (src/graph/graph.ts) from the previous
 * graph's analysis, when no record replaced is of {@link SAFETY_CONTENT_KINDS} and each kept its
 * status, under the same configuration: the previous analysis with the new record objects in it.
 * Undefined when it must be computed again.
 */
export function safetyAfterEdit(
  previous: { readonly graph: TraceGraph; readonly safety: SafetyAnalysis; readonly config: DossierConfig },
  graph: TraceGraph,
  config: DossierConfig,
): SafetyAnalysis | undefined {
  if (graph === previous.graph)
    return isDeepStrictEqual(config, previous.config) ? previous.safety : undefined;
  const update = graph.update;
  if (!update || update.previous.deref() !== previous.graph) return undefined;
  for (const [old, now] of update.replaced)
    if (SAFETY_CONTENT_KINDS.has(old.kind) || isActive(old) !== isActive(now)) return undefined;
  if (!isDeepStrictEqual(config, previous.config)) return undefined;
  return withRecordsReplaced(previous.safety, update.replaced, recordIdOf);
}

/** A record is the only value with an origin, links and a kind (src/model/record.ts); its id stays. */
const recordIdOf = (value: object) =>
  'origin' in value && 'links' in value && 'kind' in value ? (value as DossierRecord).id : undefined;

/**
 * Does ahead what the first {@link safetyAfterEdit} of this analysis would (notes where its records
 * are): `dossier serve` calls it while idle.
 */
export function prepareForEdits(safety: SafetyAnalysis): void {
  notePlaces(safety, recordIdOf);
}

export function analyzeSafety(
  graph: TraceGraph,
  config: DossierConfig,
  scheme = IEC_62304_ED1_1,
): SafetyAnalysis {
  const policy = config.risk ? riskPolicy(config.risk) : undefined;
  const informationForSafetyRationale = config.classification?.creditInformationForSafety?.rationale;
  const risks = evaluateRisks(
    graph,
    policy,
    informationForSafetyRationale ? { informationForSafetyRationale } : {},
  );
  const { system, items } = classify({ graph, config, scheme, risks });
  const loc = levelOfConcern(config);
  const soup = soupClasses(graph, scheme, [...(system ? [system] : []), ...items]);
  return {
    scheme,
    ...(policy ? { policy } : {}),
    risks,
    softwareRiskTrace: softwareRiskTrace(graph, risks),
    ...(system ? { system } : {}),
    items,
    soup,
    documentationLevel: documentationLevel(config, policy, risks),
    ...(loc ? { levelOfConcern: loc } : {}),
  };
}
