/**
 * The release gate's signature check (`release/signature-missing`): each record of the release
 * that the approval policy (`changeControl.approvals`) covers at its class carries the signatures
 * the policy asks for, valid on its current content, by signers whose identities the pinned trust
 * root vouches for, and committed. One blocker per kind, listing the records and what each lacks.
 */
import type { Analysis } from '../analyze.js';
import { listIds, plural } from '../diagnostics/format.js';
import { type KindName, kindSpec } from '../model/kinds.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import type { SubjectClassOf } from '../safety/subject-class.js';
import {
  describeRequirement,
  missingSignatures,
  requiredSignatures,
  whyNotCounting,
} from '../signatures/policy.js';
import { signatureReport } from '../signatures/verify.js';
import { appliesTo } from './verdicts.js';

export const SIGNATURE_GATE_CLAUSES = ['21 CFR 11.50', '21 CFR 11.70', 'ISO 13485 4.2.4', 'ISO 13485 7.3.9'];

export interface SignatureGap {
  readonly kind: KindName;
  /** Why no signature counts at all (the signers file is not trusted), when that is so. */
  readonly untrusted?: string;
  readonly records: readonly { readonly record: DossierRecord; readonly lacks: string }[];
}

/** The records in the release's scope that lack signatures the policy requires, by kind. */
export function signatureGaps(
  analysis: Analysis,
  version: string,
  release: DossierRecord | undefined,
  classOf: SubjectClassOf,
): SignatureGap[] {
  const config = analysis.project.config;
  const policy = config.changeControl?.approvals ?? [];
  if (policy.length === 0) return [];
  const report = signatureReport(analysis.project);
  const kinds = [...new Set(policy.flatMap((rule) => rule.kinds))].sort();
  const untrusted = report.trust.state === 'certified' ? undefined : whyNotCounting(report, '');
  return kinds.flatMap((kind) => {
    const inScope =
      kind === 'release'
        ? release
          ? [release]
          : []
        : analysis.graph.ofKind(kind).filter((r) => isActive(r) && appliesTo(r, version));
    const records = [...inScope].sort(compareById).flatMap((record) => {
      const missing = missingSignatures(
        report,
        record,
        requiredSignatures(config, record, classOf(record.id)),
      );
      if (missing.length === 0) return [];
      const why = untrusted ? undefined : whyNotCounting(report, record.id);
      return [{ record, lacks: `${missing.map(describeRequirement).join('; ')}${why ? ` (${why})` : ''}` }];
    });
    return records.length > 0 ? [{ kind, records, ...(untrusted ? { untrusted } : {}) }] : [];
  });
}

/** "software requirement": a kind's label inside a sentence. */
const labelOf = (kind: KindName) => {
  const label = kindSpec(kind).label;
  return /^[A-Z][a-z]/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;
};

/** Records described one by one in a blocker; the rest are counted. */
const MAX_SHOWN = 10;

export function signatureGapMessage(gap: SignatureGap, version: string): string {
  const n = gap.records.length;
  const head = `${plural(n, labelOf(gap.kind))} of ${version} ${n === 1 ? 'lacks' : 'lack'} the signatures the approval policy (changeControl.approvals) requires`;
  const how = 'sign with `dossier approve ID --meaning … --as … --key …` and commit';
  if (gap.untrusted) {
    return `${head}: no signature counts, ${gap.untrusted} (${listIds(
      gap.records.map((r) => r.record.id),
      MAX_SHOWN,
    )})`;
  }
  const shown = gap.records.slice(0, MAX_SHOWN).map((r) => `${r.record.id} needs ${r.lacks}`);
  const more = n > MAX_SHOWN ? `; and ${n - MAX_SHOWN} more` : '';
  return `${head}: ${shown.join('; ')}${more}; ${how}`;
}
