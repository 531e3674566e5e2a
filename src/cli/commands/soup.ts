import fs from 'node:fs';
import path from 'node:path';
import { plural } from '../../diagnostics/format.js';
import { prefixFor } from '../../model/config.js';
import { kindSpec } from '../../model/kinds.js';
import { limitsOf } from '../../model/limits.js';
import type { DossierRecord } from '../../model/record.js';
import { compareById } from '../../model/record.js';
import { SBOM_FORMATS, SOUP_LIST_FORMATS, VEX_FORMATS } from '../../report-formats.js';
import {
  type DictionaryProduct,
  renderSuggestionsJson,
  renderSuggestionsText,
  SUGGEST_FORMATS,
  suggestCpes,
} from '../../soup/cpe/suggest.js';
import { DependencyFileError, readDependencyFile } from '../../soup/import/index.js';
import { toCycloneDx, toCycloneDxVex } from '../../soup/sbom/cyclonedx.js';
import { sbomFromProject } from '../../soup/sbom/from-project.js';
import { toOpenVex } from '../../soup/sbom/openvex.js';
import { soupListCsv, soupListMarkdown } from '../../soup/sbom/soup-list.js';
import { toSpdx } from '../../soup/sbom/spdx.js';
import {
  monitorAgainst,
  monitorSince,
  renderScanJson,
  renderScanText,
  type SavedScan,
  SCAN_FORMATS,
  type ScanReportInput,
  savedScan,
  scanFails,
  scanReportInput,
} from '../../soup/scan-report.js';
import { inUse as isInUse } from '../../soup/scope.js';
import { applySync, SyncConflictError } from '../../soup/sync/apply.js';
import { planSync, type SyncAction } from '../../soup/sync/plan.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { projectBuildDate } from '../../util/build-date.js';
import { calendarDateProblem } from '../../util/calendar-date.js';
import { serialize } from '../../util/canonical-json.js';
import { today } from '../../util/clock.js';
import { withProjectLock } from '../../util/project-lock.js';
import { insideProject } from '../../util/write-guard.js';
import { advisoryDbPath, analyzeWithAdvisories, openStoreReadOnly, stateDir } from '../advisory-db.js';
import {
  EXIT,
  emit,
  emitReport,
  exitFor,
  type IncompletePolicy,
  loadOrReport,
  oneOf,
  UsageError,
  warnLock,
} from '../io.js';
import { releaseRecordOf } from '../release-record.js';
import { writeErr, writeOut } from '../terminal.js';

export { SBOM_FORMATS, SOUP_LIST_FORMATS, VEX_FORMATS };

const toPosix = (p: string) => p.split(path.sep).join('/');

export interface SoupImportOptions {
  dir: string;
  into?: string;
  includeDev?: boolean;
  format?: string;
  date?: string;
  dryRun?: boolean;
  allowEmpty?: boolean;
  /** Software items that use the new direct components (`--used-by SI-003`, repeatable, or comma-separated). */
  usedBy?: string[];
}

function describeAction(action: SyncAction): string {
  switch (action.kind) {
    case 'create':
      return `  + ${action.id} ${action.component.name} ${action.component.version} (${action.component.scope})`;
    case 'link':
      return `  + ${action.record.id} uses ${action.soupIds.join(', ')}`;
    case 'update':
      return action.versionChange
        ? `  ~ ${action.record.id} ${action.record.title} ${action.versionChange.from} → ${action.versionChange.to} (needs evaluation, 7.4.1)`
        : action.edits.some((e) => e.field === 'removed' && e.value === undefined)
          ? `  ~ ${action.record.id} ${action.record.title}: back in the build (removed mark cleared)`
          : `  ~ ${action.record.id} ${action.record.title}: ${action.edits.map((e) => e.field).join(', ')}`;
    default:
      return `  - ${action.record.id} ${action.record.title}: ${action.edits.some((e) => e.field === 'removed') ? 'marked removed (the record is kept)' : 'no longer in this file'}`;
  }
}

/** The item as last loaded (a previous file in the same run may have edited its `uses`). */
function reloadedItem(item: DossierRecord, now: readonly DossierRecord[]): DossierRecord {
  return now.find((r) => r.id === item.id) ?? item;
}

/** `(3 development-only packages skipped; …)`, or why a file yields nothing at all. */
function developmentNote(result: { components: readonly unknown[]; skippedDevelopment?: number }): string {
  const skipped = result.skippedDevelopment ?? 0;
  if (skipped === 0) return '';
  if (result.components.length === 0) {
    return `; all ${plural(skipped, 'package')} ${skipped === 1 ? 'is' : 'are'} development-only (test and build tools) and were skipped; --include-dev imports ${skipped === 1 ? 'it' : 'them'}`;
  }
  return ` (${plural(skipped, 'development-only package')} skipped; --include-dev imports ${skipped === 1 ? 'it' : 'them'})`;
}

/**
 * `dossier soup import`: lockfiles and SBOMs in, SOUP records created or updated, nothing lost.
 * It holds the project lock from reading the records to the last write (a dry run writes nothing
 * and takes none).
 */
export function runSoupImport(files: readonly string[], options: SoupImportOptions): number {
  if (options.dryRun) return importSoup(files, options);
  return withProjectLock(path.resolve(options.dir), 'dossier soup import', warnLock, () =>
    importSoup(files, options),
  );
}

function importSoup(files: readonly string[], options: SoupImportOptions): number {
  const date = options.date ?? today();
  const dateProblem = calendarDateProblem(date);
  if (dateProblem) throw new UsageError(`--date: ${dateProblem}`);
  // A record file that did not load hides its SOUP records: importing now would create duplicates.
  const { project, exitCode } = loadOrReport(options.dir, { refuse: 'import SOUP' });
  if (!project) return exitCode!;
  const root = path.resolve(options.dir);
  const configured = project.config.soup?.lockfiles ?? [];
  const inputs =
    files.length > 0 ? files.map((f) => path.resolve(f)) : configured.map((f) => path.join(root, f));
  if (inputs.length === 0) {
    throw new UsageError(
      'name the lockfiles or SBOMs to import, or list them under `soup.lockfiles` in dossier.yaml',
    );
  }
  const into = options.into ?? project.config.soup?.importInto ?? 'records/soup/imported.yaml';
  insideProject(root, into, into);
  const prefix = prefixFor(project.config, 'soup', kindSpec('soup').defaultPrefix);
  const limits = limitsOf(project.config.limits);
  const maxFileBytes = limits.maxFileBytes;
  const usedByIds = [
    ...new Set(
      (options.usedBy ?? [])
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
  for (const id of usedByIds) {
    const record = project.records.find((r) => r.id === id);
    if (!record) throw new UsageError(`--used-by ${id}: no record has this id`);
    if (record.kind !== 'software-item')
      throw new UsageError(`--used-by ${id} is a ${record.kind}, not a software item`);
  }
  let records = project.records.filter((r) => r.kind === 'soup');
  let itemsNow = project.records.filter((r) => r.kind === 'software-item');
  let sources = project.sources;
  const reservedIds: string[] = [];
  let failed = false;
  for (const file of inputs) {
    const source = toPosix(path.relative(root, file));
    let result: ReturnType<typeof readDependencyFile>;
    try {
      result = readDependencyFile(file, {
        includeDev: options.includeDev === true,
        maxXmlValueBytes: limits.maxXmlValueBytes,
        ...(options.format ? { format: options.format } : {}),
      });
    } catch (error) {
      if (!(error instanceof DependencyFileError)) throw error;
      writeErr(`error: ${error.message}\n`);
      failed = true;
      continue;
    }
    for (const p of result.problems) {
      writeErr(
        `${source}${p.line ? `:${p.line}` : ''}: ${p.severity}: ${p.message}${p.hint ? `\n  hint: ${p.hint}` : ''}\n`,
      );
    }
    // A file read with errors, or read as empty while records came from it, is not a reason to
    // mark every component removed: nothing is written for it.
    if (result.problems.some((p) => p.severity === 'error')) {
      writeErr(`error: ${source} was not read cleanly; nothing was changed for it\n`);
      failed = true;
      continue;
    }
    const fromThisFile = records.filter(
      (r) => Array.isArray(r.fields.sources) && (r.fields.sources as string[]).includes(source),
    );
    if (result.components.length === 0 && fromThisFile.length > 0 && !options.allowEmpty) {
      writeErr(
        `error: ${source} lists no components, but ${plural(fromThisFile.length, 'SOUP record')} came from it; nothing was changed. If every dependency was really removed, run again with --allow-empty\n`,
      );
      failed = true;
      continue;
    }
    const usedBy = usedByIds.map((id) => project.records.find((r) => r.id === id)!);
    const current = usedBy.map((item) => reloadedItem(item, itemsNow));
    const plan = planSync({
      records,
      components: result.components,
      source,
      date,
      prefix,
      reservedIds,
      usedBy: current,
    });
    for (const action of plan.actions) if (action.kind === 'create') reservedIds.push(action.id);
    writeOut(
      `${source} (${result.format}): ${plural(result.components.length, 'component')}${developmentNote(result)}; ${plural(plan.actions.filter((a) => a.kind === 'create').length, 'new record')}, ${plural(plan.actions.filter((a) => a.kind === 'update').length, 'update')}, ${plural(plan.actions.filter((a) => a.kind === 'remove').length, 'removal')}, ${plan.unchanged} unchanged\n`,
    );
    for (const action of plan.actions) writeOut(`${describeAction(action)}\n`);
    const unknownScope = result.components.filter((c) => c.scope === 'unknown').length;
    if (usedBy.length > 0 && unknownScope > 0) {
      writeOut(
        `  --used-by links direct components only; ${plural(unknownScope, 'component')} of ${source} have no known scope: add them to \`uses\` by hand where an item uses them directly\n`,
      );
    }
    if (options.dryRun || plan.actions.length === 0) continue;
    let written: readonly string[];
    try {
      written = applySync(plan.actions, { root, into, sources, maxFileBytes }).written;
      writeOut(`  wrote ${written.join(', ')}\n`);
    } catch (error) {
      if (!(error instanceof SyncConflictError)) throw error;
      throw new UsageError(error.message);
    }
    // Later files in the same run see what this one created.
    const reloaded = loadOrReport(options.dir, 'report');
    if (!reloaded.project) return reloaded.exitCode!;
    records = reloaded.project.records.filter((r) => r.kind === 'soup');
    itemsNow = reloaded.project.records.filter((r) => r.kind === 'software-item');
    const loadedIds = new Set(records.map((r) => r.id));
    const lost = plan.actions.filter((a) => a.kind === 'create' && !loadedIds.has(a.id));
    if (lost.length > 0) {
      for (const file of written) {
        const problem = reloaded.project.unloaded.find((u) => u.file === file)?.finding;
        const loaded = reloaded.project.sources.has(file);
        if (loaded && !problem) continue;
        const why = problem
          ? `was written, but loading it reports: ${problem.message}; its new records are not checked until that is fixed`
          : 'is not matched by the `records:` globs in dossier.yaml, so its new records will not be checked; add it there or pass --into';
        writeErr(`warning: ${file} ${why}\n`);
      }
    }
    // Importing the next file against a project that no longer loads would create duplicates.
    if (reloaded.project.unloaded.length > 0) {
      writeErr(
        'error: record files no longer load after this import; the remaining files were not imported\n',
      );
      return EXIT.findings;
    }
    sources = reloaded.project.sources;
  }
  if (options.dryRun) writeOut('dry run: nothing was written\n');
  return failed ? EXIT.findings : EXIT.ok;
}

export interface SoupScanOptions {
  format: string;
  advisories?: string;
  since?: string;
  save?: boolean;
  out?: string;
}

/** `dossier soup scan`: each SOUP item's advisories with their evaluations; exit 1 while any needs one. */
export function runSoupScan(dir: string, options: SoupScanOptions): number {
  const format = oneOf(options.format, SCAN_FORMATS, '--format');
  if (options.since && options.since !== 'last' && calendarDateProblem(options.since)) {
    throw new UsageError(`--since takes a date YYYY-MM-DD or "last": ${calendarDateProblem(options.since)}`);
  }
  const { project, exitCode } = loadOrReport(dir, 'report');
  if (!project) return exitCode!;
  const { analysis, snapshots } = analyzeWithAdvisories(dir, project, options.advisories, {
    required: true,
    warn: 'stale',
  });
  const scan = analysis.soupScan!;
  const lastFile = path.join(stateDir(dir), 'last-scan.json');
  let since: ScanReportInput['since'];
  if (options.since === 'last') {
    const last = readSavedScan(dir, lastFile);
    since = last
      ? { label: `the last scan (${last.scannedAt.slice(0, 10)})`, findings: monitorAgainst(scan, last) }
      : { label: 'no earlier scan', findings: monitorAgainst(scan, { scannedAt: '', findings: [] }) };
  } else if (options.since) {
    since = { label: options.since, findings: monitorSince(scan, options.since) };
  }
  const input = scanReportInput(analysis, scan, snapshots ?? [], since);
  emitReport(format === 'json' ? renderScanJson(input) : renderScanText(input), {
    format,
    project,
    dir,
    out: options.out,
  });
  // A scan that missed the SOUP of a file that did not load is not a baseline for `--since last`.
  if (options.save !== false && project.unloaded.length === 0)
    writeFileAtomic(lastFile, `${JSON.stringify(savedScan(scan, new Date().toISOString()), null, 2)}\n`);
  return exitFor(project, scanFails(input) ? EXIT.findings : EXIT.ok);
}

/**
 * The scan saved by an earlier `soup scan`, or undefined when there is none. The file is Dossier's
 * own state, so one of another shape (another version wrote it, or it was edited or truncated) is
 * treated as absent, with a warning naming it: compared with no earlier scan, every finding shows as
 * new, so nothing is hidden, and this scan's save replaces the file.
 */
function readSavedScan(dir: string, file: string): SavedScan | undefined {
  if (!fs.existsSync(file)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    value = undefined;
  }
  if (isSavedScan(value)) return value;
  writeErr(
    `warning: ${toPosix(path.relative(dir, file))} is not a scan saved by this version of Dossier; comparing with no earlier scan, so every finding shows as new (this scan replaces the file unless --no-save)\n`,
  );
  return undefined;
}

function isSavedScan(value: unknown): value is SavedScan {
  if (typeof value !== 'object' || value === null) return false;
  const { scannedAt, findings } = value as { scannedAt?: unknown; findings?: unknown };
  return (
    typeof scannedAt === 'string' &&
    Array.isArray(findings) &&
    findings.every((f: unknown) => {
      if (typeof f !== 'object' || f === null) return false;
      const { soupId, advisory, modified } = f as Record<string, unknown>;
      return typeof soupId === 'string' && typeof advisory === 'string' && typeof modified === 'string';
    })
  );
}

export interface SbomOptions {
  format: string;
  vex?: string;
  advisories?: string;
  out?: string;
  /** Describe this release's SOUP (its release record must exist) instead of `software.version`. */
  release?: string;
}

/** Loads and analyses with the advisory store when there is one (for alias enrichment of VEX). */
function analyseForSbom(dir: string, explicitDb: string | undefined, incomplete: IncompletePolicy) {
  const { project, exitCode } = loadOrReport(dir, incomplete);
  if (!project) return { exitCode: exitCode! };
  return {
    analysis: analyzeWithAdvisories(dir, project, explicitDb, { required: false, warn: 'all' }).analysis,
  };
}

/** `dossier sbom`: CycloneDX 1.6 or SPDX 2.3 JSON; with `--vex`, the evaluations as VEX instead. */
export function runSbom(dir: string, options: SbomOptions): number {
  const format = oneOf(options.format, SBOM_FORMATS, '--format');
  const vex = options.vex ? oneOf(options.vex, VEX_FORMATS, '--vex') : undefined;
  const timestamp = projectBuildDate(dir).timestamp;
  const { analysis, exitCode } = analyseForSbom(dir, options.advisories, {
    refuse: vex ? 'write VEX' : 'write an SBOM',
  });
  if (!analysis) return exitCode;
  const release = options.release !== undefined ? releaseRecordOf(analysis, options.release) : undefined;
  const doc = sbomFromProject(analysis, {
    timestamp,
    ...(release
      ? {
          release: {
            version: options.release!,
            ...(typeof release.fields.date === 'string' ? { date: release.fields.date } : {}),
          },
        }
      : {}),
  });
  let output: unknown;
  if (vex === 'openvex') {
    const { document, problems } = toOpenVex(doc);
    for (const p of problems) writeErr(`warning: ${p}\n`);
    output = document;
  } else if (vex === 'cyclonedx') output = toCycloneDxVex(doc);
  else output = format === 'spdx' ? toSpdx(doc) : toCycloneDx(doc, { vex: false });
  emit(serialize(output), { out: options.out, format: vex ?? format });
  return EXIT.ok;
}

export interface SoupListOptions {
  format: string;
  advisories?: string;
  out?: string;
}

/** `dossier soup list`: the human-readable SOUP list reviewers ask for. */
export function runSoupList(dir: string, options: SoupListOptions): number {
  const format = oneOf(options.format, SOUP_LIST_FORMATS, '--format');
  const timestamp = projectBuildDate(dir).timestamp;
  const { analysis, exitCode } = analyseForSbom(dir, options.advisories, 'report');
  if (!analysis) return exitCode;
  const doc = sbomFromProject(analysis, { timestamp });
  emit(format === 'csv' ? soupListCsv(doc) : soupListMarkdown(doc), { out: options.out, format });
  return exitFor(analysis.project, EXIT.ok);
}

export interface SoupSuggestCpeOptions {
  format: string;
  advisories?: string;
  all?: boolean;
  out?: string;
}

/**
 * `dossier soup suggest-cpe`: CPE 2.3 candidates for the SOUP in use (those without a `cpe`, or every
 * one with --all), from the NVD data's vendor/product pairs when the advisory database holds some,
 * else heuristics. Prints them; never writes a record (a suggestion is never matched until a person
 * copies it into `cpe`).
 */
export function runSoupSuggestCpe(dir: string, options: SoupSuggestCpeOptions): number {
  const format = oneOf(options.format, SUGGEST_FORMATS, '--format');
  const { project, exitCode } = loadOrReport(dir, 'report');
  if (!project) return exitCode!;
  const file = advisoryDbPath(dir, project.config, options.advisories);
  let dictionary: DictionaryProduct[] | undefined;
  let database: string | null = null;
  if (fs.existsSync(file)) {
    const store = openStoreReadOnly(file);
    try {
      dictionary = store.nvdProducts();
      database = path.relative(process.cwd(), file) || file;
    } finally {
      store.close();
    }
  } else if (options.advisories) {
    throw new UsageError(`no advisory database at ${options.advisories}`);
  }
  const soups = project.records
    .filter((r) => r.kind === 'soup' && isInUse(r) && (options.all || r.fields.cpe === undefined))
    .sort(compareById);
  const usable = dictionary && dictionary.length > 0 ? dictionary : undefined;
  const suggestions = soups.map((soup) => suggestCpes(soup, usable));
  const info = { database, products: usable?.length ?? 0 };
  emitReport(
    format === 'json' ? renderSuggestionsJson(info, suggestions) : renderSuggestionsText(info, suggestions),
    { format, project, dir, out: options.out },
  );
  return exitFor(project, EXIT.ok);
}
