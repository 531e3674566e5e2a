/** Diagnostics are values: every problem found in a run is collected, none stops the run. */

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A path into a YAML document: mapping keys and sequence indexes. */
export type ValuePath = readonly (string | number)[];

/**
 * Where a finding points before line numbers are known. Rules point at values by path; the
 * position is resolved from the source text only for the findings that are reported.
 */
export interface Anchor {
  readonly file: string;
  readonly path?: ValuePath;
  /** Point at the key of the last path segment rather than its value (for unknown fields). */
  readonly atKey?: boolean;
  /** Already known position (for example a YAML syntax error). */
  readonly line?: number;
  readonly column?: number;
}

export interface RelatedLocation {
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

/** What a rule or loader emits. */
export interface Finding {
  readonly code: string;
  readonly message: string;
  readonly recordId?: string;
  readonly at?: Anchor;
  readonly related?: readonly { message: string; at: Anchor }[];
  /** Overrides the rule's hint when the finding knows better (e.g. "did you mean"). */
  readonly hint?: string;
  /**
   * Overrides the rule's default severity (rarely; config overrides still apply). For a `table`
   * rule only for findings that are advisory by nature, e.g. an FDA guidance field.
   */
  readonly severity?: Severity;
  /**
   * The id the finding is about when that record is missing (a dangling link's target), so a finding
   * caused by a record file that did not load can be shown as its consequence.
   */
  readonly targetId?: string;
  /**
   * For `table` rules: the clauses this finding enforces when narrower than the rule's (e.g. the
   * one field a SOUP record lacks); they decide where it applies and are shown instead.
   */
  readonly clauses?: readonly string[];
  /** For `table` rules: the record whose class decides applicability, when not `recordId`. */
  readonly subjectId?: string;
}

/** A severity lowered by `rules:` in dossier.yaml, as every report shows it. */
export interface Lowering {
  /** The severity the finding had before the configuration lowered it. */
  readonly from: Severity;
  /** The reason written in dossier.yaml (required for `table` rules). */
  readonly reason?: string;
}

/** What users see: the contract of `--format json` (see docs/json.md). */
export interface Diagnostic {
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  readonly recordId?: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly clauses: readonly string[];
  /** For rules whose severity follows the class: the software safety class the finding was judged at. */
  readonly safetyClass?: string;
  /** Present when dossier.yaml lowered the finding's severity. */
  readonly lowered?: Lowering;
  readonly hint?: string;
  readonly related?: readonly RelatedLocation[];
  /**
   * The record file that did not load and holds the id this finding misses: the finding follows from
   * that load error (shown with it) but still counts with its own severity.
   */
  readonly consequenceOf?: string;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    cmp(a.file ?? '\uffff', b.file ?? '\uffff') ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    cmp(a.code, b.code) ||
    cmp(a.message, b.message)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Errors first: the order severities are compared in (a lower rank is more severe). */
export function severityRank(severity: Severity | 'off'): number {
  return severity === 'off' ? SEVERITIES.length : SEVERITIES.indexOf(severity);
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  return counts;
}
