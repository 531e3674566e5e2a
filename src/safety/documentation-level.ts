import type { DossierConfig } from '../model/config.js';
import type { SituationRisk } from './risk-evaluation.js';
import type { ProbabilityLevel, RiskPolicy } from './risk-policy.js';

export interface DocumentationLevel {
  readonly level: 'Basic' | 'Enhanced';
  readonly rationale: string;
  /** Situations that call for Enhanced documentation. */
  readonly situations: readonly string[];
}

/**
 * FDA "Content of Premarket Submissions for Device Software Functions" (2023), section V: Enhanced
 * when a failure or latent flaw of any software function could present a hazardous situation with
 * a probable risk of death or serious injury, assessed before risk controls; one level for the whole
 * device. Class III devices, combination products and blood establishment software generally
 * warrant Enhanced unless a rationale supports Basic. [MED] "probable" is a judgement: the lowest
 * level that counts is configurable (`fda.probableThreshold`, default the second level of the scale).
 */
export function documentationLevel(
  config: DossierConfig,
  policy: RiskPolicy | undefined,
  risks: readonly SituationRisk[],
): DocumentationLevel {
  const threshold = probableThreshold(config, policy);
  const softwareRisks = risks.filter((r) => r.contributors.length > 0);
  const probable = softwareRisks.filter((r) => {
    const e = r.softwareFailureUncontrolled;
    return (
      e !== undefined &&
      threshold !== undefined &&
      e.severity.serious &&
      e.probability.index >= threshold.index
    );
  });
  const unknown = softwareRisks.filter((r) => r.softwareFailureUncontrolled === undefined);
  const facts = [
    config.device.deviceClass === 'III' ? 'it is a class III device' : undefined,
    config.device.combinationProduct ? 'it is a constituent of a combination product' : undefined,
    config.device.bloodEstablishmentSoftware ? 'it is blood establishment software' : undefined,
  ].filter((f): f is string => f !== undefined);
  const ids = probable.map((r) => r.situation.id);

  if (probable.length > 0) {
    const examples = probable
      .slice(0, 5)
      .map(
        (r) =>
          `${r.situation.id} (${r.softwareFailureUncontrolled!.severity.label}, ${r.softwareFailureUncontrolled!.probability.label})`,
      )
      .join(', ');
    return {
      level: 'Enhanced',
      situations: ids,
      rationale: `Enhanced: before risk controls, a failure of the device software could lead to a hazardous situation with a probable risk of death or serious injury in ${probable.length} case${probable.length === 1 ? '' : 's'}, e.g. ${examples}. The software failure is taken as certain and "probable" means ${threshold!.label} or more likely (FDA 2023 software guidance, section V).`,
    };
  }
  if (unknown.length > 0) {
    return {
      level: 'Enhanced',
      situations: unknown.map((r) => r.situation.id),
      rationale: `Enhanced until shown otherwise: the risk of ${unknown.map((r) => r.situation.id).join(', ')}, to which the software contributes, is not estimated, so a probable risk of death or serious injury cannot be ruled out.`,
    };
  }
  if (facts.length > 0 && !config.fda?.basicRationale) {
    return {
      level: 'Enhanced',
      situations: [],
      rationale: `Enhanced: ${facts.join(' and ')}, which FDA says generally warrants Enhanced documentation unless a rationale supports Basic (set fda.basicRationale in dossier.yaml to give one).`,
    };
  }
  const base = `Basic: no failure of the device software could lead to a hazardous situation with a probable risk of death or serious injury before risk controls${threshold ? ` ("probable" meaning ${threshold.label} or more likely)` : ''}.`;
  return {
    level: 'Basic',
    situations: [],
    rationale:
      facts.length > 0 ? `${base} Although ${facts.join(' and ')}: ${config.fda!.basicRationale}` : base,
  };
}

/**
 * The lowest probability level that counts as "probable": `fda.probableThreshold`, else the second
 * level of the scale; undefined without a risk policy.
 */
export function probableThreshold(
  config: DossierConfig,
  policy: RiskPolicy | undefined,
): ProbabilityLevel | undefined {
  return (
    (config.fda?.probableThreshold ? policy?.probability(config.fda.probableThreshold) : undefined) ??
    policy?.probabilities[Math.min(1, policy.probabilities.length - 1)]
  );
}

export interface LevelOfConcern {
  readonly level: 'Major' | 'Moderate' | 'Minor';
  readonly rationale: string;
}

/** FDA 2005 software guidance: Level of Concern from the questionnaire in dossier.yaml (before mitigation). */
export function levelOfConcern(config: DossierConfig): LevelOfConcern | undefined {
  const q = config.levelOfConcern;
  if (!q) return undefined;
  const major = [
    q.bloodEstablishmentSoftware && 'it is blood establishment computer software',
    q.combinationWithDrugOrBiologic && 'it is intended for use in combination with a drug or biologic',
    q.accessoryToMajorDevice && 'it is an accessory to a device of Major level of concern',
    q.failureCouldCauseDeathOrSeriousInjury && 'a failure could result in death or serious injury',
  ].filter((x): x is string => typeof x === 'string');
  if (major.length > 0)
    return { level: 'Major', rationale: `Major: ${major.join('; ')} (before mitigation).` };
  const moderate = [
    q.accessoryToModerateDevice && 'it is an accessory to a device of Moderate level of concern',
    q.failureCouldCauseMinorInjury &&
      'a failure could lead to an erroneous diagnosis or delay of care likely to cause minor injury',
  ].filter((x): x is string => typeof x === 'string');
  if (moderate.length > 0)
    return { level: 'Moderate', rationale: `Moderate: ${moderate.join('; ')} (before mitigation).` };
  return {
    level: 'Minor',
    rationale: 'Minor: a failure or latent design flaw is unlikely to cause any injury.',
  };
}
