/** Counts of a gap scan by process and overall, as every report shows them. */
import { PROCESS_GROUPS } from './catalog.js';
import type { ClauseResult, GapScanResult } from './scan.js';

export interface Counts {
  readonly applicable: number;
  readonly evidenceFound: number;
  readonly partial: number;
  readonly noEvidence: number;
  readonly notApplicable: number;
  /** Applicable clauses whose gap `--allow` accepts. */
  readonly allowed: number;
  /** Evidence found among the applicable clauses, in per cent with one decimal: for information only. */
  readonly evidenceFoundPercent: number;
}

export function countsOf(
  clauses: readonly (Pick<ClauseResult, 'applies' | 'status'> & { readonly allowed?: string })[],
): Counts {
  const applicable = clauses.filter((c) => c.applies);
  const found = applicable.filter((c) => c.status === 'evidence-found').length;
  return {
    applicable: applicable.length,
    evidenceFound: found,
    partial: applicable.filter((c) => c.status === 'partial').length,
    noEvidence: applicable.filter((c) => c.status === 'no-evidence').length,
    notApplicable: clauses.length - applicable.length,
    allowed: applicable.filter((c) => c.allowed !== undefined && c.status !== 'evidence-found').length,
    evidenceFoundPercent: applicable.length === 0 ? 0 : Math.round((found / applicable.length) * 1000) / 10,
  };
}

export interface ProcessCounts extends Counts {
  readonly process: string;
  readonly title: string;
}

/** Per process group, in the catalog's order (the order of the standard). */
export function processCounts(scan: GapScanResult): ProcessCounts[] {
  return PROCESS_GROUPS.map((g) => ({
    process: g.key,
    title: g.title,
    ...countsOf(scan.clauses.filter((c) => c.process === g.key)),
  }));
}

export const STATUS_LABEL = {
  'evidence-found': 'evidence found',
  partial: 'partial',
  'no-evidence': 'no evidence',
  'not-applicable': 'not applicable',
} as const;

export const STATUS_SYMBOL = {
  'evidence-found': '✔',
  partial: '◐',
  'no-evidence': '✖',
  'not-applicable': '–',
} as const;

export const PERCENT_NOTE =
  'The percentage is for information only: an auditor counts every applicable clause without evidence, whatever the share.';
