/**
 * What changed in the target of a suspect link since the link was reviewed: the parts of its
 * canonical content (src/reviews/changes.ts) between the version git holds with the reviewed
 * fingerprint and the target now. Reads git, so the lookups are capped per run: a project with
 * thousands of suspect links must still check in seconds, and the cap is said, never hidden.
 */
import type { Project } from '../load/project.js';
import { maxFileBytesOf } from '../model/config.js';
import { changedParts, reviewedVersion } from '../reviews/changes.js';
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
    const { root, config } = this.project;
    const maxBytes = maxFileBytesOf(config);
    const version = reviewedVersion(root, config, link.to, link.stamp.fingerprint, maxBytes);
    const change: TargetChange = version
      ? { found: true, parts: changedParts(version.record, link.to), commit: version.commit }
      : { found: false, why: 'not-in-git' };
    this.known.set(key, change);
    return change;
  }
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
