import fs from 'node:fs';
import path from 'node:path';
import { type Analysis, analyze } from '../analyze.js';
import { loadConfig } from '../load/config-load.js';
import type { Project } from '../load/project.js';
import type { DossierConfig } from '../model/config.js';
import { AdvisoryStoreError, defaultAdvisoryDbPath, openAdvisoryStore } from '../soup/advisories/store.js';
import type { AdvisorySource } from '../soup/scan.js';
import { UsageError } from './io.js';

/** Where Dossier keeps its local state (advisory database, last scan): `<project>/.dossier`. */
export function stateDir(dir: string): string {
  return path.dirname(defaultAdvisoryDbPath(dir));
}

/**
 * The advisory database every command uses: `--db`/`--advisories`, else `DOSSIER_ADVISORY_DB`, else
 * `soup.advisoryDatabase` of the project's dossier.yaml, else `<project>/.dossier/advisories.sqlite`.
 */
export function advisoryDbPath(
  dir: string,
  config: Pick<DossierConfig, 'soup'> | undefined,
  explicit?: string,
): string {
  if (explicit) return path.resolve(explicit);
  if (process.env.DOSSIER_ADVISORY_DB) return path.resolve(process.env.DOSSIER_ADVISORY_DB);
  if (config?.soup?.advisoryDatabase) return path.resolve(dir, config.soup.advisoryDatabase);
  return defaultAdvisoryDbPath(dir);
}

/** The `soup` settings of the dossier.yaml in `dir`, when there is a valid one (advisory commands need no project). */
export function configuredSoup(dir: string): Pick<DossierConfig, 'soup'> | undefined {
  const load = loadConfig(path.resolve(dir));
  return load.config ? { soup: load.config.soup } : undefined;
}

export interface OpenedAdvisories {
  readonly source: AdvisorySource;
  readonly snapshots: { ecosystem: string; snapshot?: string; advisories: number }[];
  /** Data older than `soup.maxAdvisoryAgeDays` (default 7), said on every use. */
  readonly warnings: string[];
  close(): void;
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * Opens the project's advisory database read-only. Without one: undefined, or with `required` a
 * usage error that says how to get the data.
 */
export function openProjectAdvisories(
  dir: string,
  config: Pick<DossierConfig, 'soup'>,
  explicit: string | undefined,
  { required }: { required: boolean },
): OpenedAdvisories | undefined {
  const file = advisoryDbPath(dir, config, explicit);
  if (!fs.existsSync(file)) {
    if (!required && !explicit) return undefined;
    throw new UsageError(
      `no advisory database at ${path.relative(process.cwd(), file) || file}; load advisory data first: dossier advisories import <all.zip|dir> (offline) or dossier advisories sync`,
    );
  }
  let store: ReturnType<typeof openAdvisoryStore>;
  try {
    store = openAdvisoryStore(file, { readonly: true });
  } catch (error) {
    if (error instanceof AdvisoryStoreError) throw new UsageError(error.message);
    throw error;
  }
  const status = store.status();
  const maxAge = config.soup?.maxAdvisoryAgeDays ?? 7;
  const warnings: string[] = [];
  for (const e of status.ecosystems) {
    if (!e.snapshot) continue;
    const age = Math.floor((Date.now() - Date.parse(e.snapshot)) / DAY);
    if (age > maxAge) {
      warnings.push(
        `${e.ecosystem} advisory data is ${age} days old (snapshot ${e.snapshot.slice(0, 10)}); refresh it with dossier advisories sync`,
      );
    }
  }
  return {
    source: store,
    snapshots: status.ecosystems.map((e) => ({
      ecosystem: e.ecosystem,
      ...(e.snapshot ? { snapshot: e.snapshot } : {}),
      advisories: e.advisories - e.withdrawn,
    })),
    warnings,
    close: () => store.close(),
  };
}

export interface AdvisedAnalysis {
  readonly analysis: Analysis;
  /** The advisory data the analysis used, when there was any. */
  readonly snapshots?: OpenedAdvisories['snapshots'];
}

/**
 * Analyses a project with its advisory data, when there is some (or, with `required`, insists on
 * it). Warnings about old data go to standard error. The store is closed before returning: the
 * SOUP scan has read what it needs during the analysis.
 */
export function analyzeWithAdvisories(
  dir: string,
  project: Project,
  explicit: string | undefined,
  options: { required: boolean },
): AdvisedAnalysis {
  const advisories = openProjectAdvisories(dir, project.config, explicit, options);
  try {
    for (const warning of advisories?.warnings ?? []) process.stderr.write(`warning: ${warning}\n`);
    const analysis = analyze(project, advisories ? { advisories: advisories.source } : {});
    return { analysis, ...(advisories ? { snapshots: advisories.snapshots } : {}) };
  } finally {
    advisories?.close();
  }
}
