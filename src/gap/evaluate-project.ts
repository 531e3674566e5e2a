/**
 * Evaluators over the project as a whole: its configuration (risk policy, intended use, legacy
 * software), the FDA documentation level, and the legacy-software route of IEC 62304 4.4.
 */
import { isApproved } from '../model/approval.js';
import { isActive } from '../model/record.js';
import type { GapContext } from './context.js';
import { evidenceOf, hasValue, judged, none } from './outcome.js';
import type { EvaluatorResult, EvaluatorSpec } from './types.js';

type Spec<U extends EvaluatorSpec['use']> = Extract<EvaluatorSpec, { use: U }>;

const CONFIG = 'dossier.yaml';

/** `risk-policy` (4.2, ISO 14971 4.2): dossier.yaml holds the risk acceptability policy. */
export function riskPolicy(_spec: Spec<'risk-policy'>, context: GapContext): EvaluatorResult {
  return context.analysis.project.config.risk
    ? judged([{ file: CONFIG, note: 'risk: severity and probability scales, acceptability matrix' }], [])
    : none(['dossier.yaml has no `risk:` acceptability policy (severity, probability, acceptability)']);
}

/** `config`: a value of dossier.yaml is given, e.g. `device.intendedUse`. */
export function configValue(spec: Spec<'config'>, context: GapContext): EvaluatorResult {
  let value: unknown = context.analysis.project.config;
  for (const key of spec.path.split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
  return hasValue(value) ? judged([{ file: CONFIG, note: spec.path }], []) : none([`no ${spec.what}`]);
}

/**
 * `documentation-level` (FDA element A): the level can be stated with a rationale, which needs the
 * risk of every hazardous situation the software contributes to estimated.
 */
export function documentationLevel(_spec: Spec<'documentation-level'>, context: GapContext): EvaluatorResult {
  const { safety } = context.analysis;
  const level = safety.documentationLevel;
  const contributing = safety.risks.filter((r) => r.contributors.length > 0);
  if (contributing.length === 0)
    return none([
      `no hazardous situation that the software contributes to is recorded, so the ${level.level} level rests on no risk analysis`,
    ]);
  const unknown = contributing.filter((r) => r.softwareFailureUncontrolled === undefined);
  return judged(
    [{ note: `${level.level}: ${level.rationale}` }],
    unknown.map(
      (r) =>
        `${r.situation.id} has no estimate with the software failure taken as certain, so the level is Enhanced until it has one`,
    ),
  );
}

const FIELD_ORIGINS = new Set(['field', 'complaint']);

/** `legacy` (4.4): the parts of the legacy-software route, judged only when dossier.yaml declares `legacy:`. */
export function legacy(spec: Spec<'legacy'>, context: GapContext): EvaluatorResult {
  const { project, graph } = context.analysis;
  const declared = project.config.legacy;
  if (!declared) return none(['dossier.yaml declares no legacy software (`legacy:`)']);
  switch (spec.part) {
    case 'feedback': {
      const problems = graph
        .ofKind('problem-report')
        .filter((p) => isActive(p) && FIELD_ORIGINS.has(String(p.fields.origin)));
      const attested = graph
        .ofKind('attestation')
        .filter((a) => isActive(a) && ((a.fields.clauses as string[] | undefined) ?? []).includes('4.4'));
      return judged(
        [...problems.map((p) => evidenceOf(p)), ...attested.map((a) => evidenceOf(a))],
        problems.length + attested.length > 0
          ? []
          : [
              '4.4.2 a: no post-market feedback recorded: record field problems and complaints as problem reports (origin: field or complaint), or attest the feedback review (attestation, clauses: ["4.4"])',
            ],
      );
    }
    case 'risk': {
      const situations = graph.ofKind('hazardous-situation').filter(isActive);
      const controls = graph.ofKind('risk-control').filter(isActive);
      const missing = [
        ...(situations.length === 0
          ? ['4.4.2 b: no hazardous situations recorded for the continued use']
          : []),
        ...(controls.length === 0
          ? ['4.4.2 b: no risk control measures recorded for the continued use']
          : []),
      ];
      const found = situations.length > 0 || controls.length > 0;
      const note = `${situations.length} hazardous situations, ${controls.length} risk control measures`;
      return judged(found ? [{ note }] : [], missing);
    }
    case 'gap-analysis': {
      const systemRuns = graph
        .ofKind('test-run')
        .filter((r) => isActive(r) && String(r.fields.version) === declared.version);
      return systemRuns.length > 0
        ? judged(
            systemRuns.map((r) => evidenceOf(r, `test run of ${declared.version}`)),
            [],
          )
        : none([
            `4.4.3: no test run of the legacy version ${declared.version}: system test records are the least the gap analysis keeps`,
          ]);
    }
    case 'gap-closure': {
      const plans = graph
        .ofKind('plan')
        .filter((p) => isActive(p) && ['development', 'maintenance'].includes(String(p.fields.planType)));
      const approved = plans.filter(isApproved);
      if (approved.length > 0)
        return judged(
          approved.map((p) => evidenceOf(p)),
          [],
        );
      return judged(
        plans.map((p) => evidenceOf(p, p.status)),
        plans.length > 0
          ? plans.map((p) => `${p.id} is ${p.status}, not approved`)
          : ['4.4.4: no development or maintenance plan says how the gaps are closed'],
      );
    }
    case 'rationale': {
      const release = graph
        .ofKind('release')
        .find((r) => isActive(r) && String(r.fields.version) === declared.version);
      const missing = [
        ...(hasValue(declared.rationale)
          ? []
          : ['4.4.5: dossier.yaml gives no `legacy.rationale` for continued use']),
        ...(release ? [] : [`4.4.5: no release record documents the legacy version ${declared.version}`]),
      ];
      return judged(
        [
          { file: CONFIG, note: `legacy version ${declared.version}` },
          ...(release ? [evidenceOf(release)] : []),
        ],
        missing,
      );
    }
  }
}
