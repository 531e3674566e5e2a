import { createRequire } from 'node:module';

export interface ClauseApplicability {
  readonly clause: string;
  readonly title: string;
  /** Classes the clause applies to (empty for clauses deleted by AMD1). */
  readonly classes: readonly string[];
  /** high: sources agree; med: one good source; check: sources disagree (see `notes`). */
  readonly confidence: 'high' | 'med' | 'check';
  readonly deleted?: boolean;
}

interface ApplicabilityTable {
  readonly standard: string;
  readonly notes: Readonly<Record<string, string>>;
  readonly clauses: readonly ClauseApplicability[];
}

// The table lives in data/ (with its sources and confidence notes) so it can be reviewed as data.
const require = createRequire(import.meta.url);
const ED1_1_TABLE = require('../../data/iec62304-ed1.1-applicability.json') as ApplicabilityTable;

/**
 * Software safety class schemes as data. IEC 62304 Ed. 1.1 has A/B/C; the second edition is
 * expected to replace them with process rigour levels, which would be a second scheme here, not
 * new logic in the engine.
 */
export interface ClassScheme {
  readonly id: string;
  readonly standard: string;
  /** Classes from least to most rigorous. */
  readonly classes: readonly { readonly key: string; readonly meaning: string }[];
  /** Class of anything not yet classified (62304 4.3 g: treat as class C). */
  readonly unclassified: string;
  /** Which clauses apply to which class (Annex A, Table A.1). */
  readonly applicability: readonly ClauseApplicability[];
  /** Why uncertain rows were encoded the way they are. */
  readonly applicabilityNotes: Readonly<Record<string, string>>;
  /** Outcome of the AMD1 decision flow (Figure 3) → class. */
  readonly outcome: {
    /** Q1 no: the software cannot contribute to a hazardous situation. */
    readonly noContribution: string;
    /** Q2 no: with external controls only, the risk is acceptable. */
    readonly acceptableWithExternalControls: string;
    /** Q3: the worst harm is a non-serious injury. */
    readonly nonSeriousInjury: string;
    /** Q3: the worst harm is death or serious injury. */
    readonly deathOrSeriousInjury: string;
  };
}

export const IEC_62304_ED1_1: ClassScheme = {
  id: 'iec62304-ed1.1',
  standard: 'IEC 62304:2006 + A1:2015',
  classes: [
    // AMD1 wording (in our words), not the 2006 "no injury or damage to health is possible".
    {
      key: 'A',
      meaning:
        'the software cannot contribute to a hazardous situation, or no unacceptable risk remains after risk control external to the software system',
    },
    {
      key: 'B',
      meaning:
        'unacceptable risk remains after risk control external to the software system, and the worst possible harm is non-serious injury',
    },
    {
      key: 'C',
      meaning:
        'unacceptable risk remains after risk control external to the software system, and death or serious injury is possible',
    },
  ],
  unclassified: 'C',
  applicability: ED1_1_TABLE.clauses,
  applicabilityNotes: ED1_1_TABLE.notes,
  outcome: {
    noContribution: 'A',
    acceptableWithExternalControls: 'A',
    nonSeriousInjury: 'B',
    deathOrSeriousInjury: 'C',
  },
};

export function classRank(scheme: ClassScheme, key: string): number {
  const rank = scheme.classes.findIndex((c) => c.key === key);
  return rank === -1 ? scheme.classes.length : rank;
}

/** The more rigorous of two classes (62304 4.3 f: a group takes its highest class). */
export function higherClass(scheme: ClassScheme, a: string, b: string): string {
  return classRank(scheme, a) >= classRank(scheme, b) ? a : b;
}

/** The clauses that apply to an item of class `key` (for plans, checklists and gap scans). */
export function clausesFor(scheme: ClassScheme, key: string): ClauseApplicability[] {
  return scheme.applicability.filter((c) => c.classes.includes(key));
}
