import type { Finding } from '../diagnostics/diagnostic.js';
import { maxFileBytesOf } from '../model/config.js';
import { changedParts, reviewedVersion } from '../reviews/changes.js';
import { TRUST_ROOT_ENV } from '../signatures/trust-root.js';
import { signatureReport, type VerifiedSignature } from '../signatures/verify.js';
import type { Rule, RuleContext } from './rule.js';

/**
 * Signed approvals (docs/signatures.md): every signature in the repository is verified on every
 * check. The rules cite the 21 CFR Part 11 sections the control supports and ISO 13485 4.2.5
 * (control of records); none depends on the safety class: a forged or void signature is as wrong
 * at class A as at C, and the approval policy (changeControl.approvals) decides per class which
 * signatures a release needs.
 */

const LINKING = ['21 CFR 11.70', 'ISO 13485 4.2.5'];

/** How many void signatures get their changed parts looked up in git per run. */
export const MAX_VOID_LOOKUPS = 50;

const nameOf = (s: VerifiedSignature) => s.signer?.name ?? s.entry.signer;

function signatureFindings(
  context: RuleContext,
  code: string,
  state: VerifiedSignature['outcome']['state'],
): Finding[] {
  return signatureReport(context.project)
    .signatures.filter((s) => s.outcome.state === state)
    .map((s) => ({
      code,
      message: `${s.recordId}: the ${s.entry.meaning} signature by ${nameOf(s)} (${s.file}, entry ${s.index + 1}) is ${state}: ${'why' in s.outcome ? s.outcome.why : ''}`,
      recordId: s.recordId,
      at: s.at,
    }));
}

export const signatureInvalid: Rule = {
  code: 'signature/invalid',
  severity: 'error',
  applicability: 'fixed',
  clauses: [...LINKING, '21 CFR 11.10(a)'],
  summary:
    'A signature does not verify: unknown signer, forged or altered entry, made before the key was valid, or an unreadable signatures file.',
  hint: "a signature is made only by `dossier approve` with the signer's key; never edit a signatures file by hand. Find out who changed it (git log -p), remove the entry in a reviewed commit, and sign again",
  *check(context) {
    for (const f of signatureReport(context.project).fileFindings)
      if (f.code === 'signature/invalid') yield f;
    yield* signatureFindings(context, 'signature/invalid', 'invalid');
  },
};

export const signaturesUntrusted: Rule = {
  code: 'signature/signers-untrusted',
  severity: 'error',
  applicability: 'fixed',
  clauses: ['21 CFR 11.100', '21 CFR 11.10(d)', '21 CFR 11.10(g)'],
  summary:
    'The signers file is not valid, or is not certified by the pinned trust root (uncertified, altered since it was certified, or certified by another key).',
  hint: `the trust root holder reviews signers.yaml and runs \`dossier signer certify --root-key FILE\`; CI pins that root in ${TRUST_ROOT_ENV}`,
  *check(context) {
    const report = signatureReport(context.project);
    for (const f of report.fileFindings) if (f.code === 'signature/signers-untrusted') yield f;
    if (report.trust.state === 'untrusted' && report.trust.finding) yield report.trust.finding;
  },
};

export const signatureTrustRootMissing: Rule = {
  code: 'signature/trust-root-missing',
  severity: 'warning',
  applicability: 'fixed',
  clauses: ['21 CFR 11.100', '21 CFR 11.10(g)'],
  summary: `The project signs approvals but ${TRUST_ROOT_ENV} is not set: signatures are checked for integrity only, signer identities are not verified.`,
  hint: `set ${TRUST_ROOT_ENV}=sha256:… (the pin \`dossier signer certify\` prints) in protected CI configuration; the release gate counts no signature without it`,
  *check(context) {
    const report = signatureReport(context.project);
    if (!report.inUse || report.trust.state !== 'not-pinned') return;
    yield {
      code: 'signature/trust-root-missing',
      message: `signer identities are not verified: ${report.trust.why}`,
      at: { file: report.signersFile, line: 1, column: 1 },
    };
  },
};

export const signatureRevoked: Rule = {
  code: 'signature/revoked',
  severity: 'error',
  applicability: 'fixed',
  clauses: ['21 CFR 11.300(c)', ...LINKING],
  summary: "A signature was made or committed on or after the day its signer's key was revoked.",
  hint: 'a revoked key signs nothing: have a signer with a valid key sign again, and remove the entry in a reviewed commit',
  check: (context) => signatureFindings(context, 'signature/revoked', 'revoked'),
};

export const signatureBackdated: Rule = {
  code: 'signature/backdated',
  severity: 'error',
  applicability: 'fixed',
  clauses: ['21 CFR 11.10(e)', ...LINKING],
  summary:
    'A signature claims a time before the first commit that holds the content it signs, and was committed later.',
  hint: "a signature's time is when it was made; sign again with `dossier approve` (it takes the time from the clock) and remove the backdated entry in a reviewed commit",
  check: (context) => signatureFindings(context, 'signature/backdated', 'backdated'),
};

export const signatureVoid: Rule = {
  code: 'signature/void',
  severity: 'warning',
  applicability: 'fixed',
  clauses: LINKING,
  summary: 'A record changed after it was signed: the approval is void (it binds to the content signed).',
  hint: 'review the change and sign the current content again (`dossier approve ID --meaning … --as …`); the void signature stays in the file as history, and is no longer reported once the same signer has signed the current content in the same meaning',
  *check(context) {
    const { project } = context;
    const maxBytes = maxFileBytesOf(project.config);
    let lookups = 0;
    const signatures = signatureReport(project).signatures;
    // Re-signed since: the same signer gave the same meaning to the current content later. The
    // void entry is history then, not an approval that is missing.
    const current = new Set(
      signatures
        .filter((s) => s.outcome.state === 'valid')
        .map((s) => `${s.recordId}\0${s.entry.signer}\0${s.entry.meaning}`),
    );
    for (const s of signatures) {
      if (s.outcome.state !== 'void' || !s.record) continue;
      if (current.has(`${s.recordId}\0${s.entry.signer}\0${s.entry.meaning}`)) continue;
      let changed = 'changed parts not looked up (over the limit of lookups in one run)';
      if (lookups++ < MAX_VOID_LOOKUPS) {
        const before = reviewedVersion(project.root, project.config, s.record, s.entry.fingerprint, maxBytes);
        changed = before
          ? `changed: ${changedParts(before.record, s.record).join(', ') || 'nothing the fingerprint shows'}`
          : 'the signed version is not in git, so what changed cannot be shown';
      }
      yield {
        code: 'signature/void',
        message: `approval void: ${s.recordId} changed since ${nameOf(s)} ${s.entry.meaning} it on ${s.entry.time.slice(0, 10)} (${s.entry.time}); ${changed}`,
        recordId: s.recordId,
        at: s.at,
      };
    }
  },
};

export const signatureRecordUnknown: Rule = {
  code: 'signature/record-unknown',
  severity: 'warning',
  applicability: 'fixed',
  clauses: ['ISO 13485 4.2.5'],
  summary: 'A signatures file names a record that does not exist.',
  hint: 'when a record is removed, remove its signatures file in the same change (git keeps the history); or fix the file name',
  *check(context) {
    for (const f of signatureReport(context.project).fileFindings)
      if (f.code === 'signature/record-unknown') yield f;
  },
};

export const signatureNotCommitted: Rule = {
  code: 'signature/not-committed',
  severity: 'info',
  applicability: 'fixed',
  clauses: ['21 CFR 11.10(e)'],
  summary:
    'A signature is not committed (or the project is not in git): its time could not be checked against the history yet.',
  hint: 'commit the signatures file; the release gate counts only committed signatures',
  *check(context) {
    const seen = new Set<string>();
    for (const s of signatureReport(context.project).signatures) {
      if (s.committed.state === 'committed' || s.outcome.state === 'invalid' || seen.has(s.file)) continue;
      seen.add(s.file);
      yield {
        code: 'signature/not-committed',
        message: `${s.file}: not checked yet against the git history (${s.committed.why})`,
        recordId: s.recordId,
        at: s.at,
      };
    }
  },
};

export const SIGNATURE_RULES: readonly Rule[] = [
  signaturesUntrusted,
  signatureTrustRootMissing,
  signatureInvalid,
  signatureRevoked,
  signatureBackdated,
  signatureVoid,
  signatureRecordUnknown,
  signatureNotCommitted,
];
