/**
 * The parse cache: the YAML of record files as parsed before, kept between runs in
 * `<project>/.dossier/cache/` (docs/config.md#the-parse-cache).
 *
 * What it holds: for each YAML text parsed without error by js-yaml (a collection file, a Markdown
 * file's front matter), the value it gave, keyed by the SHA-256 of the text. Texts the fast reader
 * takes (src/load/simple-yaml.ts, nearly all record files) keep no value: reading them again is faster
 * than reading a stored value back. A run reads every record file as always, hashes the YAML it
 * would parse, and takes the stored value for a hash it knows instead of parsing; everything after
 * the parse (records, validation, rules, positions) runs as without the cache, so the cache can
 * only save time, never change a diagnostic. A text that did not parse is
 * never stored: its error is found again, with its position.
 *
 * It also holds the schema memo: which record values (named by their text's hash and their place in
 * it, see src/load/schema-memo.ts) passed their kind's schema, so that a warm run does not check them
 * again. Only passes are kept: a value that failed is checked again and its findings made afresh.
 * Each pass is kept with the record's content fingerprint, so that a warm run does not compute the
 * fingerprints of 100,000 records again either. For a Markdown
 * file the hash is of the whole file, so that it names the body (the one part of a record that is
 * not in its YAML) too: a value is then kept per file rather than per front matter.
 *
 * Never trusted blindly: the file starts with a magic string and an HMAC-SHA-256 of the rest under a
 * key of this machine's user (`~/.cache/dossier/parse-cache.key`, made on first use, readable by the
 * user only), so that a cache file that came with the project (committed, or restored from a CI cache
 * another branch wrote) is never used: only files this user's runs wrote are. It belongs to one
 * Dossier version and build and one dossier.yaml (a key over the three), and each value is kept
 * serialized on its own. A file that is missing, truncated, corrupted, of another key or that does
 * not deserialize is ignored (and replaced at the end of the run); an entry that does not deserialize
 * is parsed again. Nothing is written through a symbolic link (`.dossier` or its `cache` folder). Each value is deserialized afresh on each use, so nothing a run does to a record
 * can reach the cache.
 *
 * Safe against concurrent runs: the file is read once at the start and written, when something
 * changed, to a temporary file renamed over it (atomic on one file system): a run sees a whole file
 * of some run, or none. Bounded: a run writes only the entries of the files it read (deleted and
 * changed files drop out), and nothing when they would pass {@link MAX_CACHE_BYTES}.
 *
 * Off with `--no-cache` or `DOSSIER_NO_CACHE=1`; deleting the folder is always safe.
 */
import path from 'node:path';
import v8 from 'node:v8';
import { parseWithJsYaml, type YamlParser } from './read-file.js';
import type { SchemaMemo } from './schema-memo.js';
import { buildId, CACHE_DIR, readSigned, sha256Text, userKey, writeSigned } from './signed-cache-file.js';
import { DECLINED, parseSimpleYaml } from './simple-yaml.js';

export { CACHE_DIR, cacheDisabledByEnv, sha256Text } from './signed-cache-file.js';

/** The file of the parse cache in {@link CACHE_DIR}. */
export const PARSE_CACHE_FILE = 'parse-v1.bin';
const MAGIC = Buffer.from('DOSSIER-PARSE-CACHE-1\n', 'latin1');
/** A cache larger than this is not written (a project far above 100,000 records). */
export const MAX_CACHE_BYTES = 1024 * 1024 * 1024;

const FINGERPRINT = /^fp1:[0-9a-f]{64}$/;

/**
 * What a stored value depends on besides its text: the Dossier version and build (the parser may
 * change with either) and the project's dossier.yaml.
 */
function cacheKey(configText: string): string {
  return sha256Text(`${buildId()}\0config ${sha256Text(configText)}\0format 5`);
}

interface Stored {
  readonly key: string;
  readonly entries: Map<string, Uint8Array>;
  /**
   * The schema memo (src/load/schema-memo.ts): by text hash, the slots of the values that passed,
   * each with its record's content fingerprint.
   */
  readonly passed: Map<string, Map<string, string>>;
}

/** The stored file's entries and memo, when it is whole, of this key and of the expected shape; else none. */
function readStored(file: string, key: string, mac: Buffer): Omit<Stored, 'key'> | undefined {
  const stored = readSigned(file, MAGIC, mac);
  if (typeof stored !== 'object' || stored === null) return undefined;
  const { key: storedKey, entries, passed } = stored as Partial<Stored>;
  if (storedKey !== key || !(entries instanceof Map) || !(passed instanceof Map)) return undefined;
  for (const [hash, value] of entries)
    if (typeof hash !== 'string' || !(value instanceof Uint8Array)) return undefined;
  for (const [hash, slots] of passed) {
    if (typeof hash !== 'string' || !(slots instanceof Map)) return undefined;
    for (const [slot, fp] of slots)
      if (typeof slot !== 'string' || typeof fp !== 'string' || !FINGERPRINT.test(fp)) return undefined;
  }
  return { entries, passed };
}

/** First byte of an entry kept as JSON text; an entry in V8's format starts with 0xFF. */
const JSON_ENTRY = 0x4a; // 'J'

/**
 * Serializes a parsed value for the cache; undefined when it cannot be (then it is not stored). JSON
 * when it keeps the value exactly (reading it back is about twice as fast as V8's format, which a
 * warm run does once per record file), else V8's format: a number JSON cannot hold (NaN, ±Infinity,
 * -0, all of which YAML can write) needs it.
 */
export function serializeValue(value: unknown): Uint8Array | undefined {
  const json = jsonOf(value);
  if (json !== undefined) {
    const bytes = Buffer.allocUnsafe(1 + Buffer.byteLength(json));
    bytes[0] = JSON_ENTRY;
    bytes.write(json, 1, 'utf8');
    return bytes;
  }
  try {
    return v8.serialize(value);
  } catch {
    return undefined;
  }
}

/** The value as JSON text when JSON holds it exactly; undefined when not (or it refers to itself). */
function jsonOf(value: unknown): string | undefined {
  let exact = true;
  try {
    const json = JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) exact = false;
      return v;
    });
    return exact ? json : undefined;
  } catch {
    return undefined;
  }
}

/** The value of an entry written by {@link serializeValue}; throws when it does not read. */
export function deserializeValue(bytes: Uint8Array): unknown {
  if (bytes[0] === JSON_ENTRY)
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 1, bytes.length - 1).toString('utf8'));
  return v8.deserialize(bytes);
}

export class ParseCache implements SchemaMemo {
  readonly #root: string;
  readonly #key: string;
  readonly #mac: Buffer;
  /** What the file held (empty when there was none, or it was not usable). */
  readonly #stored: Map<string, Uint8Array>;
  /** The entries of this run: the stored ones used, and the new ones. */
  readonly #used = new Map<string, Uint8Array>();
  #added = 0;
  /** The schema memo as the file held it, and as this run used and extended it. */
  readonly #passedStored: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly #passedUsed = new Map<string, Map<string, string>>();
  #passedAdded = 0;
  /** How many schema checks the memo saved (for tests and benchmarks). */
  schemaChecksSaved = 0;
  /** How many fingerprints it saved computing: one with each schema check (for tests and benchmarks). */
  get fingerprintsSaved(): number {
    return this.schemaChecksSaved;
  }
  /** How many texts were found in the cache (for tests and benchmarks). */
  hits = 0;
  /** How many were parsed. */
  misses = 0;

  private constructor(root: string, key: string, mac: Buffer, stored: Omit<Stored, 'key'>) {
    this.#root = root;
    this.#key = key;
    this.#mac = mac;
    this.#stored = stored.entries;
    this.#passedStored = stored.passed;
  }

  /**
   * The cache of the project at `root` for this dossier.yaml text; undefined when the user has no
   * key (no home folder). Never throws.
   */
  static open(root: string, configText: string): ParseCache | undefined {
    const mac = userKey();
    if (!mac) return undefined;
    const file = path.join(root, CACHE_DIR, PARSE_CACHE_FILE);
    const key = cacheKey(configText);
    return new ParseCache(
      root,
      key,
      mac,
      readStored(file, key, mac) ?? { entries: new Map(), passed: new Map() },
    );
  }

  /** Whether the file held entries (for tests). */
  get warm(): boolean {
    return this.#stored.size > 0;
  }

  /**
   * `parseYaml` (read-file.ts) with the cache: a plain text read by the fast reader, else the stored
   * value of the same text (or key text), else parsed by js-yaml (and kept).
   */
  readonly parse: YamlParser = (text, file, lineOffset, keyText) => {
    const hash = sha256Text(keyText ?? text);
    // Plain YAML is read again faster than a stored value is read back (src/load/simple-yaml.ts):
    // only the values of other texts are kept. The hash still names the text for the schema memo.
    const simple = parseSimpleYaml(text);
    if (simple !== DECLINED) return { value: simple, textHash: hash };
    const stored = this.#used.get(hash) ?? this.#stored.get(hash);
    if (stored) {
      let value: unknown;
      let ok = true;
      try {
        value = deserializeValue(stored);
      } catch {
        ok = false;
      }
      if (ok) {
        this.hits++;
        this.#used.set(hash, stored);
        return { value, textHash: hash };
      }
      this.#stored.delete(hash);
      this.#used.delete(hash);
    }
    this.misses++;
    const parsed = parseWithJsYaml(text, file, lineOffset);
    if (parsed.finding) return parsed;
    const bytes = serializeValue(parsed.value);
    if (bytes) this.add(hash, bytes);
    return { ...parsed, textHash: hash };
  };

  /** Whether the record value in this slot of this text passed its schema before (kept for the next run). */
  passed(textHash: string, slot: string): boolean {
    return this.recall(textHash, slot) !== undefined;
  }

  /**
   * The fingerprint of the record value in this slot of this text when it passed its schema before
   * (kept for the next run); undefined when it is not known to pass.
   */
  recall(textHash: string, slot: string): string | undefined {
    const used = this.#passedUsed.get(textHash);
    let fingerprint = used?.get(slot);
    if (fingerprint === undefined) {
      fingerprint = this.#passedStored.get(textHash)?.get(slot);
      if (fingerprint === undefined) return undefined;
      this.#use(textHash, used).set(slot, fingerprint);
    }
    this.schemaChecksSaved++;
    return fingerprint;
  }

  /** Keeps that the record value in this slot of this text passed its schema, with its record's fingerprint. */
  remember(textHash: string, slot: string, fingerprint: string): void {
    const used = this.#use(textHash, this.#passedUsed.get(textHash));
    if (used.has(slot)) return;
    used.set(slot, fingerprint);
    if (this.#passedStored.get(textHash)?.get(slot) !== fingerprint) this.#passedAdded++;
  }

  /** Keeps a value parsed in this run (the parser's misses; tests put damaged entries with it). */
  add(hash: string, value: Uint8Array): void {
    if (!this.#used.has(hash)) this.#added++;
    this.#used.set(hash, value);
  }

  /** The slots of a text this run used (made when it has none yet). */
  #use(textHash: string, used: Map<string, string> | undefined): Map<string, string> {
    if (used) return used;
    const made = new Map<string, string>();
    this.#passedUsed.set(textHash, made);
    return made;
  }

  /**
   * Writes the entries of this run when they differ from the file's (new texts, or texts no longer
   * read): to a temporary file, renamed over the cache. Never throws: a cache that cannot be
   * written (a read-only checkout) is just not written.
   */
  save(): void {
    const dropped =
      [...this.#stored.keys()].some((hash) => !this.#used.has(hash)) ||
      [...this.#passedStored].some(([hash, slots]) =>
        [...slots.keys()].some((slot) => !this.#passedUsed.get(hash)?.has(slot)),
      );
    if (this.#added === 0 && this.#passedAdded === 0 && !dropped) return;
    let size = 0;
    for (const value of this.#used.values()) size += value.length + 80;
    for (const slots of this.#passedUsed.values()) size += 80 + 110 * slots.size;
    if (size > MAX_CACHE_BYTES) return;
    writeSigned(this.#root, PARSE_CACHE_FILE, MAGIC, this.#mac, {
      key: this.#key,
      entries: this.#used,
      passed: this.#passedUsed,
    } satisfies Stored);
  }
}
