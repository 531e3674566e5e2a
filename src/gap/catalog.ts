/**
 * The gap scan's catalogs, as data: every IEC 62304 Ed. 1.1 clause from 4.1 to 9.8 with its process
 * group, evaluators and hint (data/iec62304-gap-catalog.json, joined on the clause id with the class
 * applicability of data/iec62304-ed1.1-applicability.json), and the obligations beyond it: the FDA
 * 2023 software documentation elements, premarket cybersecurity for cyber devices, and the QMSR /
 * ISO 13485 7.3 design controls. Loading checks that the data fit together and refuses to start
 * otherwise: a clause the scan silently skipped would read as no gap.
 */

import { type ClauseApplicability, IEC_62304_ED1_1 } from '../safety/class-scheme.js';
import { packageJson } from '../util/package-files.js';
import type { EvaluatorName, EvaluatorSpec } from './types.js';

export interface ProcessGroup {
  readonly key: string;
  readonly title: string;
}

export interface CatalogClause {
  readonly clause: string;
  readonly group: string;
  readonly needsHumanAssessment: boolean;
  /** A project option the clause belongs to (`legacy`: the 4.4 route); without it, not applicable. */
  readonly onlyWith?: 'legacy';
  readonly evaluators: readonly EvaluatorSpec[];
  readonly hint: string;
}

/** A catalog clause with its row of Table A.1. */
export interface ClauseEntry extends CatalogClause {
  readonly row: ClauseApplicability;
}

/** An obligation beyond IEC 62304 (an FDA element, a cybersecurity item, a design control). */
export interface ObligationEntry {
  readonly key: string;
  readonly title: string;
  readonly reference: string;
  readonly needsHumanAssessment: boolean;
  /** FDA elements: the documentation levels at which the element is submitted (default both). */
  readonly submittedAt?: readonly ('Basic' | 'Enhanced')[];
  readonly evaluators: readonly EvaluatorSpec[];
  /** The records, documents and commands that feed it. */
  readonly feeds: readonly string[];
  readonly hint: string;
}

interface CatalogFile {
  readonly groups: readonly ProcessGroup[];
  readonly submissionOrder: readonly string[];
  readonly clauses: readonly CatalogClause[];
}

export const EVALUATOR_NAMES: readonly EvaluatorName[] = [
  'attestation',
  'plan',
  'plan-exists',
  'records',
  'review',
  'review-held',
  'gate',
  'tested-at-level',
  'runs',
  'risk-policy',
  'release',
  'software-risk-trace',
  'clauses',
  'legacy',
  'documentation-level',
  'config',
  'problems-changed',
  'known-anomalies',
  'any',
];

const CATALOG_FILE = packageJson<CatalogFile>('data/iec62304-gap-catalog.json');
const FDA_FILE = packageJson<{ elements: readonly ObligationEntry[] }>(
  'data/fda-software-documentation.json',
);
const CYBER_FILE = packageJson<{ items: readonly ObligationEntry[] }>('data/cybersecurity-premarket.json');
const DESIGN_FILE = packageJson<{ items: readonly ObligationEntry[] }>('data/design-controls.json');
const CSA_FILE = packageJson<{ items: readonly ObligationEntry[] }>('data/csa-gap-catalog.json');

class CatalogError extends Error {}

function checkEvaluators(where: string, evaluators: readonly EvaluatorSpec[], clauses: ReadonlySet<string>) {
  for (const e of evaluators) {
    if (!EVALUATOR_NAMES.includes(e.use)) throw new CatalogError(`${where}: unknown evaluator "${e.use}"`);
    if (e.use === 'clauses')
      for (const c of e.clauses)
        if (!clauses.has(c))
          throw new CatalogError(`${where}: evaluator "clauses" names unknown clause ${c}`);
    if (e.use === 'any') {
      if (e.of.length < 2) throw new CatalogError(`${where}: evaluator "any" needs two alternatives or more`);
      checkEvaluators(`${where} any`, e.of, clauses);
    }
  }
}

/** Joins the catalog with Table A.1 and checks both list the same clauses, in the same order. */
function joinCatalog(file: CatalogFile, rows: readonly ClauseApplicability[]): ClauseEntry[] {
  const groups = new Set(file.groups.map((g) => g.key));
  const order = file.submissionOrder;
  if (order.length !== groups.size || !order.every((g) => groups.has(g)))
    throw new CatalogError('data/iec62304-gap-catalog.json: submissionOrder must list every group once');
  const byClause = new Map(file.clauses.map((c) => [c.clause, c]));
  if (byClause.size !== file.clauses.length)
    throw new CatalogError('data/iec62304-gap-catalog.json lists a clause twice');
  const known = new Set(rows.map((r) => r.clause));
  for (const c of file.clauses)
    if (!known.has(c.clause))
      throw new CatalogError(`data/iec62304-gap-catalog.json: ${c.clause} is not in the applicability table`);
  return rows.map((row) => {
    const entry = byClause.get(row.clause);
    if (!entry)
      throw new CatalogError(`data/iec62304-gap-catalog.json has no entry for clause ${row.clause}`);
    if (!groups.has(entry.group))
      throw new CatalogError(
        `data/iec62304-gap-catalog.json: ${row.clause} has unknown group ${entry.group}`,
      );
    if (!row.deleted && entry.evaluators.length === 0)
      throw new CatalogError(`data/iec62304-gap-catalog.json: ${row.clause} has no evaluator`);
    checkEvaluators(`data/iec62304-gap-catalog.json ${row.clause}`, entry.evaluators, known);
    return { ...entry, row };
  });
}

function checkObligations(file: string, entries: readonly ObligationEntry[], clauses: ReadonlySet<string>) {
  for (const e of entries) checkEvaluators(`${file} ${e.key}`, e.evaluators, clauses);
  return entries;
}

export const PROCESS_GROUPS: readonly ProcessGroup[] = CATALOG_FILE.groups;
/** Process groups in the order their gaps block a submission (docs/gap-scan.md). */
export const SUBMISSION_ORDER: readonly string[] = CATALOG_FILE.submissionOrder;
export const CLAUSES: readonly ClauseEntry[] = joinCatalog(CATALOG_FILE, IEC_62304_ED1_1.applicability);
const CLAUSE_IDS = new Set(CLAUSES.map((c) => c.clause));
export const FDA_ELEMENTS = checkObligations(
  'data/fda-software-documentation.json',
  FDA_FILE.elements,
  CLAUSE_IDS,
);
export const CYBERSECURITY_ITEMS = checkObligations(
  'data/cybersecurity-premarket.json',
  CYBER_FILE.items,
  CLAUSE_IDS,
);
export const DESIGN_CONTROLS = checkObligations('data/design-controls.json', DESIGN_FILE.items, CLAUSE_IDS);
/** The validation of production and quality system software (FDA CSA): `profile: production-software`. */
export const CSA_CRITERIA = checkObligations('data/csa-gap-catalog.json', CSA_FILE.items, CLAUSE_IDS);

export function groupTitle(key: string): string {
  return PROCESS_GROUPS.find((g) => g.key === key)?.title ?? key;
}

/** True when `id` is a clause of the catalog (4.1 to 9.8). */
export function isCatalogClause(id: string): boolean {
  return CLAUSE_IDS.has(id);
}
