/**
 * Baselines are git tags named by the release records: `dossier diff 1.0.0 1.1.0` reads the tag of
 * each version (`v1.0.0` or `1.0.0`), else the commit its release record's `configuration.commit`
 * names; any other name is a git revision (tag, branch, commit).
 */
import path from 'node:path';
import { type DossierRecord, isActive } from '../model/record.js';
import { gitResolveCommit } from '../util/git.js';
import { RevisionError, WORKTREE } from './project-at.js';

export interface Baseline {
  /** The name as given, for reports. */
  readonly name: string;
  /** What to read: a git revision, or {@link WORKTREE}. */
  readonly revision: string;
  /** How the name was resolved, when it was a release version. */
  readonly via?: string;
}

/**
 * Resolves a name to what to read. `releases` gives the release records (of the working tree) and
 * is asked only when the name is neither a version's tag nor a revision.
 */
export function resolveBaseline(
  root: string,
  name: string,
  releases: () => readonly DossierRecord[],
): Baseline {
  if (name === WORKTREE) return { name, revision: WORKTREE };
  const dir = path.resolve(root);
  const resolves = (rev: string) => gitResolveCommit(dir, rev).ok;
  for (const tag of [`v${name}`, name])
    if (resolves(`refs/tags/${tag}`)) return { name, revision: `refs/tags/${tag}`, via: `tag ${tag}` };
  const direct = gitResolveCommit(dir, name);
  if (direct.ok) return { name, revision: name };
  const release = releases().find(
    (r) => r.kind === 'release' && isActive(r) && String(r.fields.version) === name,
  );
  if (!release) throw new RevisionError(`cannot read revision "${name}" of ${root}: ${direct.why}`);
  const commit = (release.fields.configuration as { commit?: unknown } | undefined)?.commit;
  if (typeof commit !== 'string')
    throw new RevisionError(
      `release ${name} (${release.id}) has no tag v${name} or ${name} and no configuration.commit: tag the release commit (git tag v${name} COMMIT) or run dossier release record ${name}`,
    );
  const byCommit = gitResolveCommit(dir, commit);
  if (!byCommit.ok)
    throw new RevisionError(
      `release ${name} (${release.id}) names commit ${commit} in configuration.commit, which this repository does not hold, and there is no tag v${name} or ${name}`,
    );
  return { name, revision: byCommit.commit, via: `${release.id} configuration.commit` };
}
