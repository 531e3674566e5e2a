/** Small helpers every evaluator uses to say what it found. */
import type { DossierRecord } from '../model/record.js';
import type { EvaluatorResult, Evidence, Outcome } from './types.js';

export const none = (missing: readonly string[], notes?: readonly string[]): EvaluatorResult => ({
  outcome: 'none',
  evidence: [],
  missing,
  ...(notes ? { notes } : {}),
});

/** Nothing of what the evaluator judges exists: none, and `empty` (an optional evaluator then does not count). */
export const nothingRecorded = (missing: string): EvaluatorResult => ({ ...none([missing]), empty: true });

/** Nothing to judge: counts neither way. */
export const nothingToJudge = (note: string): EvaluatorResult => ({
  outcome: 'na',
  evidence: [],
  missing: [],
  notes: [note],
});

/** found when nothing is missing; none when nothing is evidence; partial otherwise. */
export function judged(
  evidence: readonly Evidence[],
  missing: readonly string[],
  extra: { human?: boolean; notes?: readonly string[]; evidenced?: number } = {},
): EvaluatorResult {
  const evidenced = extra.evidenced ?? evidence.length;
  const outcome: Outcome = missing.length === 0 ? 'found' : evidenced === 0 ? 'none' : 'partial';
  return {
    outcome,
    evidence,
    missing,
    ...(extra.notes && extra.notes.length > 0 ? { notes: extra.notes } : {}),
    ...(extra.human ? { human: true } : {}),
  };
}

// A record's plain evidence entry is made once: many clauses list the same tens of thousands of records.
const PLAIN = new WeakMap<DossierRecord, Evidence>();

export function evidenceOf(record: DossierRecord, note?: string): Evidence {
  if (note !== undefined) return { id: record.id, file: record.origin.source.path, note };
  let plain = PLAIN.get(record);
  if (!plain) {
    plain = { id: record.id, file: record.origin.source.path };
    PLAIN.set(record, plain);
  }
  return plain;
}

/** The clause number of a reference: "8.1.2" of "8.1.2 b", undefined for "ISO 14971 4.4". */
export function clauseNumber(reference: string): string | undefined {
  return /^(\d+(?:\.\d+)*)/.exec(reference.trim().replace(/^IEC 62304\s+/, ''))?.[1];
}

/** True when a field has a value: a non-blank string, a non-empty list, anything else present. */
export function hasValue(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}
