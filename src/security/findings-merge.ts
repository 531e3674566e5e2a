/**
 * Merges the findings of a security test run into a security-test record's `findings` (FDA
 * premarket cybersecurity guidance V.C; IEC 81001-5-1 5.7): the tool says what it found, people say
 * what was done about it. So a new finding is appended with `disposition: open` (security/
 * finding-open reports it until someone decides), a finding already recorded under its id gets the
 * tool's current title, severity and location and keeps everything people wrote (disposition,
 * resolution, problem report, and a cwe or description they already gave), and a recorded finding
 * the run no longer reports stays as it is: it is listed, never removed. Pure: data in, plan out.
 */
import type { FieldEdit, RecordEdit } from '../edit/record-edit.js';
import type { DossierRecord } from '../model/record.js';
import type { RunFinding } from './findings-input.js';

/** The fields a new run replaces in a recorded finding. */
const TOOL_FIELDS = ['title', 'severity', 'location'] as const;
/** The fields a run fills in when the recorded finding has none, and otherwise leaves to people. */
const FILLED_FIELDS = ['cwe', 'description'] as const;

type Recorded = Readonly<Record<string, unknown>>;

export interface FieldChange {
  readonly field: string;
  readonly from?: string;
  readonly to: string;
}

export interface FindingsMerge {
  readonly added: readonly RunFinding[];
  readonly updated: readonly {
    readonly id: string;
    readonly index: number;
    readonly changes: readonly FieldChange[];
  }[];
  readonly unchanged: number;
  /** Recorded findings the run does not report, kept as they are. */
  readonly notInRun: readonly {
    readonly id: string;
    readonly title: string;
    readonly disposition?: string;
  }[];
}

function recordedFindings(test: DossierRecord): readonly Recorded[] {
  const value = test.fields.findings;
  return Array.isArray(value) ? value.filter((f): f is Recorded => typeof f === 'object' && f !== null) : [];
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

export function mergeFindings(test: DossierRecord, run: readonly RunFinding[]): FindingsMerge {
  const recorded = recordedFindings(test);
  const byId = new Map<string, number>();
  recorded.forEach((f, index) => {
    const id = text(f.id);
    if (id !== undefined && !byId.has(id)) byId.set(id, index);
  });
  const added: RunFinding[] = [];
  const updated: FindingsMerge['updated'][number][] = [];
  let unchanged = 0;
  for (const finding of run) {
    const index = byId.get(finding.id);
    if (index === undefined) {
      added.push(finding);
      continue;
    }
    const old = recorded[index]!;
    const changes: FieldChange[] = [];
    for (const field of [...TOOL_FIELDS, ...FILLED_FIELDS]) {
      const to = finding[field];
      const from = text(old[field]);
      if (to === undefined || to === from) continue;
      if ((FILLED_FIELDS as readonly string[]).includes(field) && from !== undefined) continue;
      changes.push({ field, ...(from !== undefined ? { from } : {}), to });
    }
    if (changes.length > 0) updated.push({ id: finding.id, index, changes });
    else unchanged++;
  }
  const inRun = new Set(run.map((f) => f.id));
  const notInRun = recorded.flatMap((f) => {
    const id = text(f.id);
    if (id === undefined || inRun.has(id)) return [];
    const disposition = text(f.disposition);
    return [{ id, title: text(f.title) ?? '', ...(disposition !== undefined ? { disposition } : {}) }];
  });
  return { added, updated, unchanged, notInRun };
}

/** A new finding as it is written: the tool's fields, and open until people decide. */
function newFinding(finding: RunFinding): Record<string, string> {
  const { line: _line, ...fields } = finding;
  return { ...fields, disposition: 'open' };
}

/** The edits that write a merge into the record: updates in place, new findings appended. */
export function findingsEdits(test: DossierRecord, merge: FindingsMerge): RecordEdit[] {
  const edits: RecordEdit[] = merge.updated.map((u) => ({
    record: test,
    within: ['findings', u.index],
    edits: u.changes.map((c): FieldEdit => ({ field: c.field, value: c.to })),
  }));
  if (merge.added.length === 0) return edits;
  const fresh = merge.added.map(newFinding);
  // An empty or missing list is written whole; a list with findings gets each new one appended,
  // leaving the findings and comments already there as they are.
  const appendTo = recordedFindings(test).length > 0;
  edits.push({
    record: test,
    edits: appendTo
      ? fresh.map((f): FieldEdit => ({ field: 'findings', value: f, append: true }))
      : [{ field: 'findings', value: fresh }],
  });
  return edits;
}
