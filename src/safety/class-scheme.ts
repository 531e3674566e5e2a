import { packageJson } from '../util/package-files.js';

export interface ClauseApplicability {
  readonly clause: string;
  readonly title: string;
  /** Classes the clause applies to (empty for clauses deleted by AMD1). */
  readonly classes: readonly string[];
  /** high: sources agree; med: one good source; check: sources disagree (see `notes`). */
  readonly confidence: 'high' | 'med' | 'check';
  readonly deleted?: boolean;
}

/** An obligation from outside IEC 62304 (ISO 14971, ISO 13485, FDA), named by its prefix. */
export interface OtherStandardApplicability {
  /** What clause references start with, e.g. "ISO 14971". */
  readonly prefix: string;
  readonly classes: readonly string[];
  readonly note: string;
}

interface ApplicabilityTable {
  readonly standard: string;
  readonly notes: Readonly<Record<string, string>>;
  readonly clauses: readonly ClauseApplicability[];
  readonly otherStandards: { readonly entries: readonly OtherStandardApplicability[] };
}

// The table lives in data/ (with its sources and confidence notes) so it can be reviewed as data.
const ED1_1_TABLE = packageJson<ApplicabilityTable>('data/iec62304-ed1.1-applicability.json');

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
  /** Classes at which obligations of other standards apply (ISO 14971 at every class, …). */
  readonly otherStandards: readonly OtherStandardApplicability[];
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
  otherStandards: ED1_1_TABLE.otherStandards.entries,
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

/**
 * The classes a row applies to as Dossier applies it: deleted rows to none; rows whose confidence
 * is not "high" to every class until verified (the data file says so and is where to change it);
 * the others as encoded.
 */
export function effectiveClasses(scheme: ClassScheme, row: ClauseApplicability): readonly string[] {
  if (row.deleted) return [];
  if (row.confidence !== 'high') return scheme.classes.map((c) => c.key);
  return row.classes;
}

/** The clauses that apply to an item of class `key` (for plans, checklists and gap scans). */
export function clausesFor(scheme: ClassScheme, key: string): ClauseApplicability[] {
  return scheme.applicability.filter((c) => effectiveClasses(scheme, c).includes(key));
}

/** How a clause reference was matched to the applicability data. */
export interface ClauseClasses {
  readonly classes: readonly string[];
  /** `table`: IEC 62304 Table A.1 rows; `other`: another standard's entry; `unknown`: nothing matched. */
  readonly source: 'table' | 'other' | 'unknown';
  /** The Table A.1 rows the reference covers (one row, or all rows of a group such as "7.4"). */
  readonly rows: readonly ClauseApplicability[];
}

const IEC_62304_PREFIX = /^IEC 62304\s+/;
const CLAUSE_NUMBER = /^\d+(?:\.\d+)*/;

/**
 * The classes at which a clause reference, as rules write it, applies. IEC 62304 references are
 * bare ("5.2.3", "7.2.2 a", "5.7.5 d") or prefixed "IEC 62304"; letters and sub-items after the
 * number are ignored and the number maps to its Table A.1 row, the row it falls under ("5.7.5"
 * for "5.7.5.1"), or, for a group ("7.4", "5.8"), every row of the group. Other standards
 * ("ISO 14971 7.4") map by their prefix to `otherStandards`. A reference nothing matches applies at
 * every class, so that an unmapped obligation is never silently dropped.
 */
export function classesOfClause(scheme: ClassScheme, reference: string): ClauseClasses {
  // Rules name a few dozen references, judged once per finding: look each up once per scheme.
  let cache = CLAUSE_CACHE.get(scheme);
  if (!cache) {
    cache = new Map();
    CLAUSE_CACHE.set(scheme, cache);
  }
  let found = cache.get(reference);
  if (!found) {
    found = lookUpClause(scheme, reference);
    cache.set(reference, found);
  }
  return found;
}

const CLAUSE_CACHE = new WeakMap<ClassScheme, Map<string, ClauseClasses>>();

function lookUpClause(scheme: ClassScheme, reference: string): ClauseClasses {
  const all = scheme.classes.map((c) => c.key);
  const bare = reference.trim().replace(IEC_62304_PREFIX, '');
  const number = CLAUSE_NUMBER.exec(bare)?.[0];
  if (number !== undefined) {
    const exact = scheme.applicability.find((r) => r.clause === number);
    const parent = exact
      ? undefined
      : scheme.applicability
          .filter((r) => number.startsWith(`${r.clause}.`))
          .sort((a, b) => b.clause.length - a.clause.length)[0];
    const rows = exact
      ? [exact]
      : parent
        ? [parent]
        : scheme.applicability.filter((r) => r.clause.startsWith(`${number}.`));
    if (rows.length === 0) return { classes: all, source: 'unknown', rows };
    const applying = new Set(rows.flatMap((r) => effectiveClasses(scheme, r)));
    return { classes: all.filter((c) => applying.has(c)), source: 'table', rows };
  }
  const other = scheme.otherStandards
    .filter((o) => bare === o.prefix || bare.startsWith(`${o.prefix} `))
    .sort((a, b) => b.prefix.length - a.prefix.length)[0];
  if (other) return { classes: other.classes, source: 'other', rows: [] };
  return { classes: all, source: 'unknown', rows: [] };
}

/** True when the obligation a clause reference names applies at class `key`. */
export function clauseAppliesAt(scheme: ClassScheme, reference: string, key: string): boolean {
  return classesOfClause(scheme, reference).classes.includes(key);
}

/** The classes at which any of the references applies, in scheme order. */
export function classesOfClauses(scheme: ClassScheme, references: readonly string[]): string[] {
  const applying = new Set(references.flatMap((r) => classesOfClause(scheme, r).classes));
  return scheme.classes.map((c) => c.key).filter((c) => applying.has(c));
}
