/**
 * Builds the {@link SbomDocument} from a project's records: SOUP in use, their classes, and the
 * vulnerability evaluations. Dates come from the records, never the clock, so the documents are
 * reproducible (the same records give byte-identical SBOMs).
 */

import type { Analysis } from '../../analyze.js';
import { appliesTo } from '../../evidence/verdicts.js';
import { compareById, type DossierRecord, isActive } from '../../model/record.js';
import { DOSSIER_VERSION } from '../../version.js';
import type { EcosystemData } from '../advisories/store.js';
import { anomalyReviewOf, vulnerabilityReviewGap } from '../anomaly-review.js';
import { cpeTextsOf } from '../cpe/name.js';
import { cvssRatings } from '../cvss/ratings.js';
import { NVD_SOURCE } from '../nvd/types.js';
import {
  advisorySourcesOf,
  optionalSourcesOf,
  type SoupFinding,
  type SoupScan,
  unmatchableWhy,
} from '../scan.js';
import { inBuildOn, soupOfVersion, soupVersionAt } from '../scope.js';
import type {
  SbomComponent,
  SbomDocument,
  VexEpss,
  VexJustification,
  VexKev,
  VexStatement,
  VexStatus,
} from './types.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** The release an SBOM describes: its version and, when recorded, its date. */
export interface SbomRelease {
  readonly version: string;
  readonly date?: string;
}

/** What a SOUP record said at a release: its version then, and the purl of that version if known. */
interface SoupAtRelease {
  readonly version: string;
  /** Undefined when the record's purl does not carry its current version (so it cannot be rewound). */
  readonly purl?: string;
  /** False when the version changed after the release: hashes and the anomaly review describe the later one. */
  readonly current: boolean;
}

/**
 * The SOUP record as it was at the release: present unless `removed` on or before the release
 * date (without a date, removed means not in it), at the version it had before any change recorded
 * after the release date. Undefined when the component was not in the release.
 */
function soupAtRelease(soup: DossierRecord, release: SbomRelease | undefined): SoupAtRelease | undefined {
  const f = soup.fields;
  const date = release?.date;
  if (!inBuildOn(soup, date)) return undefined;
  const version = String(f.version);
  const purl = str(f.purl);
  const then = soupVersionAt(soup, date);
  if (then === version) return { version, ...(purl ? { purl } : {}), current: true };
  return { version: then, ...(purl ? withPurlVersion(purl, version, then) : {}), current: false };
}

/** `pkg:npm/x@2.0.0` → `pkg:npm/x@1.5.0`, only when the purl carries the version `from`. */
function withPurlVersion(purl: string, from: string, to: string): { purl?: string } {
  const m = /^([^@?#]+)@([^?#]*)(.*)$/.exec(purl);
  if (!m || decodeURIComponent(m[2]!) !== from) return {};
  return { purl: `${m[1]}@${encodeURIComponent(to)}${m[3]}` };
}

function component(
  soup: DossierRecord,
  cls: string | undefined,
  usedBy: readonly string[],
  atRelease: SoupAtRelease,
): SbomComponent {
  const f = soup.fields;
  const review = atRelease.current ? anomalyReviewOf(soup) : undefined;
  const dependency = str(f.dependency);
  return {
    id: soup.id,
    name: soup.title,
    version: atRelease.version,
    ...(str(f.manufacturer) ? { supplier: str(f.manufacturer)! } : {}),
    ...(atRelease.purl ? { purl: atRelease.purl } : {}),
    // The CPEs name the current version only (soup/cpe-version): not one the release had before.
    ...(atRelease.current && cpeTextsOf(f.cpe).length > 0 ? { cpes: cpeTextsOf(f.cpe) } : {}),
    ...(str(f.license) ? { license: str(f.license)! } : {}),
    ...(str(f.website) ? { website: str(f.website)! } : {}),
    ...(soup.text.trim() ? { description: soup.text.trim() } : {}),
    ...(atRelease.current && Array.isArray(f.hashes)
      ? { hashes: f.hashes as { alg: string; content: string }[] }
      : {}),
    dependency: dependency === 'direct' || dependency === 'transitive' ? dependency : 'unknown',
    dependsOn: [...(soup.links.dependsOn ?? [])].sort(),
    ...(str(f.supportLevel) ? { supportLevel: str(f.supportLevel)! } : {}),
    ...(str(f.endOfSupport) ? { endOfSupport: str(f.endOfSupport)! } : {}),
    ...(str(f.supportJustification) ? { supportJustification: str(f.supportJustification)! } : {}),
    usedBy,
    ...(cls ? { safetyClass: cls } : {}),
    ...(str(f.requirements) ? { requirements: str(f.requirements)! } : {}),
    ...(str(f.systemRequirements) ? { systemRequirements: str(f.systemRequirements)! } : {}),
    ...(review ? { anomalyReview: review } : {}),
  };
}

/**
 * The KEV status a VEX statement carries: listed or not listed only for a current finding checked
 * against a catalog; otherwise (no scan, no catalog, no current finding) not checked.
 */
function vexKev(scan: SoupScan | undefined, finding: SoupFinding | undefined): VexKev {
  if (!scan?.kev || !finding) return { status: 'not-checked' };
  const catalogVersion = scan.kev.catalogVersion;
  return finding.kev
    ? { status: 'listed', catalogVersion, entry: finding.kev }
    : { status: 'not-listed', catalogVersion };
}

/**
 * The EPSS status a VEX statement carries, as {@link vexKev}: scored or not scored only for a
 * current finding of a scan that had EPSS scores; otherwise not checked.
 */
function vexEpss(scan: SoupScan | undefined, finding: SoupFinding | undefined): VexEpss {
  if (!scan?.epss || !finding) return { status: 'not-checked' };
  const { scoreDate, modelVersion } = scan.epss;
  return finding.epss
    ? { status: 'scored', scoreDate, modelVersion, score: finding.epss }
    : { status: 'not-scored', scoreDate, modelVersion };
}

function statement(
  evaluation: DossierRecord,
  finding: SoupFinding | undefined,
  scan: SoupScan | undefined,
): VexStatement {
  const f = evaluation.fields;
  const aliases = new Set([...strings(f.aliases), ...(finding?.ids ?? [])]);
  aliases.delete(String(f.advisory));
  return {
    id: evaluation.id,
    componentId: evaluation.links.soup?.[0] ?? '',
    vulnerability: String(f.advisory),
    aliases: [...aliases].sort(),
    status: f.state as VexStatus,
    ...(str(f.justification) ? { justification: f.justification as VexJustification } : {}),
    ...(str(f.impact) ? { impact: str(f.impact)! } : {}),
    ...(str(f.action) ? { action: str(f.action)! } : {}),
    ...(str(f.reviewer) ? { reviewer: str(f.reviewer)! } : {}),
    date: String(f.date),
    ...(finding?.summary ? { summary: finding.summary } : {}),
    ...(finding ? { source: advisorySource(finding) } : {}),
    hazardousSituations: [...(evaluation.links.hazardousSituations ?? [])].sort(),
    riskControls: [...(evaluation.links.riskControls ?? [])].sort(),
    kev: vexKev(scan, finding),
    ...(finding ? { cvss: cvssRatings(finding.severity) } : {}),
    epss: vexEpss(scan, finding),
  };
}

/** Where a finding's advisory is published: the NVD's page of a CVE it matched, else osv.dev's. */
function advisorySource(finding: SoupFinding): { name: string; url: string } {
  return finding.ecosystem === NVD_SOURCE
    ? { name: 'NVD', url: `https://nvd.nist.gov/vuln/detail/${encodeURIComponent(finding.advisory)}` }
    : { name: 'OSV', url: `https://osv.dev/vulnerability/${encodeURIComponent(finding.advisory)}` };
}

export interface SbomOptions {
  /** When the document is made: the build date (src/util/build-date.ts), RFC 3339. */
  readonly timestamp: string;
  /** The release described (`dossier sbom --release`); else the configured `software.version`. */
  readonly release?: SbomRelease;
}

/**
 * Whether the component was matched against advisory data, per its ecosystem: `no-data` when the
 * data holds nothing for it (or none was loaded), `not-matchable` when no advisory database can
 * name it; both are "not scanned".
 */
function scanStateOf(
  soup: DossierRecord,
  data: ReadonlyMap<string, EcosystemData | undefined>,
): Pick<SbomComponent, 'vulnerabilityScan' | 'vulnerabilityScanNote'> {
  const why = unmatchableWhy(soup);
  // A repository known from its purl: OSV's GIT data matches it when loaded, without being required.
  const optional = optionalSourcesOf(soup)
    .map((s) =>
      data.get(s)
        ? `; also matched against ${s} advisory data (by repository)`
        : `; ${s} advisory data (by repository) could also match it and was not loaded`,
    )
    .join('');
  if (why !== undefined) {
    const review = anomalyReviewOf(soup);
    const gap = vulnerabilityReviewGap(review);
    return {
      vulnerabilityScan: 'not-matchable',
      vulnerabilityScanNote: `no advisory database can match it (${why}); ${
        gap ? `${gap}` : `its anomaly list review of ${review!.date} covers vulnerabilities`
      }${optional}`,
    };
  }
  // Scanned only when every source that could match it (its ecosystem, the NVD for a CPE) had data.
  const sources = advisorySourcesOf(soup);
  const missing = sources.filter((s) => !data.get(s));
  if (missing.length > 0) {
    return {
      vulnerabilityScan: 'no-data',
      vulnerabilityScanNote: `no ${missing.join(' or ')} advisory data was loaded${optional}`,
    };
  }
  return {
    vulnerabilityScan: 'scanned',
    vulnerabilityScanNote: `matched against ${sources
      .map((s) => {
        const held = data.get(s)!;
        return `${s} advisory data${held.newestModified ? ` as of ${held.newestModified.slice(0, 10)}` : ''}`;
      })
      .join(' and ')}${optional}`,
  };
}

/**
 * The SBOM of one software version: `release` (from `dossier sbom --release`), else the configured
 * `software.version` as the records stand. SOUP used only by items introduced in a later version
 * (work in progress) is not in it.
 */
export function sbomFromProject(analysis: Analysis, options: SbomOptions): SbomDocument {
  const release = options.release;
  const { project, graph, safety } = analysis;
  const config = project.config;
  const classes = new Map(safety.soup.map((s) => [s.soup.id, s]));
  const version = release?.version ?? config.software.version;
  const itemInVersion = (id: string) => {
    const item = graph.byId.get(id);
    return version === undefined || item === undefined || appliesTo(item, version);
  };
  // The SBOM describes one software version: SOUP used only by items introduced in a later version
  // (work in progress) is not in it; whether a removed component still was is decided by its date.
  const soups = soupOfVersion(analysis, version, { includeRemoved: true })
    .map((s) => ({ soup: s, atRelease: soupAtRelease(s, release) }))
    .filter((s): s is { soup: DossierRecord; atRelease: SoupAtRelease } => s.atRelease !== undefined);
  const inSbom = new Map(soups.map((s) => [s.soup.id, s.atRelease]));
  const data = new Map(analysis.advisoryCoverage.map((c) => [c.ecosystem, c.data]));
  const components = soups.map(({ soup: s, atRelease }) => {
    const usedBy = (classes.get(s.id)?.usedBy ?? []).filter(itemInVersion);
    const c = component(s, classes.get(s.id)?.cls, usedBy, atRelease);
    return {
      ...c,
      dependsOn: c.dependsOn.filter((id) => inSbom.has(id)),
      ...scanStateOf(s, data),
    };
  });
  // An evaluation of another version of a component (one it moved to after the release) does not
  // describe the released one.
  const describesReleased = (e: DossierRecord) => {
    const atRelease = inSbom.get(e.links.soup?.[0] ?? '');
    const evaluated = str(e.fields.version);
    return (
      atRelease !== undefined &&
      (evaluated === undefined || atRelease.current || evaluated === atRelease.version)
    );
  };
  const findingOf = new Map(
    (analysis.soupScan?.findings ?? []).filter((f) => f.evaluation).map((f) => [f.evaluation!.id, f]),
  );
  const vex = graph
    .ofKind('vulnerability-evaluation')
    .filter((e) => isActive(e) && describesReleased(e))
    .sort(compareById)
    .map((e) => statement(e, findingOf.get(e.id), analysis.soupScan));
  return {
    product: {
      name: config.device.name,
      manufacturer: config.device.manufacturer,
      ...(config.device.model ? { model: config.device.model } : {}),
      version: version ?? '0.0.0',
    },
    author: config.device.manufacturer,
    timestamp: options.timestamp,
    tool: { name: 'dossier', version: DOSSIER_VERSION },
    components,
    vex,
  };
}
