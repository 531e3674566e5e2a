/**
 * Carried-forward test results: a release may reuse a result from an earlier version only when the
 * test lies outside the impact of every change since the tested commit (IEC 62304 5.6.6 and 5.7.4
 * regression, 8.2.3; FDA guidance on software change). A change is a record whose content
 * fingerprint differs between the tested commit and the release commit (added and removed records
 * too) or a software item whose `sourceFiles` differ there (`git diff`). The test is outside the
 * impact when `analyseImpact` of all those changes does not select it.
 *
 * This module does the git reading (once per release: the project at each commit, the changed
 * files) and returns one assessment per carried entry; the release gate turns them into blockers.
 * Fail closed: a run without a commit, a commit git does not know, no git, a revision whose records
 * do not all load, a leaf item whose files are not named: each is a reason the result cannot be
 * carried, never a pass.
 */
import path from 'node:path';
import picomatch from 'picomatch';
import type { TraceGraph } from '../graph/graph.js';
import { fingerprint } from '../model/fingerprint.js';
import { type DossierRecord, isActive } from '../model/record.js';
import { gitChangedFiles, gitResolveCommit } from '../util/git.js';
import { analyseImpact } from './impact.js';
import { type Snapshot, snapshotAt } from './snapshot.js';

/** One entry of a release record's `carriedForward`. */
export interface CarriedEntry {
  readonly run: string;
  readonly tests?: readonly string[];
  readonly rationale: string;
}

export interface CarriedAssessment {
  readonly run: string;
  readonly rationale: string;
  /** The tests carried: those listed, else every test the run has a result for. */
  readonly tests: readonly string[];
  /** The tested commit, resolved (when git knows it). */
  readonly from?: string;
  /** What the tested commit was compared with, in words: the release commit or the working tree. */
  readonly to: string;
  /** True only when every check was made and none failed. */
  readonly valid: boolean;
  /** Why the result cannot be carried, one sentence each. */
  readonly problems: readonly string[];
  /** Counts for the report: records and source files that changed since the tested commit. */
  readonly changedRecords?: number;
  readonly changedFiles?: number;
}

export function carriedEntriesOf(release: DossierRecord): readonly CarriedEntry[] {
  return (release.fields.carriedForward as CarriedEntry[] | undefined) ?? [];
}

/**
 * Assesses each carried-forward entry of `release`. `now` is the project as loaded (working tree):
 * the run records are read there; the release commit's records are read from git when the release
 * records `configuration.commit`, else the working tree is the release state (as said in `to`).
 */
export function assessCarriedForward(now: Snapshot, release: DossierRecord): CarriedAssessment[] {
  const entries = carriedEntriesOf(release);
  if (entries.length === 0) return [];
  const root = now.project.root;
  const releaseCommit = (release.fields.configuration as { commit?: string } | undefined)?.commit;
  const snapshots = new Map<string, Snapshot | string>();
  const at = (commit: string): Snapshot | string => {
    let snap = snapshots.get(commit);
    if (snap === undefined) {
      snap = snapshotAt(root, commit);
      snapshots.set(commit, snap);
    }
    return snap;
  };

  let target: { commit?: string; snapshot: Snapshot | string; to: string };
  if (releaseCommit === undefined) {
    target = {
      snapshot: now.project.unloaded.length > 0 ? 'record files of the working tree did not all load' : now,
      to: `the working tree (${release.id} records no configuration.commit)`,
    };
  } else {
    const resolved = gitResolveCommit(root, releaseCommit);
    target = resolved.ok
      ? {
          commit: resolved.commit,
          snapshot: at(resolved.commit),
          to: `release commit ${releaseCommit.slice(0, 12)}`,
        }
      : {
          snapshot: `the release commit ${releaseCommit} is not known to git here (${resolved.why})`,
          to: `release commit ${releaseCommit.slice(0, 12)}`,
        };
  }

  return entries.map((entry) => {
    const problems: string[] = [];
    const run = now.graph.get(entry.run);
    const base = { run: entry.run, rationale: entry.rationale, to: target.to };
    if (run?.kind !== 'test-run' || !isActive(run)) {
      return {
        ...base,
        tests: [...(entry.tests ?? [])],
        valid: false,
        problems: [`${entry.run} is not an active test run`],
      };
    }
    const outcomes = testOutcomes(run);
    const tests = [...(entry.tests ?? [...outcomes.keys()].sort())];
    if (tests.length === 0) problems.push(`${run.id} has no result of a test record to carry`);
    for (const test of tests) {
      const outcome = outcomes.get(test);
      if (outcome !== 'passed')
        problems.push(
          outcome === undefined ? `${run.id} has no result of ${test}` : `${test} ${outcome} in ${run.id}`,
        );
    }
    const recorded = run.fields.commit;
    if (typeof recorded !== 'string') {
      problems.push(`${run.id} does not record the commit it tested (commit)`);
      return { ...base, tests, valid: false, problems };
    }
    // A commit id, not a name that moves (a branch, HEAD): a build id or a ref cannot be compared.
    if (!/^[0-9a-f]{7,64}$/.test(recorded)) {
      problems.push(`${run.id} records "${recorded}" as its commit, which is not a commit id (hexadecimal)`);
      return { ...base, tests, valid: false, problems };
    }
    const resolved = gitResolveCommit(root, recorded);
    if (!resolved.ok) {
      problems.push(`the tested commit ${recorded} of ${run.id} is not known to git here (${resolved.why})`);
      return { ...base, tests, valid: false, problems };
    }
    const from = resolved.commit;
    const before = at(from);
    if (typeof before === 'string') problems.push(before);
    if (typeof target.snapshot === 'string') problems.push(target.snapshot);
    if (typeof before === 'string' || typeof target.snapshot === 'string')
      return { ...base, tests, from, valid: false, problems };
    const after = target.snapshot;

    const changedIds = changedRecordIds(before.project.records, after.project.records);
    const files = gitChangedFiles(root, from, target.commit);
    if (!files.ok) {
      problems.push(`which source files changed since ${from.slice(0, 12)} is not known: ${files.why}`);
      return { ...base, tests, from, valid: false, problems };
    }
    const codeChanged = new Set([
      ...itemsWithChangedFiles(before.graph, files.files),
      ...itemsWithChangedFiles(after.graph, files.files),
    ]);
    const selectedBy = new Map<string, string>();
    for (const snap of [after, before]) {
      const seeds = snap.project.records.filter((r) => changedIds.has(r.id) || codeChanged.has(r.id));
      if (seeds.length === 0) continue;
      for (const t of analyseImpact(snap.graph, snap.safety, seeds).tests)
        if (!selectedBy.has(t.test.id)) selectedBy.set(t.test.id, t.reason);
    }
    const unidentified = itemsWithoutFiles(after.graph);
    const unknownCode =
      unidentified.length > 0 ? analyseImpact(after.graph, after.safety, unidentified).tests : [];
    for (const test of tests) {
      const reason = selectedBy.get(test);
      if (reason !== undefined) {
        problems.push(
          `${test} is inside the impact of a change since ${from.slice(0, 12)}: ${reason.replace(/ is changed$/, ' changed')}`,
        );
        continue;
      }
      const unknown = unknownCode.find((t) => t.test.id === test);
      if (unknown)
        problems.push(
          `${test} depends on ${unknown.path[0]?.from ?? 'an item'}, whose source files are not named (sourceFiles), so a code change cannot be ruled out: ${unknown.reason}`,
        );
    }
    return {
      ...base,
      tests,
      from,
      valid: problems.length === 0,
      problems,
      changedRecords: changedIds.size,
      changedFiles: files.files.length,
    };
  });
}

/** Each test's aggregated outcome in the run (the worst execution, as the gate reads runs). */
function testOutcomes(run: DossierRecord): Map<string, string> {
  const order = ['passed', 'skipped', 'not-run', 'failed', 'error'];
  const outcomes = new Map<string, string>();
  for (const r of (run.fields.results as { test?: string; outcome: string }[] | undefined) ?? []) {
    if (!r.test) continue;
    const before = outcomes.get(r.test);
    if (before === undefined || order.indexOf(r.outcome) > order.indexOf(before))
      outcomes.set(r.test, r.outcome);
  }
  return outcomes;
}

/** Ids whose content fingerprint differs, or that exist on one side only. */
export function changedRecordIds(
  before: readonly DossierRecord[],
  after: readonly DossierRecord[],
): Set<string> {
  const print = (records: readonly DossierRecord[]) => {
    const map = new Map<string, string>();
    for (const r of records) if (!map.has(r.id)) map.set(r.id, fingerprint(r));
    return map;
  };
  const a = print(before);
  const b = print(after);
  const changed = new Set<string>();
  for (const [id, fp] of a) if (b.get(id) !== fp) changed.add(id);
  for (const id of b.keys()) if (!a.has(id)) changed.add(id);
  return changed;
}

/** Items whose `sourceFiles` globs match a changed file. */
function itemsWithChangedFiles(graph: TraceGraph, files: readonly string[]): string[] {
  if (files.length === 0) return [];
  return graph
    .ofKind('software-item')
    .filter((item) => {
      const globs = item.fields.sourceFiles as string[] | undefined;
      if (!globs || globs.length === 0) return false;
      const matches = picomatch(globs, { dot: true });
      return files.some((f) => matches(f));
    })
    .map((i) => i.id);
}

/**
 * Items whose code git cannot be asked about: a leaf item (no parts) without `sourceFiles`, or with
 * a glob outside the project folder (the diff covers only the folder). A parent's code is its parts'.
 */
function itemsWithoutFiles(graph: TraceGraph): DossierRecord[] {
  return graph.ofKind('software-item').filter((item) => {
    if (!isActive(item)) return false;
    const globs = (item.fields.sourceFiles as string[] | undefined) ?? [];
    if (globs.some((g) => path.posix.isAbsolute(g) || g.startsWith('../'))) return true;
    return globs.length === 0 && graph.childrenOf(item).length === 0;
  });
}
