import type { TraceGraph } from '../graph/graph.js';
import type { DossierConfig } from '../model/config.js';
import { type SoupClass, soupClasses } from '../soup/soup-class.js';
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
