/**
 * Imports OSV advisories into the store from an osv.dev per-ecosystem `all.zip`, a folder (searched
 * recursively) of OSV `.json`/`.yaml`/`.yml` files, or one such file. Each import is one transaction.
 */
import fs from 'node:fs';
import path from 'node:path';
import { formatBytes, formatLimit, type Limits, limitsOf, raiseHint } from '../../model/limits.js';
import { looksLikeKev } from '../kev/catalog.js';
import { importNvdFile, type NvdTally } from '../nvd/import.js';
import { looksLikeNvd, NvdStreamError, readHead } from '../nvd/stream.js';
import { NVD_SOURCE } from '../nvd/types.js';
import { GIT_SOURCE, isRepoKeyedEcosystem, reposOfRecord } from '../osv/git.js';
import { readZipTextEntries, ZipArchiveError, ZipLimitError, zipLimitsOf } from '../osv/read-zip.js';
import type { OsvRecord } from '../osv/types.js';
import { comparatorFor } from '../versions/index.js';
import { ecosystemBase, validateOsvRecord } from './osv-schema.js';
import { parseOsvYaml } from './osv-yaml.js';
import type { AdvisoryStore, AdvisoryWriter, SnapshotBasis } from './store.js';
import { compareTimestamps, isMeaningfulTimestamp } from './timestamps.js';

/** The source cannot be imported at all (missing, unreadable, a damaged zip). Nothing was written. */
export class AdvisoryImportError extends Error {}

export interface ImportProgress {
  readonly source: string;
  /** Entries (files) read so far. */
  readonly read: number;
  readonly done: boolean;
}

export interface ImportOptions {
  readonly onProgress?: (progress: ImportProgress) => void;
  /** The import time to record (default: now). */
  readonly now?: Date;
  /** What to record as the source (default: the absolute path); `syncAdvisories` passes the URL. */
  readonly sourceLabel?: string;
  /**
   * Size limits (`maxZipEntryBytes`, `maxZipRatio`, `maxZipTotalBytes`); each one not given is its
   * default (src/model/limits.ts), so an import is always bounded.
   */
  readonly limits?: Partial<Limits>;
}

/** A record that was skipped because it breaks the OSV schema. */
export interface InvalidRecord {
  /** The zip entry or the file path relative to the imported folder. */
  readonly entry: string;
  readonly id?: string;
  readonly reason: string;
}

export interface ImportedEcosystem {
  /** OSV ecosystem name without a `:release` suffix. */
  readonly ecosystem: string;
  readonly records: number;
  readonly added: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly withdrawn: number;
  /** False when Dossier has no version comparator for it: stored, but versions cannot be matched. */
  readonly comparator: boolean;
  readonly snapshot: string | null;
  readonly snapshotBasis: SnapshotBasis | null;
}

export interface ImportSummary {
  readonly source: string;
  readonly kind: 'zip' | 'directory' | 'file';
  readonly importedAt: string;
  /** Valid records read (added + updated + unchanged). */
  readonly records: number;
  readonly added: number;
  readonly updated: number;
  /** Already stored with the same or a newer `modified`: left alone. */
  readonly unchanged: number;
  /** Valid records that are withdrawn (stored for the audit trail, never matched). */
  readonly withdrawn: number;
  readonly invalid: readonly InvalidRecord[];
  readonly ecosystems: readonly ImportedEcosystem[];
  /** The newest `modified` in the data (see {@link ImportedEcosystem.snapshotBasis}), or null. */
  readonly snapshot: string | null;
  readonly snapshotBasis: SnapshotBasis | null;
  /** What the user should know about the data (an NVD API page without its other pages). */
  readonly warnings: readonly string[];
}

interface SourceEntry {
  readonly name: string;
  readonly text: string;
  readonly lastModified?: Date;
  /** An NVD CVE API 2.0 file, streamed from disk rather than read into `text`. */
  readonly nvdFile?: string;
}

const OSV_FILE = /\.(json|ya?ml)$/i;
const isYaml = (name: string) => /\.ya?ml$/i.test(name);

function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  const entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue; // .git, editor files
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, child));
    else if (e.isFile() && OSV_FILE.test(e.name)) out.push(child);
  }
  return out;
}

/** Reads one OSV file of a folder (or the single file imported), refusing one over the entry limit. */
function readOsvFile(file: string, name: string, source: string, limits: Limits): SourceEntry {
  const size = fs.statSync(file).size;
  if (size > limits.maxZipEntryBytes)
    throw new AdvisoryImportError(
      `cannot import ${source}: ${name} is ${formatBytes(size)}, over the limit of ${formatLimit('maxZipEntryBytes', limits.maxZipEntryBytes)} for one advisory file (limits.maxZipEntryBytes); nothing was imported. If the file is genuine, ${raiseHint('maxZipEntryBytes')}`,
    );
  return { name, text: fs.readFileSync(file, 'utf8') };
}

/**
 * An NVD JSON file is streamed (a year file is hundreds of megabytes); an OSV one read whole. A
 * retired NVD 1.1 feed is refused by name rather than skipped as invalid OSV.
 */
function sourceFile(file: string, name: string, source: string, limits: Limits): SourceEntry {
  if (/\.json$/i.test(name)) {
    const head = readHead(file);
    if (looksLikeKev(head))
      throw new AdvisoryImportError(
        `cannot import ${source}: ${name} is a CISA KEV catalog; give it as a source of its own ("dossier advisories import ${file}"); nothing was imported`,
      );
    const kind = looksLikeNvd(head);
    if (kind === 'nvd-1.1')
      throw new AdvisoryImportError(
        `cannot import ${source}: ${name} is an NVD 1.1 JSON feed, which NVD retired; give NVD CVE API 2.0 JSON (API pages, or the fkie-cad/nvd-json-data-feeds files); nothing was imported`,
      );
    if (kind) return { name, text: '', nvdFile: file };
  }
  return readOsvFile(file, name, source, limits);
}

async function* directoryEntries(dir: string, source: string, limits: Limits): AsyncGenerator<SourceEntry> {
  for (const name of listFiles(dir)) yield sourceFile(path.join(dir, name), name, source, limits);
}

/** The one-line refusal of an archive over a limit: the entry, what was found, the limit, how to raise it. */
function zipLimitMessage(source: string, error: ZipLimitError): string {
  const entry = `zip entry ${JSON.stringify(error.entry)}`;
  const refused = `cannot import ${source}`;
  if (error.kind === 'declared')
    return `${refused}: ${entry} inflates to more than the ${formatBytes(error.limit)} its central directory declares, so the archive is damaged or forged; reading stopped there and nothing was imported. Download it again ("dossier advisories sync") or check the file`;
  const key =
    error.kind === 'entry' ? 'maxZipEntryBytes' : error.kind === 'ratio' ? 'maxZipRatio' : 'maxZipTotalBytes';
  const found =
    error.kind === 'entry'
      ? `${entry} is ${formatBytes(error.found)} uncompressed`
      : error.kind === 'ratio'
        ? `${entry} has a compression ratio of ${Number.isFinite(error.found) ? `${Math.round(error.found)}:1` : 'infinity (a compressed size of 0)'}`
        : `its entries up to ${JSON.stringify(error.entry)} add up to ${formatBytes(error.found)} uncompressed`;
  return `${refused}: ${found}, over the limit of ${formatLimit(key, error.limit)} (limits.${key}); nothing was imported. A zip this size or ratio is not an OSV archive but may be a "zip bomb"; if the archive is genuine, ${raiseHint(key)}`;
}

function isZip(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const magic = Buffer.alloc(4);
    const n = fs.readSync(fd, magic, 0, 4, 0);
    return n === 4 && magic.readUInt32LE(0) === 0x04034b50;
  } finally {
    fs.closeSync(fd);
  }
}

function parseEntry(entry: SourceEntry): unknown {
  if (isYaml(entry.name)) return parseOsvYaml(entry.text);
  return JSON.parse(entry.text.charCodeAt(0) === 0xfeff ? entry.text.slice(1) : entry.text);
}

/** An NVD tally, and the newest archive entry date (zip imports of records without dates). */
interface Tally extends NvdTally {
  archiveDate: Date | null;
}

const newTally = (): Tally => ({
  records: 0,
  added: 0,
  updated: 0,
  unchanged: 0,
  withdrawn: 0,
  snapshot: null,
  archiveDate: null,
});

function snapshotOf(t: Tally): { snapshot: string | null; snapshotBasis: SnapshotBasis | null } {
  if (t.snapshot) return { snapshot: t.snapshot, snapshotBasis: 'modified' };
  if (t.archiveDate) return { snapshot: t.archiveDate.toISOString(), snapshotBasis: 'archive-dates' };
  return { snapshot: null, snapshotBasis: null };
}

type Outcome = 'added' | 'updated' | 'unchanged';

/** Incremental by `modified`: newer replaces; same or older is left alone. */
function store(writer: AdvisoryWriter, record: OsvRecord, raw: string): Outcome {
  const stored = writer.storedModified(record.id);
  if (stored === undefined) {
    writer.put(record, raw);
    return 'added';
  }
  const order = compareTimestamps(record.modified, stored);
  // golang/vulndb files carry the zero time in `modified`, so the date cannot say whether the
  // record changed: compare the content instead.
  const undated = order === 0 && !isMeaningfulTimestamp(record.modified);
  if (order > 0 || (undated && writer.storedRaw(record.id) !== raw)) {
    writer.put(record, raw);
    return 'updated';
  }
  return 'unchanged';
}

/**
 * Imports one source into the store in a single transaction. A damaged or truncated zip, or an
 * unreadable source, throws {@link AdvisoryImportError} and writes nothing; a record that breaks the
 * OSV schema is skipped and listed in `invalid` while the rest is imported.
 */
export async function importAdvisories(
  advisoryStore: AdvisoryStore,
  source: string,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const resolved = path.resolve(source);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(resolved);
  } catch {
    throw new AdvisoryImportError(
      `cannot import ${source}: no such file or folder (give an osv.dev all.zip, a folder of OSV .json/.yaml files, or NVD CVE API 2.0 JSON)`,
    );
  }
  const limits = limitsOf(undefined, options.limits);
  let kind: ImportSummary['kind'];
  let entries: () => AsyncGenerator<SourceEntry>;
  try {
    if (stat.isDirectory()) {
      kind = 'directory';
      entries = () => directoryEntries(resolved, source, limits);
    } else if (isZip(resolved)) {
      kind = 'zip';
      entries = () =>
        readZipTextEntries(resolved, {
          accept: (name) => OSV_FILE.test(name),
          verifyCrc: true,
          limits: zipLimitsOf(limits),
        });
    } else if (OSV_FILE.test(resolved)) {
      kind = 'file';
      entries = async function* () {
        yield sourceFile(resolved, path.basename(resolved), source, limits);
      };
    } else {
      throw new AdvisoryImportError(
        `cannot import ${source}: not a zip archive, a folder, an OSV .json/.yaml file or NVD CVE API 2.0 JSON (a download cut short? run "dossier advisories sync" again)`,
      );
    }
  } catch (error) {
    if (error instanceof AdvisoryImportError) throw error;
    throw new AdvisoryImportError(`cannot import ${source}: ${(error as Error).message}`);
  }

  const label = options.sourceLabel ?? resolved;
  const importedAt = (options.now ?? new Date()).toISOString();
  const invalid: InvalidRecord[] = [];
  const total = newTally();
  const perEcosystem = new Map<string, Tally>();
  let read = 0;

  const warnings: string[] = [];
  const run = async (writer: AdvisoryWriter): Promise<void> => {
    for await (const entry of entries()) {
      if (entry.nvdFile) {
        const nvd = perEcosystem.get(NVD_SOURCE) ?? newTally();
        perEcosystem.set(NVD_SOURCE, nvd);
        const before = { ...nvd };
        let result: Awaited<ReturnType<typeof importNvdFile>>;
        try {
          result = await importNvdFile(writer, entry.nvdFile, entry.name, nvd, {
            maxRecordBytes: limits.maxZipEntryBytes,
            onRecord: () => {
              read++;
              if (read % 250 === 0) options.onProgress?.({ source: label, read, done: false });
            },
          });
        } catch (error) {
          if (error instanceof NvdStreamError)
            throw new AdvisoryImportError(
              `cannot import ${source}: ${entry.name} is not readable NVD CVE API 2.0 JSON (${error.message}); nothing was imported`,
            );
          throw error;
        }
        invalid.push(...result.invalid);
        warnings.push(...result.warnings);
        for (const key of ['records', 'added', 'updated', 'unchanged', 'withdrawn'] as const)
          total[key] += nvd[key] - before[key];
        if (nvd.snapshot && (!total.snapshot || compareTimestamps(nvd.snapshot, total.snapshot) > 0))
          total.snapshot = nvd.snapshot;
        continue;
      }
      read++;
      if (read % 250 === 0) options.onProgress?.({ source: label, read, done: false });
      let value: unknown;
      try {
        value = parseEntry(entry);
      } catch (error) {
        invalid.push({
          entry: entry.name,
          reason: `not valid ${isYaml(entry.name) ? 'YAML' : 'JSON'}: ${(error as Error).message}`,
        });
        continue;
      }
      const checked = validateOsvRecord(value);
      if (!checked.ok) {
        const id = (value as { id?: unknown } | null)?.id;
        invalid.push({
          entry: entry.name,
          ...(typeof id === 'string' ? { id } : {}),
          reason: checked.reason,
        });
        continue;
      }
      const record = checked.record;
      const outcome = store(writer, record, JSON.stringify(record));
      const ecosystems = new Set(
        (record.affected ?? []).flatMap((a) => (a.package ? [ecosystemBase(a.package.ecosystem)] : [])),
      );
      // Advisories keyed by repository (GIT ranges; OSS-Fuzz, NVD-converted CVEs) count under GIT.
      if (reposOfRecord(record).length > 0) ecosystems.add(GIT_SOURCE);
      const tallies = [total];
      for (const ecosystem of ecosystems) {
        const t = perEcosystem.get(ecosystem) ?? newTally();
        perEcosystem.set(ecosystem, t);
        tallies.push(t);
      }
      for (const t of tallies) {
        t.records++;
        t[outcome]++;
        if (typeof record.withdrawn === 'string') t.withdrawn++;
        if (
          isMeaningfulTimestamp(record.modified) &&
          (!t.snapshot || compareTimestamps(record.modified, t.snapshot) > 0)
        )
          t.snapshot = record.modified;
        if (entry.lastModified && (!t.archiveDate || entry.lastModified > t.archiveDate))
          t.archiveDate = entry.lastModified;
      }
    }
    for (const [ecosystem, t] of perEcosystem) {
      writer.logImport({
        ecosystem,
        source: label,
        importedAt,
        ...snapshotOf(t),
        records: t.records,
        added: t.added,
        updated: t.updated,
        unchanged: t.unchanged,
        withdrawn: t.withdrawn,
        invalid: invalid.length,
      });
    }
  };

  try {
    await advisoryStore.write(run);
  } catch (error) {
    if (error instanceof ZipLimitError) throw new AdvisoryImportError(zipLimitMessage(source, error));
    if (error instanceof ZipArchiveError)
      throw new AdvisoryImportError(
        `cannot import ${source}: the zip archive is damaged or truncated (${error.message}); nothing was imported. Download it again ("dossier advisories sync") or check the file`,
      );
    const e = error as NodeJS.ErrnoException;
    if (typeof e?.code === 'string' && e.code.startsWith('E') && e.syscall)
      throw new AdvisoryImportError(`cannot import ${source}: ${e.message}; nothing was imported`);
    throw error;
  }
  options.onProgress?.({ source: label, read, done: true });

  const ecosystems = [...perEcosystem]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(
      ([ecosystem, t]): ImportedEcosystem => ({
        ecosystem,
        records: t.records,
        added: t.added,
        updated: t.updated,
        unchanged: t.unchanged,
        withdrawn: t.withdrawn,
        comparator:
          ecosystem === NVD_SOURCE ||
          isRepoKeyedEcosystem(ecosystem) ||
          comparatorFor(ecosystem) !== undefined,
        ...snapshotOf(t),
      }),
    );
  return {
    source: label,
    kind,
    importedAt,
    records: total.records,
    added: total.added,
    updated: total.updated,
    unchanged: total.unchanged,
    withdrawn: total.withdrawn,
    invalid,
    ecosystems,
    ...snapshotOf(total),
    warnings,
  };
}
