/**
 * The files of `<project>/.dossier/cache/` (the parse cache, the result cache): each starts with a
 * magic string and an HMAC-SHA-256 of the rest under a key of this machine's user
 * (`~/.cache/dossier/parse-cache.key`, made on first use, readable by the user only), so that a file
 * that came with the project (committed, or restored from a CI cache another branch wrote) is never
 * used: only files this user's runs wrote are. A file that is missing, truncated, of another key or
 * that does not deserialize reads as none. Written to a temporary file renamed over the old one
 * (atomic on one file system, so concurrent runs see a whole file of some run, or none), never
 * through a symbolic link, and never throwing: a cache that cannot be written is just not written.
 * What these functions read is never an input of a result (src/util/input-trace.ts): a cache only
 * saves time.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { sha256Hex } from '../util/hash.js';
import { RACY_MS, untraced } from '../util/input-trace.js';
import { packageRoot } from '../util/package-files.js';
import { isUsersOwn, userCacheDir } from '../util/user-cache-dir.js';
import { DOSSIER_VERSION } from '../version.js';

/** The folder, below the project root. */
export const CACHE_DIR = path.join('.dossier', 'cache');

/** `DOSSIER_NO_CACHE=1` (any value but empty, 0 or false) turns the caches off. */
export function cacheDisabledByEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.DOSSIER_NO_CACHE;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/**
 * The user's key that signs the cache files (32 random bytes), made on first use; undefined when
 * there is no home folder to keep it in, or when others could read or replace it (a shared cache
 * home): whoever holds the key can sign a result file, so that `check` prints any report. No key,
 * no cache.
 */
export function userKey(env: NodeJS.ProcessEnv = process.env): Buffer | undefined {
  return untraced(() => makeUserKey(env));
}

function makeUserKey(env: NodeJS.ProcessEnv): Buffer | undefined {
  try {
    const folder = userCacheDir(env);
    const file = path.join(folder, 'parse-cache.key');
    try {
      const key = fs.readFileSync(file);
      if (key.length === 32) return privateKeyFile(folder, file) ? key : undefined;
    } catch {
      // none yet
    }
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    if (!privateKeyFile(folder)) return undefined;
    const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    fs.writeFileSync(temp, randomBytes(32), { mode: 0o600 });
    fs.renameSync(temp, file);
    // Two first runs at once: the key that stayed is the one to use.
    const key = fs.readFileSync(file);
    return key.length === 32 && privateKeyFile(folder, file) ? key : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the key's folder (and the key, when given) belong to this user, the folder writable by
 * no one else (nobody else can put another key in its place) and the key readable by no one else.
 * Where there are no user ids (Windows), the user's profile folder protects it.
 */
function privateKeyFile(folder: string, file?: string): boolean {
  if (process.getuid === undefined) return true;
  if (!isUsersOwn(fs.statSync(folder))) return false;
  return file === undefined || isUsersOwn(fs.statSync(file), 0o077);
}

const MAC_BYTES = 32;
const macOf = (key: Buffer, payload: Uint8Array): Buffer =>
  createHmac('sha256', key).update(payload).digest();

/**
 * This Dossier's version and build, so that a rebuilt, reinstalled or patched Dossier never takes
 * what another stored. A build is told by the identity (size, modification and change times, inode,
 * device) of every file of the folder of this code (the bundle's chunks in `dist/cli/`: any of them
 * may hold the rule that changed), of Dossier's data tables (`data/`, read when a command's module
 * loads, before any trace) and package.json, and by Node's version. Modification times alone do not
 * tell builds apart: npm installs every file of a package with the same time (1985-10-26); an
 * installation writes new files, with new change times and inodes. A file changed less than
 * {@link RACY_MS} ago makes the build one of its own (nothing kept is given, nothing written is
 * taken again). Taken once per process.
 */
export function buildId(): string {
  build ??= untraced(identifyBuild);
  return build;
}
let build: string | undefined;

function identifyBuild(): string {
  const unsettled = `dossier ${DOSSIER_VERSION}\0unsettled ${randomBytes(16).toString('hex')}`;
  const now = Date.now();
  const hash = createHash('sha256');
  try {
    const code = path.dirname(fileURLToPath(import.meta.url));
    const root = packageRoot();
    const files = [
      ...fs.readdirSync(code).map((name) => path.join(code, name)),
      ...fs
        .readdirSync(path.join(root, 'data'), { recursive: true })
        .map((rel) => path.join(root, 'data', String(rel))),
      path.join(root, 'package.json'),
    ].sort();
    for (const file of files) {
      const s = fs.statSync(file);
      if (!s.isFile()) continue;
      if (now - Math.max(s.mtimeMs, s.ctimeMs) < RACY_MS) return unsettled;
      hash.update(`${file}\0${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.ino}:${s.dev}\n`);
    }
  } catch {
    return unsettled; // the installation cannot be told: never the same as another
  }
  return `dossier ${DOSSIER_VERSION}\0node ${process.version}\0build ${hash.digest('hex')}`;
}

/** sha256 of a text, as hex. */
export const sha256Text = (text: string): string => sha256Hex(text);

/** The value a signed cache file holds, when it is whole and of this user; else undefined. */
export function readSigned(file: string, magic: Buffer, key: Buffer): unknown {
  let bytes: Buffer;
  try {
    bytes = untraced(() => fs.readFileSync(file));
  } catch {
    return undefined;
  }
  const head = magic.length;
  if (bytes.length < head + MAC_BYTES || !bytes.subarray(0, head).equals(magic)) return undefined;
  const payload = bytes.subarray(head + MAC_BYTES);
  if (!timingSafeEqual(bytes.subarray(head, head + MAC_BYTES), macOf(key, payload))) return undefined;
  try {
    return v8.deserialize(payload);
  } catch {
    return undefined;
  }
}

/** Whether `dir` (below `root`) and every folder between are real folders, not symbolic links. */
function noLinksBetween(root: string, dir: string): boolean {
  for (let d = dir; d.length > root.length && d.startsWith(root); d = path.dirname(d)) {
    try {
      if (fs.lstatSync(d).isSymbolicLink()) return false;
    } catch {
      // not there yet: made by mkdir below a real folder
    }
  }
  return true;
}

/**
 * Writes `value` (V8's serialization) signed to `<root>/.dossier/cache/<name>`: to a temporary file
 * renamed over it. Never throws; returns whether it was written.
 */
export function writeSigned(root: string, name: string, magic: Buffer, key: Buffer, value: unknown): boolean {
  return untraced(() => write(root, name, magic, key, value));
}

function write(root: string, name: string, magic: Buffer, key: Buffer, value: unknown): boolean {
  const dir = path.join(root, CACHE_DIR);
  const temp = path.join(dir, `${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    if (!noLinksBetween(root, dir)) return false;
    if (!fs.existsSync(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      // Never committed, even where .dossier/ is not ignored (a project not made by dossier init).
      fs.writeFileSync(path.join(dir, '.gitignore'), '# Dossier caches: safe to delete\n*\n');
    }
    const payload = v8.serialize(value);
    fs.writeFileSync(temp, Buffer.concat([magic, macOf(key, payload), payload]), { flag: 'wx' });
    fs.renameSync(temp, path.join(dir, name));
    return true;
  } catch {
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      // nothing left to do
    }
    return false;
  }
}
