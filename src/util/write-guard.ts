/**
 * The guards every writer of user files shares: writes stay inside the project (issue 10 §2), and
 * a file a person changed while a command ran is not replaced.
 */
import fs from 'node:fs';
import path from 'node:path';

/** A write Dossier refuses to make: outside the project, over a concurrent edit, or while locked. */
export class WriteRefusedError extends Error {}

/** A file changed on disk between being read and being replaced; the person's version was kept. */
export class ChangedOnDiskError extends WriteRefusedError {
  constructor(readonly file: string) {
    super(`${file} changed on disk`);
  }
}

const isInside = (root: string, target: string) => {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
};

/**
 * The absolute path of `target` (absolute, or relative to `root`) after checking that writing it
 * stays inside the project root. Symlinks are resolved: the deepest part of the path that exists
 * (the file itself if it exists, else its nearest existing folder) is taken through `realpath`,
 * so a link to a folder elsewhere does not lead the write out. `shown` names the path in the error.
 */
export function insideProject(root: string, target: string, shown = target): string {
  const realRoot = fs.realpathSync(path.resolve(root));
  const absolute = path.resolve(root, target);
  let existing = absolute;
  const missing: string[] = [];
  while (!fs.existsSync(existing)) {
    const parent = path.dirname(existing);
    if (parent === existing) break;
    missing.unshift(path.basename(existing));
    existing = parent;
  }
  let real: string;
  try {
    real = path.join(fs.realpathSync(existing), ...missing);
  } catch {
    real = absolute;
  }
  if (!isInside(path.resolve(root), absolute) || !isInside(realRoot, real)) {
    throw new WriteRefusedError(
      `${shown} is outside the project (${path.resolve(root)}); Dossier writes records only inside the project root: give a path inside it`,
    );
  }
  return absolute;
}
