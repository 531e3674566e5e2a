/**
 * The evaluators of the gap scan by name (the `use` of the data files), and how the results of a
 * clause's evaluators combine into its status. Each evaluator is a small pure function over the
 * analysed project (src/gap/context.ts).
 */
import type { GapContext } from './context.js';
import { attestation, plan, planExists, review, reviewHeld } from './evaluate-documents.js';
import { configValue, documentationLevel, legacy, riskPolicy } from './evaluate-project.js';
import {
  knownAnomalies,
  problemsChanged,
  records,
  runs,
  softwareRiskTrace,
  testedAtLevel,
} from './evaluate-records.js';
import { gate, releaseFields } from './evaluate-release.js';
import { judged, nothingToJudge } from './outcome.js';
import type { EvaluatorResult, EvaluatorSpec, GapStatus, Outcome } from './types.js';

/** The status of a clause the scan already judged, for evaluators that derive from clauses. */
export interface ClauseStatus {
  readonly clause: string;
  readonly title: string;
  readonly applies: boolean;
  readonly status: GapStatus;
  readonly needsHumanAssessment: boolean;
}

/** `clauses`: an obligation beyond IEC 62304 that the IEC 62304 clauses named evidence (FDA G, H; design controls). */
function derived(
  spec: Extract<EvaluatorSpec, { use: 'clauses' }>,
  statuses: ReadonlyMap<string, ClauseStatus>,
): EvaluatorResult {
  const applying = spec.clauses.map((c) => statuses.get(c)!).filter((c) => c.applies);
  if (applying.length === 0)
    return nothingToJudge(`IEC 62304 ${spec.clauses.join(', ')} do not apply at the project's classes`);
  const found = applying.filter((c) => c.status === 'evidence-found');
  return {
    ...judged(
      found.map((c) => ({ id: `IEC 62304 ${c.clause}`, note: c.status })),
      applying
        .filter((c) => c.status !== 'evidence-found')
        .map((c) => `IEC 62304 ${c.clause} (${c.title}): ${c.status}`),
      { evidenced: applying.filter((c) => c.status !== 'no-evidence').length },
    ),
    ...(applying.some((c) => c.needsHumanAssessment) ? { human: true } : {}),
  };
}

/** Runs one evaluator. `clause` is the IEC 62304 clause judged (undefined beyond IEC 62304). */
export function evaluate(
  spec: EvaluatorSpec,
  context: GapContext,
  clause: string | undefined,
  statuses: ReadonlyMap<string, ClauseStatus>,
): EvaluatorResult {
  const result = run(spec, context, clause, statuses);
  // An optional evaluator with nothing to judge counts neither way; what it looked for is a note.
  if (spec.optional && result.empty === true)
    return { outcome: 'na', evidence: [], missing: [], notes: result.missing };
  return result;
}

function run(
  spec: EvaluatorSpec,
  context: GapContext,
  clause: string | undefined,
  statuses: ReadonlyMap<string, ClauseStatus>,
): EvaluatorResult {
  switch (spec.use) {
    case 'attestation':
      return attestation(spec, context, clause);
    case 'plan':
      return plan(spec, context);
    case 'plan-exists':
      return planExists(spec, context);
    case 'records':
      return records(spec, context, clause);
    case 'review':
      return review(spec, context, clause);
    case 'review-held':
      return reviewHeld(spec, context);
    case 'gate':
      return gate(spec, context, clause);
    case 'tested-at-level':
      return testedAtLevel(spec, context, clause);
    case 'runs':
      return runs(spec, context);
    case 'risk-policy':
      return riskPolicy(spec, context);
    case 'release':
      return releaseFields(spec, context);
    case 'software-risk-trace':
      return softwareRiskTrace(spec, context);
    case 'clauses':
      return derived(spec, statuses);
    case 'legacy':
      return legacy(spec, context);
    case 'documentation-level':
      return documentationLevel(spec, context);
    case 'config':
      return configValue(spec, context);
    case 'problems-changed':
      return problemsChanged(spec, context);
    case 'known-anomalies':
      return knownAnomalies(spec, context);
    case 'any':
      return anyOf(spec, context, clause, statuses);
  }
}

const RANK: Readonly<Record<Outcome, number>> = { found: 3, partial: 2, none: 1, na: 0 };

/**
 * `any`: alternatives, e.g. the threat model as records or as an attested document. The first
 * alternative with the best outcome stands, with the evidence of every other alternative that found
 * all of its own (the records and the attestation of the document that reports them); when none has
 * evidence, the missing lines of all say what either would need.
 */
function anyOf(
  spec: Extract<EvaluatorSpec, { use: 'any' }>,
  context: GapContext,
  clause: string | undefined,
  statuses: ReadonlyMap<string, ClauseStatus>,
): EvaluatorResult {
  const results = spec.of.map((alternative) => evaluate(alternative, context, clause, statuses));
  const best = results.reduce((a, b) => (RANK[b.outcome] > RANK[a.outcome] ? b : a));
  if (best.outcome !== 'none') {
    const also = results.filter((r) => r !== best && r.outcome === 'found').flatMap((r) => r.evidence);
    return also.length === 0 ? best : { ...best, evidence: [...best.evidence, ...also] };
  }
  const human = results.some((r) => r.human === true);
  return {
    outcome: 'none',
    evidence: [],
    missing: results.flatMap((r) => r.missing),
    ...(human ? { human } : {}),
    ...(results.every((r) => r.empty === true) ? { empty: true } : {}),
  };
}

/** Combined outcome: `na` ignored; all found → found; all none (or nothing judged) → none; otherwise partial. */
export function combine(outcomes: readonly Outcome[]): Exclude<Outcome, 'na'> {
  const counted = outcomes.filter((o) => o !== 'na');
  if (counted.length === 0 || counted.every((o) => o === 'none')) return 'none';
  return counted.every((o) => o === 'found') ? 'found' : 'partial';
}

export const STATUS_OF: Readonly<Record<Exclude<Outcome, 'na'>, GapStatus>> = {
  found: 'evidence-found',
  partial: 'partial',
  none: 'no-evidence',
};
