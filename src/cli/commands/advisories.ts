import fs from 'node:fs';
import path from 'node:path';
import { plural } from '../../diagnostics/format.js';
import { advisoryMaxAgeDays } from '../../model/config.js';
import { LIMITS, type LimitKey, type Limits, limitsOf, parseLimit } from '../../model/limits.js';
import { AdvisoryImportError, type ImportSummary, importAdvisories } from '../../soup/advisories/import.js';
import { isKnownEcosystem, OSV_ECOSYSTEMS } from '../../soup/advisories/osv-schema.js';
import { type AdvisoryStore, type EcosystemStatus, openAdvisoryStore } from '../../soup/advisories/store.js';
import {
  type EcosystemSyncResult,
  OSV_BASE_URL,
  type SyncProgress,
  syncAdvisories,
} from '../../soup/advisories/sync.js';
import { KevFormatError, looksLikeKev } from '../../soup/kev/catalog.js';
import { EpssFormatError, type EpssImportSummary, importEpss, looksLikeEpss } from '../../soup/kev/epss.js';
import { importKev, type KevImportSummary } from '../../soup/kev/import.js';
import { readHead } from '../../soup/nvd/stream.js';
import { NVD_SOURCE } from '../../soup/nvd/types.js';
import { didYouMean } from '../../util/suggest.js';
import { textTable } from '../../util/text-table.js';
import { advisoryDbPath, configuredSoup } from '../advisory-db.js';
import { EXIT, oneOf, UsageError } from '../io.js';
import { writeErr, writeOut, writeProgress } from '../terminal.js';

/** Ecosystems `sync` fetches when the database is empty and no --ecosystem is given. */
export const DEFAULT_SYNC_ECOSYSTEMS = [
  'npm',
  'PyPI',
  'Go',
  'crates.io',
  'Maven',
  'NuGet',
  'RubyGems',
  'Packagist',
] as const;

const FORMATS = ['text', 'json'] as const;
const DAY_MS = 86_400_000;

interface DbOptions {
  db?: string;
  dir?: string;
}

/** The limits `import` and `sync` take as options (outside a project there is no dossier.yaml). */
const ZIP_LIMITS = ['maxZipEntryBytes', 'maxZipRatio', 'maxZipTotalBytes'] as const;
const SYNC_LIMITS = [...ZIP_LIMITS, 'maxDownloadBytes'] as const;

/** Commander's camel-case name of a limit's option: `--max-zip-entry-bytes` → `maxZipEntryBytes`. */
type LimitOptions = { [K in LimitKey]?: string };

/** The database a command works on: see {@link advisoryDbPath} in ../advisory-db.ts. */
function dbPathOf(options: DbOptions): string {
  const dir = options.dir ?? '.';
  return advisoryDbPath(dir, configuredSoup(dir), options.db);
}

/** The limits in force: each option given, else `limits:` of the project's dossier.yaml, else the default. */
function limitsFrom(options: DbOptions & LimitOptions, keys: readonly LimitKey[]): Limits {
  const overrides: Partial<Record<LimitKey, number>> = {};
  for (const key of keys) {
    const text = options[key];
    if (text === undefined) continue;
    const value = parseLimit(key, text);
    if (value === undefined)
      throw new UsageError(
        `${LIMITS[key].option}: "${text}" is not ${LIMITS[key].unit === 'ratio' ? 'a whole number greater than 0' : 'a size in bytes (a whole number, or with KiB, MiB or GiB: 64MiB)'}`,
      );
    overrides[key] = value;
  }
  return limitsOf(configuredSoup(options.dir ?? '.')?.limits, overrides);
}

const shown = (file: string) => {
  // A URL (a synced source) is shown as it is, not as a path.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file)) return file;
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
};

const n = (value: number) => value.toLocaleString('en-US');

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const advisoriesCount = (count: number) => `${n(count)} ${count === 1 ? 'advisory' : 'advisories'}`;

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : 'unknown');

function withStore<T>(file: string, readonly: boolean, job: (store: AdvisoryStore) => T): T {
  const store = openAdvisoryStore(file, { readonly });
  try {
    const result = job(store);
    if (result instanceof Promise) return result.finally(() => store.close()) as T;
    store.close();
    return result;
  } catch (error) {
    store.close();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------- import

export interface AdvisoriesImportOptions extends DbOptions, LimitOptions {
  format: string;
  quiet?: boolean;
}

function importLines(summary: ImportSummary): string[] {
  const name = shown(summary.source);
  const lines = [
    `${name}: ${plural(summary.records, 'record')} (${n(summary.added)} added, ${n(summary.updated)} updated, ${n(summary.unchanged)} unchanged; ${n(summary.withdrawn)} withdrawn)${summary.invalid.length ? `, ${plural(summary.invalid.length, 'record')} skipped` : ''}`,
  ];
  for (const e of summary.ecosystems) {
    const basis = e.snapshotBasis === 'archive-dates' ? ' (from the archive dates)' : '';
    lines.push(`  ${e.ecosystem}: ${advisoriesCount(e.records)}, snapshot ${day(e.snapshot)}${basis}`);
  }
  return lines;
}

function kevImportLine(summary: KevImportSummary): string {
  return `${shown(summary.source)}: CISA KEV catalog ${summary.catalogVersion} (released ${day(summary.dateReleased)}), ${n(summary.entries)} ${summary.entries === 1 ? 'vulnerability' : 'vulnerabilities'}${summary.stored ? '' : ' (not stored: the catalog held is newer)'}${summary.invalid.length ? `, ${n(summary.invalid.length)} ${summary.invalid.length === 1 ? 'entry' : 'entries'} skipped` : ''}`;
}

function warnImport(summary: ImportSummary): void {
  const name = shown(summary.source);
  if (summary.records === 0 && summary.invalid.length === 0)
    writeErr(`warning: ${name}: no OSV .json/.yaml files or NVD CVEs found\n`);
  for (const w of summary.warnings) writeErr(`warning: ${w}\n`);
  for (const e of summary.ecosystems)
    if (!e.comparator)
      writeErr(
        `warning: ${e.ecosystem}: Dossier has no version comparator for this ecosystem: its advisories are stored but versions cannot be matched\n`,
      );
  const limit = 20;
  for (const bad of summary.invalid.slice(0, limit))
    writeErr(`warning: ${name}: skipped ${bad.entry}${bad.id ? ` (${bad.id})` : ''}: ${bad.reason}\n`);
  if (summary.invalid.length > limit)
    writeErr(
      `warning: ${name}: … and ${n(summary.invalid.length - limit)} more skipped records (--format json lists them all)\n`,
    );
}

function importProgress(quiet: boolean | undefined, source: string) {
  if (quiet || !process.stderr.isTTY) return undefined;
  let last = 0;
  return (p: { read: number; done: boolean }) => {
    const now = Date.now();
    if (p.done) writeProgress();
    else if (now - last > 100) {
      last = now;
      writeProgress(`importing ${shown(source)}: ${plural(p.read, 'file')}`);
    }
  };
}

export async function runAdvisoriesImport(
  sources: readonly string[],
  options: AdvisoriesImportOptions,
): Promise<number> {
  const format = oneOf(options.format, FORMATS, '--format');
  for (const source of sources)
    if (!fs.existsSync(source))
      throw new UsageError(
        `cannot import ${source}: no such file or folder (give an osv.dev all.zip, a folder of OSV .json/.yaml files, or NVD CVE API 2.0 JSON)`,
      );
  const limits = limitsFrom(options, ZIP_LIMITS);
  const db = dbPathOf(options);
  const summaries: ImportSummary[] = [];
  const kev: KevImportSummary[] = [];
  const epss: EpssImportSummary[] = [];
  const failures: { source: string; error: string }[] = [];
  await withStore(db, false, async (store) => {
    for (const source of sources) {
      // FIRST's EPSS CSV, by its content (the #model_version line or the header).
      if (fs.statSync(source).isFile() && looksLikeEpss(readHead(source, 256))) {
        try {
          const summary = await importEpss(store, source);
          epss.push(summary);
          if (format === 'text')
            writeOut(
              `${shown(summary.source)}: EPSS scores of ${day(summary.scoreDate)} (model ${summary.modelVersion}), ${n(summary.scores)} CVEs${summary.invalid.length ? `, ${n(summary.invalid.length)} lines skipped` : ''}\n`,
            );
          for (const bad of summary.invalid.slice(0, 20))
            writeErr(`warning: ${source}:${bad.line}: skipped: ${bad.reason}\n`);
        } catch (error) {
          if (!(error instanceof EpssFormatError)) throw error;
          failures.push({ source, error: error.message });
          writeErr(`dossier: ${error.message}\n`);
        }
        continue;
      }
      // CISA's KEV catalog is recognised by its content (a top-level catalogVersion).
      if (fs.statSync(source).isFile() && looksLikeKev(readHead(source))) {
        try {
          const summary = await importKev(store, source);
          kev.push(summary);
          if (format === 'text') writeOut(`${kevImportLine(summary)}\n`);
          for (const w of summary.warnings) writeErr(`warning: ${w}\n`);
          for (const bad of summary.invalid)
            writeErr(`warning: skipped ${bad.entry}${bad.id ? ` (${bad.id})` : ''}: ${bad.reason}\n`);
        } catch (error) {
          if (!(error instanceof KevFormatError)) throw error;
          failures.push({ source, error: error.message });
          writeErr(`dossier: ${error.message}\n`);
        }
        continue;
      }
      const onProgress = importProgress(options.quiet, source);
      try {
        const summary = await importAdvisories(store, source, {
          limits,
          ...(onProgress ? { onProgress } : {}),
        });
        summaries.push(summary);
        if (format === 'text') writeOut(`${importLines(summary).join('\n')}\n`);
        warnImport(summary);
      } catch (error) {
        if (!(error instanceof AdvisoryImportError)) throw error;
        failures.push({ source, error: error.message });
        writeErr(`dossier: ${error.message}\n`);
      }
    }
  });
  if (format === 'json')
    writeOut(
      `${JSON.stringify({ schemaVersion: 1, db, imports: summaries, kev, epss, failures }, null, 2)}\n`,
    );
  else if (summaries.length + kev.length + epss.length > 0) writeOut(`advisory database: ${shown(db)}\n`);
  if (failures.length > 0) return EXIT.usage;
  return [...summaries, ...kev, ...epss].some((s) => s.invalid.length > 0) ? EXIT.findings : EXIT.ok;
}

// ---------------------------------------------------------------------------------------------- sync

export interface AdvisoriesSyncOptions extends DbOptions, LimitOptions {
  ecosystem?: string[];
  baseUrl?: string;
  cacheDir?: string;
  format: string;
  quiet?: boolean;
}

/** A bar on a terminal; otherwise a plain line every few seconds. Always on stderr. */
function syncProgress(quiet: boolean | undefined): (p: SyncProgress) => void {
  if (quiet) return () => {};
  const out = process.stderr;
  const tty = out.isTTY === true;
  let lastAt = 0;
  let announced = '';
  return (p) => {
    const now = Date.now();
    switch (p.phase) {
      case 'download': {
        const pct = p.total ? Math.floor((p.received / p.total) * 100) : undefined;
        const amount = p.total
          ? `${formatBytes(p.received)}/${formatBytes(p.total)}`
          : formatBytes(p.received);
        const finished = p.total !== undefined && p.received >= p.total;
        if (tty) {
          if (now - lastAt < 80 && !finished) return;
          lastAt = now;
          const width = 24;
          const filled = pct === undefined ? 0 : Math.round((pct / 100) * width);
          const bar =
            pct === undefined ? '' : ` [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}%`;
          out.write(`\r\x1b[K${p.ecosystem}${bar}  ${amount}${p.resumedFrom > 0 ? ' (resumed)' : ''}`);
          return;
        }
        if (announced !== p.ecosystem) {
          announced = p.ecosystem;
          lastAt = now;
          out.write(
            `${p.ecosystem}: downloading${p.total ? ` ${formatBytes(p.total)}` : ''}${p.resumedFrom > 0 ? `, resuming at ${formatBytes(p.resumedFrom)}` : ''}\n`,
          );
        } else if (finished || now - lastAt >= 5000) {
          lastAt = now;
          out.write(`${p.ecosystem}: ${pct !== undefined ? `${pct}% ` : ''}(${amount})\n`);
        }
        return;
      }
      case 'retry':
        announced = '';
        out.write(`${tty ? '\r\x1b[K' : ''}${p.ecosystem}: retrying (attempt ${p.attempt}): ${p.reason}\n`);
        return;
      case 'verify':
        if (tty) out.write(`\r\x1b[K${p.ecosystem}: verifying`);
        return;
      case 'import':
        if (tty && (p.done || now - lastAt >= 80)) {
          lastAt = now;
          out.write(p.done ? '\r\x1b[K' : `\r\x1b[K${p.ecosystem}: importing ${plural(p.read, 'file')}`);
        }
        return;
      case 'failed':
        if (tty) out.write('\r\x1b[K');
        announced = '';
        return;
    }
  };
}

function syncLine(r: EcosystemSyncResult): string {
  if (!r.ok) return `${r.ecosystem}: FAILED: ${r.error}`;
  const s = r.import!;
  const checks = `${r.md5Verified ? 'MD5 verified' : 'length verified (no MD5 from the server)'}`;
  return `${r.ecosystem}: ${formatBytes(r.bytes ?? 0)}${r.resumed ? ' (resumed)' : ''}, ${checks}; ${plural(s.records, 'record')} (${n(s.added)} added, ${n(s.updated)} updated, ${n(s.unchanged)} unchanged), snapshot ${day(s.snapshot)}`;
}

function checkEcosystems(names: readonly string[]): void {
  for (const name of names)
    if (!isKnownEcosystem(name))
      throw new UsageError(
        `--ecosystem: "${name}" is not an OSV ecosystem${didYouMean(name, OSV_ECOSYSTEMS)}; names are case-sensitive (PyPI, crates.io, Go, npm, Maven…)`,
      );
}

export async function runAdvisoriesSync(options: AdvisoriesSyncOptions): Promise<number> {
  const format = oneOf(options.format, FORMATS, '--format');
  const baseUrl = options.baseUrl ?? process.env.DOSSIER_OSV_BASE_URL ?? OSV_BASE_URL;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new UsageError(`--base-url: "${baseUrl}" is not a URL (e.g. ${OSV_BASE_URL})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--base-url: only http and https are supported (got "${baseUrl}")`);
  if (options.ecosystem) checkEcosystems(options.ecosystem);
  const limits = limitsFrom(options, SYNC_LIMITS);
  const db = dbPathOf(options);
  const cacheDir = path.resolve(options.cacheDir ?? path.join(path.dirname(db), 'cache'));
  const result = await withStore(db, false, async (store) => {
    // NVD data is imported from NVD JSON, not downloaded from osv.dev.
    const loaded = store
      .status()
      .ecosystems.map((e) => e.ecosystem)
      .filter((e) => e !== NVD_SOURCE);
    const ecosystems = options.ecosystem ?? (loaded.length > 0 ? loaded : [...DEFAULT_SYNC_ECOSYSTEMS]);
    return syncAdvisories(store, {
      baseUrl,
      ecosystems: [...new Set(ecosystems)],
      cacheDir,
      limits,
      onProgress: syncProgress(options.quiet),
    });
  });
  if (format === 'json') {
    writeOut(
      `${JSON.stringify({ schemaVersion: 1, db, baseUrl, ok: result.ok, results: result.results }, null, 2)}\n`,
    );
  } else {
    for (const r of result.results) writeOut(`${syncLine(r)}\n`);
    writeOut(`advisory database: ${shown(db)}\n`);
  }
  for (const r of result.results) if (r.import) warnImport(r.import);
  const failed = result.results.filter((r) => !r.ok);
  if (failed.length > 0)
    writeErr(
      `dossier: ${failed.length} of ${plural(result.results.length, 'ecosystem')} failed (${failed.map((r) => r.ecosystem).join(', ')}); the others were imported. Run sync again to retry: downloads resume where they stopped\n`,
    );
  return failed.length > 0 ? EXIT.findings : EXIT.ok;
}

// ---------------------------------------------------------------------------------------------- status

export interface AdvisoriesStatusOptions extends DbOptions {
  format: string;
  maxAgeDays?: string;
  strict?: boolean;
}

interface EcosystemReport extends EcosystemStatus {
  readonly ageDays: number | null;
  readonly stale: boolean;
}

export function runAdvisoriesStatus(options: AdvisoriesStatusOptions): number {
  const format = oneOf(options.format, FORMATS, '--format');
  // Default: the project's advisories.maxAgeDays, the limit release check applies.
  const maxAgeDays =
    options.maxAgeDays === undefined
      ? advisoryMaxAgeDays(configuredSoup(options.dir ?? '.') ?? {})
      : Number(options.maxAgeDays);
  if (!Number.isFinite(maxAgeDays) || maxAgeDays < 0)
    throw new UsageError(`--max-age-days must be a number of days ≥ 0 (got "${options.maxAgeDays}")`);
  const db = dbPathOf(options);
  const { status, unconfigured, kev, epss } = withStore(db, true, (store) => ({
    status: store.status(),
    unconfigured: store.nvdWithoutConfigurations(),
    kev: store.kevCatalog() ?? null,
    epss: store.epssInfo() ?? null,
  }));
  const now = Date.now();
  const warnings: string[] = [];
  const ecosystems: EcosystemReport[] = status.ecosystems.map((e) => {
    // Without a snapshot date, the import time is the best bound on the data's age.
    const since = e.snapshot ?? e.importedAt;
    const ageDays = since ? Math.max(0, Math.floor((now - Date.parse(since)) / DAY_MS)) : null;
    const stale = ageDays === null || ageDays > maxAgeDays;
    if (stale)
      warnings.push(
        ageDays === null
          ? `${e.ecosystem}: the age of the data is unknown`
          : `${e.ecosystem}: the advisory snapshot is ${plural(ageDays, 'day')} old (more than ${maxAgeDays}): ${e.ecosystem === NVD_SOURCE ? 'import newer NVD CVE API 2.0 JSON' : 'run "dossier advisories sync" or import a newer all.zip'}`,
      );
    if (!e.comparator)
      warnings.push(
        `${e.ecosystem}: Dossier has no version comparator for this ecosystem: its advisories are stored but versions cannot be matched`,
      );
    return { ...e, ageDays, stale };
  });
  // The KEV catalog's age is its release date: an old catalog misses recent exploitation.
  const kevAge = kev ? Math.floor((now - Date.parse(kev.dateReleased)) / DAY_MS) : null;
  if (kev && kevAge !== null && kevAge > maxAgeDays)
    warnings.push(
      `KEV: the CISA catalog ${kev.catalogVersion} is ${plural(kevAge, 'day')} old (more than ${maxAgeDays}): import the current known_exploited_vulnerabilities.json`,
    );
  // NVD's analysis backlog: a CVE without configurations names no CPE, so no SOUP CPE can match it.
  if (unconfigured > 0)
    warnings.push(
      `NVD: ${plural(unconfigured, 'CVE')} ha${unconfigured === 1 ? 's' : 've'} no CPE configurations yet (awaiting NVD analysis): no CPE can match ${unconfigured === 1 ? 'it' : 'them'}, so read their descriptions for the SOUP in use, or import a newer NVD snapshot`,
    );
  if (ecosystems.length === 0)
    warnings.push(
      'no advisories loaded: run "dossier advisories sync" or "dossier advisories import <all.zip>"',
    );

  if (format === 'json') {
    writeOut(
      `${JSON.stringify(
        {
          schemaVersion: 1,
          db,
          dbSchemaVersion: status.schemaVersion,
          checkedAt: new Date(now).toISOString(),
          maxAgeDays,
          ecosystems,
          total: status.total,
          kev,
          epss,
          warnings,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    const body = ecosystems.map((e) => [
      e.ecosystem,
      n(e.advisories),
      n(e.withdrawn),
      `${day(e.snapshot)}${e.snapshotBasis === 'archive-dates' ? '*' : ''}`,
      e.ageDays === null ? '?' : `${e.ageDays} d`,
      e.comparator ? 'yes' : 'NO',
      day(e.importedAt),
      e.source ? shown(e.source) : '',
    ]);
    body.push(['total', n(status.total.advisories), n(status.total.withdrawn), '', '', '', '', '']);
    const lines = [
      `advisory database: ${shown(db)}`,
      '',
      ...textTable(
        ['ecosystem', 'advisories', 'withdrawn', 'snapshot', 'age', 'matchable', 'imported', 'source'],
        body,
        { rule: '-' },
      ),
    ];
    if (ecosystems.some((e) => e.snapshotBasis === 'archive-dates'))
      lines.push(
        '',
        '* the records carry no usable "modified" date: snapshot taken from the archive entry dates',
      );
    if (status.total.withoutPackage > 0)
      lines.push('', `${advisoriesCount(status.total.withoutPackage)} name no package and can never match`);
    lines.push(
      '',
      kev
        ? `CISA KEV catalog ${kev.catalogVersion} (released ${day(kev.dateReleased)}): ${n(kev.count)} ${kev.count === 1 ? 'vulnerability' : 'vulnerabilities'}, imported ${day(kev.importedAt)}`
        : 'CISA KEV catalog: none loaded, so whether findings are known exploited is NOT CHECKED ("dossier advisories import known_exploited_vulnerabilities.json")',
      epss
        ? `EPSS scores of ${day(epss.scoreDate)} (model ${epss.modelVersion}): ${n(epss.count)} CVEs, imported ${day(epss.importedAt)}`
        : 'EPSS scores: none loaded (optional)',
    );
    writeOut(`${lines.join('\n')}\n`);
  }
  for (const w of warnings) writeErr(`warning: ${w}\n`);
  return options.strict && warnings.length > 0 ? EXIT.findings : EXIT.ok;
}
