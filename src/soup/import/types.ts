/**
 * The shape every dependency reader produces. One reader per input format (lockfile, manifest or
 * SBOM); each turns the text of one file into components, without touching the file system, so
 * readers are pure and testable on strings.
 */

/** How the component entered the build: named by the project itself, or pulled in by another component. */
export type DependencyScope = 'direct' | 'transitive' | 'unknown';

export interface ImportedComponent {
  /** OSV ecosystem name (`npm`, `PyPI`, `crates.io`, `Go`, `Maven`, `ConanCenter`, …) or `generic`. */
  readonly ecosystem: string;
  /** Ecosystem-native name: npm `@scope/pkg`, Maven `group:artifact`, PyPI PEP 503-normalised, Go module path. */
  readonly name: string;
  /** The exact resolved version (8.1.2 c). */
  readonly version: string;
  /** Package URL with version (see src/soup/purl.ts `purlFor`). */
  readonly purl: string;
  readonly scope: DependencyScope;
  /** True for development-only dependencies (test and build tools); readers drop them unless asked. */
  readonly development: boolean;
  /** Supplier when the input names one (SBOMs, Maven groupId is *not* a supplier). */
  readonly supplier?: string;
  readonly license?: string;
  readonly description?: string;
  readonly website?: string;
  /** Integrity hashes, algorithm as CycloneDX writes it (`SHA-256`, `SHA-512`, `SHA-1`). */
  readonly hashes?: readonly { readonly alg: string; readonly content: string }[];
  /** purls (with version) of the components this one depends on directly. */
  readonly dependsOn: readonly string[];
  /** 1-based line in the input where the component is declared, when the reader knows it. */
  readonly line?: number;
}

/** An imported component with the FDA support fields an SBOM (CycloneDX, SPDX) may carry. */
export interface SbomComponent extends ImportedComponent {
  /** FDA "level of support", verbatim from the SBOM (e.g. `Actively maintained`). */
  readonly supportLevel?: string;
  /** FDA "end-of-support date", verbatim (usually YYYY-MM-DD, sometimes free text). */
  readonly endOfSupport?: string;
  /** Why support information cannot be given, verbatim (`cdx:fda:justification`). */
  readonly supportJustification?: string;
  /** Where each support value came from, as the SBOM names it, so the record can say so. */
  readonly supportFrom?: SupportOrigin;
}

/** The SBOM property (CycloneDX) or field (SPDX) each support value was read from. */
export interface SupportOrigin {
  readonly kind: 'property' | 'field';
  readonly supportLevel?: string;
  readonly endOfSupport?: string;
  readonly supportJustification?: string;
}

export interface ImportProblem {
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  readonly line?: number;
  /** What the user should do about it. */
  readonly hint?: string;
}

export interface ImportResult {
  /** Which format was read, e.g. `package-lock.json v3`, `yarn.lock (berry)`, `CycloneDX 1.5 XML`. */
  readonly format: string;
  /** Sorted by purl, de-duplicated (same purl once). */
  readonly components: readonly ImportedComponent[];
  readonly problems: readonly ImportProblem[];
  /** Development-only components left out because `includeDev` was not set (absent when none). */
  readonly skippedDevelopment?: number;
}

export interface ReadOptions {
  /** Keep development-only dependencies (default false). */
  readonly includeDev?: boolean;
  /** Largest XML attribute value or text of an XML SBOM or pom.xml (`limits.maxXmlValueBytes`). */
  readonly maxXmlValueBytes?: number;
}

export interface DependencyReader {
  /** Short format id used in `--format` and messages, e.g. `package-lock`, `cargo-lock`, `cyclonedx-json`. */
  readonly id: string;
  readonly description: string;
  /** True when this reader handles a file with this base name and first bytes. */
  detect(baseName: string, head: string): boolean;
  /** Never throws: malformed input yields problems (and whatever components could be read). */
  read(text: string, options?: ReadOptions): ImportResult;
}
