import type { Finding, Severity } from '../diagnostics/diagnostic.js';
import type { TraceGraph } from '../graph/graph.js';
import type { Project } from '../load/project.js';
import type { KindName } from '../model/kinds.js';
import type { Profile } from '../model/vocabulary.js';
import type { SafetyAnalysis } from '../safety/safety-analysis.js';
import type { EcosystemCoverage } from '../soup/coverage.js';
import type { SoupScan } from '../soup/scan.js';
import type { RulesetPlan } from './ruleset.js';

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
  /** The ruleset applied (src/rules/ruleset.ts); absent where a caller builds a context by hand. */
  readonly ruleset?: Extract<RulesetPlan, { ok: true }>;
}

/**
 * How a rule's severity is decided (docs/config.md, "Severity and class applicability"):
 * - `table`: the rule checks an obligation. Each finding is judged at the safety class of the
 *   record it is about: where any of its clauses applies (Annex A, Table A.1 in
 *   data/iec62304-ed1.1-applicability.json, or the `otherStandards` there) it is reported at the
 *   rule's `severity`; where none applies it is not reported. Lowering it in dossier.yaml needs a
 *   written reason.
 * - `fixed`: not a clause obligation (syntax, ids, links, information-only notes): reported at
 *   `severity` whatever the class.
 */
export type Applicability = 'table' | 'fixed';

/** A rule: stable code, default severity, the clauses it serves, and how to fix what it finds. */
export interface Rule {
  /** Stable code, `area/name`; never reused for another meaning. */
  readonly code: string;
  /** Severity of a finding (for `table` rules: where its clauses apply; normally `error`). */
  readonly severity: Severity;
  readonly applicability: Applicability;
  /**
   * IEC 62304 clauses (or other standards, prefixed) the rule serves. For `table` rules these are
   * the obligations that decide where it applies, so list only clauses the finding enforces.
   */
  readonly clauses: readonly string[];
  /**
   * The project profiles (dossier.yaml `profile:`) the rule runs for. Without it: every device
   * project, and production-software projects only when its area applies to every profile
   * (data/csa-assurance.json `generalRuleAreas`; src/rules/profiles.ts).
   */
  readonly profiles?: readonly Profile[];
  /** One line: what the rule checks. */
  readonly summary: string;
  /** Default advice on how to fix a finding. */
  readonly hint: string;
  /**
   * Present when the rule is local (src/rules/local-rerun.ts): it takes its records from
   * `graph.ofKind`, each finding names the record it is about, and that record's findings depend
   * only on the records within `reach` links of it (either direction), their classes, dossier.yaml
   * and the date. After a small edit only the records near it are checked again.
   */
  readonly local?: { readonly reach: 0 | 1 | 2 };
  /**
   * Present when the rule's findings depend only on the ids, kinds, links and statuses of the
   * records, the content (title, text, tags, fields) of records of these `kinds`, the safety
   * analysis, dossier.yaml (`project.config`), the date and the ruleset: it reads nothing else of
   * the project (not its files, loader findings or code tags, nor the SOUP scan). After an edit that
   * changed only the content of records of other kinds, each in its place and with its status, and
   * left the safety analysis as it was, its findings are the previous analysis's
   * (src/rules/local-rerun.ts `kindsEdited`). test/rule-reads.test.ts holds every rule to what it
   * declares: run with nothing else of the project, and with the content of every other kind changed.
   */
  readonly reads?: { readonly kinds: readonly KindName[] };
  check(context: RuleContext): Iterable<Finding>;
}

/**
 * A rule whose findings are made while loading (syntax, schema, ids); it reports them with its
 * metadata. Whether a file can be read is not a clause obligation that a class relaxes: fixed.
 */
export function loaderRule(meta: Omit<Rule, 'check' | 'applicability'>): Rule {
  return {
    ...meta,
    applicability: 'fixed',
    *check({ project }) {
      for (const finding of project.findings) if (finding.code === meta.code) yield finding;
    },
  };
}
