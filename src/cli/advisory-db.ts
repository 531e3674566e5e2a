import fs from 'node:fs';
import path from 'node:path';
import { type Analysis, analyze } from '../analyze.js';
import { loadConfig } from '../load/config-load.js';
import type { Project } from '../load/project.js';
import { advisoryMaxAgeDays, type DossierConfig } from '../model/config.js';
import { AdvisoryStoreError, defaultAdvisoryDbPath, openAdvisoryStore } from '../soup/advisories/store.js';
import { freshnessAt, notScannedText, staleText } from '../soup/coverage.js';
import { NVD_SOURCE } from '../soup/nvd/types.js';
import type { AdvisorySource } from '../soup/scan.js';
import { today } from '../util/clock.js';
import { UsageError } from './io.js';
import { writeErr } from './terminal.js';

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

/**
 * The `soup`, `advisories` and `limits` settings of the dossier.yaml in `dir`, when there is a valid
 * one (advisory commands need no project).
 */
export function configuredSoup(
  dir: string,
): Pick<DossierConfig, 'soup' | 'advisories' | 'limits'> | undefined {
  const load = loadConfig(path.resolve(dir));
  return load.config
    ? { soup: load.config.soup, advisories: load.config.advisories, limits: load.config.limits }
    : undefined;
}

export interface OpenedAdvisories {
  readonly source: AdvisorySource;
  /** Per ecosystem: the newest `modified` of its advisories (the data age) and how many there are. */
  readonly snapshots: { ecosystem: string; snapshot?: string; advisories: number }[];
  close(): void;
}

/** An advisory database opened read-only; a store that cannot be opened is a usage error (exit 2). */
export function openStoreReadOnly(file: string): ReturnType<typeof openAdvisoryStore> {
  try {
    return openAdvisoryStore(file, { readonly: true });
  } catch (error) {
    if (error instanceof AdvisoryStoreError) throw new UsageError(error.message);
    throw error;
  }
}

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
  const store = openStoreReadOnly(file);
  return {
    source: store,
    snapshots: store.advisoryData().map((e) => ({
      ecosystem: e.ecosystem,
      ...(e.newestModified ? { snapshot: e.newestModified } : {}),
      advisories: e.advisories - e.withdrawn,
    })),
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
 * it), on the clock's date. With `warn`, what the output itself does not say goes to standard
 * error: ecosystems of the SOUP in use without data (`all`) or with stale data (`all`, `stale`);
 * check, build and release check report these themselves. The store is closed before returning: the SOUP scan has read what
 * it needs during the analysis.
 */
export function analyzeWithAdvisories(
  dir: string,
  project: Project,
  explicit: string | undefined,
  options: { required: boolean; warn?: 'all' | 'stale'; previous?: Analysis },
): AdvisedAnalysis {
  const advisories = openProjectAdvisories(dir, project.config, explicit, options);
  try {
    const analysis = analyze(project, {
      ...(advisories ? { advisories: advisories.source } : {}),
      today: today(),
      ...(options.previous ? { previous: options.previous } : {}),
    });
    if (options.warn) {
      for (const warning of coverageWarnings(analysis, options.warn)) writeErr(`warning: ${warning}\n`);
    }
    return { analysis, ...(advisories ? { snapshots: advisories.snapshots } : {}) };
  } finally {
    advisories?.close();
  }
}

/** Ecosystems of the SOUP in use that were not checked or whose data is stale, today. */
function coverageWarnings(analysis: Analysis, which: 'all' | 'stale'): string[] {
  const maxAge = advisoryMaxAgeDays(analysis.project.config);
  return freshnessAt(analysis.advisoryCoverage, analysis.today, maxAge).flatMap((f) =>
    f.status === 'no-data' && which === 'all'
      ? [`${notScannedText(f.ecosystem, f.items)}: their known vulnerabilities were not checked`]
      : f.status === 'stale'
        ? [
            `${staleText(f, analysis.today, maxAge)}; refresh it with ${f.ecosystem === NVD_SOURCE ? 'newer NVD JSON (dossier advisories import)' : 'dossier advisories sync'}`,
          ]
        : [],
  );
}
