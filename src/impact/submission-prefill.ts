/**
 * What the records show for each question of the 510(k) software-change flow, comparing the
 * project at the most recently cleared version (the baseline) with now: the cumulative changes
 * since the clearance, as the guidance asks. Pure: both projects are given.
 *
 * The records never answer a question; they give evidence and, where they make one answer plain
 * (e.g. the intended use in dossier.yaml changed), say which answer they point to.
 */

import { DESIGN_KINDS, type KindName } from '../model/kinds.js';
import { type DossierRecord, isActive } from '../model/record.js';
import { changedRecordIds } from './carried-forward.js';
import type { Snapshot } from './snapshot.js';
import type { Prefill } from './submission-flow.js';

/** Kinds whose change is a cybersecurity change (SOUP updates and vulnerability evaluations). */
const CYBER_KINDS: ReadonlySet<KindName> = new Set(['soup', 'vulnerability-evaluation']);

export interface CumulativeChanges {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  /** Change requests since the clearance: not included in the cleared release or an earlier one. */
  readonly changeRequests: readonly string[];
}

const MAX_LISTED = 12;
const listed = (ids: readonly string[]) =>
  ids.length > MAX_LISTED
    ? `${ids.slice(0, MAX_LISTED).join(', ')} and ${ids.length - MAX_LISTED} more`
    : ids.join(', ');

/** Design records added, changed (content fingerprint) and removed between the two projects. */
export function cumulativeChanges(
  before: Snapshot,
  after: Snapshot,
  sinceCrs: readonly string[],
): CumulativeChanges {
  const design = (s: Snapshot) => s.project.records.filter((r) => DESIGN_KINDS.has(r.kind));
  const ids = changedRecordIds(design(before), design(after));
  const had = new Set(before.project.records.map((r) => r.id));
  const has = new Set(after.project.records.map((r) => r.id));
  const sorted = (f: (id: string) => boolean) => [...ids].filter(f).sort();
  return {
    added: sorted((id) => !had.has(id)),
    changed: sorted((id) => had.has(id) && has.has(id)),
    removed: sorted((id) => !has.has(id)),
    changeRequests: [...sinceCrs].sort(),
  };
}

/** Question id → what the records show. The ids are those of data/fda-510k-software-change.json. */
export function prefillQuestions(
  before: Snapshot,
  after: Snapshot,
  changes: CumulativeChanges,
): Map<string, Prefill> {
  const now = (id: string) => after.graph.get(id);
  const touched = [...changes.added, ...changes.changed].map(now).filter((r): r is DossierRecord => !!r);
  const ofKind = (kind: KindName) => touched.filter((r) => r.kind === kind);
  const newOrChanged = (r: DossierRecord) => (changes.added.includes(r.id) ? 'new' : 'changed');
  const severities = after.project.config.risk?.severity ?? [];
  const serious = (key: unknown) => severities.find((s) => s.key === key)?.serious === true;
  const prefill = new Map<string, Prefill>();

  // Q1: solely cybersecurity?
  const cyber = [...touched, ...changes.removed.map((id) => before.graph.get(id)!)].filter((r) =>
    CYBER_KINDS.has(r.kind),
  );
  const other = [...changes.added, ...changes.changed, ...changes.removed].filter(
    (id) => !cyber.some((c) => c.id === id),
  );
  prefill.set('Q1', {
    evidence: [
      cyber.length > 0
        ? `SOUP and vulnerability records added or changed: ${listed(cyber.map((r) => r.id))}`
        : 'no SOUP or vulnerability record changed',
      other.length > 0
        ? `other design records added, changed or removed: ${listed(other)}`
        : 'no other design record changed',
    ],
    ...(other.length > 0 ? { suggests: 'no' as const } : {}),
  });

  // Q2: solely a return to the cleared specification (a bug fix)?
  const newRequirements = changes.added.filter((id) => {
    const kind = now(id)?.kind;
    return kind === 'software-requirement' || kind === 'system-requirement' || kind === 'user-need';
  });
  const problems = [
    ...new Set(changes.changeRequests.flatMap((id) => after.graph.get(id)?.links.addresses ?? [])),
  ].sort();
  prefill.set('Q2', {
    evidence: [
      problems.length > 0
        ? `problem reports addressed by the change requests since clearance: ${listed(problems)}`
        : 'the change requests since clearance address no problem report',
      newRequirements.length > 0
        ? `new requirements (a return to the cleared specification adds none): ${listed(newRequirements)}`
        : 'no requirement was added',
    ],
    ...(newRequirements.length > 0 ? { suggests: 'no' as const } : {}),
  });

  // Q3.1: a new or modified risk of significant harm (judged before risk control)?
  const situations = ofKind('hazardous-situation');
  const seriousSituations = situations.filter((s) => serious(s.fields.severity));
  const causeChanges = ofKind('software-item').filter((i) => {
    const then = before.graph.get(i.id);
    return (
      JSON.stringify(i.fields.causes ?? []) !== JSON.stringify(then?.fields.causes ?? []) ||
      JSON.stringify(i.links.contributesTo ?? []) !== JSON.stringify(then?.links.contributesTo ?? [])
    );
  });
  prefill.set('Q3.1', {
    evidence: [
      situations.length > 0
        ? `hazardous situations ${situations
            .map(
              (s) =>
                `${s.id} (${newOrChanged(s)}; severity before control ${String(s.fields.severity ?? 'not estimated')}${serious(s.fields.severity) ? ', serious or worse' : ''})`,
            )
            .join(', ')}`
        : 'no hazardous situation was added or changed',
      causeChanges.length > 0
        ? `software items whose causes of or contributions to hazardous situations changed (7.1.2, 7.4.2): ${listed(causeChanges.map((i) => i.id))}`
        : 'no software item changed its causes of or contributions to hazardous situations',
    ],
    ...(seriousSituations.length > 0
      ? { suggests: 'yes' as const }
      : situations.length === 0 && causeChanges.length === 0
        ? { suggests: 'no' as const }
        : {}),
  });

  // Q3.2: a new or modified risk control for a situation of significant harm?
  const controlsTouched = new Map<DossierRecord, string>();
  for (const rc of ofKind('risk-control')) controlsTouched.set(rc, `${rc.id} ${newOrChanged(rc)}`);
  for (const test of ofKind('test'))
    for (const field of ['verifies', 'verifiesEffectiveness'])
      for (const link of after.graph.outgoing(test, field))
        if (link.to.kind === 'risk-control' && !controlsTouched.has(link.to))
          controlsTouched.set(link.to, `${link.to.id} (its verification ${test.id} ${newOrChanged(test)})`);
  for (const srs of ofKind('software-requirement'))
    for (const link of after.graph.outgoing(srs, 'implements'))
      if (!controlsTouched.has(link.to))
        controlsTouched.set(
          link.to,
          `${link.to.id} (its implementing requirement ${srs.id} ${newOrChanged(srs)})`,
        );
  const forSerious = [...controlsTouched].filter(([rc]) =>
    after.graph.targets(rc, 'mitigates').some((hs) => isActive(hs) && serious(hs.fields.severity)),
  );
  prefill.set('Q3.2', {
    evidence: [
      controlsTouched.size > 0
        ? `risk controls new or changed, or with changed implementation or verification: ${[...controlsTouched.values()].sort().join(', ')}`
        : 'no risk control, its implementing requirements or its verification changed',
      forSerious.length > 0
        ? `of these, controls of hazardous situations of serious or worse severity: ${forSerious
            .map(([rc]) => rc.id)
            .sort()
            .join(', ')}`
        : 'none of them controls a hazardous situation of serious or worse severity',
    ],
    suggests: forSerious.length > 0 ? 'yes' : 'no',
  });

  // Q4: clinical functionality or performance specifications tied to the intended use?
  const use = (s: Snapshot) => (s.project.config.device.intendedUse ?? '').replace(/\s+/g, ' ').trim();
  const useChanged = use(before) !== use(after);
  const classOf = (s: Snapshot) =>
    new Map(
      [...(s.safety.system ? [s.safety.system] : []), ...s.safety.items].map((c) => [c.id, c.computedClass]),
    );
  const classesBefore = classOf(before);
  const classChanges = [...classOf(after)]
    .filter(([id, cls]) => classesBefore.has(id) && classesBefore.get(id) !== cls)
    .map(([id, cls]) => `${id} ${classesBefore.get(id)} → ${cls}`);
  const levelBefore = before.safety.documentationLevel.level;
  const levelAfter = after.safety.documentationLevel.level;
  const requirements = touched
    .filter(
      (r) => r.kind === 'software-requirement' || r.kind === 'system-requirement' || r.kind === 'user-need',
    )
    .map((r) => r.id);
  prefill.set('Q4', {
    evidence: [
      useChanged
        ? 'the intended use in dossier.yaml (device.intendedUse) changed'
        : 'the intended use in dossier.yaml is unchanged',
      classChanges.length > 0
        ? `software safety classes changed: ${listed(classChanges)}`
        : 'no software safety class changed',
      levelBefore !== levelAfter
        ? `FDA documentation level changed: ${levelBefore} → ${levelAfter}`
        : `FDA documentation level unchanged (${levelAfter})`,
      requirements.length > 0
        ? `requirements and needs added or changed (judge whether they are clinical functionality or performance): ${listed(requirements)}`
        : 'no requirement or user need changed',
    ],
    ...(useChanged ? { suggests: 'yes' as const } : {}),
  });
  return prefill;
}

/** The same note on every question: the baseline could not be read, so the records show nothing. */
export function notChecked(questionIds: readonly string[], why: string): Map<string, Prefill> {
  return new Map(questionIds.map((id) => [id, { evidence: [], notChecked: why }]));
}
