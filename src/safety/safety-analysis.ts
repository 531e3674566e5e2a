import type { TraceGraph } from '../graph/graph.js';
import type { DossierConfig } from '../model/config.js';
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

/** Everything the risk and classification stages, rules and documents need, computed once. */
export interface SafetyAnalysis {
  readonly scheme: ClassScheme;
  readonly policy?: RiskPolicy;
  readonly risks: readonly SituationRisk[];
  readonly system?: Classification;
  readonly items: readonly Classification[];
  readonly documentationLevel: DocumentationLevel;
  readonly levelOfConcern?: LevelOfConcern;
}

export function analyzeSafety(
  graph: TraceGraph,
  config: DossierConfig,
  scheme = IEC_62304_ED1_1,
): SafetyAnalysis {
  const policy = config.risk ? riskPolicy(config.risk) : undefined;
  const risks = evaluateRisks(graph, policy);
  const { system, items } = classify({ graph, config, scheme, risks });
  const loc = levelOfConcern(config);
  return {
    scheme,
    ...(policy ? { policy } : {}),
    risks,
    ...(system ? { system } : {}),
    items,
    documentationLevel: documentationLevel(config, policy, risks),
    ...(loc ? { levelOfConcern: loc } : {}),
  };
}
