import type { CvssRating } from '../cvss/ratings.js';
import type { KevEntry } from '../kev/catalog.js';
import type { EpssScore } from '../kev/epss.js';
/**
 * What the SBOM, VEX and SOUP-list writers need, as plain data. The caller builds it from the
 * project's records (src/soup/sbom/from-project.ts); the writers are pure functions of it, so the
 * same records always give byte-identical documents.
 */

export interface SbomProduct {
  /** Device or software system name (config `device.name`). */
  readonly name: string;
  readonly manufacturer: string;
  readonly model?: string;
  /** Software version being described (config `software.version`). */
  readonly version: string;
}

export interface SbomComponent {
  /** SOUP record id, used as bom-ref / SPDXID suffix. */
  readonly id: string;
  readonly name: string;
  readonly version: string;
  /** Supplier (IEC 62304 8.1.2 b "manufacturer"); NTIA minimum element. */
  readonly supplier?: string;
  readonly purl?: string;
  /** The record's CPE 2.3 names (vendor aliases), when they describe this version. */
  readonly cpes?: readonly string[];
  readonly license?: string;
  readonly website?: string;
  readonly description?: string;
  readonly hashes?: readonly { readonly alg: string; readonly content: string }[];
  /** `direct`: the product depends on it; `transitive`: pulled in by another component. */
  readonly dependency: 'direct' | 'transitive' | 'unknown';
  /** SOUP ids this component depends on. */
  readonly dependsOn: readonly string[];
  /** FDA cybersecurity: actively-maintained | no-longer-maintained | abandoned | unknown. */
  readonly supportLevel?: string;
  /** YYYY-MM-DD. */
  readonly endOfSupport?: string;
  /** Why support information is unknown or how it was assessed (cdx:fda:justification). */
  readonly supportJustification?: string;
  /** Software items that use it and the safety class it takes. */
  readonly usedBy: readonly string[];
  readonly safetyClass?: string;
  /** IEC 62304 5.3.3 / 5.3.4 text, for the human-readable SOUP list. */
  readonly requirements?: string;
  readonly systemRequirements?: string;
  /**
   * Whether the component was matched against advisory data: `scanned`, `not-matchable` (its purl
   * names no OSV ecosystem; its anomaly list is reviewed by hand) or `no-data` (no advisory data was
   * loaded). Absent when the caller does not say.
   */
  readonly vulnerabilityScan?: 'scanned' | 'not-matchable' | 'no-data';
  /**
   * Why, in words: "no npm advisory data was loaded", "no advisory database can match it (…)", or
   * the data it was scanned against. See {@link notScannedComponents}.
   */
  readonly vulnerabilityScanNote?: string;
  /** 7.1.3 anomaly-list review. */
  readonly anomalyReview?: {
    readonly date: string;
    readonly reviewer?: string;
    readonly conclusion: string;
    readonly coversVulnerabilities?: boolean;
    readonly sources?: readonly string[];
  };
}

/** OpenVEX status vocabulary; CycloneDX analysis states are derived from it. */
export type VexStatus = 'not_affected' | 'affected' | 'fixed' | 'under_investigation';

/** OpenVEX justification vocabulary (required when status is not_affected). */
export type VexJustification =
  | 'component_not_present'
  | 'vulnerable_code_not_present'
  | 'vulnerable_code_not_in_execute_path'
  | 'vulnerable_code_cannot_be_controlled_by_adversary'
  | 'inline_mitigations_already_exist';

export interface VexStatement {
  /** Evaluation record id. */
  readonly id: string;
  /** SOUP id of the affected component. */
  readonly componentId: string;
  /** Advisory id as evaluated (GHSA-…, PYSEC-…, CVE-…, RUSTSEC-…). */
  readonly vulnerability: string;
  readonly aliases: readonly string[];
  readonly status: VexStatus;
  readonly justification?: VexJustification;
  readonly impact?: string;
  readonly action?: string;
  readonly reviewer?: string;
  /** YYYY-MM-DD of the evaluation. */
  readonly date: string;
  /** Advisory summary and source, when the advisory store knows it. */
  readonly summary?: string;
  readonly source?: { readonly name: string; readonly url?: string };
  /** Hazardous situations and risk controls the evaluation links (ISO 14971 / 62304 7.1.3). */
  readonly hazardousSituations: readonly string[];
  readonly riskControls: readonly string[];
  /**
   * CISA KEV status of the vulnerability when the document was made: `listed` (with its entry),
   * `not-listed` in the catalog named, or `not-checked` (no scan, no catalog, or no current
   * finding). Absent only where a caller builds statements itself.
   */
  readonly kev?: VexKev;
  /** CVSS ratings of the advisory (from the scan's finding), scored where Dossier can. */
  readonly cvss?: readonly CvssRating[];
  /**
   * FIRST EPSS of the vulnerability when the document was made (the highest among its CVE ids):
   * `scored`, `not-scored` (the scores held have none for it) or `not-checked` (no scores loaded,
   * no scan, or no current finding). Absent only where a caller builds statements itself.
   */
  readonly epss?: VexEpss;
}

export interface VexEpss {
  readonly status: 'scored' | 'not-scored' | 'not-checked';
  /** The day the scores held are for (their age). */
  readonly scoreDate?: string;
  readonly modelVersion?: string;
  readonly score?: EpssScore & { readonly cve: string };
}

export interface VexKev {
  readonly status: 'listed' | 'not-listed' | 'not-checked';
  readonly catalogVersion?: string;
  readonly entry?: KevEntry;
}

export interface SbomDocument {
  readonly product: SbomProduct;
  /** SBOM author (NTIA): the manufacturer by default. */
  readonly author: string;
  /**
   * RFC 3339 timestamp: the build date (SOURCE_DATE_EPOCH, else the commit date of HEAD, else now),
   * so the same commit gives the same bytes.
   */
  readonly timestamp: string;
  /** Tool name and version that wrote the document. */
  readonly tool: { readonly name: string; readonly version: string };
  readonly components: readonly SbomComponent[];
  readonly vex: readonly VexStatement[];
}

/** Components whose vulnerabilities were not checked against advisory data, sorted by id. */
export function notScannedComponents(doc: SbomDocument): SbomComponent[] {
  return doc.components
    .filter((c) => c.vulnerabilityScan === 'no-data' || c.vulnerabilityScan === 'not-matchable')
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
