/**
 * CISA's Known Exploited Vulnerabilities (KEV) catalog: reading its JSON (the published schema,
 * https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities_schema.json) and
 * the policy Dossier applies to a finding the catalog lists.
 *
 * Why KEV matters to a medical device: the FDA premarket cybersecurity guidance ("Cybersecurity in
 * Medical Devices: Quality System Considerations and Content of Premarket Submissions", 2023/2025,
 * section V.A.4 and appendix on SBOM) asks that the SBOM's known vulnerabilities be assessed, and
 * names CISA's KEV catalog as the place to check whether a vulnerability is being exploited; FD&C
 * 524B(b)(1)-(2) asks for a plan to address known vulnerabilities. A KEV listing is evidence that
 * the vulnerability is exploited in the wild: it may never sit unevaluated in a release, whatever
 * the software safety class (IEC 62304 7.1.3 applies to class B and C only; the FDA expectation to
 * every cyber device).
 */

/** One vulnerability of the catalog, as Dossier keeps it. */
export interface KevEntry {
  readonly cveID: string;
  readonly vendorProject: string;
  readonly product: string;
  readonly vulnerabilityName: string;
  /** YYYY-MM-DD: when CISA added it to the catalog. */
  readonly dateAdded: string;
  /** YYYY-MM-DD: the remediation due date CISA set for US federal agencies (BOD 22-01). */
  readonly dueDate: string;
  /** 'Known' or 'Unknown' (CISA's wording: Unknown means not confirmed, not "no"). */
  readonly knownRansomwareCampaignUse: string;
  readonly requiredAction?: string;
  readonly shortDescription?: string;
}

/** What the store says about the catalog it holds: its version and release date are the data's age. */
export interface KevCatalogInfo {
  readonly catalogVersion: string;
  /** ISO 8601 as CISA writes it. */
  readonly dateReleased: string;
  /** Entries stored. */
  readonly count: number;
  readonly source: string;
  readonly importedAt: string;
}

export interface KevCatalog {
  readonly catalogVersion: string;
  readonly dateReleased: string;
  /** `count` as the file states it. */
  readonly declaredCount: number;
  readonly entries: readonly KevEntry[];
  /** Entries that break the schema: skipped, each with where and why. */
  readonly invalid: readonly { readonly entry: string; readonly id?: string; readonly reason: string }[];
}

/** The file is not a KEV catalog CISA would publish (the message names the file and what to do). */
export class KevFormatError extends Error {}

/**
 * Is this (the first bytes of a JSON file) CISA's KEV catalog? Recognised by content, not by name:
 * a top-level `catalogVersion` and entries keyed `cveID` (NVD pages and OSV records have neither).
 */
export function looksLikeKev(head: string): boolean {
  return /^\s*\{/.test(head) && /"catalogVersion"\s*:/.test(head) && /"vulnerabilities"\s*:\s*\[/.test(head);
}

const CVE_ID = /^CVE-[0-9]{4}-[0-9]{4,19}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The 1-based line where `needle` first appears in `text`, or undefined. */
function lineOf(text: string, needle: string): number | undefined {
  const at = text.indexOf(needle);
  return at < 0 ? undefined : text.slice(0, at).split('\n').length;
}

/**
 * Parses the catalog's JSON text. The top level must carry `catalogVersion`, `dateReleased` and
 * `vulnerabilities` (else {@link KevFormatError}, naming `file`); an entry without a well-formed
 * `cveID`, `dateAdded` or `dueDate` is listed in `invalid` (with its line) and skipped.
 */
export function parseKevCatalog(text: string, file: string): KevCatalog {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new KevFormatError(
      `${file} is not valid JSON (${(error as Error).message}): download the KEV catalog again (https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json)`,
    );
  }
  const top = value as Record<string, unknown> | null;
  const missing = ['catalogVersion', 'dateReleased'].filter((k) => typeof top?.[k] !== 'string');
  if (typeof top !== 'object' || top === null || !Array.isArray(top.vulnerabilities) || missing.length > 0)
    throw new KevFormatError(
      `${file} is not a CISA KEV catalog: it needs "catalogVersion", "dateReleased" (texts) and a "vulnerabilities" list${missing.length ? ` (missing or not text: ${missing.join(', ')})` : ''}; give known_exploited_vulnerabilities.json as CISA publishes it`,
    );
  if (Number.isNaN(Date.parse(top.dateReleased as string)))
    throw new KevFormatError(
      `${file}: dateReleased ${JSON.stringify(top.dateReleased)} is not a date: the catalog's age cannot be known; download the catalog again`,
    );
  const entries: KevEntry[] = [];
  const invalid: { entry: string; id?: string; reason: string }[] = [];
  for (const [i, raw] of (top.vulnerabilities as unknown[]).entries()) {
    const v = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
    const id = str('cveID');
    const problems = [
      ...(id && CVE_ID.test(id) ? [] : ['cveID is not CVE-YYYY-NNNN']),
      ...(DAY.test(str('dateAdded') ?? '') ? [] : ['dateAdded is not YYYY-MM-DD']),
      ...(DAY.test(str('dueDate') ?? '') ? [] : ['dueDate is not YYYY-MM-DD']),
    ];
    if (problems.length > 0) {
      const line = id ? lineOf(text, JSON.stringify(id)) : undefined;
      invalid.push({
        entry: `${file}#vulnerabilities[${i}]${line ? ` (line ${line})` : ''}`,
        ...(id ? { id } : {}),
        reason: problems.join('; '),
      });
      continue;
    }
    entries.push({
      cveID: id!,
      vendorProject: str('vendorProject') ?? '',
      product: str('product') ?? '',
      vulnerabilityName: str('vulnerabilityName') ?? '',
      dateAdded: str('dateAdded')!,
      dueDate: str('dueDate')!,
      // Absent is not "no": CISA's Unknown means unconfirmed, and absent says even less.
      knownRansomwareCampaignUse: str('knownRansomwareCampaignUse') ?? 'Unknown',
      ...(str('requiredAction') ? { requiredAction: str('requiredAction')! } : {}),
      ...(str('shortDescription') ? { shortDescription: str('shortDescription')! } : {}),
    });
  }
  return {
    catalogVersion: top.catalogVersion as string,
    dateReleased: top.dateReleased as string,
    declaredCount: typeof top.count === 'number' ? top.count : entries.length + invalid.length,
    entries,
    invalid,
  };
}

/** The KEV entry of a finding: the first of its ids (advisory id and aliases, sorted) the catalog lists. */
export function kevOf(
  ids: readonly string[],
  lookup: (cve: string) => KevEntry | undefined,
): KevEntry | undefined {
  for (const id of ids) {
    if (!id.startsWith('CVE-')) continue;
    const entry = lookup(id);
    if (entry) return entry;
  }
  return undefined;
}

/**
 * The release blocker's citation. FDA premarket cybersecurity guidance (2023, updated 2025), V.A.4
 * "Third-Party Software Components" and V.B.2 "Cybersecurity Risk Assessment": known vulnerabilities
 * of the SBOM's components are assessed, with CISA's KEV catalog named as a source of exploitation
 * information; FD&C 524B(b)(2) asks for processes providing reasonable assurance of cybersecurity.
 */
export const KEV_CLAUSES = ['FDA premarket cybersecurity guidance', 'FD&C 524B', '7.1.3'] as const;

/** Short text of the KEV status of a listed finding (scan, SOUP list). */
export function kevText(entry: KevEntry): string {
  return `KEV: listed ${entry.dateAdded}, due ${entry.dueDate}, ransomware use ${entry.knownRansomwareCampaignUse}`;
}

/**
 * The KEV status of a vulnerability in words, for documents and VEX notes: listed (with its dates),
 * not listed in the catalog named, or not checked (no catalog loaded, or not a current finding:
 * never "not listed").
 */
export function kevLabel(
  kev: { status: string; catalogVersion?: string; entry?: KevEntry } | undefined,
): string {
  if (kev?.status === 'listed' && kev.entry)
    return `known exploited: listed ${kev.entry.dateAdded} (catalog ${kev.catalogVersion}), due ${kev.entry.dueDate}, ransomware use ${kev.entry.knownRansomwareCampaignUse}`;
  if (kev?.status === 'not-listed') return `not listed (catalog ${kev.catalogVersion})`;
  return 'not checked (no CISA KEV catalog loaded)';
}
