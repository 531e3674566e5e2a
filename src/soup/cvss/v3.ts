/**
 * CVSS v3.0 and v3.1 base scores from vector strings, as OSV `severity[].score` and NVD
 * `metrics.cvssMetricV3x[].cvssData.vectorString` publish them (OSV gives only the vector, never the
 * number). The formula and constants are FIRST's specification: "CVSS v3.1 Specification Document",
 * section 7 (equations 7.1-7.4), Appendix A (Roundup), and "CVSS v3.0 Specification Document",
 * section 8.1. A vector that does not parse is reported as such, never given a score.
 */

/** The weights of section 7.4 (identical in 3.0 and 3.1). */
const WEIGHTS = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  // PR depends on Scope: [unchanged, changed].
  PR: { N: [0.85, 0.85], L: [0.62, 0.68], H: [0.27, 0.5] },
  UI: { N: 0.85, R: 0.62 },
  S: { U: 0, C: 1 },
  C: { H: 0.56, L: 0.22, N: 0 },
  I: { H: 0.56, L: 0.22, N: 0 },
  A: { H: 0.56, L: 0.22, N: 0 },
} as const;

type BaseMetric = keyof typeof WEIGHTS;
const BASE: readonly BaseMetric[] = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'];

/** Temporal and environmental metrics a vector may carry (allowed, not used for the base score). */
const OTHER: Record<string, readonly string[]> = {
  E: ['X', 'U', 'P', 'F', 'H'],
  RL: ['X', 'O', 'T', 'W', 'U'],
  RC: ['X', 'U', 'R', 'C'],
  CR: ['X', 'L', 'M', 'H'],
  IR: ['X', 'L', 'M', 'H'],
  AR: ['X', 'L', 'M', 'H'],
  MAV: ['X', 'N', 'A', 'L', 'P'],
  MAC: ['X', 'L', 'H'],
  MPR: ['X', 'N', 'L', 'H'],
  MUI: ['X', 'N', 'R'],
  MS: ['X', 'U', 'C'],
  MC: ['X', 'N', 'L', 'H'],
  MI: ['X', 'N', 'L', 'H'],
  MA: ['X', 'N', 'L', 'H'],
};

export type CvssSeverity = 'None' | 'Low' | 'Medium' | 'High' | 'Critical';

export interface CvssScore {
  readonly version: '3.0' | '3.1';
  readonly vector: string;
  readonly baseScore: number;
  readonly severity: CvssSeverity;
}

/**
 * Appendix A of 3.1: the smallest number with one decimal that is ≥ the input, computed on
 * integers so that floating-point error (e.g. 4.000000001) does not round up.
 */
function roundup31(value: number): number {
  const int = Math.round(value * 100000);
  return int % 10000 === 0 ? int / 100000 : (Math.floor(int / 10000) + 1) / 10;
}

/** 3.0 section 8.1: round up to one decimal (3.0 has no floating-point guard). */
function roundup30(value: number): number {
  return Math.ceil(value * 10) / 10;
}

/** Qualitative severity rating scale (3.1 section 5; the same in 3.0, and in 4.0 section 6). */
export function cvssSeverity(score: number): CvssSeverity {
  if (score === 0) return 'None';
  if (score < 4) return 'Low';
  if (score < 7) return 'Medium';
  if (score < 9) return 'High';
  return 'Critical';
}

/** The base score of a CVSS 3.0/3.1 vector, or why it cannot be scored. */
export function scoreCvss3(vector: string): CvssScore | { readonly error: string } {
  const parts = vector.trim().split('/');
  const prefix = /^CVSS:(3\.[01])$/.exec(parts[0] ?? '');
  if (!prefix) return { error: 'not a CVSS 3.0 or 3.1 vector (it must start with CVSS:3.0/ or CVSS:3.1/)' };
  const version = prefix[1] as '3.0' | '3.1';
  const values = new Map<string, string>();
  for (const part of parts.slice(1)) {
    const [metric, value, extra] = part.split(':');
    if (!metric || value === undefined || extra !== undefined)
      return { error: `"${part}" is not METRIC:VALUE` };
    if (values.has(metric)) return { error: `${metric} is given twice` };
    const allowed =
      metric in WEIGHTS ? Object.keys(WEIGHTS[metric as BaseMetric]) : (OTHER[metric] ?? undefined);
    if (!allowed) return { error: `unknown metric ${metric}` };
    if (!allowed.includes(value)) return { error: `${metric}:${value} is not a valid value` };
    values.set(metric, value);
  }
  const missing = BASE.filter((m) => !values.has(m));
  if (missing.length > 0) return { error: `base metrics missing: ${missing.join(', ')}` };
  const v = (m: BaseMetric) => values.get(m)!;
  const changed = v('S') === 'C';
  const iss =
    1 - (1 - WEIGHTS.C[v('C') as 'H']) * (1 - WEIGHTS.I[v('I') as 'H']) * (1 - WEIGHTS.A[v('A') as 'H']);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const exploitability =
    8.22 *
    WEIGHTS.AV[v('AV') as 'N'] *
    WEIGHTS.AC[v('AC') as 'L'] *
    WEIGHTS.PR[v('PR') as 'N'][changed ? 1 : 0] *
    WEIGHTS.UI[v('UI') as 'N'];
  const roundup = version === '3.1' ? roundup31 : roundup30;
  const baseScore =
    impact <= 0
      ? 0
      : changed
        ? roundup(Math.min(1.08 * (impact + exploitability), 10))
        : roundup(Math.min(impact + exploitability, 10));
  return { version, vector: vector.trim(), baseScore, severity: cvssSeverity(baseScore) };
}
