/**
 * The approval policy (`changeControl.approvals` in dossier.yaml): which kinds need which
 * signatures, per safety class, and which of those a record lacks. Pure over the signature report.
 */
import type { ApprovalPolicyRule, DossierConfig } from '../model/config.js';
import type { DossierRecord } from '../model/record.js';
import {
  countingSignatures,
  identitiesUnverifiedBecause,
  type SignatureReport,
  signaturesOf,
  type VerifiedSignature,
} from './verify.js';

export type RequiredSignature = ApprovalPolicyRule['require'][number];

/** The signatures the policy asks of a record at its class (each rule that covers it, in order). */
export function requiredSignatures(
  config: Pick<DossierConfig, 'changeControl'>,
  record: DossierRecord,
  cls: string,
): RequiredSignature[] {
  return (config.changeControl?.approvals ?? [])
    .filter(
      (rule) =>
        rule.kinds.includes(record.kind) &&
        (rule.classes === undefined || (rule.classes as readonly string[]).includes(cls)),
    )
    .flatMap((rule) => rule.require);
}

/** "approved by a QA signer", "reviewed by an independent signer": a requirement in words. */
export function describeRequirement(required: RequiredSignature): string {
  const who = [
    required.independent ? 'an independent' : 'a',
    required.role ? `${required.role}` : '',
    'signer',
  ]
    .filter((w) => w !== '')
    .join(' ');
  return `${required.meaning} by ${who}`;
}

/**
 * The requirements a record does not meet: no counting signature (valid on its current content,
 * signer identity verified, committed) of the meaning, by a signer of the role, and, for
 * `independent`, by someone who did not sign it as `authored`.
 */
export function missingSignatures(
  report: SignatureReport,
  record: DossierRecord,
  required: readonly RequiredSignature[],
): RequiredSignature[] {
  const counting = countingSignatures(report, record.id);
  const authors = new Set(counting.filter((s) => s.entry.meaning === 'authored').map((s) => s.entry.signer));
  const meets = (r: RequiredSignature, s: VerifiedSignature) =>
    s.entry.meaning === r.meaning &&
    (r.role === undefined || s.signer?.role === r.role) &&
    (!r.independent || !authors.has(s.entry.signer));
  return required.filter((r) => !counting.some((s) => meets(r, s)));
}

/** Why none of a record's signatures counts, when it has some (void, invalid, not committed, …). */
export function whyNotCounting(report: SignatureReport, recordId: string): string | undefined {
  const unverified = identitiesUnverifiedBecause(report);
  if (unverified !== undefined) return `signer identities are not verified: ${unverified}`;
  const own = signaturesOf(report, recordId);
  if (own.length === 0) return undefined;
  const states = own.map((s) =>
    s.outcome.state !== 'valid'
      ? `${s.entry.meaning} by ${s.entry.signer} is ${s.outcome.state}`
      : s.committed.state !== 'committed'
        ? `${s.entry.meaning} by ${s.entry.signer} is not committed`
        : undefined,
  );
  const shown = states.filter((s): s is string => s !== undefined);
  return shown.length > 0 ? shown.join(', ') : undefined;
}
