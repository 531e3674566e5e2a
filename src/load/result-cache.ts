/**
 * The result cache: a command's whole output (its text and exit code) kept in
 * `<project>/.dossier/cache/results-v1.bin`, and given again while nothing it was computed from has
 * changed (docs/config.md#the-result-cache).
 *
 * What "nothing changed" means: the same Dossier build, the same command with the same options, the
 * same working folder, the same day (rules judge dates against today), the same `DOSSIER_*` and other
 * variables Dossier reads from the environment ({@link RESULT_ENV}), and every observation the run
 * made of the file system (src/util/input-trace.ts: each file it read by its identity, each folder
 * it listed by its entries, each path it found missing as missing) giving the same answer again. A run
 * that could not be fully traced (git asked, a file changed less than 2 s before it, an unreadable
 * file, an interrupted write settled, records that did not load) is not kept. A result is given only
 * as it was written by this user's runs (src/load/signed-cache-file.ts), never from a file that came
 * with the project.
 *
 * Off with `--no-cache` or `DOSSIER_NO_CACHE=1`, like the parse cache; deleting the folder is always safe.
 */
import path from 'node:path';
import { today } from '../util/clock.js';
import { type InputTrace, inputsUnchanged } from '../util/input-trace.js';
import { buildId, CACHE_DIR, readSigned, sha256Text, userKey, writeSigned } from './signed-cache-file.js';

/** The file of the result cache in {@link CACHE_DIR}. */
export const RESULT_CACHE_FILE = 'results-v1.bin';
const MAGIC = Buffer.from('DOSSIER-RESULT-CACHE-1\n', 'latin1');
/** Results kept per project: a few commands and formats (the newest first). */
export const MAX_RESULTS = 6;
/**
 * The size the kept results may take together (their texts and observations, in characters), so
 * that reading the file stays a small part of a run: at 100,000 records one result is about 25 MB,
 * and every run reads all the kept ones. The newest result is kept whatever its size.
 */
export const MAX_RESULT_CHARS = 64 * 1024 * 1024;

/** About how much of the file an entry takes. */
function sizeOf(entry: Entry): number {
  let size = entry.text.length;
  for (const o of entry.observations) size += o.length;
  for (const s of entry.states) size += s.length;
  return size;
}

/** The newest entries that fit {@link MAX_RESULTS} and the size budget (the first always). */
export function entriesToKeep<E extends Entry>(newestFirst: readonly E[], budget = MAX_RESULT_CHARS): E[] {
  const kept: E[] = [];
  let size = 0;
  for (const entry of newestFirst) {
    size += sizeOf(entry);
    if (kept.length > 0 && (size > budget || kept.length >= MAX_RESULTS)) break;
    kept.push(entry);
  }
  return kept;
}

/**
 * The environment variables a result may depend on: Dossier's own, the date and colour settings,
 * where the user's cache key lives, the locale (the order of some lists follows its collation), and
 * those that tell git where the repository is (src/util/git-head-file.ts reads them; a run that asks
 * git is not kept anyway), and NODE_OPTIONS (the code cache reads it: src/cli/code-cache.ts).
 * test/result-cache.test.ts holds every variable the code reads to this list.
 */
export const RESULT_ENV =
  /^(DOSSIER_\w*|SOURCE_DATE_EPOCH|NO_COLOR|FORCE_COLOR|TZ|HOME|XDG_CACHE_HOME|LANG|LANGUAGE|LC_\w+|GIT_DIR|GIT_COMMON_DIR|GIT_WORK_TREE|GIT_CEILING_DIRECTORIES|GIT_OBJECT_DIRECTORY|NODE_OPTIONS)$/;

/** A command's output: what it printed and how it exited. */
export interface CommandResult {
  readonly text: string;
  readonly exitCode: number;
}

/** One kept result: its variant, its output, and the observations it was computed from. */
export interface Entry extends CommandResult {
  readonly variant: string;
  readonly observations: string[];
  readonly states: string[];
}

interface Stored {
  readonly build: string;
  readonly entries: Entry[];
}

/**
 * Names one way of running a command: the command, its options (anything that shapes its output),
 * the working folder, today's date, the environment variables of {@link RESULT_ENV} and the build;
 * undefined when there is no such way (an invalid DOSSIER_TODAY).
 */
export function resultVariant(command: string, options: Record<string, unknown>): string | undefined {
  let day: string;
  try {
    day = today();
  } catch {
    return undefined; // DOSSIER_TODAY is not a date: the command says so itself
  }
  const env = Object.entries(process.env)
    .filter(([name]) => RESULT_ENV.test(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sha256Text(
    JSON.stringify({ command, options, cwd: process.cwd(), today: day, env, build: buildId() }),
  );
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

function isEntry(v: unknown): v is Entry {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Partial<Entry>;
  return (
    typeof e.variant === 'string' &&
    typeof e.text === 'string' &&
    Number.isInteger(e.exitCode) &&
    isStrings(e.observations) &&
    isStrings(e.states) &&
    e.observations.length === e.states.length
  );
}

/** The entries of the project's result file of this build, when it is whole and this user's. */
function readEntries(root: string, key: Buffer): Entry[] {
  const stored = readSigned(path.join(root, CACHE_DIR, RESULT_CACHE_FILE), MAGIC, key) as
    | Partial<Stored>
    | undefined;
  if (!stored || stored.build !== buildId() || !Array.isArray(stored.entries)) return [];
  return stored.entries.every(isEntry) ? stored.entries : [];
}

/**
 * The kept result of this variant in the project at `root` when everything it was computed from is
 * unchanged; undefined otherwise (then run the command). Never throws.
 */
export function recallResult(root: string, variant: string): CommandResult | undefined {
  const key = userKey();
  if (!key) return undefined;
  const entry = readEntries(root, key).find((e) => e.variant === variant);
  if (!entry || !inputsUnchanged(entry.observations, entry.states)) return undefined;
  return { text: entry.text, exitCode: entry.exitCode };
}

/**
 * Keeps the result of a traced run of this variant, unless the trace says it may not be reused.
 * Returns why it was not kept, or undefined when it was. Never throws.
 */
export function keepResult(
  root: string,
  variant: string,
  trace: InputTrace,
  result: CommandResult,
): string | undefined {
  if (trace.notReusable) return trace.notReusable;
  const key = userKey();
  if (!key) return 'no cache key (no home folder)';
  const { observations, states } = trace.inputs();
  const entry: Entry = { variant, text: result.text, exitCode: result.exitCode, observations, states };
  const others = readEntries(root, key).filter((e) => e.variant !== variant);
  const stored: Stored = { build: buildId(), entries: entriesToKeep([entry, ...others]) };
  return writeSigned(root, RESULT_CACHE_FILE, MAGIC, key, stored)
    ? undefined
    : 'the cache could not be written';
}
