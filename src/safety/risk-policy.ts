import type { RiskConfig } from '../model/config.js';
import type { Acceptability } from '../model/vocabulary.js';

export interface Level {
  readonly key: string;
  readonly label: string;
  /** Position in the scale, 0 = least severe / least likely. */
  readonly index: number;
}

export interface SeverityLevel extends Level {
  /** Death or serious injury (the line between class B and C). */
  readonly serious: boolean;
}

export interface ProbabilityLevel extends Level {
  readonly max?: number;
}

/** The risk management plan's acceptability criteria (ISO 14971 4.2 c, 4.4 d) as lookups. */
export interface RiskPolicy {
  readonly severities: readonly SeverityLevel[];
  readonly probabilities: readonly ProbabilityLevel[];
  severity(key: string): SeverityLevel | undefined;
  probability(key: string): ProbabilityLevel | undefined;
  acceptability(severity: SeverityLevel, probability: ProbabilityLevel): Acceptability;
  /**
   * P = P1 × P2 (ISO 14971 Annex C), mapped to the least likely level whose upper bound holds it.
   * Undefined when the scale gives no numeric bounds.
   */
  combine(p1: ProbabilityLevel, p2: ProbabilityLevel): ProbabilityLevel | undefined;
  /** The most likely level: what is assumed when nothing can be credited. */
  readonly certain: ProbabilityLevel;
}

export function riskPolicy(config: RiskConfig): RiskPolicy {
  const severities = config.severity.map((s, index) => ({
    key: s.key,
    label: s.label,
    index,
    serious: s.serious,
  }));
  const probabilities = config.probability.map((p, index) => ({
    key: p.key,
    label: p.label,
    index,
    ...(p.max !== undefined ? { max: p.max } : {}),
  }));
  const severityByKey = new Map(severities.map((s) => [s.key, s]));
  const probabilityByKey = new Map(probabilities.map((p) => [p.key, p]));
  const hasBounds = probabilities.every((p) => p.max !== undefined);
  return {
    severities,
    probabilities,
    severity: (key) => severityByKey.get(key),
    probability: (key) => probabilityByKey.get(key),
    acceptability: (severity, probability) =>
      config.acceptability[severity.key]?.[probability.index] ?? 'unacceptable',
    combine(p1, p2) {
      if (!hasBounds) return undefined;
      const product = p1.max! * p2.max!;
      // A relative tolerance keeps 1e-3 × 1e-1 from missing the 1e-4 bound by a rounding error.
      return (
        probabilities.find((p) => product <= p.max! * (1 + 1e-9)) ?? probabilities[probabilities.length - 1]
      );
    },
    certain: probabilities[probabilities.length - 1]!,
  };
}
