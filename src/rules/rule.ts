import type { Finding, Severity } from '../diagnostics/diagnostic.js';
import type { TraceGraph } from '../graph/graph.js';
import type { Project } from '../load/project.js';
import type { SafetyAnalysis } from '../safety/safety-analysis.js';
import type { EcosystemCoverage } from '../soup/coverage.js';
import type { SoupScan } from '../soup/scan.js';

export interface RuleContext {
  readonly project: Project;
  readonly graph: TraceGraph;
  /** Risk evaluation and classification, computed once per run. */
  readonly safety: SafetyAnalysis;
  /** SOUP matched against the advisory store; absent when no advisory data is available. */
  readonly soupScan?: SoupScan;
  /** Per ecosystem of the SOUP in use: what the advisory data holds for it. */
  readonly advisoryCoverage: readonly EcosystemCoverage[];
  /** The date date-relative rules judge on (YYYY-MM-DD). */
  readonly today: string;
}

/** A rule: stable code, default severity, the clauses it serves, and how to fix what it finds. */
export interface Rule {
  /** Stable code, `area/name`; never reused for another meaning. */
  readonly code: string;
  readonly severity: Severity;
  /** IEC 62304 clauses (or other standards, prefixed) the rule serves. */
  readonly clauses: readonly string[];
  /** One line: what the rule checks. */
  readonly summary: string;
  /** Default advice on how to fix a finding. */
  readonly hint: string;
  check(context: RuleContext): Iterable<Finding>;
}

/** A rule whose findings are made while loading (syntax, schema, ids); it reports them with its metadata. */
export function loaderRule(meta: Omit<Rule, 'check'>): Rule {
  return {
    ...meta,
    *check({ project }) {
      for (const finding of project.findings) if (finding.code === meta.code) yield finding;
    },
  };
}
