import os from 'node:os';
import path from 'node:path';

/**
 * The user's folder for Dossier's caches that belong to the user, not to a project (the key that
 * signs project caches, the compiled code of the command): `$XDG_CACHE_HOME/dossier` when that is
 * an absolute path, else `~/.cache/dossier`.
 */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)
      ? env.XDG_CACHE_HOME
      : path.join(os.homedir(), '.cache');
  return path.join(base, 'dossier');
}

/**
 * Whether a file or folder belongs to this user and has none of the permission bits of `others`
 * (by default: group and others may not write). True where there are no user ids (Windows: the
 * user's profile folder protects it).
 */
export function isUsersOwn(stat: { readonly uid: number; readonly mode: number }, others = 0o022): boolean {
  const uid = process.getuid?.();
  return uid === undefined || (stat.uid === uid && (stat.mode & others) === 0);
}
