/**
 * The vocabulary of the gap scan: what an evaluator finds, and the status of a clause. Code finds
 * evidence; people judge its adequacy. So a status says whether evidence was found, never that a
 * clause is "met" or "compliant".
 */
import type { KindName } from '../model/kinds.js';
import type { PlanType, ReviewType } from '../model/vocabulary.js';

export const GAP_STATUSES = ['evidence-found', 'partial', 'no-evidence', 'not-applicable'] as const;
export type GapStatus = (typeof GAP_STATUSES)[number];

/** A record or file that is evidence for a clause; `note` says what about it. */
export interface Evidence {
  readonly id?: string;
  /** Project-relative path, forward slashes. */
  readonly file?: string;
  readonly note?: string;
}

/**
 * What one evaluator found. `na`: nothing to judge (an optional evaluator with no records of its
 * kind, or a `when: released` one before the first release); it counts neither way.
 */
export type Outcome = 'found' | 'partial' | 'none' | 'na';

export interface EvaluatorResult {
  readonly outcome: Outcome;
  readonly evidence: readonly Evidence[];
  /** What is missing, one line each, naming the record concerned. */
  readonly missing: readonly string[];
  /** Information that does not change the outcome (why an evaluator had nothing to judge). */
  readonly notes?: readonly string[];
  /** The evaluator found evidence whose adequacy only people can judge (a plan, a review, an attestation). */
  readonly human?: boolean;
  /** Nothing of what it judges exists (no records of its kind): an `optional` evaluator then counts neither way. */
  readonly empty?: boolean;
}

/** Field → allowed values; a record matches when each named field has one of them. */
export type Where = Readonly<Record<string, readonly (string | boolean)[]>>;

/** The records an evaluator is about: a kind (or `*` for every record), filtered. */
export interface RecordSet {
  readonly kind: KindName | '*';
  readonly where?: Where;
  /** Only records that have a value in each of these fields (e.g. SOUP with `versionChanges`). */
  readonly has?: readonly string[];
  /** Software items: only the leaves of the architecture (no active part below them). */
  readonly leaves?: boolean;
  /** How messages name them, e.g. "software units (itemType: unit)". */
  readonly what: string;
}

interface Common {
  /** Nothing to judge (no records of its kind) does not count either way. */
  readonly optional?: boolean;
  /** Judged only once a version is released (a release record dated on or before today). */
  readonly when?: 'released';
  /** FDA elements: the documentation levels at which the evaluator applies (default both). */
  readonly levels?: readonly ('Basic' | 'Enhanced')[];
  /** Judge every record, whatever its class (default: only records at whose class the clause applies). */
  readonly allClasses?: boolean;
}

/**
 * The evaluator specifications of the data files (data/iec62304-gap-catalog.json and the three
 * catalogs beyond IEC 62304). `rules` name rule codes whose findings about the records count
 * against them; a code may carry a clause, `soup/missing-content@7.1.3`, to count only findings of
 * that clause. `alsoRules` count wherever they are found (findings about other records, or about
 * the project).
 */
export type EvaluatorSpec =
  | (Common & { readonly use: 'attestation'; readonly obligation?: string })
  | (Common & {
      readonly use: 'plan';
      readonly clause: string;
      readonly keys?: readonly string[];
      readonly planTypes?: readonly PlanType[];
    })
  | (Common & { readonly use: 'plan-exists'; readonly planTypes: readonly PlanType[] })
  | (Common &
      RecordSet & {
        readonly use: 'records';
        readonly rules?: readonly string[];
        readonly alsoRules?: readonly string[];
        readonly fields?: readonly string[];
        readonly approved?: boolean;
      })
  | (Common & RecordSet & { readonly use: 'review'; readonly reviewType: ReviewType })
  | (Common & {
      readonly use: 'review-held';
      readonly reviewType: ReviewType;
      readonly independent?: boolean;
    })
  | (Common & {
      readonly use: 'gate';
      readonly codes: readonly string[];
      readonly needsRelease?: boolean;
      readonly of?: RecordSet;
    })
  | (Common & RecordSet & { readonly use: 'tested-at-level'; readonly level?: string })
  | (Common & {
      readonly use: 'runs';
      readonly level?: string;
      readonly rules?: readonly string[];
      /** Release gate blockers about the runs that count against them. */
      readonly gateCodes?: readonly string[];
    })
  | (Common & { readonly use: 'risk-policy' })
  | (Common & { readonly use: 'release'; readonly fields: readonly string[] })
  | (Common & { readonly use: 'software-risk-trace'; readonly part: 'causes' | 'full' })
  | (Common & { readonly use: 'clauses'; readonly clauses: readonly string[] })
  | (Common & {
      readonly use: 'legacy';
      readonly part: 'feedback' | 'risk' | 'gap-analysis' | 'gap-closure' | 'rationale';
    })
  | (Common & { readonly use: 'documentation-level' })
  | (Common & { readonly use: 'config'; readonly path: string; readonly what: string })
  | (Common & { readonly use: 'problems-changed' })
  | (Common & { readonly use: 'known-anomalies'; readonly fields: readonly string[] })
  /**
   * Alternatives: evidence in any one of them is evidence (records in the dossier, or an attestation
   * of the document kept outside it). The best outcome counts; with none, each says what it lacks.
   */
  | (Common & { readonly use: 'any'; readonly of: readonly EvaluatorSpec[] });

export type EvaluatorName = EvaluatorSpec['use'];
