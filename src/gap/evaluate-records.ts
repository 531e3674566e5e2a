/**
 * Evaluators over records and the findings of `dossier check`: the evidence is the records
 * themselves, and a rule that already checks something is reused by its code rather than checked a
 * second time.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { resultsOf } from '../evidence/verdicts.js';
import { isApproved } from '../model/approval.js';
import { type DossierRecord, isActive } from '../model/record.js';
import type { GapContext } from './context.js';
import {
  clauseNumber,
  evidenceOf,
  hasValue,
  judged,
  none,
  nothingRecorded,
  nothingToJudge,
} from './outcome.js';
import { idsOf, recordsOf } from './record-set.js';
import type { EvaluatorResult, EvaluatorSpec } from './types.js';

type Spec<U extends EvaluatorSpec['use']> = Extract<EvaluatorSpec, { use: U }>;

/** A rule reference of the data: `code`, or `code@clause` to count only that clause's findings. */
function parseRule(reference: string): { code: string; clause?: string } {
  const at = reference.indexOf('@');
  return at < 0 ? { code: reference } : { code: reference.slice(0, at), clause: reference.slice(at + 1) };
}

/** The findings of a rule reference, and a line when dossier.yaml turned the rule off (not seen). */
export function findingsOf(
  context: GapContext,
  reference: string,
): { findings: readonly Diagnostic[]; unseen?: string } {
  const { code, clause } = parseRule(reference);
  const all = context.findings(code);
  const findings =
    clause === undefined ? all : all.filter((d) => d.clauses.some((c) => clauseNumber(c) === clause));
  const lowered = context.lowered(code);
  const unseen =
    lowered?.to === 'off'
      ? `the rule ${code} is off in dossier.yaml${lowered.reason ? ` (${lowered.reason})` : ''}, so what it checks was not seen here`
      : undefined;
  return { findings, ...(unseen ? { unseen } : {}) };
}

const released = (context: GapContext) =>
  context.released
    ? undefined
    : nothingToJudge(
        'nothing is released yet (no release record dated on or before today): judged after the first release',
      );

/**
 * `records`: records of a kind exist, each has the fields named, is approved when asked, and no
 * finding of the rules named is about it; `alsoRules` findings anywhere make it partial.
 */
export function records(spec: Spec<'records'>, context: GapContext, clause?: string): EvaluatorResult {
  if (spec.when === 'released') {
    const wait = released(context);
    if (wait) return wait;
  }
  const set = recordsOf(context, spec, clause, spec.allClasses);
  if (set.length === 0) return nothingRecorded(`no ${spec.what} recorded`);
  const problems = new Map<string, string[]>();
  const add = (id: string, line: string) => {
    const list = problems.get(id);
    if (list) list.push(line);
    else problems.set(id, [line]);
  };
  for (const record of set) {
    for (const field of spec.fields ?? [])
      if (!hasValue(record.fields[field])) add(record.id, `${record.id} has no \`${field}\``);
    if (spec.approved && !isApproved(record))
      add(record.id, `${record.id} is ${record.status}, not approved`);
  }
  const general: string[] = [];
  for (const reference of spec.rules ?? []) {
    const { findings, unseen } = findingsOf(context, reference);
    if (unseen) general.push(unseen);
    for (const d of findings) {
      // The ids of the selection only when a finding is about a record (most rules have none).
      if (d.recordId !== undefined && idsOf(set).has(d.recordId)) add(d.recordId, d.message);
      else if (d.recordId === undefined) general.push(d.message);
    }
  }
  for (const reference of spec.alsoRules ?? []) {
    const { findings, unseen } = findingsOf(context, reference);
    if (unseen) general.push(unseen);
    for (const d of findings) general.push(d.message);
  }
  const evidenced = problems.size === 0 ? set : set.filter((r) => !problems.has(r.id));
  const missing = [
    ...(problems.size === 0 ? [] : set.flatMap((r) => problems.get(r.id) ?? [])),
    ...new Set(general),
  ];
  return judged(
    evidenced.map((r) => evidenceOf(r)),
    missing,
    { evidenced: evidenced.length },
  );
}

/** `tested-at-level`: every record of the set is verified by an active test (of the level, when given). */
export function testedAtLevel(
  spec: Spec<'tested-at-level'>,
  context: GapContext,
  clause?: string,
): EvaluatorResult {
  const set = recordsOf(context, spec, clause, spec.allClasses);
  if (set.length === 0) return nothingRecorded(`no ${spec.what} recorded`);
  const { graph } = context.analysis;
  const level = spec.level ? `${spec.level}-level ` : '';
  const evidence = [];
  const missing = [];
  for (const record of set) {
    const tests = graph
      .testsVerifying(record)
      .filter((t) => isActive(t) && (spec.level === undefined || t.fields.level === spec.level));
    if (tests.length === 0) missing.push(`${record.id} is verified by no ${level}test`);
    else evidence.push(evidenceOf(record, `verified by ${tests.map((t) => t.id).join(', ')}`));
  }
  return judged(evidence, missing);
}

/** Test runs on the version judged, of a level when given: a run's `level`, or results of tests of that level. */
function runsOn(context: GapContext, version: string, level: string | undefined): DossierRecord[] {
  const { graph } = context.analysis;
  return graph.ofKind('test-run').filter((run) => {
    if (!isActive(run) || String(run.fields.version) !== version) return false;
    if (level === undefined || run.fields.level === level) return true;
    return resultsOf(run).some((r) => r.test !== undefined && graph.get(r.test)?.fields.level === level);
  });
}

/**
 * `runs`: test runs (of a level) on the version judged, with no finding of the rules named and no
 * release gate blocker of the codes named about them.
 */
export function runs(spec: Spec<'runs'>, context: GapContext): EvaluatorResult {
  const version = context.version?.version;
  if (version === undefined) return none([NO_VERSION]);
  const found = runsOn(context, version, spec.level);
  const what = spec.level ? `${spec.level} test run` : 'test run';
  if (found.length === 0) return nothingRecorded(`no ${what} on ${version}`);
  const ids = new Set(found.map((r) => r.id));
  const missing: string[] = [];
  const flagged = new Set<string>();
  for (const reference of spec.rules ?? []) {
    const { findings, unseen } = findingsOf(context, reference);
    if (unseen) missing.push(unseen);
    for (const d of findings) {
      if (d.recordId !== undefined && ids.has(d.recordId)) {
        flagged.add(d.recordId);
        missing.push(d.message);
      }
    }
  }
  for (const b of context.gate?.blockers ?? []) {
    if (!spec.gateCodes?.includes(b.code) || b.recordId === undefined || !ids.has(b.recordId)) continue;
    flagged.add(b.recordId);
    missing.push(`${b.message} (${b.code})`);
  }
  return judged(
    found.map((r) => evidenceOf(r, `${what} on ${version}`)),
    missing,
    { evidenced: found.length - flagged.size },
  );
}

export const NO_VERSION =
  'no software version to judge: set software.version in dossier.yaml or record a release';

const RESOLVED = new Set(['resolved', 'closed']);

/** `problems-changed`: each resolved or closed problem is addressed by a change request or has `rationaleNoAction` (9.2 d, 9.4, 8.2.4). */
export function problemsChanged(_spec: Spec<'problems-changed'>, context: GapContext): EvaluatorResult {
  const { graph } = context.analysis;
  const resolved = graph
    .ofKind('problem-report')
    .filter((p) => isActive(p) && RESOLVED.has(String(p.fields.state)));
  if (resolved.length === 0) return nothingRecorded('no problem report is resolved or closed yet');
  const evidence = [];
  const missing = [];
  for (const problem of resolved) {
    const changes = graph.sources(problem, 'addresses', 'change-request').filter(isActive);
    if (changes.length > 0)
      evidence.push(evidenceOf(problem, `addressed by ${changes.map((c) => c.id).join(', ')}`));
    else if (hasValue(problem.fields.rationaleNoAction))
      evidence.push(evidenceOf(problem, 'no action, with rationale'));
    else
      missing.push(
        `${problem.id} is ${String(problem.fields.state)}, but no change request addresses it and it has no \`rationaleNoAction\``,
      );
  }
  return judged(evidence, missing);
}

/** `known-anomalies`: each known anomaly of the release judged has the fields named (FDA element J). */
export function knownAnomalies(spec: Spec<'known-anomalies'>, context: GapContext): EvaluatorResult {
  const release = context.version?.release;
  if (!release) return none([`no release record${context.version ? ` for ${context.version.version}` : ''}`]);
  const { graph } = context.analysis;
  const anomalies = (release.links.knownAnomalies ?? [])
    .map((id) => graph.get(id))
    .filter((p): p is DossierRecord => p !== undefined);
  if (anomalies.length === 0) return nothingRecorded(`${release.id} lists no known anomalies`);
  const evidence = [];
  const missing = [];
  for (const p of anomalies) {
    const lacking = spec.fields.filter((f) => !hasValue(p.fields[f]));
    if (lacking.length === 0) evidence.push(evidenceOf(p));
    else missing.push(`${p.id} has no ${lacking.map((f) => `\`${f}\``).join(', ')}`);
  }
  return judged(evidence, missing);
}

/**
 * `software-risk-trace` (7.1.2, 7.1.4, 7.3.3): the rows hazardous situation → item → cause →
 * control → verification. `causes`: rows exist; `full`: every row names a control and a verification.
 */
export function softwareRiskTrace(spec: Spec<'software-risk-trace'>, context: GapContext): EvaluatorResult {
  const rows = context.analysis.safety.softwareRiskTrace;
  if (rows.length === 0)
    return nothingRecorded('no software item records a potential cause of a hazardous situation (`causes`)');
  if (spec.part === 'causes') {
    const items = [...new Set(rows.map((r) => r.item))].sort();
    return judged(
      items.map((id) => ({ id, note: 'records causes' })),
      [],
    );
  }
  const evidence = [];
  const missing = [];
  for (const row of rows) {
    const what = `${row.item} → ${row.situation} (${row.category})`;
    if (row.controls.length === 0) missing.push(`${what} names no risk control`);
    else if (row.verifiedBy.length === 0)
      missing.push(`${what}: ${row.controls.join(', ')} verified by no test`);
    else
      evidence.push({
        id: row.item,
        note: `${row.situation}: ${row.controls.join(', ')} verified by ${row.verifiedBy.join(', ')}`,
      });
  }
  return judged(evidence, missing);
}
