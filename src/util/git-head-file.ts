/**
 * The commit HEAD names, read from the repository's own files instead of asking git: a process that
 * keeps answers git gave about HEAD's history (`dossier serve`, analysing again after every edit)
 * keys them by it, so it knows without starting git that they still hold.
 *
 * Undefined whenever the layout is not the plain one this reads: git told where the repository is
 * by the environment, a reftable, replace refs or grafts (they change history without changing
 * HEAD), a ref that cannot be resolved. The caller then asks git as before.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Whether the environment moves or reshapes the repository git would use. */
function relocated(env = process.env): boolean {
  return (
    env.GIT_DIR !== undefined ||
    env.GIT_COMMON_DIR !== undefined ||
    env.GIT_WORK_TREE !== undefined ||
    env.GIT_CEILING_DIRECTORIES !== undefined ||
    env.GIT_OBJECT_DIRECTORY !== undefined
  );
}

export function headCommitFromFiles(dir: string): string | undefined {
  if (relocated()) return undefined;
  const gitDir = gitDirOf(dir);
  if (!gitDir) return undefined;
  const common = readText(path.join(gitDir, 'commondir'));
  const commonDir = common === undefined ? gitDir : path.resolve(gitDir, common.trim());
  if (
    fs.existsSync(path.join(commonDir, 'reftable')) ||
    fs.existsSync(path.join(commonDir, 'info', 'grafts')) ||
    hasEntries(path.join(commonDir, 'refs', 'replace'))
  )
    return undefined;
  const packed = readText(path.join(commonDir, 'packed-refs'));
  if (packed?.includes(' refs/replace/')) return undefined;
  let content = readText(path.join(gitDir, 'HEAD'))?.trim();
  for (let hops = 0; content !== undefined && hops < 5; hops++) {
    if (/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(content)) return withShallow(content, commonDir);
    const ref = /^ref: (refs\/[^\s]+)$/.exec(content)?.[1];
    if (!ref || ref.split('/').includes('..')) return undefined;
    // A worktree's own refs are in its folder, the shared ones in the common folder.
    content = (
      readText(path.join(gitDir, ref)) ??
      readText(path.join(commonDir, ref)) ??
      packedRef(packed, ref)
    )?.trim();
  }
  return undefined;
}

/** The `.git` folder above `dir` (a worktree's `.git` file names its folder). */
function gitDirOf(dir: string): string | undefined {
  for (let at = path.resolve(dir); ; ) {
    const dotGit = path.join(at, '.git');
    let stat: fs.Stats;
    try {
      stat = fs.statSync(dotGit);
    } catch {
      const up = path.dirname(at);
      if (up === at) return undefined;
      at = up;
      continue;
    }
    if (stat.isDirectory()) return dotGit;
    const named = /^gitdir: (.+)$/m.exec(readText(dotGit) ?? '')?.[1]?.trim();
    return named ? path.resolve(at, named) : undefined;
  }
}

/** A shallow clone's history grows when it is deepened: its boundary is part of the key. */
function withShallow(commit: string, commonDir: string): string {
  const shallow = readText(path.join(commonDir, 'shallow'));
  return shallow === undefined ? commit : `${commit} shallow:${shallow.replace(/\s+/g, ',')}`;
}

function packedRef(packed: string | undefined, ref: string): string | undefined {
  if (packed === undefined) return undefined;
  for (const line of packed.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0 && line.slice(space + 1).trim() === ref) return line.slice(0, space);
  }
  return undefined;
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function hasEntries(folder: string): boolean {
  try {
    return fs.readdirSync(folder).length > 0;
  } catch {
    return false;
  }
}
