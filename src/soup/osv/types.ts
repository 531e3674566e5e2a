/** The parts of the OSV schema (ossf/osv-schema 1.7) that matching needs. Unknown fields are kept. */
export interface OsvEvent {
  readonly introduced?: string;
  readonly fixed?: string;
  readonly last_affected?: string;
  readonly limit?: string;
}

export interface OsvRange {
  readonly type: 'SEMVER' | 'ECOSYSTEM' | 'GIT' | string;
  readonly repo?: string;
  readonly events: readonly OsvEvent[];
}

export interface OsvPackage {
  readonly ecosystem: string;
  readonly name: string;
  readonly purl?: string;
}

export interface OsvAffected {
  readonly package?: OsvPackage;
  readonly ranges?: readonly OsvRange[];
  readonly versions?: readonly string[];
  readonly ecosystem_specific?: unknown;
  readonly database_specific?: unknown;
}

export interface OsvRecord {
  readonly id: string;
  readonly modified: string;
  readonly published?: string;
  readonly withdrawn?: string;
  readonly aliases?: readonly string[];
  readonly related?: readonly string[];
  readonly summary?: string;
  readonly details?: string;
  readonly affected?: readonly OsvAffected[];
  readonly severity?: readonly { type: string; score: string }[];
  readonly database_specific?: unknown;
}
