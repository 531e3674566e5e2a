/**
 * CVSS v4.0 scores from vector strings, as OSV `severity[]` (type `CVSS_V4`) and NVD
 * `metrics.cvssMetricV40` publish them. FIRST's "CVSS v4.0 Specification Document": section 7
 * (Vector String) and Table 23 give the metrics, their values and their order; section 8 the score
 * (MacroVectors of equivalence classes, FIRST's lookup table, severity-distance interpolation);
 * section 6 the qualitative rating; "CVSS Nomenclature" names a score by the metric groups it uses
 * (CVSS-B, CVSS-BT, CVSS-BE, CVSS-BTE). Supplemental metrics never change a score.
 *
 * Dossier checks the vector itself, strictly, as FIRST's JSON schema (cvss-v4.0.json,
 * `vectorString` pattern) does: every base metric, known values, each metric once, in Table 23's
 * order. The score is then computed by `ae-cvss-calculator` (metæffekt, Apache-2.0), loaded only
 * when a 4.0 vector is scored: its parser accepts partial vectors (a missing metric scores 0) and
 * repeated ones, so it never sees a vector that failed the check above.
 */
import { createRequire } from 'node:module';
import { type CvssSeverity, cvssSeverity } from './v3.js';

type Group = 'base' | 'threat' | 'environmental' | 'supplemental';

const IMPACT = ['H', 'L', 'N'];
const REQUIREMENT = ['X', 'H', 'M', 'L'];
const MODIFIED_IMPACT = ['X', 'N', 'L', 'H'];

/** Table 23, in its order: metric, allowed values, group. */
const METRICS: readonly (readonly [string, readonly string[], Group])[] = [
  ['AV', ['N', 'A', 'L', 'P'], 'base'],
  ['AC', ['L', 'H'], 'base'],
  ['AT', ['N', 'P'], 'base'],
  ['PR', ['N', 'L', 'H'], 'base'],
  ['UI', ['N', 'P', 'A'], 'base'],
  ['VC', IMPACT, 'base'],
  ['VI', IMPACT, 'base'],
  ['VA', IMPACT, 'base'],
  ['SC', IMPACT, 'base'],
  ['SI', IMPACT, 'base'],
  ['SA', IMPACT, 'base'],
  ['E', ['X', 'A', 'P', 'U'], 'threat'],
  ['CR', REQUIREMENT, 'environmental'],
  ['IR', REQUIREMENT, 'environmental'],
  ['AR', REQUIREMENT, 'environmental'],
  ['MAV', ['X', 'N', 'A', 'L', 'P'], 'environmental'],
  ['MAC', ['X', 'L', 'H'], 'environmental'],
  ['MAT', ['X', 'N', 'P'], 'environmental'],
  ['MPR', ['X', 'N', 'L', 'H'], 'environmental'],
  ['MUI', ['X', 'N', 'P', 'A'], 'environmental'],
  ['MVC', MODIFIED_IMPACT, 'environmental'],
  ['MVI', MODIFIED_IMPACT, 'environmental'],
  ['MVA', MODIFIED_IMPACT, 'environmental'],
  ['MSC', MODIFIED_IMPACT, 'environmental'],
  // Subsequent-system integrity and availability may be Safety (S) in the environmental group.
  ['MSI', [...MODIFIED_IMPACT, 'S'], 'environmental'],
  ['MSA', [...MODIFIED_IMPACT, 'S'], 'environmental'],
  ['S', ['X', 'N', 'P'], 'supplemental'],
  ['AU', ['X', 'N', 'Y'], 'supplemental'],
  ['R', ['X', 'A', 'U', 'I'], 'supplemental'],
  ['V', ['X', 'D', 'C'], 'supplemental'],
  ['RE', ['X', 'L', 'M', 'H'], 'supplemental'],
  ['U', ['X', 'Clear', 'Green', 'Amber', 'Red'], 'supplemental'],
];

const POSITION = new Map(METRICS.map(([metric], i) => [metric, i]));

export type Cvss4Nomenclature = 'CVSS-B' | 'CVSS-BT' | 'CVSS-BE' | 'CVSS-BTE';

export interface Cvss4Score {
  readonly version: '4.0';
  readonly vector: string;
  /** CVSS-B: the score of the base metrics alone (threat and environmental metrics Not Defined). */
  readonly baseScore: number;
  readonly severity: CvssSeverity;
  /**
   * When the vector also gives threat (E) or environmental metrics (other than X): the score of
   * all of them, named as the specification names it. Absent for a base-only vector.
   */
  readonly refined?: {
    readonly nomenclature: Exclude<Cvss4Nomenclature, 'CVSS-B'>;
    readonly score: number;
    readonly severity: CvssSeverity;
  };
}

interface Parsed {
  readonly values: ReadonlyMap<string, string>;
  readonly nomenclature: Cvss4Nomenclature;
}

/** Checks the vector as FIRST's schema does; the error says what is wrong, in the vector's terms. */
export function parseCvss4(vector: string): Parsed | { readonly error: string } {
  const parts = vector.trim().split('/');
  if (parts[0] !== 'CVSS:4.0') return { error: 'not a CVSS 4.0 vector (it must start with CVSS:4.0/)' };
  const values = new Map<string, string>();
  let last = -1;
  for (const part of parts.slice(1)) {
    const [metric, value, extra] = part.split(':');
    if (!metric || !value || extra !== undefined) return { error: `"${part}" is not METRIC:VALUE` };
    const position = POSITION.get(metric);
    if (position === undefined) return { error: `unknown metric ${metric}` };
    if (values.has(metric)) return { error: `${metric} is given twice` };
    if (!METRICS[position]![1].includes(value)) return { error: `${metric}:${value} is not a valid value` };
    if (position < last)
      return {
        error: `${metric} comes after ${METRICS[last]![0]}: CVSS 4.0 metrics must follow the order of the specification (Table 23)`,
      };
    last = position;
    values.set(metric, value);
  }
  const missing = METRICS.filter(([m, , group]) => group === 'base' && !values.has(m)).map(([m]) => m);
  if (missing.length > 0) return { error: `base metrics missing: ${missing.join(', ')}` };
  const defined = (group: Group) => METRICS.some(([m, , g]) => g === group && (values.get(m) ?? 'X') !== 'X');
  const nomenclature =
    `CVSS-B${defined('threat') ? 'T' : ''}${defined('environmental') ? 'E' : ''}` as Cvss4Nomenclature;
  return { values, nomenclature };
}

type Calculator = typeof import('ae-cvss-calculator');
let calculator: Calculator | undefined;

/**
 * The calculator, required on first use (a CommonJS bundle, loaded by `require` so that neither
 * the CLI's start-up nor a command without a 4.0 vector pays for it).
 */
function loadCalculator(): Calculator {
  calculator ??= createRequire(import.meta.url)('ae-cvss-calculator') as Calculator;
  return calculator;
}

/** A score is a number 0.0-10.0 with one decimal; anything else from the library is no score. */
function checkedScore(value: unknown): number | undefined {
  return typeof value === 'number' &&
    value >= 0 &&
    value <= 10 &&
    Math.abs(value * 10 - Math.round(value * 10)) < 1e-9
    ? value
    : undefined;
}

function scoreOf(vector: string): number | undefined {
  const { Cvss4P0 } = loadCalculator();
  return checkedScore(new Cvss4P0(vector).calculateScores().overall);
}

/** The CVSS-B score of a CVSS 4.0 vector (and its CVSS-BT/BE/BTE score), or why there is none. */
export function scoreCvss4(vector: string): Cvss4Score | { readonly error: string } {
  const parsed = parseCvss4(vector);
  if ('error' in parsed) return parsed;
  const baseOnly = `CVSS:4.0/${METRICS.filter(([, , g]) => g === 'base')
    .map(([m]) => `${m}:${parsed.values.get(m)}`)
    .join('/')}`;
  let base: number | undefined;
  let refined: number | undefined;
  try {
    base = scoreOf(baseOnly);
    refined = parsed.nomenclature === 'CVSS-B' ? undefined : scoreOf(vector.trim());
  } catch (error) {
    return { error: `the CVSS 4.0 calculator failed: ${(error as Error).message}` };
  }
  if (base === undefined || (parsed.nomenclature !== 'CVSS-B' && refined === undefined))
    return { error: 'the CVSS 4.0 calculator returned no valid score' };
  return {
    version: '4.0',
    vector: vector.trim(),
    baseScore: base,
    severity: cvssSeverity(base),
    ...(refined !== undefined && parsed.nomenclature !== 'CVSS-B'
      ? {
          refined: { nomenclature: parsed.nomenclature, score: refined, severity: cvssSeverity(refined) },
        }
      : {}),
  };
}
