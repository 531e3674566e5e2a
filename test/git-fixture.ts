/** A scripted git repository for history tests: deterministic authors and dates, no global config. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface GitFixture {
  /** The repository's top folder. */
  readonly top: string;
  /** Runs git in the repository; throws with git's message when it fails. */
  git(...args: string[]): string;
  /** Writes files (paths relative to the top; content, or null to delete). */
  write(files: Record<string, string | Buffer | null>): void;
  /** Stages everything and commits; returns the commit id. Dates advance a day per commit. */
  commit(message: string, author?: string): string;
}

export function gitFixture(): GitFixture {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-git-'));
  let day = 0;
  const env = (date?: string) => ({
    ...process.env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}),
  });
  const run = (args: string[], date?: string) => {
    const r = spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
      cwd: top,
      encoding: 'utf8',
      env: env(date),
    });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  run(['init', '-q', '-b', 'main']);
  return {
    top,
    git: (...args) => run(args),
    write(files) {
      for (const [rel, content] of Object.entries(files)) {
        const file = path.join(top, rel);
        if (content === null) fs.rmSync(file, { force: true });
        else {
          fs.mkdirSync(path.dirname(file), { recursive: true });
          fs.writeFileSync(file, content);
        }
      }
    },
    commit(message, author) {
      day++;
      const date = `2026-01-${String(day).padStart(2, '0')}T10:00:00Z`;
      run(['add', '-A']);
      run(
        [...(author ? ['-c', `user.name=${author}`] : []), 'commit', '-q', '--allow-empty', '-m', message],
        date,
      );
      return run(['rev-parse', 'HEAD']).trim();
    },
  };
}
