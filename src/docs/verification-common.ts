/**
 * What the verification documents share (the Verification Plan and Report, the Unresolved Software
 * Anomalies, the Version History): the test levels with their clauses and the FDA 2023 guidance's
 * documentation level for their protocols, excerpts for table cells, and a labelled record text that
 * says "not recorded" when the record says nothing. Pure.
 */
import type { DossierRecord } from '../model/record.js';
import type { TestOutcome } from '../model/vocabulary.js';
import { maven } from '../soup/versions/index.js';
import type { Block, Inline } from './model.js';

export { excerpt } from './excerpt.js';

export interface LevelSpec {
  readonly level: 'unit' | 'integration' | 'system' | 'validation';
  readonly title: string;
  /** The IEC 62304 activity of the level ("5.5"), or the design validation clause. */
  readonly clause: string;
  /** Where the procedure (inputs and actions) is asked for. */
  readonly procedureClause: string;
  /** Where the acceptance (pass/fail) criteria are asked for. */
  readonly criteriaClause: string;
  /** Where failures go to problem resolution. */
  readonly anomalyClause: string;
  /** FDA 2023 guidance element H: at which documentation level the protocol and report are submitted. */
  readonly fda: string;
}

/** The test levels in the order of the life cycle (TEST_LEVELS), each with its clauses. */
export const LEVELS: readonly LevelSpec[] = [
  {
    level: 'unit',
    title: 'Unit verification',
    clause: '5.5',
    procedureClause: '5.5.2',
    criteriaClause: '5.5.3',
    anomalyClause: '5.5.5, 9',
    fda: 'FDA 2023 guidance element H: unit test protocols and reports are submitted at the Enhanced documentation level only; at Basic they stay in the design history file.',
  },
  {
    level: 'integration',
    title: 'Integration testing',
    clause: '5.6',
    procedureClause: '5.6.3, 5.6.5',
    criteriaClause: '5.6.3, 5.6.5',
    anomalyClause: '5.6.8',
    fda: 'FDA 2023 guidance element H: integration test protocols and reports are submitted at the Enhanced documentation level only; at Basic they stay in the design history file.',
  },
  {
    level: 'system',
    title: 'System testing',
    clause: '5.7',
    procedureClause: '5.7.1',
    criteriaClause: '5.7.1',
    anomalyClause: '5.7.2',
    fda: 'FDA 2023 guidance element H: the system-level test protocol and report are submitted at both documentation levels (Basic and Enhanced).',
  },
  {
    level: 'validation',
    title: 'Design validation',
    clause: 'ISO 13485 7.3.7',
    procedureClause: 'ISO 13485 7.3.7',
    criteriaClause: 'ISO 13485 7.3.7',
    anomalyClause: '9',
    fda: 'Design validation is not an IEC 62304 software verification activity; it is listed because the validation tests are kept with the software records (ISO 13485 7.3.7).',
  },
];

/** The level of a test as recorded, or undefined when it has none the model knows. */
export function levelOf(test: DossierRecord): LevelSpec | undefined {
  return LEVELS.find((l) => l.level === test.fields.level);
}

/** Does a record belong to the software of the baseline? ("unversioned" holds every record.) */
export function inBaseline(record: DossierRecord, baseline: string): boolean {
  const since = record.fields.introducedIn;
  return baseline === 'unversioned' || typeof since !== 'string' || maven.compare(since, baseline) <= 0;
}

/** Versions in release order (Maven ordering: 1.1.0-rc3 before 1.1.0, 1.10 after 1.2). */
export function compareVersions(a: string, b: string): number {
  return maven.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** A text field of a record, or undefined when it is absent or blank. */
export function textField(record: DossierRecord, field: string): string | undefined {
  const value = record.fields[field];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * A labelled part of a record: the label, then the field's text as written (record text), or the
 * not-recorded block saying what is missing and the clause that asks for it.
 */
export function labelledText(
  record: DossierRecord,
  field: string,
  label: string,
  missing: { what: string; clause: string },
): Block[] {
  const value = textField(record, field);
  return [
    { kind: 'paragraph', inlines: [{ strong: label }] },
    value === undefined
      ? { kind: 'not-recorded', what: missing.what, clause: missing.clause }
      : { kind: 'record-text', recordId: record.id, markdown: value },
  ];
}

/** An outcome as a cell: a pass in plain text, anything else in bold (never shown as passed). */
export function outcomeCell(outcome: TestOutcome): Inline[] {
  return outcome === 'passed' ? [{ text: 'passed' }] : [{ strong: outcome }];
}

/** A comma-separated list of texts, or the given cell when there are none. */
export function joined(texts: readonly string[], none: Inline[]): Inline[] {
  return texts.length > 0 ? [{ text: texts.join(', ') }] : none;
}
