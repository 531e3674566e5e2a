/**
 * Evaluators over the records people write and judge: plans (through the one plan adapter),
 * reviews of design outputs (bound to the reviewed content by fingerprints), and attestations of
 * what lives outside the repository. Their adequacy is for people to judge: every result is marked
 * `human`.
 */
import { isApproved } from '../model/approval.js';
import { type DossierRecord, isActive } from '../model/record.js';
import { REVIEW_TYPES } from '../model/vocabulary.js';
import { fingerprintOf, reviewsOf } from '../reviews/review.js';
import type { GapContext } from './context.js';
import { evidenceOf, judged, none, nothingRecorded } from './outcome.js';
import {
  type PlanSectionEvidence,
  planSectionsForClause,
  planTypeCoveredBy,
  planTypeTitle,
} from './plan-evidence.js';
import { recordsOf } from './record-set.js';
import type { EvaluatorResult, EvaluatorSpec, Evidence } from './types.js';

type Spec<U extends EvaluatorSpec['use']> = Extract<EvaluatorSpec, { use: U }>;

const human = (result: EvaluatorResult): EvaluatorResult => ({ ...result, human: true });

const approvalLine = (plan: DossierRecord) =>
  `${plan.id} (${plan.title}) is ${plan.status}: review and tailor it, then approve it`;

/**
 * `plan`: the sections whose clause falls under `clause`. The best plan holding them counts: all
 * found in an approved plan → found; all found in a draft → partial ("found but draft"); some → partial.
 */
export function plan(spec: Spec<'plan'>, context: GapContext): EvaluatorResult {
  const sections = planSectionsForClause(context.analysis, spec.clause).filter(
    (e) =>
      e.section.applies &&
      (spec.keys === undefined || spec.keys.includes(e.section.key)) &&
      (spec.planTypes === undefined || spec.planTypes.includes(e.planType)),
  );
  if (sections.length === 0) {
    const types = spec.planTypes?.map(planTypeTitle).join(' or ');
    return human(
      none([types ? `no ${types.toLowerCase()} recorded` : `no plan has a section for ${spec.clause}`]),
    );
  }
  const groups = new Map<string, PlanSectionEvidence[]>();
  for (const e of sections) {
    const key = `${e.planType}|${e.plan?.id ?? ''}`;
    const list = groups.get(key);
    if (list) list.push(e);
    else groups.set(key, [e]);
  }
  const scored = [...groups.values()].map((group) => {
    const found = group.filter((e) => e.section.state === 'found').length;
    return { group, found, complete: found === group.length, approved: group[0]!.approved };
  });
  scored.sort(
    (a, b) => b.found / b.group.length - a.found / a.group.length || Number(b.approved) - Number(a.approved),
  );
  const best = scored[0]!;
  const holder = best.group[0]!.plan;
  const missing: string[] = [];
  if (!holder) {
    const planType = best.group[0]!.planType;
    const by = planTypeCoveredBy(planType);
    missing.push(
      `no ${planTypeTitle(planType).toLowerCase()} (kind: plan, planType: ${planType})${by ? `, and no ${planTypeTitle(by).toLowerCase()} covers it (\`covers: [${planType}]\`)` : ''}`,
    );
  }
  for (const e of best.group) {
    if (e.section.state === 'found' || !holder) continue;
    missing.push(
      `${holder.id} has ${e.section.state === 'empty' ? 'an empty' : 'no'} section "${e.section.title}" (${e.section.clause}): ${e.section.mustSay}`,
    );
  }
  if (holder && best.found > 0 && !best.approved) missing.push(approvalLine(holder));
  const evidence: Evidence[] =
    holder && best.found > 0
      ? [
          evidenceOf(
            holder,
            `${best.group
              .filter((e) => e.section.state === 'found')
              .map((e) => e.section.title)
              .join(', ')}${best.approved ? '' : ` (${holder.status})`}`,
          ),
        ]
      : [];
  return human(judged(evidence, missing));
}

/** `plan-exists`: a plan of one of the types; approved → found, draft → partial. */
export function planExists(spec: Spec<'plan-exists'>, context: GapContext): EvaluatorResult {
  const plans = context.analysis.graph
    .ofKind('plan')
    .filter((p) => isActive(p) && spec.planTypes.includes(p.fields.planType as never));
  if (plans.length === 0)
    return human(
      none([`no ${spec.planTypes.map((t) => planTypeTitle(t).toLowerCase()).join(' or ')} recorded`]),
    );
  const approved = plans.filter(isApproved);
  if (approved.length > 0)
    return human(
      judged(
        approved.map((p) => evidenceOf(p)),
        [],
      ),
    );
  return human(
    judged(
      plans.map((p) => evidenceOf(p, p.status)),
      plans.map(approvalLine),
    ),
  );
}

const normalise = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * `attestation`: an attestation whose `clauses` name the obligation (default: the clause). Approved
 * and not expired → found; only draft or expired ones → partial.
 */
export function attestation(
  spec: Spec<'attestation'>,
  context: GapContext,
  clause?: string,
): EvaluatorResult {
  const obligation = spec.obligation ?? clause ?? '';
  const wanted = normalise(obligation);
  const today = context.analysis.today;
  const attestations = context.analysis.graph
    .ofKind('attestation')
    .filter(
      (a) =>
        isActive(a) &&
        ((a.fields.clauses as string[] | undefined) ?? []).some((c) => normalise(c) === wanted),
    );
  if (attestations.length === 0)
    return human(none([`no attestation names "${obligation}" in its \`clauses\``]));
  const problems = (a: DossierRecord): string[] => {
    const until = a.fields.validUntil;
    return [
      ...(typeof until === 'string' && until < today ? [`${a.id} expired on ${until}`] : []),
      ...(isApproved(a) ? [] : [`${a.id} is ${a.status}, not approved`]),
    ];
  };
  const valid = attestations.filter((a) => problems(a).length === 0);
  const describe = (a: DossierRecord) =>
    evidenceOf(
      a,
      `${String(a.fields.reference ?? a.title)}, attested by ${String(a.fields.attestedBy)} on ${String(a.fields.date)}`,
    );
  if (valid.length > 0) return human(judged(valid.map(describe), []));
  return human(judged(attestations.map(describe), attestations.flatMap(problems)));
}

const PASSING = new Set(['passed', 'passed-with-actions']);
const reviewLabel = (type: string) => REVIEW_TYPES.find((r) => r.key === type)?.label ?? `${type} review`;

/**
 * `review`: every record of the set is covered by a passed review of the type whose fingerprint of
 * it is current (src/model/fingerprint.ts): a record changed since its review is not covered.
 */
export function review(spec: Spec<'review'>, context: GapContext, clause?: string): EvaluatorResult {
  const set = recordsOf(context, spec, clause, spec.allClasses);
  const label = reviewLabel(spec.reviewType);
  if (set.length === 0)
    return human(nothingRecorded(`no ${spec.what} recorded, so there is nothing for a ${label}`));
  const { graph } = context.analysis;
  const evidence: Evidence[] = [];
  const missing: string[] = [];
  for (const record of set) {
    const reviews = reviewsOf(graph, record, spec.reviewType);
    if (reviews.length === 0) {
      missing.push(`${record.id} is in no ${label} (kind: review, reviewType: ${spec.reviewType})`);
      continue;
    }
    const passed = reviews.filter((r) => PASSING.has(String(r.fields.outcome)));
    if (passed.length === 0) {
      missing.push(`${record.id}: its ${label} ${reviews.map((r) => r.id).join(', ')} has not passed`);
      continue;
    }
    const current = fingerprintOf(record);
    const covering = passed.filter(
      (r) => (r.fields.fingerprints as Record<string, string> | undefined)?.[record.id] === current,
    );
    if (covering.length === 0) {
      missing.push(
        `${record.id} changed since its ${label} ${passed.map((r) => r.id).join(', ')} (no fingerprint, or a different one: run \`dossier review fingerprint\` after reviewing it again)`,
      );
      continue;
    }
    evidence.push(evidenceOf(record, `reviewed in ${covering.map((r) => r.id).join(', ')}`));
  }
  return human(judged(evidence, missing));
}

/** `review-held`: a passed review of the type, with an independent participant when asked (ISO 13485 7.3.5). */
export function reviewHeld(spec: Spec<'review-held'>, context: GapContext): EvaluatorResult {
  const label = reviewLabel(spec.reviewType);
  const reviews = context.analysis.graph
    .ofKind('review')
    .filter((r) => isActive(r) && r.fields.reviewType === spec.reviewType);
  if (reviews.length === 0)
    return human(none([`no ${label} recorded (kind: review, reviewType: ${spec.reviewType})`]));
  const independent = (r: DossierRecord) =>
    ((r.fields.participants as { independent?: boolean }[] | undefined) ?? []).some(
      (p) => p.independent === true,
    );
  const good = reviews.filter(
    (r) => PASSING.has(String(r.fields.outcome)) && (!spec.independent || independent(r)),
  );
  if (good.length > 0)
    return human(
      judged(
        good.map((r) => evidenceOf(r, String(r.fields.date ?? ''))),
        [],
      ),
    );
  return human(
    judged(
      reviews.map((r) => evidenceOf(r)),
      reviews.map((r) =>
        !PASSING.has(String(r.fields.outcome))
          ? `${r.id} has not passed (outcome: ${String(r.fields.outcome ?? 'none')})`
          : `${r.id} names no independent participant (\`independent: true\`)`,
      ),
    ),
  );
}
