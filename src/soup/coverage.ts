/**
 * Advisory coverage per ecosystem (IEC 62304 7.1.3; NVD counts as one, for SOUP with a `cpe`, and
 * GIT, OSV's advisories keyed by repository, for SOUP with a `repository` or a `pkg:github` purl):
 * which ecosystems the SOUP in use belongs to,
 * whether the advisory data holds anything for each, and how old that data is. "No finding" means
 * something only for an ecosystem whose data is there and recent enough: everything else is "not
 * checked", and is said so per ecosystem.
 */
import { compareById, type DossierRecord } from '../model/record.js';
import { daysBetween } from '../util/clock.js';
import type { EcosystemData } from './advisories/store.js';
import { timestampKey } from './advisories/timestamps.js';
import { NVD_SOURCE } from './nvd/types.js';
import { GIT_SOURCE } from './osv/git.js';
import { advisorySourcesOf, packageOf } from './scan.js';

export interface EcosystemCoverage {
  readonly ecosystem: string;
  /** The SOUP (in use, or in a release's scope) that belongs to this ecosystem, sorted. */
  readonly soupIds: readonly string[];
  /** What the advisory data holds for it; undefined when nothing (or when no data was loaded at all). */
  readonly data?: EcosystemData;
}

/** Advisory coverage of SOUP no advisory database can match: they need a review by hand (7.1.3). */
export const NOT_MATCHABLE = 'not matchable';

/** The OSV ecosystem of a SOUP record, or undefined when no advisory database can name it. */
export function ecosystemOf(soup: DossierRecord): string | undefined {
  const ref = packageOf(soup);
  return 'why' in ref ? undefined : ref.ecosystem;
}

/**
 * Coverage of each ecosystem the `soups` use, plus each ecosystem the data holds that none uses
 * (the manifest records every age), sorted by name. `data` undefined: no advisory data was loaded.
 */
export function advisoryCoverage(
  soups: readonly DossierRecord[],
  data: readonly EcosystemData[] | undefined,
): EcosystemCoverage[] {
  const byEcosystem = new Map<string, string[]>();
  // A SOUP item with a purl and a CPE counts under its ecosystem and under NVD: each source that
  // could match it must have its data, or it is not checked by that source.
  for (const soup of [...soups].sort(compareById)) {
    for (const ecosystem of advisorySourcesOf(soup))
      byEcosystem.set(ecosystem, [...(byEcosystem.get(ecosystem) ?? []), soup.id]);
  }
  const held = new Map((data ?? []).filter((d) => d.advisories > 0).map((d) => [d.ecosystem, d]));
  const names = [...new Set([...byEcosystem.keys(), ...held.keys()])].sort(compareNames);
  return names.map((ecosystem) => ({
    ecosystem,
    soupIds: byEcosystem.get(ecosystem) ?? [],
    ...(held.has(ecosystem) ? { data: held.get(ecosystem)! } : {}),
  }));
}

/** Case-insensitive, so that "crates.io", "npm" and "PyPI" read in alphabetical order. */
function compareNames(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The coverage restricted to some SOUP (a release's scope): ecosystems of the data stay listed,
 * ecosystems neither that SOUP nor the data has are left out.
 */
export function coverageOf(
  coverage: readonly EcosystemCoverage[],
  soupIds: ReadonlySet<string>,
): EcosystemCoverage[] {
  return coverage
    .map((c) => ({ ...c, soupIds: c.soupIds.filter((id) => soupIds.has(id)) }))
    .filter((c) => c.data !== undefined || c.soupIds.length > 0);
}

export type FreshnessStatus = 'current' | 'stale' | 'no-data' | 'unused';

/** An ecosystem's advisory data judged at a reference date (a release date, or today). */
export interface AdvisoryFreshness {
  readonly ecosystem: string;
  /** SOUP items of the ecosystem. */
  readonly items: number;
  readonly advisories: number;
  readonly newestModified: string | null;
  readonly basis: EcosystemData['basis'];
  /** Days from the newest `modified` to the reference date (0 when the data is newer); null when unknown. */
  readonly ageDays: number | null;
  /**
   * `no-data`: SOUP uses it and the data holds nothing (not checked); `stale`: older than the limit
   * or of unknown age; `unused`: data no SOUP needs; `current`: there and recent enough.
   */
  readonly status: FreshnessStatus;
}

/** Each ecosystem's data judged at `referenceDate` against `maxAgeDays`. */
export function freshnessAt(
  coverage: readonly EcosystemCoverage[],
  referenceDate: string,
  maxAgeDays: number,
): AdvisoryFreshness[] {
  return coverage.map((c) => {
    const newest = c.data?.newestModified ?? null;
    const ageDays = newest === null ? null : Math.max(0, daysBetween(utcDate(newest), referenceDate));
    const status: FreshnessStatus =
      c.soupIds.length === 0
        ? 'unused'
        : !c.data
          ? 'no-data'
          : ageDays === null || ageDays > maxAgeDays
            ? 'stale'
            : 'current';
    return {
      ecosystem: c.ecosystem,
      items: c.soupIds.length,
      advisories: c.data?.advisories ?? 0,
      newestModified: newest,
      basis: c.data?.basis ?? null,
      ageDays,
      status,
    };
  });
}

/** The UTC calendar date of an RFC 3339 timestamp (offsets applied). */
export function utcDate(timestamp: string): string {
  return (timestampKey(timestamp) ?? timestamp).slice(0, 10);
}

/** "12 npm SOUP items not scanned: no npm advisory data": the one wording of every output. */
export function notScannedText(ecosystem: string, items: number): string {
  if (ecosystem === NVD_SOURCE)
    return `${items} SOUP item${items === 1 ? '' : 's'} with a CPE not scanned: no NVD data`;
  if (ecosystem === GIT_SOURCE)
    return `${items} SOUP item${items === 1 ? '' : 's'} with a repository not scanned: no OSV advisories keyed by git repository (GIT)`;
  return `${items} ${ecosystem} SOUP item${items === 1 ? '' : 's'} not scanned: no ${ecosystem} advisory data`;
}

/** How to load the data of an ecosystem (or of the NVD), for messages that say it is missing. */
export function loadDataHint(ecosystem: string): string {
  if (ecosystem === GIT_SOURCE)
    return "dossier advisories import <osv.dev's GIT/all.zip, or a folder of OSV records with GIT ranges>";
  return ecosystem === NVD_SOURCE
    ? 'dossier advisories import <NVD CVE API 2.0 JSON: a year file, API pages or a folder>'
    : `dossier advisories import <${ecosystem}-all.zip> or dossier advisories sync`;
}

/** Why a stale ecosystem is stale, at `referenceDate`. */
export function staleText(f: AdvisoryFreshness, referenceDate: string, maxAgeDays: number): string {
  if (f.newestModified === null || f.ageDays === null)
    return `${f.ecosystem} advisory data carries no usable modified date, so its age at ${referenceDate} is unknown`;
  return `${f.ecosystem} advisory data reaches only ${utcDate(f.newestModified)} (its newest modified advisory), ${f.ageDays} days before ${referenceDate}; the limit is ${maxAgeDays} days (advisories.maxAgeDays)`;
}
