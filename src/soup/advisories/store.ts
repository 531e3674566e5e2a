/**
 * The local OSV advisory store: one SQLite file (better-sqlite3) holding every imported advisory as
 * its raw OSV JSON, with an index of affected packages and aliases for fast look-up.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { noteInputFiles, tracing } from '../../util/input-trace.js';
import type { DictionaryProduct } from '../cpe/suggest.js';
import type { KevCatalog, KevCatalogInfo, KevEntry } from '../kev/catalog.js';
import type { EpssData, EpssInfo, EpssScore } from '../kev/epss.js';
import {
  NVD_SOURCE,
  type NvdCpeMatch,
  type NvdCve,
  nvdSeverity,
  nvdSummary,
  nvdTimestamp,
} from '../nvd/types.js';
import { GIT_SOURCE, isRepoKeyedEcosystem, reposOfRecord } from '../osv/git.js';
import type { OsvRecord } from '../osv/types.js';
import { normalizePypiName } from '../purl.js';
import { comparatorFor } from '../versions/index.js';
import { ecosystemBase, validateOsvRecord } from './osv-schema.js';
import { compareTimestamps, isMeaningfulTimestamp, timestampKey } from './timestamps.js';

/**
 * The store's schema version, kept in SQLite's `user_version`. 2 added `affected.modified_key` and
 * its index, so that the age of an ecosystem's data is one index look-up; 3 added the NVD tables
 * (`nvd_cves`, `nvd_criteria`); 4 added CISA's KEV catalog (`kev_catalog`, `kev_entries`); 5 added
 * the index of advisories by git repository (`git_affected`: OSV `GIT` ranges and packages of
 * ecosystem GIT). An older file (also gaining `epss_scores`/`epss_meta` for FIRST's EPSS) is upgraded
 * when opened for writing and read as it is otherwise (without NVD tables it holds no NVD data, and
 * SOUP matched by CPE is "not checked"; without KEV tables, "KEV not checked"; without the git index,
 * SOUP matched by repository is "not checked", even when the file holds GIT-only advisories).
 */
export const ADVISORY_SCHEMA_VERSION = 5;

/** A problem with the database file the user can fix (missing, not ours, too new). */
export class AdvisoryStoreError extends Error {}

/** `<project>/.dossier/advisories.sqlite`, the default when neither `--db` nor `DOSSIER_ADVISORY_DB` is set. */
export function defaultAdvisoryDbPath(projectDir: string): string {
  return path.join(path.resolve(projectDir), '.dossier', 'advisories.sqlite');
}

/** Package names as the index stores them: PyPI names PEP 503-normalised, others as written. */
export function normalizePackageName(ecosystem: string, name: string): string {
  return ecosystemBase(ecosystem) === 'PyPI' ? normalizePypiName(name) : name;
}

/** Where a snapshot date comes from: the records' `modified`, or (when none is usable) the archive's entry dates. */
export type SnapshotBasis = 'modified' | 'archive-dates';

export interface EcosystemStatus {
  /** OSV ecosystem name without a `:release` suffix. */
  readonly ecosystem: string;
  /** Advisories with at least one affected package in this ecosystem, withdrawn included. */
  readonly advisories: number;
  readonly withdrawn: number;
  /** False when there is no version comparator: the advisories are stored but cannot be matched. */
  readonly comparator: boolean;
  /** The data age: {@link EcosystemData.newestModified} (RFC 3339), or null when unknown. */
  readonly snapshot: string | null;
  readonly snapshotBasis: SnapshotBasis | null;
  /** When the latest import ran (ISO 8601), and from which file, folder or URL. */
  readonly importedAt: string | null;
  readonly source: string | null;
  readonly imports: number;
  readonly lastImport: {
    readonly added: number;
    readonly updated: number;
    readonly unchanged: number;
    readonly invalid: number;
  } | null;
}

/**
 * What the store holds for one ecosystem. Its data age is `newestModified`: the newest `modified`
 * among its advisories (withdrawn ones included: a withdrawal is news too). Where no record carries
 * a usable `modified` (golang/vulndb's repository files write Go's zero time), the newest archive
 * entry date of its imports stands in, with `basis: 'archive-dates'`.
 */
export interface EcosystemData {
  /** OSV ecosystem name without a `:release` suffix. */
  readonly ecosystem: string;
  /** Advisories naming a package of the ecosystem, withdrawn included. */
  readonly advisories: number;
  readonly withdrawn: number;
  /** RFC 3339 in UTC, or null when nothing dates the data. */
  readonly newestModified: string | null;
  readonly basis: SnapshotBasis | null;
}

export interface StoreStatus {
  readonly path: string;
  readonly schemaVersion: number;
  readonly ecosystems: readonly EcosystemStatus[];
  readonly total: {
    readonly advisories: number;
    readonly withdrawn: number;
    /** Advisories that name no package (nothing to match them against). */
    readonly withoutPackage: number;
  };
}

/** One row of the import log, per ecosystem and import. */
export interface ImportLogRow {
  readonly ecosystem: string;
  readonly source: string;
  readonly importedAt: string;
  readonly snapshot: string | null;
  readonly snapshotBasis: SnapshotBasis | null;
  readonly records: number;
  readonly added: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly withdrawn: number;
  readonly invalid: number;
}

/** The write side, used by `importAdvisories` inside one transaction. */
export interface AdvisoryWriter {
  /** The stored `modified` of an advisory, or undefined when it is not stored. */
  storedModified(id: string): string | undefined;
  storedRaw(id: string): string | undefined;
  /** Inserts or replaces an advisory with its package and alias index rows. */
  put(record: OsvRecord, raw: string): void;
  /** The stored `lastModified` (RFC 3339) of an NVD CVE, or undefined when it is not stored. */
  storedCveModified(id: string): string | undefined;
  /** Inserts or replaces an NVD CVE with its criteria rows; `criteria` come from {@link criteriaRows}. */
  putCve(cve: NvdCve, raw: string, criteria: readonly NvdCriterionRow[]): void;
  logImport(row: ImportLogRow): void;
  /** Replaces the stored EPSS scores (one day's file is the whole set). */
  replaceEpss(data: EpssData, source: string, importedAt: string): void;
  /** Replaces the stored KEV catalog (it is a whole snapshot: an entry CISA removed goes too). */
  replaceKev(catalog: KevCatalog, source: string, importedAt: string): void;
}

/** One CPE match criterion of a CVE, as the index stores it. */
export interface NvdCriterionRow {
  readonly config: number;
  readonly node: number;
  readonly idx: number;
  readonly configOperator: string | null;
  readonly configNegate: boolean;
  readonly nodeOperator: string | null;
  readonly nodeNegate: boolean;
  readonly vulnerable: boolean;
  readonly criteria: string;
  readonly part: string;
  readonly vendor: string;
  readonly product: string;
  readonly version: string;
  readonly startIncluding: string | null;
  readonly startExcluding: string | null;
  readonly endIncluding: string | null;
  readonly endExcluding: string | null;
}

/**
 * An NVD CVE as the store gives it back for matching: its configurations rebuilt from the criteria
 * index (the raw JSON is not parsed on the scan's path), with the columns a finding shows.
 */
export interface StoredCve {
  readonly id: string;
  /** RFC 3339 UTC. */
  readonly lastModified: string;
  readonly published?: string;
  readonly summary?: string;
  /** CVSS vectors as NVD publishes them. */
  readonly severity: readonly string[];
  /** Id, lastModified and `configurations` (every criterion, in the record's order). */
  readonly cve: NvdCve;
  /** Set when the stored rows cannot be read back (a damaged or hand-edited file): assumed affected. */
  readonly unreadable?: string;
}

/** A criterion's columns as matching reads them (the covering index holds them all). */
interface CriterionColumns {
  vulnerable: number;
  criteria: string;
  start_including: string | null;
  start_excluding: string | null;
  end_including: string | null;
  end_excluding: string | null;
}

interface CriterionJoinRow extends CriterionColumns {
  id: string;
  last_modified: string;
  published: string | null;
  summary: string | null;
  severity: string;
  config: number;
  node: number;
  config_operator: string | null;
  config_negate: number;
  node_operator: string | null;
  node_negate: number;
}

interface CandidateRow extends CriterionColumns {
  cve_id: string;
}

function candidateMatch(row: CriterionColumns): NvdCpeMatch {
  return {
    vulnerable: row.vulnerable === 1,
    criteria: row.criteria,
    ...(row.start_including !== null ? { versionStartIncluding: row.start_including } : {}),
    ...(row.start_excluding !== null ? { versionStartExcluding: row.start_excluding } : {}),
    ...(row.end_including !== null ? { versionEndIncluding: row.end_including } : {}),
    ...(row.end_excluding !== null ? { versionEndExcluding: row.end_excluding } : {}),
  };
}

/** The CVEs of joined rows (ordered by id, configuration, node, index) with their configurations. */
function cvesOfRows(rows: readonly CriterionJoinRow[]): StoredCve[] {
  const out: StoredCve[] = [];
  let i = 0;
  while (i < rows.length) {
    const first = rows[i]!;
    const configurations: {
      operator?: 'AND' | 'OR';
      negate?: boolean;
      nodes: { operator?: 'AND' | 'OR'; negate: boolean; cpeMatch: NvdCpeMatch[] }[];
    }[] = [];
    for (; i < rows.length && rows[i]!.id === first.id; i++) {
      const row = rows[i]!;
      if (!configurations[row.config])
        configurations[row.config] = {
          ...(row.config_operator === 'AND' || row.config_operator === 'OR'
            ? { operator: row.config_operator }
            : {}),
          ...(row.config_negate ? { negate: true } : {}),
          nodes: [],
        };
      const config = configurations[row.config]!;
      if (!config.nodes[row.node])
        config.nodes[row.node] = {
          ...(row.node_operator === 'AND' || row.node_operator === 'OR'
            ? { operator: row.node_operator }
            : {}),
          negate: row.node_negate === 1,
          cpeMatch: [],
        };
      const node = config.nodes[row.node]!;
      node.cpeMatch.push(candidateMatch(row));
    }
    let severity: string[] = [];
    let unreadable: string | undefined;
    try {
      const parsed = JSON.parse(first.severity) as unknown;
      if (Array.isArray(parsed) && parsed.every((v) => typeof v === 'string')) severity = parsed;
      else unreadable = 'its severity column is not a list of texts';
    } catch (error) {
      unreadable = `its severity column is not JSON: ${(error as Error).message}`;
    }
    // Holes (a missing configuration or node) mean rows were deleted by hand: not readable.
    const complete = [...configurations.keys()].every(
      (c) =>
        configurations[c] && [...configurations[c].nodes.keys()].every((n) => configurations[c]!.nodes[n]),
    );
    if (!complete) unreadable ??= 'its criteria rows have gaps';
    out.push({
      id: first.id,
      lastModified: first.last_modified,
      ...(first.published ? { published: first.published } : {}),
      ...(first.summary ? { summary: first.summary } : {}),
      severity,
      cve: {
        id: first.id,
        lastModified: first.last_modified,
        configurations: complete ? configurations : [],
      },
      ...(unreadable ? { unreadable } : {}),
    });
  }
  return out;
}

/**
 * NVD CVEs (schema 3): each CVE's raw JSON, and one row per CPE match criterion of its
 * configurations, with where it sits (configuration, node, operators) and its version bounds, so
 * that the CVEs naming a vendor and product are one index look-up.
 */
const NVD_SCHEMA = `
CREATE TABLE IF NOT EXISTS nvd_cves (
  id TEXT PRIMARY KEY,
  last_modified TEXT NOT NULL,
  modified_key TEXT,
  published TEXT,
  vuln_status TEXT,
  summary TEXT,
  severity TEXT NOT NULL,
  raw TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS nvd_cves_by_age ON nvd_cves (modified_key);
CREATE TABLE IF NOT EXISTS nvd_criteria (
  cve_id TEXT NOT NULL,
  config INTEGER NOT NULL,
  node INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  config_operator TEXT,
  config_negate INTEGER NOT NULL,
  node_operator TEXT,
  node_negate INTEGER NOT NULL,
  vulnerable INTEGER NOT NULL,
  criteria TEXT NOT NULL,
  part TEXT,
  vendor TEXT,
  product TEXT,
  version TEXT,
  start_including TEXT,
  start_excluding TEXT,
  end_including TEXT,
  end_excluding TEXT,
  PRIMARY KEY (cve_id, config, node, idx)
) WITHOUT ROWID;
-- Covering what a first pass of matching reads, so that it never opens the table rows.
CREATE INDEX IF NOT EXISTS nvd_criteria_by_product ON nvd_criteria (vendor, product, vulnerable,
  criteria, start_including, start_excluding, end_including, end_excluding);
`;

/**
 * CISA's KEV catalog (schema 4): one row for the catalog held (its version and release date are the
 * data's age), and its entries by CVE id. One catalog at a time: each import replaces it.
 */
const KEV_SCHEMA = `
CREATE TABLE IF NOT EXISTS kev_catalog (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  catalog_version TEXT NOT NULL,
  date_released TEXT NOT NULL,
  count INTEGER NOT NULL,
  source TEXT NOT NULL,
  imported_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS kev_entries (
  cve_id TEXT PRIMARY KEY,
  vendor_project TEXT NOT NULL,
  product TEXT NOT NULL,
  vulnerability_name TEXT NOT NULL,
  date_added TEXT NOT NULL,
  due_date TEXT NOT NULL,
  ransomware TEXT NOT NULL,
  required_action TEXT,
  short_description TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS epss_meta (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  model_version TEXT NOT NULL,
  score_date TEXT NOT NULL,
  count INTEGER NOT NULL,
  source TEXT NOT NULL,
  imported_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS epss_scores (
  cve_id TEXT PRIMARY KEY,
  epss REAL NOT NULL,
  percentile REAL NOT NULL
) WITHOUT ROWID;
`;

/**
 * OSV advisories by git repository (schema 5): one row per advisory and repository its `affected[]`
 * names (a GIT range's `repo`, or a package of ecosystem GIT), keyed by {@link normalizeRepoUrl}, so
 * that SOUP identified by repository is one index look-up. GIT-only advisories name no package and
 * would otherwise be stored but never found.
 */
const GIT_SCHEMA = `
CREATE TABLE IF NOT EXISTS git_affected (
  advisory_id TEXT NOT NULL,
  repo TEXT NOT NULL,
  modified_key TEXT,
  PRIMARY KEY (advisory_id, repo)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS git_affected_by_repo ON git_affected (repo);
`;

/** Newest `modified` per ecosystem without reading the advisories (schema 2). */
const AGE_INDEX = 'CREATE INDEX IF NOT EXISTS affected_by_age ON affected (ecosystem, modified_key);';

/**
 * `modified` as a key that sorts like the instant (RFC 3339 text does not: offsets, fractions), or
 * null when it is no date (Go's zero time, unparseable).
 */
function modifiedKey(modified: unknown): string | null {
  if (typeof modified !== 'string' || !isMeaningfulTimestamp(modified)) return null;
  return timestampKey(modified) ?? null;
}

/** A {@link modifiedKey} back as RFC 3339 UTC, keeping only the fraction digits that are there. */
function keyToTimestamp(key: string): string {
  const fraction = key.slice(20).replace(/0+$/, '');
  return `${key.slice(0, 19)}${fraction ? `.${fraction}` : ''}Z`;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS advisories (
  id TEXT PRIMARY KEY,
  modified TEXT NOT NULL,
  published TEXT,
  withdrawn TEXT,
  summary TEXT,
  severity TEXT,
  schema_version TEXT,
  raw TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS affected (
  advisory_id TEXT NOT NULL,
  ecosystem TEXT NOT NULL,
  ecosystem_full TEXT NOT NULL,
  name TEXT NOT NULL,
  modified_key TEXT,
  PRIMARY KEY (advisory_id, ecosystem_full, name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS affected_by_package ON affected (ecosystem, name);
${AGE_INDEX}
CREATE TABLE IF NOT EXISTS aliases (
  id TEXT NOT NULL,
  alias TEXT NOT NULL,
  PRIMARY KEY (id, alias)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS aliases_by_alias ON aliases (alias);
CREATE TABLE IF NOT EXISTS imports (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  ecosystem TEXT NOT NULL,
  source TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  snapshot TEXT,
  snapshot_basis TEXT,
  records INTEGER NOT NULL,
  added INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  unchanged INTEGER NOT NULL,
  withdrawn INTEGER NOT NULL,
  invalid INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS imports_by_ecosystem ON imports (ecosystem, seq);
${NVD_SCHEMA}
${KEV_SCHEMA}
${GIT_SCHEMA}`;

function severityOf(record: OsvRecord): string | null {
  const all = [
    ...(Array.isArray(record.severity) ? record.severity : []),
    ...(record.affected ?? []).flatMap((a) => {
      const s = (a as { severity?: unknown }).severity;
      return Array.isArray(s) ? (s as { type: string; score: string }[]) : [];
    }),
  ];
  return all.length > 0 ? JSON.stringify(all) : null;
}

const stringOrNull = (value: unknown) => (typeof value === 'string' ? value : null);

/**
 * An advisory as the store gives it back. `unreadable` is set when its stored JSON no longer parses
 * or is not OSV-shaped (a damaged or hand-edited file): the record then carries only the id, dates
 * and withdrawal of its columns, and callers must treat it as unchecked, never as "not affected".
 */
export type StoredAdvisory = OsvRecord & { readonly unreadable?: string };

const ROW_COLUMNS = 'id, modified, withdrawn, raw';

interface AdvisoryRow {
  readonly id: string;
  readonly modified: string;
  readonly withdrawn: string | null;
  readonly raw: string;
}

/** The row's advisory; a row that cannot be read back becomes a marked stub instead of an exception. */
function readRow(row: AdvisoryRow): StoredAdvisory {
  let why: string;
  try {
    const checked = validateOsvRecord(JSON.parse(row.raw));
    if (checked.ok) return checked.record;
    why = checked.reason;
  } catch (error) {
    why = `not valid JSON: ${(error as Error).message}`;
  }
  return {
    id: row.id,
    modified: row.modified,
    ...(row.withdrawn !== null ? { withdrawn: row.withdrawn } : {}),
    affected: [],
    unreadable: why,
  };
}

function friendly(file: string, error: unknown): never {
  const e = error as { code?: string; message?: string };
  if (e?.code === 'SQLITE_NOTADB' || e?.code === 'SQLITE_CORRUPT')
    throw new AdvisoryStoreError(
      `${file} is not a readable advisory database (${e.message}): delete it and import again, or give another --db`,
    );
  if (e?.code === 'SQLITE_CANTOPEN')
    throw new AdvisoryStoreError(
      `cannot open advisory database ${file} (${e.message}): check the path and permissions`,
    );
  throw error;
}

interface KevRow {
  cve_id: string;
  vendor_project: string;
  product: string;
  vulnerability_name: string;
  date_added: string;
  due_date: string;
  ransomware: string;
  required_action: string | null;
  short_description: string | null;
}

function kevEntryOf(row: KevRow): KevEntry {
  return {
    cveID: row.cve_id,
    vendorProject: row.vendor_project,
    product: row.product,
    vulnerabilityName: row.vulnerability_name,
    dateAdded: row.date_added,
    dueDate: row.due_date,
    knownRansomwareCampaignUse: row.ransomware,
    ...(row.required_action !== null ? { requiredAction: row.required_action } : {}),
    ...(row.short_description !== null ? { shortDescription: row.short_description } : {}),
  };
}

interface ImportRowDb {
  ecosystem: string;
  source: string;
  imported_at: string;
  snapshot: string | null;
  snapshot_basis: SnapshotBasis | null;
  added: number;
  updated: number;
  unchanged: number;
  invalid: number;
}

export class AdvisoryStore {
  readonly path: string;
  readonly readonly: boolean;
  readonly #db: Database.Database;
  readonly #byBase: Database.Statement<[string, string], AdvisoryRow>;
  readonly #byFull: Database.Statement<[string, string, string], AdvisoryRow>;
  readonly #withdrawnByBase: Database.Statement<[string, string], AdvisoryRow>;
  readonly #withdrawnByFull: Database.Statement<[string, string, string], AdvisoryRow>;
  readonly #aliasesOf: Database.Statement<[string], string>;
  readonly #aliasedBy: Database.Statement<[string], string>;
  readonly #rowById: Database.Statement<[string], AdvisoryRow>;
  /** False for a schema 1 file opened read-only: ages are then computed from the advisories. */
  readonly #hasModifiedKey: boolean;
  /** False for a schema 1 or 2 file opened read-only: it holds no NVD data. */
  readonly #hasNvd: boolean;
  /** False for a schema 1 to 3 file opened read-only: it holds no KEV catalog. */
  readonly #hasKev: boolean;
  /** False for a schema 1 to 4 file opened read-only: it has no index by repository. */
  readonly #hasGit: boolean;
  #gitByRepo: Database.Statement<[number, string], AdvisoryRow> | undefined;
  #kevById: Database.Statement<[string], KevRow> | undefined;
  #epssById: Database.Statement<[string], EpssScore> | undefined;
  #criteriaByProduct: Database.Statement<[string, string], CandidateRow> | undefined;
  #cveById: Database.Statement<[string], CriterionJoinRow> | undefined;
  /** {@link advisoryData}, computed once until the next write (a scan and the coverage both ask). */
  #data: EcosystemData[] | undefined;
  #writing = false;

  /**
   * Use {@link openAdvisoryStore}.
   * @internal Left out of the published declarations (`stripInternal`): its parameter's type is
   * better-sqlite3's, which a user of the library does not install.
   */
  constructor(file: string, db: Database.Database, readonly: boolean) {
    this.path = file;
    this.#db = db;
    this.readonly = readonly;
    const version = db.pragma('user_version', { simple: true }) as number;
    this.#hasModifiedKey = version >= 2;
    this.#hasNvd = version >= 3;
    this.#hasKev = version >= 4;
    this.#hasGit = version >= 5;
    const affecting = (where: string, withdrawn: boolean) =>
      `SELECT ${ROW_COLUMNS} FROM advisories WHERE withdrawn IS ${withdrawn ? 'NOT ' : ''}NULL AND id IN
         (SELECT advisory_id FROM affected WHERE ${where}) ORDER BY id`;
    this.#byBase = db.prepare<[string, string], AdvisoryRow>(affecting('ecosystem = ? AND name = ?', false));
    this.#byFull = db.prepare<[string, string, string], AdvisoryRow>(
      affecting('ecosystem = ? AND ecosystem_full = ? AND name = ?', false),
    );
    this.#withdrawnByBase = db.prepare<[string, string], AdvisoryRow>(
      affecting('ecosystem = ? AND name = ?', true),
    );
    this.#withdrawnByFull = db.prepare<[string, string, string], AdvisoryRow>(
      affecting('ecosystem = ? AND ecosystem_full = ? AND name = ?', true),
    );
    this.#aliasesOf = db.prepare<[string], string>('SELECT alias FROM aliases WHERE id = ?').pluck();
    this.#aliasedBy = db.prepare<[string], string>('SELECT id FROM aliases WHERE alias = ?').pluck();
    this.#rowById = db.prepare<[string], AdvisoryRow>(`SELECT ${ROW_COLUMNS} FROM advisories WHERE id = ?`);
  }

  #query(ecosystem: string, name: string, withdrawn: boolean): StoredAdvisory[] {
    const base = ecosystemBase(ecosystem);
    const key = normalizePackageName(base, name);
    const rows =
      base === ecosystem
        ? (withdrawn ? this.#withdrawnByBase : this.#byBase).all(base, key)
        : (withdrawn ? this.#withdrawnByFull : this.#byFull).all(base, ecosystem, key);
    return rows.map(readRow);
  }

  /**
   * The non-withdrawn advisories naming this package in `affected[]`, ordered by id. `ecosystem` is an
   * OSV name: `Debian` matches every release, `Debian:12` only that one. PyPI names are normalised.
   */
  findAffecting(ecosystem: string, name: string): StoredAdvisory[] {
    return this.#query(ecosystem, name, false);
  }

  /** The withdrawn advisories naming this package (kept for the audit trail, never matched). */
  withdrawnFor(ecosystem: string, name: string): StoredAdvisory[] {
    return this.#query(ecosystem, name, true);
  }

  /**
   * The advisories naming one of these repositories (keys of {@link normalizeRepoUrl}) in a GIT range
   * or as a package of ecosystem GIT, ordered by id: the non-withdrawn ones, or with `withdrawn` the
   * withdrawn ones. Empty for a file without the index (schema 4 or older, read-only).
   */
  findGitAffecting(repos: readonly string[], withdrawn = false): StoredAdvisory[] {
    if (!this.#hasGit) return [];
    this.#gitByRepo ??= this.#db.prepare<[number, string], AdvisoryRow>(
      `SELECT ${ROW_COLUMNS} FROM advisories WHERE (withdrawn IS NOT NULL) = ? AND id IN
         (SELECT advisory_id FROM git_affected WHERE repo = ?) ORDER BY id`,
    );
    const rows = new Map<string, AdvisoryRow>();
    for (const repo of new Set(repos))
      for (const row of this.#gitByRepo.all(withdrawn ? 1 : 0, repo)) rows.set(row.id, row);
    return [...rows.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(readRow);
  }

  /** The withdrawn advisories naming one of these repositories (never matched; the audit trail). */
  withdrawnForRepos(repos: readonly string[]): StoredAdvisory[] {
    return this.findGitAffecting(repos, true);
  }

  /** What the git index holds: advisories by repository and the newest `modified`; undefined when nothing. */
  gitData(): EcosystemData | undefined {
    if (!this.#hasGit) return undefined;
    const row = this.#db
      .prepare<[], { advisories: number; withdrawn: number; newest: string | null }>(
        `SELECT COUNT(DISTINCT g.advisory_id) AS advisories,
                COUNT(DISTINCT CASE WHEN a.withdrawn IS NOT NULL THEN a.id END) AS withdrawn,
                MAX(g.modified_key) AS newest
           FROM git_affected g JOIN advisories a ON a.id = g.advisory_id`,
      )
      .get()!;
    if (row.advisories === 0) return undefined;
    return {
      ecosystem: GIT_SOURCE,
      advisories: row.advisories,
      withdrawn: row.withdrawn,
      newestModified: row.newest ? keyToTimestamp(row.newest) : null,
      basis: row.newest ? 'modified' : null,
    };
  }

  /** Every withdrawn advisory, ordered by id. */
  listWithdrawn(): StoredAdvisory[] {
    return this.#db
      .prepare<[], AdvisoryRow>(
        `SELECT ${ROW_COLUMNS} FROM advisories WHERE withdrawn IS NOT NULL ORDER BY id`,
      )
      .all()
      .map(readRow);
  }

  /**
   * Every id that names the same vulnerability as `id`, including `id`, sorted. Aliases are symmetric
   * and transitive (OSV schema), so this is the connected component of the alias graph over all
   * stored advisories. `upstream` and `related` are not aliases and are not followed.
   */
  aliasClosure(id: string): string[] {
    const seen = new Set<string>([id]);
    const queue = [id];
    while (queue.length > 0) {
      const next = queue.pop()!;
      for (const other of [...this.#aliasesOf.all(next), ...this.#aliasedBy.all(next)]) {
        if (!seen.has(other)) {
          seen.add(other);
          queue.push(other);
        }
      }
    }
    return [...seen].sort();
  }

  /**
   * The advisory with this id, or, when `id` is an alias (a CVE, a GHSA), the stored advisories that
   * list it in `aliases`. Withdrawn records are included; check `withdrawn`. Empty when unknown.
   */
  get(id: string): StoredAdvisory[] {
    const own = this.#rowById.get(id);
    const aliased = this.#aliasedBy.all(id).filter((other) => other !== id);
    const rows = [
      ...(own !== undefined ? [own] : []),
      ...aliased.flatMap((other) => this.#rowById.get(other) ?? []),
    ];
    return rows.map(readRow);
  }

  /**
   * The NVD CVEs with a CPE match criterion for this vendor and product (or for any vendor or product,
   * `*`), ordered by id, rejected ones left out, each with all its configurations. With `keep`, only
   * the CVEs where `keep` accepts one of those criteria (read from the index alone): the scan passes
   * "could match one of the item's CPEs", so that a product with hundreds of CVEs costs one index
   * range, not hundreds of records. A CVE whose rows cannot be read back comes marked `unreadable`.
   */
  findCves(vendor: string, product: string, keep?: (match: NvdCpeMatch) => boolean): StoredCve[] {
    if (!this.#hasNvd) return [];
    this.#criteriaByProduct ??= this.#db.prepare<[string, string], CandidateRow>(
      `SELECT cve_id, vulnerable, criteria, start_including, start_excluding, end_including, end_excluding
         FROM nvd_criteria WHERE vendor IN (?, '*') AND product IN (?, '*')`,
    );
    this.#cveById ??= this.#db.prepare<[string], CriterionJoinRow>(
      `SELECT c.id, c.last_modified, c.published, c.summary, c.severity, k.config, k.node,
              k.config_operator, k.config_negate, k.node_operator, k.node_negate, k.vulnerable,
              k.criteria, k.start_including, k.start_excluding, k.end_including, k.end_excluding
         FROM nvd_cves c JOIN nvd_criteria k ON k.cve_id = c.id
        WHERE c.id = ? AND (c.vuln_status IS NULL OR c.vuln_status <> 'Rejected')
        ORDER BY k.config, k.node, k.idx`,
    );
    const ids = new Set<string>();
    for (const row of this.#criteriaByProduct.all(vendor, product)) {
      if (ids.has(row.cve_id)) continue;
      if (!keep || keep(candidateMatch(row))) ids.add(row.cve_id);
    }
    return [...ids].sort().flatMap((id) => cvesOfRows(this.#cveById!.all(id)));
  }

  /** What the NVD part holds: CVEs, rejected ones, the newest `lastModified`; undefined when nothing. */
  nvdData(): EcosystemData | undefined {
    if (!this.#hasNvd) return undefined;
    const row = this.#db
      .prepare<[], { cves: number; rejected: number; newest: string | null }>(
        `SELECT COUNT(*) AS cves, COUNT(CASE WHEN vuln_status = 'Rejected' THEN 1 END) AS rejected,
                MAX(modified_key) AS newest FROM nvd_cves`,
      )
      .get()!;
    if (row.cves === 0) return undefined;
    return {
      ecosystem: NVD_SOURCE,
      advisories: row.cves,
      withdrawn: row.rejected,
      newestModified: row.newest ? keyToTimestamp(row.newest) : null,
      basis: row.newest ? 'modified' : null,
    };
  }

  /** The KEV catalog held, or undefined when none was imported ("KEV not checked", never "not listed"). */
  kevCatalog(): KevCatalogInfo | undefined {
    if (!this.#hasKev) return undefined;
    const row = this.#db
      .prepare<[], { catalog_version: string; date_released: string; source: string; imported_at: string }>(
        'SELECT catalog_version, date_released, source, imported_at FROM kev_catalog WHERE one = 1',
      )
      .get();
    if (!row) return undefined;
    const count = this.#db.prepare<[], number>('SELECT COUNT(*) FROM kev_entries').pluck().get()!;
    return {
      catalogVersion: row.catalog_version,
      dateReleased: row.date_released,
      count,
      source: row.source,
      importedAt: row.imported_at,
    };
  }

  /** The EPSS scores held (model and date), or undefined when none were imported ("EPSS not checked"). */
  epssInfo(): EpssInfo | undefined {
    if (!this.#hasKev) return undefined;
    const row = this.#db
      .prepare<
        [],
        { model_version: string; score_date: string; count: number; source: string; imported_at: string }
      >('SELECT model_version, score_date, count, source, imported_at FROM epss_meta WHERE one = 1')
      .get();
    return row
      ? {
          modelVersion: row.model_version,
          scoreDate: row.score_date,
          count: row.count,
          source: row.source,
          importedAt: row.imported_at,
        }
      : undefined;
  }

  /** The EPSS score of a CVE id, when the scores held list it. */
  epssScore(cve: string): EpssScore | undefined {
    if (!this.#hasKev) return undefined;
    this.#epssById ??= this.#db.prepare<[string], EpssScore>(
      'SELECT epss, percentile FROM epss_scores WHERE cve_id = ?',
    );
    return this.#epssById.get(cve);
  }

  /** The KEV entry for a CVE id, or undefined when the catalog held does not list it (or none is held). */
  kevEntry(cve: string): KevEntry | undefined {
    if (!this.#hasKev) return undefined;
    this.#kevById ??= this.#db.prepare<[string], KevRow>('SELECT * FROM kev_entries WHERE cve_id = ?');
    const row = this.#kevById.get(cve);
    return row ? kevEntryOf(row) : undefined;
  }

  /**
   * The vendor/product pairs the NVD data's CVE configurations name as vulnerable, with how many
   * CVEs name each: the offline CPE dictionary `soup suggest-cpe` proposes from. Empty without NVD data.
   */
  nvdProducts(): DictionaryProduct[] {
    if (!this.#hasNvd) return [];
    return this.#db
      .prepare<[], DictionaryProduct>(
        `SELECT part, vendor, product, COUNT(DISTINCT cve_id) AS cves FROM nvd_criteria
          WHERE vulnerable = 1 AND vendor NOT IN ('*', '-') AND product NOT IN ('*', '-')
          GROUP BY part, vendor, product ORDER BY vendor, product, part`,
      )
      .all();
  }

  /** CVEs whose configurations name no CPE at all (awaiting NVD analysis): no CPE can ever match them. */
  nvdWithoutConfigurations(): number {
    if (!this.#hasNvd) return 0;
    return this.#db
      .prepare<[], number>(
        `SELECT COUNT(*) FROM nvd_cves c WHERE (vuln_status IS NULL OR vuln_status <> 'Rejected')
           AND NOT EXISTS (SELECT 1 FROM nvd_criteria k WHERE k.cve_id = c.id)`,
      )
      .pluck()
      .get()!;
  }

  /** Per ecosystem, sorted: how many advisories and how new the newest is (see {@link EcosystemData}). */
  advisoryData(): EcosystemData[] {
    this.#data ??= this.#computeAdvisoryData();
    return this.#data;
  }

  #computeAdvisoryData(): EcosystemData[] {
    const rows = this.#db
      .prepare<[], { ecosystem: string; advisories: number; withdrawn: number; newest: string | null }>(
        this.#hasModifiedKey
          ? `SELECT p.ecosystem AS ecosystem, COUNT(DISTINCT p.advisory_id) AS advisories,
                    COUNT(DISTINCT CASE WHEN a.withdrawn IS NOT NULL THEN a.id END) AS withdrawn,
                    NULL AS newest
               FROM affected p JOIN advisories a ON a.id = p.advisory_id GROUP BY p.ecosystem`
          : `SELECT p.ecosystem AS ecosystem, COUNT(DISTINCT p.advisory_id) AS advisories,
                    COUNT(DISTINCT CASE WHEN a.withdrawn IS NOT NULL THEN a.id END) AS withdrawn,
                    json_group_array(DISTINCT a.modified) AS newest
               FROM affected p JOIN advisories a ON a.id = p.advisory_id GROUP BY p.ecosystem`,
      )
      .all();
    const newestByIndex = this.#hasModifiedKey
      ? this.#db
          .prepare<[string], string | null>('SELECT MAX(modified_key) FROM affected WHERE ecosystem = ?')
          .pluck()
      : undefined;
    const archiveDates = this.#db
      .prepare<[string], string>(
        "SELECT snapshot FROM imports WHERE ecosystem = ? AND snapshot_basis = 'archive-dates' AND snapshot IS NOT NULL",
      )
      .pluck();
    return rows
      .map((row): EcosystemData => {
        // Schema 1 read-only: the keys are computed here from every `modified` of the ecosystem.
        const key = newestByIndex
          ? (newestByIndex.get(row.ecosystem) ?? null)
          : (JSON.parse(row.newest ?? '[]') as unknown[])
              .map(modifiedKey)
              .reduce<string | null>(
                (best, k) => (k !== null && (best === null || k > best) ? k : best),
                null,
              );
        const archive = key
          ? undefined
          : archiveDates
              .all(row.ecosystem)
              .reduce<string | undefined>(
                (best, d) => (best === undefined || compareTimestamps(d, best) > 0 ? d : best),
                undefined,
              );
        return {
          ecosystem: row.ecosystem,
          advisories: row.advisories,
          withdrawn: row.withdrawn,
          newestModified: key ? keyToTimestamp(key) : (archive ?? null),
          basis: key ? 'modified' : archive ? 'archive-dates' : null,
        };
      })
      .filter((d) => d.ecosystem !== GIT_SOURCE)
      .concat(this.nvdData() ?? [], this.gitData() ?? [])
      .sort((a, b) => (a.ecosystem < b.ecosystem ? -1 : a.ecosystem > b.ecosystem ? 1 : 0));
  }

  /** What is loaded, per ecosystem, with snapshot dates and the latest import. */
  status(): StoreStatus {
    const counts = this.#db
      .prepare<[], { ecosystem: string; advisories: number; withdrawn: number }>(
        `SELECT p.ecosystem AS ecosystem, COUNT(DISTINCT a.id) AS advisories,
                COUNT(DISTINCT CASE WHEN a.withdrawn IS NOT NULL THEN a.id END) AS withdrawn
           FROM affected p JOIN advisories a ON a.id = p.advisory_id GROUP BY p.ecosystem`,
      )
      .all();
    const nvd = this.nvdData();
    if (nvd) counts.push({ ecosystem: NVD_SOURCE, advisories: nvd.advisories, withdrawn: nvd.withdrawn });
    // Repository-keyed advisories count by the git index alone (packages of ecosystem GIT included).
    const git = this.gitData();
    const gitAt = counts.findIndex((c) => c.ecosystem === GIT_SOURCE);
    if (gitAt >= 0) counts.splice(gitAt, 1);
    if (git) counts.push({ ecosystem: GIT_SOURCE, advisories: git.advisories, withdrawn: git.withdrawn });
    const imports = this.#db.prepare<[], ImportRowDb>('SELECT * FROM imports ORDER BY seq').all();
    // One definition of the data age everywhere: the newest `modified` among the stored advisories.
    const ages = new Map(this.advisoryData().map((d) => [d.ecosystem, d]));
    const names = new Set([...counts.map((c) => c.ecosystem), ...imports.map((i) => i.ecosystem)]);
    const ecosystems = [...names].sort().map((ecosystem): EcosystemStatus => {
      const count = counts.find((c) => c.ecosystem === ecosystem);
      const mine = imports.filter((i) => i.ecosystem === ecosystem);
      const last = mine[mine.length - 1];
      // The newest snapshot over all imports: importing an older archive does not make the data older.
      const dated = mine.filter((i) => i.snapshot !== null);
      const best = dated.reduce<ImportRowDb | undefined>(
        (b, i) => (b === undefined || compareTimestamps(i.snapshot!, b.snapshot!) > 0 ? i : b),
        undefined,
      );
      return {
        ecosystem,
        advisories: count?.advisories ?? 0,
        withdrawn: count?.withdrawn ?? 0,
        comparator:
          ecosystem === NVD_SOURCE ||
          isRepoKeyedEcosystem(ecosystem) ||
          comparatorFor(ecosystem) !== undefined,
        snapshot: ages.get(ecosystem)?.newestModified ?? best?.snapshot ?? null,
        snapshotBasis: ages.get(ecosystem)?.basis ?? best?.snapshot_basis ?? null,
        importedAt: last?.imported_at ?? null,
        source: last?.source ?? null,
        imports: mine.length,
        lastImport: last
          ? { added: last.added, updated: last.updated, unchanged: last.unchanged, invalid: last.invalid }
          : null,
      };
    });
    const total = this.#db
      .prepare<[], { advisories: number; withdrawn: number; withoutPackage: number }>(
        `SELECT COUNT(*) AS advisories, COUNT(withdrawn) AS withdrawn,
                (SELECT COUNT(*) FROM advisories a WHERE NOT EXISTS
                   (SELECT 1 FROM affected p WHERE p.advisory_id = a.id)) AS withoutPackage
           FROM advisories`,
      )
      .get()!;
    return { path: this.path, schemaVersion: ADVISORY_SCHEMA_VERSION, ecosystems, total };
  }

  /**
   * Runs `job` inside one write transaction: everything it writes is committed together, or, if it
   * throws, nothing is. Used by `importAdvisories`; one write at a time per store.
   */
  async write<T>(job: (writer: AdvisoryWriter) => Promise<T>): Promise<T> {
    if (this.readonly) throw new AdvisoryStoreError(`${this.path} is open read-only`);
    if (this.#writing) throw new Error('AdvisoryStore.write: another write is in progress');
    const db = this.#db;
    const modifiedOf = db.prepare<[string], string>('SELECT modified FROM advisories WHERE id = ?').pluck();
    const deleteAffected = db.prepare('DELETE FROM affected WHERE advisory_id = ?');
    const deleteAliases = db.prepare('DELETE FROM aliases WHERE id = ?');
    const upsert = db.prepare(
      `INSERT INTO advisories (id, modified, published, withdrawn, summary, severity, schema_version, raw)
       VALUES (@id, @modified, @published, @withdrawn, @summary, @severity, @schema_version, @raw)
       ON CONFLICT (id) DO UPDATE SET modified = excluded.modified, published = excluded.published,
         withdrawn = excluded.withdrawn, summary = excluded.summary, severity = excluded.severity,
         schema_version = excluded.schema_version, raw = excluded.raw`,
    );
    const insertAffected = db.prepare(
      `INSERT OR IGNORE INTO affected (advisory_id, ecosystem, ecosystem_full, name, modified_key)
       VALUES (?, ?, ?, ?, ?)`,
    );
    const insertAlias = db.prepare('INSERT OR IGNORE INTO aliases (id, alias) VALUES (?, ?)');
    const deleteGit = db.prepare('DELETE FROM git_affected WHERE advisory_id = ?');
    const insertGit = db.prepare(
      'INSERT OR IGNORE INTO git_affected (advisory_id, repo, modified_key) VALUES (?, ?, ?)',
    );
    const cveModifiedOf = db
      .prepare<[string], string>('SELECT last_modified FROM nvd_cves WHERE id = ?')
      .pluck();
    const deleteCriteria = db.prepare('DELETE FROM nvd_criteria WHERE cve_id = ?');
    const upsertCve = db.prepare(
      `INSERT INTO nvd_cves (id, last_modified, modified_key, published, vuln_status, summary, severity, raw)
       VALUES (@id, @lastModified, @modifiedKey, @published, @vulnStatus, @summary, @severity, @raw)
       ON CONFLICT (id) DO UPDATE SET last_modified = excluded.last_modified,
         modified_key = excluded.modified_key, published = excluded.published,
         vuln_status = excluded.vuln_status, summary = excluded.summary,
         severity = excluded.severity, raw = excluded.raw`,
    );
    const insertCriterion = db.prepare(
      `INSERT OR REPLACE INTO nvd_criteria (cve_id, config, node, idx, config_operator, config_negate,
         node_operator, node_negate, vulnerable, criteria, part, vendor, product, version,
         start_including, start_excluding, end_including, end_excluding)
       VALUES (@cveId, @config, @node, @idx, @configOperator, @configNegate, @nodeOperator, @nodeNegate, @vulnerable,
         @criteria, @part, @vendor, @product, @version, @startIncluding, @startExcluding,
         @endIncluding, @endExcluding)`,
    );
    const insertImport = db.prepare(
      `INSERT INTO imports (ecosystem, source, imported_at, snapshot, snapshot_basis, records, added,
         updated, unchanged, withdrawn, invalid)
       VALUES (@ecosystem, @source, @importedAt, @snapshot, @snapshotBasis, @records, @added, @updated,
         @unchanged, @withdrawn, @invalid)`,
    );
    const writer: AdvisoryWriter = {
      storedModified: (id) => modifiedOf.get(id),
      storedRaw: (id) => this.#rowById.get(id)?.raw,
      put: (record, raw) => {
        deleteAffected.run(record.id);
        deleteAliases.run(record.id);
        upsert.run({
          id: record.id,
          modified: record.modified,
          published: stringOrNull(record.published),
          withdrawn: stringOrNull(record.withdrawn),
          summary: stringOrNull(record.summary),
          severity: severityOf(record),
          schema_version: stringOrNull((record as { schema_version?: unknown }).schema_version),
          raw,
        });
        const key = modifiedKey(record.modified);
        for (const affected of record.affected ?? []) {
          const pkg = affected.package;
          if (!pkg) continue;
          const base = ecosystemBase(pkg.ecosystem);
          insertAffected.run(record.id, base, pkg.ecosystem, normalizePackageName(base, pkg.name), key);
        }
        for (const alias of record.aliases ?? []) if (alias !== record.id) insertAlias.run(record.id, alias);
        deleteGit.run(record.id);
        for (const repo of reposOfRecord(record)) insertGit.run(record.id, repo, key);
      },
      storedCveModified: (id) => cveModifiedOf.get(id),
      putCve: (cve, raw, criteria) => {
        deleteCriteria.run(cve.id);
        const lastModified = nvdTimestamp(cve.lastModified) ?? cve.lastModified;
        upsertCve.run({
          id: cve.id,
          lastModified,
          modifiedKey: modifiedKey(lastModified),
          published:
            typeof cve.published === 'string' ? (nvdTimestamp(cve.published) ?? cve.published) : null,
          vulnStatus: stringOrNull(cve.vulnStatus),
          summary: nvdSummary(cve) ?? null,
          severity: JSON.stringify(nvdSeverity(cve)),
          raw,
        });
        for (const c of criteria)
          insertCriterion.run({
            ...c,
            cveId: cve.id,
            configNegate: c.configNegate ? 1 : 0,
            nodeNegate: c.nodeNegate ? 1 : 0,
            vulnerable: c.vulnerable ? 1 : 0,
          });
      },
      logImport: (row) => {
        insertImport.run(row);
      },
      replaceEpss: (data, source, importedAt) => {
        db.exec('DELETE FROM epss_scores; DELETE FROM epss_meta;');
        db.prepare(
          `INSERT INTO epss_meta (one, model_version, score_date, count, source, imported_at)
           VALUES (1, ?, ?, ?, ?, ?)`,
        ).run(data.modelVersion, data.scoreDate, data.scores.length, source, importedAt);
        const insert = db.prepare(
          'INSERT OR REPLACE INTO epss_scores (cve_id, epss, percentile) VALUES (?, ?, ?)',
        );
        for (const s of data.scores) insert.run(s.cve, s.epss, s.percentile);
      },
      replaceKev: (catalog, source, importedAt) => {
        db.exec('DELETE FROM kev_entries; DELETE FROM kev_catalog;');
        db.prepare(
          `INSERT INTO kev_catalog (one, catalog_version, date_released, count, source, imported_at)
           VALUES (1, ?, ?, ?, ?, ?)`,
        ).run(catalog.catalogVersion, catalog.dateReleased, catalog.entries.length, source, importedAt);
        const insert = db.prepare(
          `INSERT OR REPLACE INTO kev_entries (cve_id, vendor_project, product, vulnerability_name,
             date_added, due_date, ransomware, required_action, short_description)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        );
        for (const e of catalog.entries)
          insert.run(
            e.cveID,
            e.vendorProject,
            e.product,
            e.vulnerabilityName,
            e.dateAdded,
            e.dueDate,
            e.knownRansomwareCampaignUse,
            e.requiredAction ?? null,
            e.shortDescription ?? null,
          );
      },
    };
    this.#writing = true;
    this.#data = undefined;
    db.exec('BEGIN IMMEDIATE');
    try {
      const result = await job(writer);
      db.exec('COMMIT');
      return result;
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    } finally {
      this.#writing = false;
      this.#data = undefined;
    }
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

/**
 * Checks the schema, and (writable) creates or upgrades it. Concurrent first imports must not
 * both see an empty database and both create tables: for a writable store the version is read
 * and the schema written inside one `BEGIN IMMEDIATE` transaction, which takes SQLite's write lock
 * first, so a second process waits (busy_timeout) and then finds the schema made.
 */
/**
 * better-sqlite3 (a native addon), loaded when a database is first opened: `dossier check` on a
 * project without advisory data never loads it.
 */
let sqliteModule: typeof Database | undefined;
function sqlite(): typeof Database {
  sqliteModule ??= createRequire(import.meta.url)('better-sqlite3') as typeof Database;
  return sqliteModule;
}

function createOrCheckSchema(file: string, db: Database.Database, readonly: boolean): void {
  if (readonly) {
    checkSchema(file, db, true);
    return;
  }
  db.transaction(() => checkSchema(file, db, false)).immediate();
}

function checkSchema(file: string, db: Database.Database, readonly: boolean): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > ADVISORY_SCHEMA_VERSION)
    throw new AdvisoryStoreError(
      `${file} was written by a newer Dossier (advisory database schema ${version}; this version reads up to ${ADVISORY_SCHEMA_VERSION}): upgrade Dossier, or use another --db`,
    );
  if (version === ADVISORY_SCHEMA_VERSION) return;
  if (version >= 1 && version <= 4) {
    if (readonly) return;
    if (version === 1) upgradeFromSchema1(db);
    if (version <= 2) upgradeFromSchema2(db);
    if (version <= 3) upgradeFromSchema3(db);
    upgradeFromSchema4(db);
    return;
  }
  const tables = db
    .prepare<[], number>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'")
    .pluck()
    .get();
  if (tables !== 0)
    throw new AdvisoryStoreError(
      `${file} is an SQLite database but not a Dossier advisory database: give another --db`,
    );
  if (readonly)
    throw new AdvisoryStoreError(
      `${file} holds no advisories yet: run "dossier advisories sync" or "dossier advisories import <all.zip>" first`,
    );
  db.exec(SCHEMA);
  db.pragma(`user_version = ${ADVISORY_SCHEMA_VERSION}`);
}

/** Schema 1 → 2: the newest-`modified` key of each affected row, and its index. */
function upgradeFromSchema1(db: Database.Database): void {
  // Runs inside createOrCheckSchema's write transaction (a nested transaction is a savepoint).
  db.transaction(() => {
    db.exec('ALTER TABLE affected ADD COLUMN modified_key TEXT');
    const update = db.prepare('UPDATE affected SET modified_key = ? WHERE advisory_id = ?');
    const rows = db
      .prepare<[], { id: string; modified: string }>('SELECT id, modified FROM advisories')
      .all();
    for (const row of rows) update.run(modifiedKey(row.modified), row.id);
    db.exec(AGE_INDEX);
    db.pragma('user_version = 2');
  })();
}

/** Schema 2 → 3: the NVD tables (empty: NVD data is imported, never derived from OSV). */
function upgradeFromSchema2(db: Database.Database): void {
  db.transaction(() => {
    db.exec(NVD_SCHEMA);
    db.pragma('user_version = 3');
  })();
}

/** Schema 3 → 4: the KEV tables (empty until a catalog is imported: "KEV not checked"). */
function upgradeFromSchema3(db: Database.Database): void {
  db.transaction(() => {
    db.exec(KEV_SCHEMA);
    db.pragma('user_version = 4');
  })();
}

/**
 * Schema 4 → 5: the index by git repository, filled from the advisories already stored (GIT-only
 * records were kept but could not be found), in batches so that a large store is not read at once.
 */
function upgradeFromSchema4(db: Database.Database): void {
  db.transaction(() => {
    db.exec(GIT_SCHEMA);
    const batch = db.prepare<[number], { rowid: number; id: string; modified: string; raw: string }>(
      `SELECT rowid, id, modified, raw FROM advisories WHERE rowid > ? AND raw LIKE '%GIT%'
        ORDER BY rowid LIMIT 500`,
    );
    const insert = db.prepare(
      'INSERT OR IGNORE INTO git_affected (advisory_id, repo, modified_key) VALUES (?, ?, ?)',
    );
    let after = 0;
    for (;;) {
      const rows = batch.all(after);
      if (rows.length === 0) break;
      for (const row of rows) {
        after = row.rowid;
        const stored = readRow({ id: row.id, modified: row.modified, withdrawn: null, raw: row.raw });
        // An unreadable record stays unindexed here; a scan by package still reports it.
        for (const repo of reposOfRecord(stored)) insert.run(row.id, repo, modifiedKey(row.modified));
      }
    }
    db.pragma('user_version = 5');
  })();
}

/**
 * The files SQLite reads for the database at `file`: the database and its write-ahead log, which
 * SQLite keeps beside the database's real file (a symbolic link resolved), not beside the link.
 */
function sqliteFiles(file: string): string[] {
  let real = file;
  try {
    real = fs.realpathSync(file);
  } catch {
    // not there: the database is missing, as the trace notes
  }
  return [...new Set([file, `${file}-wal`, real, `${real}-wal`])];
}

/**
 * Opens (and, unless read-only, creates with its parent folders) the advisory database at `file`.
 * Throws {@link AdvisoryStoreError} when the file is missing (read-only), is not an advisory
 * database, or was written by a newer version of Dossier.
 */
export function openAdvisoryStore(file: string, options: { readonly?: boolean } = {}): AdvisoryStore {
  const readonly = options.readonly ?? false;
  const resolved = path.resolve(file);
  // SQLite reads the database and its write-ahead log itself, unseen by a trace of this process.
  if (tracing()) noteInputFiles(sqliteFiles(resolved));
  if (readonly && !fs.existsSync(resolved))
    throw new AdvisoryStoreError(
      `no advisory database at ${file}: run "dossier advisories sync" or "dossier advisories import <all.zip>" first (or give --db)`,
    );
  if (!readonly) {
    try {
      fs.mkdirSync(path.dirname(resolved), { recursive: true });
    } catch (error) {
      throw new AdvisoryStoreError(
        `cannot create the folder for ${file} (${(error as Error).message}): give another --db`,
      );
    }
  }
  let db: Database.Database | undefined;
  try {
    const SQLite = sqlite();
    db = new SQLite(resolved, { readonly, fileMustExist: readonly });
    db.pragma('busy_timeout = 5000');
    if (!readonly) db.pragma('journal_mode = WAL');
    createOrCheckSchema(file, db, readonly);
    return new AdvisoryStore(resolved, db, readonly);
  } catch (error) {
    db?.close();
    if (error instanceof AdvisoryStoreError) throw error;
    return friendly(file, error);
  }
}
