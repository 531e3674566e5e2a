/**
 * What changed in the target of a suspect link since the link was reviewed: the parts of its
 * canonical content (src/reviews/changes.ts) between the version git holds with the reviewed
 * fingerprint and the target now. Reads git, so the lookups are capped per run: a project with
 * thousands of suspect links must still check in seconds, and the cap is said, never hidden.
 */
import type { Project } from '../load/project.js';
import { maxFileBytesOf } from '../model/config.js';
import type { DossierRecord } from '../model/record.js';
import { changedParts, type FoundVersion, reviewedVersion } from '../reviews/changes.js';
import { headCommitFromFiles } from '../util/git-head-file.js';
import { noteUncacheable } from '../util/input-trace.js';
import type { SuspectLink } from './suspect.js';

/** How many reviewed versions one run looks up in git (each reads one file's history). */
export const MAX_CHANGE_LOOKUPS = 50;

export type TargetChange =
  | { readonly found: true; readonly parts: readonly string[]; readonly commit: string }
  /** Git holds no committed version of the target's file with the reviewed fingerprint. */
  | { readonly found: false; readonly why: 'not-in-git' }
  /** Over the cap of lookups for this run. */
  | { readonly found: false; readonly why: 'not-looked-up' };

/**
 * A lookup of what changed, shared by every suspect link of one run: links to the same target
 * reviewed at the same fingerprint cost one lookup.
 */
export class ChangeLookup {
  private readonly known = new Map<string, TargetChange>();
  private lookups = 0;
  private remembered: Map<string, FoundVersion | null> | undefined | false;
  private head: string | undefined;

  constructor(
    private readonly project: Project,
    private readonly cap = MAX_CHANGE_LOOKUPS,
  ) {}

  changeOf(link: SuspectLink): TargetChange | undefined {
    if (link.state !== 'changed') return undefined;
    const key = `${link.to.id}\u0000${link.stamp.fingerprint}`;
    const known = this.known.get(key);
    if (known) return known;
    if (this.lookups >= this.cap) return { found: false, why: 'not-looked-up' };
    this.lookups++;
    const maxBytes = maxFileBytesOf(this.project.config);
    const version = this.reviewedVersionOf(link.to, link.stamp.fingerprint, maxBytes);
    const change: TargetChange = version
      ? { found: true, parts: changedParts(version.record, link.to), commit: version.commit }
      : { found: false, why: 'not-in-git' };
    this.known.set(key, change);
    return change;
  }

  /** The version git holds with the fingerprint: remembered from an earlier run of this process on the same HEAD. */
  private reviewedVersionOf(
    record: DossierRecord,
    wanted: string,
    maxBytes: number,
  ): FoundVersion | undefined {
    const { root, config } = this.project;
    if (this.remembered === undefined) {
      const head = headCommitFromFiles(root);
      this.head = head;
      this.remembered =
        head === undefined ? false : rememberedFor(`${head}\u0000${root}\u0000${JSON.stringify(config)}`);
    }
    if (this.remembered === false) return reviewedVersion(root, config, record, wanted, maxBytes);
    const key = `${record.origin.source.path}\u0000${record.id}\u0000${wanted}`;
    const known = this.remembered.get(key);
    if (known !== undefined) {
      // The answer is git's all the same: a run that used it cannot be cached as if git was not asked.
      noteUncacheable('git was asked');
      return known ?? undefined;
    }
    const unanswered = { failed: false };
    const found = reviewedVersion(root, config, record, wanted, maxBytes, unanswered);
    if (headCommitFromFiles(root) !== this.head) {
      // HEAD moved while git was asked: the answer may be of the other commit. Nothing more is kept.
      forgetRemembered();
      this.remembered = false;
    } else if (!unanswered.failed) this.remembered.set(key, found ?? null);
    return found;
  }
}

/**
 * Versions found in git, by HEAD commit, project folder and configuration: the answers stay true
 * while HEAD names the same commit. An answer is kept only when git answered every question (not
 * when a command did not run or timed out) and HEAD named the same commit after it as before. Only
 * the newest key is kept (a new commit starts afresh).
 */
let REMEMBERED: { key: string; versions: Map<string, FoundVersion | null> } | undefined;

function forgetRemembered(): void {
  REMEMBERED = undefined;
}

function rememberedFor(key: string): Map<string, FoundVersion | null> {
  if (REMEMBERED?.key !== key) REMEMBERED = { key, versions: new Map() };
  return REMEMBERED.versions;
}

/** The change as a phrase: "text changed", or why it is not known. */
export function describeChange(change: TargetChange | undefined, cap = MAX_CHANGE_LOOKUPS): string {
  if (!change) return '';
  if (change.found) {
    return change.parts.length > 0
      ? `changed: ${change.parts.join(', ')} (reviewed version in commit ${change.commit.slice(0, 12)})`
      : `changed (reviewed version in commit ${change.commit.slice(0, 12)})`;
  }
  return change.why === 'not-in-git'
    ? 'which parts changed is not known: git holds no committed version with the reviewed fingerprint'
    : `which parts changed was not looked up (over ${cap} git lookups in this run)`;
}
