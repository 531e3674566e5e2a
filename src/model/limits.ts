/**
 * Size limits on what Dossier reads from files it cannot trust: record files, test and analysis
 * reports, XML values, advisory zips and downloads. One table says each limit's dossier.yaml key
 * (`limits.<key>`), its command-line option where a command that may run outside a project takes
 * one, its default and what it bounds; the config schema, the CLI options, the error messages and
 * docs/config.md all come from it.
 *
 * The defaults leave a wide margin over real data (measured on osv.dev's PyPI, Go and crates.io
 * archives and on large JUnit reports; docs/security.md, "Limits") while keeping memory bounded:
 * fast-xml-parser builds each attribute value and text run one character at a time, which costs
 * about 40 bytes of memory per byte of the longest value, so that value is capped well below the
 * report size.
 */

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

export interface LimitSpec {
  /** Default value: bytes, or a plain number for a ratio. */
  readonly default: number;
  readonly unit: 'bytes' | 'ratio';
  /** The option of `dossier advisories import|sync` that overrides it (outside a project). */
  readonly option?: string;
  /** One line for the config schema and the CLI help, without the unit or default. */
  readonly description: string;
}

export type LimitKey =
  | 'maxFileBytes'
  | 'maxReportBytes'
  | 'maxXmlValueBytes'
  | 'maxZipEntryBytes'
  | 'maxZipRatio'
  | 'maxZipTotalBytes'
  | 'maxDownloadBytes';

export const LIMITS: Readonly<Record<LimitKey, LimitSpec>> = {
  maxFileBytes: {
    default: 1 * MiB,
    unit: 'bytes',
    description: 'Largest record file read',
  },
  maxReportBytes: {
    default: 128 * MiB,
    unit: 'bytes',
    description:
      'Largest test or analysis report read by `evidence import` and re-read by the release gate: JUnit, SARIF, lcov, Cobertura',
  },
  maxXmlValueBytes: {
    default: 8 * MiB,
    unit: 'bytes',
    description:
      'Largest single attribute value or text (e.g. one <system-out>) in an XML report or SBOM, counted in UTF-8',
  },
  maxZipEntryBytes: {
    default: 64 * MiB,
    unit: 'bytes',
    option: '--max-zip-entry-bytes',
    description:
      'Largest advisory file: the uncompressed size of one OSV zip entry, or one OSV file in a folder',
  },
  maxZipRatio: {
    default: 200,
    unit: 'ratio',
    option: '--max-zip-ratio',
    description: 'Largest compression ratio (uncompressed / compressed size) of one OSV zip entry',
  },
  maxZipTotalBytes: {
    default: 8 * GiB,
    unit: 'bytes',
    option: '--max-zip-total-bytes',
    description: 'Largest total uncompressed size of the OSV files read from one zip',
  },
  maxDownloadBytes: {
    default: 2 * GiB,
    unit: 'bytes',
    option: '--max-download-bytes',
    description: 'Largest archive `advisories sync` downloads for one ecosystem',
  },
};

export type Limits = { readonly [K in LimitKey]: number };

export const LIMIT_KEYS = Object.keys(LIMITS) as LimitKey[];

/** The limits in force: each configured or overriding value, else the default. */
export function limitsOf(
  configured: Partial<Record<LimitKey, number>> | undefined,
  overrides: Partial<Record<LimitKey, number>> = {},
): Limits {
  const out = {} as Record<LimitKey, number>;
  for (const key of LIMIT_KEYS) out[key] = overrides[key] ?? configured?.[key] ?? LIMITS[key].default;
  return out;
}

const UNITS: readonly [number, string][] = [
  [GiB, 'GiB'],
  [MiB, 'MiB'],
  [KiB, 'KiB'],
];

/** `52,428,800 bytes (50 MiB)`: the exact count, and a rounded binary unit from 1 KiB up. */
/**
 * An integer with its thousands separated by commas, as `toLocaleString('en-US')` writes it, without
 * loading the locale data: every command's help is built with a limit's default size in it, and the
 * first locale-aware call costs about 30 ms of every run.
 */
export function groupDigits(n: number): string {
  return Number.isSafeInteger(n)
    ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
    : n.toLocaleString('en-US');
}

export function formatBytes(bytes: number): string {
  const exact = `${groupDigits(bytes)} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const unit = UNITS.find(([size]) => bytes >= size);
  if (!unit) return exact;
  const scaled = bytes / unit[0];
  const shown = Number.isInteger(scaled) ? String(scaled) : scaled.toFixed(1);
  return `${exact} (${shown} ${unit[1]})`;
}

/** A limit's value as a person reads it: bytes with their unit, or a ratio as `200:1`. */
export function formatLimit(key: LimitKey, value: number): string {
  return LIMITS[key].unit === 'bytes' ? formatBytes(value) : `${value}:1`;
}

/** Where to raise a limit: its dossier.yaml key, and the option where there is one. */
export function raiseHint(key: LimitKey): string {
  const option = LIMITS[key].option;
  return option
    ? `raise it with ${option} or \`limits.${key}\` in dossier.yaml`
    : `raise \`limits.${key}\` in dossier.yaml`;
}

const SIZE = /^(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB|K|M|G)?$/i;
const FACTOR: Readonly<Record<string, number>> = {
  b: 1,
  k: KiB,
  kib: KiB,
  m: MiB,
  mib: MiB,
  g: GiB,
  gib: GiB,
};

/**
 * A limit given on the command line: a whole number of bytes, optionally with a binary unit
 * (`64MiB`, `2G`), or for a ratio a plain number. Undefined when it is not a positive whole value.
 */
export function parseLimit(key: LimitKey, text: string): number | undefined {
  const match = SIZE.exec(text.trim());
  if (!match) return undefined;
  if (LIMITS[key].unit === 'ratio' && match[2]) return undefined;
  const value = Number(match[1]) * (FACTOR[(match[2] ?? 'b').toLowerCase()] ?? Number.NaN);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}
