/**
 * `dossier impact CR-… --510k`: the 510(k) software-change questionnaire for one change request.
 * The baseline is the most recently cleared version (a release record with `cleared`, or the
 * version named with --cleared); the records at its commit are compared with now to show the
 * cumulative changes since the clearance, each question is pre-filled with what the records show,
 * people's answers walk the flow, and the report shows where it points. The decision stays a
 * person's: it is recorded on the change request as `submissionDecision`.
 */

import type { TraceGraph } from '../graph/graph.js';
import { type DossierRecord, isActive } from '../model/record.js';
import { maven } from '../soup/versions/index.js';
import { gitResolveCommit } from '../util/git.js';
import { type Cleared, changeRequestsAfter, clearedOf } from './cleared.js';
import { ImpactInputError } from './impact.js';
import { type Snapshot, snapshotAt } from './snapshot.js';
import type { AnswersFile } from './submission-answers.js';
import { type FlowWalk, type SubmissionFlow, walkFlow } from './submission-flow.js';
import {
  type CumulativeChanges,
  cumulativeChanges,
  notChecked,
  prefillQuestions,
} from './submission-prefill.js';

export interface Baseline {
  readonly release: DossierRecord;
  readonly version: string;
  readonly cleared?: Cleared;
  /** The commit the cleared version was built from, when git knows it. */
  readonly commit?: string;
}

/**
 * The release the change is compared with: the one of `version` when given, else the release
 * record with the latest `cleared.date` (the most recently cleared version).
 */
export function baselineRelease(graph: TraceGraph, version?: string): DossierRecord {
  const releases = graph.ofKind('release').filter(isActive);
  if (version !== undefined) {
    const named = releases.find((r) => String(r.fields.version) === version);
    if (!named) throw new ImpactInputError(`no release record has the version ${version}`);
    return named;
  }
  const cleared = releases.filter((r) => clearedOf(r) !== undefined);
  if (cleared.length === 0)
    throw new ImpactInputError(
      'no release record says it was cleared (`cleared: { kNumber, date }`): record the clearance on the cleared release, or name the cleared version with --cleared',
    );
  return cleared.sort((a, b) => {
    const da = clearedOf(a)?.date ?? '';
    const db = clearedOf(b)?.date ?? '';
    return da < db ? 1 : da > db ? -1 : maven.compare(String(b.fields.version), String(a.fields.version));
  })[0]!;
}

/** The revision of a release: its configuration commit, else its tag. */
function revisionOf(release: DossierRecord): string[] {
  const config = release.fields.configuration as { commit?: string; tag?: string } | undefined;
  const version = String(release.fields.version);
  if (config?.commit) return [config.commit];
  return [...(config?.tag ? [config.tag] : []), `refs/tags/v${version}`, `refs/tags/${version}`];
}

export interface SubmissionReview {
  readonly changeRequest: DossierRecord;
  readonly baseline: Baseline;
  readonly guidance: SubmissionFlow['guidance'];
  /** Cumulative changes since the clearance; absent when the baseline could not be read. */
  readonly cumulative?: CumulativeChanges;
  /** Why the records at the baseline could not be compared. */
  readonly notChecked?: string;
  readonly walk: FlowWalk;
  readonly flow: SubmissionFlow;
}

export function reviewSubmission(
  now: Snapshot,
  changeRequestId: string,
  flow: SubmissionFlow,
  options: { readonly cleared?: string; readonly answers?: AnswersFile } = {},
): SubmissionReview {
  const cr = now.graph.get(changeRequestId);
  if (!cr) throw new ImpactInputError(`no record has the id ${changeRequestId}`);
  if (cr.kind !== 'change-request')
    throw new ImpactInputError(`${changeRequestId} is a ${cr.kind}, not a change request`);
  if (options.answers?.changeRequest !== undefined && options.answers.changeRequest !== changeRequestId)
    throw new ImpactInputError(
      `the answers file is for ${options.answers.changeRequest}, not ${changeRequestId}`,
    );
  const release = baselineRelease(now.graph, options.cleared);
  const cleared = clearedOf(release);
  let commit: string | undefined;
  let why: string | undefined;
  for (const revision of revisionOf(release)) {
    const resolved = gitResolveCommit(now.project.root, revision);
    if (resolved.ok) {
      commit = resolved.commit;
      break;
    }
    why ??= `the commit of ${release.id} (${revision}) is not known to git here: ${resolved.why}`;
  }
  const baseline: Baseline = {
    release,
    version: String(release.fields.version),
    ...(cleared ? { cleared } : {}),
    ...(commit ? { commit } : {}),
  };
  const ids = flow.questions.map((q) => q.id);
  const answers = options.answers?.answers ?? new Map();
  const since = changeRequestsAfter(now.graph, release).map((c) => c.id);
  if (!since.includes(cr.id)) since.push(cr.id);
  const before = commit
    ? snapshotAt(now.project.root, commit)
    : (why ?? `${release.id} records no commit or tag`);
  if (typeof before === 'string') {
    const reason = `not compared with ${baseline.version}: ${before}`;
    return {
      changeRequest: cr,
      baseline,
      guidance: flow.guidance,
      notChecked: reason,
      walk: walkFlow(flow, answers, notChecked(ids, reason)),
      flow,
    };
  }
  const cumulative = cumulativeChanges(before, now, since);
  return {
    changeRequest: cr,
    baseline,
    guidance: flow.guidance,
    cumulative,
    walk: walkFlow(flow, answers, prefillQuestions(before, now, cumulative)),
    flow,
  };
}
