/**
 * The signature manifestations (21 CFR 11.50) in the build outputs: for each signed record, every
 * signature with the signer's printed name, role, meaning, date and time (UTC), and whether it holds
 * for the record's current content. Built from the same verification as `dossier check`.
 */
import type { Analysis } from '../analyze.js';
import { plural } from '../diagnostics/format.js';
import { signatureReport, type VerifiedSignature } from '../signatures/verify.js';
import { serialize } from '../util/canonical-json.js';
import { markdownCell, markdownTableLines } from '../util/markdown.js';
import type { BuildStage } from './build.js';

/** "valid", "void: content changed since", …: the state of a signature in words. */
function stateOf(s: VerifiedSignature, identities: boolean): string {
  const outcome =
    s.outcome.state === 'void'
      ? 'void: the record changed since'
      : s.outcome.state === 'valid'
        ? 'valid'
        : s.outcome.state;
  const notes = signatureCaveats(s, identities);
  return notes.length > 0 ? `${outcome} (${notes.join(', ')})` : outcome;
}

/**
 * What keeps a signature from counting although it verifies: git does not hold it (the time checks
 * did not run), its signer's identity is not verified (`identities`: the signers file is certified
 * by the pinned trust root). Empty: it counts when valid (countingSignatures).
 */
export function signatureCaveats(s: VerifiedSignature, identities: boolean): string[] {
  return [
    ...(s.committed.state === 'committed' ? [] : ['not committed']),
    ...(identities ? [] : ['signer identity not verified']),
  ];
}

export const signaturesStage: BuildStage = (analysis: Analysis) => {
  const report = signatureReport(analysis.project);
  if (!report.inUse) return { artifacts: [], ok: true, result: 'no signed approvals' };
  const identities = report.trust.state === 'certified';
  const signatures = [...report.signatures].sort((a, b) =>
    a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : a.index - b.index,
  );
  const rows = signatures.map((s) => ({
    record: s.recordId,
    title: s.record?.title ?? '',
    name: s.signer?.name ?? `unknown signer ${s.entry.signer}`,
    role: s.signer?.role ?? '',
    meaning: s.entry.meaning,
    time: s.entry.time,
    state: stateOf(s, identities),
  }));
  const markdown = () =>
    [
      `# Signed approvals: ${analysis.project.config.device.name}`,
      '',
      'Each signature as recorded (21 CFR 11.50: printed name, date and time, meaning) and whether it',
      "holds for the record's current content (docs/signatures.md).",
      identities
        ? ''
        : `\n**Signer identities are not verified**: ${report.trust.state === 'absent' ? 'there is no signers file' : report.trust.why}.\n`,
      ...markdownTableLines(
        ['Record', 'Title', 'Signed by', 'Role', 'Meaning', 'Date and time (UTC)', 'State'],
        rows.map((r) =>
          [
            r.record,
            r.title,
            r.name,
            r.role,
            r.meaning,
            r.time.replace('T', ' ').replace('Z', ''),
            r.state,
          ].map(markdownCell),
        ),
      ),
      '',
    ].join('\n');
  const valid = signatures.filter((s) => s.outcome.state === 'valid').length;
  // A void approval is normal work between releases (a warning in check); a bad signature is not.
  const bad = signatures.filter((s) => !['valid', 'void'].includes(s.outcome.state)).length;
  return {
    artifacts: [
      { path: 'signatures/signatures.md', render: markdown },
      {
        path: 'signatures/signatures.json',
        render: () => serialize({ identitiesVerified: identities, signatures: rows }),
      },
    ],
    ok: identities && bad === 0,
    result: `${plural(signatures.length, 'signature')}, ${valid} valid${bad > 0 ? `, ${bad} invalid, revoked or backdated` : ''}${identities ? '' : ', signer identities not verified'}`,
  };
};
