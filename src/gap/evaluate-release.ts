/**
 * Evaluators over the release gate of the version judged (`dossier release check`): its blockers are
 * the evidence gaps of unit, integration and system verification and of the release (5.5 to 5.8).
 * The gate is computed once per scan with the same inputs as `release check`.
 */
import type { Blocker, GateResult } from '../evidence/release-gate.js';
import type { GapContext } from './context.js';
import { NO_VERSION } from './evaluate-records.js';
import { clauseNumber, evidenceOf, hasValue, judged, none, nothingRecorded } from './outcome.js';
import { idsOf, recordsOf } from './record-set.js';
import type { EvaluatorResult, EvaluatorSpec, Evidence } from './types.js';

type Spec<U extends EvaluatorSpec['use']> = Extract<EvaluatorSpec, { use: U }>;

function parseCode(reference: string): { code: string; clause?: string } {
  const at = reference.indexOf('@');
  return at < 0 ? { code: reference } : { code: reference.slice(0, at), clause: reference.slice(at + 1) };
}

// Where each code's blockers stand in the gate's list, made once per gate: a large project's gate
// has tens of thousands of blockers and a dozen evaluators each want those of one or two codes.
const POSITIONS = new WeakMap<GateResult, ReadonlyMap<string, readonly number[]>>();

/** The gate's blockers with one of the codes, in the gate's order. */
function blockersWith(gate: GateResult, codes: readonly { code: string }[]): Blocker[] {
  let positions = POSITIONS.get(gate);
  if (!positions) {
    const byCode = new Map<string, number[]>();
    gate.blockers.forEach((b, i) => {
      const list = byCode.get(b.code);
      if (list) list.push(i);
      else byCode.set(b.code, [i]);
    });
    positions = byCode;
    POSITIONS.set(gate, positions);
  }
  const lists = [...new Set(codes.map((c) => c.code))].map((code) => positions.get(code) ?? []);
  const merged = lists.length === 1 ? lists[0]! : lists.flat().sort((a, b) => a - b);
  return merged.map((i) => gate.blockers[i]!);
}

/**
 * `gate`: no blocker with the codes named (a code may carry a clause, `release/record-incomplete@5.8.5`).
 * With `of`, the records judged must exist, and only blockers about them (or about no record) count;
 * every one of them blocked → none. `needsRelease`: the version must have a release record.
 */
export function gate(spec: Spec<'gate'>, context: GapContext, clause?: string): EvaluatorResult {
  const version = context.version;
  if (!version || !context.gate) return none([NO_VERSION]);
  if (spec.needsRelease && !version.release)
    return none([`no release record for ${version.version} (kind: release, version: "${version.version}")`]);
  const set = spec.of ? recordsOf(context, spec.of, clause, spec.allClasses) : undefined;
  if (set && set.length === 0) return nothingRecorded(`no ${spec.of!.what} recorded`);
  const codes = spec.codes.map(parseCode);
  const blockers = blockersWith(context.gate, codes).filter(
    (b) =>
      codes.some(
        (c) =>
          c.code === b.code &&
          (c.clause === undefined || b.clauses.some((x) => clauseNumber(x) === c.clause)),
      ) &&
      (set === undefined || b.recordId === undefined || idsOf(set).has(b.recordId)),
  );
  const missing = blockers.map((b) => `${b.message} (${b.code})`);
  const blocked = new Set(blockers.map((b) => b.recordId).filter((id) => id !== undefined));
  // The same note for every record: made once, not once for each of tens of thousands.
  const note = `no ${codes.map((c) => c.code).join(', ')} on ${version.version}`;
  const evidence: Evidence[] = set
    ? set.filter((r) => !blocked.has(r.id)).map((r) => evidenceOf(r, note))
    : version.release
      ? [evidenceOf(version.release, `release check of ${version.version}`)]
      : [{ note: `release check of ${version.version}` }];
  const everyBlocked = set?.every((r) => blocked.has(r.id)) === true;
  return judged(evidence, missing, { evidenced: everyBlocked ? 0 : Math.max(1, evidence.length) });
}

/**
 * `release`: the release record of the version judged has the fields named; a dotted name reads
 * inside a field (`configuration.commit`, 8.1.3). All → found; some → partial; none → none.
 */
export function releaseFields(spec: Spec<'release'>, context: GapContext): EvaluatorResult {
  const version = context.version;
  if (!version) return none([NO_VERSION]);
  const release = version.release;
  if (!release)
    return none([`no release record for ${version.version} (kind: release, version: "${version.version}")`]);
  const fieldValue = (dotted: string) =>
    dotted
      .split('.')
      .reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], release.fields);
  const present = spec.fields.filter((f) => hasValue(fieldValue(f)));
  const missing = spec.fields
    .filter((f) => !hasValue(fieldValue(f)))
    .map((f) => `${release.id} has no \`${f}\``);
  return judged(present.length > 0 ? [evidenceOf(release, present.join(', '))] : [], missing);
}
