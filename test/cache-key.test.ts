// The user key that signs the cache files (src/load/signed-cache-file.ts): whoever else can read or
// replace it can sign a result file, and so make `check` print any report (a clean one, exit 0)
// for a project they can write to. A key, or its folder, open to others is not used: no cache.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { userKey } from '../src/load/signed-cache-file.js';

const posix = typeof process.getuid === 'function';

function keyHome(): { env: NodeJS.ProcessEnv; folder: string; file: string } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-key-home-'));
  const folder = path.join(home, 'dossier');
  return { env: { XDG_CACHE_HOME: home }, folder, file: path.join(folder, 'parse-cache.key') };
}

describe.runIf(posix)('the cache key', () => {
  it('is made readable by this user only, and used again', () => {
    const { env, file, folder } = keyHome();
    const key = userKey(env);
    expect(key?.length).toBe(32);
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    expect(fs.statSync(folder).mode & 0o077).toBe(0);
    expect(userKey(env)?.equals(key!)).toBe(true);
  });

  it('is not used when others may read or write it', () => {
    for (const mode of [0o644, 0o660, 0o666]) {
      const { env, file } = keyHome();
      expect(userKey(env)).toBeDefined();
      fs.chmodSync(file, mode);
      expect(userKey(env), `mode ${mode.toString(8)}`).toBeUndefined();
    }
  });

  it('is not used when others may replace it (its folder writable by them)', () => {
    const { env, folder } = keyHome();
    expect(userKey(env)).toBeDefined();
    fs.chmodSync(folder, 0o777);
    expect(userKey(env)).toBeUndefined();
  });

  it('is not made in a folder others may write (a shared cache home): no cache then', () => {
    const { env, folder, file } = keyHome();
    fs.mkdirSync(folder, { mode: 0o777 });
    fs.chmodSync(folder, 0o777);
    expect(userKey(env)).toBeUndefined();
    expect(fs.existsSync(file)).toBe(false);
  });
});
