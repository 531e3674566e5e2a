/**
 * The Computer Software Assurance rules (docs/csa.md): they run only for `profile:
 * production-software` projects, and read the one assessment of src/csa/assurance.ts. Each fails
 * closed: a feature without a risk determination, without the assurance its risk needs, or a version
 * without a decision is an error, never a pass.
 */
import { assessCsa, decisionFor, intendedUseOf } from '../csa/assurance.js';
import { CONFIG_FILE_NAME } from '../model/config.js';
import { fieldAnchor, isActive } from '../model/record.js';
import type { Rule, RuleContext } from './rule.js';

const PROFILES = ['production-software'] as const;

/** The version validated; dossier.yaml must give it for this profile (src/model/config.ts). */
const versionOf = ({ project }: RuleContext) => project.config.software.version ?? '';

export const csaIntendedUseMissing: Rule = {
  code: 'csa/intended-use-missing',
  severity: 'error',
  applicability: 'fixed',
  profiles: PROFILES,
  clauses: ['FDA CSA V.A(1)', 'ISO 13485 4.1.6', 'ISO 13485 7.5.6'],
  reads: { kinds: [] },
  summary:
    'Production software: `software.system` in dossier.yaml does not name an intended-use record, so the intended use the validation is for is not stated.',
  hint: 'write an intended-use record (what the software does, in which process, for whom, what rests on it) and name it in `software.system`',
  *check({ project, graph }) {
    const id = project.config.software.system;
    if (intendedUseOf(graph, id)) return;
    const found = graph.get(id);
    yield {
      code: 'csa/intended-use-missing',
      message: `software.system is ${id}, but ${found ? (isActive(found) ? `that is a ${found.kind}, not an intended-use record` : 'that record is obsolete') : 'no record has that id'}`,
      ...(found ? {} : { targetId: id }),
      at: { file: CONFIG_FILE_NAME, path: ['software', 'system'] },
    };
  },
};

export const csaFeaturesMissing: Rule = {
  code: 'csa/features-missing',
  severity: 'error',
  applicability: 'fixed',
  profiles: PROFILES,
  clauses: ['FDA CSA V.A(2)', 'ISO 13485 4.1.6'],
  reads: { kinds: [] },
  summary: 'Production software: no feature record, so no process risk was decided and nothing was assured.',
  hint: 'list the features, functions or operations the intended use relies on as feature records, each with its processRisk and riskRationale',
  *check({ graph }) {
    if (graph.ofKind('feature').some(isActive)) return;
    yield {
      code: 'csa/features-missing',
      message: 'the project has no active feature record: there is nothing whose risk was decided or assured',
      at: { file: CONFIG_FILE_NAME, path: ['profile'] },
    };
  },
};

export const csaRiskUndetermined: Rule = {
  code: 'csa/risk-undetermined',
  severity: 'error',
  applicability: 'fixed',
  profiles: PROFILES,
  clauses: ['FDA CSA V.A(2)', 'ISO 13485 4.1.6'],
  reads: { kinds: ['feature'] },
  summary:
    'A feature has no process risk (high or not-high) or no rationale: without them the assurance it needs cannot be decided.',
  hint: 'set `processRisk: high` when a failure may cause a quality problem that foreseeably compromises safety, else `not-high`, and say why in `riskRationale`',
  *check({ graph }) {
    for (const feature of graph.ofKind('feature')) {
      if (!isActive(feature)) continue;
      const lacks = [
        feature.fields.processRisk === undefined ? 'processRisk' : undefined,
        feature.fields.riskRationale === undefined ? 'riskRationale' : undefined,
      ].filter((x): x is string => x !== undefined);
      if (lacks.length === 0) continue;
      yield {
        code: 'csa/risk-undetermined',
        message: `${feature.id} (${feature.title}) has no ${lacks.join(' and no ')}: its process risk is not determined`,
        recordId: feature.id,
        at: fieldAnchor(feature),
      };
    }
  },
};

export const csaAssuranceMissing: Rule = {
  code: 'csa/assurance-missing',
  severity: 'error',
  applicability: 'fixed',
  profiles: PROFILES,
  clauses: ['FDA CSA V.A(4)', 'FDA CSA V.A(6)', 'ISO 13485 4.1.6', 'ISO 13485 7.5.6', '21 CFR 820.70(i)'],
  // assessCsa reads the features, their assurance activities and the test runs (not the tests' content).
  reads: { kinds: ['assurance-activity', 'feature', 'test-run'] },
  summary:
    'A feature lacks the assurance its process risk needs on the validated version (data/csa-assurance.json): high risk needs a scripted test that passed; not high needs a recorded activity with its outcome.',
  hint: 'high risk: add a test record that `verifies` the feature and import or record its passing result on the validated version; not high: record an assurance-activity (unscripted, ad-hoc or vendor-evidence) that `assures` it',
  *check(context) {
    const version = versionOf(context);
    for (const f of assessCsa(context.graph, version).features) {
      // No risk at all is csa/risk-undetermined's finding.
      if (!f.risk || f.missing.length === 0) continue;
      const seen = f.evidence.filter((e) => !e.counts).map((e) => `${e.id}: ${e.note}`);
      yield {
        code: 'csa/assurance-missing',
        message: `${f.feature.id} (${f.feature.title}, process risk ${f.risk}): ${f.missing.join('; ')}${seen.length > 0 ? ` (not counted: ${seen.join('; ')})` : ''}`,
        recordId: f.feature.id,
        at: fieldAnchor(f.feature, 'processRisk'),
      };
    }
  },
};

export const csaDecisionMissing: Rule = {
  code: 'csa/decision-missing',
  severity: 'error',
  applicability: 'fixed',
  profiles: PROFILES,
  clauses: ['FDA CSA V.A(6)', 'ISO 13485 4.1.6', 'ISO 13485 7.5.6'],
  // decisionFor reads the validation decisions; assessCsa the features, assurance activities and test runs.
  reads: { kinds: ['assurance-activity', 'feature', 'test-run', 'validation-decision'] },
  summary:
    'Production software: no validation decision on the validated version, or one that says acceptable while assurance is missing or without its restrictions.',
  hint: 'record a validation-decision for `software.version` (acceptable, acceptable-with-restrictions with the restrictions, or not-acceptable), with who decided and when, once every feature has its assurance',
  *check(context) {
    const { graph, project } = context;
    const version = versionOf(context);
    const decision = decisionFor(graph, version);
    if (!decision) {
      yield {
        code: 'csa/decision-missing',
        message: `no validation-decision records the conclusion for version ${version}`,
        at: { file: CONFIG_FILE_NAME, path: ['software', 'version'] },
      };
      return;
    }
    const outcome = String(decision.fields.decision);
    if (outcome === 'not-acceptable') return;
    if (outcome === 'acceptable-with-restrictions' && decision.fields.restrictions === undefined)
      yield {
        code: 'csa/decision-missing',
        message: `${decision.id} is acceptable-with-restrictions but states no restrictions`,
        recordId: decision.id,
        at: fieldAnchor(decision, 'decision'),
      };
    const incomplete = assessCsa(graph, version).features.filter((f) => f.missing.length > 0);
    const noFeature = !graph.ofKind('feature').some(isActive);
    const noIntendedUse = !intendedUseOf(graph, project.config.software.system);
    if (incomplete.length > 0 || noFeature || noIntendedUse)
      yield {
        code: 'csa/decision-missing',
        message: `${decision.id} says ${outcome} for ${version}, but ${[
          noIntendedUse ? 'the intended use is not stated' : undefined,
          noFeature ? 'no feature is recorded' : undefined,
          incomplete.length > 0
            ? `${incomplete.map((f) => f.feature.id).join(', ')} lack the assurance their risk needs`
            : undefined,
        ]
          .filter(Boolean)
          .join(', and ')}`,
        recordId: decision.id,
        at: fieldAnchor(decision, 'decision'),
      };
  },
};

export const CSA_RULES: readonly Rule[] = [
  csaIntendedUseMissing,
  csaFeaturesMissing,
  csaRiskUndetermined,
  csaAssuranceMissing,
  csaDecisionMissing,
];
